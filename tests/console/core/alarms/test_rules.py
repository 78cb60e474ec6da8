"""The built-in rules, limits from station registers, bad quality, and YAML overrides."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.core.alarms import AlarmEngine
from console.core.events import AlarmState
from drivers.samples import CommState, Quality
from station_config.loader import ConfigError, load_network

S = AlarmState
TEMPLATE = Path(__file__).resolve().parents[4] / "station_config/templates/substation-v1.yaml"


def test_room_limits_from_station_register_when_good(engine, jx1):
    jx1.set("room_low_limit", 19.0).set("room_temp[0]", 18.5)
    engine.evaluate(jx1.scan(0))
    assert engine.state("jx-001/room_temp[0]/room_low") == S.UNACK
    # an unreadable register keeps the last good limit; config fallback before any read
    jx1.set("room_low_limit", 30.0, Quality.COMM_FAIL)
    engine.evaluate(jx1.scan(1))
    assert engine.limit([engine.slot("jx-001/room_temp[0]/room_low")])[0] == 19.0


def test_room_critical_and_low_both(engine, jx1):
    jx1.set("room_temp[5]", 15.0)
    engine.evaluate(jx1.scan(0))
    assert engine.state("jx-001/room_temp[5]/room_critical") == S.UNACK
    assert engine.state("jx-001/room_temp[5]/room_low") == S.UNACK


def test_t3_deviation_uses_register_delay_and_zero_off(make_engine, jx1):
    eng = make_engine(t3_dev_low={"on_delay_s": 0})
    jx1.set("t3_dev_delay", 10).set("t3_secondary_supply", 50.0)  # 10 K below setpoint
    eng.evaluate(jx1.scan(0))
    eng.evaluate(jx1.scan(599))
    assert eng.state("jx-001/t3_secondary_supply/t3_dev_low") == S.NORMAL
    eng.evaluate(jx1.scan(600))
    assert eng.state("jx-001/t3_secondary_supply/t3_dev_low") == S.UNACK
    jx1.set("t3_dev_high", 0).set("t3_secondary_supply", 90.0)  # 0 = rule off
    eng.evaluate(jx1.scan(700))
    eng.evaluate(jx1.scan(2000))
    assert eng.state("jx-001/t3_secondary_supply/t3_dev_high") == S.NORMAL


@pytest.mark.parametrize(
    ("point", "value", "key"),
    [
        ("p3_secondary_supply", 100, "p3_secondary_supply/p3_low"),
        ("p3_secondary_supply", 700, "p3_secondary_supply/p3_high"),
        ("p2_primary_return", 750, "p1_primary_supply/dp_primary_low"),
        ("makeup_flow", 5.0, "makeup_flow/makeup_high"),
        ("alarm_bits", 1 << 5, "alarm_bits/pump1_fault"),
        ("alarm_bits", 1 << 6, "alarm_bits/pump2_fault"),
        ("sensor_fault_bits", 1 << 2, "t3_secondary_supply/sensor_fault"),
        ("control_level", 0, "control_level/local_control"),
    ],
)
def test_process_rules(engine, jx1, point, value, key):
    jx1.set(point, value)
    engine.evaluate(jx1.scan(0))
    assert engine.state(f"jx-001/{key}") == S.UNACK


def test_priorities(engine):
    prio = {
        k: engine.active and engine.slots.prio[engine.slot(f"jx-001/{k}")]
        for k in (
            "makeup_flow/makeup_high",
            "control_level/local_control",
            "room_temp[0]/sensor_fault",
            "makeup_flow/leak_suspected",
        )
    }
    # The instantaneous make-up rule is demoted (low); the water balance's leak is critical.
    assert prio == {"makeup_flow/makeup_high": 3, "control_level/local_control": 4,
                    "room_temp[0]/sensor_fault": 3, "makeup_flow/leak_suspected": 0}  # fmt: skip


def test_sentinel_raises_sensor_fault_not_room_alarm(engine, jx1):
    jx1.set("room_temp[2]", 3276.7, Quality.SENSOR_FAULT)
    engine.evaluate(jx1.scan(0))
    assert engine.state("jx-001/room_temp[2]/sensor_fault") == S.UNACK
    assert engine.state("jx-001/room_temp[2]/room_low") == S.NORMAL


def test_comm_fail_after_delay_and_stale(make_engine, jx1):
    eng = make_engine(comm_fail={"on_delay_s": 60})
    eng.evaluate(jx1.scan(0))
    jx1.q[:] = Quality.COMM_FAIL
    ev = eng.evaluate(jx1.scan(10, comm=CommState.FAILED))
    assert any(e.kind == "comm" for e in ev)
    assert eng.state("jx-001/station/comm_fail") == S.NORMAL
    eng.evaluate(jx1.scan(70, comm=CommState.FAILED))
    assert eng.state("jx-001/station/comm_fail") == S.UNACK
    jx1.q[:] = Quality.GOOD
    eng.evaluate(jx1.scan(80, frozen=True))
    assert eng.state("jx-001/heartbeat/stale") == S.UNACK


@settings(max_examples=60, deadline=None)
@given(
    start=st.floats(10, 30),
    bad=st.lists(
        st.tuples(st.sampled_from([Quality.STALE, Quality.COMM_FAIL, Quality.SENSOR_FAULT,
                                   Quality.NO_DATA]), st.floats(-50, 80)),
        min_size=1, max_size=8),
)  # fmt: skip
def test_property_bad_quality_never_changes_process_alarm(net, station, start, bad):
    eng = AlarmEngine(net)  # default delays: the held timer must not fire either
    jx = station("jx-001")
    jx.set("room_temp[1]", start)
    eng.evaluate(jx.scan(0))
    eng.evaluate(jx.scan(10_000))
    g = eng.slot("jx-001/room_temp[1]/room_low")
    before = (eng.bank.cond[g], eng.state("jx-001/room_temp[1]/room_low"))
    for i, (q, v) in enumerate(bad):
        jx.set("room_temp[1]", v, q)
        eng.evaluate(jx.scan(10_001 + 1000 * i))
        assert (eng.bank.cond[g], eng.state("jx-001/room_temp[1]/room_low")) == before


def _write_net(tmp_path: Path, alarms: str) -> Path:
    f = tmp_path / "net.yaml"
    f.write_text(textwrap.dedent(f"""\
        name: t
        templates: [{TEMPLATE}]
        sources: [{{id: s, name: S, position: [0, 0]}}]
        trunks: [{{id: t, name: T, source: s, route: [[0, 0], [1, 0]]}}]
        districts: [{{id: d, name: D, center: [0, 0]}}]
        stations:
          - {{id: a-1, name: A, district: d, template: substation-v1, trunk: t,
              host: 127.0.0.2, rooms: 4, position: [0, 0]}}
        """) + alarms)  # fmt: skip
    return f


def test_rules_overridden_from_yaml(tmp_path):
    net = load_network(_write_net(tmp_path, textwrap.dedent("""\
        alarms:
          shelve_max_s: 600
          rules:
            room_low: {limit: 17.0, station_limit: false, on_delay_s: 0, priority: high}
            makeup_high: {enabled: false}
        """)))  # fmt: skip
    assert net.alarms.rule("room_low").limit == 17.0
    assert net.alarms.rule("room_low").deadband == 0.3  # untouched default
    eng = AlarmEngine(net)
    g = eng.slot("a-1/room_temp[0]/room_low")
    assert eng.limit([g])[0] == 17.0 and eng.slots.prio[g] == 1
    with pytest.raises(KeyError):
        eng.slot("a-1/makeup_flow/makeup_high")


def test_typo_in_alarm_rules_reported_with_line(tmp_path):
    f = _write_net(tmp_path, "alarms:\n  rules:\n    room_low: {on_dealy_s: 5}\n")
    with pytest.raises(ConfigError) as e:
        load_network(f)
    msg = str(e.value)
    assert "on_dealy_s" in msg and f"{f}:" in msg and "alarms.rules.room_low" in msg
