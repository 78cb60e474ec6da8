"""An alarm's priority and its ISA-18.2 state: the words the engine, the journal and the views
share."""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 = most urgent; for sorting."""
        return _PRIORITY_RANK[self]  # a dict look-up: summaries sort thousands of alarms


_PRIORITY_RANK: dict[Priority, int] = {p: i for i, p in enumerate(Priority)}


class AlarmState(StrEnum):
    """ISA-18.2 alarm states (plus the three out-of-service kinds)."""

    NORMAL = "NORMAL"
    UNACK = "UNACK"  # active, unacknowledged
    ACK = "ACK"  # active, acknowledged
    RTN_UNACK = "RTN_UNACK"  # returned to normal, unacknowledged
    SHELVED = "SHELVED"
    SUPPRESSED = "SUPPRESSED"  # by design (station off, out of season)
    OUT_OF_SERVICE = "OUT_OF_SERVICE"
