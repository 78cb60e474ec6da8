"""Every long-running command stops cleanly on SIGINT, SIGTERM and SIGHUP (issue 12, Stopping).

Each command runs as a real process on the small network (the simulator as a child process),
gets one signal while it works, and must exit 0 with its journal (a real SQLite file) ending in
"console stopped" and closed (no WAL left behind), and no process of its group left running
(demo's simulator child included). The window commands run offscreen.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from drivers.simulator.process import SimulatorProcess

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests/fixtures/small_network.yaml"
TEMPLATE = ROOT / "station_config/templates/substation-v1.yaml"
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def sim_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The small network pointed at one simulator child shared by this module's tests."""
    with SimulatorProcess(FIXTURE, port=0, physics="static") as sp:
        data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
        data["templates"] = [str(TEMPLATE)]
        for st in data["stations"]:
            st["host"], st["port"] = sp.endpoints[st["id"]]
        path = tmp_path_factory.mktemp("signals") / "net.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        yield path


def _wait(cond: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


def _kinds(journal: Path) -> list[str]:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{journal}?mode=ro", uri=True)) as db:
            return [k for (k,) in db.execute("SELECT kind FROM events ORDER BY time, id")]
    except sqlite3.Error:
        return []


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _start(args: list[str], tmp_path: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.update(QT_QPA_PLATFORM="offscreen", HEATCONSOLE_JOURNAL=str(tmp_path / "default.sqlite"))
    return subprocess.Popen(
        [sys.executable, "-m", "console.cli", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: the test signals it alone, finds its children
    )


def _stop(proc: subprocess.Popen[bytes], sig: signal.Signals) -> str:
    """Send `sig`, wait for the exit; the output. Exit 0 and nothing of the group left."""
    try:
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=60)
        text = out.decode(errors="replace")
        assert proc.returncode == 0, text
        assert "Traceback" not in text, text
        assert f"{sig.name} received, stopping" in text
        assert _wait(lambda: not _group_alive(proc.pid), 15), "a process of the command remains"
        return text
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.wait()


def _run_until_polling(args: list[str], journal: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    """Start the command; return once its service polls (a comm record is journalled)."""
    proc = _start([*args, "--journal", str(journal)], tmp_path)
    if not _wait(lambda: "comm" in _kinds(journal) or proc.poll() is not None, 60):
        os.killpg(proc.pid, signal.SIGKILL)
    assert proc.poll() is None, proc.communicate()[0].decode(errors="replace")
    return proc


def _assert_closed_with_stop_record(journal: Path) -> None:
    assert not Path(f"{journal}-wal").exists(), "the journal was not closed (WAL left behind)"
    with contextlib.closing(sqlite3.connect(f"file:{journal}?mode=ro", uri=True)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        last = db.execute(
            "SELECT kind, action, message FROM events ORDER BY time DESC, id DESC LIMIT 1"
        ).fetchone()
    assert last[:2] == ("system", "stop") and last[2].startswith("console stopped"), last


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
@pytest.mark.parametrize(
    "args", [["poll", "--interval", "0.2"], ["run", "--user", "nightshift"]], ids=["poll", "run"]
)
def test_console_stops_cleanly(
    args: list[str], sig: signal.Signals, sim_config: Path, tmp_path: Path
) -> None:
    """The headless poll and the window (offscreen), each while it polls."""
    journal = tmp_path / "j.sqlite"
    said = _stop(_run_until_polling([*args, "--config", str(sim_config)], journal, tmp_path), sig)
    assert f"heatconsole {args[0]}: {sig.name} received" in said  # the command, by its name
    _assert_closed_with_stop_record(journal)


def test_run_window_stops_cleanly_while_starting(sim_config: Path, tmp_path: Path) -> None:
    """A signal while the window is still being built (the service has just journalled its
    start) is not lost inside Qt: the window never enters its loop, the stop is clean."""
    journal = tmp_path / "j.sqlite"
    proc = _start(["run", "--config", str(sim_config), "--journal", str(journal)], tmp_path)
    assert _wait(lambda: bool(_kinds(journal)) or proc.poll() is not None, 60)
    _stop(proc, signal.SIGTERM)
    _assert_closed_with_stop_record(journal)


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_demo_stops_console_and_simulator_child(sig: signal.Signals, tmp_path: Path) -> None:
    journal = tmp_path / "j.sqlite"
    args = ["demo", "--config", str(FIXTURE), "--scenario", "none", "--speed", "1"]
    proc = _run_until_polling(args, journal, tmp_path)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert children, "demo started no simulator child"
    _stop(proc, sig)  # also: no process of its group, the child included, is left
    assert not any(Path(f"/proc/{c}").exists() for c in children)
    _assert_closed_with_stop_record(journal)


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_simulate_stops_cleanly(sig: signal.Signals, tmp_path: Path) -> None:
    args = ["simulate", "--config", str(FIXTURE), "--port", "0", "--bind-host", "127.0.0.1"]
    proc = _start([*args, "--physics", "static", "--json-ready"], tmp_path)
    assert proc.stdout is not None
    ready = proc.stdout.readline().decode()
    assert '"ready": true' in ready, ready
    port = int(ready.split('"jx-001": ["127.0.0.1", ')[1].split("]")[0])
    socket.create_connection(("127.0.0.1", port), timeout=5).close()  # it serves
    _stop(proc, sig)
    with pytest.raises(OSError):  # and no longer does
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


class _DeadPipe:
    """stderr whose reader is gone: every write fails as a closed pipe does."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_the_stop_happens_when_stderr_is_gone(sig: signal.Signals, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A thin console whose parent (the control-room demo) died, or whose terminal closed:
    announcing the signal fails, the stop must still run (it did not: a second signal was
    needed, which kills without the graceful path)."""
    from console.commands.signals import StopSignals

    monkeypatch.setattr(sys, "stderr", _DeadPipe())
    stopped: list[int] = []
    with StopSignals(stopped.append, announce="heatconsole run"):
        os.kill(os.getpid(), sig)
        time.sleep(0.05)  # the handler runs between bytecodes of the main thread
    assert stopped == [sig]
