"""What the operators had already handled, read back from the journal at a restart.

A restarted server must not re-announce alarms the operators already acknowledged or shelved.
The journal holds every transition and action with the alarm's visible state after it, so the
latest of them per alarm key is its state when the server stopped; the engine takes those states
as its starting point (`AlarmEngine.restore`). A condition that still holds then raises nothing
new; one that cleared meanwhile returns to normal as usual.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from console.core.events import AlarmState

LOOK_BACK_S = 14 * 86400  # an alarm untouched for two weeks is not "handled by this shift"
_RESTORED = ("UNACK", "ACK", "RTN_UNACK", "SHELVED")


@dataclass(frozen=True)
class HandledAlarm:
    key: str
    state: AlarmState  # visible state after the latest transition or action
    active: bool  # the condition held (from the latest alarm transition)
    since: float  # when the condition last became active (or the latest transition)
    shelved_by: str | None = None
    shelve_reason: str | None = None
    shelved_at: float | None = None
    shelved_until: float | None = None  # None with shelved_by: one-shot


def handled_alarms(journal: str | Path, now: float) -> list[HandledAlarm]:
    """The latest state of every alarm touched in the last LOOK_BACK_S (read-only)."""
    path = Path(journal)
    if not path.exists():
        return []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return _read(conn, now - LOOK_BACK_S)
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, since: float) -> list[HandledAlarm]:
    # Latest transition per key (the partial index events_alarm_latest covers it) ...
    trans = {
        key: (state, t)
        for key, state, t in conn.execute(
            "SELECT alarm, state, max(time) FROM events WHERE kind = 'alarm' "
            "AND alarm IS NOT NULL AND time >= ? GROUP BY alarm",
            (since,),
        )
    }
    # ... and the operators' actions on alarms, latest per key.
    acts = {
        key: (state, t, action, user, comment, details)
        for key, state, t, action, user, comment, details in conn.execute(
            "SELECT alarm, state, max(time), action, user, comment, details FROM events "
            "WHERE kind = 'operator' AND alarm IS NOT NULL AND time >= ? "
            "AND action IN ('ack', 'shelve', 'unshelve') GROUP BY alarm",
            (since,),
        )
    }
    out = []
    for key in trans.keys() | acts.keys():
        t_state, t_time = trans.get(key, (None, None))
        a = acts.get(key)
        latest_is_action = a is not None and (t_time is None or a[1] >= t_time)
        state = a[0] if latest_is_action else t_state
        if state not in _RESTORED:
            continue
        active = t_state in ("UNACK", "ACK", "SHELVED")
        kw: dict = {}
        if state == "SHELVED":
            if a is None or a[2] != "shelve":
                continue  # shelved by design or by an older action we cannot name: re-evaluate
            try:
                details = json.loads(a[5]) if a[5] else {}
            except ValueError:
                details = {}
            until = details.get("until")
            kw = dict(
                shelved_by=a[3] or "?", shelve_reason=a[4] or "?", shelved_at=float(a[1]),
                shelved_until=float(until) if until is not None else None,
            )  # fmt: skip
        out.append(
            HandledAlarm(key, AlarmState(state), active, float(t_time or a[1]), **kw)  # type: ignore[index]
        )
    return out
