"""Smoke test of bench/bench_gui.py --hold-minutes: after the usual figures, the window keeps
polling with the tab cycling; the RSS curve and the peak are printed. Only the lines' shape.
The run is tests/bench/conftest.py's `gui_tiny_held`, shared with test_bench_gui_smoke.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TABS = r"(overview|alarms|trends|journal)"
SAMPLE = (
    rf"^hold, [\d.]+ min, {TABS} visible: VmRSS \d+ MiB, VmHWM \d+ MiB · glibc main arena \d+ "
    r"MiB \(\d+ free\), thread arenas \d+ MiB \(\d+ free\), SQLite \d+ MiB, pymalloc \d+ MiB "
    r"\(\d+ in objects\), \d+ gc objects, \d+ QObjects · load [\d.]+$"
)
SLOPE = (
    r"^least-squares slope over the last \d+ min: VmRSS [+-][\d.]+ MiB/min, glibc arenas "
    r"[+-][\d.]+, mmapped [+-][\d.]+, SQLite heap [+-][\d.]+ \| target <= 0.045 MiB/min \(20 MB "
    r"over 7 h\): (holds|MISSED)$"
)
TRIM = r"^malloc_trim over the hold: \d+ calls, [\d.]+ s in all \(longest \d+ ms\)$"
PEAK = (
    r"^peak RSS after [\d.]+ more min of polling with the window, tabs cycling \(VmHWM\): \d+ "
    r"MiB \(VmRSS \d+ MiB at the end, growth -?[\d.]+ MiB/min over the second half\) \| target "
    r"<= 1.5 GB: (holds|MISSED)$"
)


@pytest.mark.timeout(240)  # the shared run (tests/bench/conftest.py) starts here, or in the other
def test_hold_prints_the_rss_curve_and_its_peak(gui_tiny_held: tuple[list[str], Path]) -> None:
    out, work = gui_tiny_held  # --hold-minutes 0.1 --hold-sample-s 2 --hold-tab-s 1
    i = next(i for i, line in enumerate(out) if line.startswith("peak RSS of the console"))
    held = out[i + 1 :]
    held = held[: next(i for i, line in enumerate(held) if line.startswith("malloc_trim")) + 1]
    assert len(held) >= 6, out  # t = 0, 2, 4 s, the end, the peak, the slope and the trimmer
    for line in held[:-3]:
        assert re.match(SAMPLE, line), line
    assert re.match(PEAK, held[-3]), held[-3]
    assert re.match(SLOPE, held[-2]), held[-2]
    assert re.match(TRIM, held[-1]), held[-1]
    shown = {re.match(SAMPLE, line).group(1) for line in held[:-3]}  # type: ignore[union-attr]
    assert len(shown) >= 3, held
    # each sample also went to the live log, one JSON line each
    log = (work / "hold-full.jsonl").read_text().splitlines()
    assert len(log) == len(held) - 3
