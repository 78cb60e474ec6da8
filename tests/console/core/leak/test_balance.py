"""The water-balance leak detector on synthetic series (tests/support/water_loop.py: a make-up
pump cycling on its pressure band, a daily temperature swing with the relief valve spilling at
its ceiling, registers rounded as Modbus gives them) and leaks of every size."""

from __future__ import annotations

import math

import numpy as np
import pytest

from console.core.leak.balance import LeakDetector, LeakInputs, station_volumes
from station_config.alarm_rules import LeakConfig
from station_config.schema import StationDef
from tests.support.water_loop import H, Loop

STEP = 30.0  # scan period, s


def run(loop: Loop, det: LeakDetector, seconds: float, step: float = STEP) -> list[bool]:
    """Advance and feed the detector every `step` s; the detector's state after each."""
    out = []
    for _ in range(int(seconds / step)):
        loop.advance(step)
        det.update(np.array([0]), np.array([loop.t]), loop.inputs())
        out.append(bool(det.active[0]))
    return out


def first(states: list[bool], value: bool = True, step: float = STEP) -> float:
    """Seconds until the first sample in `value` (inf: never)."""
    return next((i * step + step for i, s in enumerate(states) if s == value), math.inf)


def learned(volume: float = 60.0, normal: float = 0.05, hours: float = 12.0) -> tuple:
    loop = Loop(volume, normal)
    det = LeakDetector(np.array([volume]))
    assert not any(run(loop, det, hours * H))
    return loop, det


@pytest.mark.parametrize("volume", [5.0, 60.0, 150.0])
def test_cycling_pump_and_daily_swing_raise_nothing(volume):
    loop = Loop(volume, normal=volume * 0.01 / 24 * 1.8)
    det = LeakDetector(np.array([volume]))
    states = run(loop, det, 2 * 86400.0)
    assert loop.starts >= 20  # the pump cycled (about once an hour) ...
    assert not any(states)  # ... and the balance stayed normal throughout
    # It learned the station's own normal rate and the vessel's stiffness within 20 %.
    assert det.baseline[0] == pytest.approx(loop.normal, rel=0.2)
    assert det.stiffness[0] == pytest.approx(loop.k, rel=0.2)


def test_relief_spill_while_warming_is_not_a_leak():
    # A 20 K swing on 150 m³ moves 1.3 m³: far more than the vessel's band, spilled daily.
    loop = Loop(150.0, normal=0.02, swing_k=20.0)
    det = LeakDetector(np.array([150.0]))
    assert not any(run(loop, det, 2 * 86400.0))
    assert loop.spilled > 1.0  # m³ over the relief valve in two days


@pytest.mark.parametrize(("rate", "within_s"), [(0.5, 6 * H), (2.0, 1 * H), (30.0, 120.0)])
def test_leak_is_raised_in_time_and_estimated(rate, within_s):
    loop, det = learned()
    loop.leak = rate
    t0 = loop.t
    states = run(loop, det, within_s)
    assert first(states) <= within_s
    since = det.since[0]
    assert t0 - 60.0 <= since <= loop.t
    est = det.rate(np.array([0]))[0]
    if rate < loop.cap:  # the pump keeps up: the balance sees the whole leak
        assert est == pytest.approx(rate, rel=0.5)
    else:  # the loop drained: a lower bound, flagged as such
        assert det.drained[0] and 1.0 <= est <= rate


def test_leak_stays_while_it_lasts_and_clears_after_it_ends():
    loop, det = learned()
    loop.leak = 0.5
    states = run(loop, det, 10 * H)
    raised = first(states)
    assert raised < 6 * H and all(states[int(raised / STEP) :])  # never dropped while leaking
    loop.leak = 0.0
    after = run(loop, det, 3 * H)
    cleared = first(after, False)
    assert 0 < cleared < 1.5 * H and not any(after[int(cleared / STEP) :])
    assert math.isnan(det.since[0]) and det.rate(np.array([0]))[0] == 0.0


def test_burst_clears_after_refill():
    loop, det = learned(hours=6.0)
    loop.leak = 30.0
    assert first(run(loop, det, 600.0)) <= 120.0
    loop.leak = 0.0
    after = run(loop, det, 3 * H)
    assert loop.p > 250.0  # refilled
    assert first(after, False) < 2 * H and not after[-1]


def test_gap_and_missing_points_hold_the_state():
    loop, det = learned(hours=6.0)
    loop.leak = 2.0
    run(loop, det, H)
    assert det.active[0]
    nan = np.array([np.nan])
    x = loop.inputs()
    rate, valid = det.update(
        np.array([0]), np.array([loop.t + 10]), LeakInputs(nan, nan, nan, x.t_supply, nan)
    )
    assert not valid[0] and det.active[0]  # no pressure, no volume: held, not cleared
    loop.advance(2 * H)  # link down for two hours: the balance restarts from here
    rate, valid = det.update(np.array([0]), np.array([loop.t]), loop.inputs())
    assert valid[0] and det.active[0] and rate[0] > 0


def test_station_volumes_from_design_area():
    sts = [
        StationDef.model_construct(area_m2=60_000.0, rooms=10),
        StationDef.model_construct(area_m2=0.0, rooms=10),
    ]
    assert station_volumes(sts, LeakConfig()).tolist() == [60.0, 4.0]


TIGHT = {"threshold_m3": 0.05, "threshold_per_m3": 0.0, "drift_m3h": 0.02, "drift_per_m3": 0.0}


def test_expansion_compensation_is_what_lets_a_tight_threshold_stay_quiet():
    """Tuned ten times tighter than the defaults, the balance stays normal through the daily
    swing only because it accounts for the water's expansion and the relief valve's spill."""
    compensated = LeakDetector(np.array([150.0]), LeakConfig(**TIGHT))
    blind = LeakDetector(np.array([150.0]), LeakConfig(**TIGHT, beta_per_k=1e-12))
    loop_a, loop_b = Loop(150.0, 0.02, swing_k=20.0), Loop(150.0, 0.02, swing_k=20.0)
    assert not any(run(loop_a, compensated, 2 * 86400.0))
    assert any(run(loop_b, blind, 2 * 86400.0))
    assert loop_a.spilled > 0.5  # m³ over the relief valve
