"""Qt tests of the console window run offscreen; the simulator gets its own thread and loop.

Why a thread: pytest-qt's waitUntil spins Qt's event loop on the test thread; an async simulator
fixture on pytest-asyncio's loop would be starved meanwhile. The console service has its own
loop (ServiceRunner), so every party runs independently, as in production.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from drivers.simulator.runner import Simulator
from station_config.schema import NetworkDef

T = TypeVar("T")


class ThreadedSimulator:
    """A Simulator on its own asyncio loop; `do(fn)` runs fn on that loop and returns its value
    (physics and fault state are only touched from the simulator's own thread)."""

    def __init__(self, net: NetworkDef, **sim_args: Any) -> None:
        """`sim_args`: more of Simulator's (speed, physics, forecast_dir)."""
        self.loop = asyncio.new_event_loop()
        self.sim = Simulator(net, seed=0, port=0, tick_s=0.5, **sim_args)
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.run(self.sim.start())

    def run(self, coro: Any, timeout: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def do(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        async def call() -> T:
            return fn(*args, **kw)

        return self.run(call())

    def stop(self) -> None:
        self.run(self.sim.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


@pytest.fixture
def threaded_simulator(small_network: NetworkDef) -> Iterator[ThreadedSimulator]:
    ts = ThreadedSimulator(small_network)
    try:
        yield ts
    finally:
        ts.stop()


def chill_station(
    ts: ThreadedSimulator, station: str, below: float = 17.5, max_ticks: int = 48
) -> None:
    """Stick a station's valve closed and run its physics until a room is below `below` °C."""
    sim = ts.sim
    ts.do(sim.apply_event, {"type": "valve_stuck", "station": station, "position_pct": 0})
    i = [s.id for s in sim.net.stations].index(station)
    table = sim.physics.tables[i]
    rooms = table.indices("room_temp")
    for _ in range(max_ticks):
        ts.do(sim.tick, 300.0)
        if ts.do(sim.physics.values, i)[rooms].min() < below:
            return
    raise AssertionError(f"{station} did not chill below {below} °C")


@pytest.fixture
def chill() -> Callable[..., None]:
    """`chill(threaded_simulator, station_id)`: see chill_station."""
    return chill_station


def open_console(qtbot, net: NetworkDef, tmp_path, user: str = "engineer1", wait_ms: int = 20_000):  # type: ignore[no-untyped-def]
    """A single-seat console window on `net` (journal and settings in tmp_path), shown once its
    first complete scan is in: (session, window, journal path). The caller stops the session."""
    from PySide6.QtCore import QSettings

    from console.app.launch import ConsoleSession

    journal = tmp_path / "journal.sqlite"
    session = ConsoleSession(
        net, journal_path=journal, user=user, batch_interval=0.1,
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
    )  # fmt: skip
    win = session.start()
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win._snap is not None and win._snap.status.complete, timeout=wait_ms)
    return session, win, journal
