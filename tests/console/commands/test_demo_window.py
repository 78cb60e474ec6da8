"""The README's first command, for real: `heatconsole demo` opens an X11 window (Qt's xcb
platform on a virtual screen, not offscreen), polls the simulator it started, and a SIGTERM
closes everything cleanly — window, service, journal, and the simulator child process.

Needs Debian's xvfb and x11-utils (`.ci/run` installs them); skipped where they are absent.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xwininfo")),
    reason="needs Xvfb and xwininfo (Debian: xvfb, x11-utils)",
)

HEATCONSOLE = Path(sys.executable).with_name("heatconsole")


def _free_display() -> int:
    for n in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    pytest.skip("no free X display number")


def _wait(cond, timeout: float, step: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(step)
    return cond()


def _journal_kinds(path: Path) -> list[str]:
    if not path.exists():
        return []
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return [k for (k,) in db.execute("SELECT kind FROM events ORDER BY id")]
    except sqlite3.Error:
        return []


def test_demo_opens_a_real_window_and_closes_cleanly(tmp_path: Path) -> None:
    n = _free_display()
    xvfb = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=f":{n}", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    scratch = tmp_path / "tmp"  # the run's own history goes in a temporary folder here
    scratch.mkdir()
    env["TMPDIR"] = str(scratch)
    journal = tmp_path / "demo.sqlite"
    demo = None
    try:
        assert _wait(lambda: Path(f"/tmp/.X11-unix/X{n}").exists(), 10), "Xvfb did not start"
        demo = subprocess.Popen(
            [str(HEATCONSOLE), "demo", "--journal", str(journal), "--user", "nightshift"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the simulator child shares this process group
        )

        def window_shown() -> bool:
            tree = subprocess.run(
                ["xwininfo", "-root", "-tree", "-display", f":{n}"],
                capture_output=True, text=True, check=False,
            ).stdout  # fmt: skip
            return "heatconsole demo" in tree

        assert _wait(lambda: window_shown() or demo.poll() is not None, 60), "no window"
        assert demo.poll() is None, demo.stdout.read().decode() if demo.stdout else ""
        # The window's service polls the simulator: stations report in the journal.
        assert _wait(lambda: "comm" in _journal_kinds(journal), 60)
        # The trends' store is this run's own (each run restarts the simulated city on a new
        # clock: an earlier run's history read as this run's past), never beside the journal.
        assert _wait(lambda: list(scratch.glob("heatconsole-demo-*/history.sqlite")), 30)
        assert not (tmp_path / "history.sqlite").exists()

        demo.send_signal(signal.SIGTERM)
        out, _ = demo.communicate(timeout=60)
        assert demo.returncode == 0, out.decode()
        assert "Traceback" not in out.decode()
        # Nothing of the demo is left running, the simulator child included.
        assert _wait(lambda: not _group_alive(demo.pid), 15)
        kinds = _journal_kinds(journal)
        assert kinds[0] == "system" and kinds[-1] == "system"  # started ... stopped
        assert not list(scratch.glob("heatconsole-demo-*"))  # gone with the run
    finally:
        if demo is not None and demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
        if demo is not None and _group_alive(demo.pid):
            os.killpg(demo.pid, signal.SIGKILL)
        xvfb.terminate()
        xvfb.wait(timeout=10)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
