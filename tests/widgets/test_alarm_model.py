"""Alarm tree model: diffs by key (only changed rows signalled), groups, sort order, filters."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, Qt

from console.core.events import AlarmState, Priority
from console.vocabulary.views import AlarmRow
from widgets.alarm_model import (
    HEADERS,
    AlarmFilterProxy,
    AlarmTreeModel,
    Col,
    KeyRole,
    RowRole,
)
from widgets.colors import BlinkClock

T0 = 1_700_000_000.0


def alarm(
    key: str,
    priority: Priority = Priority.MEDIUM,
    state: AlarmState = AlarmState.UNACK,
    t: float = T0,
    district: str = "涧西",
    station: str | None = None,
    message: str = "Room below 18 °C",
    children: tuple[AlarmRow, ...] = (),
) -> AlarmRow:
    st = station or key.split("/")[0]
    return AlarmRow(
        key=key,
        station=st,
        station_name=f"站{st}",
        district=district,
        point=key.split("/")[1] if "/" in key else "",
        rule="room_low",
        priority=priority,
        state=state,
        message=message,
        time=t,
        value=17.2,
        limit=18.0,
        children=children,
    )


def group(station: str, n: int, t: float = T0, **kw: object) -> AlarmRow:
    kids = tuple(alarm(f"{station}/room_temp[{i}]/room_low", t=t + i, **kw) for i in range(n))
    return alarm(f"{station}/rooms/room_low", t=t + n, children=kids, **kw)


class Recorder:
    """Counts the structural signals a model emits."""

    def __init__(self, model: AlarmTreeModel) -> None:
        self.inserted: list[tuple[bool, int, int]] = []
        self.removed: list[tuple[bool, int, int]] = []
        self.changed: list[tuple[int, int]] = []
        self.resets = 0
        model.rowsInserted.connect(lambda p, a, b: self.inserted.append((p.isValid(), a, b)))
        model.rowsRemoved.connect(lambda p, a, b: self.removed.append((p.isValid(), a, b)))
        model.dataChanged.connect(lambda a, b, roles=(): self.changed.append((a.row(), b.row())))
        model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self.resets += 1


@pytest.fixture
def clock(qapp):
    c = BlinkClock()
    c.stop()  # no timer-driven dataChanged during the test
    return c


@pytest.fixture
def model(clock):
    return AlarmTreeModel(blink=clock)


def test_initial_insert_is_one_block(model):
    rec = Recorder(model)
    model.set_rows([alarm(f"s{i}/p/r") for i in range(500)])
    assert rec.inserted == [(False, 0, 499)]
    assert model.rowCount() == 500
    assert rec.resets == 0


def test_only_changed_rows_are_signalled(model):
    rows = [alarm(f"s{i}/p/r") for i in range(1000)]
    model.set_rows(rows)
    rec = Recorder(model)
    rows2 = list(rows)
    rows2[10] = replace(rows[10], state=AlarmState.ACK)
    rows2[700] = replace(rows[700], value=16.0)
    model.set_rows(rows2)
    assert rec.changed == [(10, 10), (700, 700)]
    assert rec.inserted == [] and rec.removed == [] and rec.resets == 0
    assert model.index(10, Col.STATE).data() == "Acked"


def test_identical_rows_emit_nothing(model):
    rows = [alarm(f"s{i}/p/r") for i in range(50)]
    model.set_rows(rows)
    rec = Recorder(model)
    model.set_rows([replace(r) for r in rows])  # equal but not identical objects
    assert (rec.changed, rec.inserted, rec.removed) == ([], [], [])


def test_removals_in_contiguous_runs_and_appends(model):
    rows = [alarm(f"s{i}/p/r") for i in range(10)]
    model.set_rows(rows)
    rec = Recorder(model)
    keep = [r for i, r in enumerate(rows) if i not in (2, 3, 7)]
    model.set_rows([*keep, alarm("new/p/r"), alarm("new2/p/r")])
    assert rec.removed == [(False, 7, 7), (False, 2, 3)]  # bottom first
    assert rec.inserted == [(False, 7, 8)]
    keys = [model.index(r, 0).data(KeyRole) for r in range(model.rowCount())]
    assert keys == [r.key for r in keep] + ["new/p/r", "new2/p/r"]


def test_station_groups_are_expandable_parents(model):
    model.set_rows([group("jx-001", 3), alarm("xg-002/makeup_flow/leak")])
    g = model.index(0, 0)
    assert model.rowCount(g) == 3
    child = model.index(1, 0, g)
    assert child.data(KeyRole) == "jx-001/room_temp[1]/room_low"
    assert model.parent(child) == g
    assert model.parent(g) == QModelIndex()
    assert model.rowCount(model.index(1, 0)) == 0
    # the group line says how many alarms it holds; children leave the station column empty
    assert model.index(0, Col.TEXT).data().endswith("(3 alarms)")
    assert model.index(0, Col.STATION, g).data() == ""
    assert model.counts().unacked == 4  # leaves: 3 rooms + 1


def test_group_children_are_diffed_inside_the_group(model):
    g = group("jx-001", 4)
    model.set_rows([g])
    rec = Recorder(model)
    kids = list(g.children)
    kids[1] = replace(kids[1], value=15.5)
    del kids[3]
    kids.append(alarm("jx-001/room_temp[9]/room_low"))
    model.set_rows([replace(g, children=tuple(kids))])
    assert (False, 0, 0) not in rec.inserted  # the group itself stays
    assert rec.removed == [(True, 3, 3)]
    assert rec.inserted == [(True, 3, 3)]
    assert (1, 1) in rec.changed  # the changed room
    assert (0, 0) in rec.changed  # the group row (its children changed)
    assert model.rowCount(model.index(0, 0)) == 4


def test_a_line_without_children_gains_and_loses_them(model):
    """Lines without children share one empty tuple (no list per room alarm for the cyclic GC
    to walk); a line that gains children under the same key gets its own list."""
    empty = replace(group("jx-001", 2), children=())
    model.set_rows([empty, alarm("xg-002/makeup_flow/leak")])
    assert model.rowCount(model.index(0, 0)) == 0
    rec = Recorder(model)
    model.set_rows([group("jx-001", 2), alarm("xg-002/makeup_flow/leak")])
    g = model.index(0, 0)
    assert model.rowCount(g) == 2 and rec.inserted == [(True, 0, 1)]
    assert model.index(1, 0, g).data(KeyRole) == "jx-001/room_temp[1]/room_low"
    assert model.rowCount(model.index(1, 0)) == 0  # the other line still has none
    model.set_rows([empty, alarm("xg-002/makeup_flow/leak")])
    assert model.rowCount(model.index(0, 0)) == 0 and rec.removed == [(True, 0, 1)]


def test_cooling_rooms_change_as_one_run_without_the_sort_column(model):
    # Every room of a group got colder: one dataChanged for the run of rooms, spanning only the
    # text and value columns, so the proxy (sorted by priority) does not re-sort them.
    g = group("jx-001", 5)
    model.set_rows([g])
    spans: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, roles=(): spans.append((a.row(), b.row(), a.column(), b.column()))
    )
    kids = tuple(replace(k, value=15.0, message="Room: 15.0 °C") for k in g.children)
    model.set_rows([replace(g, children=kids)])
    assert (0, 4, Col.TEXT, Col.VALUE) in spans
    assert all(not (c0 <= Col.PRIORITY <= c1) for _, _, c0, c1 in spans)
    # an acknowledged room changes its whole row (colours, fonts, state filter)
    spans.clear()
    kids = (replace(kids[0], state=AlarmState.ACK), *kids[1:])
    model.set_rows([replace(g, children=kids)])
    assert (0, 0, 0, len(HEADERS) - 1) in spans


def test_index_for_key_finds_children(model):
    model.set_rows([group("jx-001", 3)])
    idx = model.index_for_key("jx-001/room_temp[2]/room_low")
    assert idx.isValid() and idx.row() == 2 and idx.parent().isValid()
    assert not model.index_for_key("nope").isValid()


def make_proxy(model: AlarmTreeModel) -> AlarmFilterProxy:
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Col.PRIORITY, Qt.SortOrder.AscendingOrder)
    return proxy


def test_sort_priority_then_newest(model):
    model.set_rows(
        [
            alarm("a/p/r", Priority.MEDIUM, t=T0 + 10),
            alarm("b/p/r", Priority.CRITICAL, t=T0),
            alarm("c/p/r", Priority.MEDIUM, t=T0 + 20),
            alarm("d/p/r", Priority.HIGH, t=T0 + 5),
            alarm("e/p/r", Priority.CRITICAL, t=T0 + 1),
        ]
    )
    proxy = make_proxy(model)
    keys = [proxy.index(r, 0).data(KeyRole) for r in range(proxy.rowCount())]
    assert keys == ["e/p/r", "b/p/r", "d/p/r", "c/p/r", "a/p/r"]
    # a later, more urgent alarm goes to the top without a reset
    model.set_rows([*model.rows(), alarm("f/p/r", Priority.CRITICAL, t=T0 + 30)])
    assert proxy.index(0, 0).data(KeyRole) == "f/p/r"


def test_filters_district_priority_state_text(model):
    model.set_rows(
        [
            alarm("jx-001/p/r", Priority.MEDIUM, district="涧西"),
            alarm("xg-001/p/r", Priority.CRITICAL, district="西工", message="Make-up flow high"),
            alarm("xg-002/p/r", Priority.HIGH, AlarmState.ACK, district="西工"),
            alarm("lc-001/p/r", Priority.LOW, AlarmState.SHELVED, district="老城"),
            group("jx-002", 2),
        ]
    )
    proxy = make_proxy(model)

    def keys() -> set[str]:
        return {r.key for r in proxy.visible_rows()}

    proxy.set_filters(district="西工")
    assert keys() == {"xg-001/p/r", "xg-002/p/r"}
    proxy.set_filters(priorities=[Priority.CRITICAL, Priority.HIGH])
    assert keys() == {"xg-001/p/r", "xg-002/p/r"}
    proxy.set_filters(states=[AlarmState.SHELVED])
    assert keys() == {"lc-001/p/r"}
    proxy.set_filters(text="make-up")
    assert keys() == {"xg-001/p/r"}
    proxy.set_filters(text="站xg-002")  # Chinese station name is searchable
    assert keys() == {"xg-002/p/r"}
    proxy.set_filters(text="room_temp[1]")  # a room inside a group: group kept, one child
    assert keys() == {"jx-002/room_temp[1]/room_low"}
    proxy.set_filters()
    assert len(keys()) == 6


def test_unacked_rows_stand_out_and_blink(model, clock):
    model.set_rows([alarm("a/p/r", state=AlarmState.UNACK), alarm("b/p/r", state=AlarmState.ACK)])
    unacked = model.index(0, Col.PRIORITY)
    acked = model.index(1, Col.PRIORITY)
    assert model.index(0, Col.TEXT).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, Col.TEXT).data(Qt.ItemDataRole.FontRole) is None
    on = unacked.data(Qt.ItemDataRole.BackgroundRole).color()
    rec = Recorder(model)
    phases: list[bool] = []
    model.blink_changed.connect(phases.append)
    clock.set_phase(False)  # one blink phase
    off = unacked.data(Qt.ItemDataRole.BackgroundRole).color()
    assert on != off
    assert acked.data(Qt.ItemDataRole.BackgroundRole) is not None  # acked: steady colour
    # Views repaint on blink_changed; no dataChanged, so the proxy neither re-sorts nor
    # re-filters thousands of unacked rows twice a second.
    assert phases == [False] and rec.changed == []


def test_row_role_and_counts_signal(model, qtbot):
    with qtbot.waitSignal(model.counts_changed) as sig:
        model.set_rows([alarm("a/p/r"), alarm("b/p/r", state=AlarmState.SHELVED)])
    c = sig.args[0]
    assert (c.unacked, c.active, c.shelved) == (1, 1, 1)
    assert model.index(0, 0).data(RowRole).key == "a/p/r"


def test_qt_model_tester_is_happy(model, qtmodeltester):
    model.set_rows([group("jx-001", 3), alarm("xg-002/p/r")])
    qtmodeltester.check(model)
    model.set_rows([alarm("xg-002/p/r", state=AlarmState.ACK), group("jx-003", 2)])
    qtmodeltester.check(model)
    proxy = make_proxy(model)
    qtmodeltester.check(proxy)


def test_counts_follow_a_changed_group_while_the_others_are_the_same_objects(model):
    a, b = group("jx-001", 30), group("xg-002", 20, state=AlarmState.ACK)
    loose = alarm("jx-003/makeup_flow/makeup_high", state=AlarmState.SHELVED)
    model.set_rows([a, b, loose])
    c = model.counts()
    assert (c.total, c.unacked, c.active, c.shelved) == (51, 30, 50, 1)
    kids = tuple(replace(k, state=AlarmState.ACK) for k in a.children[:10]) + a.children[10:]
    model.set_rows([replace(a, children=kids), b, loose])  # b and loose: the same objects
    c = model.counts()
    assert (c.total, c.unacked, c.active, c.shelved) == (51, 20, 50, 1)
    model.set_rows([b])
    c = model.counts()
    assert (c.total, c.unacked, c.active, c.shelved) == (20, 0, 20, 0)
