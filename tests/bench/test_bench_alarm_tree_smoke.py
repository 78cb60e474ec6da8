"""Smoke test: bench/bench_alarm_tree.py --tiny runs offscreen and prints its figures in the
documented format. No wall-clock assertion: only the lines' shape (and that the baseline path
does call into Python more often than the optimised one, which is a count, not a time)."""

from __future__ import annotations

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


def test_bench_alarm_tree_tiny_prints_its_figures(run_tiny) -> None:
    for m in run_tiny("bench_alarm_tree.py", LINES):
        if m.groups():
            optimised, baseline = (int(g) for g in m.groups())
            assert optimised < baseline, m.string
