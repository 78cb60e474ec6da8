"""`run_tiny` — run a benchmark with `--tiny` (offscreen, as a subprocess) and check that it
printed exactly the documented lines; returns the matches (for checks on captured groups)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _run_tiny(script: str, patterns: list[str], timeout: float = 120) -> list[re.Match[str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    p = subprocess.run(
        [sys.executable, str(BENCH / script), "--tiny"],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    lines = p.stdout.splitlines()
    assert len(lines) == len(patterns), p.stdout
    matches = []
    for line, pat in zip(lines, patterns, strict=True):
        m = re.match(pat, line)
        assert m, f"{line!r} does not match {pat!r}"
        matches.append(m)
    return matches


@pytest.fixture
def run_tiny() -> Callable[..., list[re.Match[str]]]:
    return _run_tiny
