"""What counts as a full disk, and where free space is measured."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from console.core.store_and_forward import (
    MIB,
    DiskShort,
    free_bytes,
    is_disk_full,
    is_transient,
    same_filesystem,
)


def real_sqlite_full(tmp_path: Path) -> sqlite3.OperationalError:
    """SQLite's own SQLITE_FULL (a page limit stands in for the disk)."""
    conn = sqlite3.connect(tmp_path / "f.sqlite")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    try:
        conn.execute("INSERT INTO t VALUES (?)", (b"x" * 100_000,))
    except sqlite3.OperationalError as e:
        return e
    finally:
        conn.close()
    raise AssertionError("no SQLITE_FULL")


def test_disk_full_errors(tmp_path: Path) -> None:
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert is_disk_full(DiskShort("2 MB free")) and str(DiskShort("2 MB free")) == "2 MB free"
    assert is_disk_full(real_sqlite_full(tmp_path))
    assert not is_disk_full(OSError(errno.EROFS, "Read-only file system"))
    assert not is_disk_full(sqlite3.OperationalError("database is locked"))
    io = sqlite3.OperationalError("disk I/O error")
    assert is_disk_full(io, free=1000) and not is_disk_full(io, free=100 * MIB)
    assert is_transient(io)


def test_free_space_of_a_path_not_made_yet(tmp_path: Path) -> None:
    later = tmp_path / "not" / "yet" / "journal.sqlite"
    assert (
        free_bytes(later) == free_bytes(tmp_path)
        or abs(free_bytes(later) - free_bytes(tmp_path)) < 64 * MIB
    )  # the same filesystem, read twice (others write meanwhile)
    assert same_filesystem(later, tmp_path / "history.sqlite")
