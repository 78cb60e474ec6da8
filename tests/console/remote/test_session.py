"""RemoteSession against a real Mosquitto: what a thin console keeps of the journal stream, and
what waits for its loop when the loop falls behind, are bounded by counts (events kept, topics),
however long it runs and however many messages a cold night brings."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from console.core.alarms.summary import AlarmView
from console.core.events import JournalEvent, Kind
from console.remote import codec, topics
from console.remote.link import BrokerAddress, BrokerLink
from console.remote.session import EVENTS_KEPT, RemoteSession
from console.vocabulary.alarms import AlarmState, Priority

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator")}


def room_events(first: int, n: int) -> list[JournalEvent]:
    return [
        JournalEvent(
            Kind.ALARM,
            f"room temperature low {i}",
            station="jx-001",
            district="north",
            point=f"room_temp[{i % 200}]",
            alarm=f"jx-001/room_temp[{i % 200}]/room_low",
        )
        for i in range(first, first + n)
    ]


@pytest.fixture
def seat(mosquitto) -> Iterator[tuple[RemoteSession, BrokerLink]]:  # type: ignore[no-untyped-def]
    """A console's session (user wang) and a server's link to the same real broker."""
    broker = mosquitto(users=USERS)
    address = BrokerAddress.parse(broker.url)
    session = RemoteSession(address, "wang", PW)
    server = BrokerLink(address, username="srv", password=PW)
    session.start()
    server.start()
    try:
        yield session, server
    finally:
        server.stop()
        session.stop()


def wait_for(cond, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end and not cond():
        time.sleep(0.02)
    return bool(cond())


def test_the_journal_stream_kept_is_bounded_by_count_newest_last(seat) -> None:
    session, server = seat
    total, per_message = 4 * EVENTS_KEPT + 7, 100
    for first in range(0, total, per_message):
        events = room_events(first, min(per_message, total - first))
        server.publish(topics.events("all"), codec.encode_events(events), qos=1)
    assert wait_for(lambda: session.events_received == total, 20)
    kept = session.call(session.take_events).result(10)
    assert len(kept) == EVENTS_KEPT  # a count, not the time the console has been running
    assert [e["message"] for e in kept] == [
        f"room temperature low {i}" for i in range(total - EVENTS_KEPT, total)
    ]
    assert session.call(session.take_events).result(10) == []  # taken: gone


def test_a_loop_that_falls_behind_applies_only_each_topics_newest_message(seat) -> None:
    session, server = seat
    stations = [f"jx-{i:03d}" for i in range(1, 6)]
    scans = 40
    blocked, release = threading.Event(), threading.Event()

    def busy() -> None:  # the loop held up, as by a long snapshot build
        blocked.set()
        release.wait(30)

    def newest_waiting() -> bool:
        with session._inbox_lock:
            lists = [codec.decode_alarms(p)[1] for p in session._inbox.values()]
        return len(lists) == len(stations) and all(len(v) == scans for v in lists)

    try:
        session.loop.call_soon_threadsafe(busy)
        assert blocked.wait(10)
        before = session.mirror.messages
        for scan in range(scans):  # every scan republishes each station's whole list
            for sid in stations:
                views = [
                    AlarmView(f"{sid}/room_temp[{i}]/room_low", sid, "north", f"room_temp[{i}]",
                              "room_low", Priority.MEDIUM, AlarmState.UNACK, True, 17.0, 18.0,
                              1000.0 + scan, 1000.0)
                    for i in range(scan + 1)
                ]  # fmt: skip
                server.publish(topics.alarms(sid), codec.encode_alarms(sid, views, None), qos=1)
        # Everything has reached the session: one list per station waits, the newest ...
        assert wait_for(newest_waiting, 20)
        assert len(session.loop._ready) < scans  # ... and the loop's queue did not grow per scan
        release.set()
        assert wait_for(lambda: session.mirror.messages - before >= len(stations), 20)
        assert session.call(lambda: session.mirror.messages).result(10) - before == len(stations)
        for sid in stations:
            assert len(session.mirror.alarms[sid]) == scans
    finally:
        release.set()
