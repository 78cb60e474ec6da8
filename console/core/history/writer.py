"""The history's single writer thread: compression on submit, batched commits, buffering.

`submit_scans()` runs the vectorised compressor over each station scan on the caller's thread
(one numpy pass per scan, a few µs per hundred points) and appends only the stored samples to an
in-memory FIFO; it never touches the disk. The writer thread commits everything buffered every
`batch_s` seconds in one transaction (one `recent` row per station), and only after COMMIT drops
it from the FIFO — like the journal writer: a full, locked or read-only disk leaves the samples
buffered, the status says so, and the writer retries with backoff, reopening the file.

Between commits the thread compacts closed time buckets into per-point chunks and applies
retention (see store.py). The FIFO is bounded in samples: when full, whole scans are refused
and counted, and the station's compressor is reset so the first scan accepted afterwards stores
every point (the trend shows the gap's end, never a stale held value across it).

A short disk: the journal is the record of what operators and the plant did, trends are not.
When the free space on the history's filesystem falls below `min_free_bytes`, a commit fails
for lack of space, or the journal on the same disk says it is short (`yield_to`), the history
PAUSES: it drops what it buffered and every scan after, counted, writes nothing (no compaction
either) and says so (status, a SYSTEM record through `on_event`). It resumes by itself once
`resume_free_bytes` are free (hysteresis) and the journal no longer objects, with a record of
what it dropped; the trend has a gap there, and the compressors restart so the gap's end is
stored in full. Other failures (locked, read-only, gone) keep buffering as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from console.core.events import JournalEvent, Kind, Priority
from console.core.history import store
from console.core.history.compression import DEFAULT_MAX_INTERVAL_S, CityCompressor, Compressor
from console.core.journal.writer import WriterState
from console.core.status_words import Words
from console.core.store_and_forward import (
    MIB,
    DiskShort,
    FileMoved,
    WriterThreadMixin,
    file_identity,
    free_bytes,
    is_disk_full,
    is_transient,
)
from drivers.points import PointTable
from drivers.samples import StationScan

log = logging.getLogger(__name__)

DEFAULT_MIN_FREE_BYTES = 64 * MIB  # four times the journal's default disk reserve
REPAUSE_WINDOW_S = 60.0  # a pause this soon after a resume backs the next resume off


@dataclass(frozen=True)
class HistoryStatus:
    state: WriterState
    pending: int  # samples accepted, not yet committed
    committed: int  # samples committed by this writer
    dropped: int  # samples refused because the buffer was full, or dropped while paused
    reason: str | None = None  # a `Words` when the writer words it itself (disk short)
    since: float | None = None
    paused_dropped: int = 0  # samples dropped in the current pause

    def describe(self) -> Words:
        """One line for a status bar: English, with the code and arguments to word it by."""
        if self.state is WriterState.WRITING:
            return Words("history_writing", committed=self.committed)
        if self.state is WriterState.CLOSED:
            return Words("history_closed", pending=self.pending)
        if self.state is WriterState.PAUSED:
            return Words("history_paused", reason=self.reason, dropped=self.paused_dropped)
        code = f"history_{self.state}" + ("_dropped" if self.dropped else "")
        return Words(code, pending=self.pending, reason=self.reason, dropped=self.dropped)


@dataclass(frozen=True)
class _Entry:
    """The stored samples of one station scan (all share the scan's time)."""

    station: str
    t: float
    idx: np.ndarray  # int32 point positions in the station's PointTable
    v: np.ndarray  # float64
    q: np.ndarray  # uint8


class HistoryWriter(WriterThreadMixin):
    def __init__(
        self,
        path: str | os.PathLike[str],
        tables: dict[str, PointTable],
        *,
        batch_s: float = 30.0,
        max_buffer: int = 8_000_000,
        bucket_s: int = store.DEFAULT_BUCKET_S,
        grace_s: float = 120.0,
        retention_s: float | None = 35 * 86400.0,
        max_interval_s: float = DEFAULT_MAX_INTERVAL_S,
        synchronous: str = "NORMAL",
        busy_timeout_ms: int = 1000,
        backoff: tuple[float, float] = (0.25, 30.0),
        compact_per_step: int = 200,
        on_status: Callable[[HistoryStatus], None] | None = None,
        connect: Callable[..., sqlite3.Connection] = store.connect,
        min_free_bytes: int = DEFAULT_MIN_FREE_BYTES,
        resume_free_bytes: int | None = None,
        yield_to: Callable[[], str | None] | None = None,
        on_event: Callable[[JournalEvent], None] | None = None,
        space_check_s: float = 1.0,
        disk_free: Callable[[Path], int] = free_bytes,
    ) -> None:
        """Pauses below `min_free_bytes` free, resumes from `resume_free_bytes` (default 1.5
        times that) once `yield_to()` (the journal's `disk_short`) says None too, looked at
        every `space_check_s`; `on_event` gets the SYSTEM records of a pause and its end."""
        self.path = Path(path)
        self.tables = dict(tables)
        self.batch_s = batch_s
        self.max_buffer = max_buffer
        self.grace_s = grace_s
        self.retention_s = retention_s
        self._sync = synchronous
        self._busy_ms = busy_timeout_ms
        self._backoff = backoff
        self._compact_per_step = compact_per_step
        self._on_status = on_status
        self._connect = connect
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The bucket length is a property of the file: an existing store keeps its own.
        self.bucket_s = bucket_s
        try:
            conn = connect(self.path, create=True, synchronous=synchronous, bucket_s=bucket_s)
            try:
                self.bucket_s = store.bucket_seconds(conn)
            finally:
                conn.close()
        except (sqlite3.Error, OSError, store.HistoryError) as e:  # the thread retries and says so
            log.warning("history store %s not usable yet: %s", self.path, e)
        # One batch of scans is compressed in one numpy pass (CityCompressor.select_batch).
        self.city = CityCompressor(self.tables, max_interval_s)
        self.compressors: dict[str, Compressor] = dict(self.city.compressors)

        self._cond = threading.Condition()
        self._buf: deque[_Entry] = deque()
        self._buffered = 0  # samples in _buf
        self._committed = 0
        self._dropped = 0
        self._first_at = 0.0
        self._latest_t = -np.inf  # newest scan time accepted: drives compaction
        self._urgent = 0
        self._accepted_seq = 0  # entries accepted / committed, for flush()
        self._committed_seq = 0
        self._closing = False
        self._give_up = False
        self._state = WriterState.WRITING
        self._reason: str | None = None
        self._since: float | None = None
        self._last_published: HistoryStatus | None = None
        self._conn: sqlite3.Connection | None = None
        self._ident: tuple[int, int] | None = None
        self._series: dict[str, tuple[int, np.ndarray]] = {}  # station -> (id, series per point)
        self._compacted_before = -(2**62)  # every bucket before this one is compacted
        # A closed bucket's samples still buffered: compact again after the next commit, not
        # at once (under continuous polling the buffer is never empty: that spun at 100 % CPU).
        self._compact_after_commit = False
        self._next_retention = 0.0
        self.compactions = 0
        self.min_free_bytes = min_free_bytes
        self.resume_free_bytes = (
            min_free_bytes * 3 // 2 if resume_free_bytes is None else resume_free_bytes
        )
        self._yield_to = yield_to
        self._on_event = on_event
        self._space_every = space_check_s
        self._next_space = 0.0
        self._disk_free = disk_free
        # The current pause: samples and scans dropped, the first and last scan time dropped.
        self._paused = (0, 0, np.inf, -np.inf)
        self._resume_wait = space_check_s
        self._resumed_at = -np.inf  # monotonic time of the last resume
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)
        self._thread.start()

    # ---- caller side -----------------------------------------------------------------------

    def submit_scans(self, scans: Iterable[StationScan]) -> int:
        """Compress and queue scans; never blocks on I/O. Returns the samples accepted."""
        entries = []
        batch: list[StationScan] = []  # distinct stations with the city's own compressors
        seen: set[str] = set()
        for sc in scans:
            sid = sc.station_id
            comp = self.compressors.get(sid)
            if comp is None or len(sc.values) != len(comp):
                continue  # not a station of this network (or its table changed): not ours
            if sid not in seen and self.city.owns(sid, comp):
                seen.add(sid)
                batch.append(sc)
                continue
            # A station's second scan in this batch (its state depends on the first one), or
            # a compressor swapped in by a caller: one at a time, after the batch.
            if batch:
                self._entries(entries, batch)
                batch, seen = [], set()
            self._entries(entries, [sc])
        self._entries(entries, batch)
        accepted = 0
        with self._cond:
            if self._closing:
                raise RuntimeError("history writer is closed")
            if self._state is WriterState.PAUSED:
                self._drop_locked(entries)
                return 0
            for e in entries:
                if self._buffered + len(e.idx) > self.max_buffer:
                    self._dropped += len(e.idx)
                    self.compressors[e.station].forget()
                    if self._state is not WriterState.FAILED:
                        self._state = WriterState.FAILED
                        self._reason = self._reason or Words("buffer_full")
                        log.warning("history buffer full: dropping scans until writable")
                    continue
                if not self._buf:
                    self._first_at = time.monotonic()
                self._buf.append(e)
                self._buffered += len(e.idx)
                self._accepted_seq += 1
                self._latest_t = max(self._latest_t, e.t)
                accepted += len(e.idx)
            self._cond.notify_all()
        return accepted

    def _entries(self, out: list[_Entry], scans: list[StationScan]) -> None:
        """Compress `scans` (distinct stations, or one scan) and append their stored samples."""
        if not scans:
            return
        if len(scans) == 1:
            sc = scans[0]
            picks = [self.compressors[sc.station_id].select(sc.time, sc.values, sc.quality)]
        else:
            picks = self.city.select_batch(
                [sc.station_id for sc in scans], [sc.time for sc in scans],
                [sc.values for sc in scans], [sc.quality for sc in scans],
            )  # fmt: skip
        for sc, idx in zip(scans, picks, strict=True):
            if len(idx):
                out.append(
                    _Entry(sc.station_id, float(sc.time), idx.astype(np.int32),
                           sc.values[idx], sc.quality[idx])
                )  # fmt: skip

    def _drop_locked(self, entries: Iterable[_Entry]) -> None:
        """Count `entries` as dropped by the current pause (lock held)."""
        n, scans, t0, t1 = self._paused
        for e in entries:
            n += len(e.idx)
            scans += 1
            t0, t1 = min(t0, e.t), max(t1, e.t)
        self._dropped += n - self._paused[0]
        self._paused = (n, scans, t0, t1)

    def submit_scan(self, scan: StationScan) -> int:
        return self.submit_scans([scan])

    def pending_samples(
        self, station: str, point_index: int, start: float, end: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Buffered (not yet committed) samples of one point in [start, end], time-ordered."""
        ts, vs, qs = [], [], []
        with self._cond:
            for e in self._buf:
                if e.station != station or not start <= e.t <= end:
                    continue
                m = np.flatnonzero(e.idx == point_index)
                if len(m):
                    ts.append(e.t)
                    vs.append(float(e.v[m[0]]))
                    qs.append(int(e.q[m[0]]))
        return np.array(ts, dtype=np.float64), np.array(vs), np.array(qs, dtype=np.uint8)

    def __enter__(self) -> HistoryWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _marks(self) -> tuple[int, int]:
        return self._accepted_seq, self._committed_seq

    def _status_locked(self) -> HistoryStatus:
        state = WriterState.CLOSED if self._give_up else self._state
        return HistoryStatus(
            state, self._buffered, self._committed, self._dropped, self._reason, self._since,
            self._paused[0] if self._state is WriterState.PAUSED else 0,
        )  # fmt: skip

    @property
    def paused(self) -> bool:
        with self._cond:
            return self._state is WriterState.PAUSED

    def _short(self, need: int) -> str | None:
        """Why the disk is too short to write history now (None: it is not)."""
        free = self._disk_free(self.path.parent)
        if free < need:
            return Words("disk_short", free=f"{free / MIB:.1f}", need=f"{need / MIB:.0f}")
        return self._yield_to() if self._yield_to is not None else None

    def _pause(self, reason: str) -> None:
        """Stop writing: drop what is buffered (counted), refuse scans until resumed."""
        with self._cond:
            if self._state is WriterState.PAUSED:
                self._reason = reason
                return
            # Paused again soon after resuming (the free space reads fine, yet writes fail: a
            # quota, a file-size limit): look again less and less often, not every second.
            soon = time.monotonic() - self._resumed_at < REPAUSE_WINDOW_S
            self._resume_wait = min(self._resume_wait * 2, 300.0) if soon else self._space_every
            self._paused = (0, 0, np.inf, -np.inf)
            self._drop_locked(self._buf)
            self._buf.clear()
            self._buffered = 0
            # Dropped counts as settled: flush() and close() do not wait for a pause to end.
            self._committed_seq = self._accepted_seq
            self._state, self._reason, self._since = WriterState.PAUSED, reason, time.time()
            self._next_space = time.monotonic() + self._resume_wait
            dropped = self._paused[0]
            self._cond.notify_all()
        log.warning("history paused (%s): %d buffered samples dropped", reason, dropped)
        self._tell(
            f"history paused ({reason}): trends get a gap, the journal keeps the disk; "
            f"{dropped} buffered samples dropped",
            action="history_paused",
            priority=Priority.HIGH,
            details={"reason": reason, "dropped": dropped, "path": str(self.path)},
        )
        self._publish()

    def _resume_if_room(self) -> None:
        self._next_space = time.monotonic() + self._resume_wait
        why = self._short(self.resume_free_bytes)
        if why is None:
            why = self._probe()
        if why is not None:
            with self._cond:
                self._reason = why
            self._publish()
            return
        self._resumed_at = time.monotonic()
        with self._cond:
            n, scans, t0, t1 = self._paused
            since = self._since or time.time()
            self._state, self._reason, self._since = WriterState.WRITING, None, None
            self._paused = (0, 0, np.inf, -np.inf)
            for comp in self.compressors.values():  # the gap's end is stored in full
                comp.forget()
        gap = f" (scans from {_hms(t0)} to {_hms(t1)})" if scans else ""
        log.warning("history resumed: %d samples of %d scans dropped while paused", n, scans)
        self._tell(
            f"history resumed after {time.time() - since:.0f} s: {n} samples of {scans} scans "
            f"dropped while paused{gap}",
            action="history_resumed",
            details={"dropped": n, "scans": scans, "first": t0 if scans else None,
                     "last": t1 if scans else None, "since": since},
        )  # fmt: skip
        self._publish()

    def _probe(self) -> str | None:
        """One tiny real commit before resuming; why it failed, None if it worked."""
        try:
            conn = self._open()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT OR REPLACE INTO history_meta VALUES ('resumed', ?)", (str(time.time()),)
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except self._write_errors as e:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None
            return f"{'disk full' if is_disk_full(e) else 'cannot write'}: {e}"
        return None

    def _tell(self, message: str, **kw: object) -> None:
        if self._on_event is not None:
            try:
                self._on_event(JournalEvent(Kind.SYSTEM, message, **kw))  # type: ignore[arg-type]
            except Exception:  # the journal closing: the log line above still says it
                log.exception("history could not report: %s", message)

    # ---- writer thread ---------------------------------------------------------------------

    # The loop itself is WriterThreadMixin._run (no size trigger: a batch is everything
    # buffered once the window has passed); these are the history's hooks.
    _write_errors = (sqlite3.Error, OSError, store.HistoryError)

    def _write(self, batch: list[_Entry]) -> None:
        short = self._short(self.min_free_bytes)
        if short is not None:
            raise DiskShort(short)
        conn = self._open()
        by_station: dict[str, list[_Entry]] = {}
        for e in batch:
            by_station.setdefault(e.station, []).append(e)
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sid, entries in by_station.items():
                st, series = self._series_for(conn, sid)
                idx = np.concatenate([e.idx for e in entries])
                t = np.repeat([e.t for e in entries], [len(e.idx) for e in entries])
                s = store.Samples(
                    series[idx],
                    t.astype(np.float64),
                    np.concatenate([e.v for e in entries]),
                    np.concatenate([e.q for e in entries]),
                )
                store.insert_recent(conn, st, self.bucket_s, s)
            conn.execute("COMMIT")
        except BaseException:
            self._series.clear()  # ids created in the rolled-back transaction are gone
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        # SQLite commits happily into an unlinked file: check it is still ours.
        if file_identity(self.path) != self._ident:
            raise FileMoved("history file was moved, replaced or its directory removed")

    def _series_for(self, conn: sqlite3.Connection, sid: str) -> tuple[int, np.ndarray]:
        got = self._series.get(sid)
        if got is None:
            st = store.station_id(conn, sid)
            assert st is not None
            got = self._series[sid] = (st, store.series_ids(conn, st, self.tables[sid].names))
        return got

    def _open(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._connect(
                self.path, create=True, synchronous=self._sync, busy_timeout_ms=self._busy_ms,
                bucket_s=self.bucket_s,
            )  # fmt: skip
            self._ident = file_identity(self.path)
        return self._conn

    def _on_success(self, batch: list[_Entry]) -> None:
        n = sum(len(e.idx) for e in batch)
        with self._cond:
            for _ in batch:
                self._buf.popleft()
            self._buffered -= n
            self._committed += n
            self._committed_seq += len(batch)
            self._compact_after_commit = False
            if self._buf:
                self._first_at = time.monotonic()
            if self._state is not WriterState.WRITING:
                log.warning("history writable again after %s", self._reason)
                self._state, self._reason, self._since = WriterState.WRITING, None, None
            self._cond.notify_all()
        self._publish()

    def _on_failure(self, e: BaseException) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        self._series.clear()
        if is_disk_full(e, self._disk_free(self.path.parent)):
            # A DiskShort carries the words of `_short` (code and arguments kept).
            self._pause(
                e.strerror if isinstance(e, DiskShort) else Words("disk_full", error=str(e))
            )
            return
        reason = f"{type(e).__name__}: {e}"
        transient = is_transient(e)
        with self._cond:
            if self._since is None:
                self._since = time.time()
                log.warning("history write failed (%s); buffering samples in memory", reason)
            self._reason = reason
            if self._state is not WriterState.FAILED or transient:
                self._state = WriterState.BUFFERING if transient else WriterState.FAILED
        self._publish()

    def _closed_before(self) -> int:
        return int((self._latest_t - self.grace_s) // self.bucket_s)

    def _maintenance_due(self) -> bool:
        if self._state is WriterState.PAUSED:
            return not self._closing and time.monotonic() >= self._next_space
        if self._closing or self._state is not WriterState.WRITING:
            return False
        if (
            np.isfinite(self._latest_t)
            and not self._compact_after_commit
            and self._closed_before() > self._compacted_before
        ):
            return True
        return self.retention_s is not None and time.monotonic() >= self._next_retention

    def _maintenance_in(self) -> float:
        if self._state is WriterState.PAUSED:  # the next look for room to resume
            return self._next_space - time.monotonic()
        return 1.0

    def _maintain(self) -> None:
        """One bounded step of compaction, then retention when due; errors wait for next time."""
        with self._cond:
            due = self._maintenance_due()
            paused = self._state is WriterState.PAUSED
            closed = self._closed_before() if np.isfinite(self._latest_t) else None
            # Samples of a closed bucket may still wait in the buffer (a burst, a disk outage):
            # then that bucket is looked at again after the next commit.
            settled = not self._buf
        if not due:
            return
        if paused:
            self._resume_if_room()
            return
        try:
            conn = self._open()
            if closed is not None and closed > self._compacted_before:
                todo = store.closed_buckets(conn, closed)[: self._compact_per_step]
                for st, b in todo:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        store.compact(conn, st, b, self.bucket_s)
                        conn.execute("COMMIT")
                    except BaseException:
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                        raise
                    self.compactions += 1
                if len(todo) < self._compact_per_step and settled:
                    self._compacted_before = closed
                elif len(todo) < self._compact_per_step:
                    self._compact_after_commit = True
            if self.retention_s is not None and time.monotonic() >= self._next_retention:
                self._next_retention = time.monotonic() + 600.0
                if np.isfinite(self._latest_t):
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        store.apply_retention(conn, self._latest_t - self.retention_s,
                                              self.bucket_s)  # fmt: skip
                        conn.execute("COMMIT")
                    except BaseException:
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                        raise
        except (sqlite3.Error, OSError, store.HistoryError) as e:
            if is_disk_full(e, self._disk_free(self.path.parent)):
                self._pause(Words("disk_full", error=str(e)))
                return
            log.warning("history compaction/retention postponed: %s", e)
            self._next_retention = time.monotonic() + 60.0
            with self._cond:  # do not spin on a failing compaction: the next commit retries
                self._compacted_before = max(self._compacted_before, closed or 0)


def _hms(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))
