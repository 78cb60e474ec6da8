"""The pre-heating panel end to end: the simulator over TCP on loopback, the console service,
the window's LocalDoorway. A plan's writes are listed in one confirmation, sent through the
service's write path (range check, FC06, read-back, journal), a refused write is named; undo
writes the previous values back the same way. A plan from a missing forecast is refused, in
the interface language. As in `heatconsole demo`: the simulator's forecast folder and its clock,
the plan made on that clock and the simulated past."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from console.app import i18n
from console.app.preheat_panel import PreheatPanel
from console.commands.demo import on_simulator_clock, with_simulator_forecast
from console.core.forecast.model import HOUR
from console.core.forecast.source import ForecastSource
from console.core.preheat.planner import Plan, PlanRow, Status
from console.vocabulary.preheat import PlantCheck, SupplyRow
from drivers.simulator.physics import NetworkPhysics
from drivers.writes import WriteStatus
from station_config.schema import NetworkDef
from tests.console.app.conftest import ThreadedSimulator, open_console
from tests.widgets.test_zh_cn import untranslated

WAIT_MS = 20_000
PAST_MS = 300_000  # the demo's simulated past: tens of seconds, minutes on a crowded machine
SPEED = 60.0
AHEAD_S = 86400.0  # the simulator's clock ahead of the wall: a demo 24 wall minutes in


def journal_writes(path: Path) -> list[tuple[str, str, float, dict]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        rows = conn.execute(
            "SELECT station, point, value, details FROM events WHERE action='write' ORDER BY time"
        ).fetchall()
    finally:
        conn.close()
    return [(s, p, v, json.loads(d)) for s, p, v, d in rows]


@contextmanager
def panel_console(qtbot, ts, tmp_path, **panel_args) -> Iterator:  # type: ignore[no-untyped-def]
    """The console over `ts` and a pre-heating panel on an empty forecast folder."""
    net: NetworkDef = ts.sim.network_with_endpoints()
    session, win, journal = open_console(qtbot, net, tmp_path)
    empty = tmp_path / "forecasts"
    empty.mkdir()
    panel = PreheatPanel(win.doorway, forecast=ForecastSource(folder=empty), **panel_args)
    qtbot.addWidget(panel)
    panel.resize(1200, 600)
    panel.show()
    try:
        yield win, panel, journal
    finally:
        panel.close_pool()
        session.stop()


@pytest.fixture
def console(qtbot, threaded_simulator, tmp_path) -> Iterator:  # type: ignore[no-untyped-def]
    with panel_console(qtbot, threaded_simulator, tmp_path) as c:
        yield c


def row(station: str, shift: float, current: float = 0.0) -> PlanRow:
    now = time.time()
    return PlanRow(station, "jianxi", "east_chp", 2.0, Status.PLANNED, shift, current,
                   now, now + 24 * 3600, 17.2, 18.4, 3.5)  # fmt: skip


def a_plan() -> Plan:
    t = time.time() + 3600.0 * np.arange(48)
    rows = [row("jx-001", 2.0), row("jx-002", 3.5), row("xg-001", 4.0, current=8.0),
            row("xg-002", 1.5)]  # fmt: skip
    plants = [PlantCheck("east_chp", 650.0, 400.0, 480.0)]
    p = Plan(time.time(), time.time(), 18.0, rows, [], plants, t, np.full(48, -12.0))
    # The east trunk: its plant's supply 6 K above its curve from the first forecast hour.
    p.supply = [SupplyRow("east_trunk", "east_chp", ("jianxi",), 2, 6.0, t[0], t[20], 3.0)]
    for r in rows:
        p.coldest_without[r.station] = np.full(48, r.low_without)
        p.coldest_with[r.station] = np.full(48, r.low_with)
    return p


def device_shift(ts, sid: str) -> float:  # type: ignore[no-untyped-def]
    i = [s.id for s in ts.sim.net.stations].index(sid)
    return float(ts.do(ts.sim.physics.values, i)[ts.sim.physics.tables[i].index["curve_shift"]])


def test_apply_then_undo_as_confirmed_journalled_batches(
    qtbot, console, threaded_simulator
) -> None:  # type: ignore[no-untyped-def]
    win, panel, journal = console
    ts = threaded_simulator
    # xg-002 is under local control: the service refuses its write before the wire.
    ts.do(ts.sim.apply_event, {"type": "set", "station": "xg-002", "point": "control_level",
                               "value": 0})  # fmt: skip
    qtbot.waitUntil(
        lambda: win.bridge.service.live.stations["xg-002"].value("control_level") == 0,
        timeout=WAIT_MS,
    )
    assert panel.why_not_apply() == panel.tr("Make a plan first.")
    assert not panel.apply_button.isEnabled() and panel.apply_button.toolTip()
    panel.set_plan(a_plan())
    assert panel.apply_button.isEnabled() and not panel.undo_button.isEnabled()
    assert panel.view.table.rowCount() == 4

    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    dlg = panel.dialog
    assert dlg is not None
    listed = dlg.list.toPlainText().splitlines()
    assert len(listed) == 3  # one line per write that can be sent ...
    for sid, new in (("jx-001", "+2.0"), ("jx-002", "+3.5"), ("xg-002", "+1.5")):
        assert any(f"({sid})" in line and new in line for line in listed)
    assert "xg-001" in dlg.refused.text() and "outside" in dlg.refused.text()  # ... 12 K > 10
    # The plant row: not a write (no plant is on the write path), listed to ask of the plant.
    plants = dlg.plants.toPlainText()
    assert not dlg.plants.isHidden() and "+6.0 K" in plants and "within capacity" in plants
    assert "偃师热电 · 东线" in plants  # by the names the plant uses
    assert device_shift(ts, "jx-001") == 0.0  # nothing sent before the OK
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: panel.batch is not None and panel.batch.complete, timeout=WAIT_MS)
    assert device_shift(ts, "jx-001") == pytest.approx(2.0)
    assert device_shift(ts, "jx-002") == pytest.approx(3.5)
    assert device_shift(ts, "xg-002") == 0.0
    assert "2 of 3" in panel.status.text() and "xg-002" in panel.status.text()
    assert "local control" in panel.status.text()
    qtbot.waitUntil(lambda: len(journal_writes(journal)) == 3, timeout=WAIT_MS)  # the writer
    done = {(s, p): d for s, p, _, d in journal_writes(journal) if d["status"] == WriteStatus.DONE}
    assert done[("jx-001", "curve_shift")]["readback"] == pytest.approx(2.0)
    assert done[("jx-002", "curve_shift")]["readback"] == pytest.approx(3.5)
    refused = [d for s, _, _, d in journal_writes(journal) if s == "xg-002"]
    assert refused and refused[0]["status"] == WriteStatus.REJECTED

    # Undo: only the two writes that happened, back to the values before.
    assert panel.undo_button.isEnabled()
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    dlg = panel.dialog
    assert dlg is not None
    listed = dlg.list.toPlainText().splitlines()
    assert len(listed) == 2 and all("+0.0" in line for line in listed)
    assert "back to its curve" in dlg.plants.toPlainText()  # and the plant told to go back
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.batch is not None and panel.batch.complete, timeout=WAIT_MS)
    assert device_shift(ts, "jx-001") == 0.0 and device_shift(ts, "jx-002") == 0.0
    assert "2 of 2" in panel.status.text()
    qtbot.waitUntil(lambda: len(journal_writes(journal)) == 5, timeout=WAIT_MS)
    undone = [(s, v, d) for s, p, v, d in journal_writes(journal) if v == 0.0 and s != "xg-002"]
    assert {s for s, _, _ in undone} == {"jx-001", "jx-002"}
    assert all(d["status"] == WriteStatus.DONE and d["readback"] == 0.0 for _, _, d in undone)
    assert not panel.undo_button.isEnabled()


def test_a_plan_made_hours_ago_is_not_applied(qtbot, console) -> None:  # type: ignore[no-untyped-def]
    """In the demo (×60) a plan made twelve wall minutes earlier was twelve plant hours old and
    still offered to apply: the state it planned from had moved on. As old as a rolling plan's
    revision interval, it must be made again first."""
    _, panel, _ = console
    old = a_plan()
    old.made_at -= 4 * 3600.0
    panel.set_plan(old)
    why = panel.why_not_apply()
    assert why is not None and "4.0 h" in why
    assert not panel.apply_button.isEnabled() and panel.apply_button.toolTip() == why
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert panel.dialog is None
    panel.set_plan(a_plan())  # made now: offered
    assert panel.why_not_apply() is None and panel.apply_button.isEnabled()


def test_no_plan_from_a_missing_forecast(qtbot, console) -> None:  # type: ignore[no-untyped-def]
    _, panel, _ = console
    qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.tr("No plan") in panel.status.text(), timeout=WAIT_MS)
    assert "no outdoor forecast" in panel.status.text() and panel.plan is None


def test_the_missing_forecast_is_said_in_the_interface_language(qtbot, console, qapp) -> None:  # type: ignore[no-untyped-def]
    _, panel, _ = console
    assert i18n.install(i18n.CHINESE, qapp) == i18n.CHINESE
    try:
        qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
        no_plan = panel.tr("No plan: {reason}").split("{")[0]
        assert no_plan != "No plan: "
        qtbot.waitUntil(lambda: panel.status.text().startswith(no_plan), timeout=WAIT_MS)
        text = panel.status.text()
        folder = str(panel.forecast.folder)
        assert folder in text and panel.plan is None  # where it looked, as it is
        assert not untranslated(text.replace(folder, "")), text
    finally:
        i18n.install(i18n.ENGLISH, qapp)


@pytest.fixture
def demo_console(qtbot, small_network, tmp_path) -> Iterator:  # type: ignore[no-untyped-def]
    """The console as `heatconsole demo` opens it: the simulator ×60 publishing its forecast
    into a folder, the network's forecast section naming it (with the simulated past), the
    alarms and the forecaster on the simulator's clock — here a day ahead of the wall."""
    now = time.time()
    ts = ThreadedSimulator(
        small_network,
        speed=SPEED,
        physics=NetworkPhysics(small_network, seed=0, start=now + AHEAD_S),
        forecast_dir=tmp_path / "forecast",
    )
    try:
        net = with_simulator_forecast(ts.sim.network_with_endpoints(), ts.sim.forecast_dir, 0)
        net = on_simulator_clock(net, SPEED, now - AHEAD_S / (SPEED - 1))
        session, win, _ = open_console(qtbot, net, tmp_path)
        try:
            yield win, net.alarms.process_clock
        finally:
            win.preheat_panel.close_pool()
            session.stop()
    finally:
        ts.stop()


def test_the_demo_makes_a_plan_on_the_simulators_clock_and_past(qtbot, demo_console) -> None:  # type: ignore[no-untyped-def]
    win, clock = demo_console
    panel = win.preheat_panel  # the window's own: its forecast source and history as built
    qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
    no_plan = panel.tr("No plan: {reason}").split("{")[0]
    qtbot.waitUntil(
        lambda: panel.plan is not None or panel.status.text().startswith(no_plan), timeout=PAST_MS
    )
    plan = panel.plan
    assert plan is not None, panel.status.text()
    # Made at the simulator's hour (a day ahead of the wall), from its forecast issued then.
    now = clock.process_time(time.time())
    assert now - 2 * HOUR < plan.made_at <= now
    assert plan.forecast_issued_at > time.time() + AHEAD_S / 2
    # The console's own history holds minutes: the models fit on the simulated past too.
    rooms = {s.id: s.rooms for s in win.doorway.net.stations}
    modelled = {r.station for r in plan.rows if r.status is not Status.NO_MODEL}
    assert modelled == {sid for sid, n in rooms.items() if n > 0}
    assert len(plan.times) == 48 and np.isfinite(plan.outdoor).all()
    assert "Outdoor forecast issued" in panel.status.text()


# --- the rolling plan: the plan in force under watch, revisions proposed, never written unasked


@pytest.fixture
def watched(qtbot, threaded_simulator, tmp_path) -> Iterator:  # type: ignore[no-untyped-def]
    """The console with a panel that looks at the plan in force twice a second."""
    with panel_console(qtbot, threaded_simulator, tmp_path, watch_s=0.5) as c:
        yield c


def coldest_now(win, sid: str) -> float:  # type: ignore[no-untyped-def]
    return float(win.bridge.service.live.stations[sid].value("room_temp_min"))


def plan_on(shifts: dict[str, float], predicted: dict[str, float], current: float = 0.0) -> Plan:
    """A plan made now whose first hour is the one that just ended: each station's coldest room
    predicted at `predicted` (°C) all along, `shifts` the curve shifts it writes."""
    now = time.time()
    t = now - 0.5 * HOUR + HOUR * np.arange(48)
    rows = [row(sid, k, current) for sid, k in shifts.items()]
    p = Plan(now, now, 18.0, rows, [], [PlantCheck("east_chp", 650.0, 400.0, 480.0)], t,
             np.full(48, -12.0))  # fmt: skip
    for sid, c in predicted.items():
        p.coldest_without[sid] = np.full(48, c - 1.0)
        p.coldest_with[sid] = np.full(48, c)
    return p


@contextmanager
def worker_held(panel: PreheatPanel) -> Iterator[None]:
    """The panel's worker held busy: what the test hands the panel as the worker's plan comes
    first, the worker's own (no forecast here) after it."""
    gate = threading.Event()
    panel._pool.submit(gate.wait, 60.0)
    try:
        yield
    finally:
        gate.set()


def apply_confirmed(qtbot, panel) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert panel.dialog is not None
    qtbot.mouseClick(panel.dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.batch is not None and panel.batch.complete, timeout=WAIT_MS)


def test_pumps_stopped_after_the_apply_make_the_panel_propose_a_revision(
    qtbot, watched, threaded_simulator
) -> None:  # type: ignore[no-untyped-def]
    win, panel, journal = watched
    ts = threaded_simulator
    rooms = ("jx-001", "jx-002", "xg-002")
    qtbot.waitUntil(lambda: all(np.isfinite(coldest_now(win, s)) for s in rooms), timeout=WAIT_MS)
    # The plan predicts every coldest room as it is now (jx-002's exactly, the others 1 K lower).
    now_c = {s: coldest_now(win, s) for s in rooms}
    predicted = {s: c - (0.0 if s == "jx-002" else 1.0) for s, c in now_c.items()}
    panel.set_plan(plan_on({"jx-001": 2.0, "jx-002": 3.5}, predicted))
    assert panel.revision_line.isHidden() and panel.view.in_force.isHidden()
    apply_confirmed(qtbot, panel)
    assert panel.roll is not None
    in_force = panel.view.in_force.text()
    assert not panel.view.in_force.isHidden() and "first plan" in in_force
    qtbot.waitUntil(lambda: "as the plan predicted" in panel.revision_line.text(), timeout=WAIT_MS)
    assert panel.revise_button.isHidden()

    # Both of jx-002's pumps stop; an hour of its physics later its rooms are cold.
    ts.do(ts.sim.apply_event, {"type": "pump_fault", "station": "jx-002", "pump": "both"})
    i = [s.id for s in ts.sim.net.stations].index("jx-002")
    table = ts.sim.physics.tables[i]
    for _ in range(48):
        ts.do(ts.sim.tick, 300.0)
        if ts.do(ts.sim.physics.values, i)[table.indices("room_temp")].min() < now_c["jx-002"] - 3:
            break
    qtbot.waitUntil(lambda: "Plan revision due" in panel.revision_line.text(), timeout=WAIT_MS)
    line = panel.revision_line.text()
    assert "(jx-002) coldest room" in line and "K below the plan" in line, line
    assert "jx-001" not in line and "xg-002" not in line
    assert f"vs {predicted['jx-002']:.1f} °C" in line, line
    # No forecast to make the revision from: said, and nothing written on its own.
    qtbot.waitUntil(lambda: "no revised plan" in panel.revision_line.text(), timeout=WAIT_MS)
    assert "no outdoor forecast" in panel.revision_line.text()
    assert panel.revise_button.isHidden() and panel.dialog is None
    assert device_shift(ts, "jx-002") == pytest.approx(3.5)
    assert len(journal_writes(journal)) == 2


def test_a_revision_is_written_only_when_confirmed_and_undo_puts_back_everything(
    qtbot, watched, threaded_simulator
) -> None:  # type: ignore[no-untyped-def]
    _, panel, journal = watched
    ts = threaded_simulator
    panel.timer.setInterval(3_600_000)  # no look of its own here: the revision is asked for
    ok = {s: 0.0 for s in ("jx-001", "jx-002", "xg-002")}
    panel.set_plan(plan_on({"jx-001": 2.0, "jx-002": 3.5}, ok))
    apply_confirmed(qtbot, panel)
    qtbot.waitUntil(lambda: len(journal_writes(journal)) == 2, timeout=WAIT_MS)
    assert not panel.apply_button.isEnabled()  # a plan in force: revisions, not a second plan
    assert "Apply revision" in panel.apply_button.toolTip()

    # Make plan with a plan in force asks for a revision. The forecast folder is empty here, so
    # the plan a forecast would give stands in for the worker's (what the history now says:
    # the shifts the first plan wrote); the worker's own "no forecast" then finds one proposed.
    revised = plan_on({"jx-001": 2.0, "jx-002": 5.0, "xg-002": 1.5}, ok)
    for r in revised.rows:
        r.current_shift = {"jx-001": 2.0, "jx-002": 3.5}.get(r.station, 0.0)
    # jx-001's history was not read this time: no model, its pre-heating is not taken away.
    revised.rows[0] = row("jx-001", 0.0, 2.0)
    revised.rows[0].status = Status.NO_MODEL
    with worker_held(panel):
        qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
        panel.plan_ready.emit(revised, "made")
        qtbot.waitUntil(lambda: panel.revision is not None and panel.revision.changes is not None)
    line = panel.revision_line.text()
    assert "Plan revision asked for" in line and "changes 2 curve shifts" in line, line
    assert panel.revise_button.isVisible() and panel.revise_button.isEnabled()
    qtbot.waitUntil(lambda: panel._fetch is None, timeout=WAIT_MS)  # the worker's plan (none:
    done = panel._pool.submit(lambda: None)  # no forecast) is in once the worker is idle …
    qtbot.waitUntil(done.done, timeout=WAIT_MS)
    qtbot.wait(200)
    assert panel.revise_button.isVisible() and panel.revision.changes is not None  # … ignored

    # Only the changed shifts are listed, from what the first plan wrote; Cancel writes nothing.
    qtbot.mouseClick(panel.revise_button, Qt.MouseButton.LeftButton)
    dlg = panel.dialog
    assert dlg is not None
    listed = dlg.list.toPlainText().splitlines()
    assert len(listed) == 2, listed
    assert any("(jx-002)" in x and "+3.5 → +5.0" in x for x in listed)
    assert any("(xg-002)" in x and "+0.0 → +1.5" in x for x in listed)
    dlg.reject()
    qtbot.wait(300)
    assert device_shift(ts, "jx-002") == pytest.approx(3.5) and device_shift(ts, "xg-002") == 0
    assert len(journal_writes(journal)) == 2 and panel.revision is not None
    # Only engineers apply a revision, as a plan: an operator's seat is told why, nothing opens.
    door = panel.doorway
    door.remote, door.role = True, "operator"  # what a control-room seat's server confirms
    reason = panel.why_not_revise()
    assert reason is not None and "engineer" in reason
    panel.confirm_revision()
    assert panel.dialog is None and "engineer" in panel.status.text()
    door.remote, door.role = False, None

    qtbot.mouseClick(panel.revise_button, Qt.MouseButton.LeftButton)
    assert panel.dialog is not None
    qtbot.mouseClick(panel.dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.batch is not None and panel.batch.complete, timeout=WAIT_MS)
    assert device_shift(ts, "jx-002") == pytest.approx(5.0)
    assert device_shift(ts, "xg-002") == pytest.approx(1.5)
    assert device_shift(ts, "jx-001") == pytest.approx(2.0)
    qtbot.waitUntil(lambda: len(journal_writes(journal)) == 4, timeout=WAIT_MS)
    assert "revision made on request" in panel.view.in_force.text()
    assert panel.revise_button.isHidden() and panel.plan is revised

    # Undo: every station the plan and its revision wrote, back to before the first plan.
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    dlg = panel.dialog
    assert dlg is not None
    listed = dlg.list.toPlainText().splitlines()
    assert len(listed) == 3 and all(x.endswith("→ +0.0 K") for x in listed), listed
    assert any("(jx-002)" in x and "+5.0 → +0.0" in x for x in listed)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.batch is not None and panel.batch.complete, timeout=WAIT_MS)
    for sid in ("jx-001", "jx-002", "xg-002"):
        assert device_shift(ts, sid) == 0.0
    assert panel.roll is None and panel.view.in_force.isHidden()
    assert not panel.timer.isActive()


def test_a_revision_with_nothing_to_send_is_in_force_without_a_confirmation(
    qtbot, watched, threaded_simulator
) -> None:  # type: ignore[no-untyped-def]
    _, panel, journal = watched
    panel.timer.setInterval(3_600_000)
    ok = {s: 0.0 for s in ("jx-001", "jx-002", "xg-002")}
    panel.set_plan(plan_on({"jx-001": 2.0}, ok))
    apply_confirmed(qtbot, panel)
    # jx-001 as in force; xg-001's 12 K is outside the template's range: refused, not sent.
    revised = plan_on({"jx-001": 2.0, "xg-001": 4.0}, ok, current=8.0)
    with worker_held(panel):
        qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
        panel.plan_ready.emit(revised, "made")
        qtbot.waitUntil(lambda: panel.plan is revised, timeout=WAIT_MS)
        assert "no curve shift that can be sent" in panel.revision_line.text()
        assert "xg-001" in panel.status.text() and "outside" in panel.status.text()
    assert panel.revision is None and panel.dialog is None and panel.revise_button.isHidden()
    assert panel.roll is not None and panel.roll.applied["xg-001"] == 8.0
    qtbot.waitUntil(lambda: len(journal_writes(journal)) == 1, timeout=WAIT_MS)  # the apply's
    qtbot.wait(300)
    assert len(journal_writes(journal)) == 1


def test_shifts_past_their_undo_hour_are_proposed_back_and_written_only_when_confirmed(
    qtbot, watched, threaded_simulator
) -> None:  # type: ignore[no-untyped-def]
    _, panel, journal = watched
    ts = threaded_simulator
    ok = {s: 0.0 for s in ("jx-001", "jx-002", "xg-002")}
    plan = plan_on({"jx-001": 2.0, "jx-002": 3.5}, ok)
    # jx-001's shift and the east trunk's raise are needed for a few seconds more; jx-002's
    # for a day (row()'s until).
    soon = time.time() + 3.0
    plan.rows[0].until = soon
    plan.supply = [SupplyRow("east_trunk", "east_chp", ("jianxi",), 2, 6.0, plan.times[0], soon,
                             3.0)]  # fmt: skip
    panel.set_plan(plan)
    apply_confirmed(qtbot, panel)
    qtbot.waitUntil(lambda: len(journal_writes(journal)) == 2, timeout=WAIT_MS)
    assert "no longer needed" not in panel.revision_line.text()  # not before its hour

    qtbot.waitUntil(lambda: "no longer needed" in panel.revision_line.text(), timeout=WAIT_MS)
    line = panel.revision_line.text()
    assert "1 stations past their undo hour (涧西一号站)" in line, line
    assert "1 plant supply raises past their end (东线)" in line and "Apply revision" in line
    assert panel.revise_button.isVisible() and panel.revise_button.isEnabled()
    qtbot.wait(1500)  # three more looks: nothing is written unasked
    assert device_shift(ts, "jx-001") == pytest.approx(2.0) and len(journal_writes(journal)) == 2

    qtbot.mouseClick(panel.revise_button, Qt.MouseButton.LeftButton)
    dlg = panel.dialog
    assert dlg is not None
    assert dlg.list.toPlainText().splitlines() == ["涧西一号站 (jx-001): curve shift +2.0 → +0.0 K"]
    assert "偃师热电 · 东线: supply back to its curve (was +6.0 K)" in dlg.plants.toPlainText()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.batch is not None and panel.batch.complete, timeout=WAIT_MS)
    assert device_shift(ts, "jx-001") == 0.0 and device_shift(ts, "jx-002") == pytest.approx(3.5)
    qtbot.waitUntil(lambda: len(journal_writes(journal)) == 3, timeout=WAIT_MS)
    assert panel.roll is not None and panel.roll.raised == {}
    # The next looks find nothing more to take back, and the plan stays in force.
    qtbot.waitUntil(lambda: "as the plan predicted" in panel.revision_line.text(), timeout=WAIT_MS)
    assert panel.revise_button.isHidden() and "first plan" in panel.view.in_force.text()
    # Undo: only what is still applied (jx-002), back to before the plan.
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert panel.dialog is not None
    listed = panel.dialog.list.toPlainText().splitlines()
    assert len(listed) == 1 and "(jx-002): curve shift +3.5 → +0.0 K" in listed[0], listed
    panel.dialog.reject()
