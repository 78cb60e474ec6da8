"""Smoke test: bench/bench_trend.py --tiny runs offscreen and prints its figures in the
documented format. No wall-clock assertion: only the lines' shape."""

from __future__ import annotations

N = r"[\d.]+"
LINES = [
    r"^machine: \d+ cores, .+, Python [\d.]+, load [\d.]+$",
    r"^10 curves x \d+ points, \d+ pan/zoom steps x \d+$",
    rf"^decimation levels \(ours\) +median +{N} ms, max +{N} ms$",
    rf"^baseline: pyqtgraph clip \+ peak +median +{N} ms, max +{N} ms$",
    rf"^ratio ours/baseline \(median\): {N}  \(speed-up {N}x\)$",
    rf"^ours, main-thread CPU per step: median {N} ms, max {N} ms; "
    rf"GC pauses in the timed steps: \d+ \({N} ms\)$",
    r"^target: pan/zoom \+ repaint <= 50 ms \(max of every step\): (holds|MISSED)$",
]


def test_bench_trend_prints_its_figures(run_tiny) -> None:
    run_tiny("bench_trend.py", LINES)
