"""Operator actions in the console window against the simulator (offscreen, simulator on its
own thread): setpoint writes through the runner with read-back, refusal and journal; F9 on the
station view and the banner; the journal tab's query, export and handover; cold rooms whose
alarm still waits for its on-delay; trends by drag-and-drop, room click and presets.

No modal loop anywhere: the setpoint dialog is opened with `open()` and driven by qtbot.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from console.app import main_window as mw
from console.app.launch import ConsoleSession
from console.core.events import AlarmState
from drivers.writes import WriteStatus
from station_config.alarm_rules import AlarmConfig, RuleOverride, RulesConfig
from station_config.schema import NetworkDef
from widgets.dnd import POINT_MIME
from widgets.trend_plot import PRESETS

WAIT_MS = 20_000


def rooms_config(on_delay_s: float) -> AlarmConfig:
    return AlarmConfig(
        rules=RulesConfig(
            room_low=RuleOverride(on_delay_s=on_delay_s, off_delay_s=0.0),
            room_critical=RuleOverride(on_delay_s=on_delay_s, off_delay_s=0.0),
        )
    )


def journal_rows(path: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def make_console(qtbot, threaded_simulator, tmp_path) -> Iterator:
    """make_console(room_on_delay_s) -> (session, window, journal path) on the threaded
    simulator, the first complete scan shown."""
    sessions: list[ConsoleSession] = []

    def make(room_on_delay_s: float = 1.0) -> tuple[ConsoleSession, mw.MainWindow, Path]:
        net: NetworkDef = threaded_simulator.sim.network_with_endpoints().model_copy(
            update={"alarms": rooms_config(room_on_delay_s)}
        )
        journal = tmp_path / "journal.sqlite"
        session = ConsoleSession(
            net,
            journal_path=journal,
            user="dispatcher1",
            settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
            batch_interval=0.1,
        )
        sessions.append(session)
        win = session.start()
        qtbot.addWidget(win)
        win.export_dir = tmp_path
        win.show()
        qtbot.waitUntil(
            lambda: win._snap is not None and win._snap.status.complete, timeout=WAIT_MS
        )
        return session, win, journal

    yield make
    for session in sessions:
        if session.window is not None:
            for box in session.window.findChildren(QMessageBox):
                box.close()
        session.stop()


@pytest.fixture
def console(make_console) -> tuple[ConsoleSession, mw.MainWindow, Path]:
    return make_console()


def open_station(qtbot, win: mw.MainWindow, sid: str) -> None:
    win.open_station(sid)
    qtbot.waitUntil(
        lambda: (s := win.station_view.station()) is not None and s.id == sid, timeout=WAIT_MS
    )


# --- 1. setpoint writes ----------------------------------------------------------------------


def test_setpoint_write_read_back_journalled_and_local_control_refused(
    qtbot, console, threaded_simulator
):
    _session, win, journal = console
    ts = threaded_simulator
    open_station(qtbot, win, "jx-001")
    qtbot.waitUntil(
        lambda: (
            (pv := win.station_view.points().get("room_setpoint")) is not None
            and pv.value is not None
        ),
        timeout=WAIT_MS,
    )
    old = win.station_view.points()["room_setpoint"].value
    new = 21.5 if abs(old - 21.5) > 0.05 else 21.0

    # "Change…" opens the dialog without a modal loop; the operator types and sends.
    _, _, button = win.station_view.setpoint_rows["room_setpoint"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dlg = win.setpoint_dialog
    assert dlg is not None and dlg.isVisible() and dlg.refusal is None
    dlg.set_text("30")  # out of range: the dialog refuses before anything is sent
    assert dlg.value() is None and "outside the allowed range" in dlg.validation_error()
    dlg.set_text(f"{new}")
    assert dlg.value() == new and dlg.ok_button.isEnabled()
    assert "→" in dlg.preview.text()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert win.setpoint_dialog is None  # closed; the write runs on the service loop

    qtbot.waitUntil(lambda: win.last_write is not None, timeout=WAIT_MS)
    res = win.last_write
    assert res.status == WriteStatus.DONE and res.readback == pytest.approx(new)
    text = win.write_status.text()
    assert "done, read back" in text and f"→ {new:g}" in text and f"{old:g}" in text
    assert not win.findChildren(QMessageBox)  # success is shown calmly, no popup
    # The station view shows the new value once the next scan arrives.
    qtbot.waitUntil(
        lambda: win.station_view.points()["room_setpoint"].value == pytest.approx(new),
        timeout=WAIT_MS,
    )
    # Journalled with the user, old -> new and the read-back.
    qtbot.waitUntil(
        lambda: bool(journal_rows(journal, "SELECT 1 FROM events WHERE action='write'")),
        timeout=WAIT_MS,
    )
    user, point, value, details = journal_rows(
        journal, "SELECT user, point, value, details FROM events WHERE action='write'"
    )[0]
    d = json.loads(details)
    assert (user, point, value) == ("dispatcher1", "room_setpoint", pytest.approx(new))
    assert d["old"] == pytest.approx(old) and d["readback"] == pytest.approx(new)

    # A field engineer takes local control: the dialog explains and offers no Send.
    i = [s.id for s in ts.sim.net.stations].index("jx-001")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    stale_dialog = win.setpoint_dialog  # opened while still remote
    assert stale_dialog is not None and stale_dialog.refusal is None
    ts.do(ts.sim.physics.write, i, "control_level", 0)
    ts.do(ts.sim.tick, 1.0)
    qtbot.waitUntil(lambda: win.station_view.station().local_control, timeout=WAIT_MS)
    # ... the operator sends from the dialog opened before: the service refuses, says why,
    # and journals the refusal.
    stale_dialog.set_text(f"{old:g}")
    qtbot.mouseClick(stale_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: win.last_write is not None and win.last_write.status == WriteStatus.REJECTED,
        timeout=WAIT_MS,
    )
    assert "local control" in win.write_status.text() and "NOT SENT" in win.write_status.text()
    refused = journal_rows(journal, "SELECT details FROM events WHERE action='write' ORDER BY time")
    qtbot.waitUntil(
        lambda: len(journal_rows(journal, "SELECT 1 FROM events WHERE action='write'")) == 2,
        timeout=WAIT_MS,
    )
    refused = journal_rows(journal, "SELECT details, message FROM events WHERE action='write'")
    assert any(json.loads(d)["status"] == WriteStatus.REJECTED for d, _ in refused)
    assert any("local control" in m for _, m in refused)
    for box in win.findChildren(QMessageBox):  # the refusal also popped up
        box.close()

    # A new dialog opened now refuses up front, with the reason, and cannot send.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dlg = win.setpoint_dialog
    assert dlg is not None and dlg.refusal is not None and "LOCAL control" in dlg.refusal
    assert dlg.reason_label.isVisibleTo(dlg) and not dlg.ok_button.isEnabled()
    dlg.close()


# --- 2 + 6. F9 acknowledges what was seen; the journal tab -----------------------------------


def test_f9_acknowledges_seen_alarms_and_journal_tab_query_export_handover(
    qtbot, console, threaded_simulator, chill, tmp_path
):
    session, win, journal = console
    eng = session.service.alarms
    chill(threaded_simulator, "jx-001")
    chill(threaded_simulator, "xg-002")

    def unacked(sid: str) -> list[str]:
        win.alarm_summary.flush()  # its tab is hidden: rows wait for it to be shown
        return [
            c.key
            for r in win.alarm_summary.model.rows()
            if r.station == sid
            for c in (r.children or (r,))
            if c.state == AlarmState.UNACK
        ]

    def simulated(sid: str) -> int:
        """Room alarms the simulator's room readings call for (the console lags a scan)."""
        sim = threaded_simulator.sim
        i = [s.id for s in sim.net.stations].index(sid)
        rooms = threaded_simulator.do(sim.physics.values, i)[
            sim.physics.tables[i].indices("room_temp")
        ]
        rooms = np.round(rooms, 1)
        return int((rooms < 18.0).sum() + (rooms < 16.0).sum())

    # Wait until the console has caught up: xg-002's chill cooled jx-001 further, and alarms a
    # later scan raises would not be among those F9 acknowledges below.
    qtbot.waitUntil(
        lambda: len(unacked("jx-001")) >= simulated("jx-001") and bool(unacked("xg-002")),
        timeout=WAIT_MS,
    )

    # On the station view: the station's unacknowledged alarms are listed in words; F9
    # acknowledges those (after they were on screen for SEEN_S) and nothing of xg-002.
    open_station(qtbot, win, "jx-001")
    qtbot.waitUntil(lambda: win.station_alarms.isVisible(), timeout=WAIT_MS)
    text = win.station_alarms.text()
    assert "F9" in text and re.search(r"\d+ rooms?: \d+ below 1[68] °C", text), text
    assert win.seen_keys() == []  # just appeared: not yet "seen"
    qtbot.wait(int(mw.SEEN_S * 1000) + 100)
    seen = win.seen_keys()
    assert seen and all(k.startswith("jx-001/") for k in seen)
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: all(eng.state(k) == AlarmState.ACK for k in seen), timeout=WAIT_MS)
    assert unacked("xg-002")  # another station's alarms stay unacknowledged
    qtbot.waitUntil(lambda: not win.station_alarms.isVisible(), timeout=WAIT_MS)

    # On the overview: F9 acknowledges the banner's lines.
    win.tabs.setCurrentIndex(mw.TAB_OVERVIEW)
    qtbot.waitUntil(lambda: "xg-002" in [r.station for r in win.banner.shown], timeout=WAIT_MS)
    qtbot.wait(int(mw.SEEN_S * 1000) + 100)
    banner_keys = win.seen_keys()
    assert banner_keys and all(k.startswith("xg-002/") for k in banner_keys)
    qtbot.keyClick(win, Qt.Key.Key_F9)
    qtbot.waitUntil(
        lambda: all(eng.state(k) == AlarmState.ACK for k in banner_keys), timeout=WAIT_MS
    )

    # Journal tab: the alarm and its acknowledgement, with the station/kind filters applied.
    qtbot.waitUntil(
        lambda: bool(
            journal_rows(journal, "SELECT 1 FROM events WHERE action='ack' AND station='jx-001'")
        ),
        timeout=WAIT_MS,
    )
    win.tabs.setCurrentIndex(mw.TAB_JOURNAL)
    jv = win.journal_viewer
    jv.set_filters(range="last_24h", station="jx-001")
    jv.request_query()

    def rows() -> list[dict]:
        return [jv.model.row_dict(i) for i in range(jv.model.total_held())]

    def kinds_states() -> set[tuple[str, str | None]]:
        return {(r["kind"], r["state"]) for r in rows()}

    # The room alarms coming in, and the dispatcher's acknowledgements (operator actions).
    qtbot.waitUntil(
        lambda: (
            {("alarm", "UNACK"), ("operator", "ACK")} <= kinds_states()
            and {r["station"] for r in rows()} == {"jx-001"}
        ),
        timeout=WAIT_MS,
    )
    acks = [r for r in rows() if r["action"] == "ack"]
    assert acks and {r["user"] for r in acks} == {"dispatcher1"}
    # Narrow to the acknowledgements with the kind filter.
    jv.set_filters(kind="operator")
    jv.request_query()
    qtbot.waitUntil(lambda: {r["kind"] for r in rows()} == {"operator"}, timeout=WAIT_MS)
    assert all(r["station"] == "jx-001" for r in rows())
    jv.set_filters(kind=None)

    # Export (CSV and JSON) and the handover report are written off the GUI thread.
    jv.export_csv_button.click()
    jv.export_json_button.click()
    jv.handover_button.click()
    qtbot.waitUntil(lambda: len(win.files_written) == 3, timeout=WAIT_MS)
    files = dict(win.files_written)
    assert all(p.parent == tmp_path and p.exists() for p in files.values())
    csv_text = files["csv"].read_text(encoding="utf-8")
    assert csv_text.startswith("id,") or "time" in csv_text.splitlines()[0]
    assert "jx-001" in csv_text and "xg-002" not in csv_text  # the tab's filters
    exported = json.loads(files["json"].read_text(encoding="utf-8"))
    assert exported and {r["station"] for r in exported} == {"jx-001"}
    html = files["handover"].read_text(encoding="utf-8")
    assert "jx-001" in html and "xg-002" in html and "dispatcher1" in html
    assert "Acknowledgements" in html


# --- 5. cold rooms whose alarm still waits for the on-delay ----------------------------------


def test_cold_rooms_without_alarm_yet_say_so(qtbot, make_console, threaded_simulator, chill):
    _session, win, _journal = make_console(room_on_delay_s=3600.0)
    chill(threaded_simulator, "jx-001")
    qtbot.waitUntil(lambda: win.figures.figures().rooms_below_18 > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: win.figures.figures().rooms_pending > 0, timeout=WAIT_MS)
    k = win.figures.figures()
    assert k.rooms_in_alarm == 0 and k.pending_until is not None
    assert k.pending_until > time.time() + 3000  # the hour-long on-delay just started
    tile = win.figures.rooms
    assert "no alarm yet" in tile.detail and "alarm after on-delay" in tile.detail
    assert tile.color is None  # calm: no alarm colour before there is an alarm
    win.alarm_summary.flush()
    assert not [r for r in win.alarm_summary.model.rows() if r.station == "jx-001"]

    open_station(qtbot, win, "jx-001")
    qtbot.waitUntil(lambda: win.station_view.station().rooms_pending > 0, timeout=WAIT_MS)
    caption = win.station_view.rooms_caption.text()
    assert "below 18 °C (no alarm yet · alarm after on-delay" in caption


# --- 3. trends: drag-and-drop, room click, presets -------------------------------------------


def drop_point(win: mw.MainWindow, key: str) -> None:
    """Deliver a drop as Qt would at the end of a drag from the station view."""
    md = win.station_view.drag_mime(key.partition("/")[2])
    assert md is not None and md.hasFormat(POINT_MIME)
    assert bytes(md.data(POINT_MIME).data()).decode() == key
    pos = QPointF(win.trend.rect().center())
    ev = QDropEvent(
        pos, Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    win.trend.dropEvent(ev)
    assert ev.isAccepted()


def test_trend_drag_drop_room_click_and_presets(qtbot, console):
    _session, win, _journal = console
    open_station(qtbot, win, "jx-002")
    fetched = len(win.trend_fetches)
    # Drag a value box from the process diagram onto the trend: the curve appears.
    win.tabs.setCurrentIndex(mw.TAB_TRENDS)
    drop_point(win, "jx-002/t3_secondary_supply")
    qtbot.waitUntil(
        lambda: "jx-002/t3_secondary_supply" in win.trend.series_keys(), timeout=WAIT_MS
    )
    assert win.tabs.tabBar().changeCurrentOnDrag()  # the drag opens the Trends tab

    # A real mouse drag on the diagram starts a drag of that point (QDrag.exec stubbed out:
    # its own loop would wait for a human).
    win.tabs.setCurrentIndex(mw.TAB_STATION)
    diagram = win.station_view.diagram
    qtbot.waitUntil(lambda: "t1_primary_supply" in diagram.hit_points(), timeout=WAIT_MS)
    started: list[str] = []
    win.station_view.start_drag = started.append  # type: ignore[method-assign]
    diagram.drag_started.disconnect()
    diagram.drag_started.connect(lambda n: win.station_view.start_drag(n))
    c = diagram.box_center("t1_primary_supply").toPoint()
    qtbot.mousePress(diagram, Qt.MouseButton.LeftButton, pos=c)
    qtbot.mouseMove(diagram, c + QPoint(40, 30))
    qtbot.mouseRelease(diagram, Qt.MouseButton.LeftButton, pos=c + QPoint(40, 30))
    assert started == ["t1_primary_supply"]

    # A click on a room opens that room's trend.
    win.station_view.room_clicked.emit(7)
    assert win.tabs.currentIndex() == mw.TAB_TRENDS
    qtbot.waitUntil(lambda: "jx-002/room_temp[7]" in win.trend.series_keys(), timeout=WAIT_MS)
    # Each new curve asked for its shown hour (ring and history): those answers come first.
    qtbot.waitUntil(lambda: len(win.trend_fetches) >= fetched + 2, timeout=WAIT_MS)

    # Time-range presets fetch older data (through the runner) for every curve.
    for label, seconds in PRESETS:
        n = len(win.trend_fetches)
        with qtbot.waitSignal(win.trend_fetched, timeout=WAIT_MS) as sig:
            win.trend.preset_buttons[seconds].click()
        data, start, end = sig.args
        assert end - start == pytest.approx(seconds, abs=1), label
        assert set(data) == {"jx-002/t3_secondary_supply", "jx-002/room_temp[7]"}
        qtbot.waitUntil(lambda n=n: len(win.trend_fetches) == n + 1, timeout=WAIT_MS)
    assert win._trend_span == pytest.approx(7 * 24 * 3600, abs=1)
    t, _, _ = win.trend.series_data("jx-002/room_temp[7]")
    assert len(t)  # the curve still has its (live) data after the fetch
