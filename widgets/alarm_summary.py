"""The alarm summary panel: filter bar, toolbar, flood indication, counts and the alarm tree.

Pure view: rows come in through `set_rows()`, the operator's intent goes out as signals
(acknowledge, shelve, silence, jump to station). The engine decides what actually happens.

Keyboard (window-wide, so they work wherever focus is in the console window):
    F9          acknowledge the selected alarms (a selected station group = all its rooms)
    Shift+F9    acknowledge every unacknowledged alarm the current filter shows
    F8          shelve the selected alarms (asks for duration and reason)
    F10         silence the horn (does not acknowledge)
    Enter       open the selected alarm's station (also double-click)
Ctrl+A is deliberately not used: it is "select all" in every list and text field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QRadioButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.views import AlarmRow
from widgets.alarm_model import (
    BLINK_COLUMN,
    UNACKED_STATES,
    AlarmCounts,
    AlarmFilterProxy,
    AlarmTreeModel,
    Col,
    RowRole,
    priority_color,
    priority_text_color,
)
from widgets.colors import BlinkClock
from widgets.locale_format import integer
from widgets.words import priority_name

# One slice of a large diff in incremental mode; the event loop runs between slices, so a cold
# night's thousands of changed rows never block it for long (issue 5: stall max <= 200 ms).
# A diff that inserts, removes or re-sorts rows is not repainted between slices (the view would
# re-layout and repaint everything, ~12 ms, after each): once, when it is done. A diff that
# changes only what rows show (values, text) repaints just those cells as it goes.
SLICE_S = 0.010

# Shortcuts in one place, so the main window's menus can show the same ones.
SHORTCUT_ACK_SELECTED = QKeySequence(Qt.Key.Key_F9)
SHORTCUT_ACK_VISIBLE = QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F9)
SHORTCUT_SHELVE = QKeySequence(Qt.Key.Key_F8)
SHORTCUT_UNSHELVE = QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F8)
SHORTCUT_SILENCE = QKeySequence(Qt.Key.Key_F10)

SHELVE_PRESETS: list[tuple[str, int | None]] = [
    (QT_TRANSLATE_NOOP("ShelveDialog", "15 min"), 15 * 60),
    (QT_TRANSLATE_NOOP("ShelveDialog", "1 h"), 3600),
    (QT_TRANSLATE_NOOP("ShelveDialog", "8 h (a shift)"), 8 * 3600),
    # one-shot: ends when the condition returns to normal
    (QT_TRANSLATE_NOOP("ShelveDialog", "Until it clears"), None),
]

# State filter presets: what a dispatcher asks for, not the raw ISA-18.2 state list.
STATE_FILTERS: list[tuple[str, frozenset[AlarmState] | None]] = [
    (
        QT_TRANSLATE_NOOP("AlarmSummary", "Active and unacknowledged"),
        frozenset({AlarmState.UNACK, AlarmState.ACK, AlarmState.RTN_UNACK}),
    ),
    (
        QT_TRANSLATE_NOOP("AlarmSummary", "Unacknowledged"),
        frozenset({AlarmState.UNACK, AlarmState.RTN_UNACK}),
    ),
    (QT_TRANSLATE_NOOP("AlarmSummary", "Acknowledged"), frozenset({AlarmState.ACK})),
    (
        QT_TRANSLATE_NOOP("AlarmSummary", "Shelved / suppressed"),
        frozenset({AlarmState.SHELVED, AlarmState.SUPPRESSED, AlarmState.OUT_OF_SERVICE}),
    ),
    (QT_TRANSLATE_NOOP("AlarmSummary", "All states"), None),
]

FLOOD_WINDOW_MIN = 10
FLOOD_THRESHOLD = 10  # EEMUA 191: 10 or more new alarms in 10 minutes per operator


class ShelveDialog(QDialog):
    """Duration preset and a required reason (ISA-18.2: shelving always says who and why)."""

    def __init__(self, n_alarms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._n = n_alarms
        self.setModal(True)
        self.setMinimumWidth(460)  # the reason's placeholder (an example) must show in full
        form = QFormLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        form.addRow(self.intro)
        box = QVBoxLayout()
        self.presets: list[QRadioButton] = []
        for i in range(len(SHELVE_PRESETS)):
            rb = QRadioButton()
            rb.setChecked(i == 1)  # 1 h
            self.presets.append(rb)
            box.addWidget(rb)
        self.for_label, self.reason_label = QLabel(), QLabel()
        form.addRow(self.for_label, box)
        self.reason = QLineEdit()
        form.addRow(self.reason_label, self.reason)
        # Cancel is Qt's (translated by qtbase); "Shelve" is ours (see SetpointDialog).
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.reason.textChanged.connect(self._update_ok)
        self.retranslate()
        self._update_ok()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Shelve alarms"))
        what = self.tr("1 alarm") if self._n == 1 else self.tr("{n} alarms").format(n=self._n)
        self.intro.setText(
            self.tr("Shelve {what}. Shelved alarms are still evaluated and journalled.").format(
                what=what
            )
        )
        for rb, (label, _) in zip(self.presets, SHELVE_PRESETS, strict=True):
            rb.setText(self.tr(label))
        self.for_label.setText(self.tr("For"))
        self.reason_label.setText(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("Required, e.g. sensor known faulty, ticket 1234"))
        self.ok_button.setText(self.tr("Shelve"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.reason.text().strip()))

    def duration_s(self) -> int | None:
        for rb, (_, seconds) in zip(self.presets, SHELVE_PRESETS, strict=True):
            if rb.isChecked():
                return seconds
        return SHELVE_PRESETS[1][1]

    def reason_text(self) -> str:
        return self.reason.text().strip()


class AlarmTreeView(QTreeView):
    """The alarm tree; changed rooms of a collapsed station group repaint nothing.

    A scan changes the value and text of thousands of rooms: the model announces them as runs
    of rows inside each group. QTreeView repaints its whole viewport for any multi-row
    dataChanged, visible or not (~12 ms and ~2,000 calls into Python per repaint, many times a
    second); rows under a collapsed group are not on screen, so nothing needs repainting. The
    group's own row announces its changes separately.
    """

    def dataChanged(
        self,
        top_left: QModelIndex | QPersistentModelIndex,
        bottom_right: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        if top_left.row() != bottom_right.row():
            parent = top_left.parent()
            if parent.isValid() and not self.isExpanded(parent):
                return  # not on screen: no editors, uniform row heights, nothing to refresh
        super().dataChanged(top_left, bottom_right, list(roles))


class AlarmSummary(QWidget):
    """Alarm summary table with filters and the operator's alarm actions."""

    acknowledge_requested = Signal(list)  # list[str] alarm keys
    shelve_requested = Signal(list, object, str)  # keys, duration_s (int | None), reason
    unshelve_requested = Signal(list)  # keys of shelved alarms, back under the operator's eye
    silence_requested = Signal()
    station_requested = Signal(str)  # station id

    def __init__(self, parent: QWidget | None = None, blink: BlinkClock | None = None) -> None:
        super().__init__(parent)
        self.model = AlarmTreeModel(self, blink=blink)
        self.proxy = AlarmFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._districts: list[str] = []
        # verb -> why this console's user may not do it (None: allowed); set_allowed()
        self._why: dict[str, str | None] = {}
        # Incremental mode (the console window): large diffs applied in slices over several
        # event-loop turns, and none while the summary sits on a hidden tab (the newest rows
        # are applied when it is shown). Off by default: set_rows is then synchronous.
        self.incremental = False
        self._pending: Sequence[AlarmRow] | None = None  # newest rows not yet being applied
        self._target: Sequence[AlarmRow] = ()  # the rows the sliced diff is heading for
        self._slice_timer = QTimer(self)
        self._slice_timer.setSingleShot(True)
        self._slice_timer.setInterval(0)
        self._slice_timer.timeout.connect(self._continue)

        # --- filter bar ---------------------------------------------------------------------
        self.district_combo = QComboBox()
        self.district_combo.addItem("", None)  # "All districts", set in retranslate()
        self.district_combo.setMinimumContentsLength(8)
        self.priority_buttons: dict[Priority, QToolButton] = {}
        self.state_combo = QComboBox()
        for label, states in STATE_FILTERS:
            self.state_combo.addItem(label, states)
        self.text_edit = QLineEdit()
        self.text_edit.setClearButtonEnabled(True)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.district_combo)
        for p in Priority:
            b = QToolButton()
            b.setCheckable(True)
            b.setChecked(True)
            c, t = priority_color(p).name(), priority_text_color(p).name()
            # Checked = the priority's colour; unchecked = plain grey (that priority is hidden).
            b.setStyleSheet(
                f"QToolButton:checked {{ background-color: {c}; color: {t}; border-color: {c}; }}"
            )
            b.toggled.connect(self._apply_filters)
            self.priority_buttons[p] = b
            filters.addWidget(b)
        filters.addWidget(self.state_combo)
        filters.addWidget(self.text_edit, 1)

        # --- actions and toolbar ------------------------------------------------------------
        self.ack_selected_action = self._action(SHORTCUT_ACK_SELECTED, self.acknowledge_selected)
        self.ack_visible_action = self._action(SHORTCUT_ACK_VISIBLE, self.acknowledge_visible)
        self.shelve_action = self._action(SHORTCUT_SHELVE, self.shelve_selected)
        self.unshelve_action = self._action(SHORTCUT_UNSHELVE, self.unshelve_selected)
        self.silence_action = self._action(SHORTCUT_SILENCE, self.silence_requested.emit)
        self.station_action = self._action(None, self.open_selected_station)
        self.station_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.station_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

        toolbar = QHBoxLayout()
        toolbar.setContentsMargins(0, 0, 0, 0)
        for act in (
            self.ack_selected_action,
            self.ack_visible_action,
            self.shelve_action,
            self.unshelve_action,
            self.silence_action,
            self.station_action,
        ):
            b = QToolButton()
            b.setDefaultAction(act)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            toolbar.addWidget(b)
        toolbar.addStretch(1)
        self.counts_label = QLabel()
        self.counts_label.setProperty("role", "caption")
        toolbar.addWidget(self.counts_label)

        # --- flood indication ---------------------------------------------------------------
        self.flood_label = QLabel()
        self.flood_label.setObjectName("alarmFlood")
        self.flood_label.setWordWrap(True)
        hi, hi_t = priority_color(Priority.HIGH).name(), priority_text_color(Priority.HIGH).name()
        self.flood_label.setStyleSheet(
            f"QLabel#alarmFlood {{ background-color: {hi}; color: {hi_t}; font-weight: 600;"
            " padding: 4px 8px; border-radius: 2px; }"
        )
        self.flood_label.hide()
        self._flood_count = 0

        # --- the tree -----------------------------------------------------------------------
        self.view = AlarmTreeView()
        self.view.setModel(self.proxy)
        self.model.blink_changed.connect(self._blink)
        self.model.display_changed.connect(self._display_changed)
        self.view.setUniformRowHeights(True)  # lets the view skip measuring thousands of rows
        self.view.setAlternatingRowColors(False)  # the wash on unacked rows must stay readable
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(Col.PRIORITY, Qt.SortOrder.AscendingOrder)
        self.view.setAllColumnsShowFocus(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.addAction(self.station_action)
        header = self.view.header()
        header.setStretchLastSection(False)
        widths = {
            Col.TIME: 96 + self.view.indentation(),  # room rows are indented under their group
            Col.PRIORITY: 104,
            Col.STATE: 150,
            Col.STATION: 170,
            Col.DISTRICT: 64,
            Col.VALUE: 64,
            Col.LIMIT: 64,
        }
        for col, w in widths.items():
            header.resizeSection(col, w)
        header.setSectionResizeMode(Col.TEXT, QHeaderView.ResizeMode.Stretch)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(filters)
        layout.addLayout(toolbar)
        layout.addWidget(self.flood_label)
        layout.addWidget(self.view, 1)

        header.sortIndicatorChanged.connect(lambda *_: self._update_quiet())
        self.district_combo.currentIndexChanged.connect(self._apply_filters)
        self.state_combo.currentIndexChanged.connect(self._apply_filters)
        self.text_edit.textChanged.connect(self._apply_filters)
        self.model.counts_changed.connect(self._show_counts)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self.retranslate()
        self._apply_filters()
        self._update_actions()

    def _action(self, shortcut: QKeySequence | None, slot: object) -> QAction:
        act = QAction(self)
        if shortcut is not None:
            act.setShortcut(shortcut)
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(lambda _checked=False: slot())
        self.addAction(act)
        return act

    def _name_action(self, act: QAction, text: str, verb: str | None = None) -> None:
        act.setText(text)
        why = self._why.get(verb) if verb else None
        keys = act.shortcut()
        if why is not None:
            act.setToolTip(self.tr("{action}: not allowed — {reason}").format(
                action=text, reason=why
            ))  # fmt: skip
        elif act.shortcutContext() == Qt.ShortcutContext.WindowShortcut and not keys.isEmpty():
            act.setToolTip(f"{text} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})")
        else:
            act.setToolTip(text)

    def set_allowed(self, why_not: Callable[[str], str | None]) -> None:
        """What this console's user may do: `why_not(verb)` is None when allowed, else the
        reason (in the interface language), shown on hover of the disabled action. Verbs:
        acknowledge, shelve. Silence stays enabled — it always stops this console's own horn —
        and says on hover when the servers' silence is not sent."""
        self._why = {v: why_not(v) for v in ("acknowledge", "shelve", "unshelve", "silence")}
        self._name_actions()
        self._update_actions()

    def allowed(self, verb: str) -> bool:
        return self._why.get(verb) is None

    def retranslate(self) -> None:
        """Every text of the panel in the current language (built here, not in __init__)."""
        self.district_combo.setItemText(0, self.tr("All districts"))
        for i, (label, _) in enumerate(STATE_FILTERS):
            self.state_combo.setItemText(i, self.tr(label))
        self.text_edit.setPlaceholderText(self.tr("Filter: station, 站名, point, text…"))
        for p, b in self.priority_buttons.items():
            b.setText(priority_name(p).capitalize())
            b.setToolTip(self.tr("Show {priority} alarms").format(priority=priority_name(p)))
        self._name_actions()
        self._show_counts(self.model.counts())
        self.set_flood(self._flood_count, self.flood_active)
        self.model.retranslate()

    def _name_actions(self) -> None:
        self._name_action(self.ack_selected_action, self.tr("Acknowledge"), "acknowledge")
        self._name_action(self.ack_visible_action, self.tr("Acknowledge all shown"), "acknowledge")
        self._name_action(self.shelve_action, self.tr("Shelve…"), "shelve")
        self._name_action(self.unshelve_action, self.tr("Unshelve"), "unshelve")
        self._name_action(self.station_action, self.tr("Go to station"))
        silence = self.tr("Silence")
        self._name_action(self.silence_action, silence)
        why = self._why.get("silence")
        if why is not None:
            self.silence_action.setToolTip(
                self.tr("{action}: stops this console's horn only — {reason}").format(
                    action=silence, reason=why
                )
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- feeding ------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[AlarmRow]) -> None:
        if not self.incremental:
            self.model.set_rows(rows)
            self._rows_applied(rows)
            return
        if self._hidden() or self.model.applying():
            # Hidden: nothing to draw, the newest rows wait for showEvent. Mid-diff: it finishes
            # first, then the newest rows (restarting would starve the rows at the bottom).
            self._pending = rows
            return
        self._start(rows)

    def flush(self) -> None:
        """Apply the newest rows now, in one go (tests, and before acting on the model)."""
        self._slice_timer.stop()
        rows, self._pending = self._pending, None
        if rows is not None:
            self._target = rows
            self.model.begin_rows(rows)
        if self.model.applying() or rows is not None:
            self.model.apply_step(None)
            self._rows_applied(self._target)
        self.view.setUpdatesEnabled(True)

    def pending(self) -> bool:
        """Rows received but not (completely) applied yet."""
        return self._pending is not None or self.model.applying()

    def _hidden(self) -> bool:
        # On a hidden tab of a shown window. A summary that was never shown (widget tests, a
        # window not shown yet) is fed as usual.
        return self.window().isVisible() and not self.isVisible()

    def _start(self, rows: Sequence[AlarmRow]) -> None:
        self._pending = None
        self._target = rows
        self.model.begin_rows(rows)
        self._continue()

    def _continue(self) -> None:
        if self.model.applying():
            if not self.model.apply_step(SLICE_S):
                if self.model.loud():
                    # Rows inserted, removed or re-sorted: the view would re-layout and
                    # repaint after every slice; once, when the diff is done. (Changes only
                    # in what rows show repaint just their cells, slice by slice.)
                    self.view.setUpdatesEnabled(False)
                self._slice_timer.start()  # the rest on the next turns of the event loop
                return
            self.view.setUpdatesEnabled(True)
            self._rows_applied(self._target)
            if self._pending is not None:
                self._slice_timer.start()  # the newest rows, after a turn of the loop
        elif self._pending is not None and not self._hidden():
            self._start(self._pending)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending is not None and not self.model.applying():
            self._start(self._pending)  # the rows that arrived while hidden

    def _rows_applied(self, rows: Sequence[AlarmRow]) -> None:
        districts = sorted({r.district for r in rows if r.district} | set(self._districts))
        if districts != self._districts:
            self.set_districts(districts)
        self._update_actions()

    def set_districts(self, districts: Iterable[str]) -> None:
        """Offer these districts in the filter (rows add theirs automatically)."""
        current = self.district_combo.currentData()
        self._districts = sorted(set(districts))
        self.district_combo.blockSignals(True)
        self.district_combo.clear()
        self.district_combo.addItem(self.tr("All districts"), None)
        for d in self._districts:
            self.district_combo.addItem(d, d)
        i = self.district_combo.findData(current)
        self.district_combo.setCurrentIndex(max(i, 0))
        self.district_combo.blockSignals(False)

    def set_flood(self, new_in_window: int, active: bool | None = None) -> None:
        """Show the EEMUA 191 flood indication; `active` defaults to the 10-in-10-min rule."""
        self._flood_count = new_in_window
        on = new_in_window >= FLOOD_THRESHOLD if active is None else active
        self.flood_label.setText(
            self.tr(
                "⚠  Alarm flood: {n} new alarms in {minutes} min"
                " — work from the top (highest priority first)"
            ).format(n=new_in_window, minutes=FLOOD_WINDOW_MIN)
        )
        self.flood_label.setVisible(on)

    @property
    def flood_active(self) -> bool:
        return not self.flood_label.isHidden()

    # ---- filters ------------------------------------------------------------------------------

    def set_filter(
        self,
        district: str | None = None,
        priorities: Iterable[Priority] | None = None,
        state_preset: int | None = None,
        text: str | None = None,
    ) -> None:
        """Programmatic filter (e.g. from a station view's 'show alarms' link)."""
        if district == "":  # "" = all districts
            self.district_combo.setCurrentIndex(0)
        elif district is not None:
            i = self.district_combo.findData(district)
            if i < 0:
                self.set_districts([*self._districts, district])
                i = self.district_combo.findData(district)
            self.district_combo.setCurrentIndex(i)
        if priorities is not None:
            wanted = set(priorities)
            for p, b in self.priority_buttons.items():
                b.setChecked(p in wanted)
        if state_preset is not None:
            self.state_combo.setCurrentIndex(state_preset)
        if text is not None:
            self.text_edit.setText(text)
        self._apply_filters()

    def _apply_filters(self) -> None:
        checked = [p for p, b in self.priority_buttons.items() if b.isChecked()]
        self.proxy.set_filters(
            district=self.district_combo.currentData(),
            priorities=None if len(checked) == len(Priority) else checked,
            states=self.state_combo.currentData(),
            text=self.text_edit.text(),
        )
        self._update_quiet()
        self._update_actions()

    def _update_quiet(self) -> None:
        # Changes the proxy need not see (value/text of rooms, unless filtered or sorted by
        # them) come as display_changed; this summary repaints them (_display_changed).
        self.model.quiet_columns = self.proxy.quiet_columns()

    # ---- selection → keys ---------------------------------------------------------------------

    def selected_rows(self) -> list[AlarmRow]:
        sm = self.view.selectionModel()
        return [i.data(RowRole) for i in sm.selectedRows(0)]

    @staticmethod
    def _leaves(rows: Iterable[AlarmRow]) -> list[AlarmRow]:
        """Groups stand for all their rooms; duplicates (group and a child selected) dropped."""
        seen: set[str] = set()
        out: list[AlarmRow] = []
        for r in rows:
            for leaf in r.children or (r,):
                if leaf.key not in seen:
                    seen.add(leaf.key)
                    out.append(leaf)
        return out

    # ---- actions ------------------------------------------------------------------------------

    def acknowledge_keys(self, keys: Iterable[str]) -> list[str]:
        """Acknowledge these alarms (only those still unacknowledged); returns what was asked."""
        self.flush()  # the newest states decide what is still unacknowledged
        by_key: dict[str, AlarmRow] = {}
        for r in self.model.rows():
            by_key[r.key] = r
            by_key.update((c.key, c) for c in r.children)
        rows = [by_key[k] for k in keys if k in by_key]
        out = [r.key for r in self._leaves(rows) if r.state in UNACKED_STATES]
        if out:
            self.acknowledge_requested.emit(out)
        return out

    def acknowledge_selected(self) -> list[str]:
        if not self.allowed("acknowledge"):
            return []
        out = [r.key for r in self._leaves(self.selected_rows()) if r.state in UNACKED_STATES]
        if out:
            self.acknowledge_requested.emit(out)
        return out

    def acknowledge_visible(self) -> list[str]:
        if not self.allowed("acknowledge"):
            return []
        out = [r.key for r in self._leaves(self.proxy.visible_rows()) if r.state in UNACKED_STATES]
        if out:
            self.acknowledge_requested.emit(out)
        return out

    def request_shelve(self, keys: Sequence[str], duration_s: int | None, reason: str) -> bool:
        """Emit a shelve request; refuses an empty reason or no keys."""
        reason = reason.strip()
        if not keys or not reason:
            return False
        self.shelve_requested.emit(list(keys), duration_s, reason)
        return True

    def shelve_selected(self) -> bool:
        if not self.allowed("shelve"):
            return False
        keys = [
            r.key
            for r in self._leaves(self.selected_rows())
            if r.state not in (AlarmState.SHELVED, AlarmState.OUT_OF_SERVICE)
        ]
        if not keys:
            return False
        dlg = self._make_shelve_dialog(len(keys))
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.request_shelve(keys, dlg.duration_s(), dlg.reason_text())

    def unshelve_selected(self) -> list[str]:
        """The selected shelved alarms back in view before their time is up (the engine
        journals who and when); nothing for alarms that are not shelved."""
        if not self.allowed("unshelve"):
            return []
        keys = [r.key for r in self._leaves(self.selected_rows()) if r.state is AlarmState.SHELVED]
        if keys:
            self.unshelve_requested.emit(keys)
        return keys

    def _make_shelve_dialog(self, n: int) -> ShelveDialog:
        """Separate so tests can hand back a pre-filled dialog."""
        return ShelveDialog(n, self)

    def open_selected_station(self) -> None:
        idx = self.view.currentIndex()
        if idx.isValid():
            self.station_requested.emit(idx.data(RowRole).station)

    def _double_clicked(self, idx: QModelIndex) -> None:
        row: AlarmRow | None = idx.data(RowRole)
        if row is not None:
            self.station_requested.emit(row.station)

    def _context_menu(self, pos: QPoint) -> None:
        idx = self.view.indexAt(pos)
        if not idx.isValid():
            return
        menu = QMenu(self)
        menu.addAction(self.ack_selected_action)
        menu.addAction(self.shelve_action)
        menu.addSeparator()
        menu.addAction(self.station_action)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # ---- display ------------------------------------------------------------------------------

    def blink_rect(self) -> QRect:
        """The viewport area a blink repaints: the priority column, and nothing when no alarm is
        unacknowledged (only unacknowledged rows flash, only in that column)."""
        header = self.view.header()
        if self.model.counts().unacked == 0 or header.isSectionHidden(BLINK_COLUMN):
            return QRect()
        vp = self.view.viewport()
        x = header.sectionViewportPosition(BLINK_COLUMN)
        return QRect(x, 0, header.sectionSize(BLINK_COLUMN), vp.height()).intersected(vp.rect())

    def _display_changed(
        self,
        top_left: QModelIndex | QPersistentModelIndex,
        bottom_right: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Repaint the columns of rows that changed only in what they show: nothing when they
        sit in a collapsed group or the view repaints anyway (updates off during a sliced diff,
        then all at once)."""
        view = self.view
        if not view.isVisible() or not view.updatesEnabled():
            return
        parent = top_left.parent()
        if parent.isValid():
            p = self.proxy.mapFromSource(parent)
            if not p.isValid() or not view.isExpanded(p):
                return
        header = view.header()
        xs = [
            (header.sectionViewportPosition(c), header.sectionSize(c))
            for c in range(top_left.column(), bottom_right.column() + 1)
            if not header.isSectionHidden(c)
        ]
        if xs:
            x0 = min(x for x, _ in xs)
            x1 = max(x + w for x, w in xs)
            vp = view.viewport()
            view.viewport().update(QRect(x0, 0, x1 - x0, vp.height()))

    def _blink(self, _on: bool) -> None:
        # A full repaint costs every visible cell (~400 calls into Python); the blink needs one
        # column: ~1/8 of that, twice a second.
        r = self.blink_rect()
        if not r.isEmpty():
            self.view.viewport().update(r)

    def _show_counts(self, c: AlarmCounts) -> None:
        # Events as the tab title and the key figures count them (a station's cold rooms: one);
        # the number of alarms (every room) beside them when it differs.
        text = self.tr(
            "Unacknowledged <b>{unacked}</b> · Active <b>{active}</b>"
            " · Shelved/suppressed <b>{shelved}</b>"
        ).format(
            unacked=integer(c.line_unacked),
            active=integer(c.line_active),
            shelved=integer(c.line_shelved),
        )
        if (c.unacked, c.active, c.shelved) != (c.line_unacked, c.line_active, c.line_shelved):
            text += self.tr(" · rooms one per station ({alarms} alarms)").format(
                alarms=integer(c.total)
            )
        self.counts_label.setText(text)

    def _update_actions(self) -> None:
        sel = self._leaves(self.selected_rows())
        ack, shelve = self.allowed("acknowledge"), self.allowed("shelve")
        self.ack_selected_action.setEnabled(ack and any(r.state in UNACKED_STATES for r in sel))
        self.shelve_action.setEnabled(shelve and bool(sel))
        self.unshelve_action.setEnabled(
            self.allowed("unshelve") and any(r.state is AlarmState.SHELVED for r in sel)
        )
        self.station_action.setEnabled(bool(sel))
        self.ack_visible_action.setEnabled(ack and self.model.counts().unacked > 0)
