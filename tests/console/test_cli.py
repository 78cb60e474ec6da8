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


def test_arguments_that_are_not_utf8_are_journalled_and_found(tmp_path: Path) -> None:
    """A note, a user or a filter typed in a Latin-1 terminal (bytes that are no UTF-8) gave a
    UnicodeEncodeError traceback from SQLite; `poll --user` lost every event of the session.
    The odd bytes are kept as their visible escape, and the same argument finds them."""
    journal = str(tmp_path / "journal.sqlite").encode()
    hc = [str(HEATCONSOLE).encode(), b"log", b"--journal", journal]

    def run(*args: bytes) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*hc, *args], capture_output=True, text=True, timeout=120)
        assert "Traceback" not in done.stderr, done.stderr
        return done

    added = run(b"note", b"--user", b"j\xf6rg", b"pump 2 \xe9teint")
    assert added.returncode == 0, added.stderr
    for args in ([b"--user", b"j\xf6rg"], [b"--text", b"\xe9teint"]):
        found = run(*args, b"--format", b"csv")
        assert found.returncode == 0 and "pump 2 \\udce9teint" in found.stdout, found.stdout


def test_a_stop_wrapped_by_a_library_during_start_up_ends_as_a_stop(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A stop signal raised inside numpy's import came out as "RuntimeError: Error calling
    __set_name__ …" from StopRequested, and `server` printed a traceback and exited 1 (seen in
    CI). Whatever wraps it, a stop is a stop: exit 0. Any other error still propagates."""
    import signal

    import pytest

    from console import cli
    from console.commands.signals import StopRequested

    def wrapped(argv, stop):  # type: ignore[no-untyped-def]
        try:
            raise StopRequested(signal.SIGTERM)
        except StopRequested as e:
            raise RuntimeError("Error calling __set_name__ on 'cached_property'") from e

    monkeypatch.setattr(cli, "_main", wrapped)
    assert cli.main(["poll", "--config", "x.yaml"]) == 0

    def broken(argv, stop):  # type: ignore[no-untyped-def]
        raise RuntimeError("not a stop")

    monkeypatch.setattr(cli, "_main", broken)
    with pytest.raises(RuntimeError, match="not a stop"):
        cli.main(["poll", "--config", "x.yaml"])
