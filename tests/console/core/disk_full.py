"""Full disks for tests: a real small filesystem, and ENOSPC injected at the commit point.

`small_filesystem()` mounts a tmpfs, else a loop-mounted ext4 image; both need root (mount).
Where neither can be mounted the test is skipped with the exact reasons. `fill()` takes the
free space down with a filler file; deleting it gives it back.

`FullAtCommit` runs everywhere: a `connect` for a writer that gives real SQLite connections
whose COMMIT fails for lack of space while the modelled disk is full — the failure strikes
inside the writer's own transaction, where a real ENOSPC does (the store rolls back, the
writer retries). `ReserveDisk` models a disk where the journal's ballast is the only room.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from console.core.store_and_forward import free_bytes


def _run(*cmd: str) -> str | None:
    """None if the command worked, else why not (its own words)."""
    if shutil.which(cmd[0]) is None:
        return f"{cmd[0]} not found"
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return None if r.returncode == 0 else f"`{' '.join(cmd)}` failed: {' '.join(r.stderr.split())}"


@contextlib.contextmanager
def small_filesystem(where: Path, size: int) -> Iterator[Path]:
    """Mount a `size`-byte filesystem at where/small_fs for the duration; skip if impossible."""
    mnt = where / "small_fs"
    mnt.mkdir()
    why = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt))
    if why is not None:
        img = where / "small_fs.img"
        with img.open("wb") as f:
            f.truncate(size)
        why2 = _run("mkfs.ext4", "-q", "-F", "-m", "0", str(img)) or _run(
            "mount", "-o", "loop", str(img), str(mnt)
        )
        if why2 is not None:
            pytest.skip(f"no small real filesystem: tmpfs: {why}; loop ext4: {why2}")
    try:
        yield mnt
    finally:
        if _run("umount", str(mnt)) is not None:
            _run("umount", "-l", str(mnt))


def fill(directory: Path, leave: int = 0, name: str = "filler") -> Path:
    """Write a filler file until at most `leave` bytes are free (0: until ENOSPC)."""
    path = directory / name
    chunk = bytes(64 << 10)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
    try:
        while True:
            free = free_bytes(directory)
            if free <= leave:
                break
            try:
                os.write(fd, chunk[: max(1, min(len(chunk), free - leave))])
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                break
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


class FullAtCommit:
    """Wraps `connect`: COMMIT raises SQLITE_FULL (or OSError ENOSPC) while `blocked()`."""

    def __init__(self, connect: Callable[..., sqlite3.Connection], error: str = "sqlite") -> None:
        self.connect, self.error = connect, error
        self.full = False
        self.failures = 0

    def __call__(self, path: Path, **kw: object) -> Any:
        return _Conn(self.connect(path, **kw), self)

    def blocked(self) -> bool:
        return self.full

    def committed(self) -> None:
        """A COMMIT went through (models may count the room it took)."""

    def fail(self) -> BaseException:
        self.failures += 1
        if self.error == "oserror":
            return OSError(errno.ENOSPC, "No space left on device")
        e = sqlite3.OperationalError("database or disk is full")
        e.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
        return e


class ReserveDisk(FullAtCommit):
    """While `full`, nothing fits as long as the ballast file at `reserve` exists; once it is
    released its blocks take `room` more commits (None: enough for the whole episode)."""

    def __init__(self, connect: Callable[..., sqlite3.Connection], reserve: Path,
                 error: str = "sqlite") -> None:  # fmt: skip
        super().__init__(connect, error)
        self.reserve = reserve
        self.room: int | None = None

    def blocked(self) -> bool:
        return self.full and (self.reserve.exists() or self.room == 0)

    def committed(self) -> None:
        if self.full and self.room is not None:
            self.room -= 1

    def free(self, _: Path) -> int:
        """For the writers' `disk_free`: nothing while full, plenty otherwise."""
        return 0 if self.full else 1 << 40


class _Conn:
    def __init__(self, conn: sqlite3.Connection, disk: FullAtCommit) -> None:
        self._conn, self._disk = conn, disk

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT":
            if self._disk.blocked():
                raise self._disk.fail()
            self._disk.committed()
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class ModelDisk(FullAtCommit):
    """A disk in numbers, for both stores' `connect` and `disk_free`: each commit takes
    `commit_cost` bytes, a COMMIT that does not fit fails, and the journal's ballast file at
    `reserve` holds `reserve_size` bytes while it exists (released: they are free again)."""

    def __init__(self, connect: Callable[..., sqlite3.Connection], reserve: Path,
                 reserve_size: int, free: int, commit_cost: int = 64 << 10) -> None:  # fmt: skip
        super().__init__(connect)
        self.reserve, self.reserve_size, self.cost = reserve, reserve_size, commit_cost
        self.free_bytes = free
        self._held = False
        self._lock = threading.Lock()

    def wrap(self, connect: Callable[..., sqlite3.Connection]) -> Callable[..., Any]:
        """The same disk for another store's connect."""
        return lambda path, **kw: _Conn(connect(path, **kw), self)

    def _sync(self) -> None:
        held = self.reserve.exists()
        if held != self._held:
            self.free_bytes += -self.reserve_size if held else self.reserve_size
            self._held = held

    def blocked(self) -> bool:
        with self._lock:
            self._sync()
            return self.free_bytes < self.cost

    def committed(self) -> None:
        with self._lock:
            self.free_bytes -= self.cost

    def free(self, _: Path) -> int:
        with self._lock:
            self._sync()
            return max(0, self.free_bytes)
