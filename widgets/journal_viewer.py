"""Journal viewer for the shift handover: the filters of `heatconsole log`, a lazy table, export.

Pure view: the filter bar emits `query_requested(dict)`; the application runs the query off the
GUI thread and hands the rows back with `set_rows()` (a new result) or `append_rows()` (the next
page). The table reveals rows in pages as the operator scrolls (Qt's canFetchMore/fetchMore) and,
when it has shown everything it holds and more exists, emits `more_requested(dict)` with an
`offset`, so a 100,000-event week never has to be loaded at once.

Filter dict keys (same meaning as `heatconsole log` options; None = no filter):
    since, until   epoch seconds
    station, district, priority, state, kind, text   strings
    limit          page size the viewer wants
    offset         only in more_requested: how many rows it already holds
"""

from __future__ import annotations

import datetime as _dt
import time as _time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QDateTime,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.journal import Kind
from widgets.alarm_model import format_value, priority_color, priority_text_color
from widgets.journal_words import action_text, event_text, point_text
from widgets.locale_format import full_date_clock, integer
from widgets.words import kind_text, priority_name, state_label

_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()

COLUMNS: list[tuple[str, str]] = [
    ("time", QT_TRANSLATE_NOOP("JournalTableModel", "Time")),
    ("kind", QT_TRANSLATE_NOOP("JournalTableModel", "Kind")),
    ("priority", QT_TRANSLATE_NOOP("JournalTableModel", "Priority")),
    ("state", QT_TRANSLATE_NOOP("JournalTableModel", "State")),
    ("station", QT_TRANSLATE_NOOP("JournalTableModel", "Station")),
    ("district", QT_TRANSLATE_NOOP("JournalTableModel", "District")),
    ("point", QT_TRANSLATE_NOOP("JournalTableModel", "Point")),
    ("message", QT_TRANSLATE_NOOP("JournalTableModel", "Message")),
    ("value", QT_TRANSLATE_NOOP("JournalTableModel", "Value")),
    ("limit", QT_TRANSLATE_NOOP("JournalTableModel", "Limit")),
    ("user", QT_TRANSLATE_NOOP("JournalTableModel", "User")),
    ("action", QT_TRANSLATE_NOOP("JournalTableModel", "Action")),
    ("comment", QT_TRANSLATE_NOOP("JournalTableModel", "Comment")),
]
PAGE = 200  # rows revealed per fetchMore

RANGE_CURRENT_SHIFT = "current_shift"
RANGE_LAST_SHIFT = "last_shift"
RANGE_24H = "last_24h"
RANGE_CUSTOM = "custom"
RANGES = (
    (QT_TRANSLATE_NOOP("JournalViewer", "Current shift"), RANGE_CURRENT_SHIFT),
    (QT_TRANSLATE_NOOP("JournalViewer", "Last shift"), RANGE_LAST_SHIFT),
    (QT_TRANSLATE_NOOP("JournalViewer", "Last 24 h"), RANGE_24H),
    (QT_TRANSLATE_NOOP("JournalViewer", "Custom…"), RANGE_CUSTOM),
)


def shift_bounds(now: float, shift_starts: Sequence[int] = (8, 20)) -> tuple[float, float, float]:
    """(last shift start, current shift start, now) for shifts starting at these local hours."""
    local = _dt.datetime.fromtimestamp(now)
    starts: list[_dt.datetime] = []
    for day in (-1, 0):
        base = (local + _dt.timedelta(days=day)).replace(minute=0, second=0, microsecond=0)
        starts += [base.replace(hour=h) for h in sorted(shift_starts)]
    past = [s for s in starts if s <= local]
    current, last = past[-1], past[-2]
    return last.timestamp(), current.timestamp(), now


def _display_word(field: str, v: str) -> str:
    """Kind, priority and state in the interface language; everything else as recorded."""
    if field == "kind":
        return kind_text(v)
    if field == "priority" and v in _PRIORITIES:
        return priority_name(Priority(v))
    if field == "state" and v in _STATES:
        return state_label(AlarmState(v))
    return v


_PRIORITIES = frozenset(p.value for p in Priority)
_STATES = frozenset(s.value for s in AlarmState)


class JournalTableModel(QAbstractTableModel):
    """Rows of journal dicts (JournalEvent.to_row()), revealed page by page."""

    more_wanted = Signal(int)  # offset: the model showed all it holds and more exist

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self.district_names: dict[str, str] = {}  # id → name, for the District column
        self._shown = 0
        self.has_more = False
        self._waiting = False

    def set_rows(self, rows: Sequence[dict[str, Any]], has_more: bool = False) -> None:
        self.beginResetModel()  # a new query result: nothing to preserve
        self._rows = list(rows)
        self._shown = min(PAGE, len(self._rows))
        self.has_more = has_more
        self._waiting = False
        self.endResetModel()

    def append_rows(self, rows: Sequence[dict[str, Any]], has_more: bool = False) -> None:
        self._rows.extend(rows)
        self.has_more = has_more
        self._waiting = False
        if self.canFetchMore():
            self.fetchMore()

    def row_dict(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def total_held(self) -> int:
        return len(self._rows)

    def canFetchMore(self, parent: _Index = _NO_INDEX) -> bool:
        if parent.isValid():
            return False
        return self._shown < len(self._rows) or (self.has_more and not self._waiting)

    def fetchMore(self, parent: _Index = _NO_INDEX) -> None:
        if parent.isValid():
            return
        if self._shown < len(self._rows):
            n = min(PAGE, len(self._rows) - self._shown)
            self.beginInsertRows(QModelIndex(), self._shown, self._shown + n - 1)
            self._shown += n
            self.endInsertRows()
        elif self.has_more and not self._waiting:
            self._waiting = True  # one request in flight; append_rows clears it
            self.more_wanted.emit(len(self._rows))

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section][1])
        return None

    def retranslate(self) -> None:
        """Headers and the translated columns (kind, priority, state) in the new language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._shown:
            last = self.index(self._shown - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= self._shown:
            return None
        row = self._rows[index.row()]
        field = COLUMNS[index.column()][0]
        v = row.get(field)
        if role == Qt.ItemDataRole.DisplayRole:
            if v is None:
                return ""
            if field == "time":
                return full_date_clock(float(v))
            if field in ("value", "limit"):
                return format_value(float(v))
            if field == "message":  # in the interface's words; as recorded in the tooltip
                return event_text(row)
            if field == "point":
                return point_text(row)
            if field == "action":
                return action_text(row)
            if field == "district":
                return self.district_names.get(str(v), str(v))
            return _display_word(field, str(v))
        if field == "priority" and v:
            try:
                p = Priority(v)
            except ValueError:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return priority_color(p)
            if role == Qt.ItemDataRole.ForegroundRole:
                return priority_text_color(p)
        if role == Qt.ItemDataRole.ToolTipRole and field in ("message", "comment", "point"):
            return str(v) if v else None  # what the journal recorded
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


class JournalViewer(QWidget):
    """Filter bar + lazy table + export / handover buttons."""

    query_requested = Signal(dict)
    more_requested = Signal(dict)  # the same filters plus "offset"
    export_requested = Signal(str)  # "csv" | "json"
    handover_requested = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        now: Callable[[], float] = _time.time,
        shift_starts: Sequence[int] = (8, 20),
    ) -> None:
        super().__init__(parent)
        self._now = now
        self._shift_starts = tuple(shift_starts)
        self._last_filters: dict[str, Any] = {}
        self.model = JournalTableModel(self)
        self.model.more_wanted.connect(self._more_wanted)

        self.range_combo = QComboBox()
        for _label, key in RANGES:
            self.range_combo.addItem("", key)
        self.since_edit = QDateTimeEdit()
        self.until_edit = QDateTimeEdit()
        for e in (self.since_edit, self.until_edit):
            e.setDisplayFormat("yyyy-MM-dd HH:mm")
            e.setCalendarPopup(True)
            e.setEnabled(False)
        self.station_edit = QLineEdit()
        self.district_combo = self._combo([])
        self.priority_combo = self._combo([p.value for p in Priority])
        self.state_combo = self._combo([s.value for s in AlarmState])
        self.kind_combo = self._combo([k.value for k in Kind])
        self.text_edit = QLineEdit()
        self.search_button = QPushButton()
        self.search_button.setDefault(True)

        row1 = QHBoxLayout()
        row1.setContentsMargins(0, 0, 0, 0)
        row1.addWidget(self.range_combo)
        self.from_label, self.to_label = QLabel(), QLabel()
        row1.addWidget(self.from_label)
        row1.addWidget(self.since_edit)
        row1.addWidget(self.to_label)
        row1.addWidget(self.until_edit)
        row1.addStretch(1)
        self.export_csv_button = QPushButton()
        self.export_json_button = QPushButton()
        self.handover_button = QPushButton()
        row1.addWidget(self.export_csv_button)
        row1.addWidget(self.export_json_button)
        row1.addWidget(self.handover_button)
        row2 = QHBoxLayout()
        row2.setContentsMargins(0, 0, 0, 0)
        for w in (
            self.station_edit,
            self.district_combo,
            self.priority_combo,
            self.state_combo,
            self.kind_combo,
        ):
            row2.addWidget(w)
        row2.addWidget(self.text_edit, 1)
        row2.addWidget(self.search_button)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        h = self.view.horizontalHeader()
        widths = [150, 66, 70, 90, 70, 56, 130, 320, 56, 50, 64, 56, 220]
        for c, w in enumerate(widths):
            h.resizeSection(c, w)
        h.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel()
        self.status.setProperty("role", "caption")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(row1)
        lay.addLayout(row2)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.status)

        self.range_combo.currentIndexChanged.connect(self._range_changed)
        self.search_button.clicked.connect(self.request_query)
        self.text_edit.returnPressed.connect(self.request_query)
        self.station_edit.returnPressed.connect(self.request_query)
        self.export_csv_button.clicked.connect(lambda: self.export_requested.emit("csv"))
        self.export_json_button.clicked.connect(lambda: self.export_requested.emit("json"))
        self.handover_button.clicked.connect(self.handover_requested)
        self._range_changed()
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the viewer in the current language (filters and rows stay)."""
        for i, (label, _key) in enumerate(RANGES):
            self.range_combo.setItemText(i, self.tr(label))
        self.station_edit.setPlaceholderText(self.tr("Station"))
        self.text_edit.setPlaceholderText(self.tr("Text in message / comment"))
        self.district_combo.setItemText(0, self.tr("Any district"))
        self.priority_combo.setItemText(0, self.tr("Any priority"))
        self.state_combo.setItemText(0, self.tr("Any state"))
        self.kind_combo.setItemText(0, self.tr("Any kind"))
        for field, combo in (
            ("priority", self.priority_combo),
            ("state", self.state_combo),
            ("kind", self.kind_combo),
        ):
            for i in range(1, combo.count()):
                combo.setItemText(i, _display_word(field, str(combo.itemData(i))))
        self.search_button.setText(self.tr("Search"))
        self.from_label.setText(self.tr("from"))
        self.to_label.setText(self.tr("to"))
        self.export_csv_button.setText(self.tr("Export CSV"))
        self.export_json_button.setText(self.tr("Export JSON"))
        self.handover_button.setText(self.tr("Write handover report…"))
        # An open-ended range (this shift, 24 h) has no end: "to now", as the rows keep coming.
        self.until_edit.setSpecialValueText(self.tr("now"))
        self.model.retranslate()
        self._update_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @staticmethod
    def _combo(values: Iterable[str]) -> QComboBox:
        c = QComboBox()
        c.addItem("", None)  # "Any …", worded in retranslate()
        for v in values:
            c.addItem(v, v)
        return c

    def set_districts(self, districts: Iterable[str] | Mapping[str, str]) -> None:
        """District ids to filter by; given a mapping id → name, rows and filter show names."""
        names = dict(districts) if isinstance(districts, Mapping) else {d: d for d in districts}
        self.model.district_names = names
        current = self.district_combo.currentData()
        self.district_combo.clear()
        self.district_combo.addItem(self.tr("Any district"), None)
        for d in sorted(names):
            self.district_combo.addItem(names[d], d)
        self.district_combo.setCurrentIndex(max(self.district_combo.findData(current), 0))

    # ---- filters ------------------------------------------------------------------------------

    def _range_changed(self) -> None:
        custom = self.range_combo.currentData() == RANGE_CUSTOM
        for e in (self.since_edit, self.until_edit):
            e.setEnabled(custom)
        if custom:
            if self.until_edit.dateTime() == self.until_edit.minimumDateTime():  # was "now"
                self.until_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(self._now())))
            return
        since, until = self._range_bounds()
        self.since_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(since)))
        self.until_edit.setDateTime(
            self.until_edit.minimumDateTime()  # shown as "now" (its special value text)
            if until is None
            else QDateTime.fromSecsSinceEpoch(int(until))
        )

    def _range_bounds(self) -> tuple[float, float | None]:
        key = self.range_combo.currentData()
        now = self._now()
        if key == RANGE_CUSTOM:
            return (
                float(self.since_edit.dateTime().toSecsSinceEpoch()),
                float(self.until_edit.dateTime().toSecsSinceEpoch()),
            )
        if key == RANGE_24H:
            return now - 86400.0, None
        last, current, _ = shift_bounds(now, self._shift_starts)
        if key == RANGE_LAST_SHIFT:
            return last, current
        return current, None  # current shift: until now, and whatever arrives next

    def filters(self) -> dict[str, Any]:
        since, until = self._range_bounds()

        def text(w: QLineEdit) -> str | None:
            return w.text().strip() or None

        return {
            "since": since,
            "until": until,
            "station": text(self.station_edit),
            "district": self.district_combo.currentData(),
            "priority": self.priority_combo.currentData(),
            "state": self.state_combo.currentData(),
            "kind": self.kind_combo.currentData(),
            "text": text(self.text_edit),
            "limit": PAGE * 5,
        }

    def set_filters(self, **kw: Any) -> None:
        """Set filter widgets from keys of `filters()` (range: one of the RANGE_* keys)."""
        if "range" in kw:
            self.range_combo.setCurrentIndex(self.range_combo.findData(kw["range"]))
        if "since" in kw and kw["since"] is not None:
            self.since_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(kw["since"])))
        if "until" in kw and kw["until"] is not None:
            self.until_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(kw["until"])))
        if "station" in kw:
            self.station_edit.setText(kw["station"] or "")
        if "text" in kw:
            self.text_edit.setText(kw["text"] or "")
        for key, combo in (
            ("district", self.district_combo),
            ("priority", self.priority_combo),
            ("state", self.state_combo),
            ("kind", self.kind_combo),
        ):
            if key in kw:
                i = combo.findData(kw[key])
                if i < 0 and kw[key] is not None:
                    combo.addItem(str(kw[key]), kw[key])
                    i = combo.count() - 1
                combo.setCurrentIndex(max(i, 0))

    def request_query(self) -> dict[str, Any]:
        f = self.filters()
        self._last_filters = f
        self.query_requested.emit(f)
        return f

    # ---- rows ---------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[dict[str, Any]], has_more: bool = False) -> None:
        self.model.set_rows(rows, has_more)
        self._update_status()

    def append_rows(self, rows: Sequence[dict[str, Any]], has_more: bool = False) -> None:
        self.model.append_rows(rows, has_more)
        self._update_status()

    def _more_wanted(self, offset: int) -> None:
        f = dict(self._last_filters or self.filters())
        f["offset"] = offset
        self.more_requested.emit(f)

    def _update_status(self) -> None:
        n = self.model.total_held()
        more = " " + self.tr("(more on scroll)") if self.model.has_more else ""
        self.status.setText(self.tr("{n} records").format(n=integer(n)) + more)
