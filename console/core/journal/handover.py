"""The shift handover report: what happened between two times, as one self-contained HTML file.

The report is computed in one pass over the shift's events (one index range on `time`), seeded
with each alarm key's state at the start of the shift (a scan of the covering partial index
events_alarm_latest) and each station's last communication event in the week before it.

Alarm semantics (ISA-18.2): an alarm is *raised* (annunciated) when its key enters UNACK; it is
*acknowledged* by UNACK → ACK or RTN_UNACK → NORMAL; its condition is present in UNACK and ACK,
absent in NORMAL and RTN_UNACK; SHELVED / SUPPRESSED / OUT_OF_SERVICE keep the condition as it
was unless the event's details say `{"condition": …}` (what the engine writes) or `{"active": …}`.

The running service journals acknowledgements, shelving and out-of-service as OPERATOR records
(action "ack"/"shelve"/…, state = the alarm's state after it) and no ALARM record: those records
change the alarm's state here too, so the report's open, acknowledged and shelved alarms at its
end are the ones the console's alarm engine shows at that time. Rates follow EEMUA 191: alarms per
10 minutes, flood = 10 or more new alarms in 10 minutes. Room alarms stay one per room in the
lists, but the rates count station-level room episodes: a room alarm raised while another room
alarm of the same station and rule is open continues that episode (a station's rooms going
cold together is one event for the operator, as the console's flood count has it).
"""

from __future__ import annotations

import html
import math
import re
import sqlite3
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from console.core.energy.export import fmt_event_time, zoned
from console.core.energy.metering import MeteringReport
from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.journal.alarm_words import alarm_words
from console.core.journal.query import fmt_time
from console.core.journal.source import JournalSource, as_source
from console.core.journal.store import SELECT_COLUMNS, event_from_row
from console.text_safety import terminal_safe
from console.vocabulary.advisory_words import advisory_words
from console.vocabulary.journal_actions import action_words
from console.vocabulary.keys import AlarmKey, KeyTextError

ROOM_KEY = re.compile(r"^(?P<station>[^/]+)/(?P<point>room_temp\[\d+\])/(?P<rule>room_\w+)$")
ROOM_ALARM = re.compile(r"^(?P<station>[^/]+)/room_temp\[\d+\]/(?P<rule>\w+)$")  # any room rule
COMM_RULES = ("comm_fail", "comm", "stale", "heartbeat")
COMM_DOWN = {"fail", "failed", "comm_fail", "stale", "lost", "down", "timeout", "error"}
COMM_UP = {"ok", "good", "restored", "recovered", "up", "connected"}
FLOOD = 10  # EEMUA 191: 10 or more new alarms in 10 minutes
WINDOW = 600.0
COMM_LOOKBACK_S = 7 * 86400
MAX_ROWS = 500  # per table; the journal keeps everything, the report stays readable

# The report's words come through a `translate(context, text)` given by the caller (the CLI's
# Qt catalogues, console/cli_i18n.py): this module imports no Qt. Without one it is English.
Translate = Callable[[str, str], str]


def source_text(context: str, text: str) -> str:
    """The English source text: the report without a translator."""
    return text


_ACTIVE = {AlarmState.UNACK, AlarmState.ACK}
_CLEAR = {AlarmState.NORMAL, AlarmState.RTN_UNACK}
_UNACKED = {AlarmState.UNACK, AlarmState.RTN_UNACK}
_OPEN = {AlarmState.UNACK, AlarmState.ACK, AlarmState.RTN_UNACK}
_HIDDEN = {AlarmState.SHELVED, AlarmState.OUT_OF_SERVICE, AlarmState.SUPPRESSED}
# Operator actions that change an alarm's state, and the state when the record names none.
_OP_STATE: dict[str, AlarmState | None] = {
    "ack": None,  # UNACK -> ACK, RTN_UNACK -> NORMAL
    "acknowledge": None,
    "shelve": AlarmState.SHELVED,
    "out_of_service": AlarmState.OUT_OF_SERVICE,
    "unshelve": None,  # the state it returns to is only known from the record
    "return_to_service": None,
}


def eemua_verdict(per_10min: float, translate: Translate | None = None) -> str:
    """EEMUA 191's benchmark for the average alarm rate in steady operation."""
    translate = translate or source_text
    if per_10min <= 1:
        return translate("handover", "very likely to be acceptable")
    if per_10min <= 2:
        return translate("handover", "manageable")
    if per_10min < 10:
        return translate("handover", "likely to be over-demanding")
    return translate("handover", "very likely to be unacceptable")


def peak_verdict(peak: int, translate: Translate | None = None) -> str:
    """EEMUA 191's benchmark for alarms in the 10 minutes after an upset."""
    translate = translate or source_text
    if peak < FLOOD:
        return translate("handover", "should be manageable")
    if peak <= 100:
        return translate("handover", "hard to cope with (alarm flood)")
    return translate("handover", "definitely excessive")


@dataclass
class _Span:
    """Time a condition held within the report window, from any of several sources."""

    sources: set[str] = field(default_factory=set)
    start: float | None = None
    total: float = 0.0
    episodes: list[tuple[float, float | None]] = field(default_factory=list)

    def set(self, source: str, on: bool, t: float) -> None:
        was = bool(self.sources)
        (self.sources.add if on else self.sources.discard)(source)
        if self.sources and not was:
            self.start = t
        elif was and not self.sources and self.start is not None:
            self.total += t - self.start
            self.episodes.append((self.start, t))
            self.start = None

    def close(self, end: float) -> bool:
        """Count an episode still running at `end`; True if it was."""
        if self.start is None:
            return False
        self.total += max(0.0, end - self.start)
        self.episodes.append((self.start, None))
        return True


@dataclass
class RoomCold:
    station: str
    point: str
    below_18_s: float
    below_16_s: float
    episodes: int
    lowest: float | None
    cold_at_end: bool
    cold_at_start: bool


@dataclass
class Outage:
    station: str
    start: float  # clipped to the report start when it began before
    end: float | None  # None = still out at the end
    began_before: bool

    def duration(self, until: float) -> float:
        return (self.end if self.end is not None else until) - self.start


@dataclass
class Ack:
    time: float
    alarm: str
    station: str | None
    priority: Priority | None
    user: str | None
    raised_at: float | None
    comment: str | None

    @property
    def seconds(self) -> float | None:
        return None if self.raised_at is None else self.time - self.raised_at


@dataclass
class OpenAlarm:
    alarm: str
    state: AlarmState
    since: float
    event: JournalEvent | None


@dataclass
class HiddenAlarm:
    """An alarm shelved, out of service or suppressed at the end: not open, not forgotten."""

    alarm: str
    state: AlarmState
    since: float
    active: bool  # its condition at the end
    by: str | None  # who shelved it / took it out of service
    reason: str | None
    until: float | None  # a shelf's expiry; None = one-shot or not a shelf
    event: JournalEvent | None


@dataclass
class Unacked:
    alarm: str
    station: str | None
    priority: Priority | None
    start: float
    end: float | None  # None = still unacknowledged at the end

    def duration(self, until: float) -> float:
        return (self.end if self.end is not None else until) - self.start


@dataclass
class HandoverReport:
    since: float
    until: float  # the requested end
    end: float  # min(until, generated): what rates and durations are computed over
    generated: float
    consoles: list[str]
    events: int
    raised: list[JournalEvent]
    acks: list[Ack]
    still_open: list[OpenAlarm]
    rooms: list[RoomCold]
    outages: list[Outage]
    notes: list[JournalEvent]
    actions: list[JournalEvent]
    system: list[JournalEvent]
    unacked: list[Unacked]
    # EEMUA 191
    avg_per_10min: float
    peak_10min: int
    peak_at: float | None
    flood_periods: list[tuple[float, float, int]]
    flood_share: float
    flood_buckets: int
    periods: int
    top_alarms: list[tuple[str, int, JournalEvent]]
    by_priority: dict[str, int]
    # What the rates count: `raised` with each station-level room episode once (its first).
    rated: list[JournalEvent] = field(default_factory=list)
    # Heat metering (console.core.energy), when a history was at hand: its own section.
    energy: MeteringReport | None = None
    hidden: list[HiddenAlarm] = field(default_factory=list)  # shelved etc. at the end

    @property
    def rooms_cold_at_end(self) -> int:
        """Rooms whose room alarm condition holds at the end: the engine's cold rooms then."""
        return sum(1 for x in self.rooms if x.cold_at_end)

    @property
    def hours(self) -> float:
        return (self.end - self.since) / 3600


def _is_ack(prev: AlarmState, new: AlarmState) -> bool:
    return (prev is AlarmState.UNACK and new is AlarmState.ACK) or (
        prev is AlarmState.RTN_UNACK and new is AlarmState.NORMAL
    )


def _condition(e: JournalEvent, was: bool) -> bool:
    for name in ("condition", "active"):  # the engine writes "condition"
        active = e.details.get(name) if e.details else None
        if isinstance(active, bool):
            return active
    if e.state in _ACTIVE:
        return True
    if e.state in _CLEAR:
        return False
    return was


def _comm_down(e: JournalEvent) -> bool | None:
    status = str(e.details.get("status") or e.action or "").lower() if e.details else ""
    status = status or (e.action or "").lower()
    if status in COMM_DOWN:
        return True
    if status in COMM_UP:
        return False
    words = set(re.findall(r"[a-z_]+", e.message.lower()))
    if words & COMM_DOWN:
        return True
    if words & COMM_UP:
        return False
    return None


def build_report(
    journal: sqlite3.Connection | JournalSource,
    since: float,
    until: float,
    *,
    now: float | None = None,
) -> HandoverReport:
    src = as_source(journal)
    generated = time.time() if now is None else now
    end = max(since, min(until, generated))

    # Each alarm key's latest non-NORMAL state before the shift.
    prior: dict[str, tuple[AlarmState, float]] = {}
    prior_events: dict[str, JournalEvent] = {}
    for e in src.alarm_states_before(since):
        if e.alarm is None or e.state is None:  # another row of the same key and time
            continue
        prior[e.alarm] = (e.state, e.time)
        prior_events[e.alarm] = e

    state: dict[str, AlarmState] = {k: s for k, (s, _) in prior.items()}
    entered: dict[str, float] = {k: t for k, (_, t) in prior.items()}  # time of latest state
    last_event: dict[str, JournalEvent] = dict(prior_events)
    unack_start: dict[str, float] = {k: t for k, (s, t) in prior.items() if s in _UNACKED}
    raised_at: dict[str, float] = {k: t for k, (s, t) in prior.items() if s in _UNACKED}
    condition: dict[str, bool] = {}
    handled: dict[str, JournalEvent] = {}  # the operator record behind a shelved/OOS state
    # Acknowledgements and shelving before the shift are OPERATOR records: apply those newer
    # than their key's latest ALARM record.
    for e in _operator_states_before(src, since, prior):
        assert e.alarm is not None
        new = _op_state(e, state.get(e.alarm, AlarmState.NORMAL))
        if new is None:
            continue
        state[e.alarm], entered[e.alarm], handled[e.alarm] = new, e.time, e
        if new not in _UNACKED:
            unack_start.pop(e.alarm, None)
        elif e.alarm not in unack_start:
            unack_start[e.alarm] = e.time

    rooms: dict[tuple[str, str], tuple[_Span, _Span]] = {}
    lowest: dict[tuple[str, str], float] = {}
    cold_start: set[tuple[str, str]] = set()
    comm: dict[str, _Span] = {}
    comm_start: set[str] = set()

    parsed: dict[str, tuple[str, str, str] | None] = {}

    def room_of(key: str) -> tuple[str, str, str] | None:
        if key not in parsed:
            m = ROOM_KEY.match(key)
            parsed[key] = (m["station"], m["point"], m["rule"]) if m else None
        return parsed[key]

    def room_update(key: str, e: JournalEvent | None, on: bool, t: float) -> None:
        room = room_of(key)
        if room is None:
            return
        rk, rule = room[:2], room[2]
        low, crit = rooms.setdefault(rk, (_Span(), _Span()))
        low.set(rule, on, t)
        if rule == "room_critical":
            crit.set(rule, on, t)
        if e is not None and e.value is not None and on:
            lowest[rk] = min(lowest.get(rk, e.value), e.value)

    episodes: dict[tuple[str, str], set[str]] = {}  # (station, room rule) -> open room keys
    groups: dict[str, tuple[str, str] | None] = {}

    def episode_of(key: str) -> tuple[str, str] | None:
        if key not in groups:
            m = ROOM_ALARM.match(key)
            groups[key] = (m["station"], m["rule"]) if m else None
        return groups[key]

    def episode_update(key: str, s: AlarmState) -> None:
        if (grp := episode_of(key)) is not None:
            open_keys = episodes.setdefault(grp, set())
            if s in _OPEN:
                open_keys.add(key)
            else:
                open_keys.discard(key)

    for key, s in state.items():
        episode_update(key, s)

    def comm_update(station: str, source: str, on: bool, t: float) -> None:
        comm.setdefault(station, _Span()).set(source, on, t)

    def comm_rule(key: str) -> str | None:
        try:
            k = AlarmKey.parse(key)
        except KeyTextError:
            return None  # not station/point/rule (an imported journal's oddity): no comm span
        return k.station if k.rule in COMM_RULES else None

    for key, e in prior_events.items():
        on = _condition(e, False)
        condition[key] = on
        if on:
            room_update(key, e, True, since)
            if room := room_of(key):
                cold_start.add(room[:2])
            if st := comm_rule(key):
                comm_update(st, key, True, since)
                comm_start.add(st)
    for station, *row in src.rows(
        f"SELECT station, {SELECT_COLUMNS} FROM events WHERE kind = 'comm' AND time >= ? "
        "AND time < ? AND station IS NOT NULL ORDER BY time, id",
        (since - COMM_LOOKBACK_S, since),
    ):
        down = _comm_down(event_from_row(row))
        if down is not None:
            comm_update(station, "comm", down, since)
    comm_start |= {s for s, span in comm.items() if span.sources}

    raised: list[JournalEvent] = []
    rated: list[JournalEvent] = []
    acks: list[Ack] = []
    unacked: list[Unacked] = []
    notes: list[JournalEvent] = []
    actions: list[JournalEvent] = []
    system: list[JournalEvent] = []
    op_acks: dict[str, list[JournalEvent]] = {}
    consoles: set[str] = set()
    n_events = 0

    def transition(e: JournalEvent, key: str, prev: AlarmState, new: AlarmState) -> None:
        """An ALARM record or an operator action moved `key` from `prev` to `new`."""
        if new is AlarmState.UNACK and prev is not AlarmState.UNACK:
            raised.append(e)
            raised_at[key] = e.time
            grp = episode_of(key)
            if grp is None or not episodes.get(grp, set()) - {key}:
                rated.append(e)  # not a room joining its station's open episode
        episode_update(key, new)
        if _is_ack(prev, new):
            acks.append(
                Ack(e.time, key, e.station, e.priority, e.user, raised_at.get(key), e.comment)
            )
        if new in _UNACKED and key not in unack_start:
            unack_start[key] = e.time
        elif new not in _UNACKED and key in unack_start:
            start = unack_start.pop(key)
            unacked.append(Unacked(key, e.station, e.priority, start, e.time))
        state[key], entered[key] = new, e.time

    for e in src.events(
        f"SELECT {SELECT_COLUMNS} FROM events WHERE time >= ? AND time < ? ORDER BY time, id",
        (since, end),
    ):
        n_events += 1
        if e.console:  # optional: an imported row may carry none
            consoles.add(e.console)
        if e.kind is Kind.ALARM and e.alarm and e.state is not None:
            key, new = e.alarm, e.state
            prev = state.get(key, AlarmState.NORMAL)
            transition(e, key, prev, new)
            on = _condition(e, condition.get(key, False))
            if on != condition.get(key, False):
                condition[key] = on
                room_update(key, e, on, e.time)
                if st := comm_rule(key):
                    comm_update(st, key, on, e.time)
            elif on and e.value is not None and (room := room_of(key)):
                lowest[room[:2]] = min(lowest.get(room[:2], e.value), e.value)
            last_event[key] = e
        elif e.kind is Kind.OPERATOR:
            new_op = None
            if e.alarm and e.action in _OP_STATE:
                prev = state.get(e.alarm, AlarmState.NORMAL)
                new_op = _op_state(e, prev)
                if new_op is not None:
                    transition(e, e.alarm, prev, new_op)
                    handled[e.alarm] = e
            if e.action == "note":
                notes.append(e)
            elif e.action in ("ack", "acknowledge") and e.alarm:
                if new_op is None:  # acknowledged by a journalled ALARM record instead
                    op_acks.setdefault(e.alarm, []).append(e)
                actions.append(e)
            else:
                actions.append(e)
        elif e.kind is Kind.COMM and e.station:
            down = _comm_down(e)
            if down is not None:
                comm_update(e.station, "comm", down, e.time)
        elif e.kind in (Kind.SYSTEM, Kind.CONFIG):
            system.append(e)

    # Attribute acknowledgements without a user to the operator action that caused them.
    for a in acks:
        if a.user is None:
            near = [o for o in op_acks.get(a.alarm, []) if abs(o.time - a.time) <= 60]
            if near:
                o = min(near, key=lambda o: abs(o.time - a.time))
                a.user, a.comment = o.user, a.comment or o.comment
    # Operator acks with no journalled transition (engine not journalling acks) still count.
    acked_keys = {(a.alarm, round(a.time)) for a in acks}
    for key, ops in op_acks.items():
        for o in ops:
            if not any(k == key and abs(t - o.time) <= 60 for k, t in acked_keys):
                acks.append(
                    Ack(o.time, key, o.station, o.priority, o.user, raised_at.get(key), o.comment)
                )
    acks.sort(key=lambda a: a.time)

    for key, start in unack_start.items():
        ev = last_event.get(key)
        unacked.append(Unacked(key, ev and ev.station, ev and ev.priority, start, None))
    unacked.sort(key=lambda u: -u.duration(end))

    still_open = [
        OpenAlarm(k, s, entered[k], last_event.get(k) or handled.get(k))
        for k, s in state.items()
        if s in _OPEN
    ]
    hidden = []
    for k, s in state.items():
        if s not in _HIDDEN:
            continue
        op = handled.get(k) if s is not AlarmState.SUPPRESSED else None
        details = op.details if op is not None and op.details else {}
        shelf_end = details.get("until")
        hidden.append(
            HiddenAlarm(
                k,
                s,
                entered[k],
                condition.get(k, False),
                op.user if op else None,
                op.comment if op else None,
                float(shelf_end) if isinstance(shelf_end, int | float) else None,
                last_event.get(k) or op,
            )
        )
    hidden.sort(key=lambda h: (h.state, h.since, h.alarm))
    still_open.sort(
        key=lambda o: (
            o.event.priority.rank if o.event and o.event.priority else 9,
            o.state is not AlarmState.UNACK,
            o.since,
        )
    )

    room_rows = []
    for (station, point), (low, crit) in rooms.items():
        at_end = low.close(end)
        crit.close(end)
        if low.total <= 0 and not at_end:
            continue
        room_rows.append(
            RoomCold(
                station,
                point,
                low.total,
                crit.total,
                len(low.episodes),
                lowest.get((station, point)),
                at_end,
                (station, point) in cold_start,
            )
        )
    room_rows.sort(key=lambda r: (-r.below_18_s, r.station, r.point))

    outages = []
    for station, span in comm.items():
        span.close(end)
        for start, stop in span.episodes:
            outages.append(Outage(station, start, stop, start <= since and station in comm_start))
    outages.sort(key=lambda o: (o.start, o.station))

    # EEMUA 191 figures over the annunciations (entries into UNACK), room episodes once.
    times = [e.time for e in rated]
    duration = max(end - since, 1.0)
    periods = max(1, math.ceil(duration / WINDOW))
    buckets = Counter(int((t - since) // WINDOW) for t in times)
    peak, peak_at, j = 0, None, 0
    for i, t in enumerate(times):  # sliding window: most alarms in any 10 minutes
        while times[j] <= t - WINDOW:
            j += 1
        if i - j + 1 > peak:
            peak, peak_at = i - j + 1, times[j]
    flood_periods: list[tuple[float, float, int]] = []
    for b in sorted(k for k, n in buckets.items() if n >= FLOOD):
        start, stop = since + b * WINDOW, min(end, since + (b + 1) * WINDOW)
        if flood_periods and flood_periods[-1][1] >= start:
            s0, _, n0 = flood_periods[-1]
            flood_periods[-1] = (s0, stop, n0 + buckets[b])
        else:
            flood_periods.append((start, stop, buckets[b]))
    flood_buckets = sum(1 for n in buckets.values() if n >= FLOOD)

    def rate_key(e: JournalEvent) -> str | None:
        grp = episode_of(e.alarm) if e.alarm else None
        return f"{grp[0]}/room_temp[*]/{grp[1]}" if grp else e.alarm

    counts = Counter(k for e in rated if (k := rate_key(e)))
    latest = {rate_key(e): e for e in rated}
    top = [(k, n, latest[k]) for k, n in counts.most_common(10)]
    by_priority = Counter(str(e.priority) if e.priority else "none" for e in rated)

    return HandoverReport(
        since=since,
        until=until,
        end=end,
        generated=generated,
        consoles=sorted(consoles),
        events=n_events,
        raised=raised,
        acks=acks,
        still_open=still_open,
        rooms=room_rows,
        outages=outages,
        notes=notes,
        actions=actions,
        system=system,
        unacked=unacked[:10],
        avg_per_10min=len(times) / (duration / WINDOW),
        peak_10min=peak,
        peak_at=peak_at,
        flood_periods=flood_periods,
        flood_share=flood_buckets / periods,
        flood_buckets=flood_buckets,
        periods=periods,
        top_alarms=top,
        by_priority=dict(by_priority),
        rated=rated,
        hidden=hidden,
    )


def _op_state(e: JournalEvent, prev: AlarmState) -> AlarmState | None:
    """The state an operator record leaves its alarm in; None if it changes nothing known."""
    if e.action in ("ack", "acknowledge"):
        if prev is AlarmState.UNACK:
            return AlarmState.ACK
        if prev is AlarmState.RTN_UNACK:
            return AlarmState.NORMAL
        return None
    if e.action not in _OP_STATE:
        return None
    new = e.state or _OP_STATE[e.action]
    return new if new is not None and new is not prev else None


def _operator_states_before(
    src: JournalSource, since: float, prior: dict[str, tuple[AlarmState, float]]
) -> list[JournalEvent]:
    """State-changing operator records of the week before `since` (or since the oldest open
    alarm), each newer than its key's latest ALARM record."""
    start = min([since - COMM_LOOKBACK_S, *(t for _, t in prior.values())])
    actions = ", ".join(f"'{a}'" for a in _OP_STATE)
    ops = [
        e
        for e in src.events(
            f"SELECT {SELECT_COLUMNS} FROM events WHERE kind = 'operator' AND time >= ? "
            f"AND time < ? AND alarm IS NOT NULL AND action IN ({actions}) ORDER BY time, id",
            (start, since),
        )
        if e.alarm
    ]
    latest: dict[str, float] = {k: t for k, (_, t) in prior.items()}
    for key in {e.alarm for e in ops if e.alarm and e.alarm not in latest}:
        rows = list(
            src.rows(
                "SELECT max(time) FROM events WHERE kind = 'alarm' AND alarm = ? AND time < ?",
                (key, since),
            )
        )
        latest[key] = rows[0][0] if rows and rows[0][0] is not None else -math.inf
    return [e for e in ops if e.alarm and e.time >= latest[e.alarm]]


# ---- HTML -------------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC",
  "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
  "WenQuanYi Micro Hei", sans-serif; color: #222; background: #fff; margin: 2em auto;
  max-width: 1100px; padding: 0 1em; line-height: 1.4; font-size: 14px; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.2em; margin-top: 1.6em;
  border-bottom: 2px solid #888; padding-bottom: .2em; }
.meta { color: #555; } table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.kpi { display: flex; flex-wrap: wrap; gap: .8em; } .kpi div { border: 1px solid #bbb;
  padding: .5em .8em; min-width: 10em; } .kpi b { display: block; font-size: 1.5em; }
.bad { color: #b00020; font-weight: 600; } .warn { color: #8a5a00; } .ok { color: #1b5e20; }
.note { white-space: pre-wrap; } .more { color: #555; font-style: italic; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { page-break-after: avoid; } tr { page-break-inside: avoid; }
  thead { display: table-header-group; } .kpi div { border-color: #000; } }
"""


def _e(x: object) -> str:
    """Text for the HTML: escaped, and its control characters shown as escapes (an imported
    journal's OSC sequence or bidi override must not reach a browser, or `cat report.html`)."""
    return html.escape(terminal_safe(x, keep_newlines=True))


def fmt_duration(secs: float | None, translate: Translate | None = None) -> str:
    translate = translate or source_text
    if secs is None:
        return "—"
    s = round(secs)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    if h:
        return translate("handover", "{h} h {m} min").format(h=h, m=f"{m:02d}")
    if m:
        return translate("handover", "{m} min {s} s").format(m=m, s=f"{sec:02d}")
    return translate("handover", "{s} s").format(s=sec)


class ReportWords:
    """The report's words in one language: a translate callable and the enumerated values."""

    def __init__(self, translate: Translate) -> None:
        self.t = translate
        self.priority = {
            Priority.CRITICAL: translate("handover", "critical"),
            Priority.HIGH: translate("handover", "high"),
            Priority.MEDIUM: translate("handover", "medium"),
            Priority.LOW: translate("handover", "low"),
            Priority.INFO: translate("handover", "info"),
        }
        self.state = {
            AlarmState.NORMAL: translate("handover", "normal"),
            AlarmState.UNACK: translate("handover", "unacknowledged"),
            AlarmState.ACK: translate("handover", "acknowledged"),
            AlarmState.RTN_UNACK: translate("handover", "returned to normal, unacknowledged"),
            AlarmState.SHELVED: translate("handover", "shelved"),
            AlarmState.SUPPRESSED: translate("handover", "suppressed"),
            AlarmState.OUT_OF_SERVICE: translate("handover", "out of service"),
        }
        self.kind = {
            Kind.SYSTEM: translate("handover", "system"),
            Kind.CONFIG: translate("handover", "configuration"),
            Kind.ALARM: translate("handover", "alarm"),
            Kind.COMM: translate("handover", "communication"),
            Kind.OPERATOR: translate("handover", "operator"),
            Kind.ADVISORY: translate("handover", "advisory"),
        }
        self.meter = {
            "rollover": translate("handover", "rollover"),
            "replacement": translate("handover", "replacement"),
            "step_back": translate("handover", "step back"),
            "jump": translate("handover", "jump"),
        }

    def of_priority(self, p: Priority | str | None) -> str:
        if p is None:
            return ""
        return self.priority.get(p, str(p))  # type: ignore[call-overload]

    def of_state(self, s: AlarmState) -> str:
        return self.state.get(s, str(s))

    def duration(self, secs: float | None) -> str:
        return fmt_duration(secs, self.t)

    def alarm(self, e: JournalEvent) -> str:
        """An alarm transition in the report's language (the journal keeps the English)."""
        return alarm_words(e, self.t)

    def of_kind(self, k: Kind) -> str:
        return self.kind.get(k, str(k))

    def message(self, e: JournalEvent) -> str:
        """A record's text for a table with no alarm column (`heatconsole log`): the key, then
        the transition worded; other records as recorded."""
        if e.kind is Kind.ADVISORY:
            said = advisory_words(e.action, e.limit, e.details, e.message, self.t)
            return said if said == e.message or not e.station else f"{e.station}: {said}"
        text = alarm_words(e, self.t)
        return text if text == e.message or not e.alarm else f"{e.alarm} {text}"


def _table(
    head: list[str],
    rows: list[list[str]],
    numeric: set[int] | None = None,
    *,
    total: int = 0,
    translate: Translate = source_text,
) -> str:
    """`rows` cells are already-escaped HTML; `total` = rows before the caller cut them."""
    numeric = numeric or set()
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for r in rows[:MAX_ROWS]:
        cells = (f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in
                 enumerate(r))  # fmt: skip
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    total = max(total, len(rows))
    if total > MAX_ROWS:
        more = translate(
            "handover", "… and {n} more rows; the journal has them all (heatconsole log)."
        )
        out.append(f'<p class="more">{_e(more.format(n=total - MAX_ROWS))}</p>')
    return "".join(out)


def _none(text: str) -> str:
    return f'<p class="more">{_e(text)}</p>'


def _tag(tag: str, text: str, *, bold: bool = False) -> str:
    inner = f"<b>{_e(text)}</b>" if bold else _e(text)
    return f"<{tag}>{inner}</{tag}>"


def _kpi(label: str, value: str, note: str = "", *, css: str = "") -> str:
    """A key-figure box: its label, the figure (large) and a note under it."""
    b = f'<b class="{css}">' if css else "<b>"
    return f"<div>{_e(label)}{b}{_e(value)}</b>{_e(note)}</div>"


def render_html(
    r: HandoverReport,
    title: str | None = None,
    *,
    translate: Translate | None = None,
    lang: str = "en",
) -> str:
    """The report as one HTML page. `translate(context, text)` words it (English without);
    `lang` is the page's language tag (en, zh_CN) for fonts and screen readers."""
    translate = translate or source_text
    w = ReportWords(translate)
    title = title or translate("handover", "Shift handover")
    t = fmt_time
    acked = [a.seconds for a in r.acks if a.seconds is not None]
    unacked_open = sum(1 for o in r.still_open if o.state in _UNACKED)
    verdict = eemua_verdict(r.avg_per_10min, translate)
    vclass = "ok" if r.avg_per_10min <= 2 else ("warn" if r.avg_per_10min < 10 else "bad")

    def table(head: list[str], rows: list[list[str]], numeric: set[int] | None = None,
              total: int = 0) -> str:  # fmt: skip
        return _table(head, rows, numeric, total=total, translate=translate)

    meta = translate("handover", "Shift {since} – {until}").format(
        since=t(r.since), until=t(r.until)
    )
    if r.end < r.until:
        meta += " " + translate("handover", "(in progress; figures up to {time})").format(
            time=t(r.end)
        )
    meta += " · " + translate("handover", "generated {time}").format(time=t(r.generated))
    meta += " · " + translate("handover", "console(s): {names}").format(
        names=", ".join(r.consoles) or "—"
    )
    meta += " · " + translate("handover", "{n} journal records").format(n=r.events)
    html_lang = "zh-CN" if lang.startswith("zh") else "en"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html_lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)} {_e(t(r.since))} – {_e(t(r.until))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(meta)}</p>',
        '<div class="kpi">',
        _kpi(translate("handover", "Alarms raised"), str(len(r.raised))),
        _kpi(translate("handover", "Acknowledged"), str(len(r.acks))),
        _kpi(
            translate("handover", "Still open at end"),
            str(len(r.still_open)),
            translate("handover", "{n} unacknowledged").format(n=unacked_open),
        ),
        _kpi(translate("handover", "Shelved / out of service at end"), str(len(r.hidden))),
        _kpi(
            # From the journal: rooms whose alarm still held (it clears a deadband above
            # 18 °C), which can be more than the window's rooms below 18 °C at that moment.
            translate("handover", "Rooms still in alarm at end"),
            str(r.rooms_cold_at_end),
            translate("handover", "{n} during the shift").format(n=len(r.rooms)),
        ),
        _kpi(translate("handover", "Comm outages"), str(len(r.outages))),
        _kpi(
            translate("handover", "Alarms / 10 min"),
            f"{r.avg_per_10min:.2f}",
            verdict,
            css=vclass,
        ),
        "</div>",
    ]

    # EEMUA 191
    parts.append(_tag("h2", translate("handover", "Alarm rate against EEMUA 191")))
    avg_note = translate(
        "handover",
        "({n} in {hours} h; a station's room alarms count once per episode)",
    ).format(n=len(r.rated), hours=f"{r.hours:.1f}")
    peak_from = ""
    if r.peak_at is not None:
        peak_from = " " + translate("handover", "(from {time})").format(time=t(r.peak_at))
    flood = translate("handover", "{n} of {periods} ({share} of the shift)").format(
        n=r.flood_buckets, periods=r.periods, share=f"{r.flood_share:.1%}"
    )
    parts.append(
        table(
            [
                translate("handover", "Figure"),
                translate("handover", "Value"),
                translate("handover", "EEMUA 191 benchmark"),
            ],
            [
                [
                    _e(translate("handover", "Average alarms per 10 minutes")),
                    f'<span class="{vclass}">{r.avg_per_10min:.2f}</span> {_e(avg_note)}',
                    _e(translate("handover", "≤ 1 very likely acceptable; ≤ 2 manageable"))
                    + f" → <b>{_e(verdict)}</b>",
                ],
                [
                    _e(translate("handover", "Peak alarms in any 10 minutes")),
                    f"{r.peak_10min}{_e(peak_from)}",
                    _e(translate("handover", "< 10 should be manageable"))
                    + f" → <b>{_e(peak_verdict(r.peak_10min, translate))}</b>",
                ],
                [
                    _e(translate("handover", "10-minute periods in flood (≥ 10 new alarms)")),
                    _e(flood),
                    _e(
                        translate(
                            "handover", "flood periods should be rare (ISA-18.2: under about 1 %)"
                        )
                    ),
                ],
                [
                    _e(translate("handover", "Ten most frequent alarms' share")),
                    f"{sum(n for _, n, _ in r.top_alarms) / len(r.rated):.0%}" if r.rated else "—",
                    _e(
                        translate(
                            "handover", "a high share points at a few bad actors worth fixing"
                        )
                    ),
                ],
            ],
        )
    )
    if r.by_priority:
        order = [str(p) for p in Priority] + ["none"]
        none = translate("handover", "none")
        shares = ", ".join(
            f"{w.of_priority(Priority(p)) if p != 'none' else none} "
            f"{r.by_priority[p]} ({r.by_priority[p] / len(r.rated):.0%})"
            for p in order
            if p in r.by_priority
        )
        text = translate(
            "handover",
            "Raised by priority: {shares} (EEMUA 191 suggests roughly 80 % low, 15 % "
            "high/medium, 5 % critical).",
        )
        parts.append(f"<p>{_e(text.format(shares=shares))}</p>")
    if r.flood_periods:
        parts.append(_tag("p", translate("handover", "Flood periods"), bold=True))
        parts.append(
            table(
                [
                    translate("handover", "From"),
                    translate("handover", "To"),
                    translate("handover", "Duration"),
                    translate("handover", "New alarms"),
                ],
                [
                    [_e(t(a)), _e(t(b)), _e(w.duration(b - a)), str(n)]
                    for a, b, n in r.flood_periods
                ],
                {3},
            )
        )
    alarm_h = translate("handover", "Alarm")
    station_h = translate("handover", "Station")
    priority_h = translate("handover", "Priority")
    when_h, who_h = translate("handover", "When"), translate("handover", "Who")
    parts.append(_tag("p", translate("handover", "Longest unacknowledged"), bold=True))
    still = _e(translate("handover", "still unacknowledged"))
    parts.append(
        table(
            [
                alarm_h,
                station_h,
                priority_h,
                translate("handover", "Unacknowledged from"),
                translate("handover", "Until"),
                translate("handover", "For"),
            ],
            [
                [
                    _e(u.alarm),
                    _e(u.station),
                    _e(w.of_priority(u.priority)),
                    _e(t(u.start)),
                    _e(t(u.end)) if u.end else f'<span class="bad">{still}</span>',
                    _e(w.duration(u.duration(r.end))),
                ]
                for u in r.unacked
            ],
        )
        if r.unacked
        else _none(translate("handover", "No alarm was unacknowledged during the shift."))
    )
    parts.append(_tag("p", translate("handover", "Ten most frequent alarms"), bold=True))
    parts.append(
        table(
            [
                alarm_h,
                station_h,
                priority_h,
                translate("handover", "Times raised"),
                translate("handover", "Last message"),
            ],
            [
                [_e(k), _e(e.station), _e(w.of_priority(e.priority)), str(n), _e(w.alarm(e))]
                for k, n, e in r.top_alarms
            ],
            {3},
        )
        if r.top_alarms
        else _none(translate("handover", "No alarms were raised."))
    )

    # Still open
    state_h, since_h = translate("handover", "State"), translate("handover", "Since")
    parts.append(_tag("h2", translate("handover", "Alarms still open at the end of the shift")))
    parts.append(
        table(
            [
                alarm_h,
                station_h,
                priority_h,
                state_h,
                since_h,
                translate("handover", "Value"),
                translate("handover", "Limit"),
                translate("handover", "Message"),
            ],
            [
                [
                    _e(o.alarm),
                    _e(o.event and o.event.station),
                    _e(w.of_priority(o.event and o.event.priority)),
                    f'<span class="bad">{_e(w.of_state(o.state))}</span>'
                    if o.state in _UNACKED
                    else _e(w.of_state(o.state)),
                    _e(t(o.since)),
                    _e(_num(o.event and o.event.value)),
                    _e(_num(o.event and o.event.limit)),
                    _e(o.event and w.alarm(o.event)),
                ]
                for o in r.still_open[:MAX_ROWS]
            ],
            total=len(r.still_open),
        )
        if r.still_open
        else _none(translate("handover", "None: every alarm is back to normal and acknowledged."))
    )
    parts.append(
        "<h2>"
        + _e(translate("handover", "Alarms shelved or out of service at the end of the shift"))
        + "</h2>"
    )
    active = _e(translate("handover", "active"))
    parts.append(
        table(
            [
                alarm_h,
                station_h,
                priority_h,
                state_h,
                since_h,
                translate("handover", "By"),
                translate("handover", "Reason"),
                translate("handover", "Until"),
                translate("handover", "Cond."),
            ],
            [
                [
                    _e(h.alarm),
                    _e(h.event and h.event.station),
                    _e(w.of_priority(h.event and h.event.priority)),
                    _e(w.of_state(h.state)),
                    _e(t(h.since)),
                    _e(h.by or "—"),
                    _e(h.reason),
                    _e(t(h.until)) if h.until else "—",
                    f'<span class="bad">{active}</span>'
                    if h.active
                    else _e(translate("handover", "cleared")),
                ]
                for h in r.hidden[:MAX_ROWS]
            ],
            total=len(r.hidden),
        )
        if r.hidden
        else _none(translate("handover", "None."))
    )

    # Acknowledgements
    parts.append(_tag("h2", translate("handover", "Acknowledgements")))
    if acked:
        text = translate("handover", "Time to acknowledge: median {median}, longest {longest}.")
        text = text.format(
            median=w.duration(statistics.median(acked)), longest=w.duration(max(acked))
        )
        parts.append(f"<p>{_e(text)}</p>")
    parts.append(
        table(
            [
                when_h,
                who_h,
                alarm_h,
                station_h,
                priority_h,
                translate("handover", "Raised"),
                translate("handover", "Took"),
                translate("handover", "Comment"),
            ],
            [
                [
                    _e(t(a.time)),
                    _e(a.user or "—"),
                    _e(a.alarm),
                    _e(a.station),
                    _e(w.of_priority(a.priority)),
                    _e(t(a.raised_at)) if a.raised_at else "—",
                    _e(w.duration(a.seconds)),
                    _e(a.comment),
                ]
                for a in r.acks[:MAX_ROWS]
            ],
            total=len(r.acks),
        )
        if r.acks
        else _none(translate("handover", "No acknowledgements."))
    )

    # Rooms
    parts.append(_tag("h2", translate("handover", "Rooms below 18 °C")))
    if r.rooms:
        stations = Counter(x.station for x in r.rooms)
        text = translate(
            "handover",
            "{rooms} room(s) in {stations} station(s); {cold} still in alarm at the end. "
            "Most affected stations: {worst}.",
        )
        worst = ", ".join(f"{s} ({n})" for s, n in stations.most_common(5))
        text = text.format(
            rooms=len(r.rooms), stations=len(stations), cold=r.rooms_cold_at_end, worst=worst
        )
        parts.append(f"<p>{_e(text)}</p>")
    cold_start = _e(translate("handover", "(cold at start)"))
    still_cold = _e(translate("handover", "still cold"))
    parts.append(
        table(
            [
                station_h,
                translate("handover", "Room"),
                translate("handover", "Below 18 °C"),
                translate("handover", "Below 16 °C"),
                translate("handover", "Episodes"),
                translate("handover", "Lowest °C"),
                translate("handover", "At end"),
            ],
            [
                [
                    _e(x.station),
                    _e(x.point) + (f" <small>{cold_start}</small>" if x.cold_at_start else ""),
                    _e(w.duration(x.below_18_s)),
                    _e(w.duration(x.below_16_s)) if x.below_16_s else "—",
                    str(x.episodes),
                    _e(_num(x.lowest)),
                    f'<span class="bad">{still_cold}</span>'
                    if x.cold_at_end
                    else _e(translate("handover", "recovered")),
                ]
                for x in r.rooms[:MAX_ROWS]
            ],
            {2, 3, 4, 5},
            total=len(r.rooms),
        )
        if r.rooms
        else _none(translate("handover", "No room was below 18 °C."))
    )

    # Comm
    parts.append(_tag("h2", translate("handover", "Communication outages")))
    before = _e(translate("handover", "(before shift)"))
    still_out = _e(translate("handover", "still out"))
    parts.append(
        table(
            [
                station_h,
                translate("handover", "From"),
                translate("handover", "To"),
                translate("handover", "Duration"),
            ],
            [
                [
                    _e(o.station),
                    _e(t(o.start)) + (f" <small>{before}</small>" if o.began_before else ""),
                    _e(t(o.end)) if o.end else f'<span class="bad">{still_out}</span>',
                    _e(w.duration(o.duration(r.end))),
                ]
                for o in r.outages[:MAX_ROWS]
            ],
            {3},
            total=len(r.outages),
        )
        if r.outages
        else _none(translate("handover", "No communication outages."))
    )

    # Notes and actions
    parts.append(_tag("h2", translate("handover", "Operator notes")))
    parts.append(
        table(
            [when_h, who_h, translate("handover", "Note")],
            [
                [
                    _e(t(n.time)),
                    _e(n.user),
                    f'<span class="note">{_e(n.comment or n.message)}</span>',
                ]
                for n in r.notes[:MAX_ROWS]
            ],
            total=len(r.notes),
        )
        if r.notes
        else _none(translate("handover", "No notes."))
    )
    parts.append(_tag("h2", translate("handover", "Other operator actions")))
    parts.append(
        table(
            [
                when_h,
                who_h,
                translate("handover", "Action"),
                translate("handover", "Alarm / point"),
                translate("handover", "Message"),
                translate("handover", "Comment"),
            ],
            [
                [
                    _e(t(a.time)),
                    _e(a.user),
                    _e(action_words(a.action, translate)),
                    _e(a.alarm or a.point),
                    _e(a.message),
                    _e(a.comment),
                ]
                for a in r.actions[:MAX_ROWS]
            ],
            total=len(r.actions),
        )
        if r.actions
        else _none(translate("handover", "None."))
    )
    if r.system:
        parts.append(_tag("h2", translate("handover", "Console and journal events")))
        parts.append(
            table(
                [when_h, translate("handover", "Kind"), translate("handover", "Message")],
                [
                    [_e(t(s.time)), _e(w.kind.get(s.kind, str(s.kind))), _e(s.message)]
                    for s in r.system[:MAX_ROWS]
                ],
                total=len(r.system),
            )
        )
    if r.energy is not None:
        parts.append(energy_section(r.energy, translate=translate))
    parts.append("</body></html>\n")
    return "\n".join(parts)


ENERGY_WORST = 10  # stations listed in the report; the metering view and CSV have them all


def energy_section(m: MeteringReport, *, translate: Translate | None = None) -> str:
    """Heat metering: today's and the season's figures per district, the worst stations, and
    the meter changes of the season (rollovers, replacements, step-backs)."""
    translate = translate or source_text
    w = ReportWords(translate)

    def n(v: float | None, digits: int) -> str:
        return "—" if v is None else f"{v:,.{digits}f}"

    def figs(f: dict) -> list[str]:  # type: ignore[type-arg]
        t, s = f["today"], f["season"]
        return [n(t.energy_gj, 1), n(t.degree_days, 1), n(s.energy_gj, 1), n(s.gj_per_m2, 3),
                n(s.degree_days, 0), n(s.mj_per_m2_dd, 3)]  # fmt: skip

    head = [translate("handover", "Today GJ"), translate("handover", "Today K·d"),
            translate("handover", "Season GJ"), translate("handover", "Season GJ/m²"),
            translate("handover", "Season K·d"), "MJ/m²·K·d"]  # fmt: skip
    season_from = zoned(m.periods["season"][0], m.tz).date().isoformat()  # the network's day
    heading = translate("handover", "Heat metering (today and the season since {date})")
    note = translate(
        "handover",
        "From the stations' energy counters; degree-days base {base} °C; MJ/m²·K·d = heat per "
        "m² of heated area and degree-day, the worst first.",
    )
    out = [
        f"<h2>{_e(heading.format(date=season_from))}</h2>",
        _none(note.format(base=f"{m.base_c:g}")),
    ]
    if not m.stations:
        out.append(_none(translate("handover", "No metered stations.")))
        return "\n".join(out)
    out.append(
        _table(
            ["#", translate("handover", "District"), translate("handover", "Stations"), *head],
            [[str(d.rank), _e(d.name), str(d.stations), *figs(d.figures)] for d in m.districts],
            set(range(2, 9)),
            translate=translate,
        )
    )
    worst = translate("handover", "The {n} worst stations").format(
        n=min(ENERGY_WORST, len(m.stations))
    )
    out.append(f"<h3>{_e(worst)}</h3>")
    out.append(
        _table(
            ["#", translate("handover", "Station"), translate("handover", "District"), *head],
            [
                [
                    str(s.rank),
                    _e(f"{s.station} {s.name}"),
                    _e(s.district_label),
                    *figs(s.figures),
                ]
                for s in m.stations[:ENERGY_WORST]
            ],
            set(range(3, 9)),
            translate=translate,
        )
    )
    events = m.events
    if events:
        out.append(_tag("h3", translate("handover", "Meter events this season")))
        out.append(
            _table(
                [
                    translate("handover", "When"),
                    translate("handover", "Station"),
                    translate("handover", "Event"),
                    translate("handover", "Before GJ"),
                    translate("handover", "After GJ"),
                    translate("handover", "Counted GJ"),
                ],
                [
                    [
                        _e(fmt_event_time(e.time, m.tz)),  # with the network's offset
                        _e(sid),
                        _e(w.meter.get(e.kind, e.kind)),
                        n(e.before, 2),
                        n(e.after, 2),
                        n(e.counted, 2),
                    ]
                    for sid, e in events[:MAX_ROWS]
                ],
                {3, 4, 5},
                total=len(events),
                translate=translate,
            )
        )
    return "\n".join(out)


def _num(v: float | None) -> str:
    return "" if v is None else f"{v:.1f}"


def write_handover(
    journal: sqlite3.Connection | JournalSource,
    out: str | Path,
    since: float,
    until: float,
    *,
    now: float | None = None,
    title: str | None = None,
    energy: MeteringReport | None = None,
    translate: Translate | None = None,
    lang: str = "en",
) -> HandoverReport:
    """Build the report and write it as HTML; `translate`/`lang` word it (render_html)."""
    report = build_report(journal, since, until, now=now)
    report.energy = energy
    html_text = render_html(report, title, translate=translate, lang=lang)
    Path(out).write_text(html_text, encoding="utf-8")
    return report
