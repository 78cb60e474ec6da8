"""The forecast on the trend: room curves continued with their band while the outdoor forecast
is usable (never from a stale one: the bar says so), the view reaching to the forecast's end,
an advisory row in the alarm list opening its station's forecast, the fit in words."""

from __future__ import annotations

import numpy as np
import pytest

from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.views import AlarmRow
from widgets.alarm_model import RowRole
from widgets.alarm_summary import AlarmSummary
from widgets.trend_forecast import (
    ADVISORY_RULE,
    ForecastFitLabel,
    ForecastView,
    StationForecastView,
    TrendForecast,
)
from widgets.trend_plot import TrendPlot

T0 = 1_700_000_000.0
NOW = T0 + 3600.0


def station_view(sid: str = "jx-001", **over) -> StationForecastView:
    t = NOW + 3600.0 * (np.arange(48) + 0.5)
    c = np.linspace(19.0, 17.0, 48)
    fields = dict(t=t, mean=c + 1, mean_lo=c + 0.5, mean_hi=c + 1.5, coldest=c,
                  coldest_lo=c - 0.5, coldest_hi=c + 0.5, fit_text="model R² 0.990", r2=0.99,
                  error_6h=0.05, samples=300, fit_age_h=0.2)  # fmt: skip
    fields.update(over)
    return StationForecastView(sid, **fields)


@pytest.fixture
def parts(qtbot):
    plot = TrendPlot()
    qtbot.addWidget(plot)
    plot.resize(900, 500)
    t = T0 + np.arange(0, 3600, 10.0)
    for point in ("room_temp_min", "room_temp_mean", "t3_secondary_supply"):
        plot.set_series(f"jx-001/{point}", point, "°C", t, 19.0 + 0.0 * t)
    bar = TrendForecast(plot)
    qtbot.addWidget(bar)
    return plot, bar


def test_room_curves_continue_with_their_band_and_the_view_reaches_ahead(parts):
    plot, bar = parts
    assert bar.ahead_button.isChecked()  # on unless the operator turns it off
    bar.apply(ForecastView("ok", "Outdoor forecast issued …", {"jx-001": station_view()}))
    assert sorted(plot.forecast_keys()) == ["jx-001/room_temp_mean", "jx-001/room_temp_min"]
    t, y, lo, hi = plot.forecast_data("jx-001/room_temp_min")
    assert len(t) == 48 and (lo <= y).all() and (y <= hi).all()
    start, end = plot.time_range()
    assert end >= t[-1] - 1.0 and start < plot.latest_time()  # past and future in view
    bar.ahead_button.setChecked(False)  # off: no band, the view ends at the newest sample
    assert plot.forecast_keys() == [] and plot.ahead_s == 0.0
    assert plot.time_range()[1] == pytest.approx(plot.latest_time(), abs=1.0)


@pytest.mark.parametrize("state", ["stale", "missing", "invalid", "preparing"])
def test_an_unusable_forecast_is_not_drawn_and_the_bar_says_so(parts, state):
    plot, bar = parts
    bar.apply(ForecastView("ok", "fine", {"jx-001": station_view()}))
    assert plot.forecast_keys()
    bar.apply(ForecastView(state, f"Outdoor forecast {state.upper()}: not shown",
                           {"jx-001": station_view()}))  # fmt: skip
    assert plot.forecast_keys() == []
    assert bar.caption.text() == f"Outdoor forecast {state.upper()}: not shown"
    assert "bold" in bar.caption.styleSheet()


def test_a_station_without_a_forecast_gets_no_band(parts):
    plot, bar = parts
    bar.apply(ForecastView("ok", "fine", {"jx-001": station_view(t=None)}))
    assert plot.forecast_keys() == []
    bar.apply(None)
    assert bar.caption.text() == "Room forecast: not configured"


def test_double_clicking_an_advisory_row_asks_for_its_forecast(qtbot):
    summary = AlarmSummary()
    qtbot.addWidget(summary)
    bar = TrendForecast(TrendPlot())
    qtbot.addWidget(bar.plot)
    qtbot.addWidget(bar)
    bar.watch(summary.view)
    common = dict(station_name="站", district="涧西区", point="room_temp_min", time=NOW)
    summary.set_rows([
        AlarmRow("xg-002/room_temp_min/" + ADVISORY_RULE, "xg-002", rule=ADVISORY_RULE,
                 priority=Priority.INFO, state=AlarmState.ACK, message="Forecast: …", **common),
        AlarmRow("jx-001/room_temp_min/room_low", "jx-001", rule="room_low",
                 priority=Priority.HIGH, state=AlarmState.UNACK, message="cold", **common),
    ])  # fmt: skip
    model = summary.view.model()
    rows = {model.index(r, 0).data(RowRole).rule: model.index(r, 0) for r in range(2)}
    asked: list[str] = []
    bar.open_requested.connect(asked.append)
    summary.view.doubleClicked.emit(rows["room_low"])
    assert asked == []  # an alarm opens its station, not a forecast
    with qtbot.waitSignal(bar.open_requested, timeout=1000) as sig:
        summary.view.doubleClicked.emit(rows[ADVISORY_RULE])
    assert sig.args == ["xg-002"]
    assert summary.view.model().index(1, 0).data(RowRole).rule == ADVISORY_RULE  # below alarms


def test_the_fit_label_shows_the_open_station_only(qtbot):
    label = ForecastFitLabel()
    qtbot.addWidget(label)
    view = ForecastView("ok", "fine", {"jx-001": station_view(advisory="Forecast: cold")})
    label.show_station(view, "jx-001")
    assert not label.isHidden()
    assert "model R² 0.990" in label.text() and "Forecast: cold" in label.text()
    label.show_station(view, "xg-002")
    assert label.isHidden()
    label.show_station(ForecastView("stale", "Outdoor forecast STALE", view.stations), "jx-001")
    assert "STALE" in label.text()
