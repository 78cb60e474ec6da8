"""The service runs the room forecaster when the network file names a forecast source: against
the simulator over real TCP, a history file holding twelve days of a station, a forecast folder
with a cold wave coming. The advisory reaches the real journal through the service's batch (and
its listeners), the forecasts and fits reach the PlantPicture the window reads. The pre-heating
plan gets the forecaster's source from the same builder and reads the history as it does: on
the demo's accelerated clock, hours before the history from the simulated past (run once)."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import numpy as np

from console.core.events import Kind
from console.core.forecast.forecaster import station_series
from console.core.forecast.model import HOUR
from console.core.forecast.wiring import SimulatedPast, forecast_source, station_history
from console.core.picture import ServicePicture
from console.core.service import ConsoleService
from station_config.alarm_rules import ProcessClock
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


def test_one_builder_of_the_forecast_source(tmp_path, monkeypatch) -> None:
    assert forecast_source(None) is None
    monkeypatch.setenv("HOME", str(tmp_path))
    cfg = ForecastConfig(folder="~/fc", url="http://127.0.0.1:9/f.json", stale_after_h=6,
                         timeout_s=2)  # fmt: skip
    src = forecast_source(cfg)
    assert src is not None and src.folder == tmp_path / "fc"
    assert (src.url, src.stale_after_h, src.timeout_s) == ("http://127.0.0.1:9/f.json", 6, 2)


async def test_the_plan_reads_the_history_as_the_forecaster(simulator, tmp_path):
    """A ×60 demo an hour in: the history file holds the last 12 simulated hours of SID (wall
    stamps, as the console writes them); the simulated past covers the day before."""
    clock = ProcessClock(scale=60.0, origin=time.time() - 3600.0)
    now = clock.process_time(time.time())
    end = np.floor(now / HOUR) * HOUR
    rng = np.random.default_rng(5)
    s = syn.series(syn.outdoor(12 + syn.WARM_UP_H, rng), rng)
    s.start = end - 12 * HOUR
    net = simulator.network_with_endpoints()
    wall = lambda t: clock.origin + (t - clock.origin) / clock.scale  # noqa: E731
    _history(tmp_path, net, s, to_wall=wall, max_interval_s=900.0).close()
    folder = tmp_path / "forecast"
    folder.mkdir()
    cfg = ForecastConfig(folder=str(folder), demo_past_days=1, demo_seed=0)
    alarms = net.alarms.model_copy(update={"process_clock": clock})
    net = net.model_copy(update={"forecast": cfg, "alarms": alarms})
    service = ConsoleService(net, journal_path=None, history_path=tmp_path / "history.sqlite",
                             batch_interval=0.1)  # fmt: skip
    await service.start()
    try:
        fx = service.forecaster
        reading = station_history(service)
        assert reading.clock == clock and reading.hold_s == fx.hold_s
        assert isinstance(reading.past, SimulatedPast)
        deadline = time.monotonic() + 300
        while fx.status().cycles == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert reading.past.ready  # the forecaster's first cycle ran it, once for both
        past = reading.past(now)
        assert reading.past(now + HOUR) is past
        for st in net.stations:
            mine = await asyncio.to_thread(reading.series, service.history.query, st.id, now, 2)
            theirs = station_series(fx.query, st.id, now, 2, fx.hold_s, past.get(st.id))
            for name in ("outdoor", "supply", "room_mean", "room_min"):
                np.testing.assert_array_equal(getattr(mine, name), getattr(theirs, name))
        got = reading.series(service.history.query, SID, now, 2)
        assert got.start == end - 48 * HOUR
        assert np.isnan(got.room_mean[:24]).all()  # older than the simulated past
        # The past ran at the forecaster's first cycle, up to a process hour or two after `now`
        # (a wall minute is a simulated hour): align it hour by hour, not by a fixed offset.
        prior = past[SID]
        hours = got.start + HOUR * np.arange(len(got.room_mean))
        j = np.round((hours - prior.start) / HOUR).astype(int)
        held = (j >= 0) & (j < len(prior.room_mean))
        mid = np.arange(len(hours)) < 36
        assert held[24:36].sum() >= 10
        np.testing.assert_allclose(got.room_mean[mid & held], prior.room_mean[j[mid & held]])
        assert np.isnan(got.room_mean[mid & ~held]).all()
        # The last 12 hours from the history (within its deadband), not from the past.
        np.testing.assert_allclose(got.room_mean[36:], s.room_mean, atol=0.1)
        late = ~mid & held
        assert late.sum() >= 10
        assert not np.allclose(got.room_mean[late], prior.room_mean[j[late]], atol=0.1)
    finally:
        await service.stop()
