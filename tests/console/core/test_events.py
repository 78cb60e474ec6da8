"""JournalEvent: ids (scalar and vectorised forms agree), the bulk constructor, to_row."""

from __future__ import annotations

import dataclasses
import gc
import pickle

import pytest

from console.core.events import (
    FIELDS,
    AlarmState,
    JournalEvent,
    Kind,
    Priority,
    new_event_id,
    new_event_ids,
)


@pytest.mark.parametrize("n", [1, 5, 63, 64, 500])
def test_ids_are_time_then_sequence_ordered_in_both_forms(n: int) -> None:
    times = [1_700_000_000.0 + 0.0004 * i for i in range(n)]
    ids = new_event_ids(times)
    assert len(set(ids)) == n
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    for t, i in zip(times, ids, strict=True):
        assert i[:12] == f"{int(t * 1000):012x}"
    seq = [int(i[12:18], 16) for i in ids]
    assert seq == list(range(seq[0], seq[0] + n))  # one reserved, consecutive block
    assert ids == sorted(ids)
    later = new_event_id(times[-1])
    assert later > ids[-1]  # same millisecond: the sequence keeps the order


def test_bulk_equals_the_constructor_and_skips_nothing() -> None:
    ev = JournalEvent(
        Kind.ALARM,
        "jx-001/room_temp[3]/room_low room below limit: 17.5 — active",
        time=1.5,
        station="jx-001",
        district="jianxi",
        point="room_temp[3]",
        alarm="jx-001/room_temp[3]/room_low",
        priority=Priority.HIGH,
        state=AlarmState.UNACK,
        value=17.5,
        limit=18.0,
        details={"condition": True},
    )
    gc_was = gc.isenabled()
    (b,) = JournalEvent.bulk(tuple(getattr(ev, f) for f in FIELDS) for _ in range(1))
    assert gc.isenabled() == gc_was
    assert b == ev and b.id == ev.id
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.message = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        JournalEvent.bulk([("too", "short")])
    assert gc.isenabled() == gc_was


def test_to_row_is_the_old_asdict_shape() -> None:
    ev = JournalEvent(Kind.COMM, "x", time=2.0, details={"errors": ["a"]})
    row = ev.to_row()
    assert list(row) == list(FIELDS)
    assert row["kind"] == "comm" and row["priority"] is None and row["state"] is None
    row["details"]["errors"].append("b")  # a copy: the event is not changed through it
    assert ev.details == {"errors": ["a"]}


def fresh(text: str) -> str:
    """An equal string that is a new object (as JSON or SQLite gives one per row)."""
    return "".join(list(text))


def test_events_have_slots_and_share_their_recurring_strings() -> None:
    def made() -> JournalEvent:
        return JournalEvent(
            Kind.OPERATOR, "ack", station=fresh("jx-001"), action=fresh("ack"),
            user=fresh("王调度"), console=fresh("seat-1"), alarm=fresh("jx-001/p/r"),
        )  # fmt: skip

    a, b = made(), made()
    assert not hasattr(a, "__dict__")
    with pytest.raises((AttributeError, TypeError)):
        a.note = "ad hoc"  # type: ignore[attr-defined]
    for name in ("station", "action", "user", "console", "alarm"):
        assert getattr(a, name) is getattr(b, name), name
    assert a.message == b.message and a.id != b.id


def test_a_message_in_words_keeps_its_code() -> None:
    from console.core.status_words import Words

    e = JournalEvent(Kind.SYSTEM, Words("journal_buffer_full", max=10), action="buffer_full")
    assert e.message.code == "journal_buffer_full"  # type: ignore[attr-defined]
    assert e.to_row()["message"] == str(e.message)


def test_bulk_shares_alarm_keys_and_pickles_like_the_constructor() -> None:
    row = (Kind.ALARM, "m", 1.0, "0" * 32, "jx-001", None, "p", fresh("jx-001/p/room_low"),
           Priority.LOW, AlarmState.UNACK, 1.0, 2.0, None, None, None, "c", {})  # fmt: skip
    a, b = JournalEvent.bulk([row, (*row[:7], fresh("jx-001/p/room_low"), *row[8:])])
    assert a.alarm is b.alarm and a == b
    back = pickle.loads(pickle.dumps(a))
    assert back == a and dataclasses.replace(a, message="n").message == "n"
