"""Smoke test: bench/bench_schematic.py runs on a tiny network (`--tiny`) as a subprocess and
prints its figures in the documented format. No wall-clock assertion, only the lines' shape."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_schematic.py"
N = r"[\d.]+"
LINES = [
    r"^stations: 30, rounds: 4$",
    rf"^update_states \(all changed\): +{N} ms$",
    rf"^update_states \+ repaint: +{N} ms$",
    rf"^rebuild scene \+ repaint: +{N} ms  \(baseline\)$",
    rf"^ratio update/rebuild: +{N}$",
    rf"^ratio update\+paint/rebuild: +{N}$",
]


def test_bench_schematic_prints_its_figures() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    p = subprocess.run(
        [sys.executable, str(BENCH), "--tiny"], capture_output=True, text=True, timeout=120, env=env
    )
    assert p.returncode == 0, p.stderr[-3000:]
    lines = p.stdout.splitlines()
    assert len(lines) == len(LINES), p.stdout
    for line, pat in zip(lines, LINES, strict=True):
        assert re.match(pat, line), f"{line!r} does not match {pat!r}"
