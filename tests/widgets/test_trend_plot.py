"""Trend plot: one y-axis per unit, cursor read-out, presets, CSV/PNG export, point drops."""

from __future__ import annotations

import csv
import os
import time

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QGraphicsPathItem

from drivers.samples import Quality
from widgets.trend_plot import POINT_MIME, PRESETS, TrendPlot

T0 = 1_700_000_000.0  # epoch: 2023-11-14 22:13:20 UTC


@pytest.fixture
def trend(qtbot):
    w = TrendPlot()
    qtbot.addWidget(w)
    w.resize(900, 500)
    t = T0 + np.arange(0, 3600, 10.0)
    w.set_series("jx-001/t1", "T1 primary supply", "°C", t, 95 + 0.001 * (t - T0))
    w.set_series("jx-001/t3", "T3 secondary supply", "°C", t, 55 + np.zeros_like(t))
    q = np.zeros(len(t), np.uint8)
    q[100:130] = Quality.COMM_FAIL
    w.set_series("jx-001/p2", "P2 secondary pressure", "kPa", t, 400 + np.zeros_like(t), q)
    w.set_series("jx-001/flow", "Make-up flow", "m³/h", t, 0.5 + np.zeros_like(t))
    w.set_now(T0 + 3600)
    return w


def test_one_axis_per_unit(trend):
    assert trend.units() == ["°C", "kPa", "m³/h"]
    assert trend.axis_for("°C") is trend.plot_item.getAxis("left")
    assert trend.axis_for("kPa") is trend.plot_item.getAxis("right")
    assert trend.axis_for("m³/h").labelText == "m³/h"
    # curves of different units live in different, x-linked view boxes
    s = trend._series
    assert s["jx-001/t1"].good.getViewBox() is s["jx-001/t3"].good.getViewBox()
    assert s["jx-001/t1"].good.getViewBox() is not s["jx-001/p2"].good.getViewBox()
    assert s["jx-001/p2"].good.getViewBox().linkedView(0) is trend.main_vb


def test_pyqtgraph_settings(trend):
    item = trend._series["jx-001/t1"].good
    # clipping and decimation are the plot's own (MinMaxPyramid); the curve is a path item that
    # Qt paints and bounds without calling into Python
    assert isinstance(item, QGraphicsPathItem)
    assert "paint" not in vars(type(item)) and "boundingRect" not in vars(type(item))
    assert item.opts["pen"].width() <= 1 and item.pen().width() == 0  # cosmetic 1 px


DAY = 86_400  # a day of 1-s samples
DAY_T = T0 + np.arange(DAY, dtype=np.float64)


@pytest.fixture
def day_plot(qtbot):
    """An empty, shown plot for curves of a day of 1-s data."""
    w = TrendPlot()
    qtbot.addWidget(w)
    w.resize(900, 500)
    w.show()
    return w


def test_long_curve_draws_about_two_points_per_column_and_keeps_spikes(day_plot):
    w, n, t = day_plot, DAY, DAY_T
    y = 20 + np.sin(np.arange(n) / 5000.0)
    y[43_210] = 35.0  # a one-second spike in a day of 1-s data
    w.set_series("s/p", "p", "°C", t, y)
    columns = int(w.main_vb.width())
    w.set_time_range(T0, T0 + n)
    x_drawn, y_drawn = w._series["s/p"].good.getData()
    assert len(x_drawn) <= 4 * columns  # not 86,400
    assert np.nanmax(y_drawn) == 35.0  # the spike survives decimation
    assert np.nanmin(y_drawn) == pytest.approx(y.min())
    # zoomed to 10 minutes: the raw samples of that window (plus one beyond each edge)
    w.set_time_range(T0 + 43_000, T0 + 43_600)
    x_drawn, y_drawn = w._series["s/p"].good.getData()
    assert len(x_drawn) == 602
    assert np.array_equal(y_drawn, y[42_999:43_601])


def test_epoch_offset_keeps_precision(trend):
    x, _ = trend._series["jx-001/t1"].good.getData()
    assert x[0] < 86400  # plotted relative to a round-hour offset
    trend.set_time_range(T0 + 100.25, T0 + 100.75)
    start, end = trend.time_range()
    assert start == pytest.approx(T0 + 100.25, abs=1e-6)
    assert end == pytest.approx(T0 + 100.75, abs=1e-6)


def test_cursor_reads_every_curve(trend, qtbot):
    with qtbot.waitSignal(trend.cursor_moved) as sig:
        trend.set_cursor(T0 + 1005)
    assert sig.args[0] == pytest.approx(T0 + 1005)
    vals = trend.cursor_values()
    assert vals["jx-001/t1"].value == pytest.approx(95 + 1.0)  # held sample at T0+1000
    assert vals["jx-001/t1"].time == T0 + 1000
    assert vals["jx-001/t3"].value == 55
    assert vals["jx-001/p2"].quality == Quality.COMM_FAIL  # sample 100 is in the bad stretch
    assert trend.table.item(2, 3).text() == "communication failed"
    assert trend.table.item(0, 1).text() == "96.00"
    # before the data and far after it: no value, not a made-up one
    assert trend.cursor_values(T0 - 5)["jx-001/t1"].value is None
    assert trend.cursor_values(T0 + 7200)["jx-001/t1"].value is None


def test_bad_quality_is_gap_plus_dashed(trend):
    trend.set_time_range(T0, T0 + 3600)
    s = trend._series["jx-001/p2"]
    xg, yg = s.good.getData()
    xb, yb = s.bad.getData()
    assert len(xg) == 360  # a short curve is drawn sample by sample
    assert np.isnan(yg[100:130]).all() and np.isfinite(yg[:100]).all()
    # the dashed curve holds just the bad stretch plus one good neighbour each side
    t, y, _ = trend.series_data("jx-001/p2")
    assert np.array_equal(xb[:-1] + trend._offset, t[99:131]) and np.array_equal(yb[:-1], y[99:131])
    assert np.isnan(yb[-1])  # one NaN closes it (pyqtgraph then draws the last pixel)
    assert s.bad.opts["pen"].style() == Qt.PenStyle.DashLine


def test_bad_stretch_stays_visible_when_decimated(day_plot):
    w, n, t = day_plot, DAY, DAY_T
    q = np.zeros(n, np.uint8)
    q[50_000:50_600] = Quality.COMM_FAIL  # 10 minutes in a day: a few pixel columns
    w.set_series("s/p", "p", "kPa", t, 400 + np.zeros(n), q)
    w.set_time_range(T0, T0 + n)
    xg, yg = w._series["s/p"].good.getData()
    xb, yb = w._series["s/p"].bad.getData()
    assert len(xb) < 4 * int(w.main_vb.width())
    bad_x = xb[np.isfinite(yb)] + w._offset
    assert bad_x.min() <= T0 + 50_000 and bad_x.max() >= T0 + 50_400  # dashed over it
    gap_x = xg[np.isnan(yg)] + w._offset
    assert len(gap_x) and gap_x.min() >= T0 + 49_000 and gap_x.max() <= T0 + 51_000  # a gap


def test_presets_emit_range_requested(trend, qtbot):
    assert [s for _, s in PRESETS] == [900, 3600, 8 * 3600, 24 * 3600, 7 * 24 * 3600]
    with qtbot.waitSignal(trend.range_requested) as sig:
        trend.preset_buttons[8 * 3600].click()
    assert sig.args == [T0 + 3600 - 8 * 3600, T0 + 3600]
    start, end = trend.time_range()
    assert (start, end) == (pytest.approx(T0 - 7 * 3600), pytest.approx(T0 + 3600))


def test_panning_into_the_past_requests_history(trend, qtbot):
    trend.apply_preset(900)
    with qtbot.waitSignal(trend.range_requested, timeout=2000) as sig:
        trend.set_time_range(T0 - 1800, T0 + 600)  # before the oldest sample
    assert sig.args == [pytest.approx(T0 - 1800), pytest.approx(T0 + 600)]


def test_append_redraws_and_follows(trend):
    trend.apply_preset(900)
    trend.append("jx-001/t3", np.array([T0 + 3600, T0 + 3610]), np.array([56.0, 57.0]))
    trend.flush()
    t, y, _ = trend.series_data("jx-001/t3")
    assert t[-1] == T0 + 3610 and y[-1] == 57.0
    assert trend.time_range()[1] == pytest.approx(T0 + 3610)
    assert trend.cursor_values(T0 + 3611)["jx-001/t3"].value == 57.0


def test_csv_export_contents(trend, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # the dispatchers' clock
    time.tzset()
    trend.set_time_range(T0, T0 + 25)  # samples at T0, +10, +20 of each series
    path = tmp_path / "trend.csv"
    try:
        n = trend.export_csv(path)
    finally:
        monkeypatch.undo()
        time.tzset()
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert n == len(rows) == 12
    first = rows[0]
    assert first["time"] == "2023-11-15T06:13:20.000+08:00"  # ISO 8601, local with offset
    assert first["epoch_s"] == "1700000000.000"
    assert (first["series"], first["unit"], first["value"]) == ("jx-001/t1", "°C", "95")
    assert {r["unit"] for r in rows} == {"°C", "kPa", "m³/h"}
    assert all(r["quality"] == "GOOD" for r in rows)
    everything = trend.export_csv(tmp_path / "all.csv", visible_only=False)
    assert everything == 4 * 360


def test_png_export(trend, tmp_path):
    path = tmp_path / "trend.png"
    assert trend.export_png(path)
    img = QImage(str(path))
    assert not img.isNull() and img.width() > 100


def test_point_drop(trend, qtbot):
    md = TrendPlot.point_mime("jx-001/room_temp[3]")
    ev = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    with qtbot.waitSignal(trend.point_dropped) as sig:
        trend.dropEvent(ev)
    assert sig.args == ["jx-001/room_temp[3]"]
    assert trend.acceptDrops()
    assert md.hasFormat(POINT_MIME)


def test_remove_series(trend):
    trend.remove_series("jx-001/flow")
    assert "jx-001/flow" not in trend.series_keys()
    assert trend.table.rowCount() == 3


def test_operator_view_changes_signal_interaction_live_following_does_not(trend, qtbot):
    seen: list[int] = []
    trend.interacted.connect(lambda: seen.append(1))
    trend.set_time_range(T0, T0 + 600)  # pan/zoom
    assert len(seen) == 1
    trend.preset_buttons[900].click()
    assert len(seen) == 2
    trend.main_vb.sigRangeChangedManually.emit([True, False])  # mouse wheel/drag
    assert len(seen) == 3
    trend.append("jx-001/t3", np.array([T0 + 3600, T0 + 3610]), np.array([56.0, 57.0]))
    trend.flush()  # follows the newest data: not the operator
    assert len(seen) == 3
    assert trend.time_range()[1] == pytest.approx(T0 + 3610)


def test_csv_export_defuses_names_from_the_config(trend, tmp_path):
    """A station or point name is config text: no spreadsheet formula, no terminal control."""
    t = T0 + np.arange(0, 30, 10.0)
    trend.set_series("jx-001/x", '=HYPERLINK("http://evil.example")\x1b]0;t\x07', "@u", t, t * 0)
    path = tmp_path / "trend.csv"
    trend.export_csv(path, visible_only=False)
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if r["series"] == "jx-001/x"]
    assert len(rows) == 3
    assert rows[0]["label"] == '\'=HYPERLINK("http://evil.example")\\x1b]0;t\\x07'
    assert rows[0]["unit"] == "'@u"


def test_a_reworded_curve_renames_its_legend(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A language switch re-labels the curves: the legend reads the new words."""
    from widgets.trend_plot import TrendPlot

    w = TrendPlot()
    qtbot.addWidget(w)
    t = np.arange(10.0) + 1.7e9
    w.set_series("xg-002/t3", "xg-002 T3 secondary supply", "°C", t, t * 0)
    w.set_series("xg-002/t3", "xg-002 T3 二次供水温度", "°C", t, t * 0)
    item = w.legend.getLabel(w._series["xg-002/t3"].good)
    assert item.text == "xg-002 T3 二次供水温度 [°C]"


def test_one_sample_gets_a_range_that_holds_it_and_a_filled_read_out(qtbot):
    """A curve just opened from a value (one live sample): the y-axis holds the value with a
    margin (never zero height) and the normal band; Value/Quality show it without a cursor."""
    w = TrendPlot()
    qtbot.addWidget(w)
    w.resize(900, 500)
    w.set_series("xg-002/t3", "T3", "°C", np.array([T0]), np.array([51.4]), np.array([0]))
    w.flush()
    lo, hi = w.axis_for("°C").linkedView().viewRange()[1]
    assert lo <= 51.4 - 2.0 and hi >= 51.4 + 2.0
    w.set_band("xg-002/t3", 45.0, 60.0)
    lo, hi = w.axis_for("°C").linkedView().viewRange()[1]
    assert lo <= 45.0 and hi >= 60.0
    assert not w.cursor.isVisible()
    assert [w.table.item(0, c).text() for c in (1, 3)] == ["51.40", "good"]
    w.set_series(
        "xg-002/p", "P3", "kPa", np.array([T0]), np.array([444.0]), np.array([Quality.STALE])
    )
    lo, hi = w.axis_for("kPa").linkedView().viewRange()[1]
    assert lo < 444.0 < hi and hi - lo >= 2 * 0.02 * 444.0
    assert w.table.item(1, 3).text() == "stale"


def _curve_image(plot: pg.PlotWidget, item: pg.GraphicsObject) -> QImage:
    plot.addItem(item)
    plot.setXRange(0, 200, padding=0)
    plot.setYRange(-1.5, 1.5, padding=0)
    plot.viewport().repaint()
    img = plot.grab().toImage()
    plot.removeItem(item)
    return img


@pytest.mark.parametrize("dashed", [False, True])
@pytest.mark.parametrize("gaps", ["none", "edges and middle", "all", "flat"])
def test_trend_curve_draws_the_pixels_of_a_plain_pyqtgraph_curve(qtbot, gaps, dashed):
    """The curve item paints exactly what a PlotDataItem with connect="finite" and the same pen
    paints from the same points (its leading/trailing NaN trimmed), solid or dashed."""
    from widgets.trend_plot import TrendCurve

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    x = np.arange(200, dtype=np.float64)
    y = np.sin(x / 15.0)
    if gaps == "edges and middle":
        y[:5] = y[80:90] = y[195:] = np.nan
    elif gaps == "all":
        y[:] = np.nan
    elif gaps == "flat":  # a bounding box of zero height must still be drawn
        y[:] = 0.5
    style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
    pen = pg.mkPen("#8ab4f8", width=1, style=style)
    ours = TrendCurve(pen)
    ours.show_points(x, y)
    reference = pg.PlotDataItem(x, y, pen=pen, connect="finite")
    image = _curve_image(plot, ours)
    assert image == _curve_image(plot, reference)
    assert (image == _curve_image(plot, pg.PlotDataItem())) == (gaps == "all")  # drawn at all
    if gaps != "all":  # Qt's bounds of the item: exactly the finite points
        r = ours.boundingRect()
        finite = np.isfinite(y)
        assert (r.left(), r.right()) == (x[finite][0], x[finite][-1])
        assert (r.top(), r.bottom()) == (
            pytest.approx(y[finite].min()),
            pytest.approx(y[finite].max()),
        )
    else:
        assert ours.boundingRect().isEmpty() and len(ours.getData()[0]) == 0


def test_pan_zoom_steps_draw_every_extreme_of_the_visible_samples(day_plot):
    """At each step of a pan/zoom sequence, every curve draws the extremes of exactly the
    samples in view (plus one beyond each edge), in few points, and dashes only bad samples."""
    w, n, t = day_plot, DAY, DAY_T
    rng = np.random.default_rng(7)
    q = np.zeros(n, np.uint8)
    q[40_000:40_600] = Quality.COMM_FAIL
    y = 50 + np.cumsum(rng.normal(0, 0.05, n))
    w.set_series("s/p", "p", "°C", t, y, q)
    columns = int(w.main_vb.width())
    end = T0 + n
    steps = [(T0, end), (end - 8 * 3600, end), (end - 16 * 3600, end - 8 * 3600)]
    steps += [(T0 + 39_000, T0 + 39_000 + 3600), (T0 + 40_300, T0 + 40_300 + 900), (T0, end)]
    good = q == 0
    for start, stop in steps:
        w.set_time_range(start, stop)
        assert w.time_range() == (pytest.approx(start), pytest.approx(stop))
        i0 = max(int(np.searchsorted(t, start)) - 1, 0)
        i1 = int(np.searchsorted(t, stop)) + 1
        s = w._series["s/p"]
        xg, yg = s.good.getData()
        assert len(xg) <= 4 * columns
        visible_good = y[i0:i1][good[i0:i1]]
        assert np.nanmax(yg) == visible_good.max() and np.nanmin(yg) == visible_good.min()
        xb, yb = s.bad.getData()
        bad_ext = ~good | np.r_[~good[1:], False] | np.r_[False, ~good[:-1]]
        if bad_ext[i0:i1].any():
            visible_bad = y[i0:i1][bad_ext[i0:i1]]
            assert np.nanmax(yb) == visible_bad.max() and np.nanmin(yb) == visible_bad.min()
            assert np.isfinite(yb[0]) and np.isfinite(yb[-2:]).any()  # no NaN run at the ends
        else:
            assert len(xb) == 0  # no dashed stretch in view: nothing to draw


def _thread_names_after_a_large_fill(import_trend_plot: bool) -> list[str]:
    """Thread names of a fresh process that fills a large area with a translucent colour."""
    import subprocess
    import sys

    code = f"""
import os
{"import widgets.trend_plot" if import_trend_plot else ""}
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication
app = QApplication([])
img = QImage(1600, 900, QImage.Format.Format_ARGB32_Premultiplied)
p = QPainter(img)
p.fillRect(0, 0, 1600, 900, QColor(35, 39, 42, 200))
p.end()
print(";".join(open(f"/proc/self/task/{{t}}/comm").read().strip()
               for t in os.listdir("/proc/self/task")))
"""
    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return out.stdout.strip().split(";")


def test_painting_with_the_trend_plot_loaded_waits_on_no_helper_threads():
    """Qt splits large fills over a pool of helper threads and waits for them: on a loaded
    console every wait is a scheduling delay. With the trend plot loaded, one thread paints."""
    assert "Thread (pooled)" in _thread_names_after_a_large_fill(import_trend_plot=False)
    assert "Thread (pooled)" not in _thread_names_after_a_large_fill(import_trend_plot=True)


def test_the_legend_shows_only_with_curves(qtbot) -> None:  # type: ignore[no-untyped-def]
    """An empty trend had an empty legend box in its corner (seen in the demo)."""
    w = TrendPlot()
    qtbot.addWidget(w)
    w.resize(900, 500)
    w.show()
    assert not w.legend.isVisible()
    t = T0 + np.arange(0, 600, 10.0)
    w.set_series("jx-001/t3", "T3 secondary supply", "°C", t, 55 + np.zeros_like(t))
    w.set_series("jx-001/t1", "T1 primary supply", "°C", t, 95 + np.zeros_like(t))
    assert w.legend.isVisible()
    w.remove_series("jx-001/t3")
    assert w.legend.isVisible()  # one curve left
    w.remove_series("jx-001/t1")
    assert not w.legend.isVisible()
