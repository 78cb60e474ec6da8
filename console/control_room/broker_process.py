"""A Mosquitto broker of our own: a private directory, free loopback ports, the password and
ACL files written from a user store (as `heatconsole users` writes them), a TLS listener with a
local CA. `heatconsole control-room demo` runs one; so do the tests (tests/support/mosquitto.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.control_room.certificates import Pki
from console.core.auth.mosquitto import reload_broker, write_broker_files
from console.core.auth.roles import Role
from console.core.auth.users import UserStore

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
START_TIMEOUT_S = 10.0
# Printed by Mosquitto when it handles SIGHUP; the reload is done before its next packet.
RELOAD_LINE = "Reloading config"


def missing() -> str | None:
    """Why no broker can be started here (with what to install), or None."""
    if not Path(MOSQUITTO).exists():
        return "Mosquitto is not installed (Debian: sudo apt install mosquitto)"
    return None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class Mosquitto:
    """One broker process with its directory, ports, user store and generated files."""

    host = "127.0.0.1"

    def __init__(self, directory: Path, pki: Pki, hasher: Any = None) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.store = UserStore(directory / "users.json", hasher=hasher)
        self.ca_file = pki.ca_file
        self._cert, self._key = pki.server_cert(f"{directory.name}-broker")
        self.port = free_port()
        self.tls_port = free_port()
        self.conf = directory / "mosquitto.conf"
        self.log_file = directory / "mosquitto.log"
        self.pid_file = directory / "mosquitto.pid"
        self.proc: subprocess.Popen[bytes] | None = None
        self._started = False
        self.write_files()

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    @property
    def tls_url(self) -> str:
        return f"mqtts://{self.host}:{self.tls_port}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # -- users ---------------------------------------------------------------------------

    def add_user(self, name: str, password: str, role: Role | str, reload: bool = True) -> None:
        self.store.add(name, password, role)
        self._changed(reload)

    def set_role(self, name: str, role: Role | str, reload: bool = True) -> None:
        self.store.set_role(name, role)
        self._changed(reload)

    def remove_user(self, name: str, reload: bool = True) -> None:
        self.store.remove(name)
        self._changed(reload)

    def write_files(self) -> None:
        files = write_broker_files(self.store.list(), self.dir)
        self.conf.write_text(self._config(files.password_file, files.acl_file))

    def _changed(self, reload: bool) -> None:
        self.write_files()
        if reload and self.running:
            self.reload()

    def reload(self) -> None:
        """SIGHUP the broker (as `heatconsole users` would) and wait until it has re-read."""
        before = self.reloads()
        reload_broker(self.pid_file)
        self.wait_reloaded(before)

    def reloads(self) -> int:
        """How many times the broker has re-read its files so far."""
        return self.log_text().count(RELOAD_LINE)

    def wait_reloaded(self, before: int) -> None:
        """Wait until the broker has reloaded since `reloads()` returned `before`."""
        self._wait(lambda: self.reloads() > before, "reload")

    # -- process -------------------------------------------------------------------------

    def _config(self, password_file: Path, acl_file: Path) -> str:
        lines = [
            # As root Mosquitto would drop to the `mosquitto` user, who cannot read our 0600 files.
            "user root" if os.geteuid() == 0 else "",
            "per_listener_settings false",
            "allow_anonymous false",
            f"password_file {password_file}",
            f"acl_file {acl_file}",
            "persistence true",
            f"persistence_location {self.dir}/",
            f"log_dest file {self.log_file}",
            "log_type all",
            "connection_messages true",
            f"listener {self.port} {self.host}",
            f"listener {self.tls_port} {self.host}",
            f"cafile {self.ca_file}",
            f"certfile {self._cert}",
            f"keyfile {self._key}",
            "tls_version tlsv1.2",
        ]
        return "\n".join(line for line in lines if line) + "\n"

    def start(self) -> None:
        if self.running:
            raise RuntimeError("broker already running")
        try:
            self._launch()
        except RuntimeError:
            # Another process took a port between free_port() and the first start: new ports.
            # A restart keeps its ports (clients reconnect to the same address).
            if self._started or "Address already in use" not in self.log_text():
                raise
            self.port, self.tls_port = free_port(), free_port()
            self.write_files()
            self._launch()
        self._started = True

    def _launch(self) -> None:
        self.proc = subprocess.Popen(
            [MOSQUITTO, "-c", str(self.conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.pid_file.write_text(f"{self.proc.pid}\n")
        self._wait(
            lambda: _accepts(self.host, self.port) and _accepts(self.host, self.tls_port), "start"
        )

    def stop(self, timeout: float = 10.0) -> None:
        """Clean stop (SIGTERM): Mosquitto saves its persistence file before it exits."""
        self._end(signal.SIGTERM, timeout)

    def kill(self) -> None:
        """Crash (SIGKILL): nothing is saved."""
        self._end(signal.SIGKILL, 10.0)

    def restart(self) -> None:
        self.stop()
        self.start()

    def _end(self, sig: signal.Signals, timeout: float) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def _wait(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready():
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"mosquitto exited during {what}:\n{self.log_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"mosquitto: no {what} in {START_TIMEOUT_S} s")
            time.sleep(0.02)

    def log_text(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except FileNotFoundError:
            return ""
