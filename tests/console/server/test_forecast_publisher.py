"""The room forecast reaches thin consoles: a real Mosquitto, the simulator over Modbus TCP, a
server whose history holds twelve days of a station and whose forecast folder has a cold wave
coming. The console's mirror gets the same picture the server's forecaster made (fits, bands,
advisory) and the outdoor forecast the pre-heating plan needs; a console joining afterwards
gets it at once (retained)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import numpy as np

from console.commands.server import roles_from
from console.core.forecast.model import HOUR
from console.remote.link import BrokerAddress
from console.remote.outdoor_source import PublishedForecastSource
from console.remote.session import RemoteSession
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from station_config.forecast_config import ForecastConfig
from station_config.schema import NetworkDef
from tests.console.core.forecast import synthetic as syn
from tests.console.core.forecast.test_forecaster import SID, _forecast_file, _history
from tests.support.waiting import until

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator"), "vera": (PW, "viewer")}


COLD_WAVE = np.interp(np.arange(1, 97), [0, 6, 9, 96], [-3, -3, -25, -25])


def with_cold_wave_coming(net: NetworkDef, folder: Path) -> NetworkDef:
    """`net` with a forecast section: twelve days of station SID in `folder`/history.sqlite
    (the history the server continues), a forecast of a cold wave in `folder`/forecast."""
    rng = np.random.default_rng(7)
    s = syn.series(syn.outdoor(24 * 12, rng), rng)
    now = time.time()
    s.start = np.floor(now / HOUR) * HOUR - len(s) * HOUR
    _history(folder, net, s).close()
    (folder / "forecast").mkdir()
    _forecast_file(folder / "forecast", np.floor(now / HOUR) * HOUR, COLD_WAVE)
    return net.model_copy(update={"forecast": ForecastConfig(folder=str(folder / "forecast"))})


async def test_forecast_picture_and_outdoor_forecast_reach_consoles(mosquitto, simulator, tmp_path):
    broker = mosquitto(users=USERS)
    net = with_cold_wave_coming(simulator.network_with_endpoints(), tmp_path)
    wave = COLD_WAVE
    srv = AcquisitionServer(
        net, Partition.parse("north=all"), BrokerAddress.parse(broker.url),
        ServerLogin("srv", PW), roles_from(broker.store),
        journal_path=tmp_path / "north.sqlite", history_path=tmp_path / "history.sqlite",
    )  # fmt: skip
    wang = RemoteSession(BrokerAddress.parse(broker.url), "wang", PW)
    vera = RemoteSession(BrokerAddress.parse(broker.url), "vera", PW)
    await srv.start()
    try:
        await asyncio.to_thread(wang.start)
        assert await until(lambda: srv.service.forecaster.picture() is not None, 60)
        made = srv.service.forecaster.picture()
        assert await until(lambda: wang.mirror.forecast() is not None, 20)
        got = wang.mirror.forecast()
        assert got.state == made.state == "ok" and got.threshold == made.threshold
        assert got.stations.keys() == made.stations.keys()
        mine, theirs = got.stations[SID], made.stations[SID]
        assert mine.fit is not None and mine.fit.r2 == theirs.fit.r2
        assert mine.history_h == theirs.history_h
        np.testing.assert_array_equal(mine.wall_times, theirs.wall_times)
        np.testing.assert_allclose(mine.forecast.coldest, theirs.forecast.coldest, atol=1e-4)
        np.testing.assert_allclose(mine.forecast.mean_hi, theirs.forecast.mean_hi, atol=1e-4)
        # Stations without history: no fit, and how much history they still need.
        assert all(v.fit is None and v.needs_history_h > 0 for k, v in got.stations.items()
                   if k != SID)  # fmt: skip
        assert await until(lambda: SID in (wang.mirror.forecast() or made).advisories, 60)
        assert wang.mirror.forecast().advisories[SID].text.startswith(f"{SID}: coldest rooms")

        # The outdoor forecast for the pre-heating plan, with the freshness rules of a folder.
        source = PublishedForecastSource(lambda: wang.mirror.outdoor)
        status = source.load(time.time())
        assert status.usable and status.forecast is not None
        np.testing.assert_allclose(status.forecast.outdoor_c, np.round(wave, 1), atol=1e-4)
        assert not source.load(time.time() + 30 * 86400).usable  # run out: stale, not used

        # A console that joins later (a viewer too) has it at once: retained.
        await asyncio.to_thread(vera.start)
        assert await until(lambda: vera.mirror.forecast() is not None, 5)
        assert vera.mirror.forecast().stations[SID].fit is not None
    finally:
        await asyncio.to_thread(vera.stop)
        await asyncio.to_thread(wang.stop)
        await srv.stop()
    assert srv.forecast.published >= 1


def test_no_published_forecast_is_missing_not_used() -> None:
    status = PublishedForecastSource(lambda: None).load()
    assert not status.usable and "none in the servers' published forecast" in status.message
