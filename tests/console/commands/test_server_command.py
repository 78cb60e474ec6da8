"""`heatconsole server` as the control room runs it: a real process next to a real Mosquitto and
the simulator in its own process — a wrong password said in one line, SIGTERM a clean stop, and
kill -9 followed by a restart that does not announce again what the operators handled."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.control_room.broker_process import free_port
from console.core.auth.users import UserStore
from console.core.events import AlarmState
from console.remote.link import BrokerAddress
from console.remote.session import RemoteSession
from drivers.simulator.process import SimulatorProcess
from tests.support.mosquitto import FAST_ARGON2

ROOT = Path(__file__).resolve().parents[3]
SMALL = ROOT / "tests" / "fixtures" / "small_network.yaml"
PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator")}
FAST = """
alarms:
  rules:
    room_low: {on_delay_s: 1, off_delay_s: 0}
    room_critical: {on_delay_s: 1, off_delay_s: 0}
"""
CHILL = """name: chill jx-001
description: its primary valve shut from the start
events:
  - {at: 0s, type: valve_stuck, station: jx-001, position_pct: 0}
"""


def network_file(tmp: Path) -> Path:
    """The small network on a free port, templates by absolute path, quick room alarms."""
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace("../../station_config/templates", str(ROOT / "station_config/templates"))
    text = text.replace("port: 15020", f"port: {free_port('127.0.77.1')}")
    cfg = tmp / "net.yaml"
    cfg.write_text(text + FAST, encoding="utf-8")
    return cfg


def start_server(cfg: Path, broker, journal: Path, password: str = PW) -> subprocess.Popen:
    env = {**os.environ, "HEATCONSOLE_BROKER_PASSWORD": password}
    cmd = [
        sys.executable, "-m", "console.cli", "server", "--config", str(cfg), "--broker",
        broker.url, "--login", "srv", "--users", str(broker.store.path), "--journal",
        str(journal),
    ]  # fmt: skip
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait(cond, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return bool(cond())


def test_a_wrong_broker_password_is_one_clear_line(mosquitto, tmp_path) -> None:
    broker = mosquitto(users=USERS)
    cfg = network_file(tmp_path)
    p = start_server(cfg, broker, tmp_path / "j.sqlite", password="wrong")
    out, err = p.communicate(timeout=60)
    assert p.returncode == 1
    assert "refused" in err and "Traceback" not in err + out


def test_sigterm_stops_cleanly_and_says_offline(mosquitto, tmp_path) -> None:
    broker = mosquitto(users=USERS)
    cfg = network_file(tmp_path)
    with SimulatorProcess(cfg, port=None):
        p = start_server(cfg, broker, tmp_path / "j.sqlite")
        s = RemoteSession(BrokerAddress.parse(broker.url), "wang", PW)
        s.start()
        try:
            assert s.wait_complete(30)
            p.send_signal(signal.SIGTERM)
            _out, err = p.communicate(timeout=30)
            assert p.returncode == 0, err
            assert wait(lambda: s.mirror.lost_partitions() == ["all"], 5)
        finally:
            s.stop()
    with sqlite3.connect(tmp_path / "j.sqlite") as db:
        last = db.execute("SELECT action FROM events ORDER BY id DESC LIMIT 1").fetchone()
    assert last == ("stop",)


@pytest.mark.timeout(240)
def test_kill_9_and_restart_announces_nothing_handled(mosquitto, tmp_path) -> None:
    broker = mosquitto(users=USERS)
    cfg = network_file(tmp_path)
    scen = tmp_path / "chill.yaml"
    scen.write_text(CHILL, encoding="utf-8")
    journal = tmp_path / "server.sqlite"
    with SimulatorProcess(cfg, port=None, speed=600, scenario=scen):
        server = start_server(cfg, broker, journal)
        s = RemoteSession(BrokerAddress.parse(broker.url), "wang", PW)
        s.start()
        try:

            def cold() -> list:
                return [a for a in s.mirror.alarms.get("jx-001", ()) if a.rule == "room_low"]

            assert wait(lambda: len(cold()) >= 2, 90), "rooms of jx-001 cold"
            keys = [a.key for a in cold()]
            s.request("acknowledge", {"keys": keys}, "all").result(10)

            def acked_in_journal() -> int:
                with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
                    q = "SELECT count(*) FROM events WHERE action = 'ack'"
                    return db.execute(q).fetchone()[0]

            assert wait(lambda: acked_in_journal() >= len(keys), 10)
            server.send_signal(signal.SIGKILL)
            server.wait(10)
            assert wait(lambda: s.mirror.lost_partitions() == ["all"], 10)  # its last will

            again = start_server(cfg, broker, journal)
            try:
                assert wait(lambda: not s.mirror.lost_partitions() and not s.mirror.stale, 60)
                time.sleep(2.0)  # several scans of the restarted server
                mine = {a.key: a.state for a in s.mirror.alarms.get("jx-001", ())}
                assert all(mine.get(k) in (AlarmState.ACK, AlarmState.NORMAL, None) for k in keys)
            finally:
                again.send_signal(signal.SIGTERM)
                again.communicate(timeout=30)
        finally:
            s.stop()
    with sqlite3.connect(journal) as db:
        raised = dict(
            db.execute(
                "SELECT alarm, count(*) FROM events WHERE kind = 'alarm' AND state = 'UNACK' "
                "GROUP BY alarm"
            ).fetchall()
        )
        restored = db.execute("SELECT count(*) FROM events WHERE action = 'restore'").fetchone()
    assert all(raised[k] == 1 for k in keys), {k: raised.get(k) for k in keys}
    assert restored[0] == 1


@pytest.mark.parametrize("where", ["folder", "unmakeable", "not a journal"])
def test_a_journal_path_that_cannot_work_is_one_line(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder given for the journal file (the server ran on without a journal), a folder
    that cannot be made (a FileNotFoundError traceback), a file that is no journal (it ran on
    with the journal failed): one line, exit 2, nothing started, the file as it was."""
    monkeypatch.setenv("HEATCONSOLE_BROKER_PASSWORD", PW)
    journal = {
        "folder": tmp_path,
        "unmakeable": Path("/proc/no-such-folder/j.sqlite"),
        "not a journal": tmp_path / "shadow",
    }[where]
    if where == "not a journal":
        journal.write_text("root:$6$pepper$secret:19000::::::\n")
    before = journal.read_bytes() if journal.is_file() else None
    err = _server_refuses(tmp_path, capsys, "--journal", str(journal))
    assert f"cannot keep the journal at {journal}" in err and "pepper" not in err
    assert (journal.read_bytes() if journal.is_file() else None) == before
    assert not Path(f"{journal}-wal").exists()


def _server_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str], *more: str) -> str:
    """`heatconsole server` on the small network with a user store holding `srv` (server) and
    `wang` (operator), in this process: exit 2 and one line on stderr, which is returned."""
    from console import cli

    store = UserStore(tmp_path / "users.json", hasher=FAST_ARGON2)
    for name, (pw, role) in USERS.items():
        if store.role_of(name) is None:
            store.add(name, pw, role)
    argv = ["server", "--config", str(network_file(tmp_path)), "--users", str(store.path)]
    argv += ["--broker", f"mqtt://127.0.0.1:{free_port()}", "--login", "srv", *more]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("heatconsole server: "), err
    return err


def test_a_login_that_is_not_a_server_of_the_store_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server checks every console's role against its user store: an operator's login, a
    name the store does not hold, or a store that is not there ran a server whose plant state
    the broker dropped and whose every request was refused. Now said before the password."""
    monkeypatch.setenv("HEATCONSOLE_BROKER_PASSWORD", PW)
    err = _server_refuses(tmp_path, capsys, "--login", "wang")
    assert "'wang' is operator in" in err and "role server" in err
    err = _server_refuses(tmp_path, capsys, "--login", "nobody")
    assert f"no user 'nobody' in the user store {tmp_path / 'users.json'}" in err
    err = _server_refuses(tmp_path, capsys, "--users", str(tmp_path / "elsewhere.json"))
    assert "no user 'srv' in the user store" in err and "elsewhere.json" in err
