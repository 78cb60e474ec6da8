"""The room forecast a dispatcher reads: a station's rooms (mean, coldest) over the past day and
the next 48 h with their 90 % band, the room limit, "now" and the outdoor forecast, on the
plant's clock.

The trend's axis is the wall clock; the forecast lives in the plant's time (what the physics
lives in). On a real network both are the same; the demo runs its simulator faster than the
wall (×60, ×120), so 48 h ahead would fill half an hour of the trend's axis. The "Forecast 48 h"
button therefore opens its own chart (ForecastChart) on the plant's clock, in place of the
trend plot; the room curves the trend holds (ring and history) are put on that clock by the
forecast's own time pairs (`PlantClock`, from the forecast's plant and wall times: the same
on a thin console, whose forecast arrives by console/remote/forecast_codec.py).

Pure view: `ForecastView` arrives with each snapshot (built by console/app/forecast_adapter.py
from the service's picture); nothing here computes a forecast or reads a file. A forecast that
is stale, missing or invalid is never drawn: the bar says so instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.vocabulary.alarms import Priority
from widgets import colors
from widgets.alarm_model import RowRole
from widgets.locale_format import date_clock
from widgets.trend_plot import OffsetDateAxis, TrendPlot

ADVISORY_RULE = "room_forecast_low"  # the alarm list's rule name of a predictive advisory
ROOM_POINTS = ("room_temp_mean", "room_temp_min")  # what the chart shows of a station's past
HOUR = 3600.0
PAST_H = 24.0  # plant hours of the past in view: yesterday, and the 48 h ahead
# Curve colours (the trend's palette, away from the alarm colours): mean blue, coldest white.
MEAN_COLOR = QColor("#8ab4f8")
COLDEST_COLOR = QColor("#f1f3f4")
OUTDOOR_COLOR = QColor("#78d9d0")  # teal: never mistaken for the limit line
LIMIT_COLOR = colors.PRIORITY_COLOR[Priority.MEDIUM]  # the room grid's 16–18 °C colour
BAND_ALPHA = 80  # the band must be seen at a glance, the measured line stays on top
LEGEND_ROOM = 0.22  # share of the y-range kept free above the curves for the legend


@dataclass(frozen=True)
class PlantClock:
    """The plant's time against the wall: `plant = plant0 + (wall - wall0) * scale` (scale 1 on
    a real network; the demo's simulator speed)."""

    wall0: float
    plant0: float
    scale: float = 1.0

    @classmethod
    def from_pairs(cls, plant: np.ndarray, wall: np.ndarray) -> PlantClock:
        """From a forecast's plant times and the same instants on the wall clock."""
        p, w = np.asarray(plant, np.float64), np.asarray(wall, np.float64)
        scale = 1.0
        if len(p) > 1 and w[-1] > w[0]:
            scale = float((p[-1] - p[0]) / (w[-1] - w[0]))
            scale = round(scale, 3) if abs(scale - round(scale)) < 1e-3 else scale
        return cls(float(w[0]), float(p[0]), scale)

    @property
    def accelerated(self) -> bool:
        return abs(self.scale - 1.0) > 1e-6

    def plant(self, wall: np.ndarray | float) -> np.ndarray | float:
        return self.plant0 + (np.asarray(wall, np.float64) - self.wall0) * self.scale

    def wall(self, plant: float) -> float:
        return self.wall0 + (plant - self.plant0) / self.scale


@dataclass(frozen=True)
class StationForecastView:
    """One station's room forecast (times on the plant's clock, hour middles) and fit."""

    station: str
    t: np.ndarray | None = None  # None: no forecast to draw (fit_text says why)
    mean: np.ndarray | None = None
    mean_lo: np.ndarray | None = None
    mean_hi: np.ndarray | None = None
    coldest: np.ndarray | None = None
    coldest_lo: np.ndarray | None = None
    coldest_hi: np.ndarray | None = None
    outdoor: np.ndarray | None = None  # the outdoor forecast the room forecast used, °C
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
    threshold: float = 18.0  # the room limit the advisories use, °C
    clock: PlantClock | None = None  # None: no forecast carried the plant's clock

    @property
    def usable(self) -> bool:
        return self.state == "ok"


Past = dict[str, tuple[np.ndarray, np.ndarray, np.ndarray | None]]  # point -> wall t, y, q


class ForecastChart(QWidget):
    """One station's rooms on the plant's clock: the past day measured (solid), the next 48 h
    forecast (dotted) over its 90 % band, the room limit, "now", and the outdoor forecast on
    its own axis (right)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = ""
        self.title = QLabel("")
        f = QFont(self.title.font())
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        self.note = QLabel("")  # whose clock the axis is; what is missing
        self.note.setProperty("role", "caption")
        self.note.setWordWrap(True)
        self.axis_time = OffsetDateAxis(orientation="bottom")
        self.plot_widget = pg.PlotWidget(axisItems={"bottom": self.axis_time})
        self.plot_widget.setBackground(colors.BACKGROUND)
        self.plot_widget.setMenuEnabled(False)  # a reading, not a tool: the trend exports
        pi = self.plot_widget.getPlotItem()
        pi.hideButtons()
        self.vb: pg.ViewBox = pi.getViewBox()
        self.vb.setMouseEnabled(x=False, y=False)
        tick_font = QFont()
        tick_font.setPixelSize(13)  # read from the desk, at 1366×768
        for name in ("left", "bottom", "right"):
            ax = pi.getAxis(name)
            ax.setPen(pg.mkPen(colors.LINE_DIM, width=1))
            ax.setTextPen(pg.mkPen(colors.TEXT))
            ax.setStyle(tickFont=tick_font)
        for name in ("left", "bottom"):
            pi.getAxis(name).setGrid(50)
        pi.getAxis("left").enableAutoSIPrefix(False)
        # The outdoor forecast on its own y-axis (right): tens of K below the rooms.
        self.vb_out = pg.ViewBox()
        self.vb_out.setMouseEnabled(x=False, y=False)
        pi.showAxis("right")
        pi.scene().addItem(self.vb_out)
        pi.getAxis("right").linkToView(self.vb_out)
        pi.getAxis("right").enableAutoSIPrefix(False)
        self.vb_out.setXLink(self.vb)
        self.vb.sigResized.connect(self._sync_views)
        # Across the top, in the headroom _ranges keeps free: never over a curve.
        self.legend = pi.addLegend(offset=(8, 4), labelTextColor=colors.TEXT, colCount=3)
        self.legend.setBrush(pg.mkBrush(QColor(35, 39, 42, 210)))

        dot = Qt.PenStyle.DotLine

        def shade(c: QColor) -> QColor:
            s = QColor(c)
            s.setAlpha(BAND_ALPHA)
            return s

        self.past_mean = pg.PlotDataItem(pen=pg.mkPen(MEAN_COLOR, width=2))
        self.past_coldest = pg.PlotDataItem(pen=pg.mkPen(COLDEST_COLOR, width=2))
        self.fc_mean = pg.PlotDataItem(pen=pg.mkPen(MEAN_COLOR, width=2, style=dot))
        self.fc_coldest = pg.PlotDataItem(pen=pg.mkPen(COLDEST_COLOR, width=2, style=dot))
        self.edges: dict[str, tuple[pg.PlotCurveItem, pg.PlotCurveItem]] = {}
        self.bands: dict[str, pg.FillBetweenItem] = {}
        for name, c in (("mean", MEAN_COLOR), ("coldest", COLDEST_COLOR)):
            edges = (pg.PlotCurveItem(pen=pg.mkPen(shade(c))),
                     pg.PlotCurveItem(pen=pg.mkPen(shade(c))))  # fmt: skip
            band = pg.FillBetweenItem(edges[0], edges[1], brush=pg.mkBrush(shade(c)))
            band.setZValue(-5)
            self.edges[name], self.bands[name] = edges, band
            for item in (band, *edges):
                self.vb.addItem(item)
        for item in (self.past_mean, self.past_coldest, self.fc_mean, self.fc_coldest):
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
            self.vb.addItem(item)
        self.outdoor = pg.PlotDataItem(pen=pg.mkPen(OUTDOOR_COLOR, width=2, style=dot))
        self.vb_out.addItem(self.outdoor)
        label_opts = {"color": colors.TEXT, "fill": pg.mkBrush(QColor(35, 39, 42, 220))}
        self.limit_line = pg.InfiniteLine(
            angle=0, pen=pg.mkPen(LIMIT_COLOR, width=2, style=Qt.PenStyle.DashLine),
            label="", labelOpts={**label_opts, "position": 0.03, "anchors": [(0, 1), (0, 1)]},
        )  # fmt: skip
        self.now_line = pg.InfiniteLine(
            angle=90, pen=pg.mkPen(colors.SELECT, width=2),
            label="", labelOpts={**label_opts, "position": 0.04},  # below, clear of the legend
        )  # fmt: skip
        for line in (self.limit_line, self.now_line):
            self.vb.addItem(line, ignoreBounds=True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.addWidget(self.title)
        lay.addWidget(self.note)
        lay.addWidget(self.plot_widget, 1)
        self.retranslate()

    def _legend_words(self) -> None:
        self.legend.clear()
        for item, text in (
            # Row by row, three to a row: the mean's pair and the outdoor, the coldest's pair.
            (self.past_mean, self.tr("room mean, measured")),
            (self.fc_mean, self.tr("room mean, forecast (band 90 %)")),
            (self.outdoor, self.tr("outdoor forecast (right axis)")),
            (self.past_coldest, self.tr("coldest room, measured")),
            (self.fc_coldest, self.tr("coldest room, forecast (band 90 %)")),
        ):
            self.legend.addItem(item, text)
        pi = self.plot_widget.getPlotItem()
        pi.getAxis("left").setLabel(self.tr("room °C"))
        pi.getAxis("right").setLabel(self.tr("outdoor °C"))

    def retranslate(self) -> None:
        self._legend_words()
        export = QCoreApplication.translate("TrendPlot", "Export…")  # the trend's own word
        for act in self.plot_widget.scene().contextMenu:  # pyqtgraph's "Export..." (PNG, CSV)
            act.setText(export)
            act.setToolTip(export)

    def _sync_views(self) -> None:
        self.vb_out.setGeometry(self.vb.sceneBoundingRect())
        self.vb_out.linkedViewChanged(self.vb, self.vb_out.XAxis)

    # ---- data ---------------------------------------------------------------------------------
    def show_station(
        self, name: str, view: ForecastView | None, st: StationForecastView | None, past: Past
    ) -> None:
        """Draw `st`'s forecast and the past `past` holds (wall times, put on the plant's
        clock); without a usable forecast nothing ahead is drawn and the note says why."""
        self.station = st.station if st is not None else ""
        self.title.setText(self.tr("Room forecast 48 h — {station}").format(station=name))
        clock = view.clock if view is not None else None
        usable = view is not None and view.usable and st is not None and st.t is not None
        notes = []
        if clock is None:
            notes.append(
                view.text if view is not None else self.tr("Room forecast: not configured")
            )
            for item in (self.past_mean, self.past_coldest):
                item.setData([], [])
        else:
            for item, point in ((self.past_mean, "room_temp_mean"),
                                (self.past_coldest, "room_temp_min")):  # fmt: skip
                t, y, q = past.get(point, (np.zeros(0), np.zeros(0), None))
                y = np.asarray(y, np.float64)
                if q is not None and len(q) == len(y):
                    y = np.where(np.asarray(q) == 0, y, np.nan)  # only good samples as measured
                item.setData(np.asarray(clock.plant(t)), y, connect="finite")
        if usable and st is not None and st.t is not None:
            for item, y in ((self.fc_mean, st.mean), (self.fc_coldest, st.coldest)):
                item.setData(st.t, y)
            for name_, lo, hi in (("mean", st.mean_lo, st.mean_hi),
                                  ("coldest", st.coldest_lo, st.coldest_hi)):  # fmt: skip
                self.edges[name_][0].setData(st.t, lo)
                self.edges[name_][1].setData(st.t, hi)
            self.outdoor.setData(st.t, st.outdoor if st.outdoor is not None else [])
        else:
            for item in (self.fc_mean, self.fc_coldest, self.outdoor, *self.edges["mean"],
                         *self.edges["coldest"]):  # fmt: skip
                item.setData([], [])
            if clock is not None and view is not None:
                notes.append(view.text if not view.usable else st.fit_text if st else "")
        threshold = view.threshold if view is not None else colors.ROOM_LOW
        self.limit_line.setValue(threshold)
        self.limit_line.label.setFormat(self.tr("limit {limit} °C").format(limit=f"{threshold:g}"))
        now = self.now_plant(view, st, past)
        if now is not None:
            self.now_line.setValue(now)
            self.now_line.label.setFormat(self.tr("now {time}").format(time=date_clock(now)))
        self.now_line.setVisible(now is not None)
        if clock is not None and clock.accelerated:
            notes.insert(0, self.tr(
                "Time axis: the simulated plant's clock (×{scale} faster than the wall clock)"
            ).format(scale=f"{clock.scale:g}"))  # fmt: skip
        self.note.setText(" · ".join(n for n in notes if n))
        self.note.setVisible(bool(self.note.text()))
        self._ranges(now, st if usable else None, threshold)

    def now_plant(
        self, view: ForecastView | None, st: StationForecastView | None, past: Past
    ) -> float | None:
        """The plant's "now": its newest room sample, else the forecast's first hour's start."""
        clock = view.clock if view is not None else None
        ends = [float(t[-1]) for t, _y, _q in past.values() if len(t)]
        if clock is not None and ends:
            return float(clock.plant(max(ends)))
        if st is not None and st.t is not None and len(st.t):
            return float(st.t[0]) - HOUR / 2
        return None

    def _ranges(self, now: float | None, st: StationForecastView | None, limit: float) -> None:
        if now is None:
            return
        end = float(st.t[-1]) + HOUR / 2 if st is not None and st.t is not None else now + 48 * HOUR
        start = now - PAST_H * HOUR
        self.vb.setXRange(start, end, padding=0.01)
        lo, hi = limit, limit
        # All of each curve (a PlotDataItem's getData is the part the last view clipped).
        for x, y in (
            (self.past_mean.xData, self.past_mean.yData),
            (self.past_coldest.xData, self.past_coldest.yData),
            *(e.getData() for e in (*self.edges["mean"], *self.edges["coldest"])),
        ):
            if x is None or y is None or not len(x):
                continue
            x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
            vis = (x >= start) & (x <= end) & np.isfinite(y)
            if vis.any():
                lo, hi = min(lo, float(np.min(y[vis]))), max(hi, float(np.max(y[vis])))
        pad = max((hi - lo) * 0.1, 0.5)
        top = pad + LEGEND_ROOM * (hi - lo + 2 * pad)  # the legend's two rows above the curves
        self.vb.setYRange(lo - pad, hi + top, padding=0)
        if st is not None and st.outdoor is not None and np.isfinite(st.outdoor).any():
            o = st.outdoor[np.isfinite(st.outdoor)]
            o_lo, o_hi = float(o.min()), float(o.max())
            opad = max((o_hi - o_lo) * 0.1, 1.0)
            otop = opad + LEGEND_ROOM * (o_hi - o_lo + 2 * opad)
            self.vb_out.setYRange(o_lo - opad, o_hi + otop, padding=0)


class TrendForecast(QWidget):
    """The bar above the trend: the forecast's state and the "Forecast 48 h" button, which
    shows a station's room forecast chart (on the plant's clock) in place of the trend plot.

    The station: the one asked for (`open_station`: an advisory, the station view), else the
    first whose room curves the trend shows, else the first with an advisory or a forecast.
    `rooms_wanted(station, wall_s)` asks the window for that station's room curves over the
    last `wall_s` wall seconds (the chart's past on the plant's clock)."""

    open_requested = Signal(str)  # station id: show its rooms with the forecast (an advisory)
    rooms_wanted = Signal(str, float)  # station id, wall seconds of past to hold

    def __init__(self, plot: TrendPlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = plot
        self.view: ForecastView | None = None
        self.names: dict[str, str] = {}
        self._asked: str | None = None  # the station asked for (open_station)
        self._wanted: tuple[str, float] | None = None  # the last rooms_wanted
        self._drawn: tuple | None = None  # what the chart shows (skip equal redraws)
        self._clock: PlantClock | None = None  # the last clock a forecast carried
        self.chart = ForecastChart()
        self.chart.setVisible(False)
        self.caption = QLabel("")
        self.caption.setProperty("role", "caption")
        self.caption.setWordWrap(True)
        self.ahead_button = QToolButton()
        self.ahead_button.setCheckable(True)
        self.ahead_button.toggled.connect(self.show_ahead)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        lay.addWidget(self.ahead_button)
        lay.addWidget(self.caption, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.ahead_button.setText(self.tr("Forecast 48 h"))
        self.ahead_button.setToolTip(
            self.tr(
                "A station's rooms (mean, coldest) over the past day and the next 48 h with a "
                "90 % band, on the plant's clock; press again for the trend"
            )
        )
        self.chart.retranslate()
        self._drawn = None
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- data ---------------------------------------------------------------------------------
    def apply(self, view: ForecastView | None) -> None:
        """The newest forecast (each snapshot): redraw the chart when it is shown."""
        if view is not None and view.clock is not None:
            self._clock = view.clock
        elif view is not None and self._clock is not None:
            # A stale or missing outdoor forecast carries no clock: the measured past still
            # goes on the plant's clock seen last (the clock does not change while running).
            view = replace(view, clock=self._clock)
        self.view = view
        self.refresh()

    def set_names(self, names: dict[str, str]) -> None:
        """Station id -> name (the chart's title)."""
        self.names = dict(names)

    def open_station(self, station: str) -> None:
        """Show `station`'s forecast chart (an advisory, the station view's wish)."""
        self._asked = station
        self._drawn = None
        if not self.ahead_button.isChecked():
            self.ahead_button.setChecked(True)  # toggled calls show_ahead
        else:
            self.refresh()

    def set_focus(self, station: str) -> None:
        """The station the operator looks at (the station view): the chart's next station."""
        if station != self._asked:
            self._asked = station
            self._drawn = None
            self.refresh()

    def station(self) -> str | None:
        """The station the chart shows (see the class's docstring)."""
        if self._asked:
            return self._asked
        for key in self.plot.series_keys():
            sid, _, point = key.partition("/")
            if point in ROOM_POINTS:
                return sid
        view = self.view
        if view is None:
            return None
        for st in view.stations.values():
            if st.advisory:
                return st.station
        return next((s.station for s in view.stations.values() if s.t is not None), None)

    def show_ahead(self, on: bool) -> None:
        """On: the chart in place of the trend plot; off: the trend again."""
        if self.ahead_button.isChecked() != on:
            self.ahead_button.setChecked(on)  # toggled calls back here
            return
        self.chart.setVisible(on)
        self.plot.setVisible(not on)
        self._drawn = None
        self._wanted = None  # pressed again: ask again (the trend may have been cleared)
        self.refresh()

    def refresh(self) -> None:
        view = self.view
        self._caption()
        if not self.ahead_button.isChecked():
            return
        sid = self.station()
        if sid is None:
            self.chart.show_station("—", view, None, {})
            return
        self._want(sid)
        past: Past = {}
        keys = set(self.plot.series_keys())
        for point in ROOM_POINTS:
            if f"{sid}/{point}" in keys:
                past[point] = self.plot.series_data(f"{sid}/{point}")
        st = view.stations.get(sid) if view is not None else None
        sig = (id(view), sid, tuple((p, len(t), float(t[-1]) if len(t) else 0.0)
                                    for p, (t, _y, _q) in past.items()))  # fmt: skip
        if sig == self._drawn:
            return
        self._drawn = sig
        self.chart.show_station(self.names.get(sid, sid), view, st, past)

    def _want(self, sid: str) -> None:
        """Ask once per station (and clock) for its room curves over the chart's past."""
        clock = self.view.clock if self.view is not None else None
        scale = clock.scale if clock is not None else 1.0
        wall_s = (PAST_H + 1.0) * HOUR / max(scale, 1e-9)
        if self._wanted != (sid, wall_s):
            self._wanted = (sid, wall_s)
            self.rooms_wanted.emit(sid, wall_s)

    def _caption(self) -> None:
        view = self.view
        if view is None:
            self.caption.setText(self.tr("Room forecast: not configured"))
            return
        self.caption.setText(view.text)
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
