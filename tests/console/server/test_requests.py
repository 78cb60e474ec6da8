"""The server's request handling as another MQTT v5 client sees it (console/server/requests.py),
against a real Mosquitto and a server polling the simulator: a request delivered twice with
the same correlation data is executed once and answered twice with the same outcome (at most
once); a request that is not JSON, has no verb, or asks for replies under another user's name
is answered with the reason or not at all — and executes nothing."""

from __future__ import annotations

import json
import queue
import sqlite3
import time
import uuid
from collections.abc import Iterator

import pytest

from console.commands.server import roles_from
from console.control_room.trial import ServerThread
from console.remote import topics
from console.remote.link import BrokerAddress, BrokerLink, request_properties
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator"), "zhao": (PW, "operator")}


@pytest.fixture
def wang(mosquitto, simulator, tmp_path) -> Iterator[tuple]:  # type: ignore[no-untyped-def]
    """(a raw link logged in as wang with its reply topic subscribed, its replies, the server's
    journal file)."""
    broker = mosquitto(users=USERS)
    journal = tmp_path / "server.sqlite"
    server = AcquisitionServer(
        simulator.network_with_endpoints(), Partition.parse("all"),
        BrokerAddress.parse(broker.url), ServerLogin("srv", PW), roles_from(broker.store),
        journal_path=journal, history_path=False,
    )  # fmt: skip
    runner = ServerThread(server)
    runner.start()
    replies: queue.Queue = queue.Queue()
    link = BrokerLink(
        BrokerAddress.parse(broker.url), username="wang", password=PW,
        on_message=lambda m: replies.put((m.properties.CorrelationData, json.loads(m.payload))),
        subscriptions=((topics.reply("wang", "raw"), 1),),
    )  # fmt: skip
    link.start()
    try:
        yield link, replies, journal
    finally:
        link.stop()
        runner.stop()


def send(link: BrokerLink, payload: bytes, corr: bytes, reply_to: str | None = None) -> None:
    link.publish(
        topics.cmd("wang", "all"), payload, qos=0,
        properties=request_properties(reply_to or topics.reply("wang", "raw"), corr),
    )  # fmt: skip


def notes(journal, at_least: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The notes in the server's journal once it has committed `at_least` of them."""
    end = time.monotonic() + 15
    rows: list[str] = []
    while time.monotonic() < end:
        try:
            with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
                q = "SELECT comment FROM events WHERE action = 'note' ORDER BY id"
                rows = [r[0] for r in db.execute(q)]
        except sqlite3.OperationalError:  # not created yet
            rows = []
        if len(rows) >= at_least:
            break
        time.sleep(0.1)
    return rows


def test_a_duplicate_delivery_is_answered_not_executed_again(wang) -> None:
    link, replies, journal = wang
    corr = uuid.uuid4().bytes
    note = json.dumps({"verb": "note", "args": {"text": "pump 2 checked"}}).encode()
    send(link, note, corr)
    first = replies.get(timeout=15)
    send(link, note, corr)  # the same request again (a client library's retry, a bridge)
    again = replies.get(timeout=15)
    assert first[0] == again[0] == corr
    assert first[1]["ok"] and again[1] == first[1]  # the first outcome, the same note id
    send(link, note, uuid.uuid4().bytes)  # a new request with the same words is a new note
    assert replies.get(timeout=15)[1]["ok"]
    last = json.dumps({"verb": "note", "args": {"text": "last"}}).encode()
    send(link, last, uuid.uuid4().bytes)
    assert replies.get(timeout=15)[1]["ok"]
    assert notes(journal, 3) == ["pump 2 checked", "pump 2 checked", "last"]


def test_malformed_requests_are_refused_with_the_reason_and_execute_nothing(wang) -> None:
    link, replies, journal = wang
    for payload, code in (
        (b"\xff not json", "bad_request"),
        (json.dumps({"args": {"text": "x"}}).encode(), "no_verb"),
        (json.dumps({"verb": "note", "args": ["x"]}).encode(), "bad_args"),
        (json.dumps({"verb": "note", "args": {"text": "  "}}).encode(), "need_text"),
    ):
        corr = uuid.uuid4().bytes
        send(link, payload, corr)
        got_corr, answer = replies.get(timeout=15)
        assert got_corr == corr and answer["ok"] is False and answer["code"] == code, answer
    # Replies asked for under another user's name: dropped, never executed.
    note = json.dumps({"verb": "note", "args": {"text": "as zhao"}}).encode()
    send(link, note, uuid.uuid4().bytes, reply_to=topics.reply("zhao", "raw"))
    last = json.dumps({"verb": "note", "args": {"text": "last"}}).encode()
    send(link, last, corr := uuid.uuid4().bytes)
    assert replies.get(timeout=15)[0] == corr  # the next request's answer, none before it
    assert notes(journal, 1) == ["last"]
