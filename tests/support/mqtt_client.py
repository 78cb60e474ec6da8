"""A blocking MQTT v5 test client (paho-mqtt) that reports the broker's reason codes.

aiomqtt hides the PUBACK reason code; ACL tests need it (135: not authorised). Every call
waits for the broker's answer, so a test needs no sleeps:

    with MqttPeer(broker, "alice", "pw") as alice:
        assert alice.publish("hc/v1/cmd/alice/p1", b"x") == 0
"""

from __future__ import annotations

import ssl
import threading
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.reasoncodes import ReasonCode

if TYPE_CHECKING:
    from console.control_room.broker_process import Mosquitto

TIMEOUT_S = 10.0
NOT_AUTHORIZED = 135
ACCEPTED = (0, 16)  # 16: accepted, no matching subscribers
BAD_CREDENTIALS = (134, 135)  # Mosquitto answers a wrong password with 135


@dataclass(frozen=True)
class Received:
    topic: str
    payload: bytes
    retain: bool


class MqttPeer:
    def __init__(
        self,
        broker: Mosquitto,
        username: str,
        password: str,
        tls_context: ssl.SSLContext | None = None,
        host: str | None = None,
        will: tuple[str, bytes] | None = None,
    ) -> None:
        self.broker = broker
        self.host = host or broker.host
        self.port = broker.tls_port if tls_context else broker.port
        self.username = username
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"test-{username}-{id(self):x}",
            protocol=mqtt.MQTTv5,
        )
        self.client.username_pw_set(username, password)
        if tls_context is not None:
            self.client.tls_set_context(tls_context)
        if will is not None:
            self.client.will_set(will[0], will[1], qos=1, retain=True)
        self.messages: deque[Received] = deque()
        self._cond = threading.Condition()
        self._answers: dict[int, object] = {}
        self._connack: int | None = None
        self.client.on_connect = self._on_connect
        self.client.on_publish = self._on_publish
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    # paho calls these on its network thread.
    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            client.disconnect()  # or paho's loop would try again
        with self._cond:
            self._connack = reason_code.value
            self._cond.notify_all()

    def _on_publish(self, client, userdata, mid, reason_code, properties) -> None:
        with self._cond:
            self._answers[mid] = reason_code.value
            self._cond.notify_all()

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        with self._cond:
            self._answers[mid] = [rc.value for rc in reason_codes]
            self._cond.notify_all()

    def _on_message(self, client, userdata, msg) -> None:
        with self._cond:
            self.messages.append(Received(msg.topic, msg.payload, bool(msg.retain)))
            self._cond.notify_all()

    def _wait(self, ready, what: str):
        with self._cond:
            if not self._cond.wait_for(ready, TIMEOUT_S):
                raise TimeoutError(f"{self.username}: no {what} from the broker")

    def connect(self) -> int:
        """The CONNACK reason code (0: accepted). A refused client is left disconnected."""
        self.client.connect(self.host, self.port)
        self.client.loop_start()
        self._wait(lambda: self._connack is not None, "CONNACK")
        if self._connack != 0:
            self.close()
        return self._connack

    def subscribe(self, topic: str, qos: int = 1) -> list[int]:
        _, mid = self.client.subscribe(topic, qos=qos)
        self._wait(lambda: mid in self._answers, "SUBACK")
        return self._answers.pop(mid)

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> int:
        """The PUBACK reason code for QoS 1 (ACCEPTED, or 135: not authorised)."""
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        self._wait(lambda: info.mid in self._answers, "PUBACK")
        return self._answers.pop(info.mid)

    def wait_for(self, topic: str) -> Received:
        """Wait until a message on `topic` has arrived; return it."""

        def found() -> bool:
            return any(m.topic == topic for m in self.messages)

        self._wait(found, f"message on {topic}")
        return next(m for m in self.messages if m.topic == topic)

    def topics(self) -> list[str]:
        with self._cond:
            return [m.topic for m in self.messages]

    def drop_with_will(self) -> None:
        """Leave as if the link broke: DISCONNECT reason 4 asks the broker to send the will."""
        self.client.disconnect(reasoncode=ReasonCode(PacketTypes.DISCONNECT, identifier=4))
        self.client.loop_stop()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def __enter__(self) -> Self:
        rc = self.connect()
        if rc != 0:
            raise ConnectionRefusedError(f"{self.username}: CONNACK reason code {rc}")
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
