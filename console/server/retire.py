"""Retiring a partition: clear its retained description and status from the broker.

A server's network description and status are retained, so they outlive the server — which is
what lets a console join mid-shift, and also what keeps a partition that was re-drawn (say
`all` split into `north` and `south`) announced forever: every console then reports it lost.
`heatconsole server --retire NAME` clears both (an empty retained message deletes one); the
consoles drop the partition and keep the stations a live server describes. A partition whose
server is online is never retired.
"""

from __future__ import annotations

import threading

import paho.mqtt.client as mqtt

from console.remote import codec, topics
from console.remote.link import BrokerAddress, BrokerLink, LinkError

WAIT_RETAINED_S = 2.0  # the broker sends retained messages right after the subscription


class RetireError(Exception):
    """The partition cannot be retired (online, unknown, or the broker refused)."""


def retire_partition(
    address: BrokerAddress,
    name: str,
    *,
    login: str,
    password: str,
    ca_file: str | None = None,
    timeout: float = 10.0,
) -> None:
    seen: dict[str, bytes] = {}
    got = threading.Event()
    wanted = {topics.net(name), topics.status(name)}

    def on_message(msg: mqtt.MQTTMessage) -> None:
        if msg.topic in wanted:
            seen[msg.topic] = bytes(msg.payload)
            if seen.keys() == wanted:
                got.set()

    link = BrokerLink(
        address, username=login, password=password, ca_file=ca_file, on_message=on_message,
        subscriptions=tuple((t, 1) for t in sorted(wanted)),
    )  # fmt: skip
    try:
        link.start(timeout)
    except LinkError as e:
        raise RetireError(str(e)) from None
    try:
        got.wait(WAIT_RETAINED_S)
        if not seen.get(topics.net(name)):
            raise RetireError(f"no partition {name!r} is described on {address}")
        try:
            status = codec.loads(seen.get(topics.status(name), b""), "status")
        except codec.CodecError:
            status = {}
        if isinstance(status, dict) and status.get("online"):
            raise RetireError(f"partition {name!r} is online: stop its server first")
        # Its forecast too (retained; clearing a topic never published is harmless).
        for topic in [*sorted(wanted), topics.forecast(name)]:
            info = link.publish(topic, b"", qos=1, retain=True)
            info.wait_for_publish(timeout)
            if not info.is_published():
                raise RetireError(f"the broker did not take the clearing of {topic}")
    finally:
        link.stop()
