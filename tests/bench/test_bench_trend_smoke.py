"""Smoke test: bench/bench_trend.py --tiny runs offscreen and prints its figures in the
documented format. No wall-clock assertion: only the lines' shape."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_trend.py"
N = r"[\d.]+"
LINES = [
    r"^machine: \d+ cores, .+, Python [\d.]+, load [\d.]+$",
    r"^10 curves x \d+ points, \d+ pan/zoom steps x \d+$",
    rf"^decimation levels \(ours\) +median +{N} ms, max +{N} ms$",
    rf"^baseline: pyqtgraph clip \+ peak +median +{N} ms, max +{N} ms$",
    rf"^ratio ours/baseline \(median\): {N}  \(speed-up {N}x\)$",
    r"^target: pan/zoom \+ repaint <= 50 ms \(max of every step\): (holds|MISSED)$",
]


def test_bench_trend_prints_its_figures() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    p = subprocess.run(
        [sys.executable, str(BENCH), "--tiny"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    lines = p.stdout.splitlines()
    assert len(lines) == len(LINES), p.stdout
    for line, pat in zip(lines, LINES, strict=True):
        assert re.match(pat, line), f"{line!r} does not match {pat!r}"
