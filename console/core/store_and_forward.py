"""What the journal and history writers share: store-and-forward on a local SQLite file.

Both keep accepted records in memory until their transaction commits, and retry with backoff
when the disk is full, locked, read-only or gone. These are the pieces of that policy which
must not drift apart between the two.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Errors worth retrying: the disk may come back (space freed, lock released, remounted).
TRANSIENT_MARKERS = ("locked", "busy", "full", "readonly", "unable to open", "disk i/o", "moved")


class FileMoved(sqlite3.OperationalError):
    """The path no longer names the file we wrote to (deleted, renamed, directory removed).

    SQLite happily commits into an unlinked file; those rows would vanish, so the writer
    checks after each commit and keeps the batch for a retry (ids make the retry idempotent).
    """


def is_transient(e: BaseException) -> bool:
    return isinstance(e, OSError) or any(w in str(e).lower() for w in TRANSIENT_MARKERS)


MIB = 1 << 20
# OS errors that mean "no space left" (a quota counts: the console cannot write either way).
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
# SQLite says "disk I/O error" rather than "full" when ENOSPC hits some paths (the -shm file,
# an fsync): with less than this free, such an error counts as a full disk too.
NEARLY_FULL_BYTES = MIB


class DiskShort(OSError):
    """The free space on a store's filesystem is below what the store may use."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.ENOSPC, message)

    def __str__(self) -> str:
        return str(self.strerror)


def free_bytes(path: str | os.PathLike[str]) -> int:
    """Bytes an unprivileged writer may still use on the filesystem holding `path` (a file or
    directory; the nearest existing parent counts). Unknown (nothing there): a huge number, so a
    vanished directory shows up as the write error it causes, not as a full disk."""
    p = Path(path)
    for d in (p, *p.parents):
        try:
            st = os.statvfs(d)
        except OSError:
            continue
        return st.f_bavail * st.f_frsize
    return 1 << 62


def same_filesystem(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Do `a` and `b` (files or the directories they would be made in) share a filesystem?"""

    def dev(p: Path) -> int | None:
        for d in (p, *p.parents):
            try:
                return os.stat(d).st_dev
            except OSError:
                continue
        return None

    da, db = dev(Path(a)), dev(Path(b))
    return da is not None and da == db


def is_disk_full(e: BaseException, free: int | None = None) -> bool:
    """Did this write fail for lack of space (ENOSPC, quota, SQLITE_FULL)? With `free` (bytes
    free now), an I/O error on a (nearly) full filesystem counts as well."""
    if isinstance(e, OSError) and e.errno in DISK_FULL_ERRNOS:
        return True
    if isinstance(e, sqlite3.Error):
        code = getattr(e, "sqlite_errorcode", None)
        if code is not None and code & 0xFF == sqlite3.SQLITE_FULL:
            return True
        text = str(e).lower()
        if "disk is full" in text:
            return True
        io = (code is not None and code & 0xFF == sqlite3.SQLITE_IOERR) or "disk i/o" in text
        return io and free is not None and free < NEARLY_FULL_BYTES
    return False


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`, None if there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def wait_backoff(
    cond: threading.Condition,
    delay: float,
    *,
    closing: Callable[[], bool],
    give_up: Callable[[], bool],
) -> None:
    """Back off for `delay` s, but wake at once for close(); while closing, retry promptly
    (close(timeout) bounds the total wait). Call with `cond` held."""
    deadline = time.monotonic() + delay
    while not give_up() and not closing():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        cond.wait(left)
    if not give_up():
        cond.wait(min(delay, 0.2))


class WriterThreadMixin:
    """The writer thread both store-and-forward writers run, and its plumbing.

    `_run` is the one batching loop: wait until a batch is due (window `batch_s` since the
    oldest pending record, a full batch, a flush() or close()) or maintenance is due; take the
    batch (records stay in `_buf`); write it in one transaction; on success `_on_success`
    drops it from the buffer, on a failure `_on_failure` says why and the loop backs off and
    retries the same records (at once, without backing off, when `_on_failure` returns True:
    it made room, e.g. released a disk reserve); then one bounded step of maintenance.

    The writer provides the state (`_cond`, `_conn`, `_buf`, `_first_at`, `batch_s`, ...) and
    the hooks: `_write`, `_on_success`, `_on_failure`, `_maintenance_due`, `_maintain`,
    `_status_locked`, `_marks`; optionally `_batch_full` and `_take_batch`.
    """

    _cond: threading.Condition
    _conn: sqlite3.Connection | None
    _closing: bool
    _give_up: bool
    _last_published: object
    _on_status: Callable[[Any], None] | None
    _thread: threading.Thread
    _buf: Any  # the records accepted and not yet committed, oldest first
    _first_at: float  # monotonic time the oldest pending record arrived
    _urgent: int  # flush() callers waiting: the writer skips its batching window
    _backoff: tuple[float, float]  # first and longest retry delay, s
    _write_errors: tuple[type[BaseException], ...]  # what a write may raise and be retried
    batch_s: float  # batching window, s

    def _status_locked(self) -> Any:
        raise NotImplementedError

    def _marks(self) -> tuple[int, int]:
        """(last accepted, last committed) sequence numbers; call with `_cond` held."""
        raise NotImplementedError

    # ---- the writer thread -------------------------------------------------------------------

    def _run(self) -> None:
        delay = self._backoff[0]
        while True:
            with self._cond:
                while True:
                    if self._give_up or (self._closing and not self._buf):
                        self._finish()
                        return
                    if self._buf and self._batch_due():
                        break
                    if self._maintenance_due():
                        break
                    # Wake for the end of the batching window, and at least every second to
                    # look at maintenance (submit, flush and close notify in between).
                    left = self.batch_s - (time.monotonic() - self._first_at)
                    look = max(0.001, min(1.0, self._maintenance_in()))
                    self._cond.wait(min(left, look) if self._buf else look)
                batch = self._take_batch() if self._buf and self._batch_due() else []
            self._publish()
            if batch:
                try:
                    self._write(batch)
                except self._write_errors as e:
                    if self._on_failure(e):
                        continue  # the failure was dealt with (room made): retry now
                    self._sleep(delay)
                    delay = min(delay * 2, self._backoff[1])
                    continue
                delay = self._backoff[0]
                self._on_success(batch)
            if not self._closing:
                self._maintain()

    def _batch_due(self) -> bool:
        """Write what is buffered now? Call with `_cond` held and `_buf` not empty."""
        return bool(
            self._batch_full()
            or self._urgent
            or self._closing
            or time.monotonic() - self._first_at >= self.batch_s
        )

    def _batch_full(self) -> bool:
        """Enough pending for a batch without waiting out the window (lock held)."""
        return False

    def _take_batch(self) -> list[Any]:
        """The records of the next transaction, oldest first, left in `_buf` (lock held)."""
        return list(self._buf)

    def _write(self, batch: list[Any]) -> None:
        """Write `batch` in one transaction; raise one of `_write_errors` to retry it."""
        raise NotImplementedError

    def _on_success(self, batch: list[Any]) -> None:
        """`batch` is committed: drop it from `_buf` (and say so)."""
        raise NotImplementedError

    def _on_failure(self, e: BaseException) -> bool | None:
        """A write failed: the batch stays buffered; record why. True: retry at once."""
        raise NotImplementedError

    def _maintenance_due(self) -> bool:
        """Housekeeping (retention, compaction) to do now? Call with `_cond` held."""
        raise NotImplementedError

    def _maintenance_in(self) -> float:
        """Seconds until maintenance may be due (the loop looks at least every second);
        call with `_cond` held."""
        return 1.0

    def _maintain(self) -> None:
        """One bounded step of housekeeping if due (checks again itself); never raises for a
        failing disk: the next write shows it."""
        raise NotImplementedError

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything submitted so far is committed; False on timeout."""
        with self._cond:
            target = self._marks()[0]
            self._urgent += 1
            self._cond.notify_all()
            try:
                return self._cond.wait_for(
                    lambda: self._marks()[1] >= target or self._give_up, timeout
                ) and (self._marks()[1] >= target)
            finally:
                self._urgent -= 1

    def close(self, timeout: float | None = 10.0) -> bool:
        """Stop accepting, write what is buffered (up to `timeout`), stop the thread.

        Returns False if records were still unwritten when the timeout ran out; they are then
        lost with the process, and the status says how many.
        """
        with self._cond:
            if self._closing and not self._thread.is_alive():
                return not self._buf
            self._closing = True
            self._cond.notify_all()
        self._thread.join(timeout)
        with self._cond:
            self._give_up = True
            self._cond.notify_all()
        self._thread.join()
        return not self._buf

    def status(self) -> Any:
        with self._cond:
            return self._status_locked()

    def _publish(self) -> None:
        """Tell the status listener, only when the status changed."""
        with self._cond:
            st = self._status_locked()
        if st != self._last_published:
            self._last_published = st
            if self._on_status:
                self._on_status(st)

    def _sleep(self, delay: float) -> None:
        with self._cond:
            wait_backoff(
                self._cond, delay, closing=lambda: self._closing, give_up=lambda: self._give_up
            )

    def _finish(self) -> None:
        """Called with the lock held, on the writer thread, as it exits."""
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        self._give_up = True
        self._cond.notify_all()


@contextlib.contextmanager
def closed_on_failure(
    conn: sqlite3.Connection, not_ours: Callable[[str], Exception], what: str
) -> Iterator[sqlite3.Connection]:
    """Preparing a freshly opened file: on any failure close the connection; a file SQLite
    cannot read at all becomes `not_ours("<what> (<reason>)")`, a clear message, not a
    DatabaseError from deep inside."""
    try:
        yield conn
    except sqlite3.DatabaseError as e:
        conn.close()
        if "not a database" in str(e) or "malformed" in str(e):
            raise not_ours(f"{what} ({e})") from e
        raise
    except BaseException:
        conn.close()
        raise
