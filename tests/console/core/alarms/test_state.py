"""The ISA-18.2 lifecycle through the engine API: every transition, timing and overlay."""

from __future__ import annotations

import pytest

from console.core.alarms import AlarmEngine
from console.core.events import AlarmState, Kind
from drivers.samples import Quality

K = "jx-001/room_temp[3]/room_low"
S = AlarmState


def step(engine: AlarmEngine, st, t: float, temp: float | None = None):
    if temp is not None:
        st.set("room_temp[3]", temp)
    return engine.evaluate(st.scan(t))


def test_normal_unack_ack_normal(engine, jx1):
    step(engine, jx1, 0)
    assert engine.state(K) == S.NORMAL
    ev = step(engine, jx1, 1, 17.0)
    assert engine.state(K) == S.UNACK
    [e] = [e for e in ev if e.alarm == K]
    assert (e.kind, e.state, e.value, e.limit, e.priority) == (Kind.ALARM, S.UNACK, 17.0, 18.0,
                                                                 "medium")  # fmt: skip
    [op] = engine.acknowledge([K], "li", "steward sent")
    assert (op.kind, op.user, op.comment, op.action, op.state) == (
        Kind.OPERATOR, "li", "steward sent", "ack", S.ACK)  # fmt: skip
    step(engine, jx1, 2, 19.0)
    assert engine.state(K) == S.NORMAL


def test_unack_rtn_unack_then_ack_normal_and_reactivation(engine, jx1):
    step(engine, jx1, 1, 17.0)
    step(engine, jx1, 2, 19.0)
    assert engine.state(K) == S.RTN_UNACK
    step(engine, jx1, 3, 17.0)  # re-activates before anyone acknowledged
    assert engine.state(K) == S.UNACK
    step(engine, jx1, 4, 19.0)
    engine.acknowledge([K], "li")
    assert engine.state(K) == S.NORMAL


def test_realarm_after_ack(make_engine, jx1):
    eng = make_engine(room_low={"realarm_s": 600})
    step(eng, jx1, 0, 17.0)
    eng.acknowledge([K], "li", now=10)
    step(eng, jx1, 600)
    assert eng.state(K) == S.ACK
    ev = step(eng, jx1, 610)
    assert eng.state(K) == S.UNACK
    assert any(e.alarm == K and e.details.get("realarm") for e in ev)


def test_on_delay_and_off_delay(make_engine, jx1):
    eng = make_engine(room_low={"on_delay_s": 300, "off_delay_s": 60})
    step(eng, jx1, 0, 17.0)
    step(eng, jx1, 200, 18.5)  # back before the delay: timer broken
    step(eng, jx1, 250, 17.0)
    step(eng, jx1, 500)
    assert eng.state(K) == S.NORMAL
    step(eng, jx1, 550)
    assert eng.state(K) == S.UNACK
    step(eng, jx1, 560, 19.0)
    step(eng, jx1, 600)
    assert eng.state(K) == S.UNACK  # off-delay not yet over
    step(eng, jx1, 620)
    assert eng.state(K) == S.RTN_UNACK


def test_deadband(make_engine, jx1):
    eng = make_engine(room_low={"deadband": 0.3})
    step(eng, jx1, 0, 17.9)
    step(eng, jx1, 1, 18.2)  # above the limit, inside the deadband
    assert eng.state(K) == S.UNACK
    step(eng, jx1, 2, 18.3)
    assert eng.state(K) == S.RTN_UNACK


@pytest.mark.parametrize("q", [Quality.STALE, Quality.COMM_FAIL, Quality.SENSOR_FAULT])
def test_bad_quality_holds(engine, jx1, q):
    jx1.set("room_temp[3]", 10.0, q)
    step(engine, jx1, 1)
    assert engine.state(K) == S.NORMAL  # a bad value never raises
    jx1.set("room_temp[3]", 17.0, Quality.GOOD)
    step(engine, jx1, 2)
    jx1.set("room_temp[3]", 25.0, q)
    step(engine, jx1, 3)
    assert engine.state(K) == S.UNACK  # ... nor clears


def test_timed_shelve_expires_by_tick_and_by_evaluate(engine, jx1):
    step(engine, jx1, 0, 17.0)
    [op] = engine.shelve(K, "li", "steward on site", 600, now=10)
    assert (op.action, op.user, op.comment, op.state) == ("shelve", "li", "steward on site",
                                                          S.SHELVED)  # fmt: skip
    assert engine.state(K) == S.SHELVED and engine.sounding() == []
    assert engine.tick(609) == []
    ev = engine.tick(610)
    assert engine.state(K) == S.UNACK  # still active: back where the operator sees it
    assert [e.alarm for e in ev] == [K]
    engine.shelve(K, "li", "again", 60, now=700)
    step(engine, jx1, 800)
    assert engine.state(K) == S.UNACK


def test_one_shot_shelve_ends_when_condition_clears(engine, jx1):
    step(engine, jx1, 0, 17.0)
    engine.shelve(K, "li", "known cold flat", one_shot=True, now=1)
    ev = step(engine, jx1, 2, 19.0)
    assert engine.state(K) == S.NORMAL and K not in {*map(str, engine.shelves)}
    assert any(e.alarm == K and "one-shot" in e.message for e in ev)


def test_shelve_refuses_without_user_reason_or_too_long(engine):
    for bad in (dict(user="", reason="x", duration_s=60), dict(user="li", reason=" ",
                                                             duration_s=60)):  # fmt: skip
        with pytest.raises(ValueError):
            engine.shelve(K, **bad)
    with pytest.raises(ValueError):
        engine.shelve(K, "li", "x", engine.cfg.shelve_max_s + 1)
    with pytest.raises(ValueError):
        engine.shelve(K, "li", "x")  # neither duration nor one-shot


def test_shelved_alarm_still_evaluated_and_logged(engine, jx1):
    engine.shelve(K, "li", "maintenance", 3600, now=0)
    ev = step(engine, jx1, 1, 17.0)
    [e] = [e for e in ev if e.alarm == K]
    assert e.state == S.SHELVED and e.details["condition"] is True
    engine.unshelve(K, "li", now=2)
    assert engine.state(K) == S.UNACK


def test_out_of_service(engine, jx1):
    with pytest.raises(ValueError):
        engine.set_out_of_service(K, "li", "")
    [op] = engine.set_out_of_service(K, "li", "sensor replaced", now=0)
    assert op.state == S.OUT_OF_SERVICE
    step(engine, jx1, 1, 17.0)
    assert engine.state(K) == S.OUT_OF_SERVICE
    engine.return_to_service(K, "li", now=2)
    assert engine.state(K) == S.UNACK


def test_suppressed_by_design_when_station_off(engine, jx1):
    step(engine, jx1, 0, 17.0)
    jx1.set("mode", 4)
    ev = step(engine, jx1, 1)
    assert engine.state(K) == S.SUPPRESSED
    assert any(e.details.get("suppressed") for e in ev)
    step(engine, jx1, 2, 19.0)
    step(engine, jx1, 3, 17.0)  # still evaluated
    assert engine.bank.cond[engine.slot(K)]
    jx1.set("mode", 1)
    step(engine, jx1, 4)
    assert engine.state(K) == S.UNACK
    # comm alarms are never suppressed by the station being off
    assert not engine.slots.supp_off[engine.slot("jx-001/station/comm_fail")]
