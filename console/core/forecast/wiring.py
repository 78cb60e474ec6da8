"""The service's room forecaster, built from the network file's `forecast:` section.

`start_forecaster(service)` is all ConsoleService calls: with a forecast source configured (a
folder and/or a URL; `heatconsole demo` configures the simulator's folder and its simulated
past) and a history to fit on, it starts a RoomForecaster on its own thread. Its journal events
go to `service.forecast_events`, which the service's batch takes up like its own (the journal,
the listeners, a server's publisher); its picture reaches the window through the service's
PlantPicture. Qt-free.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import TYPE_CHECKING

from console.core.forecast.forecaster import RoomForecaster, stations_of
from console.core.forecast.model import SupplyLaw, curve_from_points
from console.core.forecast.source import ForecastSource
from drivers.samples import Quality

if TYPE_CHECKING:
    from console.core.service import ConsoleService

log = logging.getLogger(__name__)
PERIOD_S = 900.0  # process seconds between cycles (the model is hourly)
MIN_PERIOD_S = 5.0  # wall seconds, however fast the demo's clock runs


def start_forecaster(service: ConsoleService) -> RoomForecaster | None:
    cfg = service.net.forecast
    if cfg is None:
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
        from console.core.forecast.simulated_past import simulated_past

        net, seed, days = service.net, cfg.demo_seed, cfg.demo_past_days
        # Given up when the forecaster stops (`fx`, below): a service's stop does not wait it out.
        prior = lambda now: simulated_past(net, seed, now, days, fx._stop.is_set)  # noqa: E731
    folder = None if cfg.folder is None else Path(cfg.folder).expanduser()
    fx = RoomForecaster(
        stations_of(service.net.stations),
        service.history.query,
        ForecastSource(folder, cfg.url, stale_after_h=cfg.stale_after_h, timeout_s=cfg.timeout_s),
        service.forecast_events.append,  # deque.append: safe from the forecaster's thread
        curve_of=curve_of,
        period_s=max(PERIOD_S / clock.scale, MIN_PERIOD_S),
        clock=clock,
        prior=prior,
        max_interval_s=service.history.writer.city.max_interval_s,
    )
    fx.start()
    return fx
