"""`shared_journal_room` — an acquisition server with a shared journal: a real Mosquitto, a real
PostgreSQL (the journal's forwarder feeds it), the simulator over Modbus TCP; `console()` logs a
thin console's session in, `outage()` stops PostgreSQL under the running server and gives the
forwarder something to forward, `recover()` starts it again; `stop()` stops the sessions, then
the server (by itself after the test).

`zh` — the interface in Simplified Chinese for the test (tests/widgets/test_zh_cn.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from console.commands.server import roles_from
from console.remote.link import BrokerAddress
from console.remote.session import RemoteSession
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from tests.widgets.test_zh_cn import zh  # noqa: F401  (the fixture, for this folder)

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator")}


@dataclass
class SharedJournalRoom:
    broker: Any  # tests/support/mosquitto.py Mosquitto
    server: AcquisitionServer
    pg: Any  # tests/support/postgres.py pg_journal
    sessions: list[RemoteSession] = field(default_factory=list)
    stopped: bool = False
    pg_down: bool = False  # stopped by outage(), not started again yet

    async def console(self, user: str = "wang") -> RemoteSession:
        """A started thin console's session (stopped with the room)."""
        session = RemoteSession(BrokerAddress.parse(self.broker.url), user, PW)
        self.sessions.append(session)
        await asyncio.to_thread(session.start)
        return session

    async def stop(self) -> None:
        """The sessions, then the server (once; the fixture's teardown after the test).
        PostgreSQL first comes back from an outage: a server stopping with its forwarder
        unable to reach it waits out the forwarder's timeouts (10 s)."""
        while self.sessions:
            await asyncio.to_thread(self.sessions.pop().stop)
        if not self.stopped:
            self.stopped = True
            await self.recover()
            await self.server.stop()

    async def outage(self, session: RemoteSession) -> None:
        """PostgreSQL stops; a note through `session` gives the forwarder work to fail at."""
        await asyncio.to_thread(self.pg.db.server.stop)
        self.pg_down = True
        await asyncio.wrap_future(session.request("note", {"text": "during the outage"}, "north"))

    async def recover(self) -> None:
        """PostgreSQL starts again after `outage()` (nothing if it is running)."""
        if self.pg_down:
            await asyncio.to_thread(self.pg.db.server.start)
            self.pg_down = False


@pytest.fixture
async def shared_journal_room(
    mosquitto, simulator, pg_journal, tmp_path
) -> AsyncIterator[SharedJournalRoom]:
    broker = mosquitto(users=USERS)
    srv = AcquisitionServer(
        simulator.network_with_endpoints(), Partition.parse("north=all"),
        BrokerAddress.parse(broker.url), ServerLogin("srv", PW), roles_from(broker.store),
        journal_path=tmp_path / "north.sqlite", history_path=False, db=pg_journal.server_dsn,
    )  # fmt: skip
    room = SharedJournalRoom(broker, srv, pg_journal)
    await srv.start()
    try:
        yield room
    finally:
        await room.stop()
