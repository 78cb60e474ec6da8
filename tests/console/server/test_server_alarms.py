"""A server's own system alarms reach every console: a real Mosquitto, a real PostgreSQL stopped
under a running server, the simulator over Modbus TCP."""

from __future__ import annotations

import asyncio
import sqlite3

from console.commands.server import roles_from
from console.core.events import AlarmState, Priority
from console.remote.link import BrokerAddress
from console.remote.session import RemoteSession
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from console.server.server_alarms import SHARED_RULE
from tests.support.waiting import until

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator")}
STATION = "server:north"


async def test_shared_journal_outage_is_an_alarm_on_every_console(
    mosquitto, simulator, pg_journal, tmp_path
) -> None:
    broker = mosquitto(users=USERS)
    srv = AcquisitionServer(
        simulator.network_with_endpoints(), Partition.parse("north=all"),
        BrokerAddress.parse(broker.url), ServerLogin("srv", PW), roles_from(broker.store),
        journal_path=tmp_path / "north.sqlite", history_path=False, db=pg_journal.server_dsn,
    )  # fmt: skip
    wang = RemoteSession(BrokerAddress.parse(broker.url), "wang", PW)
    await srv.start()
    try:
        await asyncio.to_thread(wang.start)
        m = wang.mirror
        assert await until(lambda: "shared journal: connected" in m.journal_text())
        assert await until(lambda: STATION in m.alarms)
        assert m.alarms[STATION] == ()  # published, and nothing wrong

        await asyncio.to_thread(pg_journal.db.server.stop)
        # Something to forward, so the forwarder finds PostgreSQL gone.
        await asyncio.wrap_future(wang.request("note", {"text": "during the outage"}, "north"))

        def shared() -> list:
            return [a for a in m.alarms.get(STATION, ()) if a.rule == SHARED_RULE]

        assert await until(lambda: shared() and shared()[0].state is AlarmState.UNACK, 20)
        alarm = shared()[0]
        assert alarm.key == f"{STATION}/shared_journal/{SHARED_RULE}"
        assert alarm.priority is Priority.CRITICAL and alarm.condition
        # In the alarm list beside the stations' alarms, and the status says it in words.
        assert any(r.station == STATION for r in m.summary_rows())
        assert await until(
            lambda: "CRITICAL ALARM UNACK: shared journal cannot write" in m.journal_text()
        )

        # Acknowledged from the console under the key it sees; routed to its server.
        assert wang.partition_of(STATION) == "north"
        done = await asyncio.wrap_future(
            wang.request("acknowledge", {"keys": [alarm.key]}, "north")
        )
        assert done["acknowledged"] == 1
        assert await until(lambda: shared() and shared()[0].state is AlarmState.ACK)

        await asyncio.to_thread(pg_journal.db.server.start)
        assert await until(lambda: not shared(), 30)  # ACK -> NORMAL: off the list
        assert await until(lambda: "ALARM" not in m.journal_text())
    finally:
        await asyncio.to_thread(wang.stop)
        await srv.stop()
    with sqlite3.connect(tmp_path / "north.sqlite") as db:
        rows = db.execute(
            "SELECT kind, state, user FROM events WHERE alarm = ? ORDER BY time, id",
            (f"console/shared_journal/{SHARED_RULE}",),
        ).fetchall()
    assert rows == [
        ("alarm", "UNACK", None),
        ("operator", "ACK", "wang"),
        ("alarm", "NORMAL", None),
    ]
