"""The MQTT topic namespace, version 1 (docs/mqtt-namespace.md is its public description).

Servers own the plant: they publish the network's description, every station's state and
alarms (retained: a console that joins mid-shift gets the whole city at once) and the journal
event stream. Consoles publish requests under their own user name only (the broker's ACL
enforces it), and read the answers under theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

ROOT = "hc/v1"


def net(partition: str) -> str:
    return f"{ROOT}/net/{partition}"


def state(station: str) -> str:
    return f"{ROOT}/state/{station}"


def alarms(station: str) -> str:
    return f"{ROOT}/alarms/{station}"


def status(partition: str) -> str:
    return f"{ROOT}/status/{partition}"


# A server's own system alarms (its journal, history or shared journal cannot write) travel as
# the alarms of a pseudo-station named after its partition: `hc/v1/alarms/server:north`. A
# station id never holds a colon (station_config/schema.py), so none can collide.
SYSTEM_PREFIX = "server:"


def system_station(partition: str) -> str:
    return f"{SYSTEM_PREFIX}{partition}"


def system_partition(station: str) -> str | None:
    """The partition whose server owns this system-alarm station; None for a real station."""
    return station[len(SYSTEM_PREFIX) :] if station.startswith(SYSTEM_PREFIX) else None


def forecast(partition: str) -> str:
    """The room forecaster's latest picture and the outdoor forecast it used (retained)."""
    return f"{ROOT}/forecast/{partition}"


def events(partition: str) -> str:
    return f"{ROOT}/events/{partition}"


def user(name: str) -> str:
    return f"{ROOT}/user/{name}"


def cmd(user: str, partition: str) -> str:
    return f"{ROOT}/cmd/{user}/{partition}"


def reply(user: str, client: str) -> str:
    return f"{ROOT}/reply/{user}/{client}"


# What a console subscribes to (its own user and reply topics are added per login).
CONSOLE_SUBSCRIPTIONS = (
    f"{ROOT}/net/+",
    f"{ROOT}/state/+",
    f"{ROOT}/alarms/+",
    f"{ROOT}/status/+",
    f"{ROOT}/events/+",
    f"{ROOT}/forecast/+",
)


def server_commands(partition: str) -> str:
    """Every user's requests to one partition's server."""
    return f"{ROOT}/cmd/+/{partition}"


@dataclass(frozen=True)
class Topic:
    """A parsed topic: its kind (net, state, …) and the names in it."""

    kind: str
    name: str  # partition, station or user
    extra: str = ""  # cmd: the partition; reply: the client id

    @classmethod
    def parse(cls, topic: str) -> Topic | None:
        parts = topic.split("/")
        if len(parts) < 4 or "/".join(parts[:2]) != ROOT:
            return None
        kind = parts[2]
        if kind in ("cmd", "reply"):
            return cls(kind, parts[3], parts[4]) if len(parts) == 5 else None
        return cls(kind, parts[3]) if len(parts) == 4 else None
