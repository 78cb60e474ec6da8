"""The network simulator: physics behind one Modbus TCP server per station, in one asyncio loop.

    async with Simulator(net, seed=1, port=0) as sim:
        net2 = sim.network_with_endpoints()   # hand to the poller
        sim.faults.set("jx-001", latency_ms=20, jitter=0.5)

A tick task (wall period `tick_s`) advances the physics by elapsed wall time × speed, applies the
scenario's due events (comm events -> faults, the rest -> physics) and re-encodes every station's
register image. All images live in one city-wide wire buffer (each device serves its slice), so
a tick encodes the city in one vectorised pass. Writes reach the physics at once and re-encode
that station alone, so a read-back sees them. With `forecast_dir`, the simulator also publishes
its own outdoor-temperature forecast there (drivers.simulator.forecast), every 6 simulated hours.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from drivers.codec import ImageEncoder, encode_image
from drivers.points import PointTable
from drivers.simulator.faults import COMM_EVENT_TYPES, FaultInjector, StationFaults
from drivers.simulator.forecast import ForecastPublisher
from drivers.simulator.modbus_server import StationDevice, StationServer
from drivers.simulator.physics import parse_duration
from station_config.schema import NetworkDef

log = logging.getLogger(__name__)


class Physics(Protocol):
    station_ids: list[str]
    tables: list[PointTable]
    now: float

    def advance(self, dt: float) -> None: ...
    def values(self, i: int) -> np.ndarray: ...
    def all_values(self) -> np.ndarray: ...  # every station's values(i), concatenated
    def write(self, i: int, point: str, value: float) -> None: ...
    def apply_event(self, event: dict) -> None: ...


class ScenarioLike(Protocol):
    def due(self, elapsed_sim_s: float) -> list[dict]: ...


def _default_physics(net: NetworkDef, seed: int) -> Physics:
    from drivers.simulator.physics import NetworkPhysics

    return NetworkPhysics(net, seed=seed)


def _load_scenario(scenario: ScenarioLike | str | Path | None) -> ScenarioLike | None:
    if scenario is None or hasattr(scenario, "due"):
        return scenario  # type: ignore[return-value]
    from drivers.simulator.scenarios import Scenario

    return Scenario.load(scenario)


class Simulator:
    """Every station of `net` served on its own loopback host:port.

    `bind_host_override` binds every station on that host instead of its configured one;
    `port` binds every station on that port (0 = an ephemeral port each, for tests).
    `physics` replaces the default NetworkPhysics (e.g. StaticPhysics in tests).
    """

    def __init__(
        self,
        net: NetworkDef,
        *,
        seed: int = 0,
        speed: float = 1.0,
        scenario: ScenarioLike | str | Path | None = None,
        bind_host_override: str | None = None,
        port: int | None = None,
        tick_s: float = 0.5,
        physics: Physics | None = None,
        forecast_dir: str | Path | None = None,
    ):
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.net = net
        self.seed = seed
        self.speed = float(speed)
        self.tick_s = float(tick_s)
        self._bind_host = bind_host_override
        self._port = port
        self._scenario_arg = scenario
        self.scenario: ScenarioLike | None = None
        self.physics: Physics | None = physics
        self.faults = FaultInjector([s.id for s in net.stations], seed=seed)
        self.devices: list[StationDevice] = []
        self.servers: dict[str, StationServer] = {}
        self.endpoints: dict[str, tuple[str, int]] = {}
        self.sim_elapsed = 0.0  # simulated seconds since start
        self.ticks = 0
        self.tick_cpu_s = 0.0  # CPU time of the last tick (advance + encode)
        self.encode_cpu_s = 0.0  # ... of which re-encoding every image
        self._encoder: ImageEncoder | None = None
        self._wire = bytearray()  # every station's big-endian register image, end to end
        self._city_image = np.zeros(0, dtype=">u2")  # numpy view on _wire
        self._wo_station = np.zeros(0, dtype=np.int64)  # stations with a word-order point ...
        self._wo_value = np.zeros(0, dtype=np.int64)  # ... and its index in all_values()
        self._device_faults: list[tuple[StationDevice, StationFaults]] = []
        self._held: set[StationDevice] = set()  # devices whose heartbeat is frozen
        self._task: asyncio.Task | None = None
        self._started = False
        self.forecast_dir = None if forecast_dir is None else Path(forecast_dir)
        self.forecast: ForecastPublisher | None = None

    # --- lifecycle -----------------------------------------------------------------------
    def build(self) -> None:
        """Physics, scenario and every station's register image; no sockets yet (benchmarks
        and tests may call it alone, then `tick()`)."""
        if self.devices:
            return
        self.scenario = _load_scenario(self._scenario_arg)
        if self.physics is None:
            self.physics = _default_physics(self.net, self.seed)
        ph = self.physics
        enc = self._encoder = ImageEncoder(ph.tables)
        self._wire = bytearray(2 * enc.size)
        self._city_image = np.frombuffer(self._wire, dtype=">u2")
        wire = memoryview(self._wire)
        wo_station, wo_value = [], []
        for i, sid in enumerate(ph.station_ids):
            st = self.net.station(sid)
            table = ph.tables[i]
            a, n = 2 * int(enc.offsets[i]), 2 * int(enc.sizes[i])
            dev = StationDevice(i, sid, table, st.unit, wire=wire[a : a + n])
            dev.on_write = self._on_write
            self.devices.append(dev)
            self._device_faults.append((dev, self.faults[sid]))
            if table.word_order_index is not None:
                wo_station.append(i)
                wo_value.append(int(enc.starts[i]) + table.word_order_index)
        self._wo_station = np.array(wo_station, dtype=np.int64)
        self._wo_value = np.array(wo_value, dtype=np.int64)
        self._encode_all()
        if self.forecast_dir is not None and hasattr(ph, "outlook"):
            # The scenario's weather still to come is what makes the forecast see a cold wave.
            start = ph.now - self.sim_elapsed
            scheduled = [
                (start + float(ev["at"]), ev)
                for ev in getattr(self.scenario, "events", [])
                if ev.get("type") in ("weather", "cold_wave")
            ]
            self.forecast = ForecastPublisher(
                self.forecast_dir,
                ph,  # type: ignore[arg-type]
                seed=self.seed,
                scheduled=scheduled,
                source=f"heatconsole simulator, {self.net.name}, seed {self.seed}",
            )
            self._publish_forecast()

    async def start(self) -> None:
        if self._started:
            raise RuntimeError("simulator already started")
        self._started = True
        try:
            self.build()
            for dev in self.devices:
                st = self.net.station(dev.station_id)
                if st.host is None:  # a serial (RTU) station has no TCP endpoint to serve
                    continue
                srv = StationServer(dev, self.faults[dev.station_id], self.device)
                host = self._bind_host or st.host
                port = st.port if self._port is None else self._port
                self.servers[dev.station_id] = srv
                self.endpoints[dev.station_id] = await srv.start(host, port)
        except BaseException:
            await self.stop()
            raise
        self._task = asyncio.create_task(self._tick_loop(), name="simulator-tick")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await asyncio.gather(*(s.stop() for s in self.servers.values()), return_exceptions=True)
        self.servers.clear()

    async def __aenter__(self) -> Simulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def network_with_endpoints(self) -> NetworkDef:
        """The network with every served station's host/port replaced by the bound ones."""
        stations = [
            s.model_copy(update={"host": self.endpoints[s.id][0], "port": self.endpoints[s.id][1]})
            if s.id in self.endpoints
            else s
            for s in self.net.stations
        ]
        return self.net.model_copy(update={"stations": stations})

    def device(self, station_id: str) -> StationDevice:
        for d in self.devices:
            if d.station_id == station_id:
                return d
        raise KeyError(station_id)

    # --- ticking -------------------------------------------------------------------------
    async def _tick_loop(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(self.tick_s)
            now = loop.time()
            try:
                self.tick((now - last) * self.speed)
            except Exception:  # keep serving; a physics bug shows in the log, not as silence
                log.exception("simulator tick failed")
            last = now

    def tick(self, dt: float) -> None:
        """Advance `dt` simulated seconds, apply due events, re-encode every image."""
        assert self.physics is not None
        c0 = time.process_time()
        self.physics.advance(dt)
        self.sim_elapsed += dt
        if self.scenario is not None:
            for ev in self.scenario.due(self.sim_elapsed):
                self.apply_event(ev)
        self.faults.refresh()
        self._publish_forecast()
        c1 = time.process_time()
        self._encode_all()
        c2 = time.process_time()
        self.ticks += 1
        self.encode_cpu_s = c2 - c1
        self.tick_cpu_s = c2 - c0

    def _publish_forecast(self) -> None:
        if self.forecast is None:
            return
        try:
            self.forecast.publish_due()
        except OSError as e:  # a full disk must not stop the simulated stations
            log.warning("forecast not written to %s: %s", self.forecast_dir, e)

    def _encode_all(self) -> None:
        """Every station's image in one pass over the city, straight into the wire buffer."""
        assert self.physics is not None and self._encoder is not None
        values = self.physics.all_values()
        # Each station's float word order is its own register 350 (CDAB when it has none or
        # it reads NaN), truncated as int() would; left float so any value compares with 1.
        order = np.ones(len(self.devices))
        wo = values[self._wo_value]
        order[self._wo_station] = np.trunc(np.where(np.isfinite(wo), wo, 1.0))
        # A hung device's heartbeat must survive the rewrite: note it before, put it back after.
        held = {dev for dev, f in self._device_faults if f.heartbeat_freeze}
        for dev in self._held - held:
            dev.hold_heartbeat(False)  # thawed: a later freeze starts from its words then
        for dev in held:
            dev.hold_heartbeat(True)
        self._held = held
        self._encoder.encode(values, order, out=self._city_image)
        for dev in held:
            dev.restore_heartbeat()

    def _encode(self, i: int) -> None:
        """Station i alone (after a write)."""
        assert self.physics is not None
        dev = self.devices[i]
        values = self.physics.values(i)
        wo = dev.table.word_order_index
        order = 1
        if wo is not None and np.isfinite(values[wo]):
            order = int(values[wo])
        img = encode_image(dev.table, values, order, len(dev.image))
        dev.set_image(img, freeze_heartbeat=self.faults[dev.station_id].heartbeat_freeze)

    def _on_write(self, i: int, point: str, value: float) -> None:
        assert self.physics is not None
        self.physics.write(i, point, value)
        self._encode(i)  # e.g. a new word order re-orders the floats at once

    # --- scenario events -----------------------------------------------------------------
    def apply_event(self, event: dict[str, Any]) -> None:
        """A scenario event: comm events set faults, everything else goes to the physics."""
        kind = event.get("type")
        if kind not in COMM_EVENT_TYPES:
            assert self.physics is not None
            self.physics.apply_event(event)
            return
        targets = self._targets(event)
        dur = event.get("duration_s", event.get("duration"))
        wall = None if dur is None else parse_duration(dur) / self.speed
        for sid in targets:
            f = self.faults[sid]
            if kind == "comm_clear":
                kinds = event.get("kinds") or ()
                f.clear(*([kinds] if isinstance(kinds, str) else kinds))
            elif kind == "comm_latency":
                f.set(
                    latency_ms=float(event.get("latency_ms", event.get("ms", 0.0))),
                    jitter=float(event.get("jitter", 0.0)),
                    duration_s=wall,
                )
            elif kind == "comm_drop":
                f.set(drop=float(event.get("probability", event.get("p", 1.0))), duration_s=wall)
            elif kind == "comm_offline":
                f.set(offline=True, duration_s=wall)
            elif kind == "heartbeat_freeze":
                f.set(heartbeat_freeze=True, duration_s=wall)
            elif kind == "short_reply":
                p = float(event.get("probability", event.get("p", 1.0)))
                f.set(short_reply=p, duration_s=wall)
            elif kind == "bad_reply":
                f.set(bad_reply=str(event["mode"]), duration_s=wall)
            elif kind == "wrong_device":
                self.faults[str(event["as"])]  # an unknown station fails here, with its name
                f.set(answer_as=str(event["as"]), duration_s=wall)
        log.info("scenario: %s on %d station(s)", kind, len(targets))

    def _targets(self, event: dict[str, Any]) -> list[str]:
        """Station ids an event addresses: station / stations / district and/or trunk / all."""
        if "station" in event:
            return [event["station"]]
        if "stations" in event:
            return list(event["stations"])
        return [
            s.id
            for s in self.net.stations
            if event.get("district", s.district) == s.district
            and event.get("trunk", s.trunk) == s.trunk
        ]

    # --- status --------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        return {
            "stations": len(self.servers),
            "requests": sum(d.requests for d in self.devices),
            "exceptions": sum(d.exceptions for d in self.devices),
            "writes": sum(d.writes for d in self.devices),
            "connections": sum(len(s.connections) for s in self.servers.values()),
            "sim_time": self.physics.now if self.physics is not None else None,
            "sim_elapsed": self.sim_elapsed,
            "faults": len(self.faults.active()),
            "tick_cpu_ms": round(self.tick_cpu_s * 1000, 1),
        }
