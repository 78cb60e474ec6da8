"""A few demo stations' hourly history from the simulator's physics (what the console records:
the register values outdoor, T3, room mean, coldest room, heat power), once per session, and
each station's ThermalModel fitted on it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from console.core.forecast.model import HOUR, StationSeries, ThermalModel, curve_from_points
from drivers.simulator.physics import NetworkPhysics
from station_config.loader import load_network
from station_config.schema import NetworkDef

ROOT = Path(__file__).resolve().parents[4]
START = 1_767_225_600.0  # 2026-01-01T00:00Z
HOURS = 84  # three and a half days: the model fits from 72 hourly samples
POINTS = ("outdoor_temp", "t3_secondary_supply", "room_temp_mean", "room_temp_min", "heat_power")


@dataclass
class SimHistory:
    net: NetworkDef
    ph: NetworkPhysics
    series: list[StationSeries]
    heat: list[np.ndarray]
    models: list[ThermalModel]


@pytest.fixture(scope="session")
def sim_history() -> SimHistory:
    net = load_network(ROOT / "station_config/demo.yaml")
    keep = [s for s in net.stations if s.district == "xigong"][:3]
    net = net.model_copy(update={"stations": keep})
    ph = NetworkPhysics(net, seed=3, start=START)
    # A colder spell on day 3 so the history spans a range of outdoor temperatures.
    ph.apply_event({"type": "weather", "base_c": -2.0, "amplitude_k": 5.0})
    hours = []
    for h in range(HOURS):
        if h == 48:
            ph.apply_event({"type": "weather", "base_c": -7.0, "amplitude_k": 4.0})
        acc = np.zeros((len(POINTS), ph.n))
        for _ in range(4):
            ph.advance(900.0)
            for i, t in enumerate(ph.tables):
                v = ph.values(i)
                acc[:, i] += [v[t.index[p]] for p in POINTS]
        hours.append(acc / 4)
    a = np.array(hours)  # (hours, points, stations)
    series = [StationSeries(START, *(a[:, k, i] for k in range(4))) for i in range(ph.n)]
    heat = [a[:, 4, i] for i in range(ph.n)]
    models = []
    for i, s in enumerate(series):
        m = ThermalModel(curve=curve_from_points(lambda p, i=i: float(ph._cfg[p][i])))
        assert m.fit(s) is not None
        models.append(m)
    return SimHistory(net, ph, series, heat, models)


def outdoor_forecast(s: StationSeries, level: float, hours: int = 72) -> tuple[np.ndarray, ...]:
    """A flat outdoor forecast at `level` °C from the end of the series, hourly."""
    t = s.start + HOUR * (len(s) + np.arange(hours) + 0.5)
    return t, np.full(hours, level)
