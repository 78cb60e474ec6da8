"""The district view of suspected leaks: per district the total, under it each station's
estimated leak, since when, and the alarm's state. Display only: `set_districts` takes the view
model (console.core.leak.view.leak_view / engine_leak_view); a double-click asks for the
station (signal), acknowledging stays in the alarm list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.vocabulary.views import DistrictLeaks, LeakRow
from widgets import colors
from widgets.locale_format import clock, number
from widgets.words import priority_label, state_label

STATION_ROLE = Qt.ItemDataRole.UserRole
TRACE_M3H = 0.02  # below this the estimate is noise around zero: said as "< 0.02", not "0.00"


class LeakList(QWidget):
    station_requested = Signal(str)  # station id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._districts: list[DistrictLeaks] = []
        self._names: dict[str, str] = {}
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        # The station id is what a dispatcher reads out over the radio: never cut it.
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.empty = QLabel()
        self.empty.setStyleSheet(f"color: {colors.TEXT_DIM.name()};")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.title)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.empty, 1, Qt.AlignmentFlag.AlignTop)  # the list's place when empty
        self.retranslate()

    def set_districts(
        self, districts: Sequence[DistrictLeaks], names: Mapping[str, str] | None = None
    ) -> None:
        """The view model; `names`: display names of districts and stations by id."""
        self._districts = list(districts)
        if names is not None:
            self._names = dict(names)
        self._fill()

    def rate_text(self, rate: float, lower_bound: bool) -> str:
        if rate < TRACE_M3H and not lower_bound:
            return self.tr("< {rate} m³/h").format(rate=number(TRACE_M3H, 2))
        if lower_bound:
            return self.tr("≥ {rate} m³/h").format(rate=number(rate, 1))
        return self.tr("≈ {rate} m³/h").format(rate=number(rate, 2 if rate < 1 else 1))

    def _fill(self) -> None:
        self.tree.clear()
        for d in self._districts:
            drained = any(r.lower_bound for r in d.rows)
            name = self._names.get(d.district, d.district)
            top = QTreeWidgetItem([name, self.rate_text(d.total_m3h, drained)])
            for r in d.rows:
                top.addChild(self._row(r))
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.empty.setVisible(not self._districts)
        self.tree.setVisible(bool(self._districts))

    def _row(self, r: LeakRow) -> QTreeWidgetItem:
        it = QTreeWidgetItem(
            [
                _station_text(r.station, self._names.get(r.station)),
                self.rate_text(r.rate_m3h, r.lower_bound),
                clock(r.since),
                f"{priority_label(r.priority)} · {state_label(r.state)}",
            ]
        )
        it.setData(0, STATION_ROLE, r.station)
        return it

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        sid = item.data(0, STATION_ROLE)
        if sid:
            self.station_requested.emit(str(sid))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Suspected leaks (make-up water balance)"))
        self.tree.setHeaderLabels(
            [self.tr("District / station"), self.tr("Leak"), self.tr("Since"), self.tr("Alarm")]
        )
        self.empty.setText(self.tr("No suspected leak"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _station_text(sid: str, name: str | None) -> str:
    """'jx-002 洞西区·长安路站': the id first (read out over the radio), then the name."""
    return sid if not name or name == sid else f"{sid}  {name}"
