"""The server's publisher with real parts: the simulator over Modbus TCP on loopback, a real
Mosquitto, an acquisition server and a thin-console session — what a console receives is what
the server's own service holds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from console.commands.server import roles_from
from console.remote.link import BrokerAddress
from console.remote.session import RemoteSession
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from tests.support.waiting import until

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator"), "li": (PW, "engineer")}
WAIT_S = 15.0


@pytest.fixture
async def south(mosquitto, simulator, tmp_path) -> AsyncIterator[tuple]:
    """A server for the xigong district only (its stations are not the network's first ones),
    and a factory of logged-in sessions."""
    broker = mosquitto(users=USERS)
    net = simulator.network_with_endpoints()
    srv = AcquisitionServer(
        net, Partition.parse("south=district:xigong"), BrokerAddress.parse(broker.url),
        ServerLogin("srv", PW), roles_from(broker.store),
        journal_path=tmp_path / "south.sqlite", history_path=False,
    )  # fmt: skip
    sessions: list[RemoteSession] = []

    async def session(user: str) -> RemoteSession:
        s = RemoteSession(BrokerAddress.parse(broker.url), user, PW)
        sessions.append(s)
        await asyncio.to_thread(s.start)
        assert await asyncio.to_thread(s.wait_complete, WAIT_S)
        return s

    await srv.start()
    try:
        yield srv, session
    finally:
        for s in sessions:
            await asyncio.to_thread(s.stop)
        await srv.stop()


async def test_each_station_gets_its_own_room_limits(south) -> None:
    """The limits published with a station's alarms are that station's, as the server's alarm
    engine applies them — also after one station's own limit register was changed."""
    srv, session = south
    li = await session("li")
    ids = [s.id for s in srv.service.net.stations]
    assert ids == ["xg-001", "xg-002"]
    before = dict(srv.publisher.picture.room_limits())
    assert await until(lambda: all(li.mirror.limits.get(s) == before[s] for s in ids))

    args = {"station": "xg-002", "point": "room_low_limit", "value": 12.5}
    done = await asyncio.wrap_future(li.request("write", args, "south"))
    assert done["status"] == "done"
    assert await until(lambda: li.mirror.limits.get("xg-002", (None,))[0] == pytest.approx(12.5))
    after = srv.publisher.picture.room_limits()
    assert after["xg-002"] != before["xg-002"] and after["xg-001"] == before["xg-001"]
    assert await until(lambda: all(li.mirror.limits.get(s) == after[s] for s in ids))


async def test_status_carries_the_poll_timing_of_the_partition(south) -> None:
    """Every console (and any other tool) reads from the server's status whether it keeps its
    period: its stations, the scans made, the ticks missed, the worst tick -> scan done."""
    _, session = south
    wang = await session("wang")

    def poll() -> dict:
        return (wang.mirror.partitions["south"].status or {}).get("poll") or {}

    assert await until(lambda: poll().get("stations") == 2)
    first = dict(poll())
    assert set(first) == {"stations", "scans", "overruns", "worst_s", "worst_late_s"}
    # Each status tells the worst since the one before: some window holds a scan after the
    # first (the first scan of a station has no tick of its own).
    assert await until(lambda: poll().get("worst_s", 0.0) > 0.0, 30)
    last = poll()
    assert last["scans"] > first["scans"] and last["overruns"] >= first["overruns"] >= 0
    assert 0.0 <= last["worst_late_s"] <= last["worst_s"]
