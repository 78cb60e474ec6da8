"""The station thermal model: identification, forecast, uncertainty band (synthetic data from
a known building, tests/console/core/forecast/synthetic.py)."""

from __future__ import annotations

import numpy as np
import pytest

from console.core.forecast.model import (
    HOUR,
    Shortfall,
    StationSeries,
    SupplyLaw,
    ThermalModel,
    curve_from_points,
    forecast_error_sigma,
    hourly,
)
from console.core.forecast.supply import smoothed
from tests.console.core.forecast import synthetic as syn


@pytest.fixture
def history() -> StationSeries:
    rng = np.random.default_rng(1)
    return syn.series(syn.outdoor(24 * 15, rng), rng)


def test_identification_recovers_the_known_building(history: StationSeries) -> None:
    m = ThermalModel(curve=syn.CURVE)
    rep = m.fit(history)
    assert rep is not None and rep.stable
    assert rep.delay_h == syn.DELAY_H  # the transport delay, picked by fit
    assert m.mean_model is not None and m.min_model is not None
    np.testing.assert_allclose(m.mean_model.theta[:6], syn.THETA[:6], atol=0.02)
    np.testing.assert_allclose(m.min_model.theta[:6], syn.THETA_MIN[:6], atol=0.02)
    # Equation noise 0.01 °C: the one-step residual says so.
    assert 0.005 < rep.rmse_1h < 0.02
    assert rep.r2 > 0.95
    assert "delay 2 h" in rep.summary()


def test_forecast_follows_the_true_response_with_the_true_weather(history) -> None:
    m = ThermalModel(curve=syn.CURVE)
    m.fit(history)
    k = len(history) - 1
    rng = np.random.default_rng(2)
    future = syn.outdoor(48, rng, base=-8.0)
    truth = syn.extend(history, future)
    fc = m.forecast(history, syn.hour_times(history, k, 48), future)
    assert fc is not None and len(fc.mean) == 48
    err_mean = np.abs(fc.mean - truth.room_mean[k + 1 :])
    err_min = np.abs(fc.coldest - truth.room_min[k + 1 :])
    assert err_mean.max() < 0.15
    assert err_min.max() < 0.15
    # The truth lies inside the 90 % band.
    assert np.all(
        (truth.room_mean[k + 1 :] >= fc.mean_lo) & (truth.room_mean[k + 1 :] <= fc.mean_hi)
    )


def test_a_cold_wave_below_the_design_day_is_forecast_to_cool_the_rooms(history) -> None:
    m = ThermalModel(curve=syn.CURVE)
    m.fit(history)
    k = len(history) - 1
    future = np.full(48, -25.0)  # the curve is flat below −10 °C: rooms lose 0.5 K per K
    fc = m.forecast(history, syn.hour_times(history, k, 48), future)
    truth = syn.extend(history, future)
    assert fc.mean[-1] < 15.0
    assert abs(fc.mean[-1] - truth.room_mean[-1]) < 0.3


def test_the_band_widens_with_lead(history) -> None:
    m = ThermalModel(curve=syn.CURVE)
    m.fit(history)
    k = len(history) - 1
    # Below the design day the curve no longer compensates an outdoor error: it reaches the
    # rooms more and more with lead, as the forecast's own error grows.
    fc = m.forecast(history, syn.hour_times(history, k, 48), np.full(48, -15.0))
    width = fc.mean_hi - fc.mean_lo
    assert np.all(np.diff(width) >= -1e-9)
    assert width[47] > 2 * width[5] > 0
    # Inside the curve's range an outdoor error is mostly compensated: a narrower band.
    mild = m.forecast(history, syn.hour_times(history, k, 48), np.full(48, -3.0))
    assert np.all(np.diff(mild.mean_hi - mild.mean_lo) >= -1e-9)
    assert (mild.mean_hi - mild.mean_lo)[47] < width[47]
    assert np.all(fc.coldest_lo <= fc.coldest) and np.all(fc.coldest <= fc.coldest_hi)
    s = forecast_error_sigma(np.array([1, 24, 72]))
    assert 0.9 < s[1] < 1.2 and s[2] > 2 * s[1] * 0.9  # ≈ 1 K a day ahead, growing


def test_without_a_curve_the_supply_law_is_learned_and_held_flat_beyond_its_range(history):
    m = ThermalModel()
    rep = m.fit(history)
    assert rep is not None and m.law is not None
    # History spans about −9…+3 °C: slope ≈ −1 inside, flat outside.
    assert m.law(np.array([0.0]))[0] == pytest.approx(50.0, abs=1.0)
    assert m.law(np.array([-40.0]))[0] == m.law(np.array([-30.0]))[0]


def test_too_short_a_history_gives_no_fit_and_no_forecast() -> None:
    rng = np.random.default_rng(3)
    short = syn.series(syn.outdoor(72, rng), rng)
    m = ThermalModel(curve=syn.CURVE)
    assert m.fit(short) is None and not m.ready
    assert m.forecast(short, syn.hour_times(short, 47, 48), np.zeros(48)) is None


def test_a_forecast_too_short_for_the_horizon_is_not_used(history) -> None:
    m = ThermalModel(curve=syn.CURVE)
    m.fit(history)
    k = len(history) - 1
    assert m.forecast(history, syn.hour_times(history, k, 12), np.zeros(12)) is None


def test_hourly_bins_irregular_samples() -> None:
    t = np.array([0.0, 600.0, 3000.0, 3700.0, 9000.0, -5.0])
    v = np.array([1.0, 3.0, np.nan, 5.0, 7.0, 100.0])
    out = hourly(t, v, 0.0, 4)
    np.testing.assert_allclose(out[:3], [2.0, 5.0, 7.0])
    assert np.isnan(out[3])


def test_supply_law_from_a_flat_history_is_refused() -> None:
    assert SupplyLaw.fitted(np.zeros(50), np.full(50, 50.0)) is None
    assert HOUR == 3600.0


def test_curve_from_the_polled_points() -> None:
    regs = {"curve_t3_at_m10": 60.0, "curve_t3_at_m5": 55.0, "curve_t3_at_0": 50.0,
            "curve_t3_at_p5": 45.0, "curve_t3_at_p10": 40.0, "curve_t3_at_p15": 35.0,
            "curve_shift": 2.0}  # fmt: skip
    law = curve_from_points(lambda p: regs.get(p, float("nan")))
    assert law is not None
    np.testing.assert_allclose(law(np.array([-20.0, -7.5, 15.0, 30.0])), [62, 59.5, 37, 37])
    del regs["curve_shift"]  # unknown shift: the curve as is
    assert law is not None and curve_from_points(lambda p: regs.get(p, np.nan))(0.0) == 50.0
    del regs["curve_t3_at_0"]
    assert curve_from_points(lambda p: regs.get(p, np.nan)) is None


def test_history_on_the_curve_alone_still_forecasts_below_the_design_day() -> None:
    """Under weather control the supply moves against the outdoor (no separate excitation):
    the physics constraint (gains add up to one) still tells the two apart."""
    rng = np.random.default_rng(4)
    s = syn.series(syn.outdoor(24 * 15, rng), rng, supply_jitter=0.0)
    m = ThermalModel(curve=syn.CURVE)
    m.fit(s)
    k = len(s) - 1
    future = np.full(48, -25.0)
    fc = m.forecast(s, syn.hour_times(s, k, 48), future)
    truth = syn.extend(s, future)
    assert np.abs(fc.mean - truth.room_mean[k + 1 :]).max() < 0.3
    assert np.abs(fc.coldest - truth.room_min[k + 1 :]).max() < 0.3


def short_after_falls(to: np.ndarray) -> np.ndarray:
    """A supply that falls short of the curve after fast outdoor falls, as a plant at its
    rating does: each K/h of fall beyond 1 K/h costs 1 K of supply for the next 6 hours, once
    more for each 5 K the hour is below 0 °C (less reserve when it is cold)."""
    fall = np.zeros(len(to))
    fall[1:] = np.maximum(to[:-1] - to[1:] - 1.0, 0.0)
    return -np.convolve(fall, np.ones(6))[: len(to)] * (1.0 + np.maximum(-to, 0.0) / 5.0)


def stepped_outdoor(n: int, rng: np.random.Generator) -> np.ndarray:
    """Daily changes of weather, some of them fast (a few K within two hours)."""
    to = syn.outdoor(n, rng)
    for day in range(1, n // 24):
        h = day * 24 + int(rng.integers(0, 20))
        to[h:] += float(rng.uniform(-6.0, 6.0)) * np.clip((np.arange(n - h) + 1) / 2.0, 0, 1)
    return to


def test_a_shortfall_after_fast_falls_is_learned_and_forecast() -> None:
    rng = np.random.default_rng(7)
    to = stepped_outdoor(24 * 20, rng)
    gap = short_after_falls(to) + rng.normal(0.0, 0.3, len(to))
    sf = Shortfall.fitted(to, gap)
    assert sf is not None and sf.threshold == 1.0
    # The learned response: ~1 K per K/h for 6 h, nothing after.
    np.testing.assert_allclose(sf.weights[:6], 1.0, atol=0.2)
    np.testing.assert_allclose(sf.weights[6:], 0.0, atol=0.2)
    # A cold wave ahead: 12 K in 2 h. The model expects the supply short for hours after it.
    fall = np.concatenate([np.full(5, -3.0), [-9.0, -15.0], np.full(10, -15.0)])
    np.testing.assert_allclose(sf(fall), short_after_falls(fall), atol=1.5)
    # A steady cold, or a slow fall the plant carries, costs nothing.
    assert np.all(sf(np.linspace(-3.0, -15.0, 24)) == 0.0)


def test_a_history_on_its_curve_learns_no_shortfall(history: StationSeries) -> None:
    m = ThermalModel(curve=syn.CURVE)
    m.fit(history)
    assert m.shortfall is None  # its supply only wanders about the curve


def test_the_band_is_calibrated_on_free_runs_made_as_forecasts_are() -> None:
    """The supply wanders ±2 K about the curve in a way no forecast knows: the band, measured
    on free runs fed the law's supply (not the measured one), must hold the truth about as often
    as it says (90 %), where one measured with the true supply would be far too narrow."""
    rng = np.random.default_rng(3)
    s = syn.series(syn.outdoor(24 * 30, rng), rng, supply_jitter=4.0)
    fit_h = 24 * 20
    m = ThermalModel(curve=syn.CURVE)
    m.fit(
        StationSeries(s.start, *(a[:fit_h] for a in (s.outdoor, s.supply, s.room_mean, s.room_min)))
    )
    inside = []
    for k in range(fit_h, len(s) - 25, 6):
        fc = m.forecast(
            s,
            syn.hour_times(s, k, 48),
            np.concatenate([s.outdoor[k + 1 :], np.zeros(48)])[:48],
            now_index=k,
            hours=24,
        )
        truth = s.room_min[k + 1 : k + 25]
        inside.append((truth >= fc.coldest_lo) & (truth <= fc.coldest_hi))
    cover = float(np.mean(inside))
    assert 0.8 <= cover <= 0.995, cover


def test_the_supply_ahead_is_capped_by_the_primary_water_that_will_arrive() -> None:
    """A station whose T3 tops out at what its primary water allows (valve wide open) whenever
    the weather steps down faster than its plant follows: the model learns that limit from the
    polled T1 and valve, and a forecast cold spell gets the capped supply and colder rooms,
    where the curve alone would promise them warm. The pre-heating planner's supply
    (`shortfall=False`: its plant raises lift the water) stays the curve's."""
    rng = np.random.default_rng(5)
    n = 24 * 16
    to = stepped_outdoor(n, rng)
    to[-30:] = -1.0 + rng.normal(0.0, 0.2, 30)  # a mild day before the spell
    lag = np.concatenate([np.full(6, np.nan), smoothed(to, 2.0)[:-6]])
    t1 = 89.0 - 0.3 * to - 1.7 * np.where(np.isfinite(lag), lag, to)  # a plant's curve, late
    cap = 6.0 + 0.58 * t1
    curve = SupplyLaw(syn.CURVE.xs, syn.CURVE.ys + 7.0)  # just under the cap at steady state
    asked = curve(to)
    ts = np.minimum(asked, cap) + rng.normal(0.0, 0.2, n)
    valve = np.where(asked > cap, 100.0, 70.0)
    mean = syn.respond(syn.THETA, to, ts, np.full(n, 20.0), rng.normal(0.0, 0.01, n))
    low = syn.respond(syn.THETA_MIN, to, ts, np.full(n, 18.5), rng.normal(0.0, 0.01, n))
    w = syn.WARM_UP_H
    s = StationSeries(syn.START, to[w:], ts[w:], mean[w:], low[w:], t1[w:], valve[w:])
    assert (s.valve == 100.0).sum() >= 10  # the history shows the limit
    limited, plain = ThermalModel(curve=curve), ThermalModel(curve=curve)
    limited.fit(s)
    plain.fit(StationSeries(s.start, s.outdoor, s.supply, s.room_mean, s.room_min))
    assert limited.limit is not None and plain.limit is None
    k = len(s) - 1
    spell = np.concatenate([[-7.0, -13.0], np.full(46, -13.0)])
    times = syn.hour_times(s, k, 48)
    fc, fc_plain = limited.forecast(s, times, spell), plain.forecast(s, times, spell)
    assert fc is not None and fc_plain is not None
    ts_ahead = limited._future_supply(s, k, spell)
    assert ts_ahead is not None
    # The first hours: the water of the warmer weather, well below what the curve asks.
    d = limited.delay_h_fitted
    assert (ts_ahead[d + 2 : d + 6] < curve(spell[1:5]) - 3.0).all()
    assert fc.mean[5] < fc_plain.mean[5] - 0.1
    law_only = limited._future_supply(s, k, spell, shortfall=False)
    assert law_only is not None
    np.testing.assert_allclose(law_only[8:], curve(spell[7:]), atol=0.5)


def runaway(history: StationSeries, which: str) -> StationSeries:
    """`history` with one room series replaced by an equation that runs away (poles 1.06 and
    0.19): what a fit recovers from it would diverge in every free run."""
    theta = syn.THETA.copy()
    theta[:2] = (1.25, -0.2)
    theta[6] = -0.3
    n = len(history)
    y = syn.respond(theta, history.outdoor, history.supply, np.full(n, 18.0), np.zeros(n))
    cols = {"room_mean": history.room_mean, "room_min": history.room_min, which: y}
    return StationSeries(history.start, history.outdoor, history.supply, **cols)


@pytest.mark.parametrize("which", ["room_mean", "room_min"])
def test_a_fit_that_would_run_away_is_not_used(history: StationSeries, which: str) -> None:
    bad = runaway(history, which)
    fresh = ThermalModel(curve=syn.CURVE)
    assert fresh.fit(bad) is None and not fresh.ready  # nothing to forecast with
    k = len(bad) - 1
    assert fresh.forecast(bad, syn.hour_times(bad, k, 48), np.full(48, -8.0)) is None
    # A model already fitted keeps its fit, mean and coldest together.
    m = ThermalModel(curve=syn.CURVE)
    good = m.fit(history)
    mean, low = m.mean_model, m.min_model
    assert m.fit(bad) is good and m.mean_model is mean and m.min_model is low
    fc = m.forecast(history, syn.hour_times(history, k, 48), np.full(48, -8.0))
    assert fc is not None and np.all(np.abs(fc.coldest - 18.0) < 5.0)


def test_a_forecast_that_is_no_room_temperature_is_not_given(history: StationSeries) -> None:
    m = ThermalModel(curve=syn.CURVE)
    m.fit(history)
    k = len(history) - 1
    times = syn.hour_times(history, k, 48)
    assert m.forecast(history, times, np.full(48, -8.0)) is not None
    assert m.min_model is not None
    m.min_model.theta[:2] = (1.25, -0.2)  # a model that was never fitted here, running away
    assert not m.min_model.stable
    assert m.forecast(history, times, np.full(48, -8.0)) is None
