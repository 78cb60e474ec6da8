"""Smoke test: bench/bench_schematic.py runs on a tiny network (`--tiny`) as a subprocess and
prints its figures in the documented format. No wall-clock assertion, only the lines' shape."""

from __future__ import annotations

N = r"[\d.]+"
LINES = [
    r"^stations: 30, rounds: 4$",
    rf"^update_states \(all changed\): +{N} ms$",
    rf"^update_states \+ repaint: +{N} ms$",
    rf"^rebuild scene \+ repaint: +{N} ms  \(baseline\)$",
    rf"^ratio update/rebuild: +{N}$",
    rf"^ratio update\+paint/rebuild: +{N}$",
]


def test_bench_schematic_prints_its_figures(run_tiny) -> None:
    run_tiny("bench_schematic.py", LINES)
