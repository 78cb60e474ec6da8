"""Trend repaint cost after pan/zoom: 10 curves × 24 h of 1-second data (86,400 points each).

Compares, in the same run, the TrendPlot as shipped (clip-to-view + auto peak downsampling)
against the same plot with both switched off, and prints the ratio. Times are medians of a
range change plus one synchronous `repaint()` of the plot, so they include pyqtgraph's
path building and Qt's rasterisation, offscreen.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_trend.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication

from widgets.trend_plot import TrendPlot

N = 86_400
CURVES = 10
T_END = 1_736_000_000.0  # a January night


def build(optimised: bool) -> TrendPlot:
    w = TrendPlot()
    w.resize(1600, 900)
    rng = np.random.default_rng(1)
    t = T_END - N + np.arange(N, dtype=np.float64)
    units = ["°C", "°C", "°C", "°C", "°C", "°C", "kPa", "kPa", "m³/h", "m³/h"]
    for i in range(CURVES):
        y = 20 + 5 * np.sin(t / (3600 * (3 + i))) + np.cumsum(rng.normal(0, 0.02, N))
        q = np.zeros(N, np.uint8)
        q[40_000 + i * 100 : 40_600 + i * 100] = 3  # a 10-minute comm failure on each curve
        w.set_series(f"s/p{i}", f"curve {i}", units[i], t, y, q)
        if not optimised:
            for item in (w._series[f"s/p{i}"].good, w._series[f"s/p{i}"].bad):
                item.setClipToView(False)
                item.setDownsampling(auto=False, ds=1)
    w.set_now(T_END)
    w.show()
    return w


def views() -> list[tuple[float, float]]:
    """Full day, zoom to 8 h, pan, zoom to 1 h, pan, 15 min, back to the full day."""
    day = (T_END - 86400, T_END)
    out = [day]
    for span, steps in ((8 * 3600, 3), (3600, 3), (900, 2)):
        for k in range(steps):
            end = T_END - k * span / 2
            out.append((end - span, end))
    out.append(day)
    return out


def measure(w: TrendPlot, app: QApplication, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        for start, end in views():
            t0 = time.perf_counter()
            w.set_time_range(start, end)  # the range change itself (clip, y-fit) counts
            w.plot_widget.viewport().repaint()  # one synchronous paint
            times.append(time.perf_counter() - t0)
            app.processEvents()  # drain queued updates outside the timing
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    results = {}
    for name, opt in (("optimised", True), ("baseline", False)):
        w = build(opt)
        measure(w, app, 1)  # warm-up: first paint, font caches
        ts = measure(w, app, args.repeats)
        results[name] = (statistics.median(ts), max(ts))
        w.close()
        w.deleteLater()
        app.processEvents()
    o, b = results["optimised"], results["baseline"]
    print(f"{CURVES} curves x {N} points, {len(views())} pan/zoom steps x {args.repeats}")
    for name, (med, mx) in (("optimised (clip + peak)", o), ("baseline (neither)", b)):
        print(f"{name:24s} median {med * 1e3:7.1f} ms, max {mx * 1e3:7.1f} ms")
    print(f"ratio optimised/baseline (median): {o[0] / b[0]:.3f}  (speed-up {b[0] / o[0]:.1f}x)")


if __name__ == "__main__":
    main()
