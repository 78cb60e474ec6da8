"""`heatconsole wall --config` end to end on the small network (the simulator as a child
process, the window offscreen): it starts, shows every station, and stops on SIGTERM with its
journal closed — as a real process, and in this process to look at its window."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from console import cli
from tests.console.app.test_thin_console import PW, control_room, sim  # noqa: F401  (the fixtures)
from tests.console.commands.test_signals import (  # noqa: F401  (sim_config: the fixture)
    FIXTURE,
    _assert_closed_with_stop_record,
    _run_until_polling,
    _stop,
    sim_config,
)

pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_wall_process_stops_cleanly(sig: signal.Signals, sim_config: Path, tmp_path: Path) -> None:  # noqa: F811
    journal = tmp_path / "wall.sqlite"
    args = ["wall", "--config", str(sim_config), "--cycle", "1"]
    _stop(_run_until_polling(args, journal, tmp_path), sig)
    _assert_closed_with_stop_record(journal)


@pytest.mark.parametrize("command", [["wall"], ["run", "--wall"]], ids=" ".join)
def test_wall_command_shows_the_stations(qapp, sim_config: Path, tmp_path: Path, command) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """`heatconsole wall` and `heatconsole run --wall`: the same wall window."""
    from PySide6.QtCore import QTimer

    from console.app.wall_window import WallWindow
    from station_config.loader import load_network

    net = load_network(sim_config)
    seen: dict[str, object] = {}

    def probe() -> None:
        walls = [w for w in qapp.topLevelWidgets() if isinstance(w, WallWindow)]
        w = walls[0] if walls else None
        if w is not None and w.isVisible() and w._complete_drawn:  # a complete scan drawn
            seen["stations"] = sorted(w.display.map.states)
            seen["full_screen"] = w.isFullScreen()
            seen["views"] = w.display.views()
            os.kill(os.getpid(), signal.SIGTERM)  # as a service manager stops it
            return
        QTimer.singleShot(100, probe)

    QTimer.singleShot(100, probe)
    journal = tmp_path / "wall.sqlite"
    rc = cli.main([*command, "--config", str(sim_config), "--journal", str(journal)])
    assert rc == 0
    assert seen["stations"] == sorted(s.id for s in net.stations)
    assert seen["full_screen"] is True
    assert seen["views"] == [None, *dict.fromkeys(s.district for s in net.stations)]
    _assert_closed_with_stop_record(journal)


def test_wall_needs_a_source(capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["wall"]) == 2
    assert "--config FILE or --server URL" in capsys.readouterr().err
    assert cli.main(["run", "--wall"]) == 2
    assert "heatconsole run: give --config FILE or --server URL" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["wall", "--config", "x.yaml", "--cycle", "-5"])
    assert "0 (no cycle) to 3600 seconds" in capsys.readouterr().err


def test_wall_server_logs_in_as_a_viewer(qapp, control_room, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """`heatconsole wall --server URL --login vera` (a viewer), the password from the
    environment: the control room's city on the wall; SIGTERM ends it with exit 0."""
    from PySide6.QtCore import QTimer

    from console.app.wall_window import WallWindow

    broker, server, _consoles = control_room
    monkeypatch.setenv("HEATCONSOLE_PASSWORD", PW)
    seen: dict[str, object] = {}

    def probe() -> None:
        walls = [w for w in qapp.topLevelWidgets() if isinstance(w, WallWindow)]
        w = walls[0] if walls else None
        if (
            w is not None
            and w._complete_drawn
            and w.isVisible()
            and w.doorway is not None
            and w.doorway.role == "viewer"
        ):
            seen["stations"] = sorted(w.display.map.states)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        QTimer.singleShot(100, probe)

    QTimer.singleShot(100, probe)
    rc = cli.main(["wall", "--server", broker.url, "--login", "vera", "--windowed"])
    assert rc == 0
    assert seen["stations"] == sorted(s.id for s in server.net.stations)


def test_demo_wall(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`heatconsole demo --wall`: the simulator child and the wall instead of the console;
    SIGTERM stops both, the journal closed."""
    from PySide6.QtCore import QTimer

    from console.app.wall_window import WallWindow

    seen: dict[str, object] = {}

    def probe() -> None:
        walls = [w for w in qapp.topLevelWidgets() if isinstance(w, WallWindow)]
        w = walls[0] if walls else None
        if w is not None and w.isVisible() and w._complete_drawn:
            seen["stations"] = len(w.display.map.states)
            seen["cycle_ms"] = w.display.cycle_timer.interval()
            os.kill(os.getpid(), signal.SIGTERM)
            return
        QTimer.singleShot(100, probe)

    QTimer.singleShot(100, probe)
    journal = tmp_path / "demo.sqlite"
    args = ["demo", "--config", str(FIXTURE), "--scenario", "none", "--speed", "1"]
    rc = cli.main([*args, "--wall", "--cycle", "7", "--journal", str(journal)])
    assert rc == 0
    assert seen == {"stations": 4, "cycle_ms": 7000}
    _assert_closed_with_stop_record(journal)
