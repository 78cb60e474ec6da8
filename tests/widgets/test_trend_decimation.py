"""Min/max decimation levels: what a view draws keeps every extreme, and stays small."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from widgets.trend_decimation import MinMaxPyramid


def test_levels_halve_and_hold_bucket_extremes() -> None:
    y = np.arange(100, dtype=np.float64)
    p = MinMaxPyramid(y)
    mn1, mx1 = p.levels[0]
    assert len(mn1) == 50 and mn1[3] == 6 and mx1[3] == 7
    mn2, mx2 = p.levels[1]
    assert len(mn2) == 25 and mn2[3] == 12 and mx2[3] == 15
    assert all(len(a) > 32 // 2 for a, _ in p.levels)  # stops once a level is short


def test_nan_is_ignored_in_a_bucket_but_an_all_nan_bucket_stays_a_gap() -> None:
    y = np.ones(256)
    y[0] = np.nan  # one bad sample in bucket 0
    y[4:8] = np.nan  # bucket 1 of level 2 is all bad
    mn, mx = MinMaxPyramid(y).levels[1]
    assert mn[0] == 1 and mx[0] == 1
    assert np.isnan(mn[1]) and np.isnan(mx[1])


def test_short_view_is_the_raw_samples() -> None:
    x = np.arange(1000, dtype=np.float64)
    y = np.sin(x)
    xs, ys = MinMaxPyramid(y).view(x, y, 10, 200, columns=800)
    assert np.array_equal(xs, x[10:200]) and np.array_equal(ys, y[10:200])


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 5000),
    a=st.floats(0, 1),
    b=st.floats(0, 1),
    columns=st.integers(1, 2000),
    seed=st.integers(0, 2**32 - 1),
    nan_frac=st.sampled_from([0.0, 0.1, 0.9]),
)
@example(n=33, a=0.0, b=1.0, columns=1, seed=0, nan_frac=0.0)  # coarsest level > raw samples
def test_view_keeps_extremes_within_budget(n, a, b, columns, seed, nan_frac) -> None:
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n)
    y[rng.random(n) < nan_frac] = np.nan
    x = np.cumsum(rng.random(n) + 0.1)
    i0, i1 = sorted((int(a * n), int(b * n)))
    p = MinMaxPyramid(y)
    xs, ys = p.view(x, y, i0, i1, columns)
    assert len(xs) == len(ys)
    if i1 <= i0:
        assert len(xs) == 0
        return
    assert len(xs) <= max(2 * (columns + 1), i1 - i0)  # about two points per column
    k = p.level_for(i1 - i0, columns)
    # the buckets drawn cover [i0, i1) and reach at most one bucket beyond each end
    lo, hi = (i0 >> k) << k, min((((i1 - 1) >> k) + 1) << k, n)
    covered = y[lo:hi]
    if np.isfinite(covered).any():
        assert np.nanmax(ys) == np.nanmax(covered)
        assert np.nanmin(ys) == np.nanmin(covered)
        assert p.extent(y, i0, i1, columns) == (np.nanmin(covered), np.nanmax(covered))
    else:
        assert not np.isfinite(ys).any()
    assert np.all(np.diff(xs) >= 0)  # time never runs backwards in the drawn curve
    assert xs[0] == x[lo]
