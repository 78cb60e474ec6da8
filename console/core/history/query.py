"""Reading the history: one point's (t, v, q) over a time range, committed + still buffered.

Reads use their own connection per thread (WAL: they never block the writer, nor it them).
Buffered samples are taken from the writer *before* the file is read and duplicates dropped by
time, so a commit landing between the two reads can neither lose nor double a sample.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import numpy as np

from console.core.history import store
from console.core.history.compression import DEFAULT_MAX_INTERVAL_S
from console.core.history.writer import HistoryWriter

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]


def _empty() -> Arrays:
    return np.zeros(0), np.zeros(0), np.zeros(0, np.uint8)


class HistoryReader:
    def __init__(
        self,
        path: str | os.PathLike[str],
        writer: HistoryWriter | None = None,
        *,
        max_interval_s: float = DEFAULT_MAX_INTERVAL_S,
    ) -> None:
        self.path = Path(path)
        self.writer = writer
        self.max_interval_s = max_interval_s
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection | None:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = store.connect(self.path, synchronous="NORMAL")
            except store.HistoryError:
                return None  # nothing written yet
            self._local.conn = conn
            self._local.bucket_s = store.bucket_seconds(conn)
            self._local.ids = {}
        return conn

    def query(
        self, station: str, point: str, start: float, end: float, *, prior: bool = False
    ) -> Arrays:
        """Stored samples of one point with start <= t <= end, oldest first.

        With `prior`, the last sample before `start` (within the heartbeat interval) comes
        first, so a sample-and-hold trend knows the value at its left edge.
        """
        lo = start - self.max_interval_s if prior else start
        parts: list[Arrays] = []
        if self.writer is not None and station in self.writer.tables:
            idx = self.writer.tables[station].index.get(point)
            if idx is not None:
                parts.append(self.writer.pending_samples(station, idx, lo, end))
        conn = self._conn()
        if conn is not None:
            ids = self._local.ids.get((station, point))
            if ids is None:
                ids = store.series_id(conn, station, point)
                if ids is not None:
                    self._local.ids[(station, point)] = ids
            if ids is not None:
                parts.insert(0, store.read_series(conn, *ids, lo, end, self._local.bucket_s))
        parts = [p for p in parts if len(p[0])]
        if not parts:
            return _empty()
        if len(parts) == 1:
            t, v, q = parts[0]
        else:
            t, v, q = (np.concatenate(x) for x in zip(*parts, strict=True))
            t, first = np.unique(t, return_index=True)  # sorted; drops a committed duplicate
            v, q = v[first], q[first]
        if prior:
            k = max(int(np.searchsorted(t, start, side="left")) - 1, 0)
            t, v, q = t[k:], v[k:], q[k:]
        return t, v, q

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
