"""The thin console's window against a real control room: the simulator in its own process, a
real Mosquitto, an acquisition server on its own thread, the window offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.app.launch import RemoteConsoleSession
from console.commands.server import roles_from
from console.control_room.trial import ServerThread
from console.remote.link import BrokerAddress
from console.remote.session import RemoteSession
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from drivers.simulator.process import SimulatorProcess

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small_network.yaml"
PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator"), "vera": (PW, "viewer")}
WAIT_MS = 15_000


@pytest.fixture
def control_room(mosquitto, tmp_path) -> Iterator[tuple]:
    broker = mosquitto(users=USERS)
    sim = SimulatorProcess(SMALL, port=0)
    sim.start()
    server = AcquisitionServer(
        sim.network_with_endpoints(), Partition.parse("all"), BrokerAddress.parse(broker.url),
        ServerLogin("srv", PW), roles_from(broker.store), journal_path=tmp_path / "s.sqlite",
        history_path=False,
    )  # fmt: skip
    runner = ServerThread(server)
    runner.start()
    consoles: list[RemoteConsoleSession] = []
    try:
        yield broker, server, consoles
    finally:
        for c in consoles:
            c.stop()
        runner.stop()
        sim.stop()


def open_console(broker, consoles, user: str, settings) -> RemoteConsoleSession:
    c = RemoteConsoleSession(
        RemoteSession(BrokerAddress.parse(broker.url), user, PW), settings=settings
    )
    consoles.append(c)
    c.start()
    return c


def test_thin_console_draws_the_city_and_says_when_the_link_is_lost(
    qtbot, control_room, tmp_path
) -> None:
    from PySide6.QtCore import QSettings

    broker, server, consoles = control_room
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    c = open_console(broker, consoles, "wang", settings)
    win = c.window
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win._snap is not None and win._snap.status.complete, timeout=WAIT_MS)
    assert sorted(win._snap.states) == sorted(s.id for s in server.net.stations)
    live = {sid: s.comm for sid, s in win._snap.states.items()}
    assert "STALE" not in {q.name for q in live.values()}
    assert not win.link_banner.isVisible()
    # Nothing of a poller, alarm engine or history writer in a thin console.
    assert not hasattr(c.session, "poller") and not hasattr(c.session, "alarms")
    qtbot.waitUntil(lambda: win.doorway.role == "operator", timeout=WAIT_MS)
    assert win.doorway.why_not("acknowledge") is None
    assert "engineer" in (win.doorway.why_not("write") or "")

    broker.stop()
    qtbot.waitUntil(lambda: win.link_banner.isVisible(), timeout=5_000)  # within 5 s
    assert "LINK LOST" in win.link_banner.text()
    qtbot.waitUntil(
        lambda: all(
            s.comm.name in ("STALE", "COMM_FAIL", "NO_DATA") for s in win._snap.states.values()
        ),
        timeout=5_000,
    )
    broker.start()
    qtbot.waitUntil(lambda: not win.link_banner.isVisible(), timeout=WAIT_MS)
    # Resynchronised from the retained messages, no operator action: as live as before.
    qtbot.waitUntil(
        lambda: {sid: s.comm for sid, s in win._snap.states.items()} == live, timeout=WAIT_MS
    )


def test_a_viewer_console_may_not_act(qtbot, control_room, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    broker, _server, consoles = control_room
    settings = QSettings(str(tmp_path / "v.ini"), QSettings.Format.IniFormat)
    c = open_console(broker, consoles, "vera", settings)
    win = c.window
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.doorway.role == "viewer", timeout=WAIT_MS)
    why = win.doorway.why_not("acknowledge")
    assert why is not None and "operator" in why
    win.acknowledge(["jx-001/room_temp[0]/room_low"])
    assert "not allowed" in win.statusBar().currentMessage()
    # The window's controls follow the role it learnt from the server: disabled, why on hover.
    act = win.alarm_summary.ack_visible_action
    qtbot.waitUntil(lambda: "you are viewer" in act.toolTip(), timeout=WAIT_MS)
    assert not act.isEnabled() and not win.alarm_summary.shelve_action.isEnabled()
