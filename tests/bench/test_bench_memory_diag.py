"""Smoke test of bench_memory_startup.py --tracemalloc --malloc-trim (growth diagnosis): the
normal lines are unchanged and followed by `diag` lines per snapshot, the second snapshot
naming the allocation sites that grew. Only the lines' shape, no figure is asserted. The normal
lines are held to test_bench_smoke.py's MEMORY patterns here: this one run is the smoke test of
bench_memory_startup.py too (the diagnosis only adds lines after them)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.bench.test_bench_smoke import MEMORY

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
    assert len(lines) > len(MEMORY), lines
    for line, pat in zip(lines, MEMORY, strict=False):  # the five normal lines come first
        assert re.match(pat, line), f"{line!r} does not match {pat!r}"
    diag = lines[len(MEMORY) :]
    snaps = [i for i, line in enumerate(diag) if re.match(SNAP, line)]
    assert len(snaps) == 2, diag
    for line in diag:
        assert any(re.match(pat, line) for pat in (SNAP, TRIM, SITE, GC)), line
    second = diag[snaps[1] :]
    assert sum(1 for line in second if "grown since the first snapshot: " in line and "<-" in line)
    assert sum(1 for line in diag if re.match(TRIM, line)) == 2
