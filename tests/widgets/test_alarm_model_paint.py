"""The alarm tree's paint path: a painted cell's roles in one multiData() call (model and proxy)
from a per-row cache, equal to what data() answers role by role; the cache follows row changes;
only the priority column depends on the blink phase (a blink repaints that column only)."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt

from console.core.events import AlarmState, Priority
from widgets.alarm_model import (
    BLINK_COLUMN,
    HEADERS,
    AlarmFilterProxy,
    AlarmTreeModel,
    Col,
    KeyRole,
    RowRole,
    StationRole,
)
from widgets.colors import BlinkClock

from .test_alarm_model import alarm, group

R = Qt.ItemDataRole
# What QStyledItemDelegate asks for, plus roles the cell cache does not hold.
ROLES = [
    R.FontRole,
    R.TextAlignmentRole,
    R.ForegroundRole,
    R.CheckStateRole,
    R.DecorationRole,
    R.DisplayRole,
    R.BackgroundRole,
    R.ToolTipRole,
    KeyRole,
    RowRole,
    StationRole,
]


@pytest.fixture
def clock(qapp):
    c = BlinkClock()
    c.stop()
    return c


@pytest.fixture
def model(clock):
    m = AlarmTreeModel(blink=clock)
    m.set_rows(
        [
            alarm("a/p/r", Priority.CRITICAL, AlarmState.UNACK),
            alarm("b/p/r", Priority.HIGH, AlarmState.ACK),
            alarm("c/comm/comm_fail", Priority.HIGH, AlarmState.RTN_UNACK),
            alarm("d/p/r", Priority.LOW, AlarmState.SHELVED),
            group("jx-001", 3),
        ]
    )
    return m


def multi(index, role):
    """One role through multiData (a span over one QModelRoleData)."""
    rd = QModelRoleData(int(role))
    rd.setData("stale")  # must be overwritten or cleared, never left
    index.multiData(QModelRoleDataSpan(rd))
    return rd.data()


def same(a, b) -> bool:
    # QBrush/QColor/QFont compare by value; AlarmRow by value; None for "no data".
    return (a is None and b is None) or a == b


def all_indexes(m):
    for r in range(m.rowCount()):
        top = m.index(r, 0)
        for c in range(len(HEADERS)):
            yield m.index(r, c)
            for cr in range(m.rowCount(top)):
                yield m.index(cr, c, top)


def test_multidata_equals_data_role_by_role_on_model_and_proxy(model, clock):
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Col.PRIORITY, Qt.SortOrder.AscendingOrder)
    for phase in (True, False):
        clock.set_phase(phase)
        for m in (model, proxy):
            n = 0
            for idx in all_indexes(m):
                for role in ROLES:
                    assert same(multi(idx, role), idx.data(role)), (m, idx.row(), role)
                n += 1
            assert n == 8 * 8  # 5 top-level rows + 3 rooms, 8 columns


def test_proxy_flags_are_the_models(model):
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    for idx in all_indexes(proxy):
        assert proxy.flags(idx) == model.flags(proxy.mapToSource(idx))
    assert proxy.flags(proxy.index(99, 0)) == Qt.ItemFlag.NoItemFlags


def test_cell_cache_follows_row_changes(model):
    text = model.index(0, Col.TEXT)
    value = model.index(0, Col.VALUE)
    assert text.data(R.FontRole).bold()  # unacked
    bg_unacked = text.data(R.BackgroundRole)
    assert value.data() == "17.2"
    rows = model.rows()
    rows[0] = replace(rows[0], state=AlarmState.ACK, value=15.25)
    model.set_rows(rows)
    assert value.data() == "15.2"
    assert multi(value, R.DisplayRole) == "15.2"
    assert text.data(R.FontRole) is None  # acked: not bold any more
    assert multi(text, R.FontRole) is None
    assert text.data(R.BackgroundRole) != bg_unacked  # acked rows have no wash
    assert model.index(0, Col.STATE).data() == "Acked"


def test_only_the_blink_column_depends_on_the_phase(clock):
    # The summary repaints only BLINK_COLUMN on a blink: every other cell must look the same in
    # both phases, for every state, priority and kind of alarm.
    m = AlarmTreeModel(blink=clock)
    rows = [
        replace(alarm(f"s{i}/{'comm/comm_fail' if comm else 'p/room_low'}", p, st), rule=rule)
        for i, (p, st, (comm, rule)) in enumerate(
            itertools.product(Priority, AlarmState, [(False, "room_low"), (True, "comm_fail")])
        )
    ]
    m.set_rows(rows)

    def look(phase: bool) -> list[list[object]]:
        clock.set_phase(phase)
        return [
            [[m.index(r, c).data(role) for role in ROLES[:7]] for c in range(len(HEADERS))]
            for r in range(m.rowCount())
        ]

    on, off = look(True), look(False)
    blinking = set()
    for r, (row_on, row_off) in enumerate(zip(on, off, strict=True)):
        for c in range(len(HEADERS)):
            if row_on[c] != row_off[c]:
                assert c == BLINK_COLUMN, (rows[r].state, rows[r].priority, c)
                blinking.add(rows[r].state)
    assert blinking == {AlarmState.UNACK, AlarmState.RTN_UNACK}  # and those do flash


def test_unacked_wash_is_steady_and_priority_cell_flashes(model, clock):
    text, prio = model.index(0, Col.TEXT), model.index(0, Col.PRIORITY)
    clock.set_phase(True)
    wash_on, prio_on = text.data(R.BackgroundRole), prio.data(R.BackgroundRole)
    clock.set_phase(False)
    assert text.data(R.BackgroundRole) == wash_on is not None
    assert prio.data(R.BackgroundRole) != prio_on


def test_sort_keys_follow_row_changes(model):
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Col.PRIORITY, Qt.SortOrder.AscendingOrder)
    assert proxy.index(0, 0).data(KeyRole) == "a/p/r"  # the critical one
    rows = model.rows()
    rows[0] = replace(rows[0], priority=Priority.LOW)
    rows[1] = replace(rows[1], priority=Priority.CRITICAL)
    model.set_rows(rows)
    assert proxy.index(0, 0).data(KeyRole) == "b/p/r"
    last = proxy.index(proxy.rowCount() - 1, 0).data(KeyRole)
    assert last in ("a/p/r", "d/p/r")  # LOW priorities at the bottom


def test_changes_in_quiet_columns_are_announced_as_display_changed(model):
    quiet: list[tuple[int, int, int, int]] = []
    loud: list[tuple[int, int, int, int]] = []
    model.display_changed.connect(
        lambda a, b: quiet.append((a.row(), b.row(), a.column(), b.column()))
    )
    model.dataChanged.connect(
        lambda a, b, roles=(): loud.append((a.row(), b.row(), a.column(), b.column()))
    )
    model.quiet_columns = frozenset({Col.TEXT, Col.VALUE, Col.LIMIT})
    rows = model.rows()
    g = rows[4]
    kids = tuple(replace(k, value=15.0, message="Room: 15.0 °C") for k in g.children)
    rows[4] = replace(g, children=kids, message="3 rooms, coldest 15.0 °C")
    rows[0] = replace(rows[0], value=14.0)
    model.set_rows(rows)
    assert (0, 0, Col.VALUE, Col.VALUE) in quiet
    assert (4, 4, Col.TEXT, Col.TEXT) in quiet  # the group's line
    assert (0, 2, Col.TEXT, Col.VALUE) in quiet  # its rooms, one run
    assert loud == [] and not model.loud()
    assert model.index(0, Col.VALUE).data() == "14.0"
    # what filters and sorting read still goes out as dataChanged
    rows[1] = replace(rows[1], state=AlarmState.UNACK)
    model.set_rows(rows)
    assert loud == [(1, 1, 0, len(HEADERS) - 1)] and model.loud()
    # without quiet columns (the default) every change is a dataChanged
    model.quiet_columns = frozenset()
    quiet.clear()
    rows[0] = replace(rows[0], value=13.0)
    model.set_rows(rows)
    assert quiet == [] and loud[-1] == (0, 0, Col.VALUE, Col.VALUE)


def test_proxy_quiet_columns_follow_text_filter_and_sort_column(model):
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Col.PRIORITY, Qt.SortOrder.AscendingOrder)
    assert proxy.quiet_columns() == {Col.TEXT, Col.VALUE, Col.LIMIT}
    proxy.set_filters(text="room")  # the free-text filter reads the message
    assert proxy.quiet_columns() == {Col.VALUE, Col.LIMIT}
    proxy.set_filters()
    proxy.sort(Col.VALUE, Qt.SortOrder.AscendingOrder)
    assert proxy.quiet_columns() == {Col.TEXT, Col.LIMIT}
