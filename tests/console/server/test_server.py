"""The control room end to end, with real parts only: the simulator over Modbus TCP on loopback,
a real Mosquitto with the password and ACL files `heatconsole users` writes, an acquisition
server, and thin-console sessions logged in as different users."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from console.commands.server import roles_from
from console.core.events import AlarmState
from console.remote.link import BrokerAddress, LinkError
from console.remote.session import NoReply, RemoteSession, RequestFailed
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from drivers.samples import CommState
from station_config.alarm_rules import AlarmConfig, RuleOverride, RulesConfig
from tests.support.waiting import until

PW = "correct horse battery"
USERS = {
    "srv": (PW, "server"),
    "wang": (PW, "operator"),
    "zhao": (PW, "operator"),
    "li": (PW, "engineer"),
    "vera": (PW, "viewer"),
}
FAST_ROOMS = AlarmConfig(
    rules=RulesConfig(
        room_low=RuleOverride(on_delay_s=1.0, off_delay_s=0.0),
        room_critical=RuleOverride(on_delay_s=1.0, off_delay_s=0.0),
    )
)


@dataclass
class Room:
    broker: object
    net: object
    simulator: object
    tmp: object
    servers: list[AcquisitionServer]
    sessions: list[RemoteSession]

    def server(self, partition: str = "all", journal: str = "server.sqlite") -> AcquisitionServer:
        srv = AcquisitionServer(
            self.net, Partition.parse(partition), BrokerAddress.parse(self.broker.url),
            ServerLogin("srv", PW), roles_from(self.broker.store),
            journal_path=self.tmp / journal, history_path=False,
        )  # fmt: skip
        self.servers.append(srv)
        return srv

    def session(self, user: str, **kw) -> RemoteSession:
        s = RemoteSession(BrokerAddress.parse(self.broker.url), user, PW, **kw)
        self.sessions.append(s)
        return s


@pytest.fixture
async def room(mosquitto, simulator, tmp_path) -> AsyncIterator[Room]:
    broker = mosquitto(users=USERS)
    net = simulator.network_with_endpoints().model_copy(update={"alarms": FAST_ROOMS})
    r = Room(broker, net, simulator, tmp_path, [], [])
    try:
        yield r
    finally:
        for s in r.sessions:
            await asyncio.to_thread(s.stop)
        for srv in r.servers:
            await srv.stop()


def chill(simulator, net, sid: str = "jx-001") -> None:
    """Close a station's primary valve and run the physics until a room is below 17.5 °C."""
    simulator.apply_event({"type": "valve_stuck", "station": sid, "position_pct": 0})
    i = [s.id for s in net.stations].index(sid)
    table = simulator.physics.tables[i]
    for _ in range(48):
        simulator.tick(300.0)
        if simulator.physics.values(i)[table.indices("room_temp")].min() < 17.5:
            break


def room_alarms(session: RemoteSession, sid: str = "jx-001"):
    return [a for a in session.mirror.alarms.get(sid, ()) if a.rule == "room_low"]


async def test_console_joins_mid_shift_and_draws_the_city(room) -> None:
    srv = room.server()
    await srv.start()
    await until(lambda: all(st.scans for st in srv.service.live.stations.values()))
    wang = room.session("wang")
    await asyncio.to_thread(wang.start)
    assert await asyncio.to_thread(wang.wait_complete, 3.0), "the whole city within 3 s"
    assert sorted(wang.mirror.live.stations) == sorted(s.id for s in room.net.stations)
    assert await until(lambda: wang.role == "operator")
    # The same values the server polled (retained states), not a copy of the network file.
    mine, theirs = wang.mirror.live.stations["xg-002"], srv.service.live.stations["xg-002"]
    assert (mine.values == theirs.values).sum() > 0
    assert all(s.host == "-" for s in wang.net.stations)


@pytest.fixture
async def two_seats_chilled(room) -> tuple[AcquisitionServer, RemoteSession, RemoteSession, str]:
    """A server; seats A (wang) and B (zhao) logged in; jx-001 chilled until its room alarm is
    on both seats: (server, A, B, the alarm's key)."""
    srv = room.server()
    await srv.start()
    a, b = room.session("wang"), room.session("zhao")
    for s in (a, b):
        await asyncio.to_thread(s.start)
    chill(room.simulator, room.net)
    assert await until(lambda: room_alarms(a) and room_alarms(b), 30)
    return srv, a, b, room_alarms(a)[0].key


async def test_ack_on_seat_a_is_seen_on_seat_b_and_journalled_as_the_user(
    room, two_seats_chilled
) -> None:
    srv, a, b, key = two_seats_chilled
    assert room_alarms(b)[0].state is AlarmState.UNACK

    result = await asyncio.wrap_future(a.request("acknowledge", {"keys": [key]}, "all"))
    assert result["acknowledged"] == 1
    assert await until(
        lambda: any(x.key == key and x.state is AlarmState.ACK for x in room_alarms(b))
    )
    await srv.stop()
    with sqlite3.connect(room.tmp / "server.sqlite") as db:
        who = db.execute("SELECT user FROM events WHERE action = 'ack' AND alarm = ?", (key,))
        assert [r[0] for r in who] == ["wang"]  # the authenticated user, not the server's name


async def test_a_viewer_publishes_nothing_and_an_operator_may_not_write(room) -> None:
    srv = room.server()
    await srv.start()
    vera, wang, li = room.session("vera"), room.session("wang"), room.session("li")
    for s in (vera, wang, li):
        await asyncio.to_thread(s.start)
    assert await until(lambda: li.mirror.complete() and wang.mirror.complete())

    # The broker drops a viewer's request: no server ever sees it, so no answer comes.
    with pytest.raises(NoReply):
        await asyncio.wrap_future(vera.request("note", {"text": "hello"}, "all", timeout=2.0))
    # The server refuses an operator's setpoint write, with the reason.
    with pytest.raises(RequestFailed, match="engineer"):
        args = {"station": "xg-001", "point": "room_setpoint", "value": 20.5}
        await asyncio.wrap_future(wang.request("write", args, "all"))
    done = await asyncio.wrap_future(li.request("write", args, "all"))
    assert done["status"] == "done" and done["readback"] == pytest.approx(20.5)
    await srv.stop()
    with sqlite3.connect(room.tmp / "server.sqlite") as db:
        rows = db.execute("SELECT user, action FROM events WHERE kind = 'operator'").fetchall()
    assert ("li", "write") in rows
    assert not [r for r in rows if r[0] in ("vera", "wang")]


async def test_a_wrong_password_is_refused_at_login(room) -> None:
    s = RemoteSession(BrokerAddress.parse(room.broker.url), "wang", "wrong")
    with pytest.raises(LinkError, match="refused"):
        await asyncio.to_thread(s.start, 5.0)


async def test_broker_outage_marks_stale_then_resyncs_and_replays_nothing(room) -> None:
    srv = room.server()
    await srv.start()
    wang = room.session("wang")
    await asyncio.to_thread(wang.start)
    assert await asyncio.to_thread(wang.wait_complete, 5.0)

    room.broker.stop()
    assert await until(lambda: wang.mirror.link_problem().startswith("SERVER LINK LOST"), 5.0)
    assert await until(lambda: wang.mirror.stale == set(wang.mirror.live.stations), 1.0)
    # A request while the link is down is never sent, and never sent later.
    with pytest.raises(NoReply, match="not sent"):
        await asyncio.wrap_future(wang.request("note", {"text": "during outage"}, "all"))

    room.broker.start()
    assert await until(lambda: wang.mirror.link_problem() == "" and not wang.mirror.stale, 20)
    await asyncio.sleep(1.0)
    await srv.stop()
    with sqlite3.connect(room.tmp / "server.sqlite") as db:
        notes = db.execute("SELECT comment FROM events WHERE action = 'note'").fetchall()
    assert notes == []


async def test_a_silent_link_marks_the_city_stale_within_5_s_and_resyncs(room) -> None:
    """A link that goes quiet without closing (the broker frozen, a cable pulled: no TCP reset,
    the keepalive still minutes from noticing): the servers' 2-s status stops, and within 5 s
    every station is stale and the banner says which server is not answering; when the link
    speaks again the city is live again with no operator action."""
    srv = room.server()
    await srv.start()
    wang = room.session("wang")
    await asyncio.to_thread(wang.start)
    assert await asyncio.to_thread(wang.wait_complete, 5.0)
    assert await until(lambda: wang.mirror.link_problem() == "", 10.0)

    room.broker.proc.send_signal(signal.SIGSTOP)
    try:
        # 5 s after the last status (sent at most 2 s before the freeze), plus one 0.25-s tick.
        assert await until(lambda: wang.mirror.stale == set(wang.mirror.live.stations), 5.5)
        assert wang.mirror.link_problem() == "server of all not answering — its stations are stale"
    finally:
        room.broker.proc.send_signal(signal.SIGCONT)
    assert await until(lambda: wang.mirror.link_problem() == "" and not wang.mirror.stale, 20)


async def test_a_role_changed_by_the_admin_reaches_the_open_console(room) -> None:
    """`heatconsole users role zhao engineer` while zhao's console is open: the server checks
    the new role at once (it reads the store), and the console learns it within a status period
    (it showed the old one until the server restarted: a promoted engineer's controls stayed
    disabled)."""
    srv = room.server()
    await srv.start()
    zhao = room.session("zhao")
    await asyncio.to_thread(zhao.start)
    assert await until(lambda: zhao.role == "operator", 10.0)

    await asyncio.to_thread(room.broker.set_role, "zhao", "engineer")
    assert await until(lambda: zhao.role == "engineer", 10.0)
    args = {"station": "xg-001", "point": "room_setpoint", "value": 20.5}
    done = await asyncio.wrap_future(zhao.request("write", args, "all"))
    assert done["status"] == "done"


async def test_server_restart_does_not_re_announce_handled_alarms(room) -> None:
    srv = room.server()
    await srv.start()
    wang = room.session("wang")
    await asyncio.to_thread(wang.start)
    chill(room.simulator, room.net)
    assert await until(lambda: room_alarms(wang), 30)
    keys = [a.key for a in room_alarms(wang)]
    await asyncio.wrap_future(wang.request("acknowledge", {"keys": keys}, "all"))
    await srv.stop()

    again = room.server()
    await again.start()
    assert await until(lambda: again.service.live.stations["jx-001"].scans >= 2)
    await again.stop()
    with sqlite3.connect(room.tmp / "server.sqlite") as db:
        raised = db.execute(
            "SELECT alarm, count(*) FROM events WHERE kind = 'alarm' AND state = 'UNACK' "
            "GROUP BY alarm"
        ).fetchall()
    assert all(n == 1 for _k, n in raised), raised  # each room raised once, over two runs
    assert {k for k, _n in raised} >= set(keys)


async def test_two_partitions_are_one_city(room) -> None:
    north = room.server("north=district:jianxi", journal="north.sqlite")
    south = room.server("south=district:xigong", journal="south.sqlite")
    await north.start()
    await south.start()
    assert len(north.service.net.stations) == 2 and len(south.service.net.stations) == 2
    wang = room.session("wang")
    await asyncio.to_thread(wang.start)

    async def mirror_says(fn, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
        """Poll `fn(mirror)` on the session's loop (the mirror's owner) without blocking this
        loop (the simulator's): true as soon as it is, else what it says at `timeout`."""
        end = time.monotonic() + timeout
        while not await asyncio.wrap_future(wang.call(fn, wang.mirror)):
            if time.monotonic() > end:
                return False
            await asyncio.sleep(0.05)
        return True

    # The two servers publish independently: the mirror is complete() as soon as the stations
    # in it have a state, which on a loaded machine can be north's alone. Wait for the city.
    city = sorted(s.id for s in room.net.stations)
    assert await mirror_says(lambda m: sorted(m.live.stations) == city and m.complete())
    assert sorted(wang.mirror.partitions) == ["north", "south"]
    # Each partition's server knows its devices by their place in the whole network file.
    assert await mirror_says(
        lambda m: all(st.comm == CommState.OK for st in m.live.stations.values())
    )
    assert wang.partition_of("xg-001") == "south" and wang.partition_of("jx-002") == "north"
    # A request reaches the server that owns the station, and only that one.
    args = {"station": "xg-001", "point": "t1_primary_supply", "start": time.time() - 60}
    r = await asyncio.wrap_future(wang.request("trend_query", args, "south"))
    assert r["t"]["data"]
    with pytest.raises(RequestFailed, match="no such point on this server"):
        await asyncio.wrap_future(wang.request("trend_query", args, "north"))


async def test_tls_listener_with_the_fixture_ca(room) -> None:
    addr = BrokerAddress.parse(room.broker.tls_url)
    s = RemoteSession(addr, "wang", PW, ca_file=str(room.broker.ca_file))
    room.sessions.append(s)
    await asyncio.to_thread(s.start, 5.0)
    assert s.link.connected.is_set()
    with pytest.raises(LinkError, match="TLS"):
        BrokerAddress.parse("mqtt://192.0.2.10:1883").check_transport()


# pg_journal before room: torn down after the server (else its database goes first, under it).
async def test_the_shared_journal_gets_every_event_and_its_outage_is_visible(pg_journal, room):
    """The server's journal forwarded to PostgreSQL: a console's note arrives there under the
    authenticated user; PostgreSQL stopped meanwhile is said in the status every console sees,
    and nothing is lost when it is back."""
    import psycopg

    srv = AcquisitionServer(
        room.net, Partition.parse("all"), BrokerAddress.parse(room.broker.url),
        ServerLogin("srv", PW), roles_from(room.broker.store),
        journal_path=room.tmp / "shared.sqlite", history_path=False,
        db=pg_journal.server_dsn,
    )  # fmt: skip
    room.servers.append(srv)
    await srv.start()
    wang = room.session("wang")
    await asyncio.to_thread(wang.start)
    assert await until(lambda: "shared journal: connected" in wang.mirror.journal_text(), 10)

    def pg_notes() -> list[tuple[str, str]]:
        with psycopg.connect(pg_journal.reader_dsn) as conn:
            rows = conn.execute(
                "SELECT \"user\", comment FROM events WHERE action = 'note' ORDER BY id"
            ).fetchall()
        return [(u, c) for u, c in rows]

    await asyncio.wrap_future(wang.request("note", {"text": "first"}, "all"))
    assert await until(lambda: pg_notes() == [("wang", "first")], 10)

    await asyncio.to_thread(pg_journal.db.server.stop)
    await asyncio.wrap_future(wang.request("note", {"text": "during the outage"}, "all"))
    assert await until(lambda: "retrying" in wang.mirror.journal_text(), 15)
    await asyncio.to_thread(pg_journal.db.server.start)
    assert await until(lambda: pg_notes() == [("wang", "first"), ("wang", "during the outage")], 30)
    await srv.stop()
    with sqlite3.connect(room.tmp / "shared.sqlite") as db:
        local = db.execute("SELECT id FROM events ORDER BY id").fetchall()
    with psycopg.connect(pg_journal.reader_dsn) as conn:
        shared = conn.execute("SELECT id FROM events ORDER BY id").fetchall()
    assert [r[0] for r in shared] == [r[0] for r in local]  # every event once, in order


async def test_a_shelved_alarm_is_seen_shelved_on_another_seat(two_seats_chilled) -> None:
    _srv, a, b, key = two_seats_chilled
    args = {"keys": [key], "reason": "sensor checked on site", "duration_s": 3600}
    assert (await asyncio.wrap_future(a.request("shelve", args, "all")))["shelved"] == 1

    def shelved_on_b() -> bool:
        return any(x.key == key and x.state is AlarmState.SHELVED for x in room_alarms(b))

    assert await until(shelved_on_b)
    view = next(x for x in room_alarms(b) if x.key == key)
    assert view.shelved_by == "wang" and view.shelve_reason == "sensor checked on site"
