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

from console.core.history import store
from console.core.history.compression import DEFAULT_MAX_INTERVAL_S, Compressor
from console.core.journal.writer import WriterState
from console.core.store_and_forward import FileMoved, WriterThreadMixin, file_identity, is_transient
from drivers.points import PointTable
from drivers.samples import StationScan

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HistoryStatus:
    state: WriterState
    pending: int  # samples accepted, not yet committed
    committed: int  # samples committed by this writer
    dropped: int  # samples refused because the buffer was full
    reason: str | None = None
    since: float | None = None

    def describe(self) -> str:
        if self.state is WriterState.WRITING:
            return f"history: writing ({self.committed} samples committed)"
        if self.state is WriterState.CLOSED:
            return f"history: closed ({self.pending} samples not written)"
        text = f"history: {self.state} {self.pending} samples in memory — {self.reason}"
        return text + (f"; {self.dropped} dropped" if self.dropped else "")


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
    ) -> None:
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
        self.compressors = {
            sid: Compressor.for_table(t, max_interval_s) for sid, t in self.tables.items()
        }

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
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)
        self._thread.start()

    # ---- caller side -----------------------------------------------------------------------

    def submit_scans(self, scans: Iterable[StationScan]) -> int:
        """Compress and queue scans; never blocks on I/O. Returns the samples accepted."""
        entries = []
        for sc in scans:
            comp = self.compressors.get(sc.station_id)
            if comp is None or len(sc.values) != len(comp):
                continue  # not a station of this network (or its table changed): not ours
            idx = comp.select(sc.time, sc.values, sc.quality)
            if len(idx):
                entries.append(
                    _Entry(sc.station_id, float(sc.time), idx.astype(np.int32),
                           sc.values[idx], sc.quality[idx])
                )  # fmt: skip
        accepted = 0
        with self._cond:
            if self._closing:
                raise RuntimeError("history writer is closed")
            for e in entries:
                if self._buffered + len(e.idx) > self.max_buffer:
                    self._dropped += len(e.idx)
                    self.compressors[e.station].forget()
                    if self._state is not WriterState.FAILED:
                        self._state = WriterState.FAILED
                        self._reason = self._reason or "buffer full"
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
            state, self._buffered, self._committed, self._dropped, self._reason, self._since
        )

    # ---- writer thread ---------------------------------------------------------------------

    # The loop itself is WriterThreadMixin._run (no size trigger: a batch is everything
    # buffered once the window has passed); these are the history's hooks.
    _write_errors = (sqlite3.Error, OSError, store.HistoryError)

    def _write(self, batch: list[_Entry]) -> None:
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
        if self._closing or self._state is not WriterState.WRITING:
            return False
        if (
            np.isfinite(self._latest_t)
            and not self._compact_after_commit
            and self._closed_before() > self._compacted_before
        ):
            return True
        return self.retention_s is not None and time.monotonic() >= self._next_retention

    def _maintain(self) -> None:
        """One bounded step of compaction, then retention when due; errors wait for next time."""
        with self._cond:
            due = self._maintenance_due()
            closed = self._closed_before() if np.isfinite(self._latest_t) else None
            # Samples of a closed bucket may still wait in the buffer (a burst, a disk outage):
            # then that bucket is looked at again after the next commit.
            settled = not self._buf
        if not due:
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
            log.warning("history compaction/retention postponed: %s", e)
            self._next_retention = time.monotonic() + 60.0
            with self._cond:  # do not spin on a failing compaction: the next commit retries
                self._compacted_before = max(self._compacted_before, closed or 0)
