"""`heatconsole control-room demo` as a user runs it: a real broker, database, simulator, server
and two console windows (offscreen) come up, the consoles log in as their users, and one stop
signal takes everything down."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from console.control_room.broker_process import missing as broker_missing
from console.control_room.database_process import unavailable_reason
from tests.support.mqtt_client import MqttPeer

ROOT = Path(__file__).resolve().parents[3]
SMALL = ROOT / "tests" / "fixtures" / "small_network.yaml"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _published_forecast(out: str) -> dict:
    """The server's retained forecast message, read as the dispatcher (printed login)."""
    url = re.search(r"broker mqtt://([\d.]+):(\d+)", out)
    login = re.search(r"console: dispatcher \(\w+\), password (\S+),", out)
    assert url and login, out
    broker = SimpleNamespace(host=url[1], port=int(url[2]), tls_port=None)
    topic = "hc/v1/forecast/all"
    with MqttPeer(broker, "dispatcher", login[1]) as peer:  # type: ignore[arg-type]
        peer.subscribe(topic)
        deadline = time.monotonic() + 120  # the models fit on four simulated days first
        while topic not in peer.topics() and time.monotonic() < deadline:
            time.sleep(0.5)
        return json.loads(peer.wait_for(topic).payload)


@pytest.mark.timeout(300)
def test_control_room_demo_starts_everything_and_stops_on_sigterm(tmp_path) -> None:
    for why in (broker_missing(), unavailable_reason()):
        if why:
            pytest.skip(why)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    cmd = [sys.executable, "-m", "console.cli", "control-room", "demo", "--config", str(SMALL),
           "--scenario", "none", "--speed", "1", "--dir", str(tmp_path)]  # fmt: skip
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)  # fmt: skip
    lines: list[str] = []
    try:
        assert p.stdout is not None
        end = time.monotonic() + 150
        while time.monotonic() < end:
            line = p.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "control room running" in line:
                break
        out = "".join(lines)
        assert "control room running" in out, out
        pids = [int(x) for x in re.findall(r"pid (\d+)", out)]
        assert len(pids) == 2 and all(alive(x) for x in pids)
        log = tmp_path / "broker" / "mosquitto.log"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # both consoles logged in with their own names
            text = log.read_text(errors="replace")
            if "u'dispatcher'" in text and "u'engineer'" in text:
                break
            time.sleep(0.5)
        assert "u'dispatcher'" in text and "u'engineer'" in text
        # The shared journal as its printed reader address gives it (the server's start in it).
        db = re.search(r"read it: heatconsole log --db (\S+)", out)
        assert db, out
        shared = subprocess.run(
            [sys.executable, "-m", "console.cli", "log", "--db", db[1], "--kind", "system"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert shared.returncode == 0 and "start" in shared.stdout, shared.stdout + shared.stderr
        # The server forecasts from the simulator's forecast, as the single-seat demo does.
        assert _published_forecast(out)["state"] == "ok"
        p.send_signal(signal.SIGTERM)
        rest, _ = p.communicate(timeout=120)
    finally:
        if p.poll() is None:  # a failed check: the graceful stop ends the children too
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
    assert p.returncode == 0, out + rest
    assert "stopped" in rest and "Traceback" not in out + rest
    assert not [x for x in pids if alive(x)]
    with sqlite3.connect(tmp_path / "server-journal.sqlite") as db:
        actions = [r[0] for r in db.execute("SELECT action FROM events WHERE kind = 'system'")]
    assert actions[0] == "start" and actions[-1] == "stop"
