"""A thin console's foresight against a real control room: the simulator in its own process, a
real Mosquitto, an acquisition server (history with twelve days of a station, a forecast folder
with a cold wave coming) on its own thread, the windows offscreen. The room forecast and its
advisory show as on a single seat; a pre-heating plan is applied as confirmed writes through
the server, which checks the role of every write."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from console.app import i18n
from console.app.launch import RemoteConsoleSession
from console.commands.server import roles_from
from console.control_room.trial import ServerThread
from console.remote.link import BrokerAddress
from console.remote.outdoor_source import PublishedForecastSource
from console.remote.session import RemoteSession
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from drivers.simulator.process import SimulatorProcess
from drivers.writes import WriteStatus
from tests.console.app.test_preheat_panel import a_plan
from tests.console.core.forecast.test_forecaster import SID
from tests.console.server.test_forecast_publisher import with_cold_wave_coming
from widgets.trend_forecast import ADVISORY_RULE

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small_network.yaml"
PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator"), "li": (PW, "engineer")}
WAIT_MS = 60_000


@pytest.fixture
def room(mosquitto, tmp_path) -> Iterator[tuple]:
    broker = mosquitto(users=USERS)
    sim = SimulatorProcess(SMALL, port=0)
    sim.start()
    net = with_cold_wave_coming(sim.network_with_endpoints(), tmp_path)
    server = AcquisitionServer(
        net, Partition.parse("all"), BrokerAddress.parse(broker.url), ServerLogin("srv", PW),
        roles_from(broker.store), journal_path=tmp_path / "s.sqlite",
        history_path=tmp_path / "history.sqlite",
    )  # fmt: skip
    runner = ServerThread(server)
    runner.start()
    consoles: list[RemoteConsoleSession] = []

    def console(user: str) -> RemoteConsoleSession:
        settings = QSettings(str(tmp_path / f"{user}.ini"), QSettings.Format.IniFormat)
        c = RemoteConsoleSession(
            RemoteSession(BrokerAddress.parse(broker.url), user, PW), settings=settings
        )
        consoles.append(c)
        c.start()
        return c

    try:
        yield console, tmp_path / "s.sqlite"
    finally:
        for c in consoles:
            c.stop()
        runner.stop()
        sim.stop()


def test_forecast_and_plan_on_a_thin_console(qtbot, room) -> None:
    console, journal = room
    li = console("li")
    win = li.window
    qtbot.addWidget(win)
    win.show()
    # The trend's forecast band and fit, and the advisory row, as a single seat shows them.
    qtbot.waitUntil(
        lambda: win._snap is not None and win._snap.forecast is not None
        and win._snap.forecast.state == "ok"
        and SID in win._snap.forecast.stations,
        timeout=WAIT_MS,
    )  # fmt: skip
    fc = win._snap.forecast.stations[SID]
    assert fc.r2 is not None and fc.samples > 0 and len(fc.t) == 48 and len(fc.coldest) == 48
    qtbot.waitUntil(
        lambda: any(r.rule == ADVISORY_RULE and r.station == SID for r in win._snap.alarms),
        timeout=WAIT_MS,
    )
    assert win._snap.forecast.stations[SID].advisory
    # "Forecast 48 h" from the advisory: the chart with the band, on the server's plant clock.
    win.open_forecast(SID)
    chart = win.trend_forecast.chart
    qtbot.waitUntil(lambda: not chart.isHidden() and chart.station == SID, timeout=WAIT_MS)
    assert win.trend.isHidden() and {f"{SID}/room_temp_min", f"{SID}/room_temp_mean"} <= set(
        win._trend_keys
    )
    _x, hi = chart.edges["coldest"][1].getData()
    assert len(chart.fc_coldest.xData) == 48 and hi is not None and len(hi) == 48
    assert win._snap.forecast.clock is not None and not win._snap.forecast.clock.accelerated
    win.trend_forecast.show_ahead(False)
    # The plan's outdoor forecast: the one the server published (no folder on this seat).
    panel = win.preheat_panel
    assert isinstance(panel.forecast, PublishedForecastSource)
    assert panel.forecast.load().usable

    # Applied as confirmed writes through the server: done, read back, journalled as li.
    qtbot.waitUntil(lambda: panel.doorway.role == "engineer", timeout=WAIT_MS)
    panel.set_plan(a_plan())
    assert panel.apply_button.isEnabled()
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    dlg = panel.dialog
    assert dlg is not None and len(dlg.list.toPlainText().splitlines()) == 3
    assert "xg-001" in dlg.refused.text()  # 12 K: outside the network file's range, not sent
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.batch is not None and panel.batch.complete, timeout=WAIT_MS)
    assert "3 of 3" in panel.status.text()
    done = {w.station: w.new for w in panel.applied}
    assert done == {"jx-001": 2.0, "jx-002": 3.5, "xg-002": 1.5}

    def writes() -> list[tuple]:
        with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
            return db.execute(
                "SELECT station, user, value FROM events WHERE action='write'"
            ).fetchall()

    qtbot.waitUntil(lambda: len(writes()) == 3, timeout=WAIT_MS)
    assert {u for _, u, _ in writes()} == {"li"}

    # An operator's console: Apply is disabled with the reason; a write sent anyway (a console
    # that does not check) is refused by the server, never reaches the device.
    wang = console("wang")
    other = wang.window
    qtbot.addWidget(other)
    p2 = other.preheat_panel
    qtbot.waitUntil(lambda: p2.doorway.role == "operator", timeout=WAIT_MS)
    p2.set_plan(a_plan())
    assert not p2.apply_button.isEnabled() and "engineer" in p2.apply_button.toolTip()
    results: list = []
    p2.doorway.bridge.action_done.connect(lambda what, r, e: results.append(r))
    p2.doorway.write("jx-001", "curve_shift", 5.0)
    qtbot.waitUntil(lambda: any(r is not None for r in results), timeout=WAIT_MS)
    r = next(r for r in results if r is not None)
    assert r.status is WriteStatus.REJECTED and "engineer" in r.message
    assert len(writes()) == 3

    # A Chinese dispatcher reads the same refusals in Chinese: the server's reason by its code.
    app = QApplication.instance()
    assert i18n.install(i18n.CHINESE, app) == i18n.CHINESE
    try:
        # LanguageChange is posted: the panel rewords its buttons when it arrives.
        qtbot.waitUntil(lambda: "需要工程师角色；您是操作员" in p2.apply_button.toolTip())
        results.clear()
        p2.doorway.write("jx-001", "curve_shift", 5.0)
        qtbot.waitUntil(lambda: any(r is not None for r in results), timeout=WAIT_MS)
        r = next(r for r in results if r is not None)
        assert r.status is WriteStatus.REJECTED and r.message == "需要工程师角色；您是操作员"
    finally:
        i18n.install("en", app)


def test_metering_on_a_thin_console(qtbot, room) -> None:
    """The energy tab's metering reads the server's ring and history through trend requests:
    every station of the city has its figures on a thin console, as on a single seat."""
    console, _journal = room
    c = console("wang")
    win = c.window
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.energy_panel)  # the season's first load when first shown
    qtbot.waitUntil(lambda: win.energy_panel.report is not None, timeout=WAIT_MS)
    report = win.energy_panel.report
    assert {s.station for s in report.stations} == {s.id for s in c.session.net.stations}
    # Figures from the server's data (a refused or unanswered read leaves them empty).
    assert any(s.figures["season"].coverage > 0 for s in report.stations)
