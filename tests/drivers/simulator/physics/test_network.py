"""NetworkPhysics fidelity, measured on the simulator's own registers: how rooms cool after a
primary stop, what a burst reaches first, plant capacity, make-up water and thermal expansion."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from drivers.simulator.physics import BETA_WATER, V_SEC_PER_M2, NetworkPhysics
from station_config.generator import generate_network
from station_config.loader import DEMO_CONFIG, load_network

ROOT = Path(__file__).resolve().parents[4]
SMALL = ROOT / "tests/fixtures/small_network.yaml"
START = 1_736_900_000.0  # 2025-01-15 08:13 in Luoyang
H = 3600.0


@pytest.fixture(scope="module")
def net():
    return load_network(SMALL)


def reader(ph: NetworkPhysics, sid: str):
    i = ph.station_ids.index(sid)
    t = ph.tables[i]
    return lambda point: float(ph.values(i)[t.index[point]])


def _hours_to_16(ph: NetworkPhysics, sid: str, limit_h: float = 8.0) -> tuple[float, float]:
    """Hours until the coldest room, and the room mean, first read ≤ 16 °C."""
    get = reader(ph, sid)
    t_min = t_mean = None
    for k in range(1, int(limit_h * 12) + 1):
        ph.advance(300.0)
        if t_min is None and get("room_temp_min") <= 16.0:
            t_min = k / 12
        if t_mean is None and get("room_temp_mean") <= 16.0:
            t_mean = k / 12
            break
    assert t_min is not None and t_mean is not None, "rooms did not cool to 16 °C"
    return t_min, t_mean


@pytest.mark.parametrize(("seed", "hour"), [(0, 11.0), (3, 15.0)])  # stops at 20:13, 00:13
def test_after_a_primary_stop_the_coldest_room_is_not_much_faster_than_the_mean(net, seed, hour):
    ph = NetworkPhysics(net, seed=seed, start=START + hour * H)
    ph.advance(H)
    ph.apply_event({"type": "valve_stuck", "station": "jx-002", "position_pct": 0})
    t_min, t_mean = _hours_to_16(ph, "jx-002")
    # Published for an unheated block on a winter night: 2.5–4 h from 19 to 16 °C.
    assert 2.5 <= t_mean <= 4.0
    assert t_mean / t_min <= 1.5, (t_min, t_mean)


def test_a_burst_reaches_pressure_and_make_up_in_minutes_and_rooms_in_hours(net):
    ph = NetworkPhysics(net, seed=0, start=START)
    get = reader(ph, "jx-002")
    ph.advance(H)
    mean0, min0 = get("room_temp_mean"), get("room_temp_min")
    ph.apply_event({"type": "leak", "station": "jx-002", "flow_m3h": 30.0})
    ph.advance(300.0)
    assert get("p4_secondary_return") < get("p_secondary_low")  # pressure first ...
    assert int(get("alarm_bits")) & (1 << 1)
    assert get("makeup_flow") > 1.0  # ... the make-up pump at full
    ph.advance(25 * 60.0)
    assert min0 - get("room_temp_min") < 0.5  # the rooms barely notice in half an hour
    assert mean0 - get("room_temp_mean") < 0.5
    ph.advance(3 * H)
    assert mean0 - get("room_temp_mean") > 1.0  # they do after hours


def _city(tmp_path: Path, ratings_from_demo: bool):
    path = tmp_path / "city.yaml"
    path.write_text(generate_network(757), encoding="utf-8")
    city = load_network(path)
    if ratings_from_demo:  # the plants of the demo file: far short of the full city's load
        demo = {s.id: s.capacity_mw for s in load_network(DEMO_CONFIG).sources}
        sources = [s.model_copy(update={"capacity_mw": demo[s.id]}) for s in city.sources]
        city = city.model_copy(update={"sources": sources})
    return city


def test_plants_deliver_at_most_their_capacity_and_far_stations_go_short_first(tmp_path):
    night = START + 17 * H  # 01:13: the cold small hours ahead
    ample = NetworkPhysics(_city(tmp_path, False), seed=0, start=night)
    short_net = _city(tmp_path, True)
    short = NetworkPhysics(short_net, seed=0, start=night)
    cap = np.array([s.capacity_mw * 1e6 for s in short_net.sources])
    src = {s.id: k for k, s in enumerate(short_net.sources)}
    feeds = {t.id: src[t.source] for t in short_net.trunks}
    of = np.array([feeds[s.trunk] for s in short_net.stations])
    for _ in range(3):
        ample.advance(H)
        short.advance(H)
    kw = np.array([reader(short, sid)("heat_power") for sid in short.station_ids])
    kw_ample = np.array([reader(ample, sid)("heat_power") for sid in ample.station_ids])
    power = np.bincount(of, kw * 1e3, minlength=len(cap))
    assert kw_ample.sum() * 1e3 > cap.sum() * 1.1  # the city needs more than these plants
    assert np.all(power <= cap * 1.02), (power / 1e6, cap / 1e6)  # ... they deliver their rating
    load = short.plant_load()  # what the plants report agrees with the stations' meters
    for k, s in enumerate(short_net.sources):
        assert load[s.id] == pytest.approx((power[k] / 1e6, cap[k] / 1e6), rel=0.01)
    # Who goes short: the stations farthest along their trunk (longest transport delay).
    deficit = 1.0 - kw / kw_ample
    delay = short.delay_s
    for k in range(len(cap)):
        mine = of == k
        if power[k] < cap[k] * 0.95:
            continue  # this plant is not short
        far = mine & (delay >= np.quantile(delay[mine], 0.75))
        near = mine & (delay <= np.quantile(delay[mine], 0.25))
        assert deficit[far].mean() > deficit[near].mean() + 0.05, short_net.sources[k].id


def test_make_up_pump_cycles_and_the_daily_swing_moves_water(net):
    ph = NetworkPhysics(net, seed=0, start=START)
    get = reader(ph, "jx-002")
    starts, on, outdoor = 0, False, []
    v0 = get("makeup_volume")
    for _ in range(24 * 60):
        ph.advance(60.0)
        now_on = bool(int(get("status_bits")) & (1 << 2))
        starts += now_on and not on
        on = now_on
        outdoor.append(get("outdoor_temp"))
    assert max(outdoor) - min(outdoor) > 6.0  # a daily swing of the outdoor temperature
    assert 4 <= starts <= 120  # the pump cycles: not always on, not never
    assert 0.1 < get("makeup_volume") - v0 < 5.0  # m³ a day for ~95 m³ of water


def test_thermal_expansion_moves_the_make_up_volume_it_should(net):
    """Cool jx-002's loop ~10 K (curve shift −10 K): the make-up pump refills the contraction,
    β·V·ΔT (≈ 0.4 m³ for its 95 m³), on top of the normal losses."""
    ref, ph = NetworkPhysics(net, seed=0, start=START), NetworkPhysics(net, seed=0, start=START)
    for p in (ref, ph):
        p.advance(H)
    i = ph.station_ids.index("jx-002")
    ph.write(i, "curve_shift", -10.0)
    g_ref, g = reader(ref, "jx-002"), reader(ph, "jx-002")

    def loop_temp(get) -> float:
        return 0.5 * (get("t3_secondary_supply") + get("t4_secondary_return"))

    t0, v0, vr0 = loop_temp(g), g("makeup_volume"), g_ref("makeup_volume")
    dt0 = loop_temp(g_ref) - t0
    for p in (ref, ph):
        p.advance(3 * H)
    cooled = (loop_temp(g_ref) - loop_temp(g)) - dt0  # relative to the same day unshifted
    assert 7.0 < cooled < 13.0
    extra = (g("makeup_volume") - v0) - (g_ref("makeup_volume") - vr0)
    volume = float(ph.area[i]) * V_SEC_PER_M2  # m³ of water in its secondary
    assert extra == pytest.approx(BETA_WATER * volume * cooled, rel=0.25, abs=0.03)


def test_a_plant_supply_raise_ramps_and_reaches_stations_after_their_delay(net):
    """`plant_supply`: the outlet ramps at the boiler rate, the hotter water reaches each
    station one transport delay later, more heat flows, and `plant_auto` returns to the curve."""
    ref, ph = NetworkPhysics(net, seed=0, start=START), NetworkPhysics(net, seed=0, start=START)
    i = ph.station_ids.index("jx-001")
    delay = float(ph.delay_s[i])
    ph.apply_event({"type": "plant_supply", "source": "east_chp", "raise_k": 15.0})
    for p in (ref, ph):
        p.advance(1800.0)
    out, want = ph.plant_supply()["east_trunk"]
    out0, want0 = ref.plant_supply()["east_trunk"]
    assert want == pytest.approx(want0 + 15.0)
    assert 5.0 < out - out0 < 15.0  # half an hour at 20 K/h: ~10 K, not yet all 15
    for p in (ref, ph):
        p.advance(delay - 1800.0 - 1200.0)
    t1 = reader(ph, "jx-001")("t1_primary_supply")
    assert abs(t1 - reader(ref, "jx-001")("t1_primary_supply")) < 0.5  # still on its way
    for p in (ref, ph):
        p.advance(2400.0 + 1800.0)
    assert (
        reader(ph, "jx-001")("t1_primary_supply")
        > reader(ref, "jx-001")("t1_primary_supply") + 12.0
    )
    ph.apply_event({"type": "plant_auto", "source": "east_chp"})
    for p in (ref, ph):
        p.advance(3 * H)
    assert ph.plant_supply()["east_trunk"][0] == pytest.approx(
        ref.plant_supply()["east_trunk"][0], abs=0.5
    )


def test_plant_supply_setpoint_is_capped_and_bad_values_are_refused(net):
    ph = NetworkPhysics(net, seed=0, start=START)
    ph.apply_event({"type": "plant_supply", "setpoint_c": 200.0})
    ph.advance(12 * H)
    assert ph.plant_supply()["east_trunk"][0] == pytest.approx(130.0)
    with pytest.raises(ValueError, match="raise_k must be a number"):
        ph.apply_event({"type": "plant_supply", "raise_k": "hot"})
    with pytest.raises(ValueError, match="not both"):
        ph.apply_event({"type": "plant_supply", "raise_k": 1, "setpoint_c": 100})
