"""How many events an alarm-list line is for the operator: a station's rooms going cold together
are one episode per room rule (low, below the legal floor), not one per room.

The one count behind the key figures' "unacknowledged" and "room episodes", the Alarms tab's
title and the banner's "+n more" (they must never disagree); the alarm list keeps every room.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from console.vocabulary.alarms import AlarmState
from console.vocabulary.views import AlarmRow

UNACKED_STATES = frozenset({AlarmState.UNACK, AlarmState.RTN_UNACK})
ACTIVE_STATES = frozenset({AlarmState.UNACK, AlarmState.ACK, AlarmState.RTN_UNACK})
ROOM_POINT = "room_temp["
V = TypeVar("V")


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


class LineMemo(Generic[V]):
    """`of(line)` for lines that come again and again (every snapshot, the list is rebuilt by
    reusing what did not change): a line that is the very same object as last time (an
    unchanged station group of hundreds of rooms) is not walked again. Keeps the lines of the
    last call alive, so an id is never reused while it is remembered."""

    def __init__(self, of: Callable[[AlarmRow], V]) -> None:
        self.of = of
        self._seen: dict[int, tuple[AlarmRow, V]] = {}

    def line(self, row: AlarmRow) -> V:
        hit = self._seen.get(id(row))
        return hit[1] if hit is not None and hit[0] is row else self.of(row)

    def lines(self, rows: Iterable[AlarmRow]) -> list[V]:
        """`of` of each line, in order; remembers these lines (and forgets the others)."""
        seen: dict[int, tuple[AlarmRow, V]] = {}
        out = []
        for r in rows:
            v = self.line(r)
            seen[id(r)] = (r, v)
            out.append(v)
        self._seen = seen
        return out
