"""Rooms whose alarm waits for its on-delay: the condition holds, the timer runs, no alarm yet.

Read from the engine's slot bank on the thread that owns the engine (the service thread); the
single-seat snapshot and the server's published alarm state both use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from console.core.alarms.engine import AlarmEngine


def pending_rooms(eng: AlarmEngine) -> dict[str, tuple[int, float]]:
    """Per station: how many rooms wait, and when the first of them is due (epoch s)."""
    b, s = eng.bank, eng.slots
    g = np.flatnonzero(b.pending & ~b.cond & eng.is_room & ~b.hidden(slice(None)))
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
