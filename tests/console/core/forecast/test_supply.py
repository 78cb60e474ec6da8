"""The primary-side limit on a station's supply: T1 ahead from the outdoor, T3 under a wide-open
valve from T1, learned from a history made from known laws (and refused when it shows none)."""

from __future__ import annotations

import numpy as np
import pytest

from console.core.forecast.supply import (
    VALVE_OPEN_PCT,
    PrimaryLaw,
    SupplyCap,
    SupplyLimit,
    daily_cycle,
    smoothed,
)

# The known station: its outdoor a daily cycle P (4 K) and changes of weather R; its plant
# follows P in time and R smoothed over 2 h, 4 h late: T1 = 89 − 1.5·P − 1.9·R(smoothed, late).
# With the valve wide open T3 = 6 + 0.58·T1.
START = 1_767_225_600.0  # 00:00 UTC
TAU, DELAY = 2, 4
A, B, C = 89.0, -1.5, -1.9
C0, C1 = 6.0, 0.58


def _cycle(n: int) -> np.ndarray:
    return 4.0 * np.sin(2 * np.pi * np.arange(n) / 24.0)


def _t1(to: np.ndarray) -> np.ndarray:
    p = _cycle(len(to))
    lag = np.concatenate([np.full(DELAY, np.nan), smoothed(to - p, TAU)[:-DELAY]])
    return A + B * p + C * lag


def _history(n: int = 14 * 24, seed: int = 0) -> tuple[np.ndarray, ...]:
    """Outdoor with daily steps of weather; T1 by the law; the valve wide open in the hours
    when T1 lags the weather (T3 on the cap), else T3 on its curve just below it."""
    rng = np.random.default_rng(seed)
    base = np.repeat(rng.uniform(-9.0, 2.0, n // 24 + 1), 24)[:n]
    to = base + _cycle(n) + rng.normal(0.0, 0.1, n)
    t1 = _t1(to) + rng.normal(0.0, 0.2, n)
    asked = 58.5 - 1.16 * to  # about the cap while T1 keeps up with the weather
    cap = C0 + C1 * t1
    valve = np.where(asked >= cap, 100.0, 80.0)
    supply = np.minimum(asked, cap) + rng.normal(0.0, 0.1, n)
    return to, supply, t1, valve


def test_smoothing_goes_on_from_a_known_head_and_holds_unknown_hours() -> None:
    x = np.array([0.0, 10.0, 10.0, np.nan, 10.0, 0.0])
    full = smoothed(x, 2.0)
    np.testing.assert_allclose(smoothed(x, 2.0, head=full[:3]), full)
    assert full[3] == full[2]  # an unknown hour holds
    assert 0.0 < full[1] < 10.0
    np.testing.assert_array_equal(smoothed(x, 0.0), x)


def test_the_limit_is_learned_from_a_history_that_shows_it() -> None:
    to, supply, t1, valve = _history()
    assert (valve >= VALVE_OPEN_PCT).sum() >= 10  # the history holds wide-open hours
    lim = SupplyLimit.fitted(to, supply, t1, valve, START)
    assert lim is not None
    assert lim.cap.c1 == pytest.approx(C1, abs=0.02)
    assert lim.cap.c0 == pytest.approx(C0, abs=2.0)
    np.testing.assert_allclose(daily_cycle(to, START), _cycle(24), atol=0.3)
    assert (lim.primary.tau_h, lim.primary.delay_h) == (TAU, DELAY)
    np.testing.assert_allclose(lim.primary.coef, [B, C, A], atol=0.15)


def test_the_ceiling_uses_the_measured_t1_then_the_law_with_a_fading_gap() -> None:
    to, supply, t1, valve = _history()
    lim = SupplyLimit.fitted(to, supply, t1, valve, START)
    assert lim is not None
    k = len(to) - 1
    # A cold spell ahead: −12 K in 2 h, held.
    ahead = to[-1] + np.concatenate([[-6.0, -12.0], np.full(46, -12.0)])
    to_all = np.concatenate([to, ahead])
    measured = t1.copy()
    measured[k] += 5.0  # today the water is 5 K warmer than the law says
    ceil = lim.ceiling(to_all, measured, k, START)
    np.testing.assert_allclose(ceil[DELAY : k + 1], lim.cap(measured[DELAY:]), rtol=1e-12)
    assert np.isinf(ceil[:DELAY]).all()  # T1 unknown (nor the law yet): no ceiling
    law = lim.primary(to_all, START)
    gap = ceil[k + 1 :] - lim.cap(law[k + 1 :])
    today = measured[k] - law[k]
    assert today == pytest.approx(5.0, abs=1.0)
    assert gap[0] == pytest.approx(lim.cap.c1 * today * np.exp(-1 / 4.0), rel=1e-9)
    assert np.all(np.diff(gap) < 0) and gap[-1] < 0.01  # fades
    # The plant's water follows the cold spell hours later: the ceiling stays with the warmer
    # weather's water first (a change of weather is not the daily cycle), then rises.
    true = C0 + C1 * _t1(to_all)[k + 1 :]
    assert np.abs(ceil[k + 10 :] - true[9:]).max() < 1.0
    assert ceil[k + 12] > ceil[k + 2] + 8.0  # 0.58·1.9·12 K, less the gap faded meanwhile
    # Asked again on the same history (as the model's free runs do): the same answer.
    np.testing.assert_array_equal(lim.ceiling(to_all, measured, k, START), ceil)
    np.testing.assert_allclose(lim.ceiling(to_all[: k + 20], measured, k, START), ceil[: k + 20])


def test_no_limit_without_the_primary_side_or_wide_open_hours() -> None:
    to, supply, t1, valve = _history()
    assert SupplyLimit.fitted(to, supply, None, None, START) is None
    never = np.full(len(to), 60.0)
    assert SupplyLimit.fitted(to, supply, t1, never, START) is None  # never wide open
    assert SupplyLimit.fitted(to, supply, np.full(len(to), np.nan), valve, START) is None
    # Wide open only over a sliver of T1: the slope would be a guess.
    few = np.where(np.arange(len(to)) < 5, 100.0, 50.0)
    assert SupplyCap.fitted(supply, t1, few) is None
    # A slope no exchanger gives (T3 rising 2 K per K of T1): not believed.
    assert SupplyCap.fitted(2.0 * t1, t1, np.full(len(to), 100.0)) is None
    assert PrimaryLaw.fitted(to[:20], t1[:20], START) is None  # too short to tell
