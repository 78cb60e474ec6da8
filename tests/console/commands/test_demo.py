"""`heatconsole demo` is honest about time: its simulator runs 60x faster than the wall clock,
and the alarm timers run on the simulator's clock, so the incidents scenario's stuck valve at
xg-001 (from 5 simulated minutes; its rooms below 18 °C about 75 simulated minutes later)
raises a room alarm within two minutes of start — a bound the product promises (issue 11), not
a micro-timing. (Since the simulator's rooms cool at the published rate, xg-002's pump outage
alone comes too late for that.)

A demo-like run without the window: the simulator process over loopback TCP as `demo` starts
it, and the console service with the network `demo` hands the window.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from console.commands.demo import DEMO_CONFIG, on_simulator_clock, scenario_path
from console.core.service import ConsoleService
from drivers.simulator.process import SimulatorProcess
from station_config.loader import load_network

FIRST_ROOM_ALARM_S = 120.0


def _room_alarms(journal: Path) -> list[tuple[float, str]]:
    if not journal.exists():
        return []
    try:
        with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
            return db.execute(
                "SELECT time, alarm FROM events WHERE kind = 'alarm' AND state = 'UNACK' "
                "AND alarm LIKE '%/room_temp[%]/room_low' ORDER BY time"
            ).fetchall()
    except sqlite3.Error:  # the writer is creating the file
        return []


@pytest.mark.timeout(FIRST_ROOM_ALARM_S + 90)
async def test_demo_raises_a_room_alarm_within_two_minutes(tmp_path: Path) -> None:
    start = time.time()
    net = load_network(DEMO_CONFIG)
    sim = SimulatorProcess(DEMO_CONFIG, speed=60.0, scenario=scenario_path("incidents"), port=0)
    sim.start()
    try:
        demo_net = on_simulator_clock(sim.network_with_endpoints(net), 60.0, time.time())
        assert demo_net.alarms.process_clock.scale == 60.0
        journal = tmp_path / "demo-journal.sqlite"
        service = ConsoleService(demo_net, journal_path=journal, history_path=False)
        await service.start()
        try:
            while not _room_alarms(journal) and time.time() - start < FIRST_ROOM_ALARM_S:
                await asyncio.sleep(1.0)
        finally:
            await service.stop()
    finally:
        sim.stop()
    alarms = _room_alarms(journal)
    assert alarms, f"no room_low alarm journalled within {FIRST_ROOM_ALARM_S:g} s of start"
    first_t, key = alarms[0]
    # xg-001, whose primary valve the scenario sticks shut at 5 min (simulated).
    took = first_t - start
    assert key.startswith("xg-001/") and took <= FIRST_ROOM_ALARM_S, (key, took)
