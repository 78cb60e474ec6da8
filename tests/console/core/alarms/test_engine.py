"""Engine API: batches, summary grouping and filters, keys, acknowledge-all, events."""

import numpy as np
import pytest

from console.core.alarms import AlarmEngine
from console.core.events import AlarmState, Kind, Priority
from drivers.samples import CommState
from station_config.alarm_rules import ProcessClock


def test_batch_equals_per_station(net, station, make_engine):
    a, b = make_engine(), make_engine()
    sts = [station(s) for s in ("jx-001", "jx-002", "xg-001", "xg-002")]
    rng = np.random.default_rng(3)
    for t in range(5):
        for s in sts:
            s.v[s.table.indices("room_temp")] = (
                rng.normal(18.2, 1.5, s.table.indices("room_temp").size)
                if s.table.indices("room_temp").size
                else []
            )
        scans = [s.scan(t) for s in sts]
        a.evaluate_batch(scans)
        for sc in scans:
            b.evaluate(sc)
        assert np.array_equal(a.bank.visible(), b.bank.visible())


def test_summary_groups_rooms_per_station(make_engine, station):
    engine = make_engine(makeup_high={"priority": "critical"})
    jx2 = station("jx-002")
    for i, temp in ((3, 17.2), (8, 15.5), (40, 17.9)):
        jx2.set(f"room_temp[{i}]", temp)
    jx2.set("makeup_flow", 9.0)
    engine.evaluate(jx2.scan(5))
    s = engine.summary()
    assert [r.key for r in s.rows] == ["jx-002/makeup_flow/makeup_high", "jx-002/room_temp[*]"]
    grp = s.rows[1]
    assert grp.is_group and grp.count == 3 and grp.unacked == 4  # 3 low + 1 critical
    assert (grp.coldest_point, grp.coldest_value) == ("room_temp[8]", 15.5)
    assert grp.priority == Priority.CRITICAL and grp.state == AlarmState.UNACK
    rooms = grp.expand()
    assert rooms[0].point == "room_temp[8]" and len(rooms) == 4
    # acknowledge the whole group by its keys
    engine.acknowledge(grp.keys, "li", "heating steward dispatched")
    assert engine.summary().rows[1].unacked == 0
    # filters
    assert engine.summary(districts=["xigong"]).rows == []
    assert [r.key for r in engine.summary(priorities=["critical"], group_rooms=False).rows] == [
        "jx-002/makeup_flow/makeup_high", "jx-002/room_temp[8]/room_critical"]  # fmt: skip
    assert engine.summary(states=["UNACK"]).rows[0].key == "jx-002/makeup_flow/makeup_high"


def test_room_group_keeps_its_place_while_rooms_join(engine, station):
    """A group's time is its episode's onset: more rooms crossing the limit later, or an
    acknowledgement, do not move it (in a cold wave that re-sorted every group each scan)."""
    jx2, xg2 = station("jx-002"), station("xg-002")
    jx2.set("room_temp[3]", 17.2)
    engine.evaluate(jx2.scan(10))
    xg2.set("room_temp[1]", 17.0)
    engine.evaluate(xg2.scan(20))
    keys = [r.key for r in engine.summary().rows]
    assert keys == ["xg-002/room_temp[*]", "jx-002/room_temp[*]"]  # newest episode first
    jx2.set("room_temp[5]", 17.4)  # jx-002's episode grows later
    engine.evaluate(jx2.scan(30))
    engine.acknowledge(engine.summary().rows[1].keys, "li", "seen")
    rows = engine.summary().rows
    assert [r.key for r in rows] == keys
    assert rows[1].time == 10 and rows[1].count == 2


def test_acknowledge_all_visible_and_events(engine, jx1, station):
    jx1.set("room_temp[0]", 17.0)
    xg = station("xg-002").set("room_temp[1]", 17.0)
    engine.evaluate_batch([jx1.scan(0), xg.scan(0)])
    ev = engine.acknowledge("all visible", "wang", "night shift", district="xigong")
    assert [e.alarm for e in ev] == ["xg-002/room_temp[1]/room_low"]
    ev = engine.acknowledge("all visible", "wang", "night shift")
    assert all(e.kind == Kind.OPERATOR and e.user == "wang" and e.comment == "night shift"
               for e in ev) and len(ev) == 1  # fmt: skip
    with pytest.raises(ValueError):
        engine.acknowledge("everything", "wang")


def test_keys_and_unknowns(engine, jx1):
    assert engine.key(engine.slot("jx-001/room_temp[11]/room_low")) == (
        "jx-001/room_temp[11]/room_low"
    )
    for bad in ("jx-001/room_temp[12]/room_low", "nope/x/y", "jx-001/room_temp[1]/bogus", "x"):
        with pytest.raises(KeyError):
            engine.slot(bad)
    sc = jx1.scan(0)
    sc.station_id = "unknown"
    assert engine.evaluate(sc) == []
    sc = jx1.scan(0)
    sc.values = sc.values[:-1]
    with pytest.raises(ValueError):
        engine.evaluate(sc)


def test_event_ids_unique_and_times_from_scan(engine, station):
    s = station("xg-002")
    s.v[s.table.indices("room_temp")] = 17.0
    ev = engine.evaluate(s.scan(1234.5))
    alarms = [e for e in ev if e.kind == Kind.ALARM]
    assert len(alarms) == 240 and {e.time for e in alarms} == {1234.5}
    assert len({e.id for e in ev}) == len(ev)


def test_active_lists_views(engine, jx1):
    jx1.set("room_temp[0]", 17.0)
    engine.evaluate(jx1.scan(0))
    engine.shelve("jx-001/room_temp[0]/room_low", "li", "x", 60, now=1)
    assert engine.active() == []
    [v] = engine.active(include_hidden=True)
    assert v.state == AlarmState.SHELVED and v.shelved_by == "li" and v.condition
    assert isinstance(engine, AlarmEngine)


# ---- process clock: the demo's simulator runs faster than the wall clock --------------------


def _defaults_engine(net, scale: float) -> AlarmEngine:
    """The built-in rule timings (room on-delay 300 s, comm_fail 60 s) on a process clock."""
    return AlarmEngine(net, clock=ProcessClock(scale=scale, origin=0.0))


def test_room_on_delay_follows_the_process_clock(net, jx1):
    fast, real = _defaults_engine(net, 60.0), _defaults_engine(net, 1.0)
    for eng in (fast, real):
        eng.evaluate(jx1.scan(1000.0))
    jx1.set("room_temp[2]", 17.0)
    for t in (1005.0, 1009.0):  # the room is cold from 1005 on
        assert fast.evaluate(jx1.scan(t)) == [] and real.evaluate(jx1.scan(t)) == []
    # 300 simulated seconds at 60x are 5 wall seconds: due at 1010.
    [ev] = fast.evaluate(jx1.scan(1010.0))
    assert ev.alarm == "jx-001/room_temp[2]/room_low" and ev.state is AlarmState.UNACK
    assert ev.time == 1010.0  # journal times stay wall-clock epochs
    assert real.evaluate(jx1.scan(1010.0)) == []  # at real time: 300 wall seconds
    assert [e.alarm for e in real.evaluate(jx1.scan(1305.0))] == ["jx-001/room_temp[2]/room_low"]


def test_link_rules_and_operator_timers_stay_on_the_wall_clock(net, jx1):
    eng = _defaults_engine(net, 60.0)
    eng.evaluate(jx1.scan(0.0))
    for t in (5.0, 30.0):  # comm_fail's 60 s on-delay is about the link: wall seconds
        ev = eng.evaluate(jx1.scan(t, comm=CommState.FAILED))
        assert not [e for e in ev if e.kind == Kind.ALARM]
    ev = eng.evaluate(jx1.scan(66.0, comm=CommState.FAILED))
    assert [e.alarm for e in ev if e.alarm] == ["jx-001/station/comm_fail"]
    # Shelving is the operator's time: an hour is an hour of the shift.
    eng.shelve("jx-001/station/comm_fail", "li", "link works", 3600, now=70.0)
    assert eng.tick(70.0 + 3600 / 60 + 1) == []
    assert [e.alarm for e in eng.tick(3670.0)] == ["jx-001/station/comm_fail"]


def test_station_limit_register_delay_follows_the_process_clock(net, jx1):
    eng = _defaults_engine(net, 60.0)
    jx1.set("t3_dev_delay", 10)  # minutes of process time = 10 wall seconds at 60x
    eng.evaluate(jx1.scan(0.0))
    jx1.set("t3_secondary_supply", 70.0)  # 10 K above setpoint, limit 5 K
    assert eng.evaluate(jx1.scan(1.0)) == []
    assert eng.evaluate(jx1.scan(10.0)) == []
    ev = eng.evaluate(jx1.scan(11.0))
    assert [e.alarm for e in ev] == ["jx-001/t3_secondary_supply/t3_dev_high"]


def test_room_limits_are_the_ones_the_rules_compare_with(engine, jx1):
    low, crit = engine.room_limits()
    i = engine.slots.by_id["jx-001"]
    assert (low[i], crit[i]) == (18.0, 16.0)  # the configured fallback before any scan
    jx1.set("room_low_limit", 20.0).set("room_critical_limit", 17.0)
    jx1.set("room_temp[1]", 19.5).set("room_temp[2]", 16.5)
    engine.evaluate(jx1.scan(1.0))
    low, crit = engine.room_limits()
    assert (low[i], crit[i]) == (20.0, 17.0)
    alarms = {a.key for a in engine.active()}
    assert alarms == {
        "jx-001/room_temp[1]/room_low", "jx-001/room_temp[2]/room_low",
        "jx-001/room_temp[2]/room_critical",
    }  # fmt: skip


def test_room_limits_nan_where_the_rule_is_off(net, make_engine):
    eng = make_engine(room_critical={"enabled": False})
    low, crit = eng.room_limits()
    assert np.isfinite(low).all() and np.isnan(crit).all()
