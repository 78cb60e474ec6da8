"""Smoke test of bench/bench_gui.py --hold-minutes: after the usual figures, the window keeps
polling with the tab cycling; the RSS curve and the peak are printed. Only the lines' shape."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_gui.py"
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


def test_hold_prints_the_rss_curve_and_its_peak(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # 6 s of holding, a sample every 2 s, the tab changing every second: every tab is shown.
    args = ["--tiny", "--dir", str(tmp_path), "--hold-minutes", "0.1", "--hold-sample-s", "2",
            "--hold-tab-s", "1"]  # fmt: skip
    out = subprocess.run(
        [sys.executable, str(BENCH), *args],
        capture_output=True, text=True, timeout=120, check=True, env=env,
    ).stdout.splitlines()  # fmt: skip
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
    log = (tmp_path / "hold-full.jsonl").read_text().splitlines()
    assert len(log) == len(held) - 3
