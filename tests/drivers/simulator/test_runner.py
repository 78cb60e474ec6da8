"""The runner: lifecycle, endpoints, ticks, writes into physics, scenario events, child process."""

from __future__ import annotations

import asyncio
import os

import numpy as np
import pytest
from pyModbusTCP.client import ModbusClient

from console.commands import simulate
from drivers.simulator.process import SimulatorProcess, SimulatorProcessError
from drivers.simulator.runner import Simulator
from drivers.simulator.static_physics import StaticPhysics
from station_config.schema import NetworkDef

SMALL = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "small_network.yaml")


class ListScenario:
    """Scenario stand-in: each event once, when its `at` (simulated s) has passed."""

    def __init__(self, events: list[dict]):
        self.events = sorted(events, key=lambda e: e["at"])

    def due(self, elapsed: float) -> list[dict]:
        out = [e for e in self.events if e["at"] <= elapsed]
        self.events = self.events[len(out) :]
        return out


async def read(sim: Simulator, sid: str, start: int, count: int) -> list[int] | None:
    host, port = sim.endpoints[sid]

    def go():
        c = ModbusClient(host=host, port=port, timeout=5.0)
        try:
            return c.read_holding_registers(start, count)
        finally:
            c.close()

    return await asyncio.to_thread(go)


async def test_endpoints_and_network_copy(simulator: Simulator, small_network: NetworkDef) -> None:
    net = simulator.network_with_endpoints()
    assert [s.id for s in net.stations] == [s.id for s in small_network.stations]
    for s in net.stations:
        assert (s.host, s.port) == simulator.endpoints[s.id]
        assert s.host.startswith("127.0.77.") and s.port != 15020
    assert small_network.stations[0].port == 15020  # the original is untouched
    assert (await read(simulator, "jx-001", 0, 1)) == [310]


async def test_bind_host_override(small_network: NetworkDef) -> None:
    physics = StaticPhysics(small_network)
    async with Simulator(
        small_network, port=0, bind_host_override="127.0.0.1", physics=physics
    ) as sim:
        assert {h for h, _ in sim.endpoints.values()} == {"127.0.0.1"}
        assert len({p for _, p in sim.endpoints.values()}) == 4
        assert await read(sim, "xg-002", 11, 1) == [240]
    assert sim.servers == {}


async def test_stop_closes_sockets(small_network: NetworkDef) -> None:
    sim = Simulator(small_network, port=0, physics=StaticPhysics(small_network))
    await sim.start()
    host, port = sim.endpoints["jx-001"]
    r, w = await asyncio.open_connection(host, port)
    await sim.stop()
    assert await asyncio.wait_for(r.read(), 5) == b""
    w.close()
    with pytest.raises(OSError):
        await asyncio.open_connection(host, port)


async def test_tick_task_runs(small_network: NetworkDef) -> None:
    async with Simulator(small_network, port=0, tick_s=0.01, speed=60.0) as sim:
        for _ in range(500):  # bounded: the tick task needs only a few loop turns
            if sim.ticks >= 3:
                break
            await asyncio.sleep(0.01)
        assert sim.ticks >= 3 and sim.sim_elapsed > 0


async def test_real_physics_moves_and_heartbeat_follows(simulator: Simulator) -> None:
    i = simulator.physics.station_ids.index("jx-002")
    before = simulator.physics.values(i).copy()
    t0 = simulator.physics.now
    simulator.tick(600.0)
    after = simulator.physics.values(i)
    assert simulator.physics.now == pytest.approx(t0 + 600.0)
    assert not np.allclose(before, after, equal_nan=True)
    hb = await read(simulator, "jx-002", 3, 2)
    assert (hb[0] << 16) | hb[1] == int(simulator.physics.now)


async def test_write_reaches_physics_and_survives_ticks(simulator: Simulator) -> None:
    host, port = simulator.endpoints["jx-001"]

    def write():
        c = ModbusClient(host=host, port=port, timeout=5.0)
        ok = c.write_single_register(200, 215)  # room_setpoint 21.5 °C
        c.close()
        return ok

    assert await asyncio.to_thread(write)
    i = simulator.physics.station_ids.index("jx-001")
    table = simulator.physics.tables[i]
    assert simulator.physics.values(i)[table.index["room_setpoint"]] == pytest.approx(21.5)
    simulator.tick(60.0)
    assert await read(simulator, "jx-001", 200, 1) == [215]


async def test_scenario_comm_events_set_faults(small_network: NetworkDef) -> None:
    scenario = ListScenario(
        [
            {"at": 10, "type": "comm_offline", "station": "jx-001", "duration": "10m"},
            {"at": 10, "type": "comm_latency", "district": "xigong", "latency_ms": 50},
            {"at": 20, "type": "heartbeat_freeze", "station": "jx-002"},
            {"at": 20, "type": "short_reply", "station": "xg-002", "probability": 0.5},
            {"at": 20, "type": "leak", "station": "jx-002", "flow_m3h": 2.0},
            {"at": 30, "type": "comm_clear", "district": "xigong"},
            {"at": 40, "type": "bad_reply", "station": "xg-001", "mode": "tid_zero"},
            {"at": 40, "type": "wrong_device", "station": "jx-002", "as": "xg-002"},
        ]
    )
    physics = StaticPhysics(small_network)
    sim = Simulator(small_network, speed=60.0, scenario=scenario, physics=physics)
    sim.build()
    sim.tick(5.0)
    assert sim.faults.active() == {}
    sim.tick(10.0)
    assert sim.faults.get("jx-001").offline
    assert sim.faults["jx-001"]._until  # 10 simulated min = 10 wall s at speed 60
    assert sim.faults.get("xg-001").latency_ms == 50 and sim.faults.get("xg-002").latency_ms == 50
    assert sim.faults.get("jx-002").latency_ms == 0
    sim.tick(10.0)
    assert sim.faults.get("jx-002").heartbeat_freeze
    assert sim.faults.get("xg-002").short_reply == 0.5
    assert physics.events == [{"at": 20, "type": "leak", "station": "jx-002", "flow_m3h": 2.0}]
    sim.tick(10.0)
    assert set(sim.faults.active()) == {"jx-001", "jx-002"}
    sim.tick(10.0)
    assert sim.faults.get("xg-001").bad_reply == "tid_zero"
    assert sim.faults.get("jx-002").answer_as == "xg-002"


def test_subprocess_mode_serves_and_stops_cleanly() -> None:
    with SimulatorProcess(SMALL, physics="static", seed=3) as sp:
        pid = sp.pid
        host, port = sp.endpoints["xg-002"]
        assert host == "127.0.77.4"
        c = ModbusClient(host=host, port=port, timeout=5.0)
        assert c.read_holding_registers(0, 1) == [310]
        assert c.read_holding_registers(11, 1) == [240]
        c.close()
        net = sp.network_with_endpoints()
        assert net.station("xg-002").port == port
    assert sp.proc.returncode == 0  # SIGINT took the clean path
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_subprocess_config_error_is_reported(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstations: [{id: a}]\n", encoding="utf-8")
    with pytest.raises(SimulatorProcessError, match=r"bad\.yaml:2"):
        SimulatorProcess(bad).start()


def test_cli_config_error_without_traceback(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstations: 3\n", encoding="utf-8")
    assert simulate.main(["--config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "Traceback" not in err


def test_city_encode_matches_each_station_encoded_alone(small_network: NetworkDef) -> None:
    """One pass over the city serves, station by station, what encode_image of that station's
    own values gives: own word order (one station switched to ABCD), NaN as the sentinel, holes 0;
    a frozen heartbeat keeps its old words while the rest of the image moves on."""
    from drivers.codec import encode_image

    sim = Simulator(small_network, seed=0)
    sim.build()
    ph = sim.physics
    i_abcd = ph.station_ids.index("jx-002")
    ph.write(i_abcd, "float_word_order", 0)
    ph.apply_event({"type": "sensor_fault", "station": "xg-001", "sensor": "t3"})
    sim.faults.set("xg-002", heartbeat_freeze=True)
    sim.tick(30.0)
    frozen = sim.device("xg-002").image[3:5].copy()
    sim.tick(30.0)
    for i, dev in enumerate(sim.devices):
        values = ph.values(i)
        order = int(values[dev.table.word_order_index])
        assert order == (0 if i == i_abcd else 1)
        want = encode_image(dev.table, values, order, len(dev.image))
        if dev.station_id == "xg-002":
            assert np.array_equal(dev.image[3:5], frozen)
            assert (int(want[3]) << 16 | int(want[4])) == int(ph.now)  # the clock ran on
            want[3:5] = frozen
        np.testing.assert_array_equal(dev.image, want, err_msg=dev.station_id)
    t3 = sim.device("xg-001").table.index["t3_secondary_supply"]
    assert sim.device("xg-001").word(int(sim.device("xg-001").table.address[t3])) == 32767
