"""The operator console window: banner + key figures on top, ISA-101 levels in tabs below.

Threads: the service (poller, alarms, journal writer) runs on the ServiceRunner's thread. The
window only ever (a) receives `Snapshot`s through the bridge's queued signal and applies the
newest one on a 4 Hz timer (coalescing: a burst of snapshots costs one redraw), and (b) hands
operator actions to the runner, getting results back through queued signals. Journal queries and
the handover report run on a small thread pool with their own read-only SQLite connection.
"""

from __future__ import annotations

import concurrent.futures
import csv
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.app.adapters import Snapshot, label_of
from console.app.bridge import ServiceBridge
from console.core.journal.handover import write_handover
from console.core.journal.query import Filters, query
from drivers.writes import WriteResult, WriteStatus
from widgets.alarm_banner import AlarmBanner
from widgets.alarm_summary import AlarmSummary
from widgets.annunciator import Annunciator
from widgets.journal_viewer import JournalViewer
from widgets.key_figures import KeyFiguresStrip
from widgets.network_schematic import NetworkSchematic
from widgets.setpoint_dialog import SetpointDialog
from widgets.station_view import StationView
from widgets.trend_plot import TrendPlot
from widgets.view_models import PointView

TAB_OVERVIEW, TAB_STATION, TAB_TRENDS, TAB_ALARMS, TAB_JOURNAL = range(5)
APPLY_MS = 250  # at most 4 redraws per second, whatever the scan rate
MAX_TRENDS = 8


class MainWindow(QMainWindow):
    journal_rows = Signal(object, bool, bool)  # rows, has_more, append
    journal_message = Signal(str)

    def __init__(
        self,
        bridge: ServiceBridge,
        *,
        journal_path: str | Path | None = None,
        settings: QSettings | None = None,
        title: str = "heatconsole",
    ) -> None:
        super().__init__()
        self.bridge = bridge
        self.net = bridge.service.net
        self.journal_path = Path(journal_path) if journal_path else None
        self.settings = settings or QSettings("heatconsole", "console")
        self.setWindowTitle(f"{title} — {self.net.name}")
        self._snap: Snapshot | None = None
        self._dirty = False
        self._station: str | None = None
        self._trend_keys: list[str] = []
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="journal-query")
        self.station_names = {s.id: s.name for s in self.net.stations}

        # --- widgets ----------------------------------------------------------------------
        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(4, 4, 4, 0)
        root.setSpacing(4)
        self.banner = AlarmBanner(lines=2)
        self.figures = KeyFiguresStrip()
        root.addWidget(self.banner)
        root.addWidget(self.figures)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.schematic = NetworkSchematic(self.net)
        self.tabs.addTab(self.schematic, "Overview")

        station_page = QWidget()
        sl = QVBoxLayout(station_page)
        sl.setContentsMargins(0, 0, 0, 0)
        nav = QHBoxLayout()
        self.back_button = QPushButton("◀ Overview")
        self.back_button.clicked.connect(lambda: self.tabs.setCurrentIndex(TAB_OVERVIEW))
        self.station_hint = QLabel("Double-click a station on the overview or an alarm row.")
        self.station_hint.setProperty("role", "caption")
        nav.addWidget(self.back_button)
        nav.addWidget(self.station_hint, 1)
        sl.addLayout(nav)
        self.station_view = StationView()
        sl.addWidget(self.station_view, 1)
        self.tabs.addTab(station_page, "Station")

        trend_page = QWidget()
        tl = QVBoxLayout(trend_page)
        tl.setContentsMargins(0, 0, 0, 0)
        tnav = QHBoxLayout()
        self.trend_caption = QLabel("Click a value on the station view or a room to trend it.")
        self.trend_caption.setProperty("role", "caption")
        clear = QPushButton("Clear trends")
        clear.clicked.connect(self.clear_trends)
        tnav.addWidget(self.trend_caption, 1)
        tnav.addWidget(clear)
        tl.addLayout(tnav)
        self.trend = TrendPlot()
        tl.addWidget(self.trend, 1)
        self.tabs.addTab(trend_page, "Trends")

        self.alarm_summary = AlarmSummary()
        self.alarm_summary.set_districts(d.id for d in self.net.districts)
        self.tabs.addTab(self.alarm_summary, "Alarms")
        self.journal_viewer = JournalViewer()
        self.journal_viewer.set_districts(d.id for d in self.net.districts)
        self.tabs.addTab(self.journal_viewer, "Journal")
        root.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        sb = self.statusBar()
        self.status_cycle = QLabel("waiting for the first scan…")
        self.status_comm = QLabel("")
        self.status_journal = QLabel("")
        self.status_user = QLabel("")
        for w in (self.status_cycle, self.status_comm, self.status_journal):
            sb.addWidget(w)
        sb.addPermanentWidget(self.status_user)

        self.annunciator = Annunciator(self)

        # --- wiring -----------------------------------------------------------------------
        bridge.snapshot.connect(self._on_snapshot)
        bridge.action_done.connect(self._on_action_done)
        self.journal_rows.connect(self._on_journal_rows)
        self.journal_message.connect(self._show_message)
        self.schematic.station_activated.connect(self.open_station)
        self.banner.station_requested.connect(self.open_station)
        self.banner.silence_requested.connect(self.silence)
        self.alarm_summary.station_requested.connect(self.open_station)
        self.alarm_summary.acknowledge_requested.connect(self.acknowledge)
        self.alarm_summary.shelve_requested.connect(self.shelve)
        self.alarm_summary.silence_requested.connect(self.silence)
        self.station_view.point_activated.connect(self._trend_point)
        self.station_view.room_clicked.connect(lambda i: self._trend_point(f"room_temp[{i}]"))
        self.station_view.write_requested.connect(self.request_write)
        self.journal_viewer.query_requested.connect(lambda f: self.run_query(f, append=False))
        self.journal_viewer.more_requested.connect(lambda f: self.run_query(f, append=True))
        self.journal_viewer.export_requested.connect(self.export_journal)
        self.journal_viewer.handover_requested.connect(self.write_handover_report)
        self.tabs.currentChanged.connect(self._tab_changed)

        # F9/F10 belong to the alarm summary's actions while it is shown; elsewhere these window
        # shortcuts stand in (enabled only then, so Qt never sees two owners of one key).
        self.sc_silence = QShortcut(QKeySequence(Qt.Key.Key_F10), self, activated=self.silence)
        self.sc_alarms = QShortcut(
            QKeySequence(Qt.Key.Key_F9),
            self,
            activated=lambda: self.tabs.setCurrentIndex(TAB_ALARMS),
        )
        for i, key in enumerate(("F1", "F2", "F3", "F4", "F5")):
            QShortcut(QKeySequence(key), self, activated=lambda i=i: self.tabs.setCurrentIndex(i))

        self._timer = QTimer(self)
        self._timer.setInterval(APPLY_MS)
        self._timer.timeout.connect(self._apply)
        self._timer.start()

        self.resize(1366, 768)
        self._restore()
        self._tab_changed(self.tabs.currentIndex())

    # --- snapshots ------------------------------------------------------------------------
    def _on_snapshot(self, snap: Snapshot) -> None:
        self._snap = snap  # only the newest counts; _apply draws it at the bounded rate
        self._dirty = True

    def _apply(self) -> None:
        if not self._dirty or self._snap is None:
            return
        self._dirty = False
        snap = self._snap
        self.schematic.update_states(snap.states)
        self.figures.set_figures(snap.figures)
        self.banner.set_rows(snap.alarms)
        self.alarm_summary.set_rows(snap.alarms)
        self.alarm_summary.set_flood(snap.status.flood_count, snap.status.flood)
        n_un = snap.figures.unacked_alarms
        self.tabs.setTabText(TAB_ALARMS, f"Alarms ({n_un} unack)" if n_un else "Alarms")
        st = snap.status
        self.annunciator.set_sounding(st.sounding, st.tone)
        self.banner.set_sound_state(self.annunciator.sounding, self.annunciator.audio_available)
        d = snap.detail
        if d is not None and d.station == self._station:
            self.station_view.set_station(d.state, d.points)
            self.station_view.set_rooms(d.rooms)
        for key, (t, y, q) in snap.trends.items():
            if len(t):
                self.trend.set_series(key, self._trend_label(key), self._unit_of(key), t, y, q)
        self._show_status(snap)

    def _show_status(self, snap: Snapshot) -> None:
        st = snap.status
        scan = "" if st.complete else " · first scan not complete"
        self.status_cycle.setText(
            f"alarm/journal batch {st.batch_s * 1000:.0f} ms · {st.scans} batches{scan}"
        )
        self.status_comm.setText(
            f"stations  GOOD {st.good} · STALE {st.stale} · FAILED {st.failed}"
        )
        self.status_comm.setStyleSheet("font-weight: bold;" if st.failed or st.stale else "")
        self.status_journal.setText(st.journal)
        self.status_user.setText(f"operator: {st.user}")

    # --- navigation -----------------------------------------------------------------------
    def open_station(self, station_id: str) -> None:
        if station_id not in self.station_names:
            return
        self._station = station_id
        self.bridge.set_focus(station_id)
        self.schematic.select_station(station_id)
        self.tabs.setTabText(TAB_STATION, f"Station {station_id}")
        self.station_hint.setText(
            "Click a value or a room for its trend · “Change…” to write a setpoint"
        )
        self.tabs.setCurrentIndex(TAB_STATION)

    def _tab_changed(self, i: int) -> None:
        on_alarms = i == TAB_ALARMS
        self.sc_alarms.setEnabled(not on_alarms)
        self.sc_silence.setEnabled(not on_alarms)
        if i == TAB_JOURNAL and self.journal_viewer.model.total_held() == 0:
            self.journal_viewer.request_query()

    # --- trends ---------------------------------------------------------------------------
    def _trend_point(self, point: str) -> None:
        if self._station is not None:
            self.add_trend(f"{self._station}/{point}")

    def add_trend(self, key: str, show: bool = True) -> None:
        if key not in self._trend_keys:
            self._trend_keys = [*self._trend_keys, key][-MAX_TRENDS:]
            for old in self.trend.series_keys():
                if old not in self._trend_keys:
                    self.trend.remove_series(old)
            self.bridge.set_trend_keys(self._trend_keys)
        self.trend_caption.setText("Trending: " + ", ".join(self._trend_keys))
        if show:
            self.tabs.setCurrentIndex(TAB_TRENDS)

    def clear_trends(self) -> None:
        for key in self.trend.series_keys():
            self.trend.remove_series(key)
        self._trend_keys = []
        self.bridge.set_trend_keys([])
        self.trend_caption.setText("Click a value on the station view or a room to trend it.")

    def _trend_label(self, key: str) -> str:
        sid, _, point = key.partition("/")
        return f"{sid} {label_of(point)}"

    def _unit_of(self, key: str) -> str:
        sid, _, point = key.partition("/")
        if point.startswith("room_temp["):
            return "°C"
        sdef = self.net.station(sid)
        tmpl = self.net.templates.get(sdef.template)
        if tmpl is not None:
            for p in tmpl.points:
                if p.name == point:
                    return p.unit
        pv = self.station_view.points().get(point)
        return pv.unit if pv else ""

    # --- operator actions (all through the runner; results come back queued) ---------------
    def acknowledge(self, keys: list[str]) -> None:
        if keys:
            self.bridge.call(f"acknowledge {len(keys)} alarm(s)", self.bridge.service.acknowledge,
                             list(keys))  # fmt: skip

    def shelve(self, keys: list[str], duration_s: int | None, reason: str) -> None:
        svc = self.bridge.service

        def shelve_all() -> int:
            for k in keys:
                svc.shelve(k, reason, duration_s)
            return len(keys)

        self.bridge.call(f"shelve {len(keys)} alarm(s)", shelve_all)

    def silence(self) -> None:
        self.annunciator.silence()
        self.bridge.call("silence", self.bridge.service.silence)

    def request_write(self, point: str) -> None:
        snap, sid = self._snap, self._station
        if sid is None:
            return
        pv: PointView | None = self.station_view.points().get(point)
        state = self.station_view.station()
        if pv is None or state is None:
            return
        value = SetpointDialog.ask(
            pv, station_name=state.name, local_control=state.local_control, parent=self
        )
        if value is None:
            return
        del snap
        self.statusBar().showMessage(f"writing {sid}.{point} = {value} …", 10_000)
        self.bridge.submit(f"write {sid}.{point} = {value}", self.bridge.service.write(
            sid, point, value))  # fmt: skip

    def _on_action_done(self, what: str, result: Any, exc: BaseException | None) -> None:
        if exc is not None:
            self._show_message(f"{what}: failed — {exc}", error=True)
            return
        if isinstance(result, WriteResult):
            outcome = {
                WriteStatus.DONE: "done, read back",
                WriteStatus.REFUSED: "REFUSED by the controller",
                WriteStatus.NO_REPLY: "NO REPLY — outcome unknown, check the value",
                WriteStatus.REJECTED: "not sent",
                WriteStatus.UNCONFIRMED: "UNCONFIRMED — the read-back differs",
            }.get(result.status, str(result.status))
            text = f"{what}: {outcome}"
            if result.readback is not None:
                text += f" (read back {result.readback:g})"
            if result.message:
                text += f"\n{result.message}"
            self._show_message(text, error=not result.ok, popup=True)
            return
        self.statusBar().showMessage(f"{what}: done", 8000)

    def _show_message(self, text: str, error: bool = False, popup: bool = False) -> None:
        self.statusBar().showMessage(text.replace("\n", " — "), 15_000)
        if popup or error:
            box = QMessageBox(
                QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information,
                "heatconsole",
                text,
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # not exec(): the window keeps updating while the box is up

    # --- journal (own read-only connection on a worker thread) -----------------------------
    def _connect_ro(self) -> sqlite3.Connection:
        assert self.journal_path is not None
        return sqlite3.connect(f"file:{self.journal_path}?mode=ro", uri=True, timeout=5)

    @staticmethod
    def filters_from(f: dict[str, Any]) -> tuple[Filters, int]:
        def many(v: Any) -> list[str]:
            return [x.strip() for x in str(v).split(",") if x.strip()] if v else []

        offset = int(f.get("offset") or 0)
        limit = int(f.get("limit") or 1000)
        return (
            Filters(
                since=f.get("since"),
                until=f.get("until"),
                stations=many(f.get("station")),
                districts=many(f.get("district")),
                priorities=many(f.get("priority")),
                states=many(f.get("state")),
                kinds=many(f.get("kind")),
                text=f.get("text"),
                limit=offset + limit + 1,
                newest_first=True,
            ),
            offset,
        )

    def run_query(self, f: dict[str, Any], append: bool) -> None:
        if self.journal_path is None:
            return
        filt, offset = self.filters_from(f)
        want = (filt.limit or 1) - 1 - offset

        def work() -> None:
            try:
                conn = self._connect_ro()
                try:
                    evs = query(conn, filt)
                finally:
                    conn.close()
                rows = [e.to_row() for e in evs[offset:]]
                self.journal_rows.emit(rows[:want], len(rows) > want, append)
            except Exception as e:  # a locked or missing file: tell the operator, no crash
                self.journal_message.emit(f"journal query failed: {e}")

        self._pool.submit(work)

    def _on_journal_rows(self, rows: list[dict], has_more: bool, append: bool) -> None:
        if append:
            self.journal_viewer.append_rows(rows, has_more)
        else:
            self.journal_viewer.set_rows(rows, has_more)

    def export_journal(self, fmt: str) -> None:
        if self.journal_path is None:
            return
        filt, _ = self.filters_from({**self.journal_viewer.filters(), "limit": 1_000_000})
        out = self.journal_path.with_name(f"journal-export-{time.strftime('%Y%m%d-%H%M%S')}.{fmt}")

        def work() -> None:
            try:
                conn = self._connect_ro()
                try:
                    rows = [e.to_row() for e in query(conn, filt)]
                finally:
                    conn.close()
                if fmt == "json":
                    out.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
                else:
                    with out.open("w", newline="", encoding="utf-8") as fh:
                        w = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["time"])
                        w.writeheader()
                        for r in rows:
                            w.writerow({k: v for k, v in r.items() if k != "details"} | {
                                "details": json.dumps(r.get("details"), ensure_ascii=False)
                            } if "details" in r else r)  # fmt: skip
                self.journal_message.emit(f"exported {len(rows)} records to {out}")
            except Exception as e:
                self.journal_message.emit(f"export failed: {e}")

        self._pool.submit(work)

    def write_handover_report(self) -> None:
        if self.journal_path is None:
            return
        f = self.journal_viewer.filters()
        until = f.get("until") or time.time()
        since = f.get("since") or until - 12 * 3600
        out = self.journal_path.with_name(f"handover-{time.strftime('%Y%m%d-%H%M%S')}.html")

        def work() -> None:
            try:
                conn = self._connect_ro()
                try:
                    write_handover(conn, out, since, until)
                finally:
                    conn.close()
                self.journal_message.emit(f"handover report written: {out}")
            except Exception as e:
                self.journal_message.emit(f"handover report failed: {e}")

        self._pool.submit(work)

    # --- persistence ----------------------------------------------------------------------
    def _restore(self) -> None:
        s = self.settings
        geo = s.value("window/geometry")
        if isinstance(geo, QByteArray):
            self.restoreGeometry(geo)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        trends = s.value("views/trends") or []
        if isinstance(trends, str):
            trends = [trends]
        for key in trends:
            sid = str(key).partition("/")[0]
            if sid in self.station_names:
                self.add_trend(str(key), show=False)
        station = s.value("views/station")
        if station in self.station_names:
            self.open_station(str(station))
        tab = int(s.value("views/tab", TAB_OVERVIEW))
        self.tabs.setCurrentIndex(tab if 0 <= tab < self.tabs.count() else TAB_OVERVIEW)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("views/tab", self.tabs.currentIndex())
        s.setValue("views/station", self._station or "")
        s.setValue("views/trends", list(self._trend_keys))
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self._timer.stop()
        self.bridge.detach()
        self._pool.shutdown(wait=False, cancel_futures=True)
        super().closeEvent(event)
