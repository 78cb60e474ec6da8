"""Trend repaint cost after pan/zoom: 10 curves × 24 h of 1-second data (86,400 points each).

Compares, in the same run, the TrendPlot as shipped (its own min/max decimation levels,
widgets/trend_decimation.py, fed to light curve items) against the best a user gets from the
library alone: a bare pyqtgraph PlotWidget holding the same points, with pyqtgraph's own
clip-to-view + auto "peak" downsampling and y auto-range over the visible data. Prints median
and max of a range change plus one synchronous `repaint()` of the plot (pyqtgraph's path
building and Qt's rasterisation, offscreen), and the ratio. Then, for the TrendPlot, the main
thread's CPU time per step (the work itself; wall time minus it is waiting for the CPU on a
shared machine) and the garbage-collector pauses inside the timed steps (gc.callbacks).

Both plots run in one process, so both paint without Qt's GUI thread pool (widgets/trend_plot.py
turns it off at import, before the application is created).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_trend.py [--repeats N] [--tiny]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication, QWidget

from widgets.trend_plot import TrendPlot

N = 86_400  # 24 h of 1-s data per curve (--points changes it)
CURVES = 10
T_END = 1_736_000_000.0  # a January night


def machine() -> str:
    return (
        f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )


def curves(n: int) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """(unit, t, y, quality) of each curve: a slow wave plus a random walk, one comm failure."""
    rng = np.random.default_rng(1)
    t = T_END - n + np.arange(n, dtype=np.float64)
    units = ["°C", "°C", "°C", "°C", "°C", "°C", "kPa", "kPa", "m³/h", "m³/h"]
    out = []
    for i in range(CURVES):
        y = 20 + 5 * np.sin(t / (3600 * (3 + i))) + np.cumsum(rng.normal(0, 0.02, n))
        q = np.zeros(n, np.uint8)
        b = n * 40 // 86 + i * n // 864
        q[b : b + n // 144] = 3  # a comm failure on each curve (10 min of a day)
        out.append((units[i], t, y, q))
    return out


class Ours:
    """The TrendPlot as shipped."""

    def __init__(self, n: int) -> None:
        self.w = TrendPlot()
        self.w.resize(1600, 900)
        for i, (unit, t, y, q) in enumerate(curves(n)):
            self.w.set_series(f"s/p{i}", f"curve {i}", unit, t, y, q)
        self.w.set_now(T_END)
        self.w.show()
        self.widget: QWidget = self.w
        self.viewport = self.w.plot_widget.viewport()

    def set_range(self, start: float, end: float) -> None:
        self.w.set_time_range(start, end)  # the range change itself (clip, y-fit) counts


class Bare:
    """The baseline: a bare PlotWidget, the same points (x relative to the first sample, as
    ours), pyqtgraph's clip-to-view + peak downsampling + y auto-range of the visible data."""

    def __init__(self, n: int) -> None:
        self.w = pg.PlotWidget()
        self.w.resize(1600, 900)
        data = curves(n)
        self.offset = float(data[0][1][0])
        for unit, t, y, q in data:
            item = pg.PlotDataItem(
                t - self.offset, np.where(q == 0, y, np.nan), pen=pg.mkPen(width=1), name=unit
            )
            self.w.addItem(item)  # first: clip-to-view needs the item's view box
            item.setClipToView(True)
            item.setDownsampling(auto=True, method="peak")
        self.w.getPlotItem().setAutoVisible(y=True)
        self.w.show()
        self.widget = self.w
        self.viewport = self.w.viewport()

    def set_range(self, start: float, end: float) -> None:
        self.w.setXRange(start - self.offset, end - self.offset, padding=0)


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


class GcPauses:
    """Garbage-collector pauses while `on` (gc.callbacks): told apart from the plot's work."""

    def __init__(self) -> None:
        self.on = False
        self.pauses: list[float] = []
        self._t0 = 0.0

    def __call__(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
        elif self.on:
            self.pauses.append(time.perf_counter() - self._t0)


def measure(
    plot: Ours | Bare, app: QApplication, repeats: int, gcp: GcPauses | None = None
) -> tuple[list[float], list[float]]:
    """Wall and main-thread CPU seconds of each pan/zoom step with its repaint."""
    wall, cpu = [], []
    clock: Callable[[], float] = time.thread_time
    for _ in range(repeats):
        for start, end in views():
            if gcp is not None:
                gcp.on = True
            t0, c0 = time.perf_counter(), clock()
            plot.set_range(start, end)
            plot.viewport.repaint()  # one synchronous paint
            wall.append(time.perf_counter() - t0)
            cpu.append(clock() - c0)
            if gcp is not None:
                gcp.on = False
            app.processEvents()  # drain queued updates outside the timing
    return wall, cpu


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
    gcp = GcPauses()
    gc.callbacks.append(gcp)
    results, cpu = {}, []
    for name, cls in (("ours", Ours), ("bare", Bare)):
        plot = cls(args.points)
        measure(plot, app, 1)  # warm-up: first paint, font caches
        ts, cs = measure(plot, app, args.repeats, gcp if cls is Ours else None)
        results[name] = (statistics.median(ts), max(ts))
        if cls is Ours:
            cpu = cs
        plot.widget.close()
        plot.widget.deleteLater()
        app.processEvents()
    gc.callbacks.remove(gcp)
    o, b = results["ours"], results["bare"]
    print(f"{CURVES} curves x {args.points} points, {len(views())} pan/zoom steps x {args.repeats}")
    rows = (("decimation levels (ours)", o), ("baseline: pyqtgraph clip + peak", b))
    for name, (med, mx) in rows:
        print(f"{name:32s} median {med * 1e3:7.1f} ms, max {mx * 1e3:7.1f} ms")
    print(f"ratio ours/baseline (median): {o[0] / b[0]:.3f}  (speed-up {b[0] / o[0]:.1f}x)")
    print(
        f"ours, main-thread CPU per step: median {statistics.median(cpu) * 1e3:.1f} ms, max "
        f"{max(cpu) * 1e3:.1f} ms; GC pauses in the timed steps: {len(gcp.pauses)} "
        f"({sum(gcp.pauses) * 1e3:.1f} ms)"
    )
    verdict = "holds" if o[1] <= 0.050 else "MISSED"
    print(f"target: pan/zoom + repaint <= 50 ms (max of every step): {verdict}")


if __name__ == "__main__":
    main()
