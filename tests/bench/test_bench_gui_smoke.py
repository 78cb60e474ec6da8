"""Smoke test: bench/bench_gui.py --tiny runs (simulator + console child, offscreen) and prints
its figures in the documented format. No wall-clock assertion: only the lines' shape. The run
is tests/bench/conftest.py's `gui_tiny_held` (with a 6-s hold after the figures, whose lines
test_bench_gui_hold.py checks)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

N = r"[\d.]+"
V = r"(holds|MISSED|n/a)"
M = r"(nan|[\d.]+)"  # nan: nothing of that kind happened in the window
LINES = [
    r"^machine: \d+ cores, .+, Python [\d.]+, load [\d.]+$",
    r"^network: \d+ stations, \d+ points, 5-s polling, \d+ stations chilled$",
    r"^alarm summary: \d+ alarms in \d+ top-level rows; trend: 10 curves x \d+ points$",
    *[
        line
        for tab in ("overview", "alarms", "trends")
        for line in (
            rf"^stall, {tab} visible, \d+ s: p50 {N} ms, p99 {N} ms, max {N} ms \(\d+ > 50 ms of "
            rf"\d+\) \| baseline idle window: p99 {N} ms, max {N} ms \| ratio p99 {N} \| targets "
            rf"p99 <= 50 ms: {V}, max <= 200 ms: {V}$",
            rf"^  applies, {tab}: \d+ \(p50 {M} ms, max {M} ms; schematic max {M} ms, alarm "
            rf"summary max {M} ms, banner max {M} ms\); snapshot builds on the service thread: "
            rf"\d+ \(p50 {M} ms, max {M} ms\); cyclic GC: \d+ full collections, longest "
            rf"collection {M} ms$",
            r"^    cyclic GC per generation \(collections, longest, total, on the GUI thread; "
            r"longest in CPU time\): "
            + "; ".join(rf"gen{g} \d+, {M} ms, {M} ms, \d+ GUI; CPU {M} ms" for g in range(3))
            + "$",
        )
    ],
    rf"^schematic in the window, update_states of \d+ stations \(all changing\): {N} ms, \+ "
    rf"repaint {N} ms \(max {N} ms\) \| baseline rebuild scene \+ repaint: {N} ms \| ratio {N} \|"
    rf" target <= 20 ms: {V} \(update\), {V} \(with repaint\)$",
    rf"^trend pan/zoom \+ repaint in the window \(\d+ steps, polling\): median {N} ms, max {N} ms"
    rf" \| target <= 50 ms: {V} \(max\)$",
    rf"^start-up to first complete scan drawn: demo \(\d+ stations\) {N} s \(target <= 3 s: {V}\),"
    rf" full \(\d+ stations\) {N} s \(target <= 10 s: {V}\)$",
    *[
        rf"^  start-up milestones, {which}: imports {N} s, (app|session|window shown|first "
        rf"snapshot built|first apply|, | {N} s)+$"
        for which in ("demo", "full")
    ],
    rf"^peak RSS of the console process \(VmHWM\): \d+ MiB full, \d+ MiB demo \| target <= 1.5 GB:"
    rf" {V}$",
]


@pytest.mark.timeout(240)  # the shared run (tests/bench/conftest.py) starts here, or in the other
def test_bench_gui_tiny_prints_its_figures(gui_tiny_held: tuple[list[str], Path]) -> None:
    out, _work = gui_tiny_held
    # The figures come first; the hold's lines after them (test_bench_gui_hold.py).
    i = next((i for i, line in enumerate(out) if line.startswith("hold, ")), len(out))
    assert i == len(LINES), out
    for line, pattern in zip(out[:i], LINES, strict=True):
        assert re.match(pattern, line), (pattern, line)
