"""The Mosquitto fixture itself: restart on the same port keeps retained messages."""

from __future__ import annotations

import pytest

from tests.support.mqtt_client import ACCEPTED, MqttPeer

PW = "pw"


def test_restart_keeps_port_and_retained_messages(mosquitto):
    broker = mosquitto(users={"srv": (PW, "server"), "vera": (PW, "viewer")})
    port, tls_port = broker.port, broker.tls_port
    with MqttPeer(broker, "srv", PW) as srv:
        assert srv.publish("hc/v1/state/st-1", b"before", retain=True) in ACCEPTED
    broker.stop()
    assert not broker.running
    with pytest.raises(ConnectionRefusedError):  # really down
        MqttPeer(broker, "vera", PW).connect()
    broker.start()
    assert (broker.port, broker.tls_port) == (port, tls_port)
    with MqttPeer(broker, "vera", PW) as vera:
        vera.subscribe("hc/v1/state/+")
        msg = vera.wait_for("hc/v1/state/st-1")
        assert (msg.payload, msg.retain) == (b"before", True)


def test_kill_loses_what_was_not_saved(mosquitto):
    broker = mosquitto(users={"srv": (PW, "server"), "vera": (PW, "viewer")})
    with MqttPeer(broker, "srv", PW) as srv:
        assert srv.publish("hc/v1/state/st-1", b"saved", retain=True) in ACCEPTED
    broker.restart()  # a clean stop saves
    with MqttPeer(broker, "srv", PW) as srv:
        assert srv.publish("hc/v1/state/st-1", b"unsaved", retain=True) in ACCEPTED
    broker.kill()
    broker.start()
    with MqttPeer(broker, "vera", PW) as vera:
        vera.subscribe("hc/v1/state/+")
        assert vera.wait_for("hc/v1/state/st-1").payload == b"saved"


def test_users_added_while_running(mosquitto):
    broker = mosquitto()
    assert MqttPeer(broker, "late", PW).connect() != 0
    broker.add_user("late", PW, "viewer")
    with MqttPeer(broker, "late", PW):
        pass
