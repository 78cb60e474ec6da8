"""The room forecast a dispatcher reads: "Forecast 48 h" puts a chart on the plant's clock in
the trend plot's place — the past day of the station's rooms (wall-time samples put on the
plant's clock), the 48 h ahead with a band that is seen, the limit, "now", the outdoor forecast
— whatever the demo's speed; never from a stale forecast (the bar and the chart say so); an
advisory row in the alarm list opening its station's forecast; the fit in words."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.views import AlarmRow
from widgets.alarm_model import RowRole
from widgets.alarm_summary import AlarmSummary
from widgets.trend_forecast import (
    ADVISORY_RULE,
    HOUR,
    PAST_H,
    ForecastFitLabel,
    ForecastView,
    PlantClock,
    StationForecastView,
    TrendForecast,
)
from widgets.trend_plot import TrendPlot

T0 = 1_700_000_000.0  # the wall clock when the demo started (process time = wall time there)
SPEED = 120.0  # the demo's simulator: 120 plant seconds per wall second
WALL_NOW = T0 + 15 * 60.0  # a quarter of an hour (wall) into the demo: 30 plant hours
CLOCK = PlantClock(T0, T0, SPEED)
PLANT_NOW = float(CLOCK.plant(WALL_NOW))


def station_view(sid: str = "jx-001", **over) -> StationForecastView:
    t = PLANT_NOW + 3600.0 * (np.arange(48) + 0.5)
    c = np.linspace(19.0, 17.0, 48)
    fields = dict(t=t, mean=c + 1, mean_lo=c + 0.7, mean_hi=c + 1.3, coldest=c,
                  coldest_lo=c - 0.3, coldest_hi=c + 0.3, outdoor=np.linspace(-3, -15, 48),
                  fit_text="model R² 0.990", r2=0.99, error_6h=0.05, samples=300,
                  fit_age_h=0.2)  # fmt: skip
    fields.update(over)
    return StationForecastView(sid, **fields)


def view(state: str = "ok", text: str = "Outdoor forecast issued …", **over) -> ForecastView:
    return ForecastView(state, text, {"jx-001": station_view(**over)}, 18.0, CLOCK)


@pytest.fixture
def parts(qtbot):
    plot = TrendPlot()
    plot.resize(1300, 560)
    # What the trend holds: the last 15 wall minutes of the rooms, every 5 s (wall clock).
    t = np.arange(T0, WALL_NOW + 1, 5.0)
    for point, base in (("room_temp_min", 18.6), ("room_temp_mean", 20.2)):
        plot.set_series(f"jx-001/{point}", point, "°C", t, base + 0.2 * np.sin(t / 300.0))
    plot.set_series("jx-001/t3_secondary_supply", "t3", "°C", t, 50.0 + 0.0 * t)
    bar = TrendForecast(plot)
    page = QWidget()  # as the window's Trends tab holds them: the chart in the plot's place
    lay = QVBoxLayout(page)
    for w in (bar, plot, bar.chart):
        lay.addWidget(w)
    qtbot.addWidget(page)
    page.resize(1300, 640)
    page.show()
    yield plot, bar
    del page


def _px_per_degree(bar: TrendForecast) -> float:
    vb = bar.chart.vb
    (_x0, _x1), (y0, y1) = vb.viewRange()
    return vb.height() / (y1 - y0)


def test_the_chart_shows_48_h_ahead_and_the_past_day_on_the_plants_clock(parts, qtbot):
    plot, bar = parts
    asked: list = []
    bar.rooms_wanted.connect(lambda sid, s: asked.append((sid, s)))
    bar.apply(view())
    assert not bar.ahead_button.isChecked() and bar.chart.isHidden()  # the trend by default
    bar.show_ahead(True)
    assert not bar.chart.isHidden() and plot.isHidden()  # the chart in the plot's place
    # The room curves of the past day and an hour, in wall seconds at the demo's speed.
    assert asked == [("jx-001", (PAST_H + 1) * HOUR / SPEED)]
    chart = bar.chart
    (x0, x1), _ = chart.vb.viewRange()
    span_h = (x1 - x0) / HOUR
    assert 70 <= span_h <= 75  # 24 h past + 48 h ahead on one plant-time axis, not 24 wall min
    assert x0 <= PLANT_NOW - PAST_H * HOUR + HOUR and x1 >= PLANT_NOW + 48 * HOUR
    # The measured rooms are on the plant's clock: the newest sample is "now".
    x = chart.past_coldest.xData  # all of it (getData: the part in view)
    assert x[-1] == pytest.approx(PLANT_NOW) and x[0] == pytest.approx(T0)
    assert chart.now_line.value() == pytest.approx(PLANT_NOW)
    assert chart.limit_line.value() == 18.0 and "18" in chart.limit_line.label.format
    # The band is seen: the coldest room's ±0.3 K is several pixels tall at this scale.
    _bx, lo = chart.edges["coldest"][0].getData()
    _bx, hi = chart.edges["coldest"][1].getData()
    assert float(np.min(hi - lo)) * _px_per_degree(bar) >= 15
    ox, oy = chart.outdoor.getData()
    assert len(ox) == 48 and oy[-1] == -15.0
    assert "×120" in chart.note.text() and not chart.note.isHidden()
    bar.show_ahead(False)  # back to the trend
    assert bar.chart.isHidden() and not plot.isHidden()


def test_on_a_real_network_the_axis_is_the_wall_clock_and_says_nothing_of_speed(parts):
    plot, bar = parts
    t = np.arange(WALL_NOW - 30 * HOUR, WALL_NOW + 1, 60.0)
    plot.set_series("jx-001/room_temp_min", "min", "°C", t, 18.5 + 0.0 * t)
    fc = station_view(t=WALL_NOW + 3600.0 * (np.arange(48) + 0.5))
    bar.apply(ForecastView("ok", "fine", {"jx-001": fc}, 18.0, PlantClock(T0, T0, 1.0)))
    bar.show_ahead(True)
    x = bar.chart.past_coldest.xData
    assert x[-1] == WALL_NOW and bar.chart.now_line.value() == WALL_NOW
    assert "×" not in bar.chart.note.text()


def test_the_rooms_axis_holds_the_whole_past_day_in_view(parts):
    plot, bar = parts
    t, y, q = plot.series_data("jx-001/room_temp_min")
    y = y.copy()
    dip = int(np.searchsorted(t, CLOCK.wall(PLANT_NOW - 20 * HOUR)))
    y[dip] = 15.2  # a cold hour yesterday, well before "now"
    plot.set_series("jx-001/room_temp_min", "min", "°C", t, y, q)
    bar.apply(view())
    bar.show_ahead(True)
    (_x0, _x1), (y0, y1) = bar.chart.vb.viewRange()
    assert y0 < 15.2 and y1 > 20.3  # the dip, the mean's band and the limit all in view


@pytest.mark.parametrize("state", ["stale", "missing", "invalid"])
def test_an_unusable_forecast_is_not_drawn_and_the_bar_and_chart_say_so(parts, state):
    _plot, bar = parts
    bar.show_ahead(True)
    bar.apply(view())
    assert len(bar.chart.fc_coldest.getData()[0]) == 48
    text = f"Outdoor forecast {state.upper()}: not shown"
    # No forecast, so no clock of its own: the stale picture carries none.
    bar.apply(ForecastView(state, text, {"jx-001": station_view(t=None)}, 18.0, None))
    chart = bar.chart
    assert chart.fc_coldest.getData()[0] is None or len(chart.fc_coldest.getData()[0]) == 0
    assert len(chart.past_coldest.getData()[0]) > 0  # the measured past is still there
    assert chart.past_coldest.xData[-1] == pytest.approx(PLANT_NOW)  # on the clock seen last
    assert text in chart.note.text()
    assert bar.caption.text() == text and "bold" in bar.caption.styleSheet()


def test_the_chart_follows_the_station_asked_for(parts):
    _plot, bar = parts
    asked: list = []
    bar.rooms_wanted.connect(lambda sid, s: asked.append(sid))
    two = {"jx-001": station_view(), "xg-002": station_view("xg-002")}
    bar.apply(ForecastView("ok", "fine", two, 18.0, CLOCK))
    bar.set_names({"xg-002": "西工二站"})
    bar.open_station("xg-002")  # an advisory, or the station view
    assert bar.ahead_button.isChecked() and asked == ["xg-002"]
    assert "西工二站" in bar.chart.title.text()
    assert len(bar.chart.fc_coldest.getData()[0]) == 48  # its forecast before its past arrives


def test_no_forecast_configured(parts):
    _plot, bar = parts
    bar.apply(None)
    bar.show_ahead(True)
    assert bar.caption.text() == "Room forecast: not configured"


def test_the_plant_clock_from_a_forecasts_time_pairs():
    plant = T0 + 7200.0 * SPEED + 3600.0 * np.arange(48)
    wall = T0 + (plant - T0) / SPEED
    c = PlantClock.from_pairs(plant, wall)
    assert c.scale == SPEED and c.accelerated
    assert c.plant(wall[5]) == pytest.approx(plant[5]) and c.wall(plant[7]) == pytest.approx(
        wall[7]
    )
    assert not PlantClock.from_pairs(plant[:1], plant[:1]).accelerated


def test_double_clicking_an_advisory_row_asks_for_its_forecast(qtbot):
    summary = AlarmSummary()
    qtbot.addWidget(summary)
    bar = TrendForecast(TrendPlot())
    qtbot.addWidget(bar.plot)
    qtbot.addWidget(bar)
    bar.watch(summary.view)
    common = dict(station_name="站", district="涧西区", point="room_temp_min", time=WALL_NOW)
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
    v = ForecastView("ok", "fine", {"jx-001": station_view(advisory="Forecast: cold")})
    label.show_station(v, "jx-001")
    assert not label.isHidden()
    assert "model R² 0.990" in label.text() and "Forecast: cold" in label.text()
    label.show_station(v, "xg-002")
    assert label.isHidden()
    label.show_station(ForecastView("stale", "Outdoor forecast STALE", v.stations), "jx-001")
    assert "STALE" in label.text()
