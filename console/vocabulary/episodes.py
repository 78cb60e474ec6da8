"""How many events an alarm-list line is for the operator: a station's rooms going cold together
are one episode per room rule (low, below the legal floor), not one per room.

The one count behind the key figures' "unacknowledged" and "room episodes", the Alarms tab's
title and the banner's "+n more" (they must never disagree); the alarm list keeps every room.
"""

from __future__ import annotations

from collections.abc import Iterable

from console.vocabulary.alarms import AlarmState
from console.vocabulary.views import AlarmRow

UNACKED_STATES = frozenset({AlarmState.UNACK, AlarmState.RTN_UNACK})
ACTIVE_STATES = frozenset({AlarmState.UNACK, AlarmState.ACK, AlarmState.RTN_UNACK})
ROOM_POINT = "room_temp["


def line_episodes(row: AlarmRow) -> tuple[int, int]:
    """(open room episodes, unacknowledged events) of one line. A group line holds one
    station's room alarms (the summary groups them): they count once per room rule. A single
    line counts once, and is an open room episode when it is a room's active alarm."""
    if row.children:
        open_rules = {c.rule for c in row.children if c.state in ACTIVE_STATES}
        unacked_rules = {c.rule for c in row.children if c.state in UNACKED_STATES}
        return len(open_rules), len(unacked_rules)
    room = row.point.startswith(ROOM_POINT)
    return int(room and row.state in ACTIVE_STATES), int(row.state in UNACKED_STATES)


def unacked_episodes(row: AlarmRow) -> int:
    """A line's unacknowledged events for the operator (see `line_episodes`)."""
    return line_episodes(row)[1]


def room_episodes(rows: Iterable[AlarmRow]) -> tuple[int, int]:
    """(open station-level room episodes, unacknowledged events) of the lines together (a
    station's rooms are one line: the summary groups them per station)."""
    episodes = unacked = 0
    for r in rows:
        e, u = line_episodes(r)
        episodes += e
        unacked += u
    return episodes, unacked
