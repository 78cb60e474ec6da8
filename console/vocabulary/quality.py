"""How good a value is and whether its station answers: the words every layer shows."""

from __future__ import annotations

from enum import IntEnum


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
