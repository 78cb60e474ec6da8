"""The demo's past: the simulator's physics run over the days before the demo starts.

A room model needs days of a station's own history before it can forecast (MIN_HISTORY_H); a
demo that starts from an empty history would show no forecast for 72 simulated hours (72 wall
minutes at the demo's speed). `heatconsole demo` therefore configures `forecast.demo_past_days`:
the forecaster runs the same network's physics (same seed) over those days once, in its own
thread, and fits on that until the console's own history covers the hours (the real history
always wins, hour by hour: forecaster.fill_from). Never used on a real network. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from console.core.forecast.model import HOUR, StationSeries
from station_config.schema import NetworkDef

SAMPLE_S = 900.0  # the physics sampled every 15 min, averaged per hour


def room_readings(ph: object) -> tuple[np.ndarray, np.ndarray]:
    """(mean room, coldest room) per station as the room sensors show them (bias included,
    rooms a station does not report left out; NaN without any): what the console records."""
    disp = ph.t_air + ph._room_bias  # type: ignore[attr-defined]
    rep = ph._room_reported  # type: ignore[attr-defined]
    start = ph._room_start  # type: ignore[attr-defined]
    cnt = np.add.reduceat(rep.astype(float), start)
    mean = np.add.reduceat(np.where(rep, disp, 0.0), start) / np.maximum(cnt, 1)
    low = np.minimum.reduceat(np.where(rep, disp, np.inf), start)
    none = cnt == 0  # a station without room sensors has no room reading, not 0 °C
    return np.where(none, np.nan, mean), np.where(none, np.nan, low)


def daily_weather(days: int, rng: np.random.Generator, t0: float) -> list[tuple[float, dict]]:
    """A change of weather once a day at a random hour: winter days from mild to cold (a model
    fitted on days that differ tells the outdoor's effect from the supply's)."""
    out = []
    for d in range(days):
        t = t0 + d * 86400.0 + float(rng.uniform(0, 86400.0))
        ev = {
            "type": "weather",
            "base_c": round(float(rng.uniform(-9.0, 2.0)), 1),
            "amplitude_k": round(float(rng.uniform(2.0, 6.0)), 1),
        }
        out.append((t, ev))
    return out


def simulated_past(
    net: NetworkDef,
    seed: int,
    end: float,
    days: int,
    stopped: Callable[[], bool] = lambda: False,
) -> dict[str, StationSeries]:
    """Hourly series of every station over the `days` days before `end` (process time), the
    weather changing once a day (daily_weather, seeded). Nothing ({}) once `stopped()` says so:
    a console closed during the seconds this takes stops at once, not after it."""
    from drivers.simulator.physics import NetworkPhysics

    end_h = np.floor(end / HOUR) * HOUR
    start = end_h - days * 24 * HOUR
    ph = NetworkPhysics(net, seed=seed, start=start)
    weather = daily_weather(days, np.random.default_rng(seed), start)
    per_hour = int(HOUR / SAMPLE_S)
    hours = np.empty((days * 24, 7, ph.n))
    for k in range(days * 24):
        if stopped():
            return {}
        acc = np.zeros((7, ph.n))
        for _ in range(per_hour):
            target = ph.now + SAMPLE_S
            while weather and weather[0][0] <= target:
                t, ev = weather.pop(0)
                ph.advance(max(t - ph.now, 0.0))
                ph.apply_event(ev)
            ph.advance(target - ph.now)
            mean, low = room_readings(ph)
            acc += np.stack([ph.to, ph.t3, mean, low, ph.t1, 100.0 * ph.valve, ph.q / 1000.0])
        hours[k] = acc / per_hour
    return {
        sid: StationSeries(start, *(hours[:, j, i].copy() for j in range(7)))
        for i, sid in enumerate(ph.station_ids)
    }
