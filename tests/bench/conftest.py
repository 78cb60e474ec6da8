"""`run_tiny` — run a benchmark with `--tiny` (offscreen, as a subprocess; `args`: options that
override its tiny defaults) and check that it printed exactly the documented lines; returns the
matches (for checks on captured groups).

`gui_tiny_held` — one run of bench/bench_gui.py --tiny with a 6-s hold (its output lines and
work directory), shared by the GUI bench's smoke test (its figures, printed first) and the hold's
(the lines after them): a single run of the same code instead of two."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _run_tiny(
    script: str, patterns: list[str], timeout: float = 120, args: tuple[str, ...] = ()
) -> list[re.Match[str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    p = subprocess.run(
        [sys.executable, str(BENCH / script), "--tiny", *args],
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


@pytest.fixture(scope="session")
def gui_tiny_held(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    work = tmp_path_factory.mktemp("bench-gui")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # 6 s of holding, a sample every 2 s, the tab changing every second: every tab is shown.
    args = ["--tiny", "--dir", str(work), "--hold-minutes", "0.1", "--hold-sample-s", "2",
            "--hold-tab-s", "1"]  # fmt: skip
    out = subprocess.run(
        [sys.executable, str(BENCH / "bench_gui.py"), *args],
        capture_output=True, text=True, timeout=150, check=True, env=env,
    ).stdout.splitlines()  # fmt: skip
    return out, work


@pytest.fixture
def run_tiny() -> Callable[..., list[re.Match[str]]]:
    return _run_tiny
