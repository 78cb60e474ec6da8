"""Shared fixtures for the whole test suite.

`small_network` — the NetworkDef of tests/fixtures/small_network.yaml (4 stations: jx-001 with
12 rooms, jx-002 with 200, xg-001 with 0, xg-002 with 240).

`simulator` — an in-process network simulator (drivers.simulator.runner.Simulator) over
small_network, started in the test's event loop, every station on its configured loopback host
(127.0.77.x) but an ephemeral port, stopped after the test. Use it from async tests:

    async def test_poll(simulator):
        net = simulator.network_with_endpoints()   # stations' host/port = the bound ones
        simulator.faults.set("jx-001", drop=1.0)     # in-process fault injection
        simulator.tick(5.0)                          # advance 5 simulated s now (deterministic)

Its own tick task runs every 0.5 s wall at speed 1; call `simulator.tick(dt)` for deterministic
steps. Physics is the real NetworkPhysics (seed 0).

`static_simulator` — the same over StaticPhysics (drivers/simulator/static_physics.py): every
register value is a known constant, the tick task practically never runs (tick_s 3600), and
`static_simulator.physics.fault(i, "t1_primary_supply")` makes a sensor report 0x7FFF.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from drivers.simulator.runner import Simulator
from drivers.simulator.static_physics import StaticPhysics
from station_config.loader import load_network
from station_config.schema import NetworkDef

# The real Mosquitto broker (`mosquitto`) and PostgreSQL (`pg_server`, `pg_db`, `pg_journal`)
# fixtures, see tests/support/mosquitto.py and tests/support/postgres.py.
pytest_plugins = ["tests.support.mosquitto", "tests.support.postgres"]

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL_NETWORK = FIXTURES / "small_network.yaml"
START_EPOCH = 1_700_000_000.0


@pytest.fixture(scope="session")
def small_network() -> NetworkDef:
    return load_network(SMALL_NETWORK)


@pytest.fixture
async def simulator(small_network: NetworkDef) -> AsyncIterator[Simulator]:
    sim = Simulator(small_network, seed=0, port=0, tick_s=0.5)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


@pytest.fixture
async def static_simulator(small_network: NetworkDef) -> AsyncIterator[Simulator]:
    physics = StaticPhysics(small_network, seed=0, start=START_EPOCH)
    sim = Simulator(small_network, seed=0, port=0, tick_s=3600.0, physics=physics)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()
