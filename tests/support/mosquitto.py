"""The real Mosquitto broker for tests: started on free loopback ports in a temporary directory.

Registered from tests/conftest.py (`pytest_plugins`). Use:

    def test_x(mosquitto):
        broker = mosquitto(users={"alice": ("pw", "operator"), "srv": ("pw", "server")})
        broker.host, broker.port          # plain listener, password + ACL enforced
        broker.tls_port, broker.ca_file   # TLS listener (certificate for 127.0.0.1/localhost)
        broker.url, broker.tls_url        # mqtt://127.0.0.1:PORT, mqtts://127.0.0.1:TLS_PORT
        broker.add_user("bob", "pw", "viewer")   # store + broker files + SIGHUP, waits for it
        broker.stop(); broker.start()     # outage on the same ports; retained messages kept
        broker.kill()                     # SIGKILL: only what was saved before survives

start/stop/kill/add_user block for a few ms (they wait for the broker); from an async test
that runs a server in its loop, call them as `await asyncio.to_thread(broker.stop)`.
The password and ACL files are the ones console/core/auth writes from a real UserStore
(`broker.store`). Persistence is on: a clean stop saves retained messages and QoS 1 sessions.
Every broker of a test is stopped at its end; its log is `broker.log_text()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from console.control_room.broker_process import MOSQUITTO, Mosquitto
from console.control_room.certificates import Pki
from console.core.auth.roles import Role

# Real argon2id at the lowest cost: the broker never reads these hashes (it has its own `$7$`
# ones) and the default parameters cost ~0.1-0.7 s per user on this shared machine.
FAST_ARGON2 = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="session")
def mosquitto_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki.create(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def mosquitto(
    tmp_path_factory: pytest.TempPathFactory, mosquitto_pki: Pki
) -> Iterator[Callable[..., Mosquitto]]:
    """A factory: `mosquitto(users={name: (password, role)}, start=True)` → a running broker."""
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed (Debian package: mosquitto)")
    brokers: list[Mosquitto] = []

    def make(users: dict[str, tuple[str, Role | str]] | None = None, start: bool = True):
        broker = Mosquitto(tmp_path_factory.mktemp("mosquitto"), mosquitto_pki, FAST_ARGON2)
        brokers.append(broker)
        for name, (password, role) in (users or {}).items():
            broker.store.add(name, password, role)
        broker.write_files()
        if start:
            broker.start()
        return broker

    yield make
    for broker in brokers:
        broker.stop()
