"""The energy panel end to end: the simulator over TCP, the console service, the window's
doorway. A heating-curve point dragged on the curve is confirmed, written through the service's
write path, read back from the device and journalled; metering figures arrive through
fetch_trend; refusals (local control, role) disable the edit with the reason."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from console.app.energy_panel import OVERLAP_S, EnergyPanel
from console.core.energy.metering import ENERGY_POINT
from console.vocabulary.quality import Quality
from console.vocabulary.views import PointView
from drivers.writes import WriteStatus
from station_config.alarm_rules import ProcessClock
from station_config.schema import NetworkDef
from tests.console.app.conftest import open_console
from widgets.heating_curve import CURVE_POINTS

WAIT_MS = 20_000
SID = "jx-001"


def journal_rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def console(qtbot, threaded_simulator, tmp_path) -> Iterator:  # type: ignore[no-untyped-def]
    net: NetworkDef = threaded_simulator.sim.network_with_endpoints()
    # The test warps the simulator's time (tick(1800) in an instant): say so, as the demo does,
    # or a meter's half hour in a second is an implausible jump the metering leaves out.
    clock = ProcessClock(scale=3600.0, origin=time.time())
    net = net.model_copy(update={"alarms": net.alarms.model_copy(update={"process_clock": clock})})
    session, win, journal = open_console(qtbot, net, tmp_path)
    panel = EnergyPanel(win.doorway, batch_stations=3)  # two requests for the four stations
    qtbot.addWidget(panel)
    panel.resize(1300, 560)
    panel.show()
    try:
        yield win, panel, journal
    finally:
        panel.close_pool()
        session.stop()


def fed(win, panel: EnergyPanel, **want: Callable[[PointView], bool]):  # type: ignore[no-untyped-def]
    """Hand the panel the window's newest snapshot (the main window does this per snapshot);
    with `want` (point name -> test), only a snapshot whose points pass: a loaded machine's
    scans time out now and then, and a stale scan carries the old value, not the new one."""

    def check() -> bool:
        snap = win._snap
        if snap is None or snap.detail is None or snap.detail.station != SID:
            return False
        points = snap.detail.points
        if not all(name in points and ok(points[name]) for name, ok in want.items()):
            return False
        panel.apply_snapshot(snap)
        return True

    return check


def good(pv: PointView) -> bool:
    return pv.quality == Quality.GOOD


def test_curve_edit_written_read_back_journalled(qtbot, console, threaded_simulator) -> None:  # type: ignore[no-untyped-def]
    win, panel, journal = console
    ts = threaded_simulator
    i = [s.id for s in ts.sim.net.stations].index(SID)
    table = ts.sim.physics.tables[i]
    win.open_station(SID)  # the window's focus: the snapshot carries the station's points
    curve_good = {name: good for name, _ in CURVE_POINTS}
    qtbot.waitUntil(fed(win, panel, **curve_good), timeout=WAIT_MS)
    view = panel.curve.curve()
    device = ts.do(ts.sim.physics.values, i)
    for k, (name, _) in enumerate(CURVE_POINTS):  # the six registers 205-210 as plotted
        assert view.points[k] == pytest.approx(device[table.index[name]], abs=0.05)
    assert view.setpoint is not None and view.outdoor is not None and view.actual is not None
    assert panel.curve.editable and panel.why_not_edit() is None

    # Drag the 0 °C point 3 K up: the panel asks for confirmation with the value filled in.
    old = view.points[2]
    start = panel.curve.point_position(2).toPoint()
    y = next(y for y in range(start.y(), 0, -1) if panel.curve.value_at_y(y) >= old + 3.0)
    QTest.mousePress(panel.curve, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(panel.curve, QPoint(start.x(), y))
    QTest.mouseRelease(panel.curve, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(start.x(), y))  # fmt: skip
    dlg = panel.dialog
    assert dlg is not None and dlg.refusal is None
    new = dlg.value()
    assert new == pytest.approx(old + 3.0, abs=0.5)
    # Nothing was sent yet: the device still has the old value.
    assert ts.do(ts.sim.physics.values, i)[table.index["curve_t3_at_0"]] == pytest.approx(old)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)

    # Written through the service: read back from the device and journalled.
    sql = "SELECT user, point, value, details FROM events WHERE action='write'"
    qtbot.waitUntil(lambda: bool(journal_rows(journal, sql)), timeout=WAIT_MS)
    user, point, value, details = journal_rows(journal, sql)[0]
    d = json.loads(details)
    assert (user, point, value) == ("engineer1", "curve_t3_at_0", pytest.approx(new))
    assert d["status"] == WriteStatus.DONE and d["readback"] == pytest.approx(new)
    assert d["old"] == pytest.approx(old)
    assert ts.do(ts.sim.physics.values, i)[table.index["curve_t3_at_0"]] == pytest.approx(new)
    # ... and the curve shows it once the next scan arrives.
    qtbot.waitUntil(
        lambda: fed(win, panel)() and panel.curve.curve().points[2] == pytest.approx(new),
        timeout=WAIT_MS,
    )

    # Metering through the doorway's fetch_trend (ring + history), computed off the GUI thread:
    # asked for when the panel was first shown, the season in two requests (three stations
    # each) ...
    qtbot.waitUntil(lambda: panel.report is not None, timeout=WAIT_MS)
    first = panel.report
    season_start = first.periods["season"][0]
    assert [a for a, _ in win.trend_fetches] == [season_start, season_start]
    assert {s.station for s in first.stations} == {s.id for s in ts.sim.net.stations}
    assert all(s.figures["today"].energy_gj is not None for s in first.stations)
    assert panel.metering.visible_ids() == [d.district for d in first.districts]
    # ... then only what is new, in one request, added to what the panel holds.
    before = {s.station: s.figures["season"].energy_gj for s in first.stations}
    ts.do(ts.sim.tick, 1800.0)  # half an hour of heat on the meters
    energy = ts.do(ts.sim.physics.values, i)[table.index[ENERGY_POINT]]
    # Polled: a good reading of the meter after the tick (a count of scans is not enough: on a
    # loaded machine they can all time out, stale, the jump never read).
    read = {ENERGY_POINT: lambda pv: good(pv) and pv.value >= energy - 0.02}
    qtbot.waitUntil(fed(win, panel, **read), timeout=WAIT_MS)
    n = len(win.trend_fetches)
    panel.refresh()
    qtbot.waitUntil(lambda: panel.report is not first, timeout=WAIT_MS)
    (span,) = win.trend_fetches[n:]
    assert span[0] > season_start and span[0] >= first.generated - 900
    after = {s.station: s.figures["season"].energy_gj for s in panel.report.stations}
    assert all(after[k] >= before[k] for k in before) and any(after[k] > before[k] for k in before)

    # A field engineer takes local control: the curve cannot be edited, and says why.
    ts.do(ts.sim.physics.write, i, "control_level", 0)
    ts.do(ts.sim.tick, 1.0)
    # The device's LOCAL arrived (not merely any refusal: a stale scan refuses for its quality).
    qtbot.waitUntil(fed(win, panel, control_level=lambda pv: pv.value == 0), timeout=WAIT_MS)
    assert "LOCAL" in panel.reason.text() and not panel.shift_button.isEnabled()
    assert not panel.curve.editable


def test_curve_edits_need_the_engineer_role(qtbot, console) -> None:  # type: ignore[no-untyped-def]
    win, panel, _ = console
    win.open_station(SID)
    qtbot.waitUntil(fed(win, panel), timeout=WAIT_MS)
    door = win.doorway
    door.remote, door.role = True, "operator"  # what a control-room seat's server confirms
    panel.apply_snapshot(win._snap)
    reason = panel.why_not_edit()
    assert reason is not None and "engineer" in reason
    assert not panel.curve.editable and "engineer" in panel.curve.toolTip()
    panel.edit_point("curve_t3_at_0", 60.0)
    assert panel.dialog is None  # no confirmation offered, nothing sent
    # A viewer may not read the history: the metering says so and asks nothing.
    qtbot.waitUntil(lambda: panel.report is not None, timeout=WAIT_MS)  # the load on show
    door.role = "viewer"
    n = len(win.trend_fetches)
    panel.refresh()
    qtbot.wait(300)
    assert len(win.trend_fetches) == n and "operator" in panel.metering.caption.text()


def test_a_day_of_refreshes_is_held_at_one_sample_per_point_and_5_minutes(qtbot, console) -> None:  # type: ignore[no-untyped-def]
    """Each refresh brings every scan of the live ring (here every 5 s): of what is older than
    the next refresh's overlap the panel keeps one good sample per 5 minutes, and the figures
    come out the same. Fed through the panel's own fetch slot, as the doorway answers."""
    win, _shown, _ = console
    panel = EnergyPanel(win.doorway)  # never shown: no load of its own, only what is fed
    qtbot.addWidget(panel)
    try:
        now = time.time()
        start = now - 86400.0
        key_e, key_o = f"{SID}/{ENERGY_POINT}", f"{SID}/outdoor_temp"
        t_end = start
        for k in range(1, 289):  # a day of 5-minute refreshes
            end = start + k * 300.0
            t = np.arange(max(start, t_end - OVERLAP_S), end, 5.0)
            q = np.zeros(len(t), np.uint8)
            q[::97] = Quality.STALE  # now and then a stale scan: never counted, never kept
            data = {key_e: (t, 1000.0 + 2.0 * (t - start) / 3600.0, q),
                    key_o: (t, np.full(len(t), -2.0), q)}  # fmt: skip
            panel._pending, panel._batches, panel._held_from = (t_end, end), [], start
            panel._on_trend_fetched(data, t_end, end)
            t_end = end
        # The build of the last refresh (every refresh builds a report).
        qtbot.waitUntil(lambda: panel.report is not None and panel.report.generated == t_end,
                        timeout=WAIT_MS)  # fmt: skip
        held_t, _v, held_q = panel._held[key_e]
        assert (held_q == Quality.GOOD).all()
        recent = held_t >= t_end - OVERLAP_S
        assert (~recent).sum() <= 86400.0 / 300.0  # not the 17,000 scans of the day
        assert recent.sum() >= OVERLAP_S / 5.0 - 10  # the overlap kept whole
        s = next(s for s in panel.report.stations if s.station == SID)
        got, _cov = s.figures["today"].energy_gj, s.figures["today"].coverage
        today0 = panel.report.periods["today"][0]
        want = 2.0 * (t_end - 5.0 - max(today0, start)) / 3600.0
        assert got == pytest.approx(want, abs=0.01)
    finally:
        panel.close_pool()


def test_the_metering_view_exports_its_report_as_csv(qtbot, console, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """ "Export CSV" on the metering tab: the report shown, as `heatconsole energy --format csv`
    writes it, beside the journal's exports; a folder that cannot be written is said, no file."""
    import csv
    import io

    from console.core.energy.export import write_csv
    from console.core.energy.metering import build_metering

    win, _panel, _ = console
    panel = win.energy_panel  # the window's own: its button is wired to the window's export
    now = time.time()
    t = np.arange(now - 3 * 86400.0, now, 300.0)

    def series(_sid: str, point: str, _a: float, _b: float):  # type: ignore[no-untyped-def]
        v = 500.0 + 1.5 * (t - t[0]) / 3600.0 if point == ENERGY_POINT else np.full(len(t), -4.0)
        return t, v, np.zeros(len(t), np.uint8)

    report = build_metering(win.doorway.net, series, now=now)
    panel.metering_ready.emit(report)
    qtbot.waitUntil(lambda: panel.metering.export_button.isEnabled(), timeout=WAIT_MS)
    win.export_dir = tmp_path / "exports"
    win.export_dir.mkdir()
    with qtbot.waitSignal(win.file_written, timeout=WAIT_MS) as sig:
        panel.metering.export_button.click()
    what, path = sig.args
    assert what == "metering" and Path(path).parent == win.export_dir
    want = io.StringIO(newline="")
    n = write_csv(report, want)
    got = Path(path).read_bytes().decode("utf-8")
    assert got == want.getvalue() and n == len(report.stations) + len(report.districts)
    rows = list(csv.DictReader(io.StringIO(got)))
    assert {r["id"] for r in rows if r["scope"] == "station"} == {
        s.id for s in win.doorway.net.stations
    }
    assert not list(win.export_dir.glob("*.part"))
    # A folder gone: the status line says so, nothing is written.
    win.export_dir = tmp_path / "gone"
    with qtbot.waitSignal(panel.message, timeout=WAIT_MS) as said:
        panel.metering.export_button.click()
    text, error = said.args
    assert error and "gone" in text and not (tmp_path / "gone").exists()
