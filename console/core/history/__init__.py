"""History: exception/deadband-compressed samples of every point, for trends longer than RAM.

    history = History(path, tables)          # one writer thread, one SQLite file (WAL)
    history.submit_scans(scans)               # per batch: one numpy pass per station scan
    t, v, q = history.query("jx-001", "room_temp[3]", start, end)

See compression.py (what is stored), store.py (layout), writer.py (single writer, buffering)
and query.py (reads merged with the writer's buffer).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from console.core.history.compression import DEFAULT_MAX_INTERVAL_S, Compressor, deadband_for
from console.core.history.query import Arrays, HistoryReader
from console.core.history.store import default_history_path
from console.core.history.writer import HistoryStatus, HistoryWriter
from drivers.points import PointTable
from drivers.samples import StationScan

__all__ = [
    "Compressor",
    "History",
    "HistoryReader",
    "HistoryStatus",
    "HistoryWriter",
    "deadband_for",
    "default_history_path",
]


class History:
    """Writer + reader of one history file, for the console service."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        tables: dict[str, PointTable],
        *,
        max_interval_s: float = DEFAULT_MAX_INTERVAL_S,
        **writer_options: object,
    ) -> None:
        self.path = Path(path)
        self.writer = HistoryWriter(
            path,
            tables,
            max_interval_s=max_interval_s,
            **writer_options,  # type: ignore[arg-type]
        )
        self.reader = HistoryReader(path, self.writer, max_interval_s=max_interval_s)

    def submit_scans(self, scans: Iterable[StationScan]) -> int:
        return self.writer.submit_scans(scans)

    def query(
        self, station: str, point: str, start: float, end: float, *, prior: bool = False
    ) -> Arrays:
        return self.reader.query(station, point, start, end, prior=prior)

    def flush(self, timeout: float | None = None) -> bool:
        return self.writer.flush(timeout)

    def status(self) -> HistoryStatus:
        return self.writer.status()

    def close(self, timeout: float | None = 10.0) -> bool:
        self.reader.close()
        return self.writer.close(timeout)
