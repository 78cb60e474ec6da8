"""RemoteSession against a real Mosquitto: what a thin console keeps of the journal stream is
bounded by a count, however long it runs and however many events a cold night brings."""

from __future__ import annotations

import time

from console.core.events import JournalEvent, Kind
from console.remote import codec, topics
from console.remote.link import BrokerAddress, BrokerLink
from console.remote.session import EVENTS_KEPT, RemoteSession

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


def wait_for(cond, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end and not cond():
        time.sleep(0.02)
    return bool(cond())


def test_the_journal_stream_kept_is_bounded_by_count_newest_last(mosquitto) -> None:
    broker = mosquitto(users=USERS)
    address = BrokerAddress.parse(broker.url)
    session = RemoteSession(address, "wang", PW)
    server = BrokerLink(address, username="srv", password=PW)
    session.start()
    server.start()
    try:
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
    finally:
        server.stop()
        session.stop()
