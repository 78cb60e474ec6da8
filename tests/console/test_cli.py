"""The `heatconsole` entry point as a user runs it: in a shell pipeline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from console.core.events import JournalEvent, Kind
from console.core.journal import store

HEATCONSOLE = Path(sys.executable).with_name("heatconsole")


def test_output_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`heatconsole log --format csv | head -3`: the reader leaves early; no BrokenPipeError
    traceback, the exit code of a tool stopped by SIGPIPE."""
    journal = tmp_path / "journal.sqlite"
    conn = store.connect(journal, create=True)
    store.insert_events(
        conn,
        [
            JournalEvent(Kind.OPERATOR, f"note {i} " + "x" * 200, time=1.7e9 + i)
            for i in range(5000)
        ],
    )
    conn.close()
    proc = subprocess.run(
        f"'{HEATCONSOLE}' log --journal '{journal}' --format csv --since 2000-01-01 | head -3; "
        'echo "status=${PIPESTATUS[0]}" >&2',
        shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert len(proc.stdout.splitlines()) == 3
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr
    assert "status=141" in proc.stderr
