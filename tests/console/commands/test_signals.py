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


# --- a stop at any moment of start-up (found by audit12: the first ~1.5 s killed the default
# way, exit 143/129 or a KeyboardInterrupt traceback, before any handler was in place) --------


def _loaded(pid: int, library: str) -> bool:
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _catches_sighup(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = int(next(ln for ln in status.splitlines() if ln.startswith("SigCgt:")).split()[1], 16)
    return bool(caught >> (signal.SIGHUP - 1) & 1)


# The moments, each seen from outside: "first" — the first moment it handles a signal at all
# (SIGHUP caught: Python's start-up handles SIGINT only); "imports" — it is importing its
# command modules (numpy's core library mapped; the entry point itself imports no numpy: on
# main the handlers came only after all imports and the config); "journal" — its journal file
# exists (being checked, opened, or the service starting).
def _at_moment(moment: str, proc: subprocess.Popen[bytes], journal: Path) -> bool:
    if moment == "first":
        return _wait(lambda: _catches_sighup(proc.pid) or proc.poll() is not None, 60)
    if moment == "imports":
        return _wait(lambda: _loaded(proc.pid, "_multiarray_umath") or proc.poll() is not None, 60)
    return _wait(lambda: journal.exists() or proc.poll() is not None, 60)


def _assert_closed_or_never_opened(journal: Path) -> None:
    """Nothing opened; or opened, closed (no WAL), and if the service had journalled anything,
    the last record is its stop."""
    if not journal.exists():
        return
    assert not Path(f"{journal}-wal").exists(), "the journal was not closed (WAL left behind)"
    # immutable: a read-only connection would itself leave a WAL beside a closed journal
    with contextlib.closing(sqlite3.connect(f"file:{journal}?immutable=1", uri=True)) as db:
        recorded = db.execute("SELECT count(*) FROM events").fetchone()[0]
    if recorded:
        _assert_closed_with_stop_record(journal)


START_UP_CASES = [
    *[("poll", m, s) for m in ("first", "imports", "journal") for s in SIGNALS],
    ("run", "imports", signal.SIGTERM),
    ("run", "imports", signal.SIGHUP),
    ("run", "journal", signal.SIGINT),
    ("demo", "imports", signal.SIGHUP),
    ("demo", "journal", signal.SIGTERM),
    ("simulate", "imports", signal.SIGINT),
    ("server", "imports", signal.SIGTERM),
    ("run --server", "imports", signal.SIGHUP),
]


@pytest.mark.parametrize(
    ("command", "moment", "sig"),
    START_UP_CASES,
    ids=[f"{c.replace(' --', '-')}-{m}-{s.name}" for c, m, s in START_UP_CASES],
)
def test_a_stop_during_start_up_takes_the_graceful_path(
    command: str, moment: str, sig: signal.Signals, sim_config: Path, tmp_path: Path
) -> None:
    """Exit 0 as after a later stop, the signal named, no traceback, nothing of the command
    left running, and the journal either never opened or closed with its stop recorded."""
    journal = tmp_path / "j.sqlite"
    args = {
        "poll": ["poll", "--config", str(sim_config), "--journal", str(journal)],
        "run": ["run", "--config", str(sim_config), "--journal", str(journal)],
        "demo": ["demo", "--config", str(FIXTURE), "--scenario", "none", "--journal",
                 str(journal)],
        "simulate": ["simulate", "--config", str(FIXTURE), "--port", "0", "--bind-host",
                     "127.0.0.1", "--physics", "static"],
        "server": ["server", "--config", str(sim_config), "--broker", "mqtt://127.0.0.1:9",
                   "--users", str(tmp_path / "users.json"), "--journal", str(journal)],
        "run --server": ["run", "--server", "mqtt://127.0.0.1:9"],
    }[command]  # fmt: skip
    proc = _start(args, tmp_path)
    try:
        reached = _at_moment(moment, proc, journal)
        assert reached and proc.poll() is None, proc.communicate()[0].decode(errors="replace")
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    said = _stop(proc, sig)
    assert f"heatconsole {command.split()[0]}: {sig.name} received" in said
    _assert_closed_or_never_opened(journal)


def test_a_signal_before_the_loop_runs_keeps_the_coroutine_from_starting() -> None:
    """run_until_stopped with the signal already in (it came while asyncio made its loop): the
    command's coroutine never runs, nothing warns of a coroutine never awaited, the signal is
    returned; and a stop asked of an enclosing StopSignals is the inner one's too."""
    import warnings

    from console.commands.signals import StopRequested, StopSignals, run_until_stopped

    started: list[bool] = []

    async def main() -> int:
        started.append(True)
        return 1

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with StopSignals(lambda _: None) as outer:
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(0.05)  # the handler runs between bytecodes of the main thread
            assert outer.received == signal.SIGHUP
            assert run_until_stopped(main()) == (None, signal.SIGHUP)
            with pytest.raises(StopRequested), StopSignals():
                pass
    assert started == []


def test_run_server_stopped_while_it_connects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thin console waiting for the broker's answer (a listener on loopback that accepts and
    never answers): a stop signal ends it cleanly, its half-made session closed (it was killed
    the default way: no handler until the window was up)."""
    monkeypatch.setenv("HEATCONSOLE_PASSWORD", "pw")
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        proc = _start(["run", "--server", f"mqtt://127.0.0.1:{port}", "--login", "wang"], tmp_path)
        silent.settimeout(60)
        try:
            conn, _ = silent.accept()  # it is inside its connect now
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        with conn:
            said = _stop(proc, signal.SIGTERM)
    assert "heatconsole run: SIGTERM received" in said
