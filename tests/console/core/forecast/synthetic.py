"""A known two-state building on an hourly grid, for the model and advisory tests.

y[k+1] = 1.2·y[k] − 0.3·y[k−1] + 0.03·To[k+1] + 0.02·To[k] + 0.03·Ts[k−1] + 0.02·Ts[k−2] − 0.5
(poles 0.85 and 0.35 per hour: a room with a ~6 h time constant; supply delayed 2 h). Along
the weather curve (slope −1 K/K, flat below −10 °C) the rooms hold 20 °C; below the design
day they lose 0.5 K per K of outdoor. The coldest room runs 1.5 K below the mean.
"""

from __future__ import annotations

import numpy as np

from console.core.forecast.model import HOUR, StationSeries, SupplyLaw

THETA = np.array([1.2, -0.3, 0.03, 0.02, 0.03, 0.02, -0.5])
THETA_MIN = THETA.copy()
THETA_MIN[6] -= 0.15  # steady state 1.5 K lower
DELAY_H = 2
CURVE = SupplyLaw(
    np.array([-10.0, -5.0, 0.0, 5.0, 10.0, 15.0]), np.array([60.0, 55.0, 50.0, 45.0, 40.0, 35.0])
)
START = 1_767_225_600.0
WARM_UP_H = 24


def outdoor(n: int, rng: np.random.Generator, base: float = -3.0) -> np.ndarray:
    hours = np.arange(n)
    walk = np.cumsum(rng.normal(0.0, 0.3, n))
    walk -= np.linspace(0.0, walk[-1], n)  # no drift over the run
    return base + 4.0 * np.sin(2 * np.pi * (hours % 24) / 24.0) + walk


def respond(
    theta: np.ndarray,
    to: np.ndarray,
    ts: np.ndarray,
    y: np.ndarray,
    noise: np.ndarray,
    first: int = DELAY_H + 1,
) -> np.ndarray:
    """Run the building equation from hour `first` on (y before it given), in place."""
    a1, a2, b0, b1, c0, c1, e = theta
    d = DELAY_H
    for k in range(first, len(to) - 1):
        y[k + 1] = (a1 * y[k] + a2 * y[k - 1] + b0 * to[k + 1] + b1 * to[k]
                    + c0 * ts[k + 1 - d] + c1 * ts[k - d] + e + noise[k])  # fmt: skip
    return y


def series(
    to: np.ndarray, rng: np.random.Generator, noise: float = 0.01, supply_jitter: float = 2.0
) -> StationSeries:
    """History under weather control; the supply wanders around the curve (valve, load) so
    its effect can be told from the outdoor's."""
    n = len(to)
    jitter = np.convolve(rng.normal(0.0, supply_jitter, n), np.ones(3) / 3, mode="same")
    ts = CURVE(to) + jitter
    mean = respond(THETA, to, ts, np.full(n, 20.0), rng.normal(0.0, noise, n))
    low = respond(THETA_MIN, to, ts, np.full(n, 18.5), rng.normal(0.0, noise, n))
    w = WARM_UP_H  # the start-up transient does not follow the equation: not history
    return StationSeries(START, to[w:], ts[w:], mean[w:], low[w:])


def extend(s: StationSeries, to_future: np.ndarray) -> StationSeries:
    """The true continuation of `s` under outdoor `to_future`, the supply on the curve."""
    to = np.concatenate([s.outdoor, to_future])
    ts = np.concatenate([s.supply, CURVE(to_future)])
    zero = np.zeros(len(to))
    out = [
        respond(theta, to, ts, np.concatenate([y, np.zeros(len(to_future))]), zero, len(y) - 1)
        for theta, y in ((THETA, s.room_mean), (THETA_MIN, s.room_min))
    ]
    return StationSeries(s.start, to, ts, out[0], out[1])


def hour_times(s: StationSeries, k: int, hours: int) -> np.ndarray:
    """Epoch times of the forecast points after history hour k."""
    return s.start + HOUR * (np.arange(k + 1, k + 1 + hours) + 0.5)
