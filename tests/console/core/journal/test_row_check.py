"""Rows a console writes pass the import check; each field's limits hold at their edge."""

from __future__ import annotations

from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.journal.row_check import NAME_MAX, TEXT_MAX, check_field, row_problems
from console.core.journal.store import event_to_tuple

NOW = 1_767_225_600.0


def test_every_kind_of_real_record_passes() -> None:
    events = [
        JournalEvent(Kind.ALARM, "room cold", time=NOW, station="jx-001", district="jianxi",
                     point="room_temp[3]", alarm="jx-001/room_temp[3]/room_low",
                     priority=Priority.HIGH, state=AlarmState.UNACK, value=17.2, limit=18.0,
                     details={"active": True}),
        JournalEvent(Kind.OPERATOR, "泵有异响" * 300, time=NOW, user="张三", action="note",
                     comment="x" * TEXT_MAX),
        JournalEvent(Kind.COMM, "comm failed", time=NOW + 3600, station="s" * NAME_MAX),
        JournalEvent(Kind.SYSTEM, "console started", time=946_684_800.0),
    ]  # fmt: skip
    assert row_problems([event_to_tuple(e) for e in events], now=NOW) == ([], 0)


def test_limits_at_their_edge() -> None:
    assert check_field("comment", "x" * TEXT_MAX, NOW) is None
    assert "4,097 bytes" in str(check_field("comment", "x" * (TEXT_MAX + 1), NOW))
    assert "bytes" in str(check_field("message", "界" * 1366, NOW))  # 4,098 UTF-8 bytes
    assert check_field("time", NOW + 86_400, NOW) is None
    assert check_field("time", NOW + 86_401, NOW) is not None
    assert check_field("value", True, NOW) == "must be a number, is bool"
    assert check_field("value", float("inf"), NOW) == "must be a finite number"
    assert check_field("priority", None, NOW) is None and check_field("kind", None, NOW)


def test_problems_are_capped_but_counted() -> None:
    bad = [("x", "t", "nope", "") + (None,) * 13 for _ in range(30)]
    found, total = row_problems(bad, now=NOW, limit=5)
    assert len(found) == 5 and total == 30 * 4
    assert found[0].startswith("row 1: id:") and found[-1].startswith("row 2:")
