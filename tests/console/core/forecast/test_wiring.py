"""The service runs the room forecaster when the network file names a forecast source: against
the simulator over real TCP, a history file holding twelve days of a station, a forecast folder
with a cold wave coming. The advisory reaches the real journal through the service's batch (and
its listeners), the forecasts and fits reach the PlantPicture the window reads."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import numpy as np

from console.core.events import Kind
from console.core.forecast.model import HOUR
from console.core.picture import ServicePicture
from console.core.service import ConsoleService
from station_config.forecast_config import ForecastConfig
from tests.console.core.forecast import synthetic as syn
from tests.console.core.forecast.test_forecaster import SID, _forecast_file, _history


async def test_configured_forecast_source_starts_the_forecaster(simulator, tmp_path):
    rng = np.random.default_rng(7)
    s = syn.series(syn.outdoor(24 * 12, rng), rng)
    now = time.time()
    s.start = np.floor(now / HOUR) * HOUR - len(s) * HOUR  # twelve days up to the last hour
    net = simulator.network_with_endpoints()
    _history(tmp_path, net, s).close()  # the file the service's history then continues
    folder = tmp_path / "forecast"
    folder.mkdir()
    lead = np.arange(1, 97)
    wave = np.interp(lead, [0, 6, 9, 96], [-3, -3, -25, -25])
    _forecast_file(folder, np.floor(now / HOUR) * HOUR, wave)
    net = net.model_copy(update={"forecast": ForecastConfig(folder=str(folder))})
    service = ConsoleService(
        net,
        journal_path=tmp_path / "journal.sqlite",
        history_path=tmp_path / "history.sqlite",
        batch_interval=0.1,
    )
    seen: list = []
    service.listeners.append(lambda u: seen.extend(e for e in u.events if e.kind is Kind.ADVISORY))
    await service.start()
    try:
        assert service.forecaster is not None
        end = time.monotonic() + 60
        while not any(e.action == "raise" for e in seen) and time.monotonic() < end:
            await asyncio.sleep(0.1)
        raised = [e for e in seen if e.action == "raise"]
        assert [e.station for e in raised] == [SID]
        assert raised[0].message.startswith(f"{SID}: coldest rooms forecast below 18 °C in ~")
        pic = ServicePicture(service).forecast()
        assert pic is not None and pic.usable and SID in pic.advisories
        st = pic.stations[SID]
        assert st.fit is not None and st.forecast is not None and len(st.wall_times) == 48
        # Stations without history: no fit, and the picture says how much history they have.
        others = [v for k, v in pic.stations.items() if k != SID]
        assert others and all(v.fit is None and v.needs_history_h > 0 for v in others)
    finally:
        await service.stop()
    with sqlite3.connect(tmp_path / "journal.sqlite") as db:
        rows = db.execute(
            "SELECT station, priority, action FROM events WHERE kind = 'advisory'"
        ).fetchall()
    assert (SID, "info", "raise") in rows


async def test_no_forecast_section_no_forecaster(simulator, tmp_path):
    service = ConsoleService(simulator.network_with_endpoints(), journal_path=None,
                             history_path=tmp_path / "history.sqlite")  # fmt: skip
    await service.start()
    try:
        assert service.forecaster is None and ServicePicture(service).forecast() is None
    finally:
        await service.stop()
