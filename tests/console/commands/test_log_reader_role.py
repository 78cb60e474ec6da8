"""Consoles read the shared journal through the read-only role: `heatconsole log --db` and
`handover --db` connect as the reader role `db init` created, PostgreSQL refuses every change
through the very connection they read with, and an address whose role could change the journal
(the server's, the owner's) is refused before anything is read."""

from __future__ import annotations

import argparse
from pathlib import Path

import psycopg
import pytest
from psycopg import errors

from console.cli import main
from console.commands.log import open_source as log_source
from console.core.journal.postgres import PgSource
from tests.console.commands.test_log_postgres import both  # noqa: F401 — the fixture
from tests.console.core.journal.test_postgres import INSERT_ONE, pg_count
from tests.support.postgres import PgJournal

# Every test reads the events `both` forwarded to PostgreSQL as the server would.
pytestmark = pytest.mark.usefixtures("both")
SPAN = ["--since", "2026-01-05T08:00", "--until", "2026-01-05T20:00"]
CHANGES = [
    INSERT_ONE,
    "UPDATE events SET message = 'rewritten'",
    "DELETE FROM events",
    "TRUNCATE events",
]


def reader_connection(dsn: str) -> psycopg.Connection:
    """The connection `heatconsole log --db DSN` reads through (the command's own opener)."""
    src = log_source(argparse.Namespace(db=dsn, journal=None))
    assert isinstance(src, PgSource)
    return src.conn


@pytest.mark.parametrize("stmt", CHANGES)
def test_the_console_read_connection_cannot_change_the_journal(
    pg_journal: PgJournal,
    stmt: str,
) -> None:
    before = pg_count(pg_journal.admin_dsn)
    conn = reader_connection(pg_journal.reader_dsn)
    try:
        user = conn.execute("SELECT current_user").fetchone()
        assert user == (pg_journal.reader_role,)
        with pytest.raises(errors.ReadOnlySqlTransaction):  # the session is read-only ...
            conn.execute(stmt)
        conn.rollback()
        conn.execute("SET TRANSACTION READ WRITE")  # ... and lifting that gives no privilege
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(stmt)
        conn.rollback()
    finally:
        conn.close()
    assert pg_count(pg_journal.admin_dsn) == before > 0


def test_log_and_handover_read_as_the_reader_role(
    pg_journal: PgJournal, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    url = pg_journal.reader_dsn
    assert main(["log", "--db", url, "--limit", "0", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 63
    assert main(["handover", "--db", url, *SPAN, "-o", str(tmp_path / "h.html")]) == 0
    assert "alarms raised" in capsys.readouterr().out


@pytest.mark.parametrize("who", ["server", "owner"])
@pytest.mark.parametrize("command", [["log"], ["handover", *SPAN]])
def test_a_role_that_could_write_is_refused_for_reading(
    pg_journal: PgJournal, who: str, command: list[str],
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:  # fmt: skip
    dsn = pg_journal.server_dsn if who == "server" else pg_journal.admin_dsn
    out = tmp_path / "h.html"
    assert (
        main([*command, "--db", dsn, *(["-o", str(out)] if command[0] == "handover" else [])]) == 2
    )
    err = capsys.readouterr().err
    assert "reads as the reader role" in err and "may insert" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
