"""Core state -> the widgets' view models (no Qt).

Runs on the SERVICE thread inside the bridge's listener, right after a batch: the live store and
the alarm engine are only consistent there (they are mutated on the service loop). Everything
returned is immutable plain data, safe to hand across threads; the GUI thread only applies it.

Texts that reach the screen are worded here in the interface language through
`QCoreApplication.translate("adapters", ...)` (thread-safe; the only Qt call in this module):
a snapshot built during a language switch is re-worded by the next one.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.app.forecast_adapter import advisory_rows, forecast_view
from console.core.alarms.summary import AlarmView, SummaryRow
from console.core.leak.view import RULE as LEAK_RULE
from console.core.leak.view import DistrictLeaks, leak_view
from console.core.live_store import StationLive
from console.core.picture import PlantPicture, RoomLimits, ServicePicture
from console.core.service import ConsoleService
from console.core.status_words import StatusText
from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.episodes import ACTIVE_STATES, UNACKED_STATES, LineMemo, line_episodes
from console.vocabulary.keys import PointKey
from console.vocabulary.quality import CommState, Quality
from console.vocabulary.records import maker
from console.vocabulary.views import (
    AlarmRow,
    DistrictRooms,
    KeyFigures,
    PointView,
    RoomView,
    StationState,
)
from station_config.schema import NetworkDef, StationDef
from widgets.trend_forecast import ForecastView
from widgets.words import RULE_TEXT

# A station's room limits as the alarm engine applies them (low, critical; None = rule off).
# Priorities that make a station "in alarm" on the overview (INFO does not).
_ALARM_PRIOS = {Priority.CRITICAL, Priority.HIGH, Priority.MEDIUM, Priority.LOW}
_UNACKED = UNACKED_STATES
_ACTIVE = ACTIVE_STATES
_CONDITION = {AlarmState.UNACK, AlarmState.ACK}  # the process condition is still there
_UPPER = {"t1", "t2", "t3", "t4", "p1", "p2", "p3", "p4"}


@dataclass(frozen=True)
class StatusInfo:
    batch_s: float = 0.0
    scans: int = 0
    good: int = 0
    stale: int = 0
    failed: int = 0
    journal: str = "journal: off"
    user: str = ""
    sounding: bool = False
    tone: Priority | None = None
    flood: bool = False
    flood_count: int = 0
    complete: bool = False  # every station read at least once
    period_s: float = 0.0  # the scan period of most stations
    cycle_s: float = 0.0  # every answering station was refreshed within this many seconds
    slowest_scan_s: float = 0.0  # the longest last scan of a station (all its block reads)
    link_problem: str = ""  # a thin console's lost server link, in words ('' = fine)
    time_scale: float = 1.0  # process seconds per wall second (the demo's simulator: 60)
    time_note: str = ""  # says so in words when time is accelerated ("" on a real network)


@dataclass(frozen=True)
class StationDetail:
    """The open station's points and rooms (only built for the station being viewed)."""

    station: str
    state: StationState
    points: dict[str, PointView]
    rooms: list[RoomView]


@dataclass(frozen=True)
class Snapshot:
    time: float
    states: dict[str, StationState]
    figures: KeyFigures
    alarms: list[AlarmRow]
    status: StatusInfo
    detail: StationDetail | None = None
    # Live trend series: key "station/point" -> (t, y, quality) copied from the ring buffer.
    trends: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    urgent: bool = False  # alarms changed elsewhere (another seat): the window draws it at once
    leaks: list[DistrictLeaks] = field(default_factory=list)  # suspected leaks per district
    forecast: ForecastView | None = None  # room forecasts and fits (None: not configured)


def label_of(point: str) -> str:
    """`t3_secondary_supply` -> `T3 secondary supply`; `room_temp[3]` -> `Room 3`."""
    if point.startswith("room_temp["):
        return f"Room {point[10:-1]}"
    words = point.split("_")
    head = words[0].upper() if words[0] in _UPPER else words[0].capitalize()
    return " ".join([head, *words[1:]])


def _num(v: float) -> float | None:
    return None if v is None or math.isnan(v) else float(v)


def _get(st: StationLive, name: str) -> float | None:
    i = st.table.index.get(name)
    if i is None or st.quality[i] >= Quality.COMM_FAIL:
        return None
    return _num(float(st.values[i]))


def station_quality(st: StationLive) -> Quality:
    """The comm quality shown on the overview: failed/no data/stale from the link; a dead room
    sensor alone is not a station communication problem."""
    if st.scans == 0:
        return Quality.NO_DATA
    if st.comm == CommState.FAILED:
        return Quality.COMM_FAIL
    q = st.quality
    if len(q) == 0:
        return Quality.GOOD
    if (q == Quality.STALE).any():
        return Quality.STALE
    if (q == Quality.SENSOR_FAULT).any():
        return Quality.SENSOR_FAULT
    return Quality(int(q.max()))


_Index = dict[str, tuple[Priority | None, bool, dict]]


def _alarm_index(views: list[AlarmView]) -> _Index:
    """Per station: highest active priority, any unacked, and the highest priority per point."""
    out: _Index = {}
    for a in views:
        prio, unacked, pts = out.get(a.station, (None, False, {}))
        if a.state in _ACTIVE and a.priority in _ALARM_PRIOS:
            if prio is None or a.priority.rank < prio.rank:
                prio = a.priority
            cur = pts.get(a.point)
            if cur is None or a.priority.rank < cur.rank:
                pts[a.point] = a.priority
        unacked = unacked or a.state in _UNACKED
        out[a.station] = (prio, unacked, pts)
    return out


def _merge_index(parts: list[_Index]) -> _Index:
    """`_alarm_index` of the parts' views together (parts are not modified: they are cached)."""
    out: _Index = {}
    for part in parts:
        for sid, (prio, unacked, pts) in part.items():
            cur = out.get(sid)
            if cur is None:
                out[sid] = (prio, unacked, pts)
                continue
            p0, u0, pts0 = cur
            if prio is not None and (p0 is None or prio.rank < p0.rank):
                p0 = prio
            merged = dict(pts0)
            for point, pr in pts.items():
                if point not in merged or pr.rank < merged[point].rank:
                    merged[point] = pr
            out[sid] = (p0, u0 or unacked, merged)
    return out


def station_state(
    sdef: StationDef,
    st: StationLive,
    prio: Priority | None,
    unacked: bool,
    point_alarms: dict[str, Priority] | None = None,
    pending: tuple[int, float] | None = None,
    *,
    limits: RoomLimits,
) -> StationState:
    low, crit = limits
    below = -math.inf if low is None else low
    below_crit = -math.inf if crit is None else crit
    rooms = st.table.indices("room_temp")
    r = st.values[rooms] if len(rooms) else np.zeros(0)
    rq = st.quality[rooms] if len(rooms) else np.zeros(0, dtype=np.uint8)
    ok = (rq == Quality.GOOD) & ~np.isnan(r)
    good = r[ok]
    in_alarm = 0
    if point_alarms:
        names = st.table.names
        in_alarm = sum(1 for i in rooms[ok & (r < below)].tolist() if names[i] in point_alarms)
    ctl = _get(st, "control_level")
    return StationState(
        id=sdef.id,
        name=sdef.name,
        district=sdef.district,
        comm=station_quality(st),
        alarm=prio,
        unacked=unacked,
        local_control=ctl == 0,
        outdoor=_get(st, "outdoor_temp"),
        t1=_get(st, "t1_primary_supply"),
        t3=_get(st, "t3_secondary_supply"),
        t3_setpoint=_get(st, "t3_setpoint_active"),
        room_min=float(good.min()) if len(good) else _get(st, "room_temp_min"),
        room_mean=float(good.mean()) if len(good) else _get(st, "room_temp_mean"),
        rooms_below_18=int((good < below).sum()),
        rooms_below_16=int((good < below_crit).sum()),
        rooms_total=len(rooms),
        room_low_limit=low,
        room_critical_limit=crit,
        rooms_in_alarm=in_alarm,
        rooms_pending=pending[0] if pending else 0,
        pending_until=pending[1] if pending else None,
        heat_power_kw=_get(st, "heat_power"),
        last_update=st.last_scan,
        error=st.error,
    )


def _decimals(scale: float) -> int:
    return max(0, min(3, round(-math.log10(scale)))) if scale < 1 else 0


def station_points(
    st: StationLive, point_alarms: dict[str, Priority], limits: RoomLimits
) -> dict[str, PointView]:
    """Every non-room point as a PointView (limits come from the station's limit registers
    through widgets.station_view.with_bands, room limits from the alarm engine; the writable
    range from the template)."""
    out: dict[str, PointView] = {}
    t = st.table
    for i, name in enumerate(t.names):
        if name.startswith("room_temp["):
            continue
        d = t.defs[i]
        out[name] = PointView(
            name=name,
            label=label_of(name),
            value=_num(float(st.values[i])),
            unit=d.unit,
            quality=Quality(int(st.quality[i])),
            time=_num(float(st.value_time[i])),
            writable=d.access == "RW",
            write_min=d.min,
            write_max=d.max,
            decimals=_decimals(float(t.scale[i])),
            enum=tuple(sorted(d.enum.items())) if d.enum else (),
            alarm=point_alarms.get(name),
        )
    # Room limits as the alarm engine applies them (its register or the configured one).
    lo, crit = limits
    for name in ("room_temp_min", "room_temp_mean"):
        pv = out.get(name)
        if pv is not None and lo is not None:
            out[name] = replace(pv, normal_low=lo, alarm_low=crit, scale_min=10.0, scale_max=28.0)
    return out


def station_rooms(
    st: StationLive, point_alarms: dict[str, Priority], limits: RoomLimits
) -> list[RoomView]:
    idx = st.table.indices("room_temp")
    out = []
    for k, i in enumerate(idx.tolist()):
        name = st.table.names[i]
        out.append(
            RoomView(
                k,
                _num(float(st.values[i])),
                Quality(int(st.quality[i])),
                point_alarms.get(name),
                low_limit=limits[0],
                critical_limit=limits[1],
            )
        )
    return out


def time_note(scale: float) -> str:
    """The status line's word on accelerated time ("" at real time)."""
    if scale == 1.0:
        return ""
    return QCoreApplication.translate(
        "adapters", "simulated time ×{scale}: alarm delays run on the simulation's clock"
    ).format(scale=f"{scale:g}")


# The console's own alarms (console/core/system_alarms.py): their rule names, in words.
SYSTEM_RULE_TEXT = {
    "journal_cannot_write_safely": QT_TRANSLATE_NOOP("adapters", "journal cannot write safely"),
    "history_cannot_write": QT_TRANSLATE_NOOP("adapters", "history cannot write"),
    # A control-room server's (console/server/server_alarms.py), shown on its thin consoles.
    "shared_journal_cannot_write": QT_TRANSLATE_NOOP("adapters", "shared journal cannot write"),
}

# The words of alarm rows, translated once per language: a cold night rebuilds thousands of
# rows per snapshot (their values move), each needing the same few templates. Service thread
# only; emptied when the language changes (`_check_words`).
_memo: dict[tuple[str, str], str] = {}
_texts: dict[tuple[str, str], str] = {}  # (rule, point) -> `_alarm_words`, emptied alike
_PROBE = ("Rule", RULE_TEXT["room_low"])
ROOM = QT_TRANSLATE_NOOP("Point", "Room {n}")
ROOM_TEXT = QT_TRANSLATE_NOOP("adapters", "{room}: {text}")
ANALOG_TEXT = QT_TRANSLATE_NOOP("adapters", "{text} — {value}{unit}, limit {limit}{unit}")
# A suspected leak says how much and since when (issue 13), as the engine's journal text does.
LEAK_TEXT = QT_TRANSLATE_NOOP("adapters", "{text} ≈ {rate} m³/h since {since}")


def _words(context: str, source: str) -> str:
    hit = _memo.get((context, source))
    if hit is None:
        hit = _memo[(context, source)] = QCoreApplication.translate(context, source)
    return hit


def _check_words() -> str:
    """The probe word in the current language; forgets the memo when it changed."""
    probe = QCoreApplication.translate(*_PROBE)
    if _memo.get(_PROBE) != probe:
        _memo.clear()
        _texts.clear()
        _memo[_PROBE] = probe
    return probe


# Status texts worded in English by parts without Qt (the thin console's link, the journal
# writer): each known form, its fields, and its words in the interface language. A text that
# matches none is shown as it came.
_STATUS_FORMS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"SERVER LINK LOST since (?P<since>\S+) — values are stale, actions are not sent"
        ),
        QT_TRANSLATE_NOOP(
            "adapters", "SERVER LINK LOST since {since} — values are stale, actions are not sent"
        ),
    ),
    (
        re.compile(r"server of (?P<servers>.+) not answering — its stations are stale"),
        QT_TRANSLATE_NOOP("adapters", "server of {servers} not answering — its stations are stale"),
    ),
    (
        re.compile(r"waiting for the servers' description of the network…"),
        QT_TRANSLATE_NOOP("adapters", "waiting for the servers' description of the network…"),
    ),
    (
        re.compile(r"journal: writing \((?P<n>\d+) committed\)"),
        QT_TRANSLATE_NOOP("adapters", "journal: writing ({n} committed)"),
    ),
    (
        re.compile(r"journal: closed \((?P<n>\d+) not written\)"),
        QT_TRANSLATE_NOOP("adapters", "journal: closed ({n} not written)"),
    ),
    (re.compile(r"journal: off"), QT_TRANSLATE_NOOP("adapters", "journal: off")),
    (
        re.compile(r"journal: on the server"),
        QT_TRANSLATE_NOOP("adapters", "journal: on the server"),
    ),
]


def status_words(text: str) -> str:
    """A status text in the interface language, part by part (" · "-separated, each part
    possibly prefixed by a server's name); unknown parts stay as they are. A single seat's
    stores text (a StatusText) brings its parts' codes: worded by them first."""
    if not text:
        return text
    if isinstance(text, StatusText):
        from console.app.server_texts import stores_words  # (it imports this module)

        text = stores_words(text.parts)
    out = []
    for part in text.split(" · "):
        for pattern, source in _STATUS_FORMS:
            m = pattern.search(part)
            if m is not None:
                words = QCoreApplication.translate("adapters", source).format(**m.groupdict())
                part = part[: m.start()] + words + part[m.end() :]
                break
        out.append(part)
    return " · ".join(out)


# Rules whose value/limit mean something to an operator; the others are bits/states (1 vs 0.5).
_ANALOG_RULES = {
    "room_low", "room_critical", "t3_dev_high", "t3_dev_low", "p3_low", "p3_high",
    "dp_primary_low", "makeup_high",
}  # fmt: skip
_UNIT = {
    "room_low": " °C",
    "room_critical": " °C",
    "p3_low": " kPa",
    "p3_high": " kPa",
    "dp_primary_low": " kPa",
    "makeup_high": " m³/h",
    "leak_suspected": " m³/h",
    "t3_dev_high": " K",
    "t3_dev_low": " K",
}  # fmt: skip  (T3 minus its setpoint)


def alarm_text(a: AlarmView) -> str:
    """What an alarm means, in the interface language: "Room 3: room temperature low — 15.2 °C,
    limit 18.0 °C"."""
    # The words before the value depend on the rule and point only (a point name is the same
    # at every station): worded once per language, as `_words` are.
    text = _texts.get((a.rule, a.point))
    if text is None:
        text = _texts[(a.rule, a.point)] = _alarm_words(a.rule, a.point)
    if a.rule in _ANALOG_RULES and a.value is not None and a.limit is not None:
        u = _UNIT.get(a.rule, "")
        text = _words("adapters", ANALOG_TEXT).format(
            text=text, value=f"{a.value:.1f}", limit=f"{a.limit:.1f}", unit=u
        )
    elif a.rule == LEAK_RULE and a.value and a.active_since is not None:
        since = time.strftime("%H:%M", time.localtime(a.active_since))
        text = _words("adapters", LEAK_TEXT).format(text=text, rate=f"{a.value:.2g}", since=since)
    return text


def _alarm_words(rule: str, point: str) -> str:
    system = SYSTEM_RULE_TEXT.get(rule)
    source = RULE_TEXT.get(rule)
    if system is not None:
        text = _words("adapters", system)
    elif source is not None:
        text = _words("Rule", source)
    else:
        text = rule.replace("_", " ")
    text = text[:1].upper() + text[1:]
    if point.startswith("room_temp["):
        room = _words("Point", ROOM).format(n=point[10:-1])
        text = _words("adapters", ROOM_TEXT).format(room=room, text=text)
    return text


def _alarm_row(
    a: AlarmView,
    names: dict[str, str],
    districts: dict[str, str] | None = None,
    before: AlarmRow | None = None,
) -> AlarmRow:
    analog = a.rule in _ANALOG_RULES
    # When it was raised: the engine says while the condition lasts; after a clear, the row
    # built before remembers it (an alarm gone to normal leaves the list, so a new episode
    # starts without a `before`).
    since = a.active_since if a.active_since is not None else (before.since if before else None)
    return _new_row(
        a.key, a.station, names.get(a.station, a.station),
        (districts or {}).get(a.district, a.district), a.point, a.rule, a.priority, a.state,
        alarm_text(a), a.time, a.value if analog else None, a.limit if analog else None,
        a.first_out, a.shelved_by, (), since,
    )  # fmt: skip


# Thousands per snapshot in a cold wave.
_new_row = maker(
    AlarmRow, "key", "station", "station_name", "district", "point", "rule", "priority", "state",
    "message", "time", "value", "limit", "first_out", "shelved_by", "children", "since",
)  # fmt: skip


@dataclass(frozen=True)
class _GroupHit:
    """A room group as the previous snapshot built it: the signature of its slots' engine
    state, its views, its row, the views' `_alarm_index` (its share of the index), its
    children's keys (in the order of `kids` and of `row.children`, to put both back by key)
    and its views of suspected leaks."""

    sig: tuple
    kids: list[AlarmView]
    row: AlarmRow
    part: _Index
    keys: list[str]
    leaky: list[AlarmView]


class _Seen:
    """The views and rows of one `alarm_rows` call, by key: two dicts, not a (view, row) pair
    per alarm (thousands of tuples more for the cyclic GC to walk in every collection while
    the cache keeps them)."""

    __slots__ = ("rows", "views")

    def __init__(self) -> None:
        self.views: dict[str, AlarmView] = {}
        self.rows: dict[str, AlarmRow] = {}


class SnapshotCache:
    """What the previous snapshot built, reused when its inputs are unchanged (service thread).

    A cold night puts thousands of rooms in alarm and 757 stations on the overview; most of
    them do not change between two snapshots (a station is scanned every 5 s, snapshots come
    twice a second). Reusing the very same immutable objects saves building them and lets the
    GUI's diff skip them by identity (`new is old`), so both threads do work per change only.
    """

    def __init__(self) -> None:
        self.alarms = _Seen()  # the last alarm_rows' views and rows by key
        self.groups: dict[str, AlarmRow] = {}
        # room group key -> what an unchanged group reuses (`_GroupHit`)
        self.group_sigs: dict[str, _GroupHit] = {}
        self.leaky: list[AlarmView] = []  # the last alarm_rows' views of suspected leaks
        self.figures = LineMemo(line_figures)  # key_figures' memo
        self.picture: ServicePicture | None = None  # of a ConsoleService given to build_snapshot
        self.index: _Index = {}  # the last alarm_rows' index of all views
        # station id -> (scan count, alarm priority, unacked, point alarms, pending, room
        # limits, state, the quality array it was built from)
        self.states: dict[str, tuple[int, Any, bool, dict, Any, Any, StationState, Any]] = {}
        self.words = ""  # a translated probe: the language the cached rows are worded in

    def check_language(self) -> None:
        """Forget the cached rows when the interface language changed since they were built."""
        probe = _check_words()
        if probe != self.words:
            self.words = probe
            self.alarms, self.groups, self.group_sigs = _Seen(), {}, {}


def alarm_rows(
    picture: PlantPicture,
    names: dict[str, str],
    cache: SnapshotCache | None = None,
    districts: dict[str, str] | None = None,
) -> tuple[list[AlarmRow], list[AlarmView]]:
    """The summary's rows, and every alarm view behind them (the same set `active()` gives).
    `districts`: district id -> name (the rows carry the name a dispatcher reads)."""
    if cache is not None:
        cache.check_language()
    else:
        _check_words()
    districts = districts or {}
    rows: list[AlarmRow] = []
    views: list[AlarmView] = []
    summary_rows = picture.summary_rows()
    seen = _Seen()
    groups: dict[str, AlarmRow] = {}
    sigs: dict[str, _GroupHit] = {}
    parts: list[_Index] = []
    loose: list[AlarmView] = []
    leaky: list[AlarmView] = []
    for r in summary_rows:
        if r.is_group:
            sig = picture.group_signature(r) if cache is not None else None
            hit = cache.group_sigs.get(r.key) if cache is not None else None
            if hit is not None and hit.sig == sig:
                # Nothing behind the group changed: skip building its (hundreds of) views,
                # and walking them.
                kids, row, part = hit.kids, hit.row, hit.part
                seen.views.update(zip(hit.keys, kids, strict=True))
                seen.rows.update(zip(hit.keys, row.children, strict=True))
                leaky += hit.leaky
            else:
                kids = r.expand()
                kid_rows = [_cached_row(a, names, cache, seen, districts) for a in kids]
                row = _group_row(r, names, kid_rows, districts)
                part = _alarm_index(kids) if cache is not None else {}
                leaky += (mine := [a for a in kids if a.rule == LEAK_RULE])
                if cache is not None:
                    old = cache.groups.get(row.key)
                    row = old if old == row else row  # identical children compare by identity
                    keys = [a.key for a in kids]
                    hit = _GroupHit(sig, kids, row, part, keys, mine)
            views += kids
            if cache is not None:
                assert hit is not None
                groups[row.key] = row
                sigs[r.key] = hit
                parts.append(part)
        else:
            assert r.alarm is not None
            views.append(r.alarm)
            loose.append(r.alarm)
            if r.alarm.rule == LEAK_RULE:
                leaky.append(r.alarm)
            row = _cached_row(r.alarm, names, cache, seen, districts)
        rows.append(row)
    if cache is not None:
        cache.alarms, cache.groups, cache.group_sigs = seen, groups, sigs  # forget what is gone
        cache.leaky = leaky
        cache.index = _merge_index([*parts, _alarm_index(loose)])
    return rows, views


def _cached_row(
    a: AlarmView,
    names: dict[str, str],
    cache: SnapshotCache | None,
    seen: _Seen,
    districts: dict[str, str] | None = None,
) -> AlarmRow:
    before = cache.alarms.rows.get(a.key) if cache is not None else None
    if before is not None and cache is not None and cache.alarms.views.get(a.key) == a:
        row = before
    else:
        row = _alarm_row(a, names, districts, before)
    seen.views[a.key] = a
    seen.rows[a.key] = row
    return row


GROUP_WORDS = {
    "below": QT_TRANSLATE_NOOP("adapters", "{n} below {limit} °C"),
    # Rooms whose alarm has returned to normal but is not acknowledged yet: not "below".
    "back": QT_TRANSLATE_NOOP("adapters", "{n} back above {limit} °C"),
    "cold": QT_TRANSLATE_NOOP("adapters", "{n} cold"),
    "fault": QT_TRANSLATE_NOOP("adapters", "{n} sensor fault"),
    "faults": QT_TRANSLATE_NOOP("adapters", "{n} sensor faults"),
    "other": QT_TRANSLATE_NOOP("adapters", "{n} other"),
    "room": QT_TRANSLATE_NOOP("adapters", "{n} room"),
    "rooms": QT_TRANSLATE_NOOP("adapters", "{n} rooms"),
    "head": QT_TRANSLATE_NOOP("adapters", "{rooms}: {parts}"),
    "comma": QT_TRANSLATE_NOOP("adapters", ", "),
    "coldest": QT_TRANSLATE_NOOP("adapters", " · coldest {value} °C"),
    "coldest_now": QT_TRANSLATE_NOOP("adapters", " · coldest now {value} °C"),
}


def group_message(kids: tuple[AlarmRow, ...], coldest: float | None) -> str:
    """What a station's room group holds, in words: a group may mix cold rooms of both limits
    and offline room sensors, and a dispatcher must not read sensor faults as cold rooms."""

    def w(key: str) -> str:
        return _words("adapters", GROUP_WORDS[key])

    # One pass over the (hundreds of) rooms: count and first limit per rule, distinct rooms;
    # a cold room whose alarm has returned to normal (not yet acknowledged) counted apart.
    count: dict[str, int] = {}
    back: dict[str, int] = {}
    limit: dict[str, float | None] = {}
    points = set()
    for k in kids:
        points.add(k.point)
        if k.rule in count:
            count[k.rule] += 1
        else:
            count[k.rule], limit[k.rule] = 1, k.limit
        if k.state == AlarmState.RTN_UNACK:
            back[k.rule] = back.get(k.rule, 0) + 1
    rooms = len(points)
    parts = []
    for rule in ("room_critical", "room_low"):
        n, gone = count.get(rule, 0), back.get(rule, 0)
        lim = limit.get(rule)
        if n - gone:
            below = w("below").format(n=n - gone, limit=f"{lim:g}") if lim is not None else None
            parts.append(below if below is not None else w("cold").format(n=n - gone))
        if gone and lim is not None:
            parts.append(w("back").format(n=gone, limit=f"{lim:g}"))
    faults = count.get("sensor_fault", 0)
    if faults:
        parts.append(w("fault" if faults == 1 else "faults").format(n=faults))
    other = len(kids) - sum(count.get(r, 0) for r in ("room_critical", "room_low", "sensor_fault"))
    if other:
        parts.append(w("other").format(n=other))
    head = w("room" if rooms == 1 else "rooms").format(n=rooms)
    text = w("head").format(rooms=head, parts=w("comma").join(parts))
    cold = ("room_critical", "room_low")
    if coldest is not None and any(r in count for r in cold):
        still = any(count.get(r, 0) > back.get(r, 0) for r in cold)
        text += w("coldest" if still else "coldest_now").format(value=f"{coldest:.1f}")
    return text


def _group_row(
    r: SummaryRow,
    names: dict[str, str],
    kid_rows: list[AlarmRow],
    districts: dict[str, str] | None = None,
) -> AlarmRow:
    kids = tuple(kid_rows)
    return AlarmRow(
        key=r.key,
        station=r.station,
        station_name=names.get(r.station, r.station),
        district=(districts or {}).get(r.district, r.district),
        point="rooms",
        rule=kids[0].rule if kids else "room_low",
        priority=r.priority,
        state=r.state,
        message=group_message(kids, r.coldest_value),
        time=r.time,
        value=r.coldest_value,
        limit=kids[0].limit if kids else None,
        children=kids,
    )


def district_rooms(
    states: dict[str, StationState], names: dict[str, str] | None = None
) -> tuple[DistrictRooms, ...]:
    """Per district (in the order met): rooms reporting and how many are below the limit."""
    tally: dict[str, list[int]] = {}
    for s in states.values():
        if s.comm == Quality.COMM_FAIL or s.room_low_limit is None:
            continue
        t = tally.setdefault(s.district, [0, 0])
        t[0] += s.rooms_total if s.room_min is not None else 0
        t[1] += s.rooms_below_18
    names = names or {}
    return tuple(DistrictRooms(d, names.get(d, d), n, b) for d, (n, b) in tally.items())


# What key_figures reads of one alarm-list line: (worst priority still in condition, worst
# unacknowledged priority, open room episodes, unacknowledged events).
LineFigures = tuple[Priority | None, Priority | None, int, int]


def _rank(p: Priority) -> int:
    return p.rank


def line_figures(row: AlarmRow) -> LineFigures:
    leaves = row.children or (row,)
    # "worst" is what is wrong now: a cleared alarm awaiting acknowledgement no longer counts.
    active = [a.priority for a in leaves if a.state in _CONDITION and a.priority in _ALARM_PRIOS]
    unacked = [a.priority for a in leaves if a.state in _UNACKED]
    return (
        min(active, key=_rank, default=None),
        min(unacked, key=_rank, default=None),
        *line_episodes(row),
    )


def _worst(prios: list[Priority | None]) -> Priority | None:
    return min((p for p in prios if p is not None), key=_rank, default=None)


def key_figures(
    states: dict[str, StationState],
    alarms: list[AlarmRow],
    flood: bool,
    *,
    flood_count: int = 0,
    time_scale: float = 1.0,
    district_names: dict[str, str] | None = None,
    memo: LineMemo[LineFigures] | None = None,
) -> KeyFigures:
    """The key-figure strip. `memo`: the lines' figures as the previous call had them (the
    snapshot cache's: an unchanged line is not walked again)."""
    vals = list(states.values())
    outdoor = [s.outdoor for s in vals if s.outdoor is not None]
    good_rooms = [s for s in vals if s.room_min is not None and s.comm != Quality.COMM_FAIL]
    coldest = min(good_rooms, key=lambda s: s.room_min or 99.0, default=None)
    alarmed = [s for s in vals if s.alarm is not None]
    lines = memo.lines(alarms) if memo is not None else [line_figures(r) for r in alarms]
    episodes = sum(f[2] for f in lines)
    n_unacked = sum(f[3] for f in lines)
    lows = {s.room_low_limit for s in vals}
    ok = sum(1 for s in vals if s.comm in (Quality.GOOD, Quality.SENSOR_FAULT))
    power = [s.heat_power_kw for s in vals if s.heat_power_kw is not None]
    dues = [s.pending_until for s in vals if s.rooms_pending and s.pending_until is not None]
    return KeyFigures(
        outdoor=float(np.median(outdoor)) if outdoor else None,
        rooms_below_18=sum(s.rooms_below_18 for s in vals),
        rooms_below_16=sum(s.rooms_below_16 for s in vals),
        coldest_room=coldest.room_min if coldest else None,
        coldest_station=coldest.name if coldest else None,
        rooms_in_alarm=sum(s.rooms_in_alarm for s in vals),
        rooms_pending=sum(s.rooms_pending for s in vals),
        pending_until=min(dues) if dues else None,
        stations_in_alarm=len(alarmed),
        stations_total=len(vals),
        comm_good_pct=100.0 * ok / len(vals) if vals else None,
        heat_power_mw=sum(power) / 1000.0 if power else None,
        unacked_alarms=n_unacked,
        flood=flood,
        flood_count=flood_count,
        worst_priority=_worst([f[0] for f in lines]),
        unacked_priority=_worst([f[1] for f in lines]),
        stations_stale=sum(1 for s in vals if s.comm == Quality.STALE),
        stations_failed=sum(1 for s in vals if s.comm in (Quality.COMM_FAIL, Quality.NO_DATA)),
        time_scale=time_scale,
        room_low_limit=lows.pop() if len(lows) == 1 else None,
        room_episodes=episodes,
        districts=district_rooms(states, district_names),
    )


def poll_cycle(service: PlantPicture, now: float | None = None) -> dict[str, float]:
    """The poll cycle as a dispatcher judges it: period, how fresh the oldest answering
    station's data is, and the slowest station scan."""
    now = time.time() if now is None else now
    return {"period_s": _main_period(service.net), **_cycle(service, now)}


# The network's most common scan period (it does not change while it runs), for the last network
# asked about: a window shows one network; a thin console's is replaced when its server's changes,
# and a memo of several would keep each old (city-sized) description alive.
_period_of: list[tuple[NetworkDef, float]] = []


def _main_period(net: NetworkDef) -> float:
    if _period_of and _period_of[0][0] is net:
        return _period_of[0][1]
    periods = [net.scan_group_for(s).period_s for s in net.stations]
    period = max(set(periods), key=periods.count) if periods else 0.0
    _period_of[:] = [(net, period)]
    return period


def _cycle(service: PlantPicture, now: float) -> dict[str, float]:
    live = [
        st for st in service.live.stations.values()
        if st.last_scan is not None and st.comm == CommState.OK
    ]  # fmt: skip
    return {
        "cycle_s": max((now - st.last_scan for st in live if st.last_scan), default=0.0),
        "slowest_scan_s": max((st.last_duration for st in live), default=0.0),
    }


def build_snapshot(
    source: ConsoleService | PlantPicture,
    *,
    focus: str | None = None,
    trend_keys: tuple[str, ...] = (),
    batch_s: float = 0.0,
    journal: str = "journal: off",
    cache: SnapshotCache | None = None,
) -> Snapshot:
    """Everything the window shows, from the service's state right now (service thread).

    With a `cache` (the bridge keeps one), unchanged stations and alarms reuse the previous
    snapshot's objects."""
    if isinstance(source, ConsoleService):
        # One picture per service across builds: it keeps what did not change (room limits).
        pic = cache.picture if cache is not None else None
        if pic is None or pic.service is not source:
            pic = ServicePicture(source)
            if cache is not None:
                cache.picture = pic
        service: PlantPicture = pic
    else:
        service = source
    net = service.net
    names = {s.id: s.name for s in net.stations}
    district_names = {d.id: d.name for d in net.districts}
    rows, views = alarm_rows(service, names, cache, district_names)
    # The room forecaster's picture (a thin console's mirror has none): advisories are rows
    # below every alarm; the forecasts and fits ride along for the trend and station views.
    fc_picture = getattr(service, "forecast", lambda: None)()
    fc_view = forecast_view(fc_picture, net.forecast is not None)
    rows = rows + advisory_rows(fc_picture, names, district_names, net)
    idx = cache.index if cache is not None else _alarm_index(views)
    pending = service.pending_rooms()
    limits = service.room_limits()
    states: dict[str, StationState] = {}
    old_states = cache.states if cache is not None else {}
    new_states: dict[str, tuple[int, Any, bool, dict, Any, Any, StationState, Any]] = {}
    for sdef in net.stations:
        prio, unacked, pts = idx.get(sdef.id, (None, False, {}))
        st = service.live.stations[sdef.id]
        pend = pending.get(sdef.id)
        lim = limits[sdef.id]
        old = old_states.get(sdef.id)
        # A station's state changes only with a new scan (live store), its alarms/pending or
        # the limits the engine applies ... or with its qualities (a thin console marks a lost
        # server's values stale in place of a scan): the very same quality array, or build again.
        if (
            old is not None
            and old[7] is st.quality
            and old[:6] == (st.scans, prio, unacked, pts, pend, lim)
        ):
            states[sdef.id] = old[6]
            new_states[sdef.id] = old  # not 757 new tuples per build for the GC to walk
            continue
        state = station_state(sdef, st, prio, unacked, pts, pend, limits=lim)
        states[sdef.id] = state
        new_states[sdef.id] = (st.scans, prio, unacked, pts, pend, lim, state, st.quality)
    if cache is not None:
        cache.states = new_states
    flood, flood_count = service.flood()
    # tone() is None exactly when nothing sounds; sounding() would build thousands of keys
    # on a cold night only to be tested for emptiness (the GIL the GUI thread waits for).
    tone = service.tone()
    scale = service.time_scale()
    figs = key_figures(
        states, rows, flood, flood_count=flood_count, time_scale=scale,
        district_names=district_names, memo=cache.figures if cache is not None else None,
    )  # fmt: skip
    vals = states.values()
    status = StatusInfo(
        **poll_cycle(service),
        batch_s=batch_s,
        scans=service.batches,
        good=sum(1 for s in vals if s.comm in (Quality.GOOD, Quality.SENSOR_FAULT)),
        stale=sum(1 for s in vals if s.comm == Quality.STALE),
        failed=sum(1 for s in vals if s.comm in (Quality.COMM_FAIL, Quality.NO_DATA)),
        journal=status_words(service.journal_text() or journal),
        user=service.user,
        sounding=tone is not None,
        tone=tone,
        flood=flood,
        flood_count=flood_count,
        complete=all(st.scans > 0 for st in service.live.stations.values()),
        link_problem=status_words(service.link_problem()),
        time_scale=scale,
        time_note=time_note(scale),
    )
    detail = None
    if focus is not None and focus in service.live.stations:
        st = service.live.stations[focus]
        pts_alarm = idx.get(focus, (None, False, {}))[2]
        lim = limits[focus]
        detail = StationDetail(
            focus,
            states[focus],
            station_points(st, pts_alarm, lim),
            station_rooms(st, pts_alarm, lim),
        )
    trends = {}
    for key in trend_keys:
        if (pk := PointKey.try_parse(key)) is None:
            continue
        st = service.live.stations.get(pk.station)
        if st is not None and pk.point in st.table.index:
            trends[key] = service.live.trend(pk.station, pk.point)
    return Snapshot(
        time.time(), states, figs, rows, status, detail, trends,
        leaks=leak_view(cache.leaky if cache is not None else views), forecast=fc_view,
    )  # fmt: skip
