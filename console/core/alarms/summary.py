"""The alarm summary for the GUI and the CLI: current alarms, room alarms grouped per station.

A cold night can put thousands of rooms in alarm; one row per station (how many rooms, the
coldest room and its value, highest priority, unacknowledged count) keeps the list readable,
and `expand()` opens the group to its rooms. The journal still gets every room's transition.
Rows sort by priority (most urgent first), then newest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from console.core.alarms.rules import RULES
from console.core.alarms.state import (
    ACK,
    NORMAL,
    OUT_OF_SERVICE,
    RTN_UNACK,
    SHELVED,
    STATE_CODE,
    STATES,
    SUPPRESSED,
    UNACK,
)
from console.core.events import AlarmState, Priority
from console.vocabulary.records import maker

if TYPE_CHECKING:
    from console.core.alarms.engine import AlarmEngine

# Which state a group shows: the one that most needs the operator.
_DEMAND = {UNACK: 0, RTN_UNACK: 1, ACK: 2, SHELVED: 3, OUT_OF_SERVICE: 4, SUPPRESSED: 5, NORMAL: 6}
_BY_DEMAND = np.array(sorted(_DEMAND, key=_DEMAND.__getitem__))
_DEMAND_OF = np.array([_DEMAND[c] for c in range(len(STATES))])
_PRIOS = tuple(Priority)  # by rank; built once, not per alarm view
_ROOM_LOW, _ROOM_CRITICAL = RULES.index("room_low"), RULES.index("room_critical")


@dataclass(frozen=True)
class AlarmView:
    key: str
    station: str
    district: str
    point: str
    rule: str
    priority: Priority
    state: AlarmState
    condition: bool  # the process condition is active (also when shelved/suppressed)
    value: float | None
    limit: float | None
    time: float  # last transition
    active_since: float | None
    first_out: bool = False
    shelved_by: str | None = None
    shelve_reason: str | None = None
    shelved_until: float | None = None  # None with shelved_by set: one-shot
    out_of_service_by: str | None = None


@dataclass
class SummaryRow:
    key: str  # the alarm key, or "{station}/room_temp[*]" for a room group
    station: str
    district: str
    priority: Priority
    state: AlarmState  # for a group: the member state most needing attention
    time: float  # last visible transition; for a group: when its earliest alarm became active
    count: int  # alarms in the row (rooms for a room group)
    unacked: int
    alarm: AlarmView | None = None  # set for a single alarm
    coldest_point: str | None = None
    coldest_value: float | None = None
    slots: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    engine: AlarmEngine | None = field(default=None, repr=False)
    # A group built from published alarm views (a thin console has no engine): its members.
    members: tuple[AlarmView, ...] = field(default=(), repr=False)

    @property
    def is_group(self) -> bool:
        return self.alarm is None

    @property
    def keys(self) -> list[str]:
        """Keys of every alarm in the row (acknowledge a whole group with these)."""
        if self.engine is None:
            return [a.key for a in self.members] if self.alarm is None else [self.alarm.key]
        return [self.engine.key(g) for g in self.slots.tolist()]

    def expand(self) -> list[AlarmView]:
        """The group's individual alarms, coldest first."""
        if self.alarm is not None:
            return [self.alarm]
        views = self.members if self.engine is None else alarm_views(self.engine, self.slots)
        return sorted(views, key=lambda a: (a.value is None, a.value, a.priority.rank))


@dataclass
class AlarmSummary:
    rows: list[SummaryRow]
    total: int  # individual alarms behind the rows
    unacked: int
    by_priority: dict[Priority, int]


_new_view = maker(
    AlarmView, "key", "station", "district", "point", "rule", "priority", "state", "condition",
    "value", "limit", "time", "active_since", "first_out", "shelved_by", "shelve_reason",
    "shelved_until", "out_of_service_by",
)  # fmt: skip


def alarm_views(engine: AlarmEngine, g: np.ndarray) -> list[AlarmView]:
    bank, s = engine.bank, engine.slots
    # Whole columns to Python once (a numpy scalar per field per alarm cost more than the view).
    vis = bank.visible(g).tolist()
    lim = engine.limit(g).tolist()
    sts = s.station[g].tolist()
    prios = s.prio[g].tolist()
    vals = bank.value[g].tolist()
    actives = bank.t_active[g].tolist()
    changes = bank.t_change[g].tolist()
    conds = bank.cond[g].tolist()
    stations, shelves, oos_of = engine.net.stations, engine.shelves, engine.out_of_service
    is_first_out = engine.first_out.is_first_out
    out = []
    for gi, vi, li, si, pi, val, since, tc, cond in zip(
        g.tolist(), vis, lim, sts, prios, vals, actives, changes, conds, strict=True
    ):
        key = engine.key(gi)
        station, point, rule = key.parts
        sh = shelves.get(gi) if shelves else None
        oos = oos_of.get(gi) if oos_of else None
        view = _new_view(
            key, station, stations[si].district, point, rule, _PRIOS[pi], STATES[vi], bool(cond),
            None if val != val else val, None if li != li else li, tc,
            since if cond and since == since else None, is_first_out(si, gi),
            sh.user if sh else None, sh.reason if sh else None, sh.until if sh else None,
            oos.user if oos else None,
        )  # fmt: skip
        out.append(view)
    return out


def build_summary(
    engine: AlarmEngine,
    *,
    districts: Iterable[str] | None = None,
    stations: Iterable[str] | None = None,
    priorities: Iterable[Priority | str] | None = None,
    states: Iterable[AlarmState | str] | None = None,
    include_hidden: bool = False,
    group_rooms: bool = True,
) -> AlarmSummary:
    s, bank = engine.slots, engine.bank
    g = engine.shown_slots(include_hidden or states is not None)
    st = s.station[g]
    if districts is not None:
        want = {*districts}
        g = g[np.isin(st, [i for i, x in enumerate(engine.net.stations) if x.district in want])]
    if stations is not None:
        g = g[np.isin(s.station[g], [s.by_id[x] for x in stations if x in s.by_id])]
    if priorities is not None:
        g = g[np.isin(s.prio[g], [Priority(p).rank for p in priorities])]
    vis = bank.visible(g)
    if states is not None:
        keep = np.isin(vis, [STATE_CODE[AlarmState(x)] for x in states])
        g, vis = g[keep], vis[keep]
    prio = s.prio[g]
    by_priority = {p: int((prio == p.rank).sum()) for p in Priority}
    unacked = int(np.isin(vis, (UNACK, RTN_UNACK)).sum())
    rows: list[SummaryRow] = []

    room = engine.is_room[g] if group_rooms else np.zeros(len(g), dtype=bool)
    loose = g[~room]
    for a, gi in zip(alarm_views(engine, loose), loose.tolist(), strict=True):
        n_un = int(a.state in (AlarmState.UNACK, AlarmState.RTN_UNACK))
        rows.append(
            SummaryRow(
                a.key,
                a.station,
                a.district,
                a.priority,
                a.state,
                a.time,
                1,
                n_un,
                alarm=a,
                slots=np.array([gi]),
                engine=engine,
            )
        )
    gr, vr = g[room], vis[room]
    if len(gr):
        rst = s.station[gr]
        order = np.argsort(rst, kind="stable")
        gr, vr, rst = gr[order], vr[order], rst[order]
        cuts = np.flatnonzero(np.r_[True, rst[1:] != rst[:-1]])
        rows += _room_groups(engine, gr, vr, rst, cuts)
    rows.sort(key=lambda r: (r.priority.rank, -r.time))
    return AlarmSummary(rows, len(g), unacked, by_priority)


def _room_groups(
    engine: AlarmEngine, gr: np.ndarray, vr: np.ndarray, rst: np.ndarray, cuts: np.ndarray
) -> list[SummaryRow]:
    """One row per station of the room alarms `gr` (sorted by station `rst`, groups starting
    at `cuts`; `vr` their visible states), every group's figures in one numpy pass each."""
    s, bank = engine.slots, engine.bank
    pts, rules, temps = s.point[gr], s.rule[gr], bank.value[gr]
    is_temp = ((rules == _ROOM_LOW) | (rules == _ROOM_CRITICAL)) & ~np.isnan(temps)
    # The coldest room of each group: its first (in group order) lowest room temperature.
    by_temp = np.lexsort((np.where(is_temp, temps, np.inf), rst))
    coldest = by_temp[cuts]
    has_cold = is_temp[coldest].tolist()
    # Distinct rooms per group: (station, point) pairs counted once.
    by_point = np.lexsort((pts, rst))
    sp, pp = rst[by_point], pts[by_point]
    new = np.r_[True, (sp[1:] != sp[:-1]) | (pp[1:] != pp[:-1])]
    rooms = np.add.reduceat(new, cuts).tolist()
    prio = np.minimum.reduceat(s.prio[gr], cuts).tolist()
    state = _BY_DEMAND[np.minimum.reduceat(_DEMAND_OF[vr], cuts)].tolist()
    unacked = np.add.reduceat((vr == UNACK) | (vr == RTN_UNACK), cuts).tolist()
    # A group's time is the onset of its episode (the earliest of its alarms to become
    # active), not its latest change: rooms keep crossing the limit scan after scan in a cold
    # wave, and a "latest change" time re-sorted every group on every scan -- rows jumping
    # under the operator's pointer, and a full re-layout of the alarm tree each time
    # (bench_gui). New problems still come on top; a priority change still moves the group.
    onset = np.fmin.reduceat(bank.t_active[gr], cuts).tolist()  # NaN only if all are NaN
    ends = [*cuts[1:].tolist(), len(gr)]
    out = []
    for k, (a, b) in enumerate(zip(cuts.tolist(), ends, strict=True)):
        lay = s.layouts[int(rst[a])]
        c = int(coldest[k])
        out.append(
            SummaryRow(
                key=f"{lay.station.id}/room_temp[*]",
                station=lay.station.id,
                district=lay.station.district,
                priority=_PRIOS[prio[k]],
                state=STATES[state[k]],
                time=onset[k] if onset[k] == onset[k] else 0.0,
                count=int(rooms[k]),
                unacked=int(unacked[k]),
                coldest_point=lay.table.names[int(pts[c])] if has_cold[k] else None,
                coldest_value=float(temps[c]) if has_cold[k] else None,
                slots=gr[a:b],
                engine=engine,
            )
        )
    return out
