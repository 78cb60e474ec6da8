"""The demo's past: the simulator's physics run over the days before the demo starts.

A room model needs days of a station's own history before it can forecast (MIN_HISTORY_H); a
demo that starts from an empty history would show no forecast for 72 simulated hours (72 wall
minutes at the demo's speed). `heatconsole demo` therefore configures `forecast.demo_past_days`:
the forecaster runs the same network's physics (same seed) over those days once, in its own
thread, and fits on that until the console's own history covers the hours (the real history
always wins, hour by hour: forecaster.fill_from). Never used on a real network. Qt-free.
"""

from __future__ import annotations

import numpy as np

from console.core.forecast.model import HOUR, StationSeries
from station_config.schema import NetworkDef

SAMPLE_S = 900.0  # the physics sampled every 15 min, averaged per hour


def room_readings(ph: object) -> tuple[np.ndarray, np.ndarray]:
    """(mean room, coldest room) per station as the room sensors show them (bias included,
    rooms a station does not report left out): what the console records."""
    disp = ph.t_air + ph._room_bias  # type: ignore[attr-defined]
    rep = ph._room_reported  # type: ignore[attr-defined]
    start = ph._room_start  # type: ignore[attr-defined]
    cnt = np.add.reduceat(rep.astype(float), start)
    mean = np.add.reduceat(np.where(rep, disp, 0.0), start) / np.maximum(cnt, 1)
    low = np.minimum.reduceat(np.where(rep, disp, np.inf), start)
    return mean, low


def simulated_past(net: NetworkDef, seed: int, end: float, days: int) -> dict[str, StationSeries]:
    """Hourly series of every station over the `days` days before `end` (process time)."""
    from drivers.simulator.physics import NetworkPhysics

    end_h = np.floor(end / HOUR) * HOUR
    start = end_h - days * 24 * HOUR
    ph = NetworkPhysics(net, seed=seed, start=start)
    per_hour = int(HOUR / SAMPLE_S)
    hours = np.empty((days * 24, 4, ph.n))
    for k in range(days * 24):
        acc = np.zeros((4, ph.n))
        for _ in range(per_hour):
            ph.advance(SAMPLE_S)
            mean, low = room_readings(ph)
            acc += np.stack([ph.to, ph.t3, mean, low])
        hours[k] = acc / per_hour
    return {
        sid: StationSeries(start, *(hours[:, j, i].copy() for j in range(4)))
        for i, sid in enumerate(ph.station_ids)
    }
