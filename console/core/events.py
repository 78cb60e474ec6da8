"""The one record type the journal stores: alarm transitions, comm changes, operator actions.

A single flat shape keeps the journal one table that every filter (time, station, district,
priority, state, kind, text) can index, and makes merging journals from several laptops a
matter of unique ids.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    ALARM = "alarm"  # an alarm changed state
    COMM = "comm"  # a station's communication changed (ok / failed / stale)
    OPERATOR = "operator"  # acknowledge, shelve, unshelve, silence, write, login, note
    CONFIG = "config"  # a configuration was loaded
    SYSTEM = "system"  # console start/stop, journal buffering, flood begin/end


class Priority(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 = most urgent; for sorting."""
        return list(Priority).index(self)


class AlarmState(StrEnum):
    """ISA-18.2 alarm states (plus the three out-of-service kinds)."""

    NORMAL = "NORMAL"
    UNACK = "UNACK"  # active, unacknowledged
    ACK = "ACK"  # active, acknowledged
    RTN_UNACK = "RTN_UNACK"  # returned to normal, unacknowledged
    SHELVED = "SHELVED"
    SUPPRESSED = "SUPPRESSED"  # by design (station off, out of season)
    OUT_OF_SERVICE = "OUT_OF_SERVICE"


_SEQ = itertools.count()


def new_event_ids(times: Sequence[float]) -> list[str]:
    """Time-ordered unique ids: 48-bit ms timestamp, 24-bit sequence, 56 random bits (hex).

    Sorting ids sorts by time, and events of the same millisecond from one console keep the
    order they were made in (the sequence); ids from different laptops never collide (the
    random part), so merged journals de-duplicate on the id alone. Bulk form: 20,000 room
    alarms can fire in one scan, so one urandom call serves them all.
    """
    rnd = os.urandom(7 * len(times)).hex()
    out = []
    for i, t in enumerate(times):
        ms = int(t * 1000) & 0xFFFF_FFFF_FFFF
        out.append(f"{ms:012x}{next(_SEQ) & 0xFFFFFF:06x}{rnd[14 * i : 14 * i + 14]}")
    return out


def new_event_id(t: float | None = None) -> str:
    return new_event_ids([time.time() if t is None else t])[0]


CONSOLE_ID = os.environ.get("HEATCONSOLE_ID") or os.uname().nodename


@dataclass(frozen=True)
class JournalEvent:
    kind: Kind
    message: str
    time: float = field(default_factory=time.time)
    id: str = ""
    station: str | None = None
    district: str | None = None
    point: str | None = None  # point name, e.g. "room_temp[17]" or "t3_secondary_supply"
    alarm: str | None = None  # alarm key, e.g. "jx-001/room_temp[17]/room_low"
    priority: Priority | None = None
    state: AlarmState | None = None  # the alarm's state after this transition
    value: float | None = None
    limit: float | None = None
    user: str | None = None
    action: str | None = None  # operator action: ack, shelve, unshelve, silence, write, …
    comment: str | None = None
    console: str = CONSOLE_ID
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", new_event_id(self.time))

    def to_row(self) -> dict[str, Any]:
        row = asdict(self)
        for k in ("kind", "priority", "state"):
            row[k] = None if row[k] is None else str(row[k])
        return row
