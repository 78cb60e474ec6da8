"""A station's plan inputs from its history: the heat power on the series' hourly grid."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from console.core.forecast.model import HOUR, StationSeries
from console.core.preheat.inputs import HEAT_POINT, heat_series

START = 1_767_225_600.0


def series(hours: int, heat: np.ndarray | None = None) -> StationSeries:
    nan = np.full(hours, np.nan)
    return StationSeries(START, nan, nan, nan, nan, heat=heat)


def recorded(last_hours: int, total: int, kw: float):  # type: ignore[no-untyped-def]
    """A history query with `kw` every 10 min over the last `last_hours` of `total` hours."""
    t = np.arange(START + (total - last_hours) * HOUR, START + total * HOUR, 600.0)

    def query(sid: str, point: str, start: float, end: float) -> tuple:
        assert point == HEAT_POINT
        keep = (t >= start) & (t <= end)
        return t[keep], np.full(keep.sum(), kw), np.zeros(keep.sum(), dtype=np.int8)

    return query


def test_heat_is_read_from_the_history_hour_by_hour() -> None:
    out = heat_series(recorded(24, 72, 400.0), "jx-001", series(72))
    assert np.isnan(out[:48]).all()  # the history's hours only
    np.testing.assert_allclose(out[48:], 400.0)


def test_hours_the_history_lacks_come_from_the_series_own_heat() -> None:
    """The demo: the simulated past carries heat for the days before the console started, so
    the plan's heat figures are known from the first minute (they read '—' for a simulated day)."""
    past = np.full(72, 350.0)
    out = heat_series(recorded(24, 72, 400.0), "jx-001", series(72, past))
    np.testing.assert_allclose(out[:48], 350.0)
    np.testing.assert_allclose(out[48:], 400.0)  # the console's own hours win
    none = heat_series(recorded(0, 72, 400.0), "jx-001", replace(series(72), heat=None))
    assert np.isnan(none).all()
