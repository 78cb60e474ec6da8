"""BrokerLink.batch against a real Mosquitto: a batch's messages all arrive, in order, written
after one wake-up of paho's thread; publishing outside a batch is unchanged; a batch that is
nested, on a link not started, or outlived by its link does no harm. The keepalive: another
thread's stall in Python does not lose the link; only a C call holding the GIL past it does."""

from __future__ import annotations

import ctypes
import ctypes.util
import subprocess
import sys
import threading
import time

import pytest

from console.control_room.broker_process import free_port
from console.remote.link import BrokerAddress, BrokerLink, LinkError, _Quiet

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator")}


def test_a_batch_arrives_whole_and_in_order(mosquitto) -> None:
    broker = mosquitto(users=USERS)
    got: list[str] = []
    done = threading.Event()

    def on_message(msg) -> None:  # type: ignore[no-untyped-def]
        got.append(msg.payload.decode())
        if msg.payload == b"last":
            done.set()

    address = BrokerAddress.parse(broker.url)
    reader = BrokerLink(address, username="wang", password=PW, on_message=on_message,
                        subscriptions=(("hc/v1/state/+", 1),))  # fmt: skip
    server = BrokerLink(address, username="srv", password=PW)
    reader.start()
    server.start()
    try:
        real = server.client._sockpairW
        with server.batch():
            assert isinstance(server.client._sockpairW, _Quiet)  # wake-ups swallowed ...
            with server.batch():  # nested: the outer one wakes paho at its end
                for i in range(300):
                    server.publish(f"hc/v1/state/s{i % 7}", str(i).encode(), qos=1)
            server.publish("hc/v1/state/x", b"last", qos=1)
        assert server.client._sockpairW is real  # ... and the real socket is back
        assert done.wait(10)
        assert got == [str(i) for i in range(300)] + ["last"]
        # Outside a batch, paho wakes per message as before.
        done.clear()
        server.publish("hc/v1/state/x", b"last", qos=1)
        assert done.wait(10)
    finally:
        server.stop()
        reader.stop()


def test_a_batch_on_a_link_not_started_or_stopped_inside(mosquitto) -> None:
    broker = mosquitto(users=USERS)
    link = BrokerLink(BrokerAddress.parse(broker.url), username="srv", password=PW)
    with link.batch():  # no network thread yet: nothing to quiet
        assert link.client._sockpairW is None
    link.start()
    with link.batch():
        link.publish("hc/v1/state/a", b"1")
        link.stop()  # paho closes its sockets: the batch's end must not resurrect them
    assert not isinstance(link.client._sockpairW, _Quiet)


# Another process publishes a stream of state messages (as a server does) until it is stopped:
# the reader's paho thread has packets to handle throughout the stall.
STREAM = r"""
import sys, time
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
c = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
c.username_pw_set("srv", sys.argv[3])
c.connect(sys.argv[1], int(sys.argv[2]))
c.loop_start()
print("up", flush=True)
i = 0
while True:
    c.publish(f"hc/v1/state/s{i % 50}", bytes(800), qos=0)
    i += 1
    time.sleep(0.005)
"""


def _stalled_reader(mosquitto, stall) -> list[bool]:  # type: ignore[no-untyped-def]
    """A reader with a 1-s keepalive while the calling thread runs `stall`: its link's changes
    after it first came up."""
    broker = mosquitto(users=USERS)
    changes: list[bool] = []
    got = threading.Event()
    reader = BrokerLink(
        BrokerAddress.parse(broker.url), username="wang", password=PW, keepalive=1,
        on_message=lambda _m: got.set(), on_state=lambda up, _r: changes.append(up),
        subscriptions=(("hc/v1/state/+", 0),),
    )  # fmt: skip
    reader.start()
    pub = subprocess.Popen(
        [sys.executable, "-c", STREAM, broker.host, str(broker.port), PW],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert pub.stdout is not None and pub.stdout.readline().strip() == "up"
        assert got.wait(10)
        stall()
        got.clear()
        assert got.wait(10)  # messages flow again afterwards
        time.sleep(1.5)  # a disconnect noticed late would come now
        return changes[1:]  # after the first connect; taken before stop() says False
    finally:
        pub.kill()
        pub.wait(10)
        reader.stop()


def test_a_python_stall_of_another_thread_keeps_the_link(mosquitto) -> None:
    """A GUI or session loop busy in Python for 4 keepalives (the broker drops a client silent
    for 1.5): paho's thread still gets the GIL every switch interval, pings, and stays."""

    def busy() -> None:
        end = time.monotonic() + 4.0
        n = 0
        while time.monotonic() < end:
            n += sum(range(1000))

    assert _stalled_reader(mosquitto, busy) == []


def test_a_c_call_holding_the_gil_past_the_keepalive_loses_the_link(mosquitto) -> None:
    """What it takes to lose the link: a C call that keeps the GIL for 6 keepalives (PyDLL does
    not release it), so paho's thread cannot ping. The link comes back by itself after."""
    hold = ctypes.PyDLL(ctypes.util.find_library("c") or "libc.so.6").usleep
    hold.argtypes = [ctypes.c_uint]
    changes = _stalled_reader(mosquitto, lambda: hold(6_000_000))
    assert changes[:1] == [False] and changes[-1] is True, changes


def test_a_ca_file_that_cannot_work_is_said_before_any_login(tmp_path) -> None:
    """A missing CA file, one without a certificate, or one given for a plain listener: one
    LinkError naming the file, before anything connects (it was a FileNotFoundError or an
    ssl.SSLError traceback from deep in `ssl`)."""
    tls, plain = (
        BrokerAddress.parse("mqtts://127.0.0.1:1"),
        BrokerAddress.parse("mqtt://127.0.0.1:1"),
    )
    missing = tmp_path / "missing.crt"
    with pytest.raises(LinkError, match=f"CA file {missing} does not exist"):
        tls.check_transport(str(missing))
    junk = tmp_path / "junk.crt"
    junk.write_text("not a certificate\n")
    with pytest.raises(LinkError, match=f"CA file {junk}: no CA certificate in it"):
        BrokerLink(tls, username="wang", password=PW, ca_file=str(junk))
    with pytest.raises(LinkError, match="is for a TLS listener — use mqtts://"):
        plain.check_transport(str(junk))


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("mqtt://127.0.0.1:1883", True),
        ("mqtt://[::1]:1883", True),
        ("mqtt://[::ffff:127.0.0.1]:1883", True),  # IPv4-mapped: the same loopback address
        ("mqtt://[::ffff:7f00:2]:1883", True),
        ("mqtt://localhost:1883", True),
        ("mqtt://[::ffff:10.0.0.5]:1883", False),
        ("mqtt://10.0.0.5:1883", False),
        ("mqtt://localhost.example:1883", False),
    ],
)
def test_only_this_machine_may_be_reached_in_clear(url: str, local: bool) -> None:
    """The broker link asks the one loopback rule (auth.transport.is_loopback): an
    IPv4-mapped loopback address was refused as remote."""
    address = BrokerAddress.parse(url)
    if local:
        address.check_transport()
    else:
        with pytest.raises(LinkError, match="not on this machine: use mqtts://"):
            address.check_transport()


def test_no_answer_says_why(mosquitto) -> None:
    """paho only retries; the error says what stood in the way: nothing listening, a broker
    certificate this console does not trust, a plain login sent to the TLS listener, or a
    wrong password."""
    broker = mosquitto(users=USERS)

    def refusal(url: str, password: str = PW, ca: str | None = None) -> str:
        link = BrokerLink(BrokerAddress.parse(url), username="wang", password=password, ca_file=ca)
        with pytest.raises(LinkError) as e:
            link.start(2.0)
        return str(e.value)

    closed = free_port()
    assert "cannot connect: Connection refused" in refusal(f"mqtt://127.0.0.1:{closed}")
    assert "TLS certificate is not trusted" in refusal(broker.tls_url)  # the system's CAs only
    plain_to_tls = refusal(f"mqtt://127.0.0.1:{broker.tls_port}")
    assert "no MQTT answer" in plain_to_tls and "mqtts://" in plain_to_tls
    wrong = refusal(broker.tls_url, "wrong", str(broker.ca_file))
    assert "refused the login of 'wang': wrong name or password" in wrong


def test_the_login_dialog_words_a_refused_login_and_no_broker_in_chinese(mosquitto, qapp) -> None:
    """What a Chinese dispatcher reads in the login dialog after a typo or with no broker: the
    reason in the interface language, from the link error's code (stderr keeps the English)."""
    from console.app import i18n
    from console.commands.thin_console import login_problem

    broker = mosquitto(users=USERS)

    def failure(url: str, password: str) -> LinkError:
        link = BrokerLink(BrokerAddress.parse(url), username="wang", password=password)
        with pytest.raises(LinkError) as e:
            link.start(2.0)
        return e.value

    wrong = failure(broker.url, "wrong")
    gone = failure(f"mqtt://127.0.0.1:{free_port()}", PW)
    assert wrong.code == "login_refused" and gone.code == "cannot_connect"
    assert login_problem(wrong) == str(wrong).split(" (")[0]  # English: the same words
    i18n.install(i18n.CHINESE, qapp)
    try:
        said = login_problem(wrong)
        assert "wang" in said and "密码" in said and "wrong" not in said, said
        assert "无法连接" in login_problem(gone)
    finally:
        i18n.install(i18n.ENGLISH, qapp)
