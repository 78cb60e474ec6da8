"""The service's room forecaster, built from the network file's `forecast:` section.

`start_forecaster(service)` is all ConsoleService calls: with a forecast source configured (a
folder and/or a URL; `heatconsole demo` configures the simulator's folder and its simulated
past) and a history to fit on, it starts a RoomForecaster on its own thread. Its journal events
go to `service.forecast_events`, which the service's batch takes up like its own (the journal,
the listeners, a server's publisher); its picture reaches the window through the service's
PlantPicture. Qt-free.

The pre-heating plan reads the same things the same way: `forecast_source(cfg)` builds the
outdoor forecast source for both, and `station_history(service)` reads a station's history as
the forecaster does (on the plant's clock, hours the history lacks from the demo's simulated
past, computed once for both).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from console.core.forecast.forecaster import (
    HOLD_S,
    QueryFn,
    RoomForecaster,
    station_series,
    stations_of,
)
from console.core.forecast.model import StationSeries, SupplyLaw, curve_from_points
from console.core.forecast.source import ForecastSource
from drivers.samples import Quality
from station_config.alarm_rules import ProcessClock
from station_config.forecast_config import ForecastConfig
from station_config.schema import NetworkDef

if TYPE_CHECKING:
    from console.core.service import ConsoleService

log = logging.getLogger(__name__)
PERIOD_S = 900.0  # process seconds between cycles (the model is hourly)
MIN_PERIOD_S = 5.0  # wall seconds, however fast the demo's clock runs


def forecast_source(cfg: ForecastConfig | None) -> ForecastSource | None:
    """The configured outdoor forecast (folder and/or URL); None when the network names none."""
    if cfg is None:
        return None
    folder = None if cfg.folder is None else Path(cfg.folder).expanduser()
    return ForecastSource(folder, cfg.url, stale_after_h=cfg.stale_after_h, timeout_s=cfg.timeout_s)


class SimulatedPast:
    """The demo's simulated past (simulated_past.py), run once — it takes tens of seconds for
    the demo city — for the forecaster and the pre-heating plan; whoever asks first runs it,
    the other waits for it. `stopped()` gives it up (the forecaster stopping)."""

    def __init__(
        self, net: NetworkDef, seed: int, days: int, stopped: Callable[[], bool] = lambda: False
    ) -> None:
        self.net, self.seed, self.days, self.stopped = net, seed, days, stopped
        self._lock = threading.Lock()
        self._series: dict[str, StationSeries] | None = None

    @property
    def ready(self) -> bool:
        return self._series is not None

    def __call__(self, now: float) -> dict[str, StationSeries]:
        """The stations' hourly past up to `now` (process time) the first time asked."""
        from console.core.forecast.simulated_past import simulated_past

        with self._lock:
            if self._series is None:
                self._series = simulated_past(self.net, self.seed, now, self.days, self.stopped)
            return self._series


@dataclass(frozen=True)
class StationHistory:
    """How the room forecaster reads a station's history, for another reader of the same
    history (the pre-heating plan, which fetches it through the window's doorway in wall time):
    on the plant's clock (`clock`: the demo's simulator runs faster than the wall), a stored
    sample standing for `hold_s` process seconds, and hours the history lacks taken from `past`
    (the demo's simulated past). The defaults are a real network's: wall time, no past."""

    clock: ProcessClock = field(default_factory=ProcessClock)
    hold_s: float = HOLD_S
    past: SimulatedPast | None = None

    def now(self) -> float:
        """Process time now."""
        return self.clock.process_time(time.time())

    def wall(self, t: float) -> float:
        """The wall time at process time `t`."""
        return self.clock.origin + self.clock.wall_s(t - self.clock.origin)

    def process_query(self, query: QueryFn) -> QueryFn:
        """`query` (wall time: history.query, or what a doorway fetched) in process time."""

        def in_process_time(sid: str, point: str, start: float, end: float) -> tuple:
            t, v, q = query(sid, point, self.wall(start), self.wall(end))
            return self.clock.process_time(np.asarray(t, dtype=np.float64)), v, q

        return in_process_time

    def series(self, query: QueryFn, station: str, now: float, days: int) -> StationSeries:
        """The station's hourly series up to `now` (process time) as the forecaster fits on
        it, from `query` in wall time."""
        prior = None if self.past is None else self.past(now).get(station)
        return station_series(self.process_query(query), station, now, days, self.hold_s, prior)


def station_history(service: ConsoleService) -> StationHistory:
    """The history as `service`'s room forecaster reads it (its clock, hold and past)."""
    clock = service.net.alarms.process_clock
    fx = service.forecaster
    if fx is None:
        return StationHistory(clock)
    past = fx._prior_fn  # what start_forecaster handed it: a SimulatedPast or None
    return StationHistory(clock, fx.hold_s, past if isinstance(past, SimulatedPast) else None)


def start_forecaster(service: ConsoleService) -> RoomForecaster | None:
    cfg = service.net.forecast
    source = forecast_source(cfg)
    if cfg is None or source is None:
        return None
    if service.history is None:
        log.warning("room forecast configured but the history is off: nothing to fit on")
        return None
    clock = service.net.alarms.process_clock
    live = service.live

    def curve_of(sid: str) -> SupplyLaw | None:
        st = live.stations.get(sid)
        if st is None or st.scans == 0:
            return None

        def value(name: str) -> float:
            i = st.table.index.get(name)
            if i is None or st.quality[i] != Quality.GOOD:
                return math.nan
            return float(st.values[i])

        return curve_from_points(value)

    prior = None
    if cfg.demo_past_days:
        # Given up when the forecaster stops (`fx`, below): a service's stop does not wait it out.
        prior = SimulatedPast(
            service.net, cfg.demo_seed, cfg.demo_past_days, lambda: fx._stop.is_set()
        )
    fx = RoomForecaster(
        stations_of(service.net.stations),
        service.history.query,
        source,
        service.forecast_events.append,  # deque.append: safe from the forecaster's thread
        curve_of=curve_of,
        period_s=max(PERIOD_S / clock.scale, MIN_PERIOD_S),
        clock=clock,
        prior=prior,
        max_interval_s=service.history.writer.city.max_interval_s,
    )
    fx.start()
    return fx
