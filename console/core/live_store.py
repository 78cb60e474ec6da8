"""Latest value and quality of every point, plus in-memory ring buffers for live trends.

One station's scan is one row: storing it is a single numpy row copy, whatever the number of
points, so the whole city (200,000 points) costs a few hundred row copies per scan. The ring's
depth follows a memory budget; trends longer than it come from the history store.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.points import PointTable
from drivers.samples import CommState, Quality, StationScan

DEFAULT_BUDGET_BYTES = 256 * 1024 * 1024
MIN_DEPTH = 64
MAX_DEPTH = 100_000


@dataclass
class StationLive:
    """Everything live about one station (written by the store, read by views)."""

    station_id: str
    table: PointTable
    values: np.ndarray  # float64, latest value per point (NaN: none)
    quality: np.ndarray  # uint8, latest Quality per point
    value_time: np.ndarray  # float64, epoch of each latest value
    comm: CommState = CommState.UNKNOWN
    error: str = ""
    last_scan: float | None = None
    last_duration: float = 0.0  # seconds the last scan took on the wire
    scans: int = 0
    # Ring buffer: row r holds the scan at ring_time[r].
    ring_values: np.ndarray | None = None  # float32 [depth, n_points]
    ring_quality: np.ndarray | None = None  # uint8 [depth, n_points]
    ring_time: np.ndarray | None = None  # float64 [depth]
    ring_next: int = 0
    ring_count: int = 0

    def value(self, point: str) -> float:
        return float(self.values[self.table.index[point]])

    def quality_of(self, point: str) -> Quality:
        return Quality(int(self.quality[self.table.index[point]]))

    @property
    def worst_quality(self) -> Quality:
        return Quality(int(self.quality.max())) if len(self.quality) else Quality.NO_DATA


class LiveStore:
    """Latest values and short trend history for every station of a network."""

    def __init__(
        self, tables: dict[str, PointTable], budget_bytes: int = DEFAULT_BUDGET_BYTES
    ) -> None:
        total_points = sum(len(t) for t in tables.values()) or 1
        # float32 value + uint8 quality per point and row.
        self.depth = int(np.clip(budget_bytes // (total_points * 5), MIN_DEPTH, MAX_DEPTH))
        self.stations: dict[str, StationLive] = {}
        for sid, t in tables.items():
            n = len(t)
            self.stations[sid] = StationLive(
                station_id=sid,
                table=t,
                values=np.full(n, np.nan),
                quality=np.full(n, Quality.NO_DATA, dtype=np.uint8),
                value_time=np.full(n, np.nan),
                ring_values=np.full((self.depth, n), np.nan, dtype=np.float32),
                ring_quality=np.full((self.depth, n), Quality.NO_DATA, dtype=np.uint8),
                ring_time=np.full(self.depth, np.nan),
            )

    def update(self, scan: StationScan) -> StationLive:
        st = self.stations[scan.station_id]
        st.values = scan.values
        st.quality = scan.quality
        st.value_time = scan.value_time
        st.comm = scan.comm
        st.error = scan.error
        st.last_scan = scan.time
        st.last_duration = scan.duration
        st.scans += 1
        r = st.ring_next
        assert st.ring_values is not None and st.ring_quality is not None
        assert st.ring_time is not None
        st.ring_values[r] = scan.values
        st.ring_quality[r] = scan.quality
        st.ring_time[r] = scan.time
        st.ring_next = (r + 1) % self.depth
        st.ring_count = min(st.ring_count + 1, self.depth)
        return st

    def trend(
        self, station_id: str, point: str, since: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(times, values, qualities) of one point from the ring, oldest first."""
        st = self.stations[station_id]
        i = st.table.index[point]
        assert st.ring_values is not None and st.ring_quality is not None
        assert st.ring_time is not None
        n = st.ring_count
        start = (st.ring_next - n) % self.depth
        order = (np.arange(n) + start) % self.depth
        t = st.ring_time[order]
        v = st.ring_values[order, i].astype(np.float64)
        q = st.ring_quality[order, i]
        if since is not None:
            keep = t >= since
            t, v, q = t[keep], v[keep], q[keep]
        return t, v, q

    def memory_bytes(self) -> int:
        return sum(
            s.ring_values.nbytes + s.ring_quality.nbytes + s.ring_time.nbytes
            for s in self.stations.values()
            if s.ring_values is not None and s.ring_quality is not None and s.ring_time is not None
        )
