"""The server's reasons reach a Chinese console in Chinese: a real Mosquitto, the simulator over
Modbus TCP, a server answering requests. The answer carries the English text (for Node-RED,
Grafana, a log) and beside it the code and arguments the console words with Qt's translators;
the console's own "no reply — outcome unknown" is worded the same way."""

from __future__ import annotations

import concurrent.futures
import json
import threading
from collections.abc import Iterator

import paho.mqtt.client as mqtt
import pytest

from console.app.server_texts import reason_text, translated, worded
from console.commands.server import roles_from
from console.control_room.trial import ServerThread
from console.remote import topics
from console.remote.link import BrokerAddress, BrokerLink, request_properties
from console.remote.reasons import TEXTS, Reason, english
from console.remote.session import NoReply, RemoteSession, RequestFailed, refusal
from console.server.partition import Partition
from console.server.requests import Refused
from console.server.server import AcquisitionServer, ServerLogin

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator")}


@pytest.fixture
def room(mosquitto, simulator, tmp_path) -> Iterator[tuple]:  # type: ignore[no-untyped-def]
    broker = mosquitto(users=USERS)
    server = AcquisitionServer(
        simulator.network_with_endpoints(), Partition.parse("north=all"),
        BrokerAddress.parse(broker.url), ServerLogin("srv", PW), roles_from(broker.store),
        journal_path=tmp_path / "north.sqlite", history_path=False,
    )  # fmt: skip
    runner = ServerThread(server)
    runner.start()
    wang = RemoteSession(BrokerAddress.parse(broker.url), "wang", PW)
    try:
        wang.start()
        yield broker, wang
    finally:
        wang.stop()
        runner.stop()


def refused(fut: concurrent.futures.Future) -> BaseException:
    with pytest.raises((RequestFailed, NoReply)) as e:
        fut.result(15)
    return e.value


@pytest.mark.usefixtures("zh")
async def test_refusals_carry_a_code_and_reach_a_chinese_console_in_chinese(room) -> None:
    _broker, wang = room
    # Refused by the role check: engineer's verb from an operator.
    e = refused(wang.request("write", {"station": "jx-001", "point": "curve_shift",
                                       "value": 1.0}, "north"))  # fmt: skip
    assert isinstance(e, RequestFailed) and e.code == "needs_role"
    assert e.args_ == {"needed": "engineer", "role": "operator"}
    assert str(e) == "needs the engineer role; you are operator"  # for other readers
    assert reason_text(e) == "需要工程师角色；您是操作员"
    # Refused by the verb: another server's alarm, a shelve too long, a bad request.
    e = refused(wang.request("acknowledge", {"keys": ["zz-999/p3/p3_low"]}, "north"))
    assert e.code == "foreign_alarms" and reason_text(e) == "不是本服务器的报警：zz-999/p3/p3_low"
    e = refused(wang.request("shelve", {"keys": ["jx-001/p3/p3_low"], "reason": "x",
                                        "duration_s": 30 * 86400}, "north"))  # fmt: skip
    assert e.code == "shelve_duration" and reason_text(e) == "搁置时长须大于 0 秒且不超过 7 天"
    e = refused(wang.request("teleport", {}, "north"))
    assert e.code == "unknown_verb" and reason_text(e) == "未知请求“teleport”"
    # No answer at all (no server owns the partition): the console's own reason, in Chinese.
    e = refused(wang.request("note", {"text": "hello"}, "nobody", timeout=0.5))
    assert isinstance(e, NoReply) and e.code == "no_reply"
    assert reason_text(e) == "服务器无应答 — 结果未知；请先核实再重试"
    assert "no reply from the server — outcome unknown" in str(e)
    # What the window's action_done receives: the same kind of exception, worded.
    w = worded(wang.request("teleport", {}, "north")).exception(15)
    assert isinstance(w, RequestFailed) and str(w) == "未知请求“teleport”"


async def test_other_mqtt_readers_get_the_english_text_and_the_code(room) -> None:
    """A plain MQTT v5 client (as Node-RED would be) sends a request and reads the answer."""
    broker, _wang = room
    got: dict = {}
    answered = threading.Event()
    reply = topics.reply("wang", "node-red")

    def on_message(msg: mqtt.MQTTMessage) -> None:
        got.update(json.loads(msg.payload))
        answered.set()

    link = BrokerLink(
        BrokerAddress.parse(broker.url), username="wang", password=PW, client_id="node-red",
        on_message=on_message, subscriptions=((reply, 1),),
    )  # fmt: skip
    link.start(10)
    try:
        request = {"verb": "note", "args": {"text": ""}}
        link.publish(
            topics.cmd("wang", "north"), json.dumps(request).encode(), qos=0,
            properties=request_properties(reply, b"corr-1"),
        )  # fmt: skip
        assert answered.wait(15)
    finally:
        link.stop()
    assert got == {"ok": False, "error": "'text' must be a non-empty text", "code": "need_text",
                   "args": {"name": "text"}}  # fmt: skip


def test_a_text_only_answer_and_an_unknown_code_show_as_they_came(qapp) -> None:
    """An older server or another tool answers without a code; a newer server with a code this
    console does not know: the English it sent is shown, never a KeyError."""
    plain = refusal({"ok": False, "error": "busy, try later"})
    assert str(plain) == "busy, try later" and reason_text(plain) == "refused: busy, try later"
    newer = refusal({"ok": False, "error": "quota spent", "code": "quota", "args": {"n": 3}})
    assert reason_text(newer) == "quota spent" and str(translated(newer)) == "quota spent"
    assert str(refusal("not a dict")) == "refused"
    assert reason_text(ValueError("x")) == "x"


def test_every_reason_is_worded_with_its_own_fields() -> None:
    """Each template formats with the fields its code is raised with (English side)."""
    for code, template in TEXTS.items():
        fields = {
            name.split("}")[0]: "X" for name in template.split("{")[1:]
        }  # the template's {fields}
        assert "{" not in english(code, fields), code
    assert str(Refused("no_keys")) == "no alarm keys given"
    assert Reason("no_keys").doc() == {"error": "no alarm keys given", "code": "no_keys",
                                       "args": {}}  # fmt: skip
