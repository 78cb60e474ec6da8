"""Scenario files: the shipped ones load and do what they say; bad ones fail with file and line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.simulator.physics import NetworkPhysics
from drivers.simulator.runner import Simulator
from drivers.simulator.scenarios import COMM_EVENT_TYPES, EVENT_TYPES, Scenario
from station_config.loader import ConfigError, load_network

ROOT = Path(__file__).resolve().parents[3]
SMALL = ROOT / "tests/fixtures/small_network.yaml"
DEMO = ROOT / "station_config/demo.yaml"
SCENARIOS = ROOT / "station_config/scenarios"
START = 1_736_900_000.0


@pytest.fixture(scope="module")
def small():
    return load_network(SMALL)


@pytest.mark.parametrize("name", ["cold_wave", "cold_wave_ahead", "incidents", "chill_station"])
def test_shipped_scenarios_load_against_demo_and_small_network(name, small):
    path = SCENARIOS / f"{name}.yaml"
    assert path.read_text(encoding="utf-8").startswith("# Scenario format")  # documented
    for net in (small, load_network(DEMO)):
        sc = Scenario.load(path, net)
        assert sc.events and sc.name
        assert all(ev["type"] in EVENT_TYPES for ev in sc.events)


def test_incidents_cover_the_asked_kinds():
    sc = Scenario.load(SCENARIOS / "incidents.yaml")
    kinds = {ev["type"] for ev in sc.events}
    assert {"leak", "pump_fault", "sensor_fault"} <= kinds
    assert {"comm_offline", "heartbeat_freeze", "comm_latency"} <= kinds & COMM_EVENT_TYPES


def test_due_hands_out_each_event_once_in_time_order(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(
        "events:\n"
        "  - {at: 2h, type: leak, station: a, flow_m3h: 2, duration: 30m}\n"
        "  - {at: 90s, type: comm_offline, station: a}\n"
        "  - {at: 10m, type: cold_wave, delta_k: -5, ramp: 1h}\n"
        "  - {at: 10m, type: plant_trip, trunk: t}\n",
        encoding="utf-8",
    )
    sc = Scenario.load(f)
    assert sc.due(0) == []
    assert [e["type"] for e in sc.due(600)] == ["comm_offline", "cold_wave", "plant_trip"]
    assert sc.due(600) == [] and sc.due(7199) == []
    (leak,) = sc.due(1e9)
    assert leak == {
        "type": "leak",
        "at": 7200.0,
        "station": "a",
        "flow_m3h": 2.0,
        "duration_s": 1800.0,
    }
    assert sc.due(1e9) == []


BAD = [
    ("events:\n  - {at: 1h, type: lake, station: a}\n", 2, "unknown event type `lake`"),
    ("events:\n  - {at: soon, type: leak, station: a}\n", 2, "not a duration"),
    ("events:\n  - {at: 1h, type: leak}\n", 2, "needs a selector"),
    ("events:\n  - {at: 1h, type: leak, station: a, flow: 3}\n", 2, "unknown parameter `flow`"),
    ("events:\n  - {type: leak, station: a}\n", 2, "missing field `at`"),
    (
        "name: x\nevents:\n  - at: 1h\n    type: dp_limit\n    district: d\n    factor: 3\n",
        6,
        "outside 0..1",
    ),
    ("events:\n  - {at: 1h, type: set, point: heartbeat, value: 1}\n", 2, "not a writable"),
    ("events:\n  - {at: 1h, type: pump_fault, station: a, pump: 3}\n", 2, "pump must be"),
    ("events:\n  - {at: 1h, type: weather, station: a}\n", 2, "takes no `station`"),
    ("name: x\nevent: []\n", 2, "unknown field `event`"),
    ("events: {at: 1h}\n", 1, "must be a list"),
    ("events:\n  - [1, 2]\n", 2, "must be a mapping"),
    ("events:\n  - {at: 1h, type: leak, station: a\n", 3, "not valid YAML"),
    ("events:\n  - {at: 1h, type: bad_reply, station: a, mode: late}\n", 2, "mode must be"),
    ("events:\n  - {at: 1h, type: bad_reply, station: a}\n", 2, "needs `mode`"),
    ("events:\n  - {at: 1h, type: wrong_device, station: a}\n", 2, "needs `as`"),
]


@pytest.mark.parametrize(("text", "line", "reason"), BAD)
def test_bad_scenarios_report_file_line_and_reason(tmp_path, text, line, reason):
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        Scenario.load(f)
    p = e.value.problems[0]
    assert p.file == str(f) and p.line == line and reason in p.message, str(p)
    assert f"{f}:{line}:" in str(e.value)


def test_every_problem_is_reported_at_once(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(
        "events:\n  - {at: x, type: leak, station: a}\n  - {at: 1h, type: nope}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as e:
        Scenario.load(f)
    assert [p.line for p in e.value.problems] == [2, 3]


def test_unknown_selectors_checked_against_the_network(tmp_path, small):
    f = tmp_path / "s.yaml"
    f.write_text(
        "events:\n"
        "  - {at: 0s, type: leak, station: jx-001}\n"
        "  - {at: 0s, type: leak, station: jx-999}\n"
        "  - {at: 0s, type: cold_wave, district: atlantis}\n"
        "  - {at: 0s, type: wrong_device, station: jx-001, as: jx-998}\n",
        encoding="utf-8",
    )
    Scenario.load(f)  # fine without a network
    with pytest.raises(ConfigError) as e:
        Scenario.load(f, small)
    msgs = {(p.line, p.message) for p in e.value.problems}
    assert msgs == {
        (3, "unknown station `jx-999`"),
        (4, "unknown district `atlantis`"),
        (5, "unknown station `jx-998`"),
    }


def _run(net, path: Path, hours: float, step: float = 120.0) -> NetworkPhysics:
    ph = NetworkPhysics(net, seed=0, start=START)
    sc = Scenario.load(path, net)
    elapsed = 0.0
    while elapsed < hours * 3600:
        ph.advance(step)
        elapsed += step
        for ev in sc.due(elapsed):
            if ev["type"] not in COMM_EVENT_TYPES:
                ph.apply_event(ev)
    return ph


def _rooms(ph: NetworkPhysics, sid: str) -> np.ndarray:
    i = ph.station_ids.index(sid)
    return ph.values(i)[ph.tables[i].indices("room_temp")]


def test_chill_station_scenario_chills_jx001_quickly(small):
    ph = _run(small, SCENARIOS / "chill_station.yaml", 0.75, step=60.0)
    assert np.nanmin(_rooms(ph, "jx-001")) > 18.0  # the loop's warm water still heats
    ph = _run(small, SCENARIOS / "chill_station.yaml", 2.0, step=60.0)
    assert np.nanmin(_rooms(ph, "jx-001")) < 18.0
    assert np.nanmin(_rooms(ph, "jx-002")) > 18.0


def test_cold_wave_scenario_chills_one_district(small):
    ph = _run(small, SCENARIOS / "cold_wave.yaml", 6.0)
    jx = np.concatenate([_rooms(ph, "jx-001"), _rooms(ph, "jx-002")])
    xg = _rooms(ph, "xg-002")
    assert (jx < 18.0).mean() > 0.3  # 涧西 is cold ...
    assert np.nanmean(xg) > 18.5  # ... the other district only sags


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=20))
def test_due_is_monotone_and_complete(times):
    sc = Scenario([{"type": "weather", "at": t} for t in times])
    out = []
    for now in sorted([*times, 2e6]):
        out += sc.due(now)
    assert [e["at"] for e in out] == sorted(times)


def test_cold_wave_ahead_is_on_the_forecast_before_the_rooms_feel_it(small, tmp_path):
    sim = Simulator(
        small,
        scenario=SCENARIOS / "cold_wave_ahead.yaml",
        forecast_dir=tmp_path,
        physics=NetworkPhysics(small, start=START),
    )
    sim.build()
    first = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    temps = np.array([p["outdoor_c"] for p in first["points"]])
    assert temps[40:60].mean() < temps[:24].mean() - 8  # on the forecast from the start
    for _ in range(36):
        sim.tick(3600.0)
    warm = np.nanmin(_rooms(sim.physics, "jx-002"))
    assert warm > 18.0  # nothing has happened yet, 36 h in
