"""The heat-metering table: districts or stations, one period, worst first, sortable.

It displays the `MeteringReport` it is handed (console.core.energy) and emits the station the
operator double-clicks; it computes nothing. A row whose heat per m² and degree-day is well
above the median of its kind is marked, so the worst performers stand out at a glance.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.vocabulary.metering import DistrictMetering, Figures, MeteringReport
from widgets.locale_format import date_clock, integer, number

SortRole = Qt.ItemDataRole.UserRole + 1
OUTLIER = 1.25  # × the median heat per m² and degree-day: marked as a poor performer
_BAD = QColor("#e0a040")  # amber (ISA-101: colour only for what needs attention)
_EVENT = QColor("#8a7a4a")  # a muted wash: look at the meter's history
_ON_BAD = QColor("#1e1e1e")

PERIOD_KEYS = ("today", "month", "season")
COLUMNS = ("rank", "name", "district", "area", "energy", "per_m2", "dd", "per_dd", "coverage",
           "events")  # fmt: skip
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class _Row:
    rank: int
    ident: str
    name: str
    district: str  # a station's district name; "" for a district's own row
    area_m2: float
    figures: Figures | None
    events: str  # "" = none
    bad: bool


class MeteringModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []

    def set_rows(self, rows: list[_Row]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "rank": self.tr("Rank"),
            "name": self.tr("Name"),
            "district": self.tr("District"),
            "area": self.tr("Heated area (m²)"),
            "energy": self.tr("Heat (GJ)"),
            "per_m2": self.tr("Heat per area (GJ/m²)"),
            "dd": self.tr("Degree-days (K·d)"),
            "per_dd": self.tr("Per area and degree-day (MJ/m²·K·d)"),
            "coverage": self.tr("Data coverage"),
            "events": self.tr("Meter events"),
        }[COLUMNS[section]]

    def row(self, i: int) -> _Row:
        return self._rows[i]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r, col = self._rows[index.row()], COLUMNS[index.column()]
        f = r.figures
        values: dict[str, float | int | str | None] = {
            "rank": r.rank,
            "name": f"{r.ident} {r.name}" if r.district else r.name,  # districts by name
            "district": r.district,
            "area": r.area_m2,
            "energy": f.energy_gj if f else None,
            "per_m2": f.gj_per_m2 if f else None,
            "dd": f.degree_days if f else None,
            "per_dd": f.mj_per_m2_dd if f else None,
            "coverage": f.coverage if f else None,
            "events": r.events,
        }
        v = values[col]
        if role == SortRole:
            if isinstance(v, str):
                return v
            return -math.inf if v is None else float(v)  # no figure: after the worst
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(v, str):
                return v
            if col == "rank":
                return integer(int(v)) if v else ""
            digits = {"area": 0, "energy": 1, "per_m2": 4, "dd": 1, "per_dd": 3}.get(col, 0)
            if col == "coverage":
                return number(None if v is None else 100 * float(v), 0) + " %"
            return number(None if v is None else float(v), digits, group=col in ("area", "energy"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col not in ("name", "district", "events"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and r.bad and col in ("rank", "per_dd"):
            return _ON_BAD
        if role == Qt.ItemDataRole.BackgroundRole:
            if r.bad and col in ("rank", "per_dd"):
                return _BAD
            if col == "events" and r.events:
                return _EVENT
        if role == Qt.ItemDataRole.ToolTipRole and r.bad and col in ("rank", "per_dd"):
            return self.tr("More than {ratio}× the median heat per m² and degree-day").format(
                ratio=number(OUTLIER, 2)
            )
        return None


class MeteringView(QWidget):
    """Period and scope choosers over a sortable table; worst first until the operator sorts."""

    station_activated = Signal(str)  # station id, on double-click
    export_requested = Signal()  # "Export CSV": the panel writes the report (widgets do no I/O)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: MeteringReport | None = None
        self._note = ""
        self._district_names: dict[str, str] = {}
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.scope = QComboBox()
        self.scope.addItems(["", ""])
        self.period = QComboBox()
        self.period.addItems(["", "", ""])
        self.period.setCurrentIndex(2)  # the season: what the ranking is about
        self.caption = QLabel()
        self.caption.setProperty("role", "caption")
        for w in (self.scope, self.period):
            w.currentIndexChanged.connect(self._fill)
            bar.addWidget(w)
        bar.addWidget(self.caption, 1)
        self.export_button = QPushButton()
        self.export_button.setEnabled(False)  # until there is a report to export
        self.export_button.clicked.connect(self.export_requested)
        bar.addWidget(self.export_button)
        lay.addLayout(bar)
        self.model = MeteringModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._activated)
        lay.addWidget(self.table, 1)
        self.retranslate()

    # --- API -----------------------------------------------------------------------------------
    def set_report(self, report: MeteringReport | None, note: str = "") -> None:
        """Show `report`; without one, `note` says why (e.g. the role may not read history)."""
        self._report = report
        self._note = note
        self.export_button.setEnabled(report is not None)
        if report is not None:
            self._district_names = {d.district: d.name for d in report.districts}
        self._fill()

    def showing_districts(self) -> bool:
        return self.scope.currentIndex() == 0

    def period_key(self) -> str:
        return PERIOD_KEYS[self.period.currentIndex()]

    def set_scope(self, districts: bool) -> None:
        self.scope.setCurrentIndex(0 if districts else 1)

    def set_period(self, key: str) -> None:
        self.period.setCurrentIndex(PERIOD_KEYS.index(key))

    def visible_ids(self) -> list[str]:
        """Row ids in the order shown (tests, and what an export of the view would hold)."""
        return [
            self.model.row(self.proxy.mapToSource(self.proxy.index(i, 0)).row()).ident
            for i in range(self.proxy.rowCount())
        ]

    def marked_ids(self) -> list[str]:
        return [r for r in self.visible_ids() if self._row_by_id(r).bad]

    # --- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.scope.setItemText(0, self.tr("Districts"))
        self.scope.setItemText(1, self.tr("Stations"))
        self.period.setItemText(0, self.tr("Today"))
        self.period.setItemText(1, self.tr("This month"))
        self.period.setItemText(2, self.tr("This heating season"))
        self.export_button.setText(self.tr("Export CSV"))
        self.export_button.setToolTip(
            self.tr("Every station's and district's figures for today, this month and the season")
        )
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- internals -----------------------------------------------------------------------------
    def _row_by_id(self, ident: str) -> _Row:
        for i in range(self.model.rowCount()):
            if self.model.row(i).ident == ident:
                return self.model.row(i)
        raise KeyError(ident)

    def _fill(self) -> None:
        r = self._report
        if r is None:
            self.model.set_rows([])
            self.caption.setText(self._note or self.tr("No metering figures yet."))
            return
        p = self.period_key()
        a, b = r.periods[p]
        self.caption.setText(
            self.tr("{start} – {end}; degree-days base {base} °C; worst first").format(
                start=date_clock(a), end=date_clock(b), base=number(r.base_c, 0)
            )
        )
        items: list[DistrictMetering] | list = (
            r.districts if self.showing_districts() else r.stations
        )
        per = [x.figures[p].mj_per_m2_dd for x in items if x.figures.get(p) is not None]
        known = [v for v in per if v is not None]
        median = statistics.median(known) if len(known) >= 3 else None
        rows: list[_Row] = []
        for x in items:
            f = x.figures.get(p)
            v = f.mj_per_m2_dd if f else None
            bad = median is not None and v is not None and v > OUTLIER * median
            if isinstance(x, DistrictMetering):
                rows.append(_Row(x.rank, x.district, x.name, "", x.area_m2, f, "", bad))
            else:
                events = ", ".join(self._event_text(e.kind) for e in x.events)
                district = self._district_names.get(x.district, x.district)
                rows.append(_Row(x.rank, x.station, x.name, district, x.area_m2, f, events, bad))
        self.model.set_rows(rows)
        self.table.setColumnHidden(COLUMNS.index("district"), self.showing_districts())
        self.table.setColumnHidden(COLUMNS.index("events"), self.showing_districts())
        self.table.resizeColumnsToContents()

    def _event_text(self, kind: str) -> str:
        return {
            "rollover": self.tr("counter rollover"),
            "replacement": self.tr("meter replaced"),
            "step_back": self.tr("counter stepped back"),
            "jump": self.tr("implausible jump"),
        }.get(kind, kind)

    def _activated(self, index: QModelIndex) -> None:
        if self.showing_districts():
            return
        self.station_activated.emit(self.model.row(self.proxy.mapToSource(index).row()).ident)
