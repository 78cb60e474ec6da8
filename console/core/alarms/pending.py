"""Rooms whose alarm waits for its on-delay: the condition holds, the timer runs, no alarm yet.

Read from the engine's slot bank on the thread that owns the engine (the service thread); the
single-seat snapshot and the server's published alarm state both use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from console.core.alarms.rules import RULE_ID

if TYPE_CHECKING:
    from console.core.alarms.engine import AlarmEngine


_ROOM_TEMP_RULES = [RULE_ID["room_low"], RULE_ID["room_critical"]]


def pending_rooms(eng: AlarmEngine) -> dict[str, tuple[int, float]]:
    """Per station: how many rooms wait, and when the first of them is due (wall epoch s).
    Only the room temperature rules: a room sensor's fault timer is no cold room (its 60 s
    timer running beside the rooms' 300 s made the estimate jump)."""
    b, s = eng.bank, eng.slots
    # The few waiting slots first, then which of them are rooms' temperature rules: np.isin
    # over every slot of the city was most of a server's alarm publishing per batch.
    g = np.flatnonzero(b.pending & ~b.cond)
    g = g[eng.is_room[g] & np.isin(s.rule[g], _ROOM_TEMP_RULES) & ~b.hidden(g)]
    out: dict[str, tuple[int, float]] = {}
    if not len(g):
        return out
    due = b.since[g] + b.on_delay[g]
    stations = s.station[g]
    for si in np.unique(stations).tolist():
        m = stations == si
        sid = s.layouts[si].station.id
        out[sid] = (len(np.unique(s.point[g[m]])), float(np.nanmin(due[m])))
    return out
