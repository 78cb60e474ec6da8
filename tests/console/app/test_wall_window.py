"""The wall window on real services: the single seat's service polling the simulator over TCP
(a room alarm reaches the wall), and a thin console logged in as a viewer of a real control
room (Mosquitto, an acquisition server)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from console.app.launch import ConsoleSession
from console.app.main_window import MainWindow
from console.app.wall_window import WallWindow, wall_factory
from drivers.samples import Quality
from station_config.alarm_rules import AlarmConfig, RuleOverride, RulesConfig
from tests.console.app.test_thin_console import WAIT_MS, control_room, open_wall, sim  # noqa: F401

FAST_ROOMS = AlarmConfig(
    rules=RulesConfig(
        room_low=RuleOverride(on_delay_s=1.0, off_delay_s=0.0),
        room_critical=RuleOverride(on_delay_s=1.0, off_delay_s=0.0),
    )
)


def test_wall_on_the_single_seat_service(qtbot, threaded_simulator, chill, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ts = threaded_simulator
    net = ts.sim.network_with_endpoints().model_copy(update={"alarms": FAST_ROOMS})
    session = ConsoleSession(
        net,
        journal_path=tmp_path / "j.sqlite",
        batch_interval=0.1,
        window_factory=wall_factory(cycle_s=0, full_screen=False),
    )
    win = session.start()
    try:
        assert isinstance(win, WallWindow)
        qtbot.addWidget(win)
        win.show()
        drawn: list[bool] = []
        win.first_complete_scan.connect(lambda: drawn.append(True))
        qtbot.waitUntil(lambda: bool(drawn), timeout=WAIT_MS)
        m = win.display.map
        assert sorted(m.states) == sorted(s.id for s in net.stations)
        qtbot.waitUntil(lambda: m.states["jx-001"].comm == Quality.GOOD, timeout=WAIT_MS)
        shares = win.display.shares.shares
        assert {d.district for d in shares} == {s.district for s in net.stations}
        # jx-001's rooms go cold: its room alarm is on the wall's list and map, and the
        # share of its district is no longer zero.
        chill(ts, "jx-001")
        qtbot.waitUntil(
            lambda: any(r.station == "jx-001" for r in win.display.alarm_list.rows),
            timeout=WAIT_MS,
        )
        assert m.states["jx-001"].alarm is not None
        d = next(s.district for s in net.stations if s.id == "jx-001")
        qtbot.waitUntil(
            lambda: next(x for x in win.display.shares.shares if x.district == d).below > 0,
            timeout=WAIT_MS,
        )
        # Esc ends it; the bridge is detached (the session then stops the service).
        QTest.keyClick(win, Qt.Key.Key_Escape)
        assert not win.isVisible()
        assert win.bridge.on_update not in session.service.listeners
    finally:
        session.stop()
    # The factory is optional: the console window stays the default.
    assert ConsoleSession(net, journal_path=None)._window_factory is MainWindow


def test_wall_as_a_viewer_of_the_control_room(qtbot, control_room, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    broker, server, consoles = control_room
    win = open_wall(qtbot, broker, consoles, tmp_path, "vera")  # a complete scan drawn
    assert sorted(win.display.map.states) == sorted(s.id for s in server.net.stations)
    assert not win.display.link_banner.isVisible()
    broker.stop()
    qtbot.waitUntil(lambda: win.display.link_banner.isVisible(), timeout=5_000)
    assert "LINK LOST" in win.display.link_banner.text()
    broker.start()
    qtbot.waitUntil(lambda: not win.display.link_banner.isVisible(), timeout=WAIT_MS)
