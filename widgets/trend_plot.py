"""Trend plot: several curves, one y-axis per unit, a reading cursor, presets, CSV/PNG export.

Pure view: data arrives through `set_series()` / `append()`; when the operator asks for a time
range the plot does not hold (a preset, or panning into the past) it emits `range_requested`
and the application answers with older data from history.

pyqtgraph notes (DESIGN.md, known traps):
- x is plotted as `t - offset`: epoch seconds (~1.7e9) would lose sub-second precision in
  Qt's float paths at high zoom; `OffsetDateAxis` adds the offset back for the labels.
- every curve: numpy arrays, 1-px pen, and our own min/max decimation levels
  (widgets/trend_decimation.py): on a pan/zoom step each curve is handed only the slice of the
  coarsest level that still has a bucket per pixel column, ~2 points per column, so a step costs
  the plot's width whatever the sample count. pyqtgraph's clip-to-view + auto peak downsampling
  redid min/max over every visible sample on every step (23–41 ms for 8-h/24-h views of 10 ×
  86,400 points; bench_trend). The slice goes to `TrendCurve`, a path item Qt paints without
  calling Python, not a PlotDataItem (whose own pipeline and bounds pass cost as much again).
- Qt's GUI thread pool is switched off (QT_NO_GUI_THREADPOOL, at import): the main thread
  waited for its helpers ~50 times per repaint, each wait a scheduling delay on a busy machine.
- one ViewBox per unit, x-linked to the main one; mouse input is handled by the main ViewBox
  (the others sit below it), so pan/zoom and the cursor behave the same over every curve.
"""

from __future__ import annotations

import csv
import math
import os
import time as _time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import DAY_SPACING, MONTH_SPACING, YEAR_SPACING
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDateTime,
    QEvent,
    QLocale,
    QMimeData,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGraphicsPathItem,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.text_safety import csv_cell
from console.vocabulary.quality import Quality
from widgets import colors
from widgets.dnd import POINT_MIME, point_from_mime, point_mime
from widgets.locale_format import date_clock, number
from widgets.trend_decimation import MinMaxPyramid
from widgets.words import quality_text

# Qt's raster engine hands every fill of more than ~96 spans (a min/max stroke of a decimated
# curve, the background, the legend box) to a pool of helper threads and waits for them: ~50
# hand-offs per trend repaint. On a loaded 2-core console each wait is a scheduling delay: the
# pan/zoom step's max grew to 60-230 ms for ~2 ms of pooled work (bench_trend). One thread paints
# it all. Read once, when Qt first creates its pool (the first large fill), so it is set at import,
# before any window is painted; a value set by the user is kept.
os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")

PRESETS: list[tuple[str, int]] = [
    (QT_TRANSLATE_NOOP("TrendPlot", "15 min"), 15 * 60),
    (QT_TRANSLATE_NOOP("TrendPlot", "1 h"), 3600),
    (QT_TRANSLATE_NOOP("TrendPlot", "8 h"), 8 * 3600),
    (QT_TRANSLATE_NOOP("TrendPlot", "24 h"), 24 * 3600),
    (QT_TRANSLATE_NOOP("TrendPlot", "7 d"), 7 * 24 * 3600),
]
TABLE_HEADERS = [
    QT_TRANSLATE_NOOP("TrendPlot", "Series"),
    QT_TRANSLATE_NOOP("TrendPlot", "Value"),
    QT_TRANSLATE_NOOP("TrendPlot", "Unit"),
    QT_TRANSLATE_NOOP("TrendPlot", "Quality"),
    QT_TRANSLATE_NOOP("TrendPlot", "Sample"),
]

# Trend colours: distinct on the dark background, and kept away from the alarm colours
# (red/orange/yellow) so a curve never reads as an alarm (ISA-101).
CURVE_COLORS = [
    "#8ab4f8",  # light blue
    "#81c995",  # green
    "#e8a2ff",  # lilac
    "#f1f3f4",  # white
    "#c8b27a",  # khaki
    "#78d9d0",  # teal
    "#ff9eb0",  # pink
    "#a0a8ff",  # periwinkle
    "#b6e36b",  # lime
    "#d7a98c",  # tan
]


class OffsetDateAxis(pg.DateAxisItem):
    """Date axis for x values stored as `epoch - offset`."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.offset = 0.0

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        vals = super().tickValues(minVal + self.offset, maxVal + self.offset, size)
        return [(spacing, [v - self.offset for v in ticks]) for spacing, ticks in vals]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        epochs = [v + self.offset for v in values]
        if DAY_SPACING <= spacing < YEAR_SPACING:
            # pyqtgraph writes day and month ticks with strftime's C-locale names ("Mon 07",
            # "Dec"); these come from QLocale in the interface language (7日 周一, 12月).
            pattern = (
                QCoreApplication.translate("TrendPlot", "ddd d", "date axis: weekday, day")
                if spacing < MONTH_SPACING
                else QCoreApplication.translate("TrendPlot", "MMM", "date axis: month")
            )
            loc = QLocale()
            return [loc.toString(QDateTime.fromSecsSinceEpoch(int(t)), pattern) for t in epochs]
        return super().tickStrings(epochs, scale, spacing)


class TrendCurve(QGraphicsPathItem):
    """A curve fed the decimated visible slice on each pan/zoom step (`show_points`), drawn by
    Qt alone: a QPainterPath item with no Python paint() or boundingRect().

    Not a PlotDataItem: its clip/downsample pipeline is ours (MinMaxPyramid) and its bounds pass
    (nanmin/nanmax after every view change) cost as much again. Not a PlotCurveItem either: Qt
    calls an item's paint()/boundingRect() ~5 times per repaint, and each call into Python must
    take the GIL back from the console's service threads (a wait of up to the 5-ms switch
    interval each time one of them is busy).
    """

    def __init__(self, pen: QPen) -> None:
        super().__init__()
        self.opts = {"pen": pen}  # what pyqtgraph's legend sample draws
        # Width 0 = cosmetic 1 px, drawn as pyqtgraph draws a 1-px pen; with it Qt bounds the item
        # by the path's control points instead of stroking every segment to find its outline.
        drawn = QPen(pen)
        drawn.setWidth(0)
        self.setPen(drawn)
        self.xData: np.ndarray = np.empty(0)
        self.yData: np.ndarray = np.empty(0)

    def show_points(self, x: np.ndarray, y: np.ndarray) -> None:
        """Draw these points (NaN = a gap). Leading and trailing NaN runs are left out (one
        trailing NaN kept: pyqtgraph then draws the line's last pixel, as it would with all of
        them): a dashed curve's slice is mostly NaN, and pyqtgraph splits a path at every NaN
        in Python."""
        finite = np.flatnonzero(np.isfinite(y))
        if len(finite):
            i0, i1 = int(finite[0]), min(int(finite[-1]) + 2, len(y))
            x, y = x[i0:i1], y[i0:i1]
        else:
            x, y = x[:0], y[:0]
        self.xData, self.yData = x, y
        # A slice without gaps skips pyqtgraph's per-point finite check and NaN splitting.
        whole = len(finite) == len(y)
        connect = "all" if whole else "finite"
        self.setPath(pg.arrayToQPath(x, y, connect=connect, finiteCheck=not whole))

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        """The points drawn (plot x, y), as pyqtgraph's curve items report them."""
        return self.xData, self.yData

    def getViewBox(self) -> pg.ViewBox | None:
        item = self.parentItem()
        while item is not None and not isinstance(item, pg.ViewBox):
            item = item.parentItem()
        return item


def value_margin(v: float) -> float:
    """Half the smallest y-range around a value: 2 units, or 2 % of a large value (kPa)."""
    return max(2.0, 0.02 * abs(v))


@dataclass
class _Series:
    key: str
    label: str
    unit: str
    color: QColor
    t: np.ndarray  # float64 epoch seconds, increasing
    y: np.ndarray  # float64
    q: np.ndarray | None  # uint8 Quality per sample; None = all GOOD
    good: TrendCurve
    bad: TrendCurve
    # What is drawn (x = t - offset): the solid curve has NaN where the quality is bad; the
    # dashed one holds only the bad stretches (None when there are none). Each has its levels.
    x: np.ndarray | None = None
    y_good: np.ndarray | None = None
    y_bad: np.ndarray | None = None
    levels_good: MinMaxPyramid | None = None
    levels_bad: MinMaxPyramid | None = None


@dataclass(frozen=True)
class CursorValue:
    value: float | None
    quality: Quality
    time: float | None  # the sample's own time (sample-and-hold)


class TrendPlot(QWidget):
    """A multi-axis trend with presets, a cursor, export and point drag-and-drop."""

    range_requested = Signal(float, float)  # start, end epoch s: "load this from history"
    point_dropped = Signal(str)  # "station/point"
    cursor_moved = Signal(float)  # epoch s
    interacted = Signal()  # the operator changed the view (pan/zoom/preset), not live following

    def __init__(self, parent: QWidget | None = None, flush_ms: int = 250) -> None:
        super().__init__(parent)
        self._series: dict[str, _Series] = {}
        self._axes: dict[str, tuple[pg.ViewBox, pg.AxisItem]] = {}
        self._offset: float | None = None
        self._now: float | None = None
        self._follow = True
        self._span = 3600.0
        self._last_request: tuple[float, float] | None = None
        self._dirty: set[str] = set()
        self._bands: dict[str, tuple[float, float]] = {}  # key -> a y-range always shown

        self.axis_time = OffsetDateAxis(orientation="bottom")
        self.plot_widget = pg.PlotWidget(axisItems={"bottom": self.axis_time})
        self.plot_widget.setBackground(colors.BACKGROUND)
        self.plot_widget.setAcceptDrops(False)  # drops are handled by this widget
        self.plot_item: pg.PlotItem = self.plot_widget.getPlotItem()
        for name in ("left", "bottom"):
            # Major-tick grid only: the full minor grid doubled the repaint time (bench_trend).
            ax = self.plot_item.getAxis(name)
            ax.setStyle(maxTickLevel=0)
            ax.setGrid(40)
        self.plot_item.hideButtons()
        self.plot_item.setMenuEnabled(False)
        self.main_vb: pg.ViewBox = self.plot_item.getViewBox()
        self.main_vb.setMouseEnabled(x=True, y=False)  # y follows the data; x is what we study
        self.main_vb.sigResized.connect(self._sync_views)
        self.main_vb.sigResized.connect(self._draw_visible)
        self.main_vb.sigRangeChangedManually.connect(self._manual_range)
        self.main_vb.sigXRangeChanged.connect(self._draw_visible)
        self.main_vb.sigXRangeChanged.connect(self._x_range_changed)
        self.main_vb.sigXRangeChanged.connect(self._fit_y)
        for name in ("left", "bottom", "right"):
            ax = self.plot_item.getAxis(name)
            ax.setPen(pg.mkPen(colors.LINE_DIM, width=1))
            ax.setTextPen(pg.mkPen(colors.TEXT_DIM))
        self.legend = self.plot_item.addLegend(offset=(8, 8), labelTextColor=colors.TEXT)
        self.legend.setBrush(pg.mkBrush(QColor(35, 39, 42, 200)))
        self.legend.setVisible(False)  # an empty box in the corner until a curve comes

        self.cursor = pg.InfiniteLine(
            angle=90, movable=True, pen=pg.mkPen(colors.SELECT, width=1, style=Qt.PenStyle.DashLine)
        )
        self.cursor.setHoverPen(pg.mkPen(colors.SELECT, width=2))
        self.cursor.setZValue(100)
        self.cursor.hide()
        self.main_vb.addItem(self.cursor, ignoreBounds=True)
        self.cursor.sigPositionChanged.connect(self._cursor_changed)

        # --- toolbar: presets, follow, cursor --------------------------------------------------
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.preset_group = QButtonGroup(self)
        self.preset_buttons: dict[int, QToolButton] = {}
        for _label, seconds in PRESETS:
            b = QToolButton()
            b.setCheckable(True)
            b.clicked.connect(lambda _c=False, s=seconds: self.apply_preset(s))
            self.preset_group.addButton(b)
            self.preset_buttons[seconds] = b
            bar.addWidget(b)
        self.follow_button = QToolButton()
        self.follow_button.setCheckable(True)
        self.follow_button.setChecked(True)
        self.follow_button.toggled.connect(self.set_follow)
        bar.addWidget(self.follow_button)
        self.cursor_button = QToolButton()
        self.cursor_button.setCheckable(True)
        self.cursor_button.toggled.connect(self._toggle_cursor)
        bar.addWidget(self.cursor_button)
        bar.addStretch(1)
        self.hint = QLabel()
        self.hint.setProperty("role", "caption")
        bar.addWidget(self.hint)

        # --- cursor read-out table -------------------------------------------------------------
        self.table = QTableWidget(0, len(TABLE_HEADERS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, 5):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plot_widget)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([480, 170])  # the read-out shows ~5 curves without scrolling
        self.table.setMinimumHeight(90)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(split, 1)

        self.setAcceptDrops(True)
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(flush_ms)  # bounded redraw rate for live appends
        self._flush_timer.timeout.connect(self.flush)
        self._request_timer = QTimer(self)
        self._request_timer.setSingleShot(True)
        self._request_timer.setInterval(300)  # debounce history requests while panning
        self._request_timer.timeout.connect(self._maybe_request_history)
        self.retranslate()

    def retranslate(self) -> None:
        """Buttons, read-out table and unit-less axis labels in the current language."""
        for label, seconds in PRESETS:
            self.preset_buttons[seconds].setText(self.tr(label))
        self.follow_button.setText(self.tr("Live"))
        self.follow_button.setToolTip(self.tr("Keep the newest data in view"))
        self.cursor_button.setText(self.tr("Cursor"))
        self.cursor_button.setToolTip(self.tr("A vertical line that reads every curve"))
        self.hint.setText(self.tr("Drag a point here to add it"))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in TABLE_HEADERS])
        if "" in self._axes:
            self._axes[""][1].setLabel(self.tr("value"))
        for act in self.plot_widget.scene().contextMenu:  # pyqtgraph's own "Export..."
            act.setText(self.tr("Export…"))
            act.setToolTip(self.tr("Export…"))
        self._refresh_table()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- axes ---------------------------------------------------------------------------------

    def _viewbox_for(self, unit: str) -> pg.ViewBox:
        if unit in self._axes:
            return self._axes[unit][0]
        n = len(self._axes)
        if n == 0:
            vb, axis = self.main_vb, self.plot_item.getAxis("left")
        else:
            vb = pg.ViewBox()
            vb.setMouseEnabled(x=True, y=False)
            vb.setZValue(-10)  # below the main ViewBox, which takes the mouse
            self.plot_item.scene().addItem(vb)
            vb.setXLink(self.main_vb)
            # x comes from the main view; left on, x auto-range would also disable clip-to-view
            vb.enableAutoRange(axis=pg.ViewBox.XAxis, enable=False)
            if n == 1:
                self.plot_item.showAxis("right")
                axis = self.plot_item.getAxis("right")
            else:
                axis = pg.AxisItem("right")
                axis.setPen(pg.mkPen(colors.LINE_DIM, width=1))
                axis.setTextPen(pg.mkPen(colors.TEXT_DIM))
                self.plot_item.layout.addItem(axis, 2, 1 + n)
            axis.linkToView(vb)
            axis.setZValue(-10)
        # y fits what is visible in x (see _fit_y): pyqtgraph's own auto-visible range masks
        # every full array on every pan step; a searchsorted slice is far cheaper.
        vb.enableAutoRange(axis=pg.ViewBox.YAxis, enable=False)
        axis.setLabel(unit or self.tr("value"))
        self._axes[unit] = (vb, axis)
        self._sync_views()
        return vb

    def _fit_y(self) -> None:
        """Fit each unit's y-axis to the data visible in the current time window."""
        x0, x1, columns = self._visible_window()
        for unit, (vb, _) in self._axes.items():
            lo, hi = math.inf, -math.inf
            for s in self._series.values():
                if s.unit != unit or s.x is None or not len(s.x):
                    continue
                i0, i1 = np.searchsorted(s.x, [x0, x1])
                i0, i1 = int(i0) - 1, int(i1) + 1
                for levels, y in ((s.levels_good, s.y_good), (s.levels_bad, s.y_bad)):
                    if levels is None or y is None:
                        continue
                    a, b = levels.extent(y, i0, i1, columns)
                    if math.isfinite(a):
                        lo, hi = min(lo, a), max(hi, b)
            for s in self._series.values():
                if s.unit != unit:
                    continue
                # The newest value with a margin, and the point's normal band: a curve just
                # opened (one sample, or none visible yet) still gets a range that holds it.
                v = self._newest(s)
                if v is not None:
                    m = value_margin(v)
                    lo, hi = min(lo, v - m), max(hi, v + m)
                band = self._bands.get(s.key)
                if band is not None:
                    lo, hi = min(lo, band[0]), max(hi, band[1])
            if not math.isfinite(lo):
                continue
            pad = max((hi - lo) * 0.08, 0.5 if unit == "°C" else 1e-3 * max(abs(hi), 1.0))
            vb.setYRange(lo - pad, hi + pad, padding=0)

    @staticmethod
    def _newest(s: _Series) -> float | None:
        """The curve's newest finite value (None: none)."""
        if not len(s.y):
            return None
        tail = s.y[-16:]
        finite = tail[np.isfinite(tail)]
        return float(finite[-1]) if len(finite) else None

    def set_band(self, key: str, low: float | None, high: float | None) -> None:
        """A y-range the curve's axis always shows (the point's normal band), or none."""
        if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
            self._bands.pop(key, None)
        else:
            self._bands[key] = (min(low, high), max(low, high))
        self._fit_y()

    def units(self) -> list[str]:
        return list(self._axes)

    def axis_for(self, unit: str) -> pg.AxisItem:
        return self._axes[unit][1]

    def _sync_views(self) -> None:
        rect = self.main_vb.sceneBoundingRect()
        for vb, _ in self._axes.values():
            if vb is not self.main_vb:
                vb.setGeometry(rect)
                vb.linkedViewChanged(self.main_vb, vb.XAxis)

    # ---- data ---------------------------------------------------------------------------------

    def set_series(
        self,
        key: str,
        label: str,
        unit: str,
        t: np.ndarray,
        y: np.ndarray,
        quality: np.ndarray | None = None,
    ) -> None:
        """Add or replace a curve. `t` epoch seconds (increasing), `quality` per sample."""
        t = np.asarray(t, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        q = None if quality is None else np.asarray(quality, dtype=np.uint8)
        if self._offset is None and len(t):
            self._offset = math.floor(t[0] / 3600.0) * 3600.0  # a round hour: readable x
            self.axis_time.offset = self._offset
        s = self._series.get(key)
        if s is not None and s.unit != unit:
            self.remove_series(key)
            s = None
        if s is None:
            color = QColor(CURVE_COLORS[len(self._series) % len(CURVE_COLORS)])
            vb = self._viewbox_for(unit)
            # Clipping and decimation are ours (_draw_visible): pyqtgraph's would redo min/max
            # over every visible sample on each pan step.
            good = TrendCurve(pg.mkPen(color, width=1))
            bad_color = QColor(color)
            bad_color.setAlpha(170)
            bad = TrendCurve(pg.mkPen(bad_color, width=1, style=Qt.PenStyle.DashLine))
            for item in (good, bad):
                vb.addItem(item)
            self.legend.addItem(good, f"{label} [{unit}]" if unit else label)
            self.legend.setVisible(True)
            s = _Series(key, label, unit, color, t, y, q, good, bad)
            self._series[key] = s
        else:
            if label != s.label:  # re-worded (a language switch): the legend follows
                item = self.legend.getLabel(s.good)
                if item is not None:
                    item.setText(f"{label} [{unit}]" if unit else label)
            s.label, s.t, s.y, s.q = label, t, y, q
        self._redraw(s)
        self._fit_y()
        self._refresh_table()

    def append(
        self, key: str, t: np.ndarray, y: np.ndarray, quality: np.ndarray | None = None
    ) -> None:
        """Append live samples; the curve redraws at most every `flush_ms`."""
        s = self._series[key]
        t = np.atleast_1d(np.asarray(t, dtype=np.float64))
        y = np.atleast_1d(np.asarray(y, dtype=np.float64))
        if s.q is not None or quality is not None:
            old_q = s.q if s.q is not None else np.zeros(len(s.t), np.uint8)
            new_q = (
                np.zeros(len(t), np.uint8)
                if quality is None
                else np.atleast_1d(np.asarray(quality, np.uint8))
            )
            s.q = np.concatenate([old_q, new_q])
        s.t = np.concatenate([s.t, t])
        s.y = np.concatenate([s.y, y])
        self._dirty.add(key)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def flush(self) -> None:
        """Redraw curves that received data since the last flush (and follow the newest)."""
        for key in self._dirty:
            if key in self._series:
                self._redraw(self._series[key])
        self._dirty.clear()
        if self._follow and self._series:
            end = self.latest_time()
            if end is not None:
                self._show_range(end - self._span, end)  # following the data
        self._fit_y()
        self._refresh_table()

    def remove_series(self, key: str) -> None:
        s = self._series.pop(key, None)
        if s is None:
            return
        for item in (s.good, s.bad):
            item.getViewBox().removeItem(item)
        self.legend.removeItem(s.good)
        self.legend.setVisible(bool(self._series))
        self._bands.pop(key, None)
        self._refresh_table()

    def series_keys(self) -> list[str]:
        return list(self._series)

    def series_data(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        s = self._series[key]
        return s.t, s.y, s.q

    def _redraw(self, s: _Series) -> None:
        """Recompute what a curve draws (after new data), then draw its visible part."""
        s.x = s.t - (self._offset or 0.0)
        if s.q is None or not s.q.any():
            s.y_good, s.y_bad = s.y, None
        else:
            good = s.q == Quality.GOOD
            # Bad stretches: a gap in the solid curve, and the held values dashed, so an
            # operator never reads a stale or failed value as a measured one. The dashed curve
            # holds the bad stretches each extended by one good neighbour, so the dash joins the
            # solid line; NaN elsewhere breaks it between separate stretches.
            bad = ~good
            bad_ext = bad.copy()
            bad_ext[1:] |= bad[:-1]
            bad_ext[:-1] |= bad[1:]
            s.y_good = np.where(good, s.y, np.nan)
            s.y_bad = np.where(bad_ext, s.y, np.nan)
        s.levels_good = MinMaxPyramid(s.y_good)
        s.levels_bad = None if s.y_bad is None else MinMaxPyramid(s.y_bad)
        self._draw_series(s, *self._visible_window())

    def _visible_window(self) -> tuple[float, float, int]:
        (x0, x1), _ = self.main_vb.viewRange()
        return x0, x1, max(int(self.main_vb.width()), 64)

    def _draw_visible(self, *_: object) -> None:
        window = self._visible_window()
        for s in self._series.values():
            self._draw_series(s, *window)

    @staticmethod
    def _draw_series(s: _Series, x0: float, x1: float, columns: int) -> None:
        """Hand the curve items the visible slice (one sample beyond each edge, so the line
        reaches the border) at the decimation level that fits `columns` pixel columns."""
        if s.x is None or s.levels_good is None or s.y_good is None:
            return
        i0, i1 = np.searchsorted(s.x, [x0, x1])
        i0, i1 = int(i0) - 1, int(i1) + 1
        s.good.show_points(*s.levels_good.view(s.x, s.y_good, i0, i1, columns))
        if s.levels_bad is None or s.y_bad is None:
            s.bad.show_points(s.x[:0], s.x[:0])
        else:
            s.bad.show_points(*s.levels_bad.view(s.x, s.y_bad, i0, i1, columns))

    # ---- time range ---------------------------------------------------------------------------

    def set_now(self, t: float | None) -> None:
        """The time presets end at (None = the newest sample, or the wall clock)."""
        self._now = t

    def latest_time(self) -> float | None:
        ends = [s.t[-1] for s in self._series.values() if len(s.t)]
        return max(ends) if ends else None

    def earliest_time(self) -> float | None:
        starts = [s.t[0] for s in self._series.values() if len(s.t)]
        return min(starts) if starts else None

    def apply_preset(self, seconds: int) -> tuple[float, float]:
        end = self._now if self._now is not None else self.latest_time()
        if end is None:
            end = _time.time()
        self._span = float(seconds)
        start = end - seconds
        b = self.preset_buttons.get(seconds)
        if b is not None:
            b.setChecked(True)
        self.set_follow(True)
        self.set_time_range(start, end, emit=True)
        return start, end

    def set_time_range(self, start: float, end: float, emit: bool = False) -> None:
        """Show [start, end] (the operator's choice: a pan, zoom or preset)."""
        self.interacted.emit()  # first: the application can make room before the redraw
        self._show_range(start, end)
        if emit:
            self._last_request = (start, end)
            self.range_requested.emit(start, end)

    def _show_range(self, start: float, end: float) -> None:
        if self._offset is None:
            self._offset = math.floor(start / 3600.0) * 3600.0
            self.axis_time.offset = self._offset
        self.main_vb.setXRange(start - self._offset, end - self._offset, padding=0)

    def time_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.main_vb.viewRange()
        off = self._offset or 0.0
        return x0 + off, x1 + off

    def set_follow(self, on: bool) -> None:
        self._follow = on
        if self.follow_button.isChecked() != on:
            self.follow_button.setChecked(on)

    def _manual_range(self, *_: object) -> None:
        # The operator panned/zoomed: stop following live data until a preset is chosen.
        self.interacted.emit()
        self.set_follow(False)
        checked = self.preset_group.checkedButton()
        if checked is not None:
            self.preset_group.setExclusive(False)
            checked.setChecked(False)
            self.preset_group.setExclusive(True)

    def _x_range_changed(self, *_: object) -> None:
        self._request_timer.start()

    def _maybe_request_history(self) -> None:
        """Ask for history when the view reaches before the oldest sample we hold."""
        start, end = self.time_range()
        first = self.earliest_time()
        if first is not None and start >= first:
            return
        if self._last_request and self._last_request[0] <= start and end <= self._last_request[1]:
            return
        self._last_request = (start, end)
        self.range_requested.emit(start, end)

    # ---- cursor -------------------------------------------------------------------------------

    def _toggle_cursor(self, on: bool) -> None:
        if on:
            start, end = self.time_range()
            self.set_cursor((start + end) / 2)
        self.cursor.setVisible(on)
        self._refresh_table()

    def set_cursor(self, t: float) -> None:
        self.cursor.show()  # first: a hidden cursor reports no time
        self.cursor.setValue(t - (self._offset or 0.0))
        if not self.cursor_button.isChecked():
            self.cursor_button.blockSignals(True)
            self.cursor_button.setChecked(True)
            self.cursor_button.blockSignals(False)
        self._refresh_table()

    def cursor_time(self) -> float | None:
        if not self.cursor.isVisible():
            return None
        return float(self.cursor.value()) + (self._offset or 0.0)

    def cursor_values(self, t: float | None = None) -> dict[str, CursorValue]:
        """Each curve's value at `t` (default: the cursor), sample-and-hold.

        A sample is held for at most 5 sample intervals (at least 60 s); beyond that, or
        before the first sample, there is no value.
        """
        if t is None:
            t = self.cursor_time()
        out: dict[str, CursorValue] = {}
        for key, s in self._series.items():
            if t is None or not len(s.t):
                out[key] = CursorValue(None, Quality.NO_DATA, None)
                continue
            i = int(np.searchsorted(s.t, t, side="right")) - 1
            if i < 0:
                out[key] = CursorValue(None, Quality.NO_DATA, None)
                continue
            step = float(np.median(np.diff(s.t[-50:]))) if len(s.t) > 1 else 0.0
            if t - s.t[i] > max(60.0, 5 * step):
                out[key] = CursorValue(None, Quality.NO_DATA, None)
                continue
            q = Quality.GOOD if s.q is None else Quality(int(s.q[i]))
            v = float(s.y[i])
            out[key] = CursorValue(None if math.isnan(v) else v, q, float(s.t[i]))
        return out

    def _cursor_changed(self) -> None:
        t = self.cursor_time()
        if t is not None:
            self.cursor_moved.emit(t)
        self._refresh_table()

    def newest_values(self) -> dict[str, CursorValue]:
        """Each curve's newest sample (the live value): what the read-out shows without cursor."""
        out: dict[str, CursorValue] = {}
        for key, s in self._series.items():
            if not len(s.t):
                out[key] = CursorValue(None, Quality.NO_DATA, None)
                continue
            v = float(s.y[-1])
            q = Quality.GOOD if s.q is None else Quality(int(s.q[-1]))
            out[key] = CursorValue(None if math.isnan(v) else v, q, float(s.t[-1]))
        return out

    def _refresh_table(self) -> None:
        # With the cursor: the values under it; without: each curve's newest (live) value.
        vals = self.cursor_values() if self.cursor.isVisible() else self.newest_values()
        self.table.setRowCount(len(self._series))
        for r, (key, s) in enumerate(self._series.items()):
            cv = vals.get(key)
            name = QTableWidgetItem(f"━  {s.label}")
            name.setForeground(s.color)
            name.setToolTip(key)
            if cv is None:
                value, qual, when = "", "", ""
            elif cv.value is None:
                value, qual, when = "—", quality_text(cv.quality), ""
            else:
                value = number(cv.value, 2)
                qual = quality_text(cv.quality)
                when = date_clock(cv.time) if cv.time is not None else ""
            cells = [name, QTableWidgetItem(value), QTableWidgetItem(s.unit)]
            cells += [QTableWidgetItem(qual), QTableWidgetItem(when)]
            cells[1].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if cv is not None and cv.quality != Quality.GOOD:
                cells[3].setForeground(colors.QUALITY_COLOR[cv.quality])
                cells[1].setForeground(colors.QUALITY_COLOR[cv.quality])
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)

    # ---- export -------------------------------------------------------------------------------

    def export_csv(self, path: str | Path, visible_only: bool = True) -> int:
        """Write the curves as CSV (one line per sample); returns the number of data lines.

        Columns: time (ISO 8601 local time with its UTC offset, what a spreadsheet and a
        dispatcher read), epoch_s, series, label, unit, value, quality.
        """
        start, end = self.time_range() if visible_only else (-math.inf, math.inf)
        n = 0
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["time", "epoch_s", "series", "label", "unit", "value", "quality"])
            qnames = [q.name for q in Quality]
            for s in self._series.values():
                i0, i1 = np.searchsorted(s.t, [start, end], side="left")
                t = s.t[i0:i1]
                q = s.q[i0:i1] if s.q is not None else np.zeros(len(t), np.uint8)
                for e, v, qq in zip(t.tolist(), s.y[i0:i1].tolist(), q.tolist(), strict=True):
                    local = datetime.fromtimestamp(e).astimezone()  # the offset of that moment
                    w.writerow(
                        [
                            local.isoformat(timespec="milliseconds"),
                            f"{e:.3f}",
                            csv_cell(s.key),  # names from the config: no formulas, no
                            csv_cell(s.label),  # terminal controls (console/text_safety.py)
                            csv_cell(s.unit),
                            "" if v != v else f"{v:.6g}",
                            qnames[qq],
                        ]
                    )
                n += len(t)
        return n

    def export_png(self, path: str | Path) -> bool:
        """Save the plot (with its legend) as PNG; returns success."""
        return self.plot_widget.grab().save(str(path), "PNG")

    # ---- drag and drop ------------------------------------------------------------------------

    @staticmethod
    def point_mime(point: str) -> QMimeData:
        """What a point list / faceplate puts on the drag."""
        return point_mime(point)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(POINT_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(POINT_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        key = point_from_mime(event.mimeData())
        if key is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.point_dropped.emit(key)
