"""Min/max decimation levels for trend curves, so a view costs its pixel width, not its samples.

pyqtgraph's own peak downsampling recomputes min/max over every visible sample on each pan or
zoom step: 10 curves × 86,400 samples is ~1 M samples per step for a 24-h view (bench_trend,
bench_gui). A `MinMaxPyramid` computes those extremes once, over buckets of 2, 4, 8, … samples;
a view then slices the coarsest level that still gives at least one bucket per pixel column, so
the work per step is about twice the plot width in points whatever the span.

NaN samples (bad quality: a gap in the curve) are ignored inside a bucket (np.fmin/fmax); a
bucket that holds only NaN stays NaN, so a gap wider than a pixel column stays a gap. Pure numpy:
no Qt, testable on its own.
"""

from __future__ import annotations

import numpy as np

# Levels stop when they get this short: coarser ones would never be chosen for a plot of at least
# this many pixel columns.
_MIN_LEVEL_LEN = 32


class MinMaxPyramid:
    """Per-bucket minima and maxima of `y` for bucket sizes 2**k, k = 1, 2, …"""

    def __init__(self, y: np.ndarray) -> None:
        self.n = len(y)
        # levels[k - 1] = (min, max) over buckets of 2**k samples (the last may be partial).
        self.levels: list[tuple[np.ndarray, np.ndarray]] = []
        mn = mx = np.asarray(y, dtype=np.float64)
        while len(mn) > _MIN_LEVEL_LEN:
            if len(mn) % 2:
                mn = np.append(mn, np.nan)
                mx = np.append(mx, np.nan)
            mn = np.fmin(mn[0::2], mn[1::2])
            mx = np.fmax(mx[0::2], mx[1::2])
            self.levels.append((mn, mx))

    def level_for(self, samples: int, columns: int) -> int:
        """The coarsest useful level: buckets no wider than a pixel column (0 = raw samples)."""
        columns = max(columns, 1)
        if samples <= 2 * columns or not self.levels:
            return 0
        k = min(max(int(np.ceil(np.log2(samples / columns))), 1), len(self.levels))
        # A short curve on a very narrow plot: the coarsest level may not beat the samples.
        buckets = (samples >> k) + 2  # + a partial bucket at each end
        return 0 if 2 * buckets >= samples else k

    def extent(self, y: np.ndarray, i0: int, i1: int, columns: int) -> tuple[float, float]:
        """(min, max) of the finite samples [i0, i1) as `view` would draw them (NaN if none):
        a y-fit for the same cost as drawing, not a pass over every visible sample."""
        i0, i1 = max(i0, 0), min(i1, self.n)
        if i1 <= i0:
            return np.nan, np.nan
        k = self.level_for(i1 - i0, columns)
        if k == 0:
            seg_min = seg_max = y[i0:i1]
        else:
            mn, mx = self.levels[k - 1]
            b0, b1 = i0 >> k, ((i1 - 1) >> k) + 1
            seg_min, seg_max = mn[b0:b1], mx[b0:b1]
        return float(np.fmin.reduce(seg_min)), float(np.fmax.reduce(seg_max))

    def view(
        self, x: np.ndarray, y: np.ndarray, i0: int, i1: int, columns: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The points to draw for raw samples [i0, i1) on a plot `columns` pixels wide.

        Each bucket becomes two points at the bucket's first x: its minimum, then its maximum
        (a vertical stroke, as pyqtgraph's "peak" method draws), so no spike is lost.
        """
        i0, i1 = max(i0, 0), min(i1, self.n)
        if i1 <= i0:
            return x[:0], y[:0]
        k = self.level_for(i1 - i0, columns)
        if k == 0:
            return x[i0:i1], y[i0:i1]
        mn, mx = self.levels[k - 1]
        b0, b1 = i0 >> k, ((i1 - 1) >> k) + 1
        xs = x[b0 << k : b1 << k : 1 << k]
        out_y = np.empty(2 * len(xs))
        out_y[0::2] = mn[b0:b1]
        out_y[1::2] = mx[b0:b1]
        return np.repeat(xs, 2), out_y
