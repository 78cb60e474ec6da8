"""Trend repaint cost after pan/zoom: 10 curves × 24 h of 1-second data (86,400 points each).

Compares, in the same run, the TrendPlot as shipped (its own min/max decimation levels,
widgets/trend_decimation.py) against the same plot drawn the way it was before: every sample
handed to pyqtgraph with clip-to-view + auto "peak" downsampling (min/max recomputed over the
visible samples on every step). Prints median and max of a range change plus one synchronous
`repaint()` of the plot (pyqtgraph's path building and Qt's rasterisation, offscreen), and the
ratio.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_trend.py [--repeats N] [--tiny]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication

from widgets.trend_plot import TrendPlot

N = 86_400  # 24 h of 1-s data per curve (--points changes it)
CURVES = 10
T_END = 1_736_000_000.0  # a January night


def machine() -> str:
    return (
        f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )


def build(optimised: bool, n: int) -> TrendPlot:
    w = TrendPlot()
    w.resize(1600, 900)
    rng = np.random.default_rng(1)
    t = T_END - n + np.arange(n, dtype=np.float64)
    units = ["°C", "°C", "°C", "°C", "°C", "°C", "kPa", "kPa", "m³/h", "m³/h"]
    for i in range(CURVES):
        y = 20 + 5 * np.sin(t / (3600 * (3 + i))) + np.cumsum(rng.normal(0, 0.02, n))
        q = np.zeros(n, np.uint8)
        b = n * 40 // 86 + i * n // 864
        q[b : b + n // 144] = 3  # a comm failure on each curve (10 min of a day)
        w.set_series(f"s/p{i}", f"curve {i}", units[i], t, y, q)
    if not optimised:
        use_pyqtgraph_decimation(w)
    w.set_now(T_END)
    w.show()
    return w


def use_pyqtgraph_decimation(w: TrendPlot) -> None:
    """The baseline: whole arrays in the items, pyqtgraph clips and peak-downsamples per step."""
    w.main_vb.sigXRangeChanged.disconnect(w._draw_visible)
    w.main_vb.sigResized.disconnect(w._draw_visible)
    for s in w._series.values():
        for item in (s.good, s.bad):
            item.setClipToView(True)
            item.setDownsampling(auto=True, method="peak")
        s.good.setData(s.x, s.y_good, connect="finite")
        if s.y_bad is not None:
            idx = np.flatnonzero(np.isfinite(s.y_bad))  # the bad stretches only, as before
            connect = np.ones(len(idx), dtype=bool)
            connect[:-1] = np.diff(idx) == 1
            s.bad.setData(s.x[idx], s.y_bad[idx], connect=connect)


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
    ap.add_argument("--points", type=int, default=N, help="samples per curve (1-s steps)")
    ap.add_argument("--tiny", action="store_true", help="smoke run: 2,000 points, 1 repeat")
    args = ap.parse_args()
    if args.tiny:
        args.points, args.repeats = 2000, 1
    print(machine())
    app = QApplication.instance() or QApplication([])
    results = {}
    for name, opt in (("decimation levels", True), ("pyqtgraph per step", False)):
        w = build(opt, args.points)
        measure(w, app, 1)  # warm-up: first paint, font caches
        ts = measure(w, app, args.repeats)
        results[name] = (statistics.median(ts), max(ts))
        w.close()
        w.deleteLater()
        app.processEvents()
    o, b = results["decimation levels"], results["pyqtgraph per step"]
    print(f"{CURVES} curves x {args.points} points, {len(views())} pan/zoom steps x {args.repeats}")
    rows = (("decimation levels (ours)", o), ("baseline: pyqtgraph clip + peak", b))
    for name, (med, mx) in rows:
        print(f"{name:32s} median {med * 1e3:7.1f} ms, max {mx * 1e3:7.1f} ms")
    print(f"ratio ours/baseline (median): {o[0] / b[0]:.3f}  (speed-up {b[0] / o[0]:.1f}x)")
    verdict = "holds" if o[1] <= 0.050 else "MISSED"
    print(f"target: pan/zoom + repaint <= 50 ms (max of every step): {verdict}")


if __name__ == "__main__":
    main()
