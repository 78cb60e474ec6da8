"""Alarm summary model: a tree of AlarmRow (station groups → room alarms) that diffs by key.

`set_rows()` is called once per scan with the full current alarm list. Resetting the model each
time would collapse the operator's expanded groups, lose the selection and repaint thousands of
rows, so the model diffs by key and emits only insert / remove / dataChanged for what changed.
The source model keeps arrival order; sorting (priority, then newest first) and filtering live in
`AlarmFilterProxy`.
"""

from __future__ import annotations

import functools
import time as _time
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.episodes import UNACKED_STATES, LineMemo
from console.vocabulary.views import AlarmRow
from widgets import colors
from widgets.colors import BlinkClock
from widgets.locale_format import clock as _clock
from widgets.locale_format import date_clock, integer, number
from widgets.words import PRIORITY_LABEL, STATE_LABEL, priority_label, state_label

__all__ = ["PRIORITY_LABEL", "STATE_LABEL"]  # re-exported: their home is widgets.words

# Colours come from the theme's widgets/colors.py (one colour meaning everywhere); these
# helpers are the only place the alarm widgets look them up.
TEXT_NORMAL = colors.TEXT
TEXT_MUTED = colors.TEXT_FAINT  # shelved / suppressed / returned-to-normal: present, not urgent


def priority_color(priority: Priority) -> QColor:
    return QColor(colors.PRIORITY_COLOR[priority])


def priority_text_color(priority: Priority) -> QColor:
    """Readable text on top of `priority_color`."""
    return QColor(colors.PRIORITY_TEXT[priority])


def priority_tint(priority: Priority, t: float = 0.3) -> QColor:
    """The priority colour washed into the background, for rows and the blink's dim phase."""
    return colors.mix(colors.BACKGROUND, colors.PRIORITY_COLOR[priority], t)


def comm_brush() -> QBrush:
    return colors.hatch_brush(colors.COMM_FAIL)


UNACK_WASH = 0.18  # the steady background tint of unacknowledged rows
ACTIVE_STATES = frozenset({AlarmState.UNACK, AlarmState.ACK})
OUT_OF_SERVICE_STATES = frozenset(
    {AlarmState.SHELVED, AlarmState.SUPPRESSED, AlarmState.OUT_OF_SERVICE}
)


def is_comm_alarm(row: AlarmRow) -> bool:
    """Communication / staleness alarms are drawn hatched, like stale values elsewhere."""
    r = row.rule.lower()
    return "comm" in r or "stale" in r or "heartbeat" in r


def search_text(row: AlarmRow) -> str:
    """What the summary's free-text filter searches in."""
    return " ".join(
        (row.station, row.station_name, row.district, row.point, row.message, row.key)
    ).lower()


def format_time(t: float, with_date: bool = False) -> str:
    return date_clock(t) if with_date else _clock(t)


def raised_time(row: AlarmRow) -> float:
    """When the alarm was raised (its last transition when that is not known)."""
    return row.time if row.since is None else row.since


def format_value(v: float | None) -> str:
    if v is None or v != v:  # None or NaN
        return "—"
    return number(v, 1 if abs(v) < 1000 else 0)


# ---------------------------------------------------------------------------------------------
# The tree model
# ---------------------------------------------------------------------------------------------


class Col(IntEnum):
    TIME = 0
    PRIORITY = 1
    STATE = 2
    STATION = 3
    DISTRICT = 4
    TEXT = 5
    VALUE = 6
    LIMIT = 7


BLINK_COLUMN = Col.PRIORITY  # the only column whose look depends on the blink phase

HEADERS = [
    QT_TRANSLATE_NOOP("AlarmTreeModel", "Time"),
    QT_TRANSLATE_NOOP("AlarmTreeModel", "Priority"),
    QT_TRANSLATE_NOOP("AlarmTreeModel", "State"),
    QT_TRANSLATE_NOOP("AlarmTreeModel", "Station"),
    QT_TRANSLATE_NOOP("AlarmTreeModel", "District"),
    QT_TRANSLATE_NOOP("AlarmTreeModel", "Alarm"),
    QT_TRANSLATE_NOOP("AlarmTreeModel", "Value"),
    QT_TRANSLATE_NOOP("AlarmTreeModel", "Limit"),
]

KeyRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2  # the AlarmRow itself
SortRole = Qt.ItemDataRole.UserRole + 3
PriorityRankRole = Qt.ItemDataRole.UserRole + 4
StateRole = Qt.ItemDataRole.UserRole + 5
DistrictRole = Qt.ItemDataRole.UserRole + 6
StationRole = Qt.ItemDataRole.UserRole + 7
SearchTextRole = Qt.ItemDataRole.UserRole + 8

_Index = QModelIndex | QPersistentModelIndex
# When sliced: rows per announcement. The proxy filters and sorts what a signal announces
# inside the emit, after the slice's deadline check if the signal is the slice's last: bounded
# blocks keep a slice from overshooting by a whole announcement of thousands of rows.
INSERT_BLOCK = 64  # new rows per beginInsertRows
RUN_MAX = 64  # changed rows per dataChanged
_NO_INDEX = QModelIndex()  # shared default argument (never mutated)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass(eq=False)
class _Node:
    """A row in the tree. `id` goes into QModelIndex.internalId of the node's *children*."""

    id: int
    row: AlarmRow | None  # None for the invisible root
    parent: _Node | None
    # A room alarm's node has none: the shared empty tuple, not a list per node (thousands on a
    # cold night, each one more object for the cyclic GC to walk); `_sync_steps` makes a list
    # when children come.
    children: list[_Node] | tuple[()] = field(default_factory=list)
    pos: dict[str, int] = field(default_factory=dict)  # child key → row number
    # What a repaint reads, per blink phase [off, on]: per column {role: value}. Built on first
    # paint, dropped when the row changes; a repaint is then a dict look-up per cell.
    cells: list[tuple[dict[int, object], ...] | None] | None = None
    sort_key: tuple | None = None  # (priority rank, -time, key): the proxy's default order

    def set_row(self, row: AlarmRow) -> None:
        self.row = row
        self.cells = None
        self.sort_key = None

    def default_key(self) -> tuple:
        k = self.sort_key
        if k is None:
            r = self.row
            k = self.sort_key = (r.priority.rank, -r.time, r.key)
        return k


def _line_counts(r: AlarmRow) -> AlarmCounts:
    """A line's counts: its alarms (a group: its rooms) and its events for the operator."""
    c = AlarmCounts()
    AlarmTreeModel._count_into(c, r)
    c.line_unacked = _events(r, UNACKED_STATES)
    c.line_active = _events(r, ACTIVE_STATES)
    c.line_shelved = _events(r, OUT_OF_SERVICE_STATES)
    return c


def _events(r: AlarmRow, states: frozenset) -> int:
    """Events of a line in `states`: a station's room group counts once per room rule (as the
    tab title, the key figures and the banner count: console/vocabulary/episodes.py)."""
    if r.children:
        return len({c.rule for c in r.children if c.state in states})
    return int(r.state in states)


@dataclass
class AlarmCounts:
    """Alarms (every room its own) and, `line_*`, events for the operator (a station's cold
    rooms one event per rule): the counts line says both when they differ."""

    unacked: int = 0
    active: int = 0
    shelved: int = 0  # shelved, suppressed or out of service
    total: int = 0
    line_unacked: int = 0
    line_active: int = 0
    line_shelved: int = 0

    def add(self, o: AlarmCounts) -> None:
        self.unacked += o.unacked
        self.active += o.active
        self.shelved += o.shelved
        self.total += o.total
        self.line_unacked += o.line_unacked
        self.line_active += o.line_active
        self.line_shelved += o.line_shelved


def _changed_columns(old: AlarmRow, new: AlarmRow) -> tuple[int, int] | None:
    """The columns a changed row must repaint, as (first, last).

    QSortFilterProxyModel re-sorts the rows of a dataChanged only when the range spans its sort
    column, so a room whose temperature moved (value and text) does not re-sort thousands of
    rows under the default priority sort. State, priority, shelving or key change the whole
    row (colours, fonts, tooltip, filters).
    """
    if (
        old.state != new.state
        or old.priority != new.priority
        or old.key != new.key
        or old.shelved_by != new.shelved_by
    ):
        return (0, len(HEADERS) - 1)
    cols = []
    if old.time != new.time or old.since != new.since:
        cols.append(Col.TIME)
        if new.state == AlarmState.ACK:
            cols.append(Col.STATE)  # shows the acknowledgement's time
    if old.first_out != new.first_out:
        cols.append(Col.PRIORITY)
    if old.station != new.station or old.station_name != new.station_name:
        cols.append(Col.STATION)
    if old.district != new.district:
        cols.append(Col.DISTRICT)
    if old.message != new.message or old.children != new.children:  # the group's text
        cols.append(Col.TEXT)
    if old.value != new.value:
        cols.append(Col.VALUE)
    if old.limit != new.limit:
        cols.append(Col.LIMIT)
    return (min(cols), max(cols)) if cols else None


class AlarmTreeModel(QAbstractItemModel):
    """Station group rows with their room alarms as children; other alarms at top level."""

    counts_changed = Signal(object)  # AlarmCounts
    # The blink phase flipped: views repaint the BLINK_COLUMN (data() reads the phase). Not a
    # dataChanged: the sort/filter proxy would re-filter and re-sort every unacked row twice a
    # second (thousands on a cold night); a viewport repaint costs only the visible rows.
    blink_changed = Signal(bool)
    # Rows (top-left, bottom-right) changed only in `quiet_columns`: what they show changed, not
    # what filters or sorting read. Instead of dataChanged, which the sort/filter proxy answers
    # by re-filtering every changed row in Python (a scan of a cold night changes thousands of
    # rooms' value and text); the view that shows them repaints those cells itself.
    display_changed = Signal(QModelIndex, QModelIndex)

    def __init__(self, parent: QObject | None = None, blink: BlinkClock | None = None) -> None:
        super().__init__(parent)
        self._root = _Node(0, None, None)
        self._nodes: dict[int, _Node] = {0: self._root}  # internalId → parent node
        self._next_id = 1
        self._counts = AlarmCounts()
        self._line_counts = LineMemo(_line_counts)
        self._blink_on = True
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._clock = blink if blink is not None else colors.blink_clock()
        self._clock.toggled.connect(self._on_blink)
        self._blink_on = self._clock.on
        self._steps: Generator[None, None, None] | None = None  # a sliced diff under way
        self._loud = False  # see loud()
        self._run: list | None = None  # changed rows not yet announced: parent, r0, r1, c0, c1
        self._insert_block = 1 << 62  # rows per beginInsertRows; INSERT_BLOCK when sliced
        self._run_max = 1 << 62  # rows per changed run; RUN_MAX when sliced
        # Columns whose changes go out as display_changed (set by the summary from its proxy's
        # filters and sort column); empty: every change is a dataChanged.
        self.quiet_columns: frozenset[int] = frozenset()

    # ---- feeding ------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[AlarmRow]) -> None:
        """Replace the content with `rows`, emitting signals only for rows that changed."""
        self.begin_rows(rows)
        self.apply_step(None)

    def begin_rows(self, rows: Sequence[AlarmRow]) -> None:
        """Start diffing towards `rows`; `apply_step` does the work in slices.

        A cold night changes thousands of rows at once, and the proxy's sort/filter callbacks
        for them cost ~0.1-0.3 s in one go: sliced, the event loop runs between slices. The
        tree is consistent at every slice boundary (begin/end pairs and dataChanged complete),
        so views may paint and read in between. An unfinished diff is dropped: the new one
        starts from the tree as it stands, which is what the views have been told.
        """
        self._drop_steps()
        self._loud = False
        self._steps = self._diff_steps(rows)

    def apply_step(self, budget_s: float | None) -> bool:
        """Diff for about `budget_s` seconds (None: to the end); True when the content is
        `rows` of the last `begin_rows`."""
        gen = self._steps
        if gen is None:
            return True
        deadline = None if budget_s is None else _time.perf_counter() + budget_s
        self._insert_block = INSERT_BLOCK if budget_s is not None else 1 << 62
        self._run_max = RUN_MAX if budget_s is not None else 1 << 62
        for _ in gen:
            if deadline is not None and _time.perf_counter() >= deadline:
                self._flush_run()
                return False
        self._steps = None
        return True

    def applying(self) -> bool:
        """A sliced diff is still under way."""
        return self._steps is not None

    def loud(self) -> bool:
        """The current (or last) diff announced more than display_changed: rows inserted,
        removed or changed in what the proxy filters and sorts (views may re-layout)."""
        return self._loud

    def _drop_steps(self) -> None:
        if self._steps is not None:
            self._flush_run()
            self._steps.close()
            self._steps = None

    def _diff_steps(self, rows: Sequence[AlarmRow]) -> Generator[None, None, None]:
        # Counted first: the label shows the newest figures at once. A line that is the very
        # same object as last time (an unchanged group of hundreds of rooms) is not walked.
        counts = AlarmCounts()
        for line in self._line_counts.lines(rows):
            counts.add(line)
        yield
        if counts != self._counts:
            self._counts = counts
            self.counts_changed.emit(counts)
        yield from self._sync_steps(self._root, rows)
        self._flush_run()

    def counts(self) -> AlarmCounts:
        return self._counts

    def retranslate(self) -> None:
        """The language changed: drop every cached cell text and tell the views (headers and
        every row). Rare, so announced in full."""
        stack = [self._root]
        while stack:
            node = stack.pop()
            node.cells = None
            stack.extend(node.children)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.children:
                parent = self._parent_index(node)
                last = self.index(len(node.children) - 1, len(HEADERS) - 1, parent)
                self.dataChanged.emit(self.index(0, 0, parent), last)
                stack.extend(node.children)

    def rows(self) -> list[AlarmRow]:
        return [n.row for n in self._root.children if n.row is not None]

    def row_for_key(self, key: str) -> AlarmRow | None:
        idx = self.index_for_key(key)
        return idx.data(RowRole) if idx.isValid() else None

    def row_at(self, row: int, parent: _Index = _NO_INDEX) -> AlarmRow | None:
        """The AlarmRow at (row, parent) without building an index (the proxy's fast path)."""
        pnode = self._node(parent) if parent.isValid() else self._root
        if pnode is None or not (0 <= row < len(pnode.children)):
            return None
        return pnode.children[row].row

    def index_for_key(self, key: str, column: int = 0) -> QModelIndex:
        r = self._root.pos.get(key)
        if r is not None:
            return self.index(r, column)
        for gi, g in enumerate(self._root.children):  # children keys: look inside groups
            cr = g.pos.get(key)
            if cr is not None:
                return self.index(cr, column, self.index(gi, 0))
        return QModelIndex()

    @staticmethod
    def _count(rows: Iterable[AlarmRow]) -> AlarmCounts:
        c = AlarmCounts()
        for r in rows:
            AlarmTreeModel._count_into(c, r)
        return c

    @staticmethod
    def _count_into(c: AlarmCounts, r: AlarmRow) -> None:
        for leaf in r.children or (r,):
            c.total += 1
            if leaf.state in UNACKED_STATES:
                c.unacked += 1
            if leaf.state in ACTIVE_STATES:
                c.active += 1
            if leaf.state in OUT_OF_SERVICE_STATES:
                c.shelved += 1

    def _parent_index(self, node: _Node) -> QModelIndex:
        if node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.pos[node.row.key], 0, node.parent.id)

    def _new_node(self, row: AlarmRow, parent: _Node) -> _Node:
        node = _Node(self._next_id, row, parent, [] if row.children else ())
        self._next_id += 1
        self._nodes[node.id] = node
        if row.children:
            self._sync(node, row.children, announce=False)
        return node

    def _forget(self, node: _Node) -> None:
        self._nodes.pop(node.id, None)
        for c in node.children:
            self._forget(c)

    def _sync(self, parent: _Node, rows: Sequence[AlarmRow], announce: bool = True) -> None:
        for _ in self._sync_steps(parent, rows, announce):
            pass

    def _sync_steps(
        self, parent: _Node, rows: Sequence[AlarmRow], announce: bool = True
    ) -> Generator[None, None, None]:
        """Diff `parent`'s children against `rows` by key, yielding where the tree is
        consistent (the caller may stop there and flush the pending dataChanged run).

        announce=False while building a node that the view does not know yet (its insertion is
        announced by the caller as one row).
        """
        if isinstance(parent.children, tuple):
            if not rows:
                return  # still none
            parent.children = []
        new_by_key = {r.key: r for r in rows}
        pidx = self._parent_index(parent) if announce else QModelIndex()

        # 1. removals, as contiguous runs from the bottom so row numbers above stay valid
        gone = [i for i, n in enumerate(parent.children) if n.row.key not in new_by_key]
        if gone:
            runs: list[tuple[int, int]] = []
            for i in gone:
                if runs and runs[-1][1] == i - 1:
                    runs[-1] = (runs[-1][0], i)
                else:
                    runs.append((i, i))
            for first, last in reversed(runs):
                if announce:
                    self._loud = True
                    self.beginRemoveRows(pidx, first, last)
                for n in parent.children[first : last + 1]:
                    self._forget(n)
                del parent.children[first : last + 1]
                if announce:
                    self.endRemoveRows()
            parent.pos = {n.row.key: i for i, n in enumerate(parent.children)}
            yield

        # 2. changes in place, announced as runs of adjacent rows with the same columns
        for i, node in enumerate(parent.children):
            new = new_by_key[node.row.key]
            if new is node.row or new == node.row:
                continue
            old = node.row
            node.set_row(new)
            cols = _changed_columns(old, new)
            if announce and cols is not None:
                run = self._run
                if (
                    run
                    and run[0] is parent
                    and run[2] == i - 1
                    and (run[3], run[4]) == cols
                    and i - run[1] < self._run_max
                ):
                    run[2] = i
                else:
                    self._flush_run()
                    self._run = [parent, i, i, *cols]
            if new.children != old.children:
                if announce:
                    self._flush_run()  # the parent's run before its children's
                yield from self._sync_steps(node, new.children, announce)
            yield
        if announce:
            self._flush_run()

        # 3. insertions, appended in one block (the proxy sorts), several when sliced
        fresh = [r for r in rows if r.key not in parent.pos]
        b = 0
        while b < len(fresh):
            block = fresh[b : b + self._insert_block]
            b += len(block)
            first = len(parent.children)
            if announce:
                self._loud = True
                self.beginInsertRows(pidx, first, first + len(block) - 1)
            for r in block:
                parent.pos[r.key] = len(parent.children)
                parent.children.append(self._new_node(r, parent))
            if announce:
                self.endInsertRows()
            yield

    def _flush_run(self) -> None:
        """Announce the pending run of changed rows (parent, first, last, col0, col1): as
        `display_changed` when all its columns are quiet, else as dataChanged."""
        run, self._run = self._run, None
        if run:
            parent, r0, r1, c0, c1 = run
            if parent.id in self._nodes:  # not removed since (a dropped diff)
                quiet = self.quiet_columns
                if c0 in quiet and all(c in quiet for c in range(c0 + 1, c1 + 1)):
                    signal = self.display_changed
                else:
                    signal = self.dataChanged
                    self._loud = True
                signal.emit(
                    self.createIndex(r0, c0, parent.id), self.createIndex(r1, c1, parent.id)
                )

    # ---- blink --------------------------------------------------------------------------------

    def _on_blink(self, phase: bool) -> None:
        self._blink_on = phase
        self.blink_changed.emit(phase)

    # ---- QAbstractItemModel -------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = _NO_INDEX) -> QModelIndex:
        pnode = self._node(parent) if parent.isValid() else self._root
        if (
            pnode is None
            or not (0 <= row < len(pnode.children))
            or not (0 <= column < len(HEADERS))
        ):
            return QModelIndex()
        return self.createIndex(row, column, pnode.id)

    def parent(self, index: _Index = _NO_INDEX) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        pnode = self._nodes.get(index.internalId())
        if pnode is None or pnode is self._root:
            return QModelIndex()
        return self._parent_index(pnode)

    def _node(self, index: _Index) -> _Node | None:
        pnode = self._nodes.get(index.internalId())
        if pnode is None or not (0 <= index.row() < len(pnode.children)):
            return None
        return pnode.children[index.row()]

    def rowCount(self, parent: _Index = _NO_INDEX) -> int:
        if parent.column() > 0:
            return 0
        node = self._node(parent) if parent.isValid() else self._root
        return len(node.children) if node else 0

    def columnCount(self, parent: _Index = _NO_INDEX) -> int:
        return len(HEADERS)

    def hasChildren(self, parent: _Index = _NO_INDEX) -> bool:
        return self.rowCount(parent) > 0

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("AlarmTreeModel", HEADERS[section])
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        node = self._node(index)
        if node is None:
            return None
        if role in CELL_ROLES:
            return self._cells(node)[index.column()].get(role)
        return self._other_role(node.row, index.column(), role)

    def multiData(self, index: _Index, span: QModelRoleDataSpan) -> None:
        """All roles of a cell in one call (the delegate asks for ~7 per painted cell; through
        data() each was a separate C++ -> Python call, each waiting for the GIL)."""
        self.fill_cell(self._node(index), index.column(), span)

    def fill_cell(self, node: _Node | None, col: int, span: QModelRoleDataSpan) -> None:
        """Every role asked for in `span` from the node's cached cell (none: all cleared)."""
        if node is None:
            for i in range(len(span)):
                span[i].clearData()
            return
        cell = self._cells(node)[col]
        for i in range(len(span)):
            rd = span[i]
            role = rd.role()
            v = cell.get(role) if role in CELL_ROLES else self._other_role(node.row, col, role)
            if v is None:
                rd.clearData()
            else:
                rd.setData(v)

    def _cells(self, node: _Node) -> tuple[dict[int, object], ...]:
        """The node's painted roles per column in the current blink phase (built once)."""
        phase = 1 if self._blink_on else 0
        cells = node.cells
        if cells is None:
            cells = node.cells = [None, None]
        out = cells[phase]
        if out is None:
            row: AlarmRow = node.row
            child = node.parent is not self._root
            style = _style(row.state, row.priority, is_comm_alarm(row), bool(phase))
            font = (
                self._bold
                if row.state == AlarmState.UNACK
                else self._italic
                if row.state in OUT_OF_SERVICE_STATES
                else None
            )
            built = []
            for col, (bg, fg) in enumerate(style):
                cell: dict[int, object] = {_DISPLAY: self._display(row, col, child)}
                if bg is not None:
                    cell[_BACKGROUND] = bg
                if fg is not None:
                    cell[_FOREGROUND] = fg
                if font is not None:
                    cell[_FONT] = font
                if col in (Col.VALUE, Col.LIMIT):
                    cell[_ALIGN] = _RIGHT
                built.append(cell)
            out = cells[phase] = tuple(built)
        return out

    def _other_role(self, row: AlarmRow, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{row.key}\n{row.message}"
            if row.shelved_by:
                tip += "\n" + self.tr("shelved by {user}").format(user=row.shelved_by)
            return tip
        if role == KeyRole:
            return row.key
        if role == RowRole:
            return row
        if role == SortRole:
            return self._sort_value(row, col)
        if role == PriorityRankRole:
            return row.priority.rank
        if role == StateRole:
            return str(row.state)
        if role == DistrictRole:
            return row.district
        if role == StationRole:
            return row.station
        if role == SearchTextRole:
            return search_text(row)
        return None

    @staticmethod
    def _display(row: AlarmRow, col: int, child: bool) -> str:
        match col:
            case Col.TIME:
                return format_time(raised_time(row))
            case Col.PRIORITY:
                return priority_label(row.priority) + (" ★" if row.first_out else "")
            case Col.STATE:
                if row.state == AlarmState.ACK and row.since is not None:
                    # the raise time stays in Time; when it was acknowledged, beside it
                    return f"{state_label(row.state)} {format_time(row.time)}"
                return state_label(row.state)
            case Col.STATION:
                # The id first: it is what is read out over the radio, and a narrow column
                # elides the name on the right, never the id.
                return "" if child else f"{row.station}  {row.station_name}"
            case Col.DISTRICT:
                return "" if child else row.district
            case Col.TEXT:
                if row.is_group:  # the message counts rooms; a room may hold two alarms
                    n = integer(len(row.children))
                    more = QCoreApplication.translate("AlarmTreeModel", "({n} alarms)")
                    return f"{row.message}  " + more.format(n=n)
                return row.message
            case Col.VALUE:
                return format_value(row.value)
            case Col.LIMIT:
                return format_value(row.limit)
        return ""

    @staticmethod
    def _sort_value(row: AlarmRow, col: int) -> object:
        match col:
            case Col.TIME:
                return raised_time(row)
            case Col.PRIORITY:
                return row.priority.rank
            case Col.STATE:
                return list(AlarmState).index(row.state)
            case Col.STATION:
                return row.station
            case Col.DISTRICT:
                return row.district
            case Col.TEXT:
                return row.message
            case Col.VALUE:
                return float("-inf") if row.value is None else row.value
            case Col.LIMIT:
                return float("-inf") if row.limit is None else row.limit
        return None


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
# The roles a painted cell is made of; answered from the node's cell cache.
CELL_ROLES = frozenset({_DISPLAY, _FONT, _ALIGN, _BACKGROUND, _FOREGROUND})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@functools.cache
def _style(
    state: AlarmState, priority: Priority, comm: bool, blink_on: bool
) -> tuple[tuple[QBrush | None, QColor | None], ...]:
    """(background, foreground) per column. A handful of combinations, each built once: the
    brushes and colours are shared by every row that looks alike."""
    return tuple(
        (
            _background(state, priority, comm, blink_on, col),
            _foreground(state, priority, blink_on, col),
        )
        for col in range(len(HEADERS))
    )


def _background(
    state: AlarmState, priority: Priority, comm: bool, blink_on: bool, col: int
) -> QBrush | None:
    if state in OUT_OF_SERVICE_STATES or state == AlarmState.NORMAL:
        return None
    if col == Col.VALUE and comm:
        return comm_brush()
    if col == Col.PRIORITY:
        # Acked: solid priority colour; unacked: blinks between solid and a light wash;
        # returned-to-normal unacked: light wash steady/blinking (the condition has gone).
        if state == AlarmState.ACK:
            return QBrush(priority_color(priority))
        if state == AlarmState.UNACK:
            return QBrush(priority_color(priority) if blink_on else priority_tint(priority))
        return QBrush(priority_tint(priority, 0.45 if blink_on else 0.2))
    if state == AlarmState.UNACK:
        # A whole-row wash makes unacknowledged rows unmistakable without shouting. Steady:
        # only the priority cell flashes (ISA-101: flash the indicator, not the whole line), so
        # a blink repaints one column, not every visible cell.
        return QBrush(priority_tint(priority, UNACK_WASH))
    return None


def _foreground(state: AlarmState, priority: Priority, blink_on: bool, col: int) -> QColor | None:
    if state in OUT_OF_SERVICE_STATES or state == AlarmState.RTN_UNACK:
        if col == Col.PRIORITY and state == AlarmState.RTN_UNACK:
            return QColor(TEXT_NORMAL)
        return QColor(TEXT_MUTED)
    # On the solid priority colour: acked always, unacked in the blink's solid phase. (A row
    # back to normal has no priority fill: its label stays plain, it does not flash.)
    if col == Col.PRIORITY and (
        state == AlarmState.ACK or (state == AlarmState.UNACK and blink_on)
    ):
        return priority_text_color(priority)
    return QColor(TEXT_NORMAL)


# ---------------------------------------------------------------------------------------------
# Sorting and filtering
# ---------------------------------------------------------------------------------------------


class AlarmFilterProxy(QSortFilterProxyModel):
    """Filters by district, priorities, states and free text; sorts priority-then-newest.

    A group stays visible while any of its rooms matches (recursive filtering).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.district: str | None = None
        self.priorities: frozenset[Priority] | None = None  # None = all
        self.states: frozenset[AlarmState] | None = None
        self.text: str = ""
        self._tree: AlarmTreeModel | None = None
        self.setSortRole(SortRole)
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(True)

    def set_filters(
        self,
        district: str | None = None,
        priorities: Iterable[Priority] | None = None,
        states: Iterable[AlarmState] | None = None,
        text: str = "",
    ) -> None:
        self.beginFilterChange()  # Qt ≥ 6.9; replaces the deprecated invalidateFilter()
        self.district = district or None
        self.priorities = frozenset(priorities) if priorities is not None else None
        self.states = frozenset(states) if states is not None else None
        self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        # The tree's fast paths (rows, cells, sort keys straight from its nodes) when it is one.
        self._tree = model if isinstance(model, AlarmTreeModel) else None
        super().setSourceModel(model)

    def multiData(self, index: _Index, span: QModelRoleDataSpan) -> None:
        """A painted cell in one Python call. Qt's proxy would ask the source role by role,
        each time mapping the index again: two C++ -> Python calls per role, ~7 roles."""
        tree = self._tree
        if tree is None:
            super().multiData(index, span)
            return
        src = self.mapToSource(index)
        tree.fill_cell(tree._node(src), src.column(), span)

    def quiet_columns(self) -> frozenset[int]:
        """Columns whose changes cannot change what this proxy filters or how it sorts: the
        room's value, limit and text, unless the free-text filter reads the text or the view
        is sorted by one of them."""
        quiet = {Col.VALUE, Col.LIMIT} if self.text else {Col.TEXT, Col.VALUE, Col.LIMIT}
        quiet.discard(self.sortColumn())
        return frozenset(quiet)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        # The tree's flags are the same for every row: answered here, without mapping the index
        # to the source (a Python index() call per painted cell).
        if self._tree is None:
            return super().flags(index)
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def _source_row(self, source_row: int, source_parent: _Index) -> AlarmRow | None:
        # Straight from the tree, not index() + data(): the proxy calls this for every changed
        # row, and each extra C++ -> Python call may wait for the GIL the service thread holds.
        if self._tree is not None:
            return self._tree.row_at(source_row, source_parent)
        return self.sourceModel().index(source_row, 0, source_parent).data(RowRole)

    def _node_of(self, source_index: _Index) -> _Node | None:
        return self._tree._node(source_index) if self._tree is not None else None

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        row = self._source_row(source_row, source_parent)
        if row is None:
            return False
        if self.district and row.district != self.district:
            return False
        if self.priorities is not None and row.priority not in self.priorities:
            return False
        if self.states is not None and row.state not in self.states:
            return False
        return not (self.text and self.text not in search_text(row))

    def lessThan(self, left: _Index, right: _Index) -> bool:
        # Ties (and the priority column itself) fall back to priority rank, then newest first,
        # expressed so that ascending order puts the most urgent, newest row on top. The tree's
        # nodes keep that key (built once per row change, not per comparison).
        na, nb = self._node_of(left), self._node_of(right)
        if na is not None and nb is not None:
            a, b = na.row, nb.row
            default_a, default_b = na.default_key(), nb.default_key()
        else:
            a, b = left.data(RowRole), right.data(RowRole)
            if a is None or b is None:
                return a is None and b is not None
            default_a = (a.priority.rank, -a.time, a.key)
            default_b = (b.priority.rank, -b.time, b.key)
        col = left.column()
        if col == Col.PRIORITY:
            return default_a < default_b
        va, vb = AlarmTreeModel._sort_value(a, col), AlarmTreeModel._sort_value(b, col)
        if va == vb:
            return default_a < default_b
        return va < vb

    def visible_rows(self) -> list[AlarmRow]:
        """Every row the filter shows, groups expanded into their visible children."""
        out: list[AlarmRow] = []
        for r in range(self.rowCount()):
            idx = self.index(r, 0)
            row: AlarmRow = idx.data(RowRole)
            n = self.rowCount(idx)
            if n:
                out.extend(self.index(c, 0, idx).data(RowRole) for c in range(n))
            elif row.is_group:  # the group itself matched, none of its rooms: take them all
                out.extend(row.children)
            else:
                out.append(row)
        return out
