"""The room forecast on the trend view: each room-mean and coldest-room curve continues 48 h into
the future with its 90 % band, a bar says what the forecast rests on, and a station's model fit
is shown in words.

Pure view: `ForecastView` arrives with each snapshot (built by console/app/forecast_adapter.py
from the service's picture); nothing here computes a forecast or reads a file. A forecast that is
stale, missing or invalid is never drawn: the bar says so instead. The band itself is drawn by
TrendPlot's forecast overlay (`set_forecast`); this module decides which curves get one and how
far the view reaches ahead (`TrendPlot.ahead_s`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QEvent, QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from widgets.alarm_model import RowRole
from widgets.trend_plot import TrendPlot

ADVISORY_RULE = "room_forecast_low"  # the alarm list's rule name of a predictive advisory
# Trend point -> the forecast arrays that continue it (centre, band low, band high).
CURVES = {
    "room_temp_mean": ("mean", "mean_lo", "mean_hi"),
    "room_temp_min": ("coldest", "coldest_lo", "coldest_hi"),
}
PAST_SHOWN = 0.5  # with the forecast on: half as much past as future in view


@dataclass(frozen=True)
class StationForecastView:
    """One station's room forecast (times on the wall clock, as the trend's axis) and fit."""

    station: str
    t: np.ndarray | None = None  # None: no forecast to draw (fit_text says why)
    mean: np.ndarray | None = None
    mean_lo: np.ndarray | None = None
    mean_hi: np.ndarray | None = None
    coldest: np.ndarray | None = None
    coldest_lo: np.ndarray | None = None
    coldest_hi: np.ndarray | None = None
    fit_text: str = ""  # "model R² 0.98 · error at 6 h 0.05 °C · 336 h of history · …"
    r2: float | None = None
    error_6h: float | None = None  # free-run RMS error over the history at 6 h lead, °C
    samples: int = 0  # hourly samples of the last fit
    fit_age_h: float | None = None  # process hours since the last fit
    advisory: str = ""  # the station's active advisory in words, or ""


@dataclass(frozen=True)
class ForecastView:
    state: str  # ok / stale / missing / invalid (the outdoor forecast), preparing, off
    text: str  # the outdoor forecast's state in words
    stations: dict[str, StationForecastView] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.state == "ok"


class TrendForecast(QWidget):
    """The bar above the trend: the forecast's state and a "next 48 h" toggle; it keeps the
    plot's room curves continued with the newest forecast."""

    open_requested = Signal(str)  # station id: show its rooms with the forecast (an advisory)

    def __init__(self, plot: TrendPlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = plot
        self.view: ForecastView | None = None
        self.caption = QLabel("")
        self.caption.setProperty("role", "caption")
        self.caption.setWordWrap(True)
        self.ahead_button = QToolButton()
        self.ahead_button.setCheckable(True)
        self.ahead_button.setChecked(True)  # shown unless the operator turns it off
        self.ahead_button.toggled.connect(self.show_ahead)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        lay.addWidget(self.ahead_button)
        lay.addWidget(self.caption, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.ahead_button.setText(self.tr("Forecast 48 h"))
        self.ahead_button.setToolTip(
            self.tr("Continue the room curves (mean, coldest) 48 h ahead with a 90 % band")
        )
        self._caption()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- data ---------------------------------------------------------------------------------
    def apply(self, view: ForecastView | None) -> None:
        """The newest forecast (each snapshot): redraw the continuations of the shown curves."""
        self.view = view
        self.refresh()

    def refresh(self) -> None:
        """Continue every shown room curve that has a usable forecast; remove the others."""
        view = self.view
        drawn = 0
        on = self.ahead_button.isChecked()
        for key in self.plot.series_keys():
            sid, _, point = key.partition("/")
            names = CURVES.get(point)
            st = view.stations.get(sid) if view is not None and view.usable else None
            arrays = None
            if names is not None and st is not None and st.t is not None:
                arrays = [getattr(st, n) for n in names]
            if not on or arrays is None or any(a is None for a in arrays):
                if key in self.plot.forecast_keys():
                    self.plot.clear_forecast(key)
                continue
            self.plot.set_forecast(key, st.t, *arrays)  # type: ignore[union-attr]
            drawn += 1
        self._follow()
        self._caption(drawn)

    def ahead_s(self) -> float:
        """How far the drawn forecasts reach beyond the newest sample (wall seconds)."""
        latest = self.plot.latest_time()
        ends = [float(self.plot.forecast_data(k)[0][-1]) for k in self.plot.forecast_keys()]
        if latest is None or not ends:
            return 0.0
        return max(max(ends) - latest, 0.0)

    def show_ahead(self, on: bool) -> None:
        """With the forecast on, the view reaches to its end (and follows the live data)."""
        if self.ahead_button.isChecked() != on:
            self.ahead_button.setChecked(on)  # toggled calls back here
            return
        self.refresh()
        if on:
            self.plot.set_follow(True)
        self._follow()

    def _follow(self) -> None:
        ahead = self.ahead_s() if self.ahead_button.isChecked() else 0.0
        went_on = ahead > 0 and self.plot.ahead_s == 0
        moved = abs(ahead - self.plot.ahead_s) >= 1.0
        self.plot.ahead_s = ahead
        if went_on:
            # Half as much past as future (at least an hour): the curve and where it is going.
            self.plot.apply_preset(int(max(ahead * PAST_SHOWN, 3600.0)))
        if (went_on or moved) and self.plot.follow_button.isChecked():
            self.plot.flush()  # follows the newest sample, reaching `ahead_s` beyond it

    def _caption(self, drawn: int | None = None) -> None:
        view = self.view
        if view is None:
            self.caption.setText(self.tr("Room forecast: not configured"))
            return
        text = view.text
        if view.usable and drawn == 0 and self.ahead_button.isChecked():
            text += self.tr(" · add a station's room mean or coldest room to see its forecast")
        self.caption.setText(text)
        self.caption.setStyleSheet("" if view.usable else "font-weight: bold;")

    # ---- the alarm list's advisories ----------------------------------------------------------
    def watch(self, alarm_view: QAbstractItemView) -> None:
        """A double-click on an advisory row in `alarm_view` opens its station's forecast."""
        alarm_view.doubleClicked.connect(self._activated)

    def _activated(self, idx: QModelIndex) -> None:
        row = idx.data(RowRole)
        if row is not None and getattr(row, "rule", "") == ADVISORY_RULE:
            self.open_requested.emit(row.station)


class ForecastFitLabel(QLabel):
    """A station's model fit in one line (the station view's header)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "caption")
        self.setWordWrap(True)

    def show_station(self, view: ForecastView | None, station: str | None) -> None:
        st = view.stations.get(station) if view is not None and station else None
        self.setVisible(st is not None)
        if st is None:
            return
        parts = [self.tr("Room forecast:"), st.fit_text]
        if st.advisory:
            parts.append(st.advisory)
        if not view.usable:  # type: ignore[union-attr]
            parts.append(view.text)  # type: ignore[union-attr]
        self.setText(" ".join(p for p in parts if p))
