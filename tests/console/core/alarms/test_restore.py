"""A restart starts from what the journal says was handled: nothing acknowledged or shelved is
announced again, an unacknowledged alarm stays unacknowledged, a cleared one returns to normal."""

from __future__ import annotations

from console.core.alarms import AlarmEngine
from console.core.alarms.restore import handled_alarms
from console.core.events import AlarmState, Kind
from console.core.journal.writer import JournalWriter

from .conftest import Station, config

T0 = 1_750_000_000.0


def _journal(tmp_path, events):
    path = tmp_path / "journal.sqlite"
    w = JournalWriter(path)
    w.submit_many(events)
    w.close()
    return path


def test_restart_re_announces_nothing_handled(net, tmp_path) -> None:
    eng = AlarmEngine(net, config())
    st = Station(net, "jx-001")
    st.set("room_temp[0]", 15.0).set("room_temp[1]", 17.0).set("room_temp[2]", 17.5)
    events = eng.evaluate(st.scan(T0))
    keys = {e.alarm for e in events if e.kind is Kind.ALARM}
    acked, shelved, open_ = (
        "jx-001/room_temp[0]/room_low", "jx-001/room_temp[1]/room_low",
        "jx-001/room_temp[2]/room_low",
    )  # fmt: skip
    assert {acked, shelved, open_} <= keys
    events += eng.acknowledge([acked], "wang", now=T0 + 10)
    events += eng.shelve(shelved, "li", "sensor being replaced", 3600, now=T0 + 20)
    path = _journal(tmp_path, events)

    handled = {h.key: h for h in handled_alarms(path, T0 + 60)}
    assert handled[acked].state is AlarmState.ACK
    assert handled[shelved].state is AlarmState.SHELVED
    assert handled[shelved].shelved_by == "li" and handled[shelved].shelved_until == T0 + 3620
    assert handled[open_].state is AlarmState.UNACK

    again = AlarmEngine(net, config())
    assert again.restore(handled.values(), T0 + 60) >= 3
    st.set("room_temp[2]", 19.5)  # this one cleared while the server was down
    new = again.evaluate(st.scan(T0 + 60))
    raised = [e.alarm for e in new if e.kind is Kind.ALARM and e.state is AlarmState.UNACK]
    assert not {acked, shelved, open_} & set(raised)
    assert again.state(acked) == AlarmState.ACK
    assert again.state(shelved) == AlarmState.SHELVED
    assert again.state(open_) == AlarmState.RTN_UNACK  # cleared, still waits for an ack
    assert shelved in {again.key(g) for g in again.shelves}


def test_an_expired_shelf_is_not_restored(net, tmp_path) -> None:
    eng = AlarmEngine(net, config())
    st = Station(net, "jx-001").set("room_temp[0]", 15.0)
    events = eng.evaluate(st.scan(T0))
    key = "jx-001/room_temp[0]/room_low"
    events += eng.shelve(key, "li", "check", 60, now=T0 + 1)
    path = _journal(tmp_path, events)
    again = AlarmEngine(net, config())
    again.restore(handled_alarms(path, T0 + 3600), T0 + 3600)
    assert again.state(key) != AlarmState.SHELVED


def test_no_journal_restores_nothing(tmp_path) -> None:
    assert handled_alarms(tmp_path / "none.sqlite", T0) == []
