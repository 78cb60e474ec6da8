"""Is the file at a journal or history path ours? Asked before SQLite opens it.

SQLite opens whatever it is given. A file of another kind fails only at the first read; an
empty file, or an SQLite database with no table in it, became ours at the first write (our
schema written into it); another program's WAL-mode database got -wal and -shm files beside it
even when opened read-only. `--journal /etc/shadow` then ran on with a failed journal. So
before any connect: the file's first bytes, and for an SQLite file its schema and magic read
through an immutable view (no lock taken, nothing created or written). The reasons say what
the file is, never what it holds.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


def foreign_reason(
    path: str | os.PathLike[str], meta_table: str, magic: str, *, what: str
) -> str | None:
    """Why the file at `path` is not one of ours to open, in one short line; None if it is
    ours, or there is nothing at `path` yet (it will be created). `meta_table`/`magic`: where
    our files say what they are ("journal_meta", "heatconsole-journal"); `what`: its name in
    the reason ("heatconsole journal")."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        return None
    except OSError as e:
        return f"{p}: cannot look at it ({e.strerror or e})"
    if stat.S_ISDIR(st.st_mode):
        return f"{p} is a folder, not a {what} file"
    if not stat.S_ISREG(st.st_mode):
        return f"{p} is not a regular file, so not a {what}"
    try:
        with open(p, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as e:
        return f"{p}: cannot read it ({e.strerror or e})"
    wal_beside = Path(f"{p}-wal").exists()  # ours being created: its schema still in the WAL
    if not head and not wal_beside:
        return f"{p} is an empty file, not a {what} (remove it or give another file)"
    if head and head != SQLITE_HEADER:
        return f"{p} is not a {what} (not an SQLite file)"
    if not head:
        return None
    try:
        tables, found = _schema_and_magic(p, meta_table)
    except sqlite3.Error:
        # A checkpoint running as we read may show a torn page: the WAL's owner is a live
        # SQLite writer, and connect() sees the whole file. Without one the file is damaged.
        return None if wal_beside else f"{p} is not a {what} (an unreadable SQLite file)"
    if found == magic:
        return None
    if tables:
        return f"{p} is not a {what} (an SQLite database of something else)"
    if wal_beside:
        return None
    return f"{p} is not a {what} (an SQLite database with nothing in it)"


@contextlib.contextmanager
def whole_or_not_at_all(path: str | os.PathLike[str], create: bool) -> Iterator[None]:
    """Making a new file: if that fails (a full disk before SQLite wrote its header or our
    schema, a stop signal), the half-made file goes again with its -wal/-shm. Left, it would be
    refused as not ours at the next try (an empty file, a database with nothing in it)."""
    p = Path(path)
    made = create and not p.exists()
    try:
        yield
    except BaseException:
        if made:
            for f in (p, Path(f"{p}-wal"), Path(f"{p}-shm")):
                with contextlib.suppress(OSError):
                    f.unlink()
        raise


def _schema_and_magic(p: Path, meta_table: str) -> tuple[set[str], str | None]:
    """The main file's table names and its meta table's magic (None: no such row)."""
    # immutable=1: no lock, no -wal/-shm, no write; the main file only, as it is on disk.
    conn = sqlite3.connect(f"{p.absolute().as_uri()}?immutable=1", uri=True)
    try:
        names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        tables = {str(n) for (n,) in names}
        if meta_table not in tables:
            return tables, None
        row = conn.execute(f"SELECT value FROM {meta_table} WHERE key = 'magic'").fetchone()
        return tables, None if row is None else str(row[0])
    finally:
        conn.close()
