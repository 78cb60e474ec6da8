"""A station's response to a curve shift, from its ThermalModel fitted on simulator history."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from console.core.preheat.response import StationResponse, fit_heat_gain

from .conftest import SimHistory, outdoor_forecast

# The session's simulated history (conftest.sim_history) takes minutes of a loaded machine.
pytestmark = pytest.mark.timeout(900)


def response(h: SimHistory, i: int, level: float, **kw) -> StationResponse:  # type: ignore[no-untyped-def]
    s = h.series[i]
    t, v = outdoor_forecast(s, level)
    r = StationResponse.build(h.models[i], s, t, v, gain_kw_k=fit_heat_gain(s, h.heat[i]), **kw)
    assert r is not None
    return r


def test_no_shift_is_the_models_own_forecast(sim_history: SimHistory) -> None:
    """On the law's supply: the plan's plant raises remove the shortfall the forecaster learned
    (counting it as well put the predicted lows a degree too cold)."""
    s = sim_history.series[0]
    t, v = outdoor_forecast(s, -12.0)
    model = copy.copy(sim_history.models[0])
    model.shortfall = None
    fc = model.forecast(s, t, v)
    assert fc is not None
    mean, low = response(sim_history, 0, -12.0).rooms(0.0)
    np.testing.assert_allclose(mean, fc.mean, atol=1e-9)
    np.testing.assert_allclose(low, fc.coldest, atol=1e-9)


def test_a_shift_warms_the_rooms_after_the_models_delay_and_costs_heat(
    sim_history: SimHistory,
) -> None:
    r = response(sim_history, 0, -12.0)
    d = sim_history.models[0].delay_h_fitted
    base = r.rooms(0.0)[1]
    warm = r.rooms(4.0)[1]
    assert np.all(warm[:d] == pytest.approx(base[:d]))  # before the delay: nothing yet
    assert np.all(warm[d + 1 :] > base[d + 1 :])
    # A few K of supply move the rooms by a fraction of it (the building's gain), more later.
    assert 0.2 < warm[-1] - base[-1] < 4.0
    assert r.extra_gj(4.0) > r.extra_gj(2.0) > 0.0
    # The fitted radiator gain is the heat meter's kW per K of T3 − room.
    s = sim_history.series[0]
    ratio = sim_history.heat[0] / (s.supply - s.room_mean)
    assert fit_heat_gain(s, sim_history.heat[0]) == pytest.approx(np.median(ratio), rel=0.15)


def test_t3_max_caps_the_shift(sim_history: SimHistory) -> None:
    r = response(sim_history, 0, -12.0)
    t3_max = float(np.max(r.t3)) + 1.0
    capped = response(sim_history, 0, -12.0, t3_max=t3_max)
    eff = capped.effective(np.full(r.hours, 5.0))
    assert np.all(capped.t3 + eff <= t3_max + 1e-9) and eff.min() >= 1.0 - 1e-9
    assert capped.rooms(5.0)[1][-1] < r.rooms(5.0)[1][-1]


def test_no_response_without_a_forecast_long_enough(sim_history: SimHistory) -> None:
    s = sim_history.series[0]
    t, v = outdoor_forecast(s, -5.0, hours=10)
    assert StationResponse.build(sim_history.models[0], s, t, v) is None


def test_the_achievable_supply_caps_a_shift_only_beyond_todays_load(
    sim_history: SimHistory,
) -> None:
    r = response(sim_history, 0, -12.0)
    now = sim_history.series[0].supply[r.k]
    busy = r.t3 > now + 1.0
    assert busy.any()  # −12 °C asks more of the valve than today's weather did
    shift = np.full(r.hours, 6.0)
    nothing = r.effective(shift, np.zeros(r.hours))
    assert np.all(nothing[busy] == 0.0) and np.all(nothing[~busy] == 6.0)
    half = r.effective(shift, np.full(r.hours, 6.0))  # 6 K of T1 carries 3 K of T3
    assert np.all(half[busy] == pytest.approx(3.0))
    np.testing.assert_allclose(r.effective(shift, np.full(r.hours, 30.0)), r.effective(shift))
    assert r.rooms(6.0, np.zeros(r.hours))[1][-1] < r.rooms(6.0)[1][-1]
