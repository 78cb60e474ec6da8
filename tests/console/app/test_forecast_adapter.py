"""The forecaster's picture on its way to the window: a snapshot built from a service whose
forecaster ran a real cycle (history file, forecast folder) carries the trend's ForecastView
and the advisory as an alarm-list row below every alarm that neither blinks nor counts."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from console.app.adapters import build_snapshot
from console.app.forecast_adapter import forecast_view
from console.core.events import AlarmState, Priority
from console.core.forecast.forecaster import RoomForecaster
from console.core.forecast.model import HOUR
from console.core.forecast.source import ForecastSource
from console.core.service import ConsoleService
from station_config.alarm_rules import ProcessClock
from tests.console.core.forecast import synthetic as syn
from tests.console.core.forecast.test_forecaster import SID, _forecast_file, _setup
from widgets.trend_forecast import ADVISORY_RULE


@pytest.fixture
def cycled(tmp_path, small_network):
    """A forecaster after one cycle: jx-001 fitted on twelve days, a cold wave forecast."""
    h, now, folder = _setup(tmp_path, small_network, 7)
    wave = np.interp(np.arange(1, 97), [0, 6, 9, 96], [-3, -3, -25, -25])
    _forecast_file(folder, np.floor(now / HOUR) * HOUR, wave)
    stations = [(x.id, x.district) for x in small_network.stations]
    fx = RoomForecaster(stations, h.query, ForecastSource(folder), lambda _e: None,
                        curve_of=lambda _sid: syn.CURVE)  # fmt: skip
    fx.cycle(now)
    yield fx, now
    h.close()


def test_the_snapshot_carries_forecasts_fits_and_the_advisory_row(cycled, small_network, qapp):
    fx, _now = cycled
    service = ConsoleService(small_network, journal_path=None, history_path=False)
    service.forecaster = fx
    snap = build_snapshot(service)
    view = snap.forecast
    assert view is not None and view.usable and "band 90 %" in view.text
    st = view.stations[SID]
    assert st.t is not None and len(st.t) == len(st.coldest_hi) == len(st.outdoor) == 48
    fc, _rep = fx.latest(SID)
    assert np.array_equal(st.t, fc.times)  # the plant's clock (here the same as the wall)
    assert view.clock is not None and not view.clock.accelerated and view.threshold == 18.0
    assert st.r2 is not None and st.r2 > 0.99 and st.samples > 200
    assert "R² " in st.fit_text and st.advisory.startswith("Forecast: coldest rooms below 18 °C")
    other = next(v for k, v in view.stations.items() if k != SID)
    assert other.t is None and other.fit_text.startswith("model not fitted yet: 0 of 72 h")
    adv = [r for r in snap.alarms if r.rule == ADVISORY_RULE]
    assert len(adv) == 1 and adv[0].station == SID
    row = adv[0]
    assert row.priority is Priority.INFO and row.state is AlarmState.ACK
    assert row.message == st.advisory and row.limit == 18.0
    assert snap.alarms[-1] is row  # below every alarm
    assert snap.figures.unacked_alarms == 0 and snap.figures.worst_priority is None


def test_the_demos_clock_comes_from_the_forecasts_plant_and_wall_times(cycled, qapp):
    fx, now = cycled
    pic = fx.picture()
    origin, speed = now - 10 * HOUR, 120.0  # the demo's simulator: 120 plant s per wall s
    clock = ProcessClock(scale=speed, origin=origin)
    # The picture a forecaster on that clock makes: its forecast times put on the wall clock.
    to_wall = lambda t: origin + (t - origin) / speed  # noqa: E731 (RoomForecaster.to_wall)
    stations = {
        sid: replace(st, wall_times=None if st.forecast is None else to_wall(st.forecast.times))
        for sid, st in pic.stations.items()
    }
    view = forecast_view(replace(pic, stations=stations), configured=True)
    assert view is not None and view.clock is not None and view.clock.scale == speed
    wall = 1_000.0 + origin
    assert view.clock.plant(wall) == pytest.approx(clock.process_time(wall))
    assert np.array_equal(view.stations[SID].t, pic.stations[SID].forecast.times)


def test_a_stale_outdoor_forecast_draws_nothing_and_says_so(tmp_path, small_network, qapp):
    h, now, folder = _setup(tmp_path, small_network, 8)
    _forecast_file(folder, np.floor(now / HOUR) * HOUR - 20 * HOUR, np.full(96, -25.0))
    fx = RoomForecaster([(SID, None)], h.query, ForecastSource(folder), lambda _e: None)
    try:
        fx.cycle(now)
    finally:
        h.close()
    view = forecast_view(fx.picture(), configured=True)
    assert view is not None and not view.usable and view.state == "stale"
    assert "STALE" in view.text and "not shown" in view.text
    assert view.stations[SID].t is None and view.stations[SID].r2 is not None


def test_configured_but_not_yet_cycled_says_it_is_starting(qapp):
    view = forecast_view(None, configured=True)
    assert view is not None and view.state == "preparing" and not view.usable
    assert forecast_view(None, configured=False) is None
