"""Alarms about the console itself (its journal or history cannot write), ISA-18.2 life cycle.

The alarm engine's slots belong to stations; these few alarms have no station, so they live
here with the same states and the same records: a rise is an ALARM event in state UNACK, the
operator acknowledges it (an OPERATOR `ack` event, UNACK -> ACK or RTN_UNACK -> NORMAL), and
it returns to normal when its condition clears (ACK -> NORMAL, UNACK -> RTN_UNACK). The
service evaluates the conditions every batch; keys are `console/<part>/<rule>` and show in the
alarm list beside the stations' alarms (station "console").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from console.core.alarms.summary import AlarmView
from console.core.events import AlarmState, JournalEvent, Kind, Priority

STATION = "console"


@dataclass
class _Alarm:
    key: str
    point: str
    rule: str
    text: str  # what the alarm means, e.g. "journal cannot write safely"
    priority: Priority
    cond: bool = False
    acked: bool = True
    t_active: float = math.nan
    t_change: float = math.nan
    detail: str = ""  # the condition's current reason (status text)

    @property
    def state(self) -> AlarmState:
        if self.cond:
            return AlarmState.ACK if self.acked else AlarmState.UNACK
        return AlarmState.NORMAL if self.acked else AlarmState.RTN_UNACK


class SystemAlarms:
    """A handful of named alarms whose condition the owner sets each time it looks."""

    def __init__(self) -> None:
        self._alarms: dict[str, _Alarm] = {}

    def define(
        self, point: str, rule: str, text: str, priority: Priority = Priority.CRITICAL
    ) -> str:
        key = f"{STATION}/{point}/{rule}"
        self._alarms[key] = _Alarm(key, point, rule, text, priority)
        return key

    def owns(self, key: str) -> bool:
        return key in self._alarms

    def state(self, key: str) -> AlarmState:
        return self._alarms[key].state

    def detail(self, key: str) -> str:
        return self._alarms[key].detail

    def text(self, key: str) -> str:
        return self._alarms[key].text

    def update(self, key: str, active: bool, detail: str, now: float) -> list[JournalEvent]:
        """Set the condition; returns the ALARM event of a rise or a clear (else nothing)."""
        a = self._alarms[key]
        if active:
            a.detail = detail  # the latest reason shows while active; a clear keeps the last
        if active == a.cond:
            return []
        a.cond, a.t_change = active, now
        if active:
            a.t_active, a.acked = now, False
        verb = "active" if active else "cleared"
        return [
            _event(a, Kind.ALARM, f"{a.key} {a.text}: {a.detail} — {verb}", now,
                   details={"condition": a.cond, "reason": a.detail})
        ]  # fmt: skip

    def acknowledge(
        self, keys: Iterable[str] | None, user: str, comment: str = "", now: float = 0.0
    ) -> list[JournalEvent]:
        """Acknowledge `keys` (None: every unacknowledged one); one OPERATOR event each."""
        if not user.strip():
            raise ValueError("acknowledge needs a user")
        todo = self._alarms.values() if keys is None else [self._alarms[k] for k in keys]
        out = []
        for a in todo:
            if a.acked:
                continue
            a.acked, a.t_change = True, now
            text = f"{user}: ack {a.key}" + (f" — {comment}" if comment else "")
            note = comment or None
            out.append(_event(a, Kind.OPERATOR, text, now, user=user, action="ack", comment=note))
        return out

    def views(self) -> list[AlarmView]:
        """The alarms an alarm list shows (active or unacknowledged), newest first."""
        shown = [a for a in self._alarms.values() if a.cond or not a.acked]
        shown.sort(key=lambda a: (a.priority.rank, -a.t_change))
        return [
            AlarmView(
                key=a.key,
                station=STATION,
                district="",
                point=a.point,
                rule=a.rule,
                priority=a.priority,
                state=a.state,
                condition=a.cond,
                value=None,
                limit=None,
                time=a.t_change,
                active_since=a.t_active if a.cond else None,
            )
            for a in shown
        ]


def _event(a: _Alarm, kind: Kind, message: str, now: float, **kw: Any) -> JournalEvent:
    """A record about alarm `a` in its state now (an ALARM transition or an OPERATOR action)."""
    return JournalEvent(
        kind, message, time=now, station=STATION, point=a.point, alarm=a.key,
        priority=a.priority, state=a.state, **kw,
    )  # fmt: skip
