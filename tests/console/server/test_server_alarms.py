"""A server's own system alarms reach every console: a real Mosquitto, a real PostgreSQL stopped
under a running server, the simulator over Modbus TCP."""

from __future__ import annotations

import asyncio
import sqlite3

from console.core.events import AlarmState, Priority
from console.server.server_alarms import SHARED_RULE
from tests.support.waiting import until

STATION = "server:north"


async def test_shared_journal_outage_is_an_alarm_on_every_console(shared_journal_room) -> None:
    room = shared_journal_room
    wang = await room.console()
    m = wang.mirror
    assert await until(lambda: "shared journal: connected" in m.journal_text())
    assert await until(lambda: STATION in m.alarms)
    assert m.alarms[STATION] == ()  # published, and nothing wrong

    await room.outage(wang)  # PostgreSQL stops, with something to forward

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
    done = await asyncio.wrap_future(wang.request("acknowledge", {"keys": [alarm.key]}, "north"))
    assert done["acknowledged"] == 1
    assert await until(lambda: shared() and shared()[0].state is AlarmState.ACK)

    await room.recover()
    assert await until(lambda: not shared(), 30)  # ACK -> NORMAL: off the list
    assert await until(lambda: "ALARM" not in m.journal_text())
    await room.stop()  # the server's journal closed: every event committed
    with sqlite3.connect(room.server.journal_path) as db:
        rows = db.execute(
            "SELECT kind, state, user FROM events WHERE alarm = ? ORDER BY time, id",
            (f"console/shared_journal/{SHARED_RULE}",),
        ).fetchall()
    assert rows == [
        ("alarm", "UNACK", None),
        ("operator", "ACK", "wang"),
        ("alarm", "NORMAL", None),
    ]
