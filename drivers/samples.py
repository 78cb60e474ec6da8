"""What the poller hands upward: one scan of one station, every value with quality and time."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# The words live on the vocabulary floor (console/vocabulary); re-exported for old importers.
from console.vocabulary.quality import CommState, Quality

__all__ = ["CommState", "Quality", "StationScan"]


@dataclass
class StationScan:
    """The result of one scan of one station.

    `values` and `quality` are aligned with the station's PointTable. Values of COMM_FAIL and
    STALE points are the last known ones (NaN if none); `value_time` is when each was read.
    """

    station_id: str
    time: float  # epoch seconds when the scan finished
    values: np.ndarray  # float64
    quality: np.ndarray  # uint8, Quality
    value_time: np.ndarray  # float64 epoch seconds of each value's last good read (NaN: never)
    comm: CommState = CommState.UNKNOWN
    error: str = ""  # why the scan (or part of it) failed, for the operator
    duration: float = 0.0  # seconds the scan took
    requests: int = 0
    failed_requests: int = 0
    heartbeat_frozen: bool = False
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def worst_quality(self) -> Quality:
        return Quality(int(self.quality.max())) if len(self.quality) else Quality.NO_DATA
