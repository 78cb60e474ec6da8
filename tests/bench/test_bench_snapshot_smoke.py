"""Smoke test: bench/bench_snapshot.py --tiny builds snapshots of the demo network and prints
the build and its parts in the documented format. No wall-clock assertion: only the shape."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
N = r"[\d.]+"


def test_bench_snapshot_tiny_prints_the_build_and_its_parts() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    p = subprocess.run(
        [sys.executable, str(BENCH / "bench_snapshot.py"), "--tiny"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr[-3000:]
    lines = p.stdout.splitlines()
    assert re.match(rf"^load {N}; 5 builds per run$", lines[0]), lines[0]
    assert re.match(r"^\d+ stations, 5 builds, \d+ alarm rows$", lines[1]), lines[1]
    parts, gc = {}, {}
    i = 2
    while i < len(lines) and not lines[i].startswith("  cyclic GC"):
        m = re.match(rf"^  (\S.*?) +({N}) ms$", lines[i])
        assert m, lines[i]
        parts[m[1]] = float(m[2])
        i += 1
    for line in lines[i + 1 :]:  # the cyclic GC's figures: counts, and times in ms
        m = re.match(rf"^  (\S.*?) +({N}) ?(ms)?\s*$", line)
        assert m, line
        gc[m[1]] = float(m[2])
    assert {"tracked after", "full collection", "longest collection"} <= set(gc), gc
    assert {"build p50", "build mean", "build max", "alarm_rows", "key_figures"} <= set(parts)
    assert parts["build p50"] <= parts["build max"]
