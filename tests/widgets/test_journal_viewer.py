"""Journal viewer: filters → query dict, lazy paging, more_requested, export / handover."""

from __future__ import annotations

import datetime as dt

import pytest

from widgets.journal_viewer import (
    PAGE,
    RANGE_24H,
    RANGE_CUSTOM,
    RANGE_LAST_SHIFT,
    JournalViewer,
    shift_bounds,
)

# 2024-01-10 03:00 local: inside the night shift that began at 20:00 the day before
NOW = dt.datetime(2024, 1, 10, 3, 0).timestamp()


def ev(i: int) -> dict:
    return {"time": NOW - i, "kind": "alarm", "priority": "critical", "state": "UNACK",
            "station": "jx-001", "district": "涧西", "message": f"event {i}", "value": 15.2,
            "limit": 16.0}  # fmt: skip


@pytest.fixture
def viewer(qtbot):
    w = JournalViewer(now=lambda: NOW)
    qtbot.addWidget(w)
    w.resize(1200, 500)
    w.set_districts(["涧西", "西工"])
    return w


def test_shift_bounds():
    last, current, _ = shift_bounds(NOW)
    assert dt.datetime.fromtimestamp(current) == dt.datetime(2024, 1, 9, 20, 0)
    assert dt.datetime.fromtimestamp(last) == dt.datetime(2024, 1, 9, 8, 0)
    noon = dt.datetime(2024, 1, 10, 12, 0).timestamp()
    last, current, _ = shift_bounds(noon)
    assert dt.datetime.fromtimestamp(current) == dt.datetime(2024, 1, 10, 8, 0)
    assert dt.datetime.fromtimestamp(last) == dt.datetime(2024, 1, 9, 20, 0)


def test_default_query_is_current_shift(viewer, qtbot):
    with qtbot.waitSignal(viewer.query_requested) as sig:
        viewer.search_button.click()
    f = sig.args[0]
    assert f["since"] == dt.datetime(2024, 1, 9, 20, 0).timestamp()
    assert f["until"] is None
    assert all(f[k] is None for k in ("station", "district", "priority", "state", "kind", "text"))


def test_filters_to_signal_dict(viewer, qtbot):
    viewer.set_filters(range=RANGE_LAST_SHIFT, station="jx-001", district="涧西",
                       priority="critical", state="UNACK", kind="operator", text="ack")  # fmt: skip
    with qtbot.waitSignal(viewer.query_requested) as sig:
        viewer.text_edit.returnPressed.emit()
    f = sig.args[0]
    assert (f["since"], f["until"]) == (
        dt.datetime(2024, 1, 9, 8, 0).timestamp(),
        dt.datetime(2024, 1, 9, 20, 0).timestamp(),
    )
    assert (f["station"], f["district"], f["priority"]) == ("jx-001", "涧西", "critical")
    assert (f["state"], f["kind"], f["text"]) == ("UNACK", "operator", "ack")


def test_last_24h_and_custom(viewer):
    viewer.set_filters(range=RANGE_24H)
    assert viewer.filters()["since"] == NOW - 86400
    viewer.set_filters(range=RANGE_CUSTOM, since=NOW - 7200, until=NOW - 3600)
    f = viewer.filters()
    assert (f["since"], f["until"]) == (NOW - 7200, NOW - 3600)


def test_lazy_paging_and_more_requested(viewer, qtbot):
    viewer.request_query()
    viewer.set_rows([ev(i) for i in range(PAGE * 2 + 10)], has_more=True)
    m = viewer.model
    assert m.rowCount() == PAGE  # only the first page is revealed
    m.fetchMore()
    m.fetchMore()
    assert m.rowCount() == PAGE * 2 + 10
    with qtbot.waitSignal(viewer.more_requested) as sig:
        assert m.canFetchMore()
        m.fetchMore()
    assert sig.args[0]["offset"] == PAGE * 2 + 10
    assert sig.args[0]["since"] == viewer.filters()["since"]
    assert not m.canFetchMore()  # one request in flight
    viewer.append_rows([ev(1000 + i) for i in range(5)], has_more=False)
    assert m.rowCount() == PAGE * 2 + 15
    assert not m.canFetchMore()
    assert "415 records" in viewer.status.text()


def test_cells(viewer):
    viewer.set_rows([ev(0)])
    idx = viewer.model.index(0, 0)
    assert idx.data() == "2024-01-10 03:00:00"
    assert viewer.model.index(0, 2).data() == "critical"
    assert viewer.model.index(0, 8).data() == "15.2"
    assert viewer.model.index(0, 10).data() == ""  # no user


def test_export_and_handover(viewer, qtbot):
    with qtbot.waitSignal(viewer.export_requested) as sig:
        viewer.export_csv_button.click()
    assert sig.args == ["csv"]
    with qtbot.waitSignal(viewer.export_requested) as sig:
        viewer.export_json_button.click()
    assert sig.args == ["json"]
    with qtbot.waitSignal(viewer.handover_requested):
        viewer.handover_button.click()


def test_an_open_ended_range_ends_now_not_at_the_hour_it_was_chosen(viewer) -> None:
    """This shift and the last 24 h keep taking new rows: their end reads "now" (in the demo it
    read the minute the tab was built, over rows that came later)."""
    viewer.retranslate()
    assert viewer.until_edit.text() == "now"  # this shift, the default
    viewer.set_filters(range=RANGE_LAST_SHIFT)
    assert viewer.until_edit.text() == "2024-01-09 20:00"
    viewer.set_filters(range=RANGE_24H)
    assert viewer.until_edit.text() == "now"
    viewer.set_filters(range=RANGE_CUSTOM)  # an end to edit: from now
    assert viewer.until_edit.text() == "2024-01-10 03:00" and viewer.filters()["until"] == NOW
