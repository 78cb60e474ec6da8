"""Is the file ours? A foreign file is named for what it is, and left exactly as it was: same
bytes, same modification time, nothing created beside it (no -wal, no -shm)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from console.core.journal import store
from console.core.own_files import foreign_reason

SECRET = "root:$6$pepper$notforyoureyes:19000:0:99999:7:::\n"


def _text(p: Path) -> None:
    p.write_text(SECRET, encoding="utf-8")


def _empty(p: Path) -> None:
    p.touch()


def _sqlite(journal_mode: str, tables: bool) -> Callable[[Path], None]:
    def make(p: Path) -> None:
        with contextlib.closing(sqlite3.connect(p)) as db:
            db.execute(f"PRAGMA journal_mode = {journal_mode}")
            if tables:
                db.execute("CREATE TABLE shadow (name TEXT, hash TEXT)")
                db.execute("INSERT INTO shadow VALUES ('root', 'notforyoureyes')")
            else:
                db.execute("VACUUM")  # a database file with nothing in it
            db.commit()

    return make


def _history(p: Path) -> None:  # ours, but another kind of file
    from console.core.history.store import connect

    connect(p, create=True).close()


FOREIGN = {
    "text": (_text, "not an SQLite file"),
    "empty file": (_empty, "an empty file"),
    "sqlite": (_sqlite("delete", True), "an SQLite database of something else"),
    "sqlite wal": (_sqlite("wal", True), "an SQLite database of something else"),
    "sqlite, no table": (_sqlite("delete", False), "an SQLite database with nothing in it"),
    "history store": (_history, "an SQLite database of something else"),
}


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.parametrize("kind", FOREIGN)
def test_a_foreign_file_is_named_and_left_alone(kind: str, tmp_path: Path) -> None:
    make, said = FOREIGN[kind]
    path = tmp_path / "journal.sqlite"
    make(path)
    before = _snapshot(tmp_path)
    reason = foreign_reason(path, "journal_meta", store.MAGIC, what="heatconsole journal")
    assert reason is not None and said in reason and str(path) in reason
    assert not any(w in reason for w in ("notforyoureyes", "pepper", "shadow"))
    with pytest.raises(store.JournalError, match="not a heatconsole journal"):
        store.connect(path, create=True)  # SQLite never sees it
    with pytest.raises(store.JournalError):
        store.check_writable(path)
    assert _snapshot(tmp_path) == before


def test_what_is_not_a_file(tmp_path: Path) -> None:
    reason = foreign_reason(tmp_path, "journal_meta", store.MAGIC, what="heatconsole journal")
    assert reason == f"{tmp_path} is a folder, not a heatconsole journal file"
    reason = foreign_reason("/dev/null", "journal_meta", store.MAGIC, what="heatconsole journal")
    assert reason == "/dev/null is not a regular file, so not a heatconsole journal"
    under_a_file = tmp_path / "f"
    under_a_file.write_text("x")
    reason = foreign_reason(under_a_file / "j.sqlite", "m", "x", what="heatconsole journal")
    assert reason is not None and "cannot look at it" in reason


def test_ours_and_not_yet_there_pass(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    assert foreign_reason(path, "journal_meta", store.MAGIC, what="j") is None  # to be made
    conn = store.connect(path, create=True)  # open: its schema only in the WAL so far
    try:
        assert os.path.exists(f"{path}-wal")
        assert foreign_reason(path, "journal_meta", store.MAGIC, what="j") is None
    finally:
        conn.close()
    assert not os.path.exists(f"{path}-wal")
    assert foreign_reason(path, "journal_meta", store.MAGIC, what="j") is None


def test_a_journal_that_could_not_be_made_leaves_nothing_to_refuse(tmp_path: Path) -> None:
    """Made on a full disk, a new journal failed before SQLite wrote its header: the empty file
    it left was refused as not ours at every retry, so the writer never recovered once space
    came back. A failed creation now takes its half-made file with it."""
    from tests.console.core.disk_full import fill, small_filesystem

    with small_filesystem(tmp_path, 4 << 20) as mnt:
        path = mnt / "journal.sqlite"
        filler = fill(mnt)
        with pytest.raises(sqlite3.OperationalError, match="full"):
            store.connect(path, create=True)
        assert list(mnt.iterdir()) == [filler]
        filler.unlink()
        store.connect(path, create=True).close()  # space is back: made
        assert foreign_reason(path, "journal_meta", store.MAGIC, what="j") is None
