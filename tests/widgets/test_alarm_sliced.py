"""Sliced alarm-summary diffs (issue 5: a cold night changes thousands of rows at once).

The model diffs in slices between event-loop turns; at every slice boundary the tree must be
consistent (what the views were told matches what they read), and the last slice must leave
exactly the newest rows. The summary in incremental mode applies nothing while it sits on a
hidden tab and gets the newest rows when shown.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QLabel, QTabWidget

from console.core.events import AlarmState, Priority
from console.vocabulary.views import AlarmRow
from widgets.alarm_model import AlarmFilterProxy, AlarmTreeModel, Col, RowRole
from widgets.alarm_summary import AlarmSummary
from widgets.colors import BlinkClock

from .test_alarm_model import alarm, group


@pytest.fixture
def clock(qapp):
    c = BlinkClock()
    c.stop()
    return c


def night(n_groups: int, rooms: int, value: float = 17.2, drop: int = 0) -> list[AlarmRow]:
    """Room groups plus loose alarms; `drop` leaves out the first groups (removals)."""
    out = [
        replace(g, children=tuple(replace(c, value=value - i * 0.01) for c in g.children))
        for i, g in enumerate(group(f"s{k:03d}", rooms) for k in range(drop, n_groups))
    ]
    out += [alarm(f"s{k:03d}/comm/comm_fail", Priority.HIGH) for k in range(drop, n_groups, 3)]
    return out


def tree_rows(model: AlarmTreeModel, allowed: set[int] | None = None) -> list[AlarmRow]:
    """What a view reads through the Qt API (not the internal lists). Complete: every group's
    children are its row's; mid-diff (`allowed`: ids of the old and new rows): every row read
    is one of them, none twice."""
    out, seen = [], set()
    for r in range(model.rowCount()):
        idx = model.index(r, 0)
        row = idx.data(RowRole)
        kids = tuple(model.index(c, 0, idx).data(RowRole) for c in range(model.rowCount(idx)))
        if allowed is None:
            assert kids == row.children
        else:
            for x in (row, *kids):
                assert id(x) in allowed and x.key not in seen
                seen.add(x.key)
        out.append(row)
    return out


def ids(*row_lists: list[AlarmRow]) -> set[int]:
    return {id(x) for rows in row_lists for r in rows for x in (r, *r.children)}


def proxy_keys(proxy: QSortFilterProxyModel) -> set[str]:
    keys = set()
    for r in range(proxy.rowCount()):
        idx = proxy.index(r, 0)
        keys.add(idx.data(RowRole).key)
        keys.update(proxy.index(c, 0, idx).data(RowRole).key for c in range(proxy.rowCount(idx)))
    return keys


def leaf_keys(rows: list[AlarmRow]) -> set[str]:
    return {r.key for r in rows} | {c.key for r in rows for c in r.children}


def test_sliced_diff_is_consistent_at_every_slice_and_complete(clock):
    model = AlarmTreeModel(blink=clock)
    proxy = AlarmFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Col.PRIORITY)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    old = night(12, 15)
    model.set_rows(old)
    # Every room colder, four groups gone, new ones, states changing.
    new = night(16, 15, value=16.0, drop=4)
    new[3] = replace(new[3], state=AlarmState.ACK, priority=Priority.HIGH)
    model.begin_rows(new)
    allowed = ids(old, new)
    slices = 0
    while not model.apply_step(0.0):  # the smallest slice: one step at a time
        slices += 1
        assert model.applying()
        tree_rows(model, allowed)  # the model tester checks each announced change
        assert proxy_keys(proxy) <= leaf_keys(old) | leaf_keys(new)
    assert slices > 100 and not model.applying()
    assert {r.key: r for r in tree_rows(model)} == {r.key: r for r in new}
    assert {r.key: r for r in model.rows()} == {r.key: r for r in new}
    assert proxy_keys(proxy) == leaf_keys(new)
    assert model.counts().total == sum(len(r.children) or 1 for r in new)


def test_new_rows_mid_diff_win(clock):
    model = AlarmTreeModel(blink=clock)
    model.set_rows(night(20, 30))
    model.begin_rows(night(20, 30, value=15.0))
    for _ in range(50):
        model.apply_step(0.0)
    newest = night(25, 30, value=14.0, drop=2)
    model.begin_rows(newest)  # drops the unfinished diff, starts from the tree as it stands
    assert model.apply_step(None)
    assert {r.key: r for r in model.rows()} == {r.key: r for r in newest}
    assert tree_rows(model)


def test_synchronous_set_rows_unchanged(clock):
    model = AlarmTreeModel(blink=clock)
    rows = night(10, 20)
    model.set_rows(rows)
    assert not model.applying()
    assert {r.key: r for r in model.rows()} == {r.key: r for r in rows}
    assert model.rowCount(QModelIndex()) == len(rows)


def tabbed(qtbot, clock) -> tuple[QTabWidget, AlarmSummary]:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    summary = AlarmSummary(blink=clock)
    summary.incremental = True
    tabs.addTab(QLabel("overview"), "Overview")
    tabs.addTab(summary, "Alarms")
    tabs.show()
    qtbot.waitExposed(tabs)
    return tabs, summary


def test_hidden_summary_gets_the_newest_rows_when_shown(qtbot, clock):
    tabs, summary = tabbed(qtbot, clock)
    summary.set_rows(night(5, 10))
    latest = night(6, 10, value=16.5)
    summary.set_rows(latest)
    assert summary.pending() and summary.model.rows() == []  # hidden: nothing applied yet
    tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not summary.pending(), timeout=2000)
    assert {r.key: r for r in summary.model.rows()} == {r.key: r for r in latest}
    assert summary.model.counts().total == sum(len(r.children) or 1 for r in latest)


def test_hidden_summary_flush_applies_at_once(qtbot, clock):
    _tabs, summary = tabbed(qtbot, clock)
    rows = night(4, 5)
    summary.set_rows(rows)
    summary.flush()
    assert not summary.pending()
    assert {r.key: r for r in summary.model.rows()} == {r.key: r for r in rows}


def test_visible_summary_applies_large_diffs_in_slices_then_the_newest(qtbot, clock, monkeypatch):
    monkeypatch.setattr("widgets.alarm_summary.SLICE_S", 0.0)  # one step per event-loop turn
    tabs, summary = tabbed(qtbot, clock)
    tabs.setCurrentIndex(1)
    first, newest = night(20, 30), night(22, 30, value=15.5, drop=1)
    summary.set_rows(first)
    assert summary.pending()  # not done in one go
    assert summary.view.updatesEnabled()  # the first slice only counted: nothing announced
    summary._slice_timer.stop()  # from here, slice by slice by hand
    while summary.pending() and not summary.model.loud():
        summary._continue()
        summary._slice_timer.stop()
    # rows inserted: the view would re-layout after every slice; one repaint when done
    assert summary.pending() and not summary.view.updatesEnabled()
    summary.set_rows(newest)  # arrives mid-diff: applied after the current one
    summary._slice_timer.start()
    qtbot.waitUntil(lambda: not summary.pending(), timeout=5000)
    assert summary.view.updatesEnabled()
    assert {r.key: r for r in summary.model.rows()} == {r.key: r for r in newest}
    assert summary.proxy.rowCount() == len(newest)


def test_a_cold_scan_changing_only_values_never_reaches_the_proxy(qtbot, clock, monkeypatch):
    # Every room of every group colder: value and text only. The proxy filters and sorts on
    # neither, so it is not told (no re-filtering of thousands of rooms in Python); the view
    # keeps repainting slice by slice (only those cells), never switched off.
    monkeypatch.setattr("widgets.alarm_summary.SLICE_S", 0.0)
    tabs, summary = tabbed(qtbot, clock)
    tabs.setCurrentIndex(1)
    summary.set_rows(night(10, 20))
    summary.flush()
    filtered: list[int] = []
    monkeypatch.setattr(
        AlarmFilterProxy,
        "filterAcceptsRow",
        lambda self, r, p: filtered.append(r) or True,
    )
    proxy_changes: list[object] = []
    summary.proxy.dataChanged.connect(lambda *a: proxy_changes.append(a))
    colder = night(10, 20, value=15.0)
    summary.set_rows(colder)
    assert summary.pending()
    while summary.pending():
        assert summary.view.updatesEnabled()
        summary._continue()
    assert filtered == [] and proxy_changes == []
    assert not summary.model.loud()
    assert summary.model.rows() == colder
    g = summary.proxy.mapFromSource(summary.model.index_for_key(colder[0].key))
    assert summary.proxy.index(0, Col.VALUE, g).data() == "15.0"


def test_value_changes_reach_the_proxy_when_it_sorts_or_filters_by_them(qtbot, clock):
    summary = AlarmSummary(blink=clock)
    qtbot.addWidget(summary)
    rows = [alarm("a/p/r", message="Room 17.2"), alarm("b/p/r", message="Room 17.2")]
    summary.set_rows(rows)
    summary.set_filter(text="17.2")
    assert len(summary.proxy.visible_rows()) == 2
    summary.set_rows([rows[0], replace(rows[1], message="Room 16.1", value=16.1)])
    assert [r.key for r in summary.proxy.visible_rows()] == ["a/p/r"]  # re-filtered
    summary.set_filter(text="")
    summary.view.sortByColumn(Col.VALUE, Qt.SortOrder.AscendingOrder)
    summary.set_rows([replace(rows[0], value=15.0), replace(rows[1], value=16.1)])
    assert summary.proxy.index(0, 0).data(RowRole).key == "a/p/r"  # re-sorted: 15.0 first
    summary.set_rows([replace(rows[0], value=19.0), replace(rows[1], value=16.1)])
    assert summary.proxy.index(0, 0).data(RowRole).key == "b/p/r"


def test_sliced_announcements_are_bounded_synchronous_ones_are_not(clock):
    # The proxy works through what a signal announces inside the emit, past the slice's
    # deadline check: sliced, no signal announces more than RUN_MAX / INSERT_BLOCK rows.
    from widgets.alarm_model import INSERT_BLOCK, RUN_MAX

    n = 3 * max(RUN_MAX, INSERT_BLOCK) + 5
    rows = [alarm(f"s{i}/p/r") for i in range(n)]
    acked = [replace(r, state=AlarmState.ACK) for r in rows]  # whole rows: dataChanged
    for sliced in (True, False):
        model = AlarmTreeModel(blink=clock)
        inserted: list[int] = []
        changed: list[int] = []
        model.rowsInserted.connect(lambda _p, a, b, out=inserted: out.append(b - a + 1))
        model.dataChanged.connect(
            lambda a, b, roles=(), out=changed: out.append(b.row() - a.row() + 1)
        )
        for target in (rows, acked):
            model.begin_rows(target)
            while not model.apply_step(0.0 if sliced else None):
                pass
        assert sum(inserted) == n and sum(changed) == n
        assert model.rows() == acked
        if sliced:
            assert max(inserted) <= INSERT_BLOCK and max(changed) <= RUN_MAX
        else:
            assert inserted == [n] and changed == [n]
