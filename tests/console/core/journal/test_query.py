"""Filters, time expressions, shifts and output formats."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import datetime
from pathlib import Path

import pytest

from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.journal import store
from console.core.journal.query import (
    Filters,
    QueryError,
    count,
    display_width,
    normalise_priorities,
    parse_time,
    query,
    shift_range,
    write_csv,
    write_json,
    write_table,
)


def local(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> float:
    return datetime(y, mo, d, h, mi).timestamp()


NOW = local(2026, 1, 5, 12, 0)


def test_parse_time_forms() -> None:
    assert parse_time("08:00", now=NOW) == local(2026, 1, 5, 8)
    assert parse_time("2h", now=NOW) == NOW - 7200
    assert parse_time("30m", now=NOW) == NOW - 1800
    assert parse_time("1d", now=NOW) == NOW - 86400
    assert parse_time("2026-01-03", now=NOW) == local(2026, 1, 3)
    assert parse_time("2026-01-03", now=NOW, end=True) == local(2026, 1, 4)
    assert parse_time("2026-01-03T07:30", now=NOW) == local(2026, 1, 3, 7, 30)
    assert parse_time("2026-01-03 07:30", now=NOW) == local(2026, 1, 3, 7, 30)
    assert parse_time("yesterday", now=NOW) == local(2026, 1, 4)
    assert parse_time("now", now=NOW) == NOW
    for bad in ("soon", "25:00", "2026-13-01", ""):
        with pytest.raises(QueryError):
            parse_time(bad, now=NOW)


def test_shift_ranges() -> None:
    assert shift_range("current", now=NOW) == (local(2026, 1, 5, 8), local(2026, 1, 5, 20))
    assert shift_range("last", now=NOW) == (local(2026, 1, 4, 20), local(2026, 1, 5, 8))
    night = local(2026, 1, 5, 3)
    assert shift_range("current", now=night) == (local(2026, 1, 4, 20), local(2026, 1, 5, 8))
    assert shift_range("last", now=night) == (local(2026, 1, 4, 8), local(2026, 1, 4, 20))
    three = ("06:00", "14:00", "22:00")
    assert shift_range("current", now=NOW, boundaries=three) == (
        local(2026, 1, 5, 6),
        local(2026, 1, 5, 14),
    )
    with pytest.raises(QueryError):
        shift_range("next", now=NOW)


def test_priorities() -> None:
    assert normalise_priorities(["high+"]) == ["critical", "high"]
    assert normalise_priorities(["low"]) == ["low"]
    with pytest.raises(QueryError):
        normalise_priorities(["urgent"])


@pytest.fixture
def conn(tmp_path: Path):  # type: ignore[no-untyped-def]
    c = store.connect(tmp_path / "j.sqlite", create=True)
    events = []
    for i in range(200):
        t = local(2026, 1, 5, 0) + i * 600  # every 10 minutes from midnight
        events.append(
            JournalEvent(
                Kind.ALARM if i % 2 else Kind.COMM,
                f"event {i}" + (" 涧西 100%_done" if i == 7 else ""),
                time=t,
                station=f"s{i % 4}",
                district="jianxi" if i % 4 < 2 else "xigong",
                priority=list(Priority)[i % 5],
                state=AlarmState.UNACK if i % 3 == 0 else AlarmState.ACK,
                alarm=f"s{i % 4}/p/low",
            )
        )
    store.insert_events(c, events)
    yield c
    c.close()


def test_filters(conn) -> None:  # type: ignore[no-untyped-def]
    since, until = local(2026, 1, 5, 8), local(2026, 1, 5, 20)
    rows = query(conn, Filters(since=since, until=until))
    assert len(rows) == 72 and all(since <= e.time < until for e in rows)
    assert [e.time for e in rows] == sorted(e.time for e in rows)
    rows = query(conn, Filters(stations=["s1"], kinds=["alarm"]))
    assert rows and all(e.station == "s1" and e.kind is Kind.ALARM for e in rows)
    rows = query(conn, Filters(districts=["xigong"], priorities=["critical", "high"]))
    assert rows and all(e.district == "xigong" and e.priority.rank <= 1 for e in rows)
    assert all(e.state is AlarmState.UNACK for e in query(conn, Filters(states=["UNACK"])))
    assert [e.message for e in query(conn, Filters(text="涧西"))] == ["event 7 涧西 100%_done"]
    assert len(query(conn, Filters(text="100%_"))) == 1  # % and _ are literal
    assert query(conn, Filters(text="100%x")) == []
    newest = query(conn, Filters(limit=3, newest_first=True))
    assert [e.message for e in newest] == ["event 199", "event 198", "event 197"]
    assert count(conn, Filters(stations=["s0", "s2"])) == 100


def test_filtered_query_uses_indexes(conn) -> None:  # type: ignore[no-untyped-def]
    for f in (
        Filters(stations=["s1"], since=NOW - 3600),
        Filters(since=NOW - 3600, until=NOW),
        Filters(priorities=["critical"], since=NOW - 86400),
    ):
        where, params = f.where()
        plan = " ".join(
            str(r[-1]) for r in conn.execute(f"EXPLAIN QUERY PLAN SELECT * FROM events{where}"
                                             " ORDER BY time", params)
        )  # fmt: skip
        assert "SEARCH events USING INDEX" in plan, plan


def test_outputs(conn) -> None:  # type: ignore[no-untyped-def]
    events = query(conn, Filters(limit=8))
    buf = io.StringIO()
    write_table(events, buf, width=80)
    lines = buf.getvalue().splitlines()
    assert lines[0].startswith("time") and len(lines) == 9
    assert max(display_width(line) for line in lines) <= 80
    # CJK text takes two cells; columns still line up (message column starts at one offset).
    starts = {line.index("event") for line in lines[1:]}
    assert len(starts) == 1

    buf = io.StringIO()
    write_csv(events, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == 8 and rows[7]["message"] == "event 7 涧西 100%_done"

    buf = io.StringIO()
    write_json(events, buf)
    data = json.loads(buf.getvalue())
    assert [d["id"] for d in data] == [e.id for e in events]
    assert data[0]["kind"] == "comm"


def test_time_is_local(conn) -> None:  # type: ignore[no-untyped-def]
    first = query(conn, Filters(limit=1))[0]
    assert time.localtime(first.time).tm_hour == 0


def test_a_filter_utf8_cannot_carry_finds_what_was_stored(tmp_path: Path) -> None:
    """`log --user 'bob<0xff>'` raised UnicodeEncodeError from SQLite's binding; the filter's
    text is escaped as the store escapes it, so it finds that user's records."""
    c = store.connect(tmp_path / "j.sqlite", create=True)
    note = JournalEvent(Kind.OPERATOR, "x \udcff y", user="bob\udcff", action="note")
    store.insert_events(c, [note, JournalEvent(Kind.OPERATOR, "other", user="bob")])
    assert [e.id for e in query(c, Filters(users=["bob\udcff"]))] == [note.id]
    assert [e.id for e in query(c, Filters(text="\udcff y"))] == [note.id]
    c.close()
