"""BrokerLink.batch against a real Mosquitto: a batch's messages all arrive, in order, written
after one wake-up of paho's thread; publishing outside a batch is unchanged; a batch that is
nested, on a link not started, or outlived by its link does no harm."""

from __future__ import annotations

import threading

from console.remote.link import BrokerAddress, BrokerLink, _Quiet

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
