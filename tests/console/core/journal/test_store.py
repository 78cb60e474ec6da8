"""The journal file: schema, settings, round trip, refusal of foreign files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.journal import store


def test_schema_settings_and_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    conn = store.connect(path, create=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # INCREMENTAL
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {name for name, _, _ in store.INDEXES} <= indexes
    assert store.get_meta(conn)["schema_version"] == str(store.SCHEMA_VERSION)

    e = JournalEvent(
        Kind.ALARM, "室温 17.2 °C < 18", station="jx-001", district="jianxi",
        point="room_temp[3]", alarm="jx-001/room_temp[3]/room_low", priority=Priority.MEDIUM,
        state=AlarmState.UNACK, value=17.2, limit=18.0, details={"rooms": [1, 2]},
    )  # fmt: skip
    plain = JournalEvent(Kind.SYSTEM, "start")
    assert store.insert_events(conn, [e, plain]) == 2
    assert store.insert_events(conn, [e]) == 0  # same id: ignored
    rows = conn.execute(f"SELECT {store.SELECT_COLUMNS} FROM events ORDER BY time").fetchall()
    assert [store.event_from_row(r) for r in rows] == [e, plain]
    conn.close()
    # Reopening an existing journal works without create.
    store.connect(path).close()


def test_refuses_missing_foreign_and_newer(tmp_path: Path) -> None:
    with pytest.raises(store.JournalError, match="no journal"):
        store.connect(tmp_path / "none.sqlite")
    text = tmp_path / "notes.txt"
    text.write_text("hello " * 1000)
    with pytest.raises(store.JournalError, match="not a heatconsole journal"):
        store.connect(text)
    other = tmp_path / "other.sqlite"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE x (a)")
    c.commit()
    c.close()
    with pytest.raises(store.JournalError, match="not a heatconsole journal"):
        store.connect(other, create=True)  # never adopts someone else's database
    newer = tmp_path / "newer.sqlite"
    conn = store.connect(newer, create=True)
    store.set_meta(conn, {"schema_version": str(store.SCHEMA_VERSION + 1)})
    conn.close()
    with pytest.raises(store.JournalError, match="newer heatconsole"):
        store.connect(newer)


def test_migration_hook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "j.sqlite"
    conn = store.connect(path, create=True)
    store.set_meta(conn, {"schema_version": "0"})
    conn.close()
    ran: list[int] = []
    monkeypatch.setitem(store.MIGRATIONS, 0, lambda c: ran.append(0))
    conn = store.connect(path)
    assert ran == [0] and store.get_meta(conn)["schema_version"] == str(store.SCHEMA_VERSION)
    conn.close()


def test_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HEATCONSOLE_JOURNAL", str(tmp_path / "x.sqlite"))
    assert store.default_journal_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("HEATCONSOLE_JOURNAL")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert store.default_journal_path() == tmp_path / ".local/share/heatconsole/journal.sqlite"


def test_text_utf8_cannot_carry_is_stored_as_its_escape(tmp_path: Path) -> None:
    """A lone surrogate (a non-UTF-8 byte of a command-line argument under surrogateescape, a
    `\\udXXX` escape in imported JSON) made SQLite's binding raise UnicodeEncodeError: the
    whole batch failed, on the journal writer's thread for good. Such text is stored as its
    visible escape; the rest of the batch as it is."""
    conn = store.connect(tmp_path / "j.sqlite", create=True)
    bad = JournalEvent(
        Kind.OPERATOR, "note \udcff", user="bob\udcff (local)", action="note",
        details={"from": "\ud800"},
    )  # fmt: skip
    good = [JournalEvent(Kind.SYSTEM, f"plain {i}") for i in range(3)]
    assert store.insert_events(conn, [good[0], bad, *good[1:]]) == 4
    assert store.insert_events(conn, [bad]) == 0  # same id: still ignored
    rows = conn.execute(f"SELECT {store.SELECT_COLUMNS} FROM events ORDER BY time").fetchall()
    got = {e.id: e for e in map(store.event_from_row, rows)}
    assert [got[e.id] for e in good] == good
    kept = got[bad.id]
    assert (kept.message, kept.user) == ("note \\udcff", "bob\\udcff (local)")
    assert kept.details == {"from": "\ud800"}  # the JSON escape, read back as JSON
    conn.close()


def test_check_writable_refuses_a_read_only_place(tmp_path: Path) -> None:
    """A journal of ours on a filesystem mounted read-only, and a new one in a read-only folder:
    refused by name before anything runs (root passes permission bits; EROFS still says no)."""
    import subprocess

    from tests.console.core.disk_full import small_filesystem

    with small_filesystem(tmp_path, 4 << 20) as mnt:
        ours = mnt / "journal.sqlite"
        store.check_writable(ours)  # made, and closed again
        assert ours.is_file() and not Path(f"{ours}-wal").exists()
        r = subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True)
        if r.returncode != 0:
            pytest.skip(f"cannot remount read-only: {r.stderr.decode().strip()}")
        before = ours.read_bytes(), ours.stat().st_mtime_ns
        with pytest.raises(store.JournalError, match=r"not writable \(a read-only file"):
            store.check_writable(ours)
        with pytest.raises(store.JournalError, match=f"{mnt}: not writable"):
            store.check_writable(mnt / "new.sqlite")
        assert (ours.read_bytes(), ours.stat().st_mtime_ns) == before
        assert sorted(p.name for p in mnt.iterdir()) == ["journal.sqlite"]
