"""Smoke test of bench_memory_startup.py --tracemalloc --malloc-trim (growth diagnosis): the
normal lines are unchanged and followed by `diag` lines per snapshot, the second snapshot
naming the allocation sites that grew. Only the lines' shape, no figure is asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_memory_startup.py"
N = r"[\d.]+"
SNAP = (
    rf"^diag {N} min: RSS \d+ MB \(Python-traced \d+ MB\); malloc in use \d+ MB, free in arenas "
    rf"\d+ MB, mmapped \d+ MB; SQLite heap {N} MB \(high-water {N}\); asyncio tasks \d+; gc "
    rf"objects \d+; rings \d+ % of \d+ rows; history buffer \d+ samples \(\d+ committed\); "
    r"journal buffer \d+; files .*journal\.sqlite .*$"
)
TRIM = r"^diag   malloc_trim\(0\): RSS \d+ -> \d+ MB$"
SITE = rf"^diag   (largest: {N} MB \(\d+ blocks\)|grown since the first snapshot: [+-]{N} MB "
SITE += r"\([+-]\d+ blocks; now [\d.]+ MB\)) .+:\d+( <- .+:\d+)*$"
GC = r"^diag   gc objects grown since the first snapshot: .*$"


def test_diagnosis_prints_snapshots_after_the_normal_lines() -> None:
    p = subprocess.run(
        [sys.executable, str(BENCH), "--tiny", "--tracemalloc", "--malloc-trim",
         "--snapshots", "0.02,0.05", "--top", "3"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr[-3000:]
    lines = p.stdout.splitlines()
    assert lines[4].startswith("targets: "), lines  # the five normal lines come first
    diag = lines[5:]
    snaps = [i for i, line in enumerate(diag) if re.match(SNAP, line)]
    assert len(snaps) == 2, diag
    for line in diag:
        assert any(re.match(pat, line) for pat in (SNAP, TRIM, SITE, GC)), line
    second = diag[snaps[1] :]
    assert sum(1 for line in second if "grown since the first snapshot: " in line and "<-" in line)
    assert sum(1 for line in diag if re.match(TRIM, line)) == 2
