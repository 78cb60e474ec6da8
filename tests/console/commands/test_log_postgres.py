"""`heatconsole log` / `handover` / `log import` with `--db postgresql://…`: the same output as
from a journal file holding the same events."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from console.cli import main
from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.journal import store
from console.core.journal.pg_forward import PgForwarder
from tests.support.postgres import PgJournal

S = datetime(2026, 1, 5, 8, 0).timestamp()


def shift() -> list[JournalEvent]:
    U, A, N = AlarmState.UNACK, AlarmState.ACK, AlarmState.NORMAL
    out = []
    for i in range(60):
        key = f"jx-{i % 4:03d}/room_temp[{i % 9}]/room_low"
        out.append(JournalEvent(
            Kind.ALARM, f"{key} room LOW", time=S + 600 * i, station=key[:6], district="jianxi",
            alarm=key, point=key.split("/")[1], state=(U, A, N)[i % 3],
            priority=(Priority.MEDIUM, Priority.HIGH)[i % 2], value=17.0 + i / 100, limit=18.0,
            user="王" if i % 3 == 1 else None,
        ))  # fmt: skip
    out.append(JournalEvent(Kind.OPERATOR, "note", time=S + 3600, action="note", user="李",
                            comment="泵有异响"))  # fmt: skip
    out.append(JournalEvent(Kind.COMM, "comm failed", time=S + 7200, station="xg-002",
                            details={"status": "failed"}))  # fmt: skip
    return out


@pytest.fixture
def both(pg_journal: PgJournal, tmp_path: Path) -> tuple[str, str]:
    """(journal file, reader URL) holding the same events, forwarded as the server would."""
    path = tmp_path / "journal.sqlite"
    conn = store.connect(path, create=True)
    store.insert_events(conn, shift())
    conn.close()
    fwd = PgForwarder(path, pg_journal.server_dsn).start()
    assert fwd.flush(30)
    fwd.stop()
    return str(path), pg_journal.reader_dsn


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--format", "csv"],
        ["--format", "json", "--station", "jx-001,jx-002", "--priority", "high+"],
        ["--limit", "5", "--state", "UNACK"],
        ["--text", "ROOM low", "--since", "2026-01-05T09:00", "--until", "2026-01-05T12:00"],
        ["--text", "异响", "--format", "json"],
        ["--user", "王", "--kind", "alarm", "--limit", "0"],
    ],
)
def test_log_reads_postgres_like_a_file(
    both: tuple[str, str], args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, url = both
    assert main(["log", "--db", path, *args]) == 0
    local = capsys.readouterr()
    assert main(["log", "--db", url, *args]) == 0
    shared = capsys.readouterr()
    assert (shared.out, shared.err) == (local.out, local.err)
    assert len(local.out.splitlines()) > 1


def test_handover_reads_postgres_like_a_file(
    both: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, url = both
    span = ["--since", "2026-01-05T08:00", "--until", "2026-01-05T20:00"]
    a, b = tmp_path / "local.html", tmp_path / "shared.html"
    assert main(["handover", "--journal", path, *span, "-o", str(a)]) == 0
    assert main(["handover", "--db", url, *span, "-o", str(b)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].replace(str(a), "X") == said[1].replace(str(b), "X")
    assert "alarms raised" in said[0]

    def body(p: Path) -> str:  # the report says when it was generated: that differs
        return re.sub(r"generated [^·]*·", "", p.read_text(encoding="utf-8"))

    assert body(a) == body(b) and "泵有异响" in body(a)


def test_log_import_into_postgres_is_idempotent(
    pg_journal: PgJournal,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEATCONSOLE_CONFIG_DIR", str(tmp_path / "config"))  # signing keys
    laptop = tmp_path / "laptop.sqlite"
    conn = store.connect(laptop, create=True)
    store.insert_events(conn, shift())
    conn.close()
    bundle = tmp_path / "field.hcj"
    assert main(["log", "export", "--journal", str(laptop), "-o", str(bundle)]) == 0
    url = pg_journal.server_dsn
    assert main(["log", "import", str(bundle), "--db", url]) == 0
    out = capsys.readouterr().out
    assert ": 62 added, 0 already present — signed by trusted key" in out
    assert main(["log", "import", str(bundle), "--db", url]) == 0
    assert ": 0 added, 62 already present" in capsys.readouterr().out
    assert main(["log", "--db", pg_journal.reader_dsn, "--limit", "0", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 63


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["log", "note", "--db", "URL", "hello"], "log note works on a journal file"),
        (["log", "export", "--db", "URL", "-o", "x.hcj"], "log export works on a journal file"),
        (["log", "--db", "URL", "--journal", "j.sqlite"], "either --journal or --db"),
    ],
)
def test_what_the_shared_journal_does_not_do(
    pg_journal: PgJournal, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([pg_journal.reader_dsn if a == "URL" else a for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unreachable_database_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    from console.control_room.database_process import free_port

    for argv in (["log"], ["handover", "-o", "x.html"]):
        assert main([*argv, "--db", f"postgresql://r@127.0.0.1:{free_port()}/j"]) == 2
        err = capsys.readouterr().err
        assert "Connection refused" in err and len(err.strip().splitlines()) == 1


def test_an_address_of_another_kind_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    """`--db mysql://…` was read as a file name and said as 'no journal at mysql:/…' (one slash
    lost): now it says what --db takes."""
    for argv in (["log"], ["handover", "-o", "x.html"]):
        assert main([*argv, "--db", "mysql://r@127.0.0.1/j"]) == 2
        err = capsys.readouterr().err
        assert "--db mysql://r@127.0.0.1/j: use postgresql://" in err
        assert len(err.strip().splitlines()) == 1
