"""What the poller hands upward: one scan of one station, every value with quality and time."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np


class Quality(IntEnum):
    """Per-value quality, ordered by how bad it is (max() of a station = its worst)."""

    GOOD = 0
    STALE = 1  # no fresh value for N scans, or the device heartbeat stopped advancing
    SENSOR_FAULT = 2  # the device reported its "no sensor" sentinel (0x7FFF)
    COMM_FAIL = 3  # the read failed; the last known value is kept
    NO_DATA = 4  # never read since start
    # The device answering is not this station (its identity registers say another device type
    # or station number): its values are withheld, the last ones of the right device are kept.
    WRONG_DEVICE = 5


class CommState(IntEnum):
    UNKNOWN = 0
    OK = 1
    FAILED = 2
    WRONG_DEVICE = 3  # a device answers, but its identity registers are not this station's


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
