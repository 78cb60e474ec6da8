"""Smoke test: bench/bench_history.py runs on a tiny network and prints its documented lines."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[4] / "bench" / "bench_history.py"
NUM = r"[\d.]+"
LINES = [
    r"^machine: \d+ cores, .*Python .*, SQLite ",
    r"^network: 4 stations, \d+ points$",
    rf"^ingest, one 4-station 5-s batch: {NUM} ms CPU \({NUM} % of 5 s; caller {NUM} ms\), "
    rf"\d+ samples stored, \d+ scans/CPU-s \| baseline uncompressed: {NUM} ms, \d+ samples \| "
    rf"ratio {NUM}$",
    rf"^bytes per point per day, 5-s scans .*: compressed \d+ B \| baseline uncompressed: \d+ B "
    rf"\| ratio {NUM}$",
    rf"^full day at \d+-s step .*: {NUM} MiB, \d+ B per point per day$",
    rf"^24 h query of 10 points: {NUM} ms median \(\d+ samples\) \| baseline naive unindexed "
    rf"rows .*: {NUM} ms \| ratio {NUM} \| target <= 200 ms$",
]


def test_bench_history_tiny_prints_its_figures(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH), "--tiny", "--dir", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert len(out) == len(LINES), out
    for line, pattern in zip(out, LINES, strict=True):
        assert re.match(pattern, line), (pattern, line)
