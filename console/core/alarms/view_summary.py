"""The alarm summary's rows from alarm views alone (a thin console has the views, not the engine).

Same rules as `summary.build_summary`: room alarms grouped per station (the state that most
needs the operator, the episode's onset as its time, the coldest room), everything else one row
each, sorted by priority then newest first.
"""

from __future__ import annotations

from collections.abc import Iterable

from console.core.alarms.summary import AlarmView, SummaryRow
from console.core.events import AlarmState

_DEMAND = {
    AlarmState.UNACK: 0, AlarmState.RTN_UNACK: 1, AlarmState.ACK: 2, AlarmState.SHELVED: 3,
    AlarmState.OUT_OF_SERVICE: 4, AlarmState.SUPPRESSED: 5, AlarmState.NORMAL: 6,
}  # fmt: skip
_UNACKED = (AlarmState.UNACK, AlarmState.RTN_UNACK)
_TEMP_RULES = ("room_low", "room_critical")


def station_rows(station: str, district: str, views: Iterable[AlarmView]) -> list[SummaryRow]:
    """One station's rows: its room alarms as one group, every other alarm alone."""
    rows: list[SummaryRow] = []
    rooms: list[AlarmView] = []
    for a in views:
        if a.point.startswith("room_temp["):
            rooms.append(a)
            continue
        rows.append(
            SummaryRow(
                a.key, a.station, a.district, a.priority, a.state, a.time, 1,
                int(a.state in _UNACKED), alarm=a,
            )
        )  # fmt: skip
    if rooms:
        rows.append(room_group(station, district, rooms))
    return rows


def room_group(station: str, district: str, rooms: list[AlarmView]) -> SummaryRow:
    temps = [a for a in rooms if a.rule in _TEMP_RULES and a.value is not None]
    coldest = min(temps, key=lambda a: a.value or 0.0) if temps else None
    onsets = [a.active_since for a in rooms if a.active_since is not None]
    return SummaryRow(
        key=f"{station}/room_temp[*]",
        station=station,
        district=district,
        priority=min((a.priority for a in rooms), key=lambda p: p.rank),
        state=min((a.state for a in rooms), key=lambda s: _DEMAND.get(s, 9)),
        time=min(onsets) if onsets else 0.0,
        count=len({a.point for a in rooms}),
        unacked=sum(1 for a in rooms if a.state in _UNACKED),
        coldest_point=coldest.point if coldest else None,
        coldest_value=coldest.value if coldest else None,
        members=tuple(rooms),
    )


def sort_rows(rows: list[SummaryRow]) -> list[SummaryRow]:
    rows.sort(key=lambda r: (r.priority.rank, -r.time))
    return rows
