"""Smoke test: bench/bench_wall.py runs on a tiny network (`--tiny`) as a subprocess and prints
its figures in the documented format. No wall-clock assertion, only the lines' shape."""

from __future__ import annotations

N = r"[\d.]+"
LINES = [
    r"^40 stations, \d+ marked, map \d+x\d+$",
    rf"^  blink +{N} ms +ratio to schematic +{N}$",
    rf"^  relayout +{N} ms +ratio to schematic +{N}$",
    rf"^  schematic +{N} ms +\(baseline, same run\)$",
]


def test_bench_wall_prints_its_figures(run_tiny) -> None:
    run_tiny("bench_wall.py", LINES)
