"""The operator console window: banner + key figures on top, ISA-101 levels in tabs below.

Threads: the service (poller, alarms, journal writer) runs on the ServiceRunner's thread. The
window only ever (a) receives `Snapshot`s through the bridge's queued signal and applies the
newest one on a 4 Hz timer (coalescing: a burst of snapshots costs one redraw), and (b) hands
operator actions to the runner, getting results back through queued signals. Journal queries and
the handover report run on a small thread pool with their own read-only SQLite connection; trend
history is fetched on the service loop (the store lives there).

Keyboard: F1–F5 switch tabs, F10 silences. F9 acknowledges what the operator is looking at —
ISA-18.2 wants only alarms that were seen acknowledged, so never "everything": on the Alarms tab
the selection (Shift+F9 all the filter shows), on a station view the unacknowledged alarms listed
above it, elsewhere the alarms on the banner. Only lines on screen for at least `SEEN_S` count,
so an alarm that pops up as the key goes down is not acknowledged unseen.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QEvent,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
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

from console.app import action_words, i18n
from console.app.adapters import Snapshot, label_of
from console.app.bridge import ServiceBridge
from console.app.doorway import Doorway, LocalDoorway
from console.app.energy_panel import EnergyPanel
from console.app.preheat_panel import PreheatPanel
from console.core.journal.query import Filters, filters_from_fields
from console.vocabulary.alarms import AlarmState
from console.vocabulary.keys import PointKey
from console.vocabulary.views import AlarmRow, PointView
from drivers.writes import WriteResult, WriteStatus
from station_config.schema import NetworkDef
from widgets.alarm_banner import AlarmBanner
from widgets.alarm_summary import AlarmSummary
from widgets.annunciator import Annunciator
from widgets.journal_viewer import JournalViewer
from widgets.key_figures import KeyFiguresStrip
from widgets.leak_list import LeakList
from widgets.locale_format import date_clock, integer
from widgets.network_schematic import NetworkSchematic
from widgets.setpoint_dialog import SetpointDialog
from widgets.station_view import StationView
from widgets.trend_forecast import ForecastFitLabel, TrendForecast
from widgets.trend_plot import TrendPlot
from widgets.words import point_label, priority_label

TrendData = tuple[np.ndarray, np.ndarray, np.ndarray]

TAB_OVERVIEW, TAB_STATION, TAB_TRENDS, TAB_ALARMS, TAB_JOURNAL, TAB_ENERGY, TAB_LEAKS = range(7)
APPLY_MS = 250  # at most 4 redraws per second, whatever the scan rate
MAX_TRENDS = 8
TREND_HINT = QT_TRANSLATE_NOOP(
    "MainWindow", "Click a value or a room on the station view, or drag it over the Trends tab."
)
SEEN_S = 1.0  # an alarm line must have been on screen this long before F9 acknowledges it
STATION_ALARM_LINES = 4
_UNACKED = (AlarmState.UNACK, AlarmState.RTN_UNACK)
# The verbs whose controls follow the role (core.auth.roles), and their words on screen.
VERB_WORDS = {
    "acknowledge": QT_TRANSLATE_NOOP("MainWindow", "acknowledge"),
    "shelve": QT_TRANSLATE_NOOP("MainWindow", "shelve"),
    "unshelve": QT_TRANSLATE_NOOP("MainWindow", "unshelve"),
    "silence": QT_TRANSLATE_NOOP("MainWindow", "silence"),
    "write": QT_TRANSLATE_NOOP("MainWindow", "write"),
}
ROLE_WORDS = {
    "viewer": QT_TRANSLATE_NOOP("MainWindow", "viewer"),
    "operator": QT_TRANSLATE_NOOP("MainWindow", "operator"),
    "engineer": QT_TRANSLATE_NOOP("MainWindow", "engineer"),
    "admin": QT_TRANSLATE_NOOP("MainWindow", "administrator"),
}
WRITE_OUTCOME = {
    WriteStatus.DONE: QT_TRANSLATE_NOOP("MainWindow", "done, read back"),
    WriteStatus.REFUSED: QT_TRANSLATE_NOOP("MainWindow", "REFUSED by the controller"),
    WriteStatus.NO_REPLY: QT_TRANSLATE_NOOP(
        "MainWindow", "NO REPLY — outcome unknown, check the value"
    ),
    WriteStatus.REJECTED: QT_TRANSLATE_NOOP("MainWindow", "NOT SENT"),
    WriteStatus.UNCONFIRMED: QT_TRANSLATE_NOOP("MainWindow", "UNCONFIRMED — the read-back differs"),
}
_NOT_YET = object()  # the role seen before the first look


class MainWindow(QMainWindow):
    journal_rows = Signal(object, bool, bool, int)  # rows, has_more, append, query number
    journal_message = Signal(str)
    file_written = Signal(str, str)  # what ("csv", "json", "handover"), path
    trend_fetched = Signal(object, float, float)  # {key: (t, y, q)}, start, end
    first_complete_scan = Signal()  # once: the first snapshot of a complete scan was drawn

    def __init__(
        self,
        bridge: ServiceBridge,
        *,
        journal_path: str | Path | None = None,
        settings: QSettings | None = None,
        title: str = "heatconsole",
        doorway: Doorway | None = None,
    ) -> None:
        super().__init__()
        self.bridge = bridge
        # Every operator verb, trend and journal read goes through this one object.
        self.doorway = doorway or LocalDoorway(bridge, journal_path)
        self.net = self.doorway.net
        self.journal_path = Path(journal_path) if journal_path else None
        self.settings = settings or QSettings("heatconsole", "console")
        self._title = title
        self._role_shown: object = _NOT_YET  # the role the controls were last set for
        self._snap: Snapshot | None = None
        self._dirty = False
        self._complete_drawn = False  # first_complete_scan emitted
        self._station: str | None = None
        self._trend_keys: list[str] = []
        self._trend_span = 3600.0  # the time range the operator chose (presets), seconds
        self._history: dict[str, TrendData] = {}  # older data fetched for a preset, per key
        self.trend_fetches: list[tuple[float, float]] = []  # ranges answered (status, tests)
        self.files_written: list[tuple[str, Path]] = []
        self._query_seq = 0
        self.export_dir: Path | None = None  # None = beside the journal
        self.setpoint_dialog: SetpointDialog | None = None
        self.last_write: WriteResult | None = None
        self._write_old: dict[tuple[str, str], float | None] = {}
        # first time (monotonic) each alarm key was on screen: banner / station alarm list
        self._seen_banner: dict[str, float] = {}
        self._seen_station: dict[str, float] = {}
        self._station_alarm_rows: list[AlarmRow] = []
        self.station_names = {s.id: s.name for s in self.net.stations}
        self._leak_names = {**self.station_names, **{d.id: d.name for d in self.net.districts}}
        district_names = {d.id: d.name for d in self.net.districts}

        # --- widgets ----------------------------------------------------------------------
        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(4, 4, 4, 0)
        root.setSpacing(4)
        self.banner = AlarmBanner(lines=2)
        self.figures = KeyFiguresStrip()
        # A thin console's lost server link: across the top, in words, until it is back.
        self.link_banner = QLabel("")
        self.link_banner.setProperty("role", "link-lost")
        self.link_banner.setWordWrap(True)
        self.link_banner.setStyleSheet(
            "background: #b00020; color: white; font-weight: bold; padding: 6px; font-size: 15px;"
        )
        self.link_banner.setVisible(False)
        root.addWidget(self.link_banner)
        root.addWidget(self.banner)
        root.addWidget(self.figures)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # Dragging a point over the "Trends" tab opens it, so the drop lands on the plot.
        self.tabs.tabBar().setChangeCurrentOnDrag(True)
        self.tabs.tabBar().setAcceptDrops(True)
        self.schematic = NetworkSchematic(self.net)
        self.tabs.addTab(self.schematic, "")

        station_page = QWidget()
        sl = QVBoxLayout(station_page)
        sl.setContentsMargins(0, 0, 0, 0)
        nav = QHBoxLayout()
        self.back_button = QPushButton()
        self.back_button.clicked.connect(lambda: self.tabs.setCurrentIndex(TAB_OVERVIEW))
        self.station_hint = QLabel()
        self.station_hint.setProperty("role", "caption")
        nav.addWidget(self.back_button)
        nav.addWidget(self.station_hint, 1)
        sl.addLayout(nav)
        # What F9 acknowledges here: this station's unacknowledged alarms, listed in words.
        self.station_alarms = QLabel("")
        self.station_alarms.setWordWrap(True)
        self.station_alarms.setVisible(False)
        sl.addWidget(self.station_alarms)
        self.write_status = QLabel("")
        self.write_status.setWordWrap(True)
        self.write_status.setVisible(False)
        sl.addWidget(self.write_status)
        self.forecast_fit = ForecastFitLabel()  # the station's room model: fit, advisory
        sl.addWidget(self.forecast_fit)
        self.station_view = StationView()
        self.station_view.set_district_names(district_names)
        sl.addWidget(self.station_view, 1)
        self.tabs.addTab(station_page, "")

        trend_page = QWidget()
        tl = QVBoxLayout(trend_page)
        tl.setContentsMargins(0, 0, 0, 0)
        tnav = QHBoxLayout()
        self.trend_caption = QLabel()
        self.trend_caption.setProperty("role", "caption")
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear_trends)
        tnav.addWidget(self.trend_caption, 1)
        tnav.addWidget(self.clear_button)
        tl.addLayout(tnav)
        self.trend = TrendPlot()
        self.trend_forecast = TrendForecast(self.trend)  # the rooms' 48 h ahead, its state
        tl.addWidget(self.trend_forecast)
        tl.addWidget(self.trend, 1)
        tl.addWidget(self.trend_forecast.chart, 1)  # in the plot's place while "Forecast 48 h"
        self.trend_forecast.set_names(self.station_names)
        self.tabs.addTab(trend_page, "")

        self.alarm_summary = AlarmSummary()
        self.alarm_summary.incremental = True  # sliced diffs, none while its tab is hidden
        self.alarm_summary.set_districts(district_names.values())  # the rows carry names
        self.tabs.addTab(self.alarm_summary, "")
        self.journal_viewer = JournalViewer()
        self._journal_districts(district_names)
        self.tabs.addTab(self.journal_viewer, "")
        # Heat metering and the heating curves (its reads go through the doorway too).
        self.energy_panel = EnergyPanel(self.doorway, self)
        self.energy_panel.open_station.connect(self.open_station)
        self.energy_panel.metering.export_requested.connect(self.export_metering)
        self.energy_panel.file_written.connect(self.file_written)
        self.energy_panel.message.connect(self._show_panel_message)
        self.tabs.addTab(self.energy_panel, "")
        # Suspected leaks by the water balance, per district, largest first.
        self.leak_list = LeakList()
        self.leak_list.station_requested.connect(self.open_station)
        self.tabs.addTab(self.leak_list, "")
        self.preheat_panel = PreheatPanel(self.doorway, self)  # cold-wave pre-heating plan
        self.tabs.addTab(self.preheat_panel, "")
        root.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        sb = self.statusBar()
        self.status_cycle = QLabel()
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
        # The doorway's answers arrive from its threads: forwarded (queued) into this window's
        # own signals, whose receivers are declared slots.
        door = self.doorway
        door.journal_rows.connect(self.journal_rows)
        door.message.connect(self.journal_message)
        door.trend_fetched.connect(self.trend_fetched)
        door.file_written.connect(self.file_written)
        door.network_changed.connect(self._on_network)
        self.schematic.station_activated.connect(self.open_station)
        self.banner.station_requested.connect(self.open_station)
        self.banner.silence_requested.connect(self.silence)
        self.alarm_summary.station_requested.connect(self.open_station)
        self.alarm_summary.acknowledge_requested.connect(self.acknowledge)
        self.alarm_summary.shelve_requested.connect(self.shelve)
        self.alarm_summary.unshelve_requested.connect(self.unshelve)
        self.alarm_summary.silence_requested.connect(self.silence)
        self.trend_forecast.watch(self.alarm_summary.view)  # an advisory opens its forecast
        self.trend_forecast.open_requested.connect(self.open_forecast)
        self.trend_forecast.rooms_wanted.connect(self._forecast_rooms)
        self.station_view.point_activated.connect(self._trend_point)
        self.station_view.room_clicked.connect(lambda i: self._trend_point(f"room_temp[{i}]"))
        self.station_view.write_requested.connect(self.request_write)
        self.trend.point_dropped.connect(self.add_trend)
        self.trend.range_requested.connect(self.fetch_trend_range)
        # Pan/zoom has priority over the live picture: the bridge defers builds (bounded).
        self.trend.interacted.connect(bridge.note_interaction)
        self.trend_fetched.connect(self._on_trend_fetched)
        self.file_written.connect(self._on_file_written)
        self.journal_viewer.query_requested.connect(lambda f: self.run_query(f, append=False))
        self.journal_viewer.more_requested.connect(lambda f: self.run_query(f, append=True))
        self.journal_viewer.export_requested.connect(self.export_journal)
        self.journal_viewer.handover_requested.connect(self.write_handover_report)
        self.tabs.currentChanged.connect(self._tab_changed)

        # F9/F10 belong to the alarm summary's actions while it is shown; elsewhere these window
        # shortcuts stand in (enabled only then, so Qt never sees two owners of one key).
        self.sc_silence = QShortcut(QKeySequence(Qt.Key.Key_F10), self, activated=self.silence)
        self.sc_alarms = QShortcut(
            QKeySequence(Qt.Key.Key_F9), self, activated=self.acknowledge_seen
        )
        # The interface language: switchable here, titled in both so either reader finds it.
        self.language_menu = self.menuBar().addMenu("Language / 语言")
        self.language_group = i18n.add_language_menu(self.language_menu, self.settings)
        for i, key in enumerate(("F1", "F2", "F3", "F4", "F5")):
            QShortcut(QKeySequence(key), self, activated=lambda i=i: self.tabs.setCurrentIndex(i))

        self._timer = QTimer(self)
        self._timer.setInterval(APPLY_MS)
        self._timer.timeout.connect(self._apply)
        self._timer.start()

        self.resize(1366, 768)
        self.retranslate()
        self._restore()
        self._tab_changed(self.tabs.currentIndex())

    # --- words ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Every window-level text in the current language (widgets reword themselves)."""
        self.setWindowTitle(
            self.tr("{title} — {network}").format(title=self._title, network=self.net.name)
        )
        self.tabs.setTabText(TAB_OVERVIEW, self.tr("Overview"))
        self.tabs.setTabText(TAB_TRENDS, self.tr("Trends"))
        self.tabs.setTabText(TAB_JOURNAL, self.tr("Journal"))
        self.tabs.setTabText(TAB_ENERGY, self.tr("Energy"))
        self.tabs.setTabText(TAB_LEAKS, self.tr("Leaks"))
        self.tabs.setTabText(self.tabs.indexOf(self.preheat_panel), self.tr("Pre-heating"))
        self._station_words()
        self._alarms_tab_text()
        self.back_button.setText(self.tr("◀ Overview"))
        self.clear_button.setText(self.tr("Clear trends"))
        self._trend_words()
        if self._snap is None:
            self.status_cycle.setText(self.tr("waiting for the first scan…"))
        else:
            self._show_status(self._snap)
            self._show_station_alarms(self._snap.alarms)
        for act in self.language_group.actions():
            act.setChecked(act.data() == i18n.current_language())
        self._role_shown = _NOT_YET  # the reasons on hover: worded again
        self._refresh_allowed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _station_words(self) -> None:
        if self._station is None:
            self.tabs.setTabText(TAB_STATION, self.tr("Station"))
            self.station_hint.setText(
                self.tr("Double-click a station on the overview or an alarm row.")
            )
        else:
            self.tabs.setTabText(
                TAB_STATION, self.tr("Station {station}").format(station=self._station)
            )
            self.station_hint.setText(
                self.tr("Click a value or a room for its trend · “Change…” to write a setpoint")
            )

    def _alarms_tab_text(self) -> None:
        n_un = self._snap.figures.unacked_alarms if self._snap is not None else 0
        self.tabs.setTabText(
            TAB_ALARMS,
            self.tr("Alarms ({n} unack)").format(n=integer(n_un)) if n_un else self.tr("Alarms"),
        )

    def _trend_words(self) -> None:
        if self._trend_keys:
            names = self.tr(", ").join(self._trend_label(k) for k in self._trend_keys)
            self.trend_caption.setText(self.tr("Trending: {keys}").format(keys=names))
        else:
            self.trend_caption.setText(self.tr(TREND_HINT))

    # --- what the role allows ------------------------------------------------------------
    def why_not(self, verb: str) -> str | None:
        """None when this console's user may do `verb`, else the reason in the interface
        language (the doorway decides and words it, as it does for the panels)."""
        return self.doorway.why_not_words(verb)

    def _refresh_allowed(self) -> None:
        """Enable or disable the acting controls for the role, once per change of role (a thin
        console learns its role from the server after connecting)."""
        role = self.doorway.role
        if role == self._role_shown:
            return
        self._role_shown = role
        self.alarm_summary.set_allowed(self.why_not)
        self.station_view.set_allowed(self.why_not)
        self.banner.set_allowed(self.why_not)
        ack = self.why_not("acknowledge")
        self.banner.setToolTip(
            self.tr(
                "F9 (outside the Alarms tab) acknowledges the alarms shown here; "
                "on a station view, that station's alarms listed above it."
            )
            if ack is None
            else self.tr("F9 does not acknowledge here: {reason}").format(reason=ack)
        )

    # --- snapshots ------------------------------------------------------------------------
    # Receivers of signals emitted on other threads (service, journal/trend workers) are
    # declared slots: PySide6 then queues to this QObject's own meta-method, and Qt drops a
    # pending call when the window is gone. A plain Python callable is called through a
    # global receiver instead, which crashed (SIGSEGV) on a call queued to an object freed
    # meanwhile (PYSIDE-3124).
    @Slot(object)
    def _on_snapshot(self, snap: Snapshot) -> None:
        self._snap = snap  # only the newest counts; _apply draws it at the bounded rate
        self._dirty = True
        if snap.urgent:  # another seat acknowledged, a new alarm: now, not at the next tick
            QTimer.singleShot(0, self._apply)

    def _apply(self) -> None:
        self._refresh_allowed()
        if not self._dirty or self._snap is None:
            return
        self._dirty = False
        snap = self._snap
        self.schematic.update_states(snap.states)
        self.figures.set_figures(snap.figures)
        self.banner.set_rows(snap.alarms)
        self.alarm_summary.set_rows(snap.alarms)
        self.alarm_summary.set_flood(snap.status.flood_count, snap.status.flood)
        self.energy_panel.apply_snapshot(snap)
        if snap.leaks or self.leak_list.isVisible():
            self.leak_list.set_districts(snap.leaks, self._leak_names)
        self._alarms_tab_text()
        st = snap.status
        self.annunciator.set_sounding(st.sounding, st.tone)
        self.banner.set_sound_state(self.annunciator.sounding, self.annunciator.audio_available)
        d = snap.detail
        if d is not None and d.station == self._station:
            self.station_view.set_station(d.state, d.points)
            self.station_view.set_rooms(d.rooms)
        for key, data in snap.trends.items():
            t, y, q = self._with_history(key, data)
            if len(t):
                self.trend.set_series(key, self._trend_label(key), self._unit_of(key), t, y, q)
        self.trend_forecast.apply(snap.forecast)
        self.forecast_fit.show_station(snap.forecast, self._station)
        self._show_station_alarms(snap.alarms)
        self._mark_seen(self._seen_banner, self._leaves(self.banner.shown))
        self._show_status(snap)
        if st.complete and not self._complete_drawn:
            self._complete_drawn = True
            self.first_complete_scan.emit()

    def _show_status(self, snap: Snapshot) -> None:
        st = snap.status
        # Short on the line (a 1366 px status bar holds four items), the details on hover.
        text = self.tr("poll {period} s · all within {cycle} s").format(
            period=f"{st.period_s:g}", cycle=f"{st.cycle_s:.1f}"
        )
        if not st.complete:
            text += self.tr(" · first scan not complete")
        self.status_cycle.setText(text)
        self.status_cycle.setToolTip(
            self.tr(
                "poll every {period} s · all answering stations within {cycle} s · "
                "slowest scan {slowest} ms · alarm/journal batch {batch} ms"
            ).format(
                period=f"{st.period_s:g}",
                cycle=f"{st.cycle_s:.1f}",
                slowest=f"{st.slowest_scan_s * 1000:.0f}",
                batch=f"{st.batch_s * 1000:.0f}",
            )
        )
        self.status_comm.setText(
            self.tr("stations  GOOD {good} · STALE {stale} · FAILED {failed}").format(
                good=integer(st.good), stale=integer(st.stale), failed=integer(st.failed)
            )
        )
        self.status_comm.setStyleSheet("font-weight: bold;" if st.failed or st.stale else "")
        self.status_journal.setText(st.journal)
        role = self.doorway.role
        who = self.tr(ROLE_WORDS[role]) if role in ROLE_WORDS else self.tr("operator")
        fast = st.time_scale != 1.0
        note = self.tr(" · simulated time ×{scale}").format(scale=f"{st.time_scale:g}")
        self.status_user.setText(f"{who}: {st.user}{note if fast else ''}")
        self.status_user.setToolTip(st.time_note)
        lost = st.link_problem
        if lost != self.link_banner.text():
            self.link_banner.setText(lost)
        self.link_banner.setVisible(bool(lost))

    def _journal_districts(self, district_names: dict[str, str]) -> None:
        # the journal filters by id, the dispatcher reads the name (filter and rows)
        self.journal_viewer.set_districts(district_names)

    @Slot(object)
    def _on_network(self, net: NetworkDef) -> None:
        """A thin console's city grew (another partition's server joined): its stations,
        districts and geometry join the schematic and the lists, no restart."""
        self.net = net
        self.station_names = {s.id: s.name for s in net.stations}
        self.trend_forecast.set_names(self.station_names)
        self._leak_names = {**self.station_names, **{d.id: d.name for d in net.districts}}
        district_names = {d.id: d.name for d in net.districts}
        self.schematic.set_network(net)
        self.station_view.set_district_names(district_names)
        self.alarm_summary.set_districts(district_names.values())
        self._journal_districts(district_names)
        self._dirty = self._snap is not None  # the new symbols get their states at once

    # --- navigation -----------------------------------------------------------------------
    def open_station(self, station_id: str) -> None:
        if station_id not in self.station_names:
            return
        self._station = station_id
        self.trend_forecast.set_focus(station_id)  # "Forecast 48 h" shows this station
        self.bridge.set_focus(station_id)
        self.schematic.select_station(station_id)
        self._station_words()
        self.tabs.setCurrentIndex(TAB_STATION)

    def _tab_changed(self, i: int) -> None:
        on_alarms = i == TAB_ALARMS
        self._seen_station.clear()
        if i == TAB_STATION:
            self._mark_seen(self._seen_station, self._leaves(self._station_alarm_rows))
        self.sc_alarms.setEnabled(not on_alarms)
        self.sc_silence.setEnabled(not on_alarms)
        if i == TAB_JOURNAL and self.journal_viewer.model.total_held() == 0:
            self.journal_viewer.request_query()

    # --- trends ---------------------------------------------------------------------------
    def _trend_point(self, point: str) -> None:
        if self._station is not None:
            self.add_trend(f"{self._station}/{point}")

    def add_trend(self, key: str, show: bool = True) -> None:
        pk = PointKey.try_parse(key)
        if pk is None or pk.station not in self.station_names:
            return
        if key not in self._trend_keys:
            self._trend_keys = [*self._trend_keys, key][-MAX_TRENDS:]
            for old in self.trend.series_keys():
                if old not in self._trend_keys:
                    self.trend.remove_series(old)
            self._history = {k: v for k, v in self._history.items() if k in self._trend_keys}
            self.bridge.set_trend_keys(self._trend_keys)
            self._seed_trend(key)
            # What the ring and the history hold for the shown span, read on the service loop
            # (answered by trend_fetched); the live value is on the plot meanwhile.
            end = time.time()
            self._fetch([key], end - self._trend_span, end)
        self._trend_words()
        if show:
            self.tabs.setCurrentIndex(TAB_TRENDS)

    def _seed_trend(self, key: str) -> None:
        """A new curve shows the point's live value at once (value, quality, a y-range that
        holds it and its normal band), from the snapshot the window already has."""
        sid, _, point = key.partition("/")
        d = self._snap.detail if self._snap is not None else None
        if d is None or d.station != sid:
            return
        shown = self.station_view.station()
        # The station view's points carry the bands it draws (normal band around a setpoint).
        banded = self.station_view.points() if shown is not None and shown.id == sid else {}
        pv = banded.get(point) or d.points.get(point)
        if pv is not None:
            value, quality, band = pv.value, pv.quality, (pv.normal_low, pv.normal_high)
            at = pv.time or self._snap.time  # type: ignore[union-attr]
        elif point.startswith("room_temp[") and point[10:-1].isdigit():
            room = next((r for r in d.rooms if r.index == int(point[10:-1])), None)
            if room is None:
                return
            value, quality, band = room.temp, room.quality, (room.low_limit, None)
            at = self._snap.time  # type: ignore[union-attr]
        else:
            return
        if key not in self.trend.series_keys() and value is not None:
            t, y, q = np.array([at]), np.array([value], float), np.array([quality], np.uint8)
            self.trend.set_series(key, self._trend_label(key), self._unit_of(key), t, y, q)
        self.trend.set_band(key, *band)
        self.trend.flush()  # follow: the view ends at the newest sample

    def open_forecast(self, station_id: str) -> None:
        """A station's room mean and coldest room with their 48 h forecast (an advisory)."""
        self.trend_forecast.open_station(station_id)  # asks for the rooms (_forecast_rooms)
        self.tabs.setCurrentIndex(TAB_TRENDS)

    def _forecast_rooms(self, station_id: str, wall_s: float) -> None:
        """The forecast chart's past: the station's room curves over the last `wall_s`."""
        keys = [f"{station_id}/{p}" for p in ("room_temp_min", "room_temp_mean")]
        for key in keys:
            self.add_trend(key, show=False)
        end = time.time()
        self._fetch(keys, end - wall_s, end)

    def clear_trends(self) -> None:
        for key in self.trend.series_keys():
            self.trend.remove_series(key)
        self._trend_keys = []
        self._history = {}
        self.bridge.set_trend_keys([])
        self._trend_words()

    def fetch_trend_range(self, start: float, end: float) -> None:
        """The plot wants [start, end] (a preset, or a pan into the past): fetch it for every
        curve on the service loop, never on the GUI thread."""
        self._trend_span = max(60.0, end - start)
        if self._trend_keys:
            self._fetch(list(self._trend_keys), start, end)

    def _fetch(self, keys: list[str], start: float, end: float) -> None:
        self.doorway.fetch_trend(keys, start, end)  # answered by trend_fetched, queued

    @Slot(object, float, float)
    def _on_trend_fetched(self, data: dict[str, TrendData], start: float, end: float) -> None:
        if data and not any(k in self._trend_keys for k in data):
            self.trend_fetches.append((start, end))
            return  # another reader's answer (the energy panel's season reads): no trend words
        for key, (t, y, q) in data.items():
            if key not in self._trend_keys:
                continue  # removed while the fetch ran
            self._history[key] = (np.asarray(t), np.asarray(y), np.asarray(q))
            if key in self.trend.series_keys():
                live = self.trend.series_data(key)
                lq = live[2] if live[2] is not None else np.zeros(len(live[0]), np.uint8)
                t, y, q = self._with_history(key, (live[0], live[1], lq))
            if len(t):
                self.trend.set_series(key, self._trend_label(key), self._unit_of(key), t, y, q)
        self.trend_fetches.append((start, end))
        # Said only when the history really holds nothing that early for a curve asked for.
        firsts = [
            float(t[0]) for k, (t, _y, _q) in data.items() if k in self._trend_keys and len(t)
        ]
        empty = [k for k, (t, _y, _q) in data.items() if k in self._trend_keys and not len(t)]
        held = min(firsts) if firsts else None
        if empty or (held is not None and held > start + 60):
            self.statusBar().showMessage(
                self.tr("trend: the history holds no samples before {time}").format(
                    time=date_clock(held) if held is not None else date_clock(end)
                ),
                10_000,
            )

    def _with_history(self, key: str, live: TrendData) -> TrendData:
        """Fetched older samples in front of the live ring buffer's (no overlap, no gap)."""
        hist = self._history.get(key)
        if hist is None or not len(hist[0]):
            return live
        t, y, q = live
        cut = t[0] if len(t) else math.inf
        m = hist[0] < cut
        return (
            np.concatenate([hist[0][m], t]),
            np.concatenate([hist[1][m], y]),
            np.concatenate([np.asarray(hist[2][m], np.uint8), np.asarray(q, np.uint8)]),
        )

    def _trend_label(self, key: str) -> str:
        sid, point = PointKey.parse(key).parts
        return f"{sid} {point_label(point, label_of(point))}"

    def _unit_of(self, key: str) -> str:
        sid, point = PointKey.parse(key).parts
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
        if keys and not self._refused("acknowledge"):
            self.doorway.acknowledge(list(keys))

    def shelve(self, keys: list[str], duration_s: int | None, reason: str) -> None:
        if keys and not self._refused("shelve"):
            self.doorway.shelve(list(keys), duration_s, reason)

    def unshelve(self, keys: list[str]) -> None:
        if keys and not self._refused("unshelve"):
            self.doorway.unshelve(list(keys))

    def silence(self) -> None:
        self.annunciator.silence()  # this seat's horn stops at once, whatever the role
        if self.doorway.why_not("silence") is None:
            self.doorway.silence()

    def _refused(self, verb: str) -> bool:
        """Say so (and do nothing) when this console's user may not do `verb`."""
        why = self.why_not(verb)
        if why is not None:
            self.statusBar().showMessage(
                self.tr("{verb}: not allowed — {reason}").format(
                    verb=self.tr(VERB_WORDS.get(verb, verb)), reason=why
                ),
                8000,
            )
        return why is not None

    @staticmethod
    def _leaves(rows: list[AlarmRow]) -> list[str]:
        return [c.key for r in rows for c in (r.children or (r,)) if c.state in _UNACKED]

    @staticmethod
    def _mark_seen(seen: dict[str, float], keys: list[str]) -> None:
        now = time.monotonic()
        current = set(keys)
        for k in list(seen):
            if k not in current:
                del seen[k]  # gone from the screen: seen afresh when it comes back
        for k in keys:
            seen.setdefault(k, now)

    def seen_keys(self) -> list[str]:
        """What F9 would acknowledge now (outside the Alarms tab): see the module docstring."""
        on_station = self.tabs.currentIndex() == TAB_STATION and self._station is not None
        seen = self._seen_station if on_station else self._seen_banner
        keys = self._leaves(self._station_alarm_rows if on_station else self.banner.shown)
        now = time.monotonic()
        return [k for k in keys if now - seen.get(k, now) >= SEEN_S]

    def acknowledge_seen(self) -> None:
        on_station = self.tabs.currentIndex() == TAB_STATION and self._station is not None
        keys = self.seen_keys()
        if keys and self._refused("acknowledge"):
            return
        if keys:
            self.acknowledge(keys)
            msg = (
                self.tr("F9: acknowledging {n} alarm(s) at {station}")
                if on_station
                else self.tr("F9: acknowledging {n} alarm(s) on the banner")
            )
            self.statusBar().showMessage(
                msg.format(n=integer(len(keys)), station=self._station), 8000
            )
        else:
            msg = (
                self.tr(
                    "F9: no unacknowledged alarm shown at {station} — "
                    "the Alarms tab (F4) lists them all"
                )
                if on_station
                else self.tr(
                    "F9: no unacknowledged alarm shown on the banner — "
                    "the Alarms tab (F4) lists them all"
                )
            )
            self.statusBar().showMessage(msg.format(station=self._station), 8000)

    def _show_station_alarms(self, rows: list[AlarmRow]) -> None:
        """List the open station's unacknowledged alarms above its view (what F9 acknowledges
        there): words, not only colours, and never more than fits."""
        sid = self._station
        mine = [r for r in rows if sid is not None and r.station == sid and r.state in _UNACKED]
        mine.sort(key=lambda r: (r.priority.rank, -r.time))
        shown = mine[:STATION_ALARM_LINES]
        self._station_alarm_rows = shown
        if self.tabs.currentIndex() == TAB_STATION:
            self._mark_seen(self._seen_station, self._leaves(shown))
        if not shown:
            self.station_alarms.setVisible(False)
            return
        parts = [f"<b>{priority_label(r.priority)}</b> {r.message}" for r in shown]
        more = len(mine) - len(shown)
        tail = self.tr(" · +{n} more on the Alarms tab").format(n=integer(more)) if more else ""
        head = (
            self.tr("Unacknowledged here (F9 acknowledges these):")
            if self.why_not("acknowledge") is None
            else self.tr("Unacknowledged here:")
        )
        self.station_alarms.setText(f"{head} {' · '.join(parts)}{tail}")
        self.station_alarms.setVisible(True)

    def request_write(self, point: str) -> SetpointDialog | None:
        """Open the confirmation dialog for an RW point (old → new, range, refusal reasons).

        `open()`, not `exec()`: window-modal without a nested event loop, so live values keep
        updating behind it and nothing blocks; Send hands the write to the service loop.
        """
        sid = self._station
        pv: PointView | None = self.station_view.points().get(point)
        state = self.station_view.station()
        if sid is None or pv is None or state is None or self._refused("write"):
            return None
        if self.setpoint_dialog is not None:
            self.setpoint_dialog.close()
        dlg = SetpointDialog(
            pv, station_name=state.name, local_control=state.local_control, parent=self
        )
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.confirmed.connect(lambda name, value: self.send_write(sid, name, value, pv.value))
        dlg.finished.connect(lambda _r, d=dlg: self._dialog_closed(d))
        self.setpoint_dialog = dlg
        dlg.open()
        return dlg

    def _dialog_closed(self, dlg: SetpointDialog) -> None:
        if self.setpoint_dialog is dlg:
            self.setpoint_dialog = None

    def send_write(self, sid: str, point: str, value: float, old: float | None = None) -> None:
        """Send a confirmed write through the runner; the outcome comes back queued."""
        self._write_old[(sid, point)] = old
        label = point_label(point, label_of(point))
        self._show_write(
            self.tr("Writing {point} = {value} at {station} … waiting for the station").format(
                point=label, value=f"{value:g}", station=sid
            )
        )
        self.statusBar().showMessage(
            self.tr("writing {station} {point} = {value} …").format(
                station=sid, point=label, value=f"{value:g}"
            ),
            10_000,
        )
        self.doorway.write(sid, point, value)

    def _show_write(self, text: str, error: bool = False) -> None:
        self.write_status.setText(text)
        self.write_status.setStyleSheet("font-weight: bold;" if error else "")
        self.write_status.setVisible(True)

    @Slot(str, object, object)
    def _on_action_done(self, what: str, result: Any, exc: BaseException | None) -> None:
        if exc is not None:
            what = action_words.worded(what)
            self._show_message(
                self.tr("{what}: failed — {error}").format(what=what, error=exc), error=True
            )
            return
        if isinstance(result, WriteResult):
            self.last_write = result
            words = WRITE_OUTCOME.get(result.status)
            outcome = self.tr(words) if words else str(result.status)
            old = self._write_old.pop((result.station_id, result.point), None)
            change = f"{'?' if old is None else f'{old:g}'} → {result.value:g}"
            label = point_label(result.point, label_of(result.point))
            text = f"{time.strftime('%H:%M:%S')}  {result.station_id} {label} {change}: {outcome}"
            if result.readback is not None:
                text += self.tr(" (read back {value})").format(value=f"{result.readback:g}")
            if result.message:
                text += f" — {result.message}"
            self._show_write(text + self.tr(" · journalled"), error=not result.ok)
            # Success is shown calmly on the station page; anything else also pops up, since
            # the operator may already be looking elsewhere.
            self._show_message(text, error=not result.ok, popup=not result.ok)
            return
        self.statusBar().showMessage(
            self.tr("{what}: done").format(what=action_words.worded(what)), 8000
        )

    @Slot(str, bool)
    def _show_panel_message(self, text: str, error: bool) -> None:
        self._show_message(text, error=error)

    @Slot(str)
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

    # --- journal (read by the doorway: a read-only file, or the servers) --------------------
    @staticmethod
    def filters_from(f: dict[str, Any]) -> tuple[Filters, int]:
        offset = int(f.get("offset") or 0)
        limit = int(f.get("limit") or 1000)
        # The same normalisation as `heatconsole log` ('high+', 'unack', 'Alarm'); a bad value
        # raises QueryError, which the caller shows to the operator.
        filt = filters_from_fields(f, limit=offset + limit + 1, newest_first=True)
        return filt, offset

    def _filters_or_say(self, f: dict[str, Any]) -> tuple[Filters, int] | None:
        try:
            return self.filters_from(f)
        except ValueError as e:  # QueryError: an unknown priority/state/kind
            self._show_message(self.tr("journal filter: {error}").format(error=e), error=True)
            return None

    def run_query(self, f: dict[str, Any], append: bool) -> None:
        if self.journal_path is None and not self.doorway.remote:
            return
        parsed = self._filters_or_say(f)
        if parsed is None:
            return
        filt, offset = parsed
        if not append:
            self._query_seq += 1  # a new search: answers to older ones are dropped
        self.doorway.query_journal(filt, offset, append, self._query_seq)

    @Slot(object, bool, bool, int)
    def _on_journal_rows(self, rows: list[dict], has_more: bool, append: bool, seq: int) -> None:
        if seq != self._query_seq:
            return  # the operator changed the filters since: never show a superseded result
        if append:
            self.journal_viewer.append_rows(rows, has_more)
        else:
            self.journal_viewer.set_rows(rows, has_more)

    def _out_path(self, stem: str, ext: str) -> Path:
        folder = self.export_dir or (self.journal_path.parent if self.journal_path else Path.cwd())
        return folder / f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}.{ext}"

    def export_journal(self, fmt: str) -> None:
        """What the journal tab's filters show, as CSV or JSON — the files `heatconsole log
        --format csv|json` writes, from a worker thread."""
        if self.journal_path is None and not self.doorway.remote:
            return
        parsed = self._filters_or_say({**self.journal_viewer.filters(), "limit": None})
        if parsed is None:
            return
        filt, _ = parsed
        filt.limit, filt.newest_first = None, False  # the whole range, oldest first (as log)
        out = self._out_path("journal-export", "json" if fmt == "json" else "csv")
        self.doorway.export_journal(filt, fmt, out)

    def export_metering(self) -> None:
        """The metering tab's report as CSV, beside the journal's exports."""
        self.energy_panel.export_csv(self._out_path("metering", "csv"))

    def write_handover_report(self) -> None:
        if self.journal_path is None and not self.doorway.remote:
            return
        f = self.journal_viewer.filters()
        until = f.get("until") or time.time()
        since = f.get("since") or until - 12 * 3600
        self.doorway.handover(since, until, self._out_path("handover", "html"))

    @Slot(str, str)
    def _on_file_written(self, what: str, path: str) -> None:
        self.files_written.append((what, Path(path)))

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
            pk = PointKey.try_parse(str(key))
            if pk is not None and pk.station in self.station_names:
                self.add_trend(str(key), show=False)
        try:
            self._trend_span = float(s.value("views/trend_span", 3600.0))
        except (TypeError, ValueError):
            self._trend_span = 3600.0
        if int(self._trend_span) in self.trend.preset_buttons:
            self.trend.apply_preset(int(self._trend_span))  # fetches the past for long spans
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
        s.setValue("views/trend_span", self._trend_span)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self._timer.stop()
        self.bridge.detach()
        self.energy_panel.close_pool()
        self.preheat_panel.close_pool()
        self.doorway.close()
        super().closeEvent(event)
