"""A whole control room on one machine, for trying it: our own Mosquitto and PostgreSQL, the
simulator, one acquisition server and consoles logged in as different users.

Everything lives in one folder (a temporary one unless given) and is stopped in reverse order:
consoles, server (its journal flushed and forwarded), simulator, database, broker.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from console.control_room.broker_process import Mosquitto
from console.control_room.broker_process import missing as broker_missing
from console.control_room.certificates import Pki
from console.control_room.database_process import PgServer, unavailable_reason
from console.remote.link import BrokerAddress
from console.server.partition import Partition
from console.server.server import AcquisitionServer, Roles, ServerLogin
from station_config.schema import NetworkDef

ROOT = Path(__file__).resolve().parents[2]
# Who sits where in the trial: (login, role). The passwords are made per run and printed.
SEATS = (("dispatcher", "operator"), ("engineer", "engineer"))
WALL = ("wall", "viewer")
SERVER = ("server", "server")


class TrialError(RuntimeError):
    """Something the trial needs is missing; the message says what to install or do."""


def missing_parts(with_db: bool) -> list[str]:
    out = [m for m in (broker_missing(),) if m]
    if with_db:
        why = unavailable_reason()
        if why:
            out.append(why)
    return out


class ServerThread:
    """The acquisition server on its own asyncio loop in this process."""

    def __init__(self, server: AcquisitionServer) -> None:
        self.server = server
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(60)

    def stop(self) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(60)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


@dataclass
class Trial:
    folder: Path
    passwords: dict[str, str] = field(default_factory=dict)
    broker: Mosquitto | None = None
    database: PgServer | None = None
    server: ServerThread | None = None
    consoles: list[subprocess.Popen] = field(default_factory=list)
    db_dsn: str | None = None

    # --- start, in order ----------------------------------------------------------------
    def start_broker(self) -> Mosquitto:
        self.broker = Mosquitto(self.folder / "broker", Pki.create(self.folder / "pki"))
        for name, role in (SERVER, *SEATS, WALL):
            pw = secrets.token_urlsafe(9)
            self.passwords[name] = pw
            self.broker.store.add(name, pw, role)
        self.broker.write_files()
        self.broker.start()
        return self.broker

    def start_database(self) -> str:
        from console.core.journal.postgres import init_database

        self.database = PgServer(fsync=True)
        self.database.start()
        self.database.admin('CREATE DATABASE "heatconsole"')
        pw = secrets.token_urlsafe(12)
        init_database(
            self.database.dsn("heatconsole"), "hc_server", "hc_reader",
            server_password=pw, reader_password=pw,
        )  # fmt: skip
        self.passwords["hc_server"] = self.passwords["hc_reader"] = pw
        self.db_dsn = self.database.dsn("heatconsole", "hc_server", pw)
        return self.db_dsn

    def start_server(self, net: NetworkDef, roles: Roles) -> AcquisitionServer:
        assert self.broker is not None
        server = AcquisitionServer(
            net, Partition.parse("all"), BrokerAddress.parse(self.broker.url),
            ServerLogin(SERVER[0], self.passwords[SERVER[0]]), roles,
            journal_path=self.folder / "server-journal.sqlite", db=self.db_dsn,
        )  # fmt: skip
        self.server = ServerThread(server)
        self.server.start()
        return server

    def start_console(self, login: str, *, wall: bool = False) -> subprocess.Popen:
        assert self.broker is not None
        env = {
            **os.environ,
            "HEATCONSOLE_PASSWORD": self.passwords[login],
            # Each seat its own window settings (two windows of one user would share them).
            "XDG_CONFIG_HOME": str(self.folder / f"seat-{login}"),
        }
        cmd = [sys.executable, "-m", "console.cli", "wall" if wall else "run"]
        cmd += ["--server", self.broker.url, "--login", login]
        p = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        self.consoles.append(p)
        return p

    # --- stop, in reverse ---------------------------------------------------------------
    def stop(self) -> None:
        for p in self.consoles:
            if p.poll() is None:
                p.terminate()
        for p in self.consoles:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if self.server is not None:
            self.server.stop()
        if self.database is not None:
            self.database.close()
        if self.broker is not None:
            self.broker.stop()


def trial_folder(given: str | None) -> tuple[Path, bool]:
    """(folder, remove it at the end)."""
    if given:
        p = Path(given).expanduser()
        p.mkdir(parents=True, exist_ok=True)
        return p, False
    return Path(tempfile.mkdtemp(prefix="heatconsole-control-room-")), True


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def wait_any_exit(procs: list[subprocess.Popen], stop: threading.Event) -> None:
    """Until every console window is closed, or a stop signal."""
    while not stop.is_set() and any(p.poll() is None for p in procs):
        time.sleep(0.2)
