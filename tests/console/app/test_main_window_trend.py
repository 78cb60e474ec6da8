"""A trend opened from a value (issue 11): at once the live value, its quality and a y-range
that holds it; then what the ring and the history hold, fetched through the doorway; the
"no samples" message only when the history really has none. A real service (LocalDoorway)
polls the simulator over loopback, on a history SQLite file written beforehand."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings

from console.app import main_window as mw
from console.app.launch import ConsoleSession
from console.core.history import History, default_history_path
from drivers.points import build_point_table
from drivers.samples import CommState, StationScan
from station_config.schema import NetworkDef
from widgets.locale_format import number

WAIT_MS = 20_000
STATION, POINT = "xg-002", "t3_secondary_supply"


def write_history(net: NetworkDef, path: Path, t0: float, t1: float) -> int:
    """Two hours of one point, every 30 s, as an earlier run of the console stored them."""
    tables = {s.id: build_point_table(net.templates[s.template], s) for s in net.stations}
    table = tables[STATION]
    scans = []
    for i, t in enumerate(np.arange(t0, t1, 30.0)):
        v = np.zeros(len(table))
        v[table.index[POINT]] = 47.0 + (i % 7) * 0.5  # changes every sample: all stored
        q = np.zeros(len(table), np.uint8)
        scans.append(StationScan(STATION, float(t), v, q, np.full(len(table), t), CommState.OK))
    history = History(path, tables)
    try:
        history.submit_scans(scans)
        assert history.flush(30)
    finally:
        history.close()
    return len(scans)


def test_trend_from_a_value_shows_live_value_then_history(qtbot, threaded_simulator, tmp_path):
    net = threaded_simulator.sim.network_with_endpoints()
    journal = tmp_path / "journal.sqlite"
    now = time.time()
    write_history(net, default_history_path(journal), now - 7200, now - 120)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    session = ConsoleSession(net, journal_path=journal, settings=settings, batch_interval=0.1)
    win = session.start()
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    try:
        win.open_station(STATION)
        qtbot.waitUntil(
            lambda: (
                win._snap is not None
                and win._snap.detail is not None
                and win._snap.detail.station == STATION
                and win._snap.detail.points[POINT].value is not None
            ),
            timeout=WAIT_MS,
        )
        win._apply()
        pv = win._snap.detail.points[POINT]  # type: ignore[union-attr]
        key = f"{STATION}/{POINT}"

        # Clicked on the diagram: at once, before any answer from the service.
        win.station_view.point_activated.emit(POINT)
        assert win.tabs.currentIndex() == mw.TAB_TRENDS
        trend = win.trend
        assert key in trend.series_keys()
        row = trend.series_keys().index(key)
        assert trend.table.item(row, 1).text() == number(pv.value, 2)
        assert trend.table.item(row, 3).text() == "good"
        lo, hi = trend.axis_for("°C").linkedView().viewRange()[1]
        assert lo < pv.value < hi and hi - lo >= 4.0  # ±2 °C at least, never zero height
        shown = win.station_view.points()[POINT]  # with the band the station view draws
        assert shown.normal_low is not None and shown.normal_high is not None
        assert lo <= shown.normal_low and shown.normal_high <= hi
        t0, t1 = trend.time_range()
        assert t0 <= pv.time <= t1 + 1 if pv.time else True  # type: ignore[operator]

        # Then the history written before the console started: the hour on screen is full.
        qtbot.waitUntil(lambda: (trend.earliest_time() or now) <= now - 3500, timeout=WAIT_MS)
        _t, y, _q = trend.series_data(key)
        assert ((y >= 47.0) & (y <= 50.0)).sum() >= 100  # the stored samples (~117 in the hour)
        assert "no samples" not in win.statusBar().currentMessage()

        # A station the history has nothing of: the message says so, honestly.
        win.add_trend("jx-001/p3_secondary_supply")
        qtbot.waitUntil(lambda: "no samples" in win.statusBar().currentMessage(), timeout=WAIT_MS)
    finally:
        session.stop()
