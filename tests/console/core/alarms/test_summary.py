"""The summary's room groups, several stations at once (figures computed per group in one pass)."""

from __future__ import annotations

import math

from console.core.events import AlarmState, Priority
from drivers.samples import Quality


def test_each_station_group_has_its_own_figures(engine, station):
    jx1, jx2, xg2 = station("jx-001"), station("jx-002"), station("xg-002")
    jx1.set("room_temp[5]", 15.0).set("room_temp[2]", 15.0).set("room_temp[7]", 17.0)
    jx2.set("room_temp[4]", 17.5)
    xg2.set("room_temp[1]", math.nan, Quality.SENSOR_FAULT)
    for s in (jx1, jx2, xg2):
        engine.evaluate(s.scan(10))
    jx2.set("room_temp[6]", 17.4)
    engine.evaluate(jx2.scan(20))  # a later onset, same station
    engine.acknowledge([k for r in engine.summary().rows if r.station == "jx-002"
                        for k in r.keys], "li", "seen")  # fmt: skip
    groups = {r.station: r for r in engine.summary().rows if r.is_group}
    assert set(groups) == {"jx-001", "jx-002", "xg-002"}

    g1 = groups["jx-001"]  # two rooms below 16 °C (low and critical each), one below 18
    assert (g1.count, g1.unacked, len(g1.slots)) == (3, 5, 5)
    assert g1.priority == Priority.CRITICAL and g1.state == AlarmState.UNACK
    # a tie: the first of the coldest rooms in the group's order, as before
    first = min(a.point for a in g1.expand() if a.value == 15.0)
    assert (g1.coldest_point, g1.coldest_value) == (first, 15.0) == ("room_temp[2]", 15.0)
    assert g1.time == 10

    g2 = groups["jx-002"]  # acknowledged; the episode began with the first room
    assert (g2.count, g2.unacked, g2.state, g2.time) == (2, 0, AlarmState.ACK, 10)
    assert (g2.coldest_point, g2.coldest_value) == ("room_temp[6]", 17.4)

    g3 = groups["xg-002"]  # a dead room sensor is no cold room: no coldest
    assert {a.rule for a in g3.expand()} == {"sensor_fault"}
    assert (g3.count, g3.coldest_point, g3.coldest_value) == (1, None, None)
    for g in groups.values():
        assert {engine.slots.layouts[int(x)].station.id for x in engine.slots.station[g.slots]} \
            == {g.station}  # fmt: skip
