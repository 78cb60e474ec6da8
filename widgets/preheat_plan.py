"""The pre-heating plan on screen: a table (per station the shift, when to apply it, the coldest
room's forecast low without and with it, the extra heat), the plant rows (per plant outlet the
supply raise, from when, until when, within the plant's capacity or not) and a small plot of
what it does to the selected station's coldest-room forecast; and the one confirmation for a
batch of writes, which names the plant raises the plan asks of the plants.
Display only: it shows the Plan it is handed (console.vocabulary.preheat) and emits the
operator's choice; the panel does the writing."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.vocabulary.alarms import Priority
from console.vocabulary.preheat import Plan, PlanRow, PlantCheck, Status, SupplyRow
from widgets import colors
from widgets.locale_format import date_clock, number
from widgets.trend_plot import OffsetDateAxis

STATION_ROLE = Qt.ItemDataRole.UserRole
N_COLUMNS = 9
SHIFT_COLUMN, LOW_WITH_COLUMN, STATUS_COLUMN = 2, 6, 8
RESERVE_MARK = "*"  # after a shift that carries a booster reserve; the caption says what it is
N_PLANT_COLUMNS = 6


class PreheatPlanView(QWidget):
    station_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan: Plan | None = None
        self._names: dict[str, str] = {}
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        # The rolling plan: when the plan in force was made and why (hidden before an apply).
        self.in_force = QLabel()
        self.in_force.setWordWrap(True)
        self.in_force.hide()
        self._in_force: tuple[float, str] | None = None
        self.table = QTableWidget(0, N_COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._selected)
        # The plant rows: what the plan asks of the plants (the console does not write them).
        self.plants_caption = QLabel()
        self.plants_caption.setWordWrap(True)
        self.plant_table = QTableWidget(0, N_PLANT_COLUMNS)
        self.plant_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.plant_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.plant_table.verticalHeader().setVisible(False)
        self.plant_table.setMinimumHeight(112)  # header and three outlets without scrolling
        plants = QWidget()
        pl = QVBoxLayout(plants)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.plants_caption)
        pl.addWidget(self.plant_table, 1)
        # The trend's date axis: day names in the interface language (pyqtgraph's are English).
        self.plot = pg.PlotWidget(axisItems={"bottom": OffsetDateAxis(orientation="bottom")})
        self.plot.setMinimumHeight(160)
        self.plot.setBackground(colors.BACKGROUND)  # the theme's, as the trend views
        self.plot.hide()  # until there is a plan to draw
        self.plot.setMenuEnabled(False)  # a glance, not a tool: the Trends tab exports
        self.plot.getAxis("left").enableAutoSIPrefix(False)
        self.plot.addLegend(offset=(10, 10))
        dot, dash = Qt.PenStyle.DotLine, Qt.PenStyle.DashLine
        self.limit_line = pg.InfiniteLine(angle=0, pen=pg.mkPen(colors.LINE, style=dot))
        self.plot.addItem(self.limit_line)
        self.without = self.plot.plot(pen=pg.mkPen(colors.TEXT_DIM, width=2, style=dash))
        self.with_plan = self.plot.plot(pen=pg.mkPen(colors.TEXT, width=2))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(plants)
        split.addWidget(self.plot)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.caption)
        lay.addWidget(self.in_force)
        lay.addWidget(split, 1)
        self.retranslate()

    # --- data -----------------------------------------------------------------------------------
    def set_plan(self, plan: Plan | None, names: Mapping[str, str] | None = None) -> None:
        if names is not None:
            self._names = dict(names)
        self._plan = plan
        self._fill()

    def plan(self) -> Plan | None:
        return self._plan

    def set_in_force(self, made_at: float | None, why: str = "") -> None:
        """The plan shown is the one in force, made at `made_at` for `why` (worded by the
        caller); None: no plan in force."""
        self._in_force = None if made_at is None else (made_at, why)
        self._in_force_text()

    def _in_force_text(self) -> None:
        f = self._in_force
        self.in_force.setVisible(f is not None)
        if f is not None:
            self.in_force.setText(
                self.tr("In force: plan made {made} ({why}), under watch").format(
                    made=date_clock(f[0]), why=f[1]
                )
            )

    def status_text(self, s: Status) -> str:
        return {
            Status.NOT_NEEDED: self.tr("not needed"),
            Status.PLANNED: self.tr("planned"),
            Status.SHORT_SHIFT: self.tr("cannot be kept: not even the largest shift"),
            Status.SHORT_PLANT: self.tr("cannot be kept: plant at capacity"),
            Status.NO_MODEL: self.tr("no model yet (too little history)"),
        }[s]

    def _cells(self, r: PlanRow) -> list[str]:
        def n(x: float, d: int = 1) -> str:
            return number(x, d) if math.isfinite(x) else "—"

        held = _held(r)
        shift = f"+{number(r.shift_k, 1)}" if r.shift_k > 0 else "—"
        status = self.status_text(r.status)
        if held:
            shift += RESERVE_MARK
            status = self.tr("{status}, incl. +{reserve} K booster reserve").format(
                status=status, reserve=number(r.reserve_k, 1)
            )
        return [
            self._names.get(r.station, r.station),
            self._names.get(r.district, r.district),
            shift,
            _when(r.apply_by) if r.writes else "—",
            _when(r.until) if r.writes else "—",
            n(r.low_without),
            n(r.low_with),
            n(r.extra_gj, 2) if r.writes else "—",
            status,
        ]

    def reserve_tip(self, r: PlanRow) -> str:
        """Why a row's shift is more than the forecast asks (its booster reserve); "" if not."""
        if not _held(r):
            return ""
        need = r.shift_k - r.reserve_k
        if need > 0:
            part = self.tr(
                "+{shift} K: +{need} K for the forecast cold and a +{reserve} K contingency "
                "reserve."
            ).format(shift=number(r.shift_k, 1), need=number(need, 1),
                     reserve=number(r.reserve_k, 1))  # fmt: skip
        else:
            part = self.tr(
                "+{shift} K, all of it a contingency reserve: the forecast alone needs no shift."
            ).format(shift=number(r.shift_k, 1))
        why = self.tr(
            "{district} is fed through a booster pump: if the pump trips, the heat stored in "
            "the rooms beforehand keeps them at or above {limit} °C longer. The reserve costs "
            "{gj} GJ of this station's extra heat."
        ).format(
            district=self._names.get(r.district, r.district),
            limit=number(self._plan.limit_c if self._plan else math.nan, 0),
            gj=number(r.reserve_gj, 2),
        )  # fmt: skip
        return f"{part}\n{why}"

    def low_with_tip(self, r: PlanRow) -> str:
        """What the forecast low with the plan assumes, for a booster-fed station; "" if not."""
        if not r.booster or not math.isfinite(r.low_with):
            return ""
        return self.tr(
            "Assumes the booster pump of {district} keeps running: no forecast shows a trip, "
            "and a trip would take these rooms lower."
        ).format(district=self._names.get(r.district, r.district))

    def _fill(self) -> None:
        plan = self._plan
        rows = [] if plan is None else _ordered(plan.rows)
        self.table.setRowCount(len(rows))
        for k, r in enumerate(rows):
            held = self.reserve_tip(r)
            tips = {SHIFT_COLUMN: held, STATUS_COLUMN: held, LOW_WITH_COLUMN: self.low_with_tip(r)}
            for c, text in enumerate(self._cells(r)):
                it = QTableWidgetItem(text)
                it.setData(STATION_ROLE, r.station)
                if tips.get(c):
                    it.setToolTip(tips[c])
                if c >= 2 and c != N_COLUMNS - 1:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if r.status in (Status.SHORT_SHIFT, Status.SHORT_PLANT):
                    it.setForeground(colors.PRIORITY_COLOR[Priority.HIGH])  # abnormal: colour
                self.table.setItem(k, c, it)
        self.table.resizeColumnsToContents()
        self._fill_plants()
        self._caption()
        if rows:
            self.table.selectRow(0)
        else:
            self.show_station(None)

    # --- the plant rows -------------------------------------------------------------------------
    def plant_check(self, sr: SupplyRow, plan: Plan | None = None) -> PlantCheck | None:
        plan = plan or self._plan
        if plan is None or sr.source is None:
            return None
        return next((p for p in plan.plants if p.source == sr.source), None)

    def capacity_text(self, sr: SupplyRow, plan: Plan | None = None) -> tuple[str, bool]:
        """The plant's capacity check in words (the shown plan's, or `plan`'s), and whether it
        is exceeded."""
        p = self.plant_check(sr, plan)
        if p is None:
            return self.tr("capacity not known"), False
        over = p.peak_with_mw > p.capacity_mw
        words = (
            self.tr("OVER capacity: peak {peak} of {cap} MW")
            if over
            else self.tr("within capacity: peak {peak} of {cap} MW")
        )
        return words.format(peak=number(p.peak_with_mw, 0), cap=number(p.capacity_mw, 0)), over

    def _plant_cells(self, sr: SupplyRow, plan: Plan | None = None) -> list[str]:
        plant = self._names.get(sr.source, sr.source) if sr.source else "—"
        return [
            plant,
            self._names.get(sr.trunk, sr.trunk),
            f"+{number(sr.raise_k, 1)}",
            _when(sr.start),
            _when(sr.until),
            self.capacity_text(sr, plan)[0],
        ]

    def _fill_plants(self) -> None:
        rows = [] if self._plan is None else list(self._plan.supply)
        tab = self.plant_table
        tab.setRowCount(len(rows))
        for k, sr in enumerate(rows):
            over = self.capacity_text(sr)[1]
            for c, text in enumerate(self._plant_cells(sr)):
                it = QTableWidgetItem(text)
                if 2 <= c <= 4:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if over:
                    it.setForeground(colors.PRIORITY_COLOR[Priority.HIGH])  # abnormal: colour
                tab.setItem(k, c, it)
        tab.resizeColumnsToContents()
        tab.setVisible(bool(rows))
        self.plants_caption.setText(
            self.tr("Plant supply raises: none") if not rows else self.tr(
                "Plant supply raises ({n}) — the console does not write these: "
                "ask the plants for them"
            ).format(n=len(rows))
        )  # fmt: skip

    def plant_lines(
        self, undo: bool = False, rows: Sequence[SupplyRow] | None = None, of: Plan | None = None
    ) -> list[str]:
        """The shown plan's plant rows (or `rows` of plan `of`: a revision's) as lines for a
        confirmation."""
        plan = of or self._plan
        if plan is None:
            return []
        back = self.tr("{plant} · {trunk}: supply back to its curve (was {raise_k} K)")
        up = self.tr(
            "{plant} · {trunk}: supply {raise_k} K above its curve from {start} until {until} "
            "({capacity})"
        )
        out = []
        for sr in plan.supply if rows is None else rows:
            plant, trunk, raise_k, start, until, cap = self._plant_cells(sr, plan)
            words = back if undo else up
            out.append(
                words.format(
                    plant=plant,
                    trunk=trunk,
                    raise_k=raise_k,
                    start=start,
                    until=until,
                    capacity=cap,
                )
            )
        return out

    def _caption(self) -> None:
        plan = self._plan
        if plan is None:
            self.caption.setText(self.tr("No plan yet: make one from the weather forecast."))
            return
        w = plan.writes
        short = sum(r.status in (Status.SHORT_SHIFT, Status.SHORT_PLANT) for r in plan.rows)
        text = self.tr(
            "Plan made {made} from the forecast issued {issued}: {n} stations to shift, "
            "{short} cannot be kept, {gj} GJ extra heat."
        ).format(
            made=date_clock(plan.made_at), issued=date_clock(plan.forecast_issued_at), n=len(w),
            short=short, gj=number(plan.extra_gj, 1),
        )  # fmt: skip
        held = sum(_held(r) for r in w)
        if held:
            text += " " + self.tr(
                "{mark} {n} of them carry a contingency reserve against a booster pump trip: "
                "{gj} GJ of the extra heat."
            ).format(mark=RESERVE_MARK, n=held, gj=number(plan.reserve_gj, 1))
        plants = [p for p in plan.plants if p.peak_with_mw > 0]
        if plants:
            text += " " + "; ".join(
                self.tr("{plant}: peak {peak} of {cap} MW").format(
                    plant=self._names.get(p.source, p.source),
                    peak=number(p.peak_with_mw, 0),
                    cap=number(p.capacity_mw, 0),
                )
                for p in plants
            )
        self.caption.setText(text)

    def _selected(self) -> None:
        items = self.table.selectedItems()
        sid = items[0].data(STATION_ROLE) if items else None
        self.show_station(sid)
        if sid:
            self.station_selected.emit(sid)

    def show_station(self, sid: str | None) -> None:
        """Plot what the plan does to `sid`'s coldest-room forecast."""
        plan = self._plan
        x = plan.times if plan is not None else np.zeros(0)
        # No plan (or no station to show): no empty axes of 0.1 … 0.9 under the table.
        self.plot.setVisible(plan is not None and sid is not None)
        if plan is None or sid is None or sid not in plan.coldest_without:
            self.without.setData([], [])
            self.with_plan.setData([], [])
            return
        self.limit_line.setValue(plan.limit_c)
        self.without.setData(x, plan.coldest_without[sid])
        self.with_plan.setData(x, plan.coldest_with[sid])
        self.plot.setTitle(self._names.get(sid, sid))

    def shown_station(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(STATION_ROLE) if items else None

    # --- words ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Station"),
                self.tr("District"),
                self.tr("Shift (K)"),
                self.tr("Apply by"),
                self.tr("Undo from"),
                self.tr("Coldest low without (°C)"),
                self.tr("Coldest low with (°C)"),
                self.tr("Extra heat (GJ)"),
                self.tr("Status"),
            ]
        )
        self.plant_table.setHorizontalHeaderLabels(
            [
                self.tr("Plant"),
                self.tr("Trunk"),
                self.tr("Raise (K)"),
                self.tr("Start"),
                self.tr("Back to curve"),
                self.tr("Capacity"),
            ]
        )
        legend = self.plot.plotItem.legend
        if legend is not None:
            legend.clear()
            legend.addItem(self.without, self.tr("coldest room, no plan"))
            legend.addItem(self.with_plan, self.tr("coldest room, with the plan"))
        self.plot.setLabel("left", self.tr("°C"))
        for act in self.plot.scene().contextMenu:  # pyqtgraph's own "Export..."
            act.setText(self.tr("Export…"))
        self._fill()
        self._in_force_text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _held(r: PlanRow) -> bool:
    """The row writes a shift with a booster reserve on top of the forecast's need."""
    return r.writes and r.reserve_k > 0


def _ordered(rows: Sequence[PlanRow]) -> list[PlanRow]:
    """Stations that need something first, coldest forecast first."""

    def key(r: PlanRow) -> tuple[bool, float]:
        act = r.writes or r.status.startswith("cannot")
        return (not act, r.low_without if math.isfinite(r.low_without) else 99.0)

    return sorted(rows, key=key)


class BatchDialog(QDialog):
    """One confirmation for a batch of writes: every write listed, and the ones that cannot
    be sent with why. Window-modal via open(); `confirmed` when the operator agrees."""

    confirmed = Signal()

    def __init__(
        self, title: str, intro: str, lines: Sequence[str], refused: Sequence[str],
        parent: QWidget | None = None, plants: Sequence[str] = (),
    ) -> None:  # fmt: skip
        """`plants`: what the plan asks of the plants (not written: listed to be passed on)."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        lay = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        self.list = QPlainTextEdit("\n".join(lines))
        self.list.setReadOnly(True)
        lay.addWidget(self.list, 1)
        self.refused = QLabel("\n".join(refused))
        self.refused.setWordWrap(True)
        self.refused.setVisible(bool(refused))
        lay.addWidget(self.refused)
        self.plants_intro = QLabel(
            self.tr("And ask the plants (the console does not write these):")
        )
        self.plants_intro.setWordWrap(True)
        self.plants = QPlainTextEdit("\n".join(plants))
        self.plants.setReadOnly(True)
        self.plants.setMaximumHeight(110)
        for w in (self.plants_intro, self.plants):
            w.setVisible(bool(plants))
            lay.addWidget(w)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(bool(lines))
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.resize(560, 420)

    def _ok(self) -> None:
        self.accept()
        self.confirmed.emit()


def _when(t: float) -> str:
    """A plan's hour with its day: a plan spans two, and a raise may run past midnight (a bare
    05:00 could be either)."""
    return date_clock(t) if math.isfinite(t) else "—"
