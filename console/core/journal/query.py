"""Journal queries: time expressions, shifts, filters, and table / CSV / JSON output.

Time expressions (local time unless they carry an offset):
  08:00, 08:00:30        today at that time
  2026-01-05             midnight starting that day (as --until: the end of that day)
  2026-01-05T08:00, 2026-01-05 08:00[:ss][+08:00]
  2h, 30m, 90s, 1d, 1w   that long ago
  now, today, yesterday
Shifts: boundaries (default 08:00 and 20:00) cut the day into shifts; `current` is the shift
that contains now, `last` the one before it.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any, Protocol

from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.journal.source import JournalSource, as_source
from console.core.journal.store import COLUMNS, SELECT_COLUMNS, storable
from console.text_safety import csv_cell, json_dumps, terminal_safe

DEFAULT_SHIFT_BOUNDARIES = ("08:00", "20:00")
_REL = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class QueryError(ValueError):
    """A filter the user wrote that cannot be understood."""


def parse_time(text: str, *, now: float | None = None, end: bool = False) -> float:
    """A time expression (see module doc) as epoch seconds; `end` makes a bare date inclusive."""
    now = time.time() if now is None else now
    s = text.strip().lower()
    today = datetime.fromtimestamp(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if s == "now":
        return now
    if s in ("today", "yesterday"):
        day = today - timedelta(days=1 if s == "yesterday" else 0)
        return (day + timedelta(days=1 if end else 0)).timestamp()
    if m := _REL.match(s):
        return now - float(m[1]) * _UNIT_S[m[2]]
    if m := _HHMM.match(s):
        h, mi, sec = int(m[1]), int(m[2]), int(m[3] or 0)
        if h > 23 or mi > 59 or sec > 59:
            raise QueryError(f"bad time of day {text!r}")
        return today.replace(hour=h, minute=mi, second=sec).timestamp()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            d = datetime.combine(date.fromisoformat(s), datetime.min.time())
            return (d + timedelta(days=1 if end else 0)).timestamp()
        return datetime.fromisoformat(text.strip()).timestamp()
    except ValueError:
        pass
    raise QueryError(
        f"cannot read time {text!r}: use HH:MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM, or 2h / 30m / 1d ago"
    )


def parse_boundaries(spec: str | Sequence[str]) -> list[tuple[int, int]]:
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[tuple[int, int]] = []
    for item in items:
        m = _HHMM.match(item.strip())
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            raise QueryError(f"bad shift boundary {item!r}: use HH:MM, e.g. 08:00,20:00")
        out.append((int(m[1]), int(m[2])))
    if not out:
        raise QueryError("no shift boundaries given")
    return sorted(set(out))


def shift_range(
    which: str,
    *,
    now: float | None = None,
    boundaries: str | Sequence[str] = DEFAULT_SHIFT_BOUNDARIES,
) -> tuple[float, float]:
    """(start, end) of the `current` or `last` shift, in local time."""
    if which not in ("current", "last"):
        raise QueryError(f"unknown shift {which!r}: use 'current' or 'last'")
    now = time.time() if now is None else now
    day = datetime.fromtimestamp(now).replace(hour=0, minute=0, second=0, microsecond=0)
    bounds = parse_boundaries(boundaries)
    # Boundaries of yesterday, today and tomorrow, in order; DST-safe via local datetimes.
    edges = [
        (day + timedelta(days=d)).replace(hour=h, minute=m).timestamp()
        for d in (-2, -1, 0, 1)
        for h, m in bounds
    ]
    i = max(k for k, t in enumerate(edges) if t <= now)
    if which == "last":
        i -= 1
    return edges[i], edges[i + 1]


@dataclass
class Filters:
    since: float | None = None
    until: float | None = None  # exclusive
    stations: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    text: str | None = None  # substring of message, comment, alarm key, point or user
    limit: int | None = None
    newest_first: bool = False

    def where(self, like: str = "LIKE") -> tuple[str, list[Any]]:
        """The WHERE clause (`?` placeholders) and its parameters; `like` is the source's
        case-insensitive LIKE (JournalSource.like)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.since is not None:
            clauses.append("time >= ?")
            params.append(self.since)
        if self.until is not None:
            clauses.append("time < ?")
            params.append(self.until)
        for col, values in (
            ("station", self.stations),
            ("district", self.districts),
            ("priority", self.priorities),
            ("state", self.states),
            ("kind", self.kinds),
            ("alarm", self.alarms),
        ):
            if values:
                clauses.append(f"{col} IN ({', '.join('?' * len(values))})")
                params.extend(map(storable, values))
        # Text typed as bytes that are no UTF-8 is looked for as the store keeps it (escaped).
        users = [storable(u) for u in self.users]
        if users:
            # A standalone console records "wang (local)" or "li (local, unverified; login …)"
            # (core.auth.local): `--user wang` finds those too.
            local = ["\"user\" LIKE ? ESCAPE '\\'" for _ in users]
            clauses.append(f'("user" IN ({", ".join("?" * len(users))}) OR {" OR ".join(local)})')
            params.extend(users)
            params.extend(re.sub(r"([%_\\])", r"\\\1", u) + " (local%" for u in users)
        if self.text:
            # LIKE, not FTS: every other filter narrows by index first, and an FTS table would
            # roughly double the insert cost. Case-insensitive for ASCII; CJK has no case.
            pat = "%" + re.sub(r"([%_\\])", r"\\\1", storable(self.text)) + "%"
            cols = ("message", "comment", "alarm", "point", '"user"')
            clauses.append("(" + " OR ".join(f"{c} {like} ? ESCAPE '\\'" for c in cols) + ")")
            params.extend([pat] * len(cols))
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def filters_from_fields(f: Mapping[str, Any], *, limit: int | None, newest_first: bool) -> Filters:
    """Filters from a form's or a request's fields ("station": "a,b" or a list, "priority":
    "high+", …), normalised as `heatconsole log` does; ValueError (QueryError) on a bad one."""

    def many(v: Any) -> list[str]:
        if isinstance(v, list):
            return [str(x).strip() for x in v if str(x).strip()]
        return [x.strip() for x in str(v).split(",") if x.strip()] if v else []

    return Filters(
        since=f.get("since"),
        until=f.get("until"),
        stations=many(f.get("station")),
        districts=many(f.get("district")),
        priorities=normalise_priorities(many(f.get("priority"))),
        states=normalise_states(many(f.get("state"))),
        kinds=normalise_kinds(many(f.get("kind"))),
        text=f.get("text"),
        limit=limit,
        newest_first=newest_first,
    )


def normalise_priorities(values: Iterable[str]) -> list[str]:
    """'high' → ['high']; 'high+' → ['critical', 'high'] (that priority or more urgent)."""
    out: list[str] = []
    for v in values:
        v = v.strip().lower()
        at_least = v.endswith("+")
        try:
            p = Priority(v.rstrip("+"))
        except ValueError:
            raise QueryError(
                f"unknown priority {v!r}: one of {', '.join(Priority)} (add + for 'or higher')"
            ) from None
        out += [q.value for q in Priority if q.rank <= p.rank] if at_least else [p.value]
    return sorted(set(out), key=lambda x: Priority(x).rank)


def normalise_states(values: Iterable[str]) -> list[str]:
    out = []
    for v in values:
        try:
            out.append(AlarmState(v.strip().upper()).value)
        except ValueError:
            raise QueryError(f"unknown state {v!r}: one of {', '.join(AlarmState)}") from None
    return out


def normalise_kinds(values: Iterable[str]) -> list[str]:
    out = []
    for v in values:
        try:
            out.append(Kind(v.strip().lower()).value)
        except ValueError:
            raise QueryError(f"unknown kind {v!r}: one of {', '.join(Kind)}") from None
    return out


def iter_events(
    journal: sqlite3.Connection | JournalSource, filters: Filters
) -> Iterator[JournalEvent]:
    src = as_source(journal)
    where, params = filters.where(src.like)
    order = "DESC" if filters.newest_first else ""
    sql = f"SELECT {SELECT_COLUMNS} FROM events{where} ORDER BY time {order}, id {order}"
    if filters.limit is not None:
        sql += " LIMIT ?"
        params.append(filters.limit)
    yield from src.events(sql, params)


def query(journal: sqlite3.Connection | JournalSource, filters: Filters) -> list[JournalEvent]:
    """Events matching the filters, oldest first (or newest first), at most `limit`."""
    return list(iter_events(journal, filters))


def count(journal: sqlite3.Connection | JournalSource, filters: Filters) -> int:
    src = as_source(journal)
    where, params = filters.where(src.like)
    return int(next(src.rows(f"SELECT count(*) FROM events{where}", params))[0])


# ---- output -----------------------------------------------------------------------------------


def fmt_time(t: float) -> str:
    return datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M:%S")


def display_width(s: str) -> int:
    """Terminal cells: CJK (wide/fullwidth) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _fit(s: str, width: int) -> str:
    """Cut to `width` cells (with …) and pad to exactly `width`."""
    if display_width(s) > width:
        out, w = "", 0
        for c in s:
            cw = display_width(c)
            if w + cw > width - 1:
                break
            out, w = out + c, w + cw
        s = out + "…"
    return s + " " * (width - display_width(s))


TABLE_COLUMNS = ("time", "kind", "priority", "state", "station", "user", "message")


class TableWords(Protocol):
    """How a reader words a table row (console/commands/log.py: the CLI's language)."""

    def of_kind(self, k: Kind) -> str: ...
    def of_priority(self, p: Priority | str | None) -> str: ...
    def of_state(self, s: AlarmState) -> str: ...
    def message(self, e: JournalEvent) -> str: ...


def _cells(e: JournalEvent, words: TableWords | None = None) -> list[str]:
    """One table row; every text terminal-safe (journals may be imported from elsewhere).
    `words`: the row in the reader's language (default: as recorded)."""
    if words is None:
        kind, prio, state, msg = str(e.kind), str(e.priority or ""), str(e.state or ""), e.message
    else:
        kind, prio, msg = words.of_kind(e.kind), words.of_priority(e.priority), words.message(e)
        state = words.of_state(e.state) if e.state else ""
    if e.comment and e.comment not in msg:
        msg += f" — {e.comment}"
    cells = [kind, prio, state, e.station, e.user, msg]
    return [fmt_time(e.time), *(terminal_safe(c, one_line=True) for c in cells)]


def write_table(
    events: Iterable[JournalEvent],
    out: IO[str],
    width: int | None = None,
    head: Sequence[str] = TABLE_COLUMNS,
    words: TableWords | None = None,
) -> int:
    """Aligned columns; the message column takes what is left of the terminal width. `head`:
    the column titles as the caller words them (the CLI's language), in TABLE_COLUMNS order;
    `words` the rows' words (the CLI's language; default: as recorded)."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    rows = [_cells(e, words) for e in events]
    widths = [display_width(h) for h in head]
    for r in rows:
        for i, c in enumerate(r[:-1]):
            widths[i] = max(widths[i], display_width(c))
    fixed = sum(widths[:-1]) + 2 * (len(widths) - 1)
    widths[-1] = max(20, width - fixed)
    for r in [list(head), *rows]:
        line = "  ".join(_fit(c, w) for c, w in zip(r, widths, strict=True))
        out.write(line.rstrip() + "\n")
    return len(rows)


def write_csv(events: Iterable[JournalEvent], out: IO[str]) -> int:
    """Every text cell through csv_cell: no terminal controls, no spreadsheet formulas."""
    w = csv.writer(out)
    w.writerow(COLUMNS)
    n = 0
    for e in events:
        row = e.to_row()
        row["details"] = json.dumps(e.details, ensure_ascii=False) if e.details else ""
        w.writerow(["" if row[c] is None else csv_cell(row[c]) for c in COLUMNS])
        n += 1
    return n


def write_json(events: Iterable[JournalEvent], out: IO[str]) -> int:
    """A JSON array, streamed one object per line (large exports stay flat in memory)."""
    n = 0
    out.write("[")
    for e in events:
        out.write(("," if n else "") + "\n" + json_dumps(e.to_row()))
        n += 1
    out.write("\n]\n")
    return n
