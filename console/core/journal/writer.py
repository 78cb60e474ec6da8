"""The journal's single writer thread: batched transactions, store-and-forward buffering.

`submit()` appends to an in-memory FIFO under a short lock and returns at once (the GUI thread
and the poller never wait on the disk). The writer thread takes up to `batch_size` events, or
whatever arrived within `batch_ms` of the first, and commits them in one transaction. Only after
the COMMIT returns are they removed from the FIFO (Ignition store-and-forward): when the disk is
full, the file locked, read-only or gone, the events stay buffered, the status says so, and the
writer retries with backoff, reopening the file each time.

A full disk: the journal holds a reserve (disk_reserve.py), a ballast file beside it that it
releases when a commit fails for lack of space, and retries at once: it keeps committing
through the episode while the history (which pauses at its own free-space threshold) writes
nothing. Once the buffer is empty and the space is back, the ballast is re-created. Each step
is a SYSTEM record; the status says when the journal is on its reserve. The ballast is made at
start and given back at close.

The FIFO is bounded (`max_buffer`). When it is full, *new* events are refused: nothing already
accepted is ever discarded, every refusal is counted, and SYSTEM events record when dropping
began and, once the journal is writable again, how many were dropped of which kind.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from pathlib import Path

from console.core.disk_reserve import DEFAULT_RESERVE_BYTES, DiskReserve
from console.core.events import JournalEvent, Kind, Priority
from console.core.journal import store
from console.core.journal.retention import RetentionPolicy, apply_retention
from console.core.status_words import Words
from console.core.store_and_forward import (
    MIB,
    FileMoved,
    WriterThreadMixin,
    file_identity,
    free_bytes,
    is_disk_full,
    is_transient,
)

log = logging.getLogger(__name__)


def rescue_dirs_for(path: str | os.PathLike[str]) -> list[Path]:
    """Where a closing writer saves what it could not write, first choice first: beside the
    journal (space may be back), the default journal folder, the temporary folder."""
    dirs = [Path(path).parent, store.default_journal_path().parent, Path(tempfile.gettempdir())]
    return list(dict.fromkeys(dirs))


class WriterState(StrEnum):
    WRITING = "writing"  # healthy: buffer empty or draining
    BUFFERING = "buffering"  # writes fail for a reason that may pass; holding events in memory
    FAILED = "failed"  # dropping events (buffer full) or the file is not a usable journal
    PAUSED = "paused"  # (history only) not writing on purpose: its disk is short
    CLOSED = "closed"


@dataclass(frozen=True)
class WriterStatus:
    state: WriterState
    pending: int  # accepted, not yet committed
    committed: int  # committed by this writer since it started
    dropped: int  # refused because the buffer was full
    reason: str | None = None  # the last write error while buffering/failed
    since: float | None = None  # wall time the current problem began
    reserve_size: int = 0  # bytes of disk reserve configured (0: none)
    reserve_held: int = 0  # bytes the reserve holds now
    reserve_note: str | None = None  # why the reserve is not held (a `Words`: released, no space)

    @property
    def reserve_missing(self) -> bool:
        """Configured but not held: released in a disk-full episode, or no room to make it."""
        return self.reserve_size > 0 and self.reserve_held < self.reserve_size

    def describe(self) -> Words:
        """One line for a status bar: English that carries its code (core/status_words.py)."""
        if self.state is WriterState.CLOSED:
            return Words("journal_closed", pending=self.pending)
        if self.state is WriterState.WRITING:
            if self.reserve_missing:
                note = self.reserve_note or Words("reserve_not_held")
                return Words("journal_writing_reserve", committed=self.committed, note=note)
            return Words("journal_writing", committed=self.committed)
        code = f"journal_{self.state}" + ("_dropped" if self.dropped else "")
        return Words(code, pending=self.pending, reason=self.reason, dropped=self.dropped)


class JournalWriter(WriterThreadMixin):
    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        batch_size: int = 5000,
        batch_ms: float = 200.0,
        max_buffer: int = 200_000,
        synchronous: str = "FULL",
        busy_timeout_ms: int = 1000,
        backoff: tuple[float, float] = (0.25, 30.0),
        retention: RetentionPolicy | None = None,
        retention_every_s: float = 600.0,
        create_dirs: bool = True,
        on_status: Callable[[WriterStatus], None] | None = None,
        on_commit: Callable[[Sequence[JournalEvent]], None] | None = None,
        connect: Callable[..., sqlite3.Connection] = store.connect,
        reserve_bytes: int = DEFAULT_RESERVE_BYTES,
        reserve_headroom: int | None = None,
        reserve_check_s: float = 1.0,
        reserve_verify_s: float = 30.0,
        disk_free: Callable[[Path], int] = free_bytes,
        rescue_dirs: Sequence[Path] | None = None,
    ) -> None:
        """`reserve_bytes`: the ballast kept beside the journal for a disk-full episode (0:
        none); it is re-created once `reserve_headroom` bytes (default a quarter of it) would
        stay free besides it, looked at every `reserve_check_s`; a held one is checked to be
        still there (not deleted by hand) every `reserve_verify_s`. `rescue_dirs`: where
        `close` saves what it could not write (default `rescue_dirs_for(path)`)."""
        self.path = Path(path)
        self.rescue_dirs = list(rescue_dirs) if rescue_dirs is not None else rescue_dirs_for(path)
        self.rescued: Path | None = None  # where close() saved the unwritten events, if it had to
        self._foreign = False  # the last failure: the file is no journal (its folder not ours)
        self.batch_size = batch_size
        self.batch_s = batch_ms / 1000
        self.max_buffer = max_buffer
        self._sync = synchronous
        self._busy_ms = busy_timeout_ms
        self._backoff = backoff
        self._retention = retention
        self._retention_every = retention_every_s
        self._on_status = on_status
        self._on_commit = on_commit
        self._connect = connect
        if create_dirs:  # only at start: never recreate a vanished (e.g. unmounted) directory
            self.path.parent.mkdir(parents=True, exist_ok=True)

        self._cond = threading.Condition()
        self._buf: deque[JournalEvent] = deque()
        self._accepted = 0  # sequence number of the last accepted event
        self._committed = 0  # sequence number of the last committed event (FIFO order)
        self._first_at = 0.0  # monotonic time the oldest pending event arrived
        self._urgent = 0  # flush() callers waiting: skip the batching window
        self._closing = False
        self._give_up = False
        self._dropped = 0
        self._dropped_unreported: Counter[str] = Counter()
        self._drop_span: tuple[float, float] | None = None
        self._state = WriterState.WRITING
        self._reason: str | None = None
        self._since: float | None = None
        self._last_published: WriterStatus | None = None
        self._conn: sqlite3.Connection | None = None
        self._ident: tuple[int, int] | None = None
        self._more_retention = False
        self._next_retention = time.monotonic() + min(5.0, retention_every_s)
        self._disk_free = disk_free
        self._disk_full = False  # the last failure was a full disk (history yields to us)
        self.reserve = (
            DiskReserve(self.path.with_name(self.path.name + ".reserve"), reserve_bytes)
            if reserve_bytes > 0
            else None
        )
        self._reserve_headroom = (
            reserve_bytes // 4 if reserve_headroom is None else reserve_headroom
        )
        self._reserve_every = reserve_check_s
        self._reserve_verify = reserve_verify_s
        self._reserve_held = 0
        self._reserve_note: str | None = None
        self._reserve_gone_since: float | None = None  # wall time it was released / found short
        self._reserve_no_space = False  # ... for lack of space (not, say, a read-only folder)
        self._next_reserve = time.monotonic() + reserve_verify_s
        if self.reserve is not None:
            self._make_reserve(at_start=True)
            if self._reserve_gone_since is not None:
                self._next_reserve = time.monotonic() + reserve_check_s
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._thread.start()

    # ---- caller side (any thread) -------------------------------------------------------------

    def submit(self, event: JournalEvent) -> bool:
        """Queue an event; never blocks on I/O. False if refused because the buffer is full."""
        with self._cond:
            if self._closing:
                raise RuntimeError("journal writer is closed")
            if len(self._buf) >= self.max_buffer:
                self._refuse(event)
                return False
            self._append(event)
            return True

    def submit_many(self, events: Sequence[JournalEvent]) -> int:
        """Queue several events under one lock; returns how many were accepted."""
        accepted = 0
        with self._cond:
            if self._closing:
                raise RuntimeError("journal writer is closed")
            for e in events:
                if len(self._buf) >= self.max_buffer:
                    self._refuse(e)
                else:
                    self._append(e)
                    accepted += 1
        return accepted

    @property
    def pending(self) -> int:
        return len(self._buf)

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- internals (lock held) ----------------------------------------------------------------

    def _append(self, event: JournalEvent) -> None:
        if not self._buf:
            self._first_at = time.monotonic()
        self._buf.append(event)
        self._accepted += 1
        if len(self._buf) == 1 or len(self._buf) >= self.batch_size:
            self._cond.notify_all()

    def _refuse(self, event: JournalEvent) -> None:
        if not self._dropped_unreported:
            self._append(  # past the bound on purpose: the record must say when dropping began
                self._system(
                    Words("journal_buffer_full", max=self.max_buffer),
                    priority=Priority.HIGH,
                    action="buffer_full",
                )
            )
            self._state = WriterState.FAILED
            self._cond.notify_all()
        self._dropped += 1
        self._dropped_unreported[str(event.kind)] += 1
        first = self._drop_span[0] if self._drop_span else event.time
        self._drop_span = (first, event.time)

    def _marks(self) -> tuple[int, int]:
        return self._accepted, self._committed

    def _status_locked(self) -> WriterStatus:
        state = WriterState.CLOSED if self._give_up else self._state
        return WriterStatus(
            state, len(self._buf), self._committed, self._dropped, self._reason, self._since,
            self.reserve.size if self.reserve else 0, self._reserve_held, self._reserve_note,
        )  # fmt: skip

    def disk_short(self) -> Words | None:
        """Why the journal's disk is short now (None: it is not): its reserve is released or
        could not be made, or its last write failed for lack of space. A store on the same
        filesystem yields to the journal while this is not None."""
        with self._cond:
            if self._disk_full:
                return Words("journal_cannot_write", reason=self._reason)
            if self._reserve_no_space:
                note = self._reserve_note or Words("reserve_not_held")
                return Words("journal_reserve_is", note=note)
            return None

    @staticmethod
    def _system(message: Words, **kw: object) -> JournalEvent:
        return JournalEvent(Kind.SYSTEM, message, **kw)  # type: ignore[arg-type]

    # ---- writer thread ------------------------------------------------------------------------

    # The loop itself is WriterThreadMixin._run; these are the journal's hooks.
    _write_errors = (sqlite3.Error, OSError, store.JournalError)

    def _batch_full(self) -> bool:
        return len(self._buf) >= self.batch_size

    def _take_batch(self) -> list[JournalEvent]:
        return list(islice(self._buf, self.batch_size))

    def _maintenance_due(self) -> bool:
        return self._retention_due() or self._reserve_due()

    def _retention_due(self) -> bool:
        # Retention only while nothing waits to be written: events come first.
        return bool(not self._buf and self._retention and time.monotonic() >= self._next_retention)

    def _reserve_due(self) -> bool:
        # Looked at often while it is missing, now and then while held (deleted by hand?);
        # the ballast comes back only once every buffered event is committed.
        return bool(
            self.reserve is not None and not self._buf and time.monotonic() >= self._next_reserve
        )

    def _maintenance_in(self) -> float:
        if self.reserve is not None and not self._buf:
            return self._next_reserve - time.monotonic()
        return 1.0

    def _maintain(self) -> None:
        with self._cond:
            retention, reserve = self._retention_due(), self._reserve_due()
        if reserve:
            self._make_reserve()
            missing = self._reserve_gone_since is not None
            wait = self._reserve_every if missing else self._reserve_verify
            self._next_reserve = time.monotonic() + wait
        if retention:
            self._run_retention()
            wait = 1.0 if self._more_retention else self._retention_every
            self._next_retention = time.monotonic() + wait

    def _make_reserve(self, at_start: bool = False) -> None:
        """Create the ballast if the disk has room for it and some headroom; say so."""
        assert self.reserve is not None
        r = self.reserve
        free = self._disk_free(self.path.parent) + r.held()
        note: Words | None = None
        no_space = True
        if r.full:
            pass
        elif free < r.size + self._reserve_headroom:
            note = Words("reserve_no_room", free=f"{free / MIB:.1f}", size=f"{r.size / MIB:.0f}")
        else:
            try:
                r.ensure()
            except OSError as e:
                note = Words("reserve_not_made", error=str(e.strerror or e))
                no_space = is_disk_full(e)
        self._reserve_held = r.held()
        with self._cond:
            if note is None:
                if self._reserve_gone_since is not None:
                    self._append(
                        self._system(
                            Words(
                                "journal_reserve_restored",
                                size=f"{r.size / MIB:.0f}",
                                seconds=f"{time.time() - self._reserve_gone_since:.0f}",
                            ),
                            action="journal_reserve_restored",
                            details={"path": str(r.path), "bytes": r.size},
                        )
                    )
                self._reserve_gone_since, self._reserve_note = None, None
                self._reserve_no_space = False
            else:
                if self._reserve_gone_since is None:
                    self._reserve_gone_since = time.time()
                    self._append(
                        self._system(
                            Words("journal_reserve_short", note=note),
                            priority=Priority.HIGH,
                            action="journal_reserve_short",
                            details={"path": str(r.path), "bytes": r.size, "free": free},
                        )
                    )
                # A reserve released in an episode keeps saying so until it is back.
                if not (self._reserve_note or "").startswith("released"):
                    self._reserve_note, self._reserve_no_space = note, no_space
        if not at_start:
            self._publish()

    def _release_reserve(self, reason: str) -> bool:
        """A commit failed for lack of space: free the ballast so the retry has room."""
        if self.reserve is None or self.reserve.held() == 0:
            return False
        freed = self.reserve.release()
        self._reserve_held = self.reserve.held()
        with self._cond:
            self._reserve_gone_since = time.time()
            self._reserve_note, self._reserve_no_space = Words("reserve_released"), True
            self._next_reserve = time.monotonic() + self._reserve_every
            self._append(
                self._system(
                    Words("journal_reserve_released", reason=reason, freed=f"{freed / MIB:.1f}"),
                    priority=Priority.CRITICAL,
                    action="journal_reserve_released",
                    details={"reason": reason, "freed": freed, "path": str(self.reserve.path)},
                )
            )
        log.warning("journal disk full (%s): released %d bytes of reserve", reason, freed)
        return True

    def _write(self, batch: list[JournalEvent]) -> None:
        conn = self._open()
        store.insert_events(conn, batch)
        # SQLite happily commits into a file that was unlinked (directory removed, file
        # replaced): those rows would vanish. Check after the commit, before dropping the batch
        # from the buffer; a re-write into the new file is harmless (ids de-duplicate).
        if file_identity(self.path) != self._ident:
            raise FileMoved("journal file was moved, replaced or its directory removed")

    def _open(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._connect(
                self.path, create=True, synchronous=self._sync, busy_timeout_ms=self._busy_ms
            )
            self._ident = file_identity(self.path)
        return self._conn

    def _on_success(self, batch: list[JournalEvent]) -> None:
        recovered: list[JournalEvent] = []
        with self._cond:
            for _ in batch:
                self._buf.popleft()
            self._committed += len(batch)
            if self._buf:
                self._first_at = time.monotonic()
            if self._state is not WriterState.WRITING and self._conn is not None:
                recovered = self._recovery_events_locked(written=len(batch))
            self._disk_full = False
            self._cond.notify_all()
        if self._on_commit:
            self._on_commit(batch)
        if recovered:
            with self._cond:
                for e in recovered:
                    self._append(e)
        self._publish()

    def _recovery_events_locked(self, written: int) -> list[JournalEvent]:
        """The records of a recovery; `written`: the batch just committed, which the outage
        buffered too (its records are already out of `_buf`)."""
        out: list[JournalEvent] = []
        if self._reason is not None and self._since is not None:
            out.append(
                self._system(
                    Words(
                        "journal_recovered",
                        seconds=f"{time.time() - self._since:.0f}",
                        reason=self._reason,
                        pending=written + len(self._buf),
                    ),
                    action="journal_recovered",
                    details={"reason": self._reason, "since": self._since},
                )
            )
        if self._dropped_unreported:
            n = sum(self._dropped_unreported.values())
            first, last = self._drop_span or (0.0, 0.0)
            out.append(
                self._system(
                    Words("journal_dropped", n=n, kinds=str(dict(self._dropped_unreported))),
                    priority=Priority.HIGH,
                    action="events_dropped",
                    details={"dropped": dict(self._dropped_unreported), "first": first,
                             "last": last},
                )
            )  # fmt: skip
            self._dropped_unreported.clear()
            self._drop_span = None
        self._state, self._reason, self._since = WriterState.WRITING, None, None
        return out

    def _on_failure(self, e: BaseException) -> bool:
        if self._conn is not None:  # reopen next time: the file may be replaced or remounted
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        reason = f"{type(e).__name__}: {e}"
        full = is_disk_full(e, self._disk_free(self.path.parent))
        if full and self._release_reserve(reason):
            self._publish()
            return True  # retry at once into the freed blocks
        transient = is_transient(e)
        with self._cond:
            self._disk_full = full
            self._foreign = isinstance(e, store.JournalError)
            if self._since is None:
                self._since = time.time()
                self._append(
                    self._system(
                        Words("journal_write_failed", reason=reason),
                        priority=Priority.HIGH,
                        action="journal_buffering",
                        details={"reason": reason, "path": str(self.path)},
                    )
                )
            self._reason = reason
            if not self._dropped_unreported:
                self._state = WriterState.BUFFERING if transient else WriterState.FAILED
        self._publish()
        return False

    def close(self, timeout: float | None = 10.0) -> bool:
        """Stop, writing what is buffered (up to `timeout`). What still cannot be written (the
        disk full at the stop) is saved as a small journal file in the first of `rescue_dirs`
        that takes it, and the log says where and how to merge it: not lost with the process."""
        done = super().close(timeout)
        if not done and self.rescued is None:  # a second close() saves nothing twice
            self._rescue()
        return done

    def _rescue(self) -> None:
        with self._cond:
            left = list(self._buf)
            reason = self._reason or "not written in time"
            foreign = self._foreign
        if not left:
            return
        # `--journal /etc/passwd`: that folder is not the journal's, nothing is saved there.
        dirs = [d for d in self.rescue_dirs if not (foreign and Path(d) == self.path.parent)]
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for d in dirs:
            target = Path(d) / f"{self.path.stem}.unwritten-{stamp}-{os.getpid()}.sqlite"
            try:
                conn = store.connect(target, create=True, synchronous="FULL")
                try:
                    store.insert_events(conn, left)
                    conn.execute("PRAGMA journal_mode = DELETE")  # one file to carry
                finally:
                    conn.close()
            except (sqlite3.Error, OSError, store.JournalError) as e:
                log.debug("journal rescue into %s failed: %s", d, e)
                for leftover in target.parent.glob(target.name + "*"):
                    with contextlib.suppress(OSError):
                        leftover.unlink()
                continue
            self.rescued = target
            log.error(
                "journal %s: %d event(s) could not be written (%s); saved to %s: merge them "
                "with `heatconsole log --journal %s import --trust-unsigned %s`",
                self.path, len(left), reason, target, self.path, target,
            )  # fmt: skip
            return
        log.error(
            "journal %s: %d event(s) could not be written (%s) and are lost: no folder of %s "
            "took them", self.path, len(left), reason, ", ".join(map(str, dirs)),
        )  # fmt: skip

    def _finish(self) -> None:
        super()._finish()
        # Held while the journal is open: a closed console leaves no ballast on the disk (the
        # next start makes it again, or says it cannot).
        if self.reserve is not None:
            self.reserve.release()
            self._reserve_held = 0

    def _run_retention(self) -> None:
        self._more_retention = False
        if self._retention is None:
            return
        # A failing disk shows up in the next write; retention just runs next time.
        with contextlib.suppress(sqlite3.Error, OSError, store.JournalError):
            self._more_retention = apply_retention(self._open(), self._retention).more
