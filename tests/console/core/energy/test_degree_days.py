"""Heating degree-days from outdoor readings: daily means, partial days, gaps, time zones."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from console.core.energy.degree_days import day_starts, degree_days
from drivers.samples import Quality

DAY0 = 1_796_083_200.0  # 2026-12-01 00:00 UTC


def test_daily_mean_not_hourly_sum() -> None:
    # A day at 16 °C for 12 h and 22 °C for 12 h: mean 19 °C, so no heating degree-day
    # (summing hourly deficits would give 1 K·d).
    t = DAY0 + np.arange(0, 86400, 600.0)
    v = np.where(t < DAY0 + 43200, 16.0, 22.0)
    assert degree_days(t, v, None, DAY0, DAY0 + 86400, tz=UTC).value == pytest.approx(0.0)


def test_partial_day_counts_in_proportion_and_bad_readings_are_left_out() -> None:
    t = DAY0 + np.arange(0, 6 * 3600 + 1, 600.0)
    v = np.full(len(t), 8.0)
    q = np.zeros(len(t), np.uint8)
    v[5], q[5] = -40.0, Quality.SENSOR_FAULT  # a broken sensor's reading is no weather
    dd = degree_days(t, v, q, DAY0, DAY0 + 6 * 3600, tz=UTC)
    assert dd.value == pytest.approx(10.0 * 6 / 24)
    assert dd.coverage == pytest.approx(1.0, abs=0.01)


def test_a_gap_lowers_coverage_not_the_mean() -> None:
    t = np.array([DAY0, DAY0 + 600.0, DAY0 + 12 * 3600])  # silent for 11 h after 10 min
    v = np.array([0.0, 0.0, 0.0])
    dd = degree_days(t, v, None, DAY0, DAY0 + 86400, tz=UTC)
    assert dd.value == pytest.approx(18.0)  # the day's mean is still 0 °C
    assert dd.coverage < 0.6


def test_day_boundaries_are_local_midnights() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")  # UTC+8: local midnight is 16:00 UTC the day before
    assert day_starts(DAY0, DAY0 + 86400, shanghai) == [DAY0 + 16 * 3600]
    assert degree_days(np.array([]), np.array([]), None, DAY0, DAY0 + 1).value is None
