"""The service end to end against the simulator over real TCP, the simulator 600 times faster
than the wall (the engine on its process clock): a 2 m³/h leak on jx-001 raises
leak_suspected, which stays active for as long as the leak lasts, is journalled with its rate and
start, and clears only after the leak has ended plus the rule's 30 min hold."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest

from console.core.service import ConsoleService
from drivers.simulator.physics import NetworkPhysics
from drivers.simulator.runner import Simulator
from station_config.alarm_rules import AlarmConfig, ProcessClock
from station_config.schema import NetworkDef

SPEED = 600.0
KEY = "jx-001/makeup_flow/leak_suspected"
HOLD_S = 1800.0  # the rule's default off-delay (process seconds)


@pytest.fixture
async def fast_simulator(small_network: NetworkDef):
    physics = NetworkPhysics(small_network, seed=0, start=time.time())
    sim = Simulator(small_network, seed=0, port=0, tick_s=0.25, speed=SPEED, physics=physics)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


async def until(cond, limit_s: float, step: float = 0.1) -> bool:
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        if cond():
            return True
        await asyncio.sleep(step)
    return cond()


async def test_leak_alarm_lasts_as_long_as_the_leak(fast_simulator, tmp_path):
    sim = fast_simulator
    origin = sim.physics.now - sim.sim_elapsed  # process time = wall time at the start
    clock = ProcessClock(scale=SPEED, origin=origin)
    net = sim.network_with_endpoints().model_copy(
        update={"alarms": AlarmConfig(process_clock=clock)}
    )
    journal = tmp_path / "journal.sqlite"
    service = ConsoleService(net, journal_path=journal, user="dispatcher1", batch_interval=0.1)
    await service.start()
    try:

        def state() -> str:
            return str(service.alarms.state(KEY))

        # Two simulated hours of normal operation (the make-up pump cycling): nothing.
        await until(lambda: sim.sim_elapsed >= 7200.0, 60.0)
        assert service.live.stations["jx-001"].scans > 10
        assert state() == "NORMAL"

        sim.apply_event({"type": "leak", "station": "jx-001", "flow_m3h": 2.0})
        onset = sim.sim_elapsed
        assert await until(lambda: state() == "UNACK", 60.0)
        assert sim.sim_elapsed - onset <= 3600.0  # within the hour (simulated)
        # Active through two simulated hours of leak, never back to normal.
        seen = set()
        while sim.sim_elapsed - onset < 3 * 3600.0:
            seen.add(state())
            await asyncio.sleep(0.05)
        assert seen == {"UNACK"}

        sim.apply_event({"type": "leak_clear", "station": "jx-001"})
        end = sim.sim_elapsed
        assert await until(lambda: state() != "UNACK", 60.0)
        cleared = sim.sim_elapsed
        assert state() == "RTN_UNACK"
        assert cleared - end >= HOLD_S - SPEED * 0.5  # the hold (a scan's slack)
        assert cleared - end <= 2.5 * 3600.0
    finally:
        await service.stop()

    with sqlite3.connect(journal) as db:
        rows = db.execute(
            "SELECT state, message, details FROM events WHERE alarm = ? ORDER BY id", (KEY,)
        ).fetchall()
    assert [r[0] for r in rows] == ["UNACK", "RTN_UNACK"]
    assert "suspected leak ≈" in rows[0][1] and "m³/h since" in rows[0][1]
    assert '"leak_m3h"' in rows[0][2] and '"leak_since"' in rows[0][2]
