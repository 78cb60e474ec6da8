"""Smoke test: bench/bench_alarm_tree.py --tiny runs offscreen and prints its figures in the
documented format. No wall-clock assertion: only the lines' shape (and that the baseline path
does call into Python more often than the optimised one, which is a count, not a time)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_alarm_tree.py"
N = r"[\d.]+"
LINES = [
    r"^machine: \d+ cores, .+, Python [\d.]+, load [\d.]+$",
    r"^tree: \d+ alarms in \d+ top-level rows \(\d+ groups, one expanded\), 1900 x 1000 px, "
    r"\d+ rows x 8 columns painted$",
    *[
        rf"^{what}: median {N} ms, p90 {N} ms, max {N} ms, (\d+) calls into Python \| baseline "
        rf"per-role: median {N} ms, p90 {N} ms, max {N} ms, (\d+) calls \| ratio median {N}$"
        for what in (
            r"full repaint, idle",
            r"full repaint, busy Python thread",
            r"blink, idle",
            r"blink, busy Python thread",
        )
    ],
]


def test_bench_alarm_tree_tiny_prints_its_figures() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    p = subprocess.run(
        [sys.executable, str(BENCH), "--tiny"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr[-3000:]
    out = p.stdout.splitlines()
    assert len(out) == len(LINES), p.stdout
    for line, pattern in zip(out, LINES, strict=True):
        m = re.match(pattern, line)
        assert m, (pattern, line)
        if m.groups():
            optimised, baseline = (int(g) for g in m.groups())
            assert optimised < baseline, line
