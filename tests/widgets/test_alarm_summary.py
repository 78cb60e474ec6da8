"""Alarm summary panel: acknowledge / shelve / silence / station signals carry the right keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QRect, Qt
from PySide6.QtWidgets import QDialog

from console.core.events import AlarmState, Priority
from console.vocabulary.episodes import unacked_episodes
from console.vocabulary.views import AlarmRow
from widgets.alarm_model import Col, format_time
from widgets.alarm_summary import SHELVE_PRESETS, AlarmSummary, ShelveDialog
from widgets.colors import BlinkClock

T0 = 1_700_000_000.0


def alarm(key, priority=Priority.MEDIUM, state=AlarmState.UNACK, t=T0, district="涧西",
          message="Room below 18 °C", children=()):  # fmt: skip
    st = key.split("/")[0]
    return AlarmRow(key=key, station=st, station_name=f"站{st}", district=district,
                    point="p", rule="room_low", priority=priority, state=state,
                    message=message, time=t, value=17.0, limit=18.0, children=children)  # fmt: skip


def group(station, n, **kw):
    kids = tuple(alarm(f"{station}/room_temp[{i}]/room_low", t=T0 + i, **kw) for i in range(n))
    return alarm(f"{station}/rooms/room_low", t=T0 + n, children=kids, **kw)


@pytest.fixture
def summary(qtbot):
    clock = BlinkClock()
    clock.stop()
    w = AlarmSummary(blink=clock)
    qtbot.addWidget(w)
    w.resize(1000, 500)
    w.set_rows(
        [
            alarm("xg-001/makeup_flow/leak", Priority.CRITICAL, district="西工", t=T0 + 50),
            alarm("xg-002/p/r", Priority.HIGH, AlarmState.ACK, district="西工"),
            alarm("lc-001/comm/comm_fail", Priority.HIGH, district="老城", t=T0 + 40),
            alarm("lc-002/p/r", Priority.LOW, AlarmState.SHELVED, district="老城"),
            group("jx-001", 3),
        ]
    )
    return w


def select_keys(w: AlarmSummary, *keys: str) -> None:
    sm = w.view.selectionModel()
    sm.clearSelection()
    for k in keys:
        src = w.model.index_for_key(k)
        idx = w.proxy.mapFromSource(src)
        assert idx.isValid(), k
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        sm.select(idx, flags)
        sm.setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.NoUpdate)


def test_sorted_most_urgent_first(summary):
    assert summary.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 1) == (
        "xg-001/makeup_flow/leak"
    )


def test_acknowledge_selected_expands_groups(summary, qtbot):
    select_keys(summary, "jx-001/rooms/room_low", "xg-002/p/r")  # xg-002 already acked
    with qtbot.waitSignal(summary.acknowledge_requested) as sig:
        summary.ack_selected_action.trigger()
    assert sig.args[0] == [f"jx-001/room_temp[{i}]/room_low" for i in range(3)]


def test_acknowledge_one_child(summary, qtbot):
    summary.view.expandAll()
    select_keys(summary, "jx-001/room_temp[1]/room_low")
    with qtbot.waitSignal(summary.acknowledge_requested) as sig:
        summary.acknowledge_selected()
    assert sig.args[0] == ["jx-001/room_temp[1]/room_low"]


def test_acknowledge_all_visible_respects_filter(summary, qtbot):
    summary.set_filter(district="西工")
    with qtbot.waitSignal(summary.acknowledge_requested) as sig:
        summary.ack_visible_action.trigger()
    assert sig.args[0] == ["xg-001/makeup_flow/leak"]
    summary.set_filter(district="")  # all
    assert summary.district_combo.count() == 4  # all + 3 districts
    with qtbot.waitSignal(summary.acknowledge_requested) as sig:
        summary.acknowledge_visible()
    assert set(sig.args[0]) == {
        "xg-001/makeup_flow/leak",
        "lc-001/comm/comm_fail",
        *(f"jx-001/room_temp[{i}]/room_low" for i in range(3)),
    }


def test_priority_and_text_filters(summary):
    summary.set_filter(priorities=[Priority.CRITICAL])
    assert [r.key for r in summary.proxy.visible_rows()] == ["xg-001/makeup_flow/leak"]
    summary.set_filter(priorities=list(Priority), text="comm")
    assert [r.key for r in summary.proxy.visible_rows()] == ["lc-001/comm/comm_fail"]
    summary.set_filter(text="", state_preset=3)  # shelved / suppressed
    assert [r.key for r in summary.proxy.visible_rows()] == ["lc-002/p/r"]


def test_acknowledge_keys_skips_acked_and_unknown(summary, qtbot):
    with qtbot.waitSignal(summary.acknowledge_requested) as sig:
        out = summary.acknowledge_keys(["xg-002/p/r", "jx-001/room_temp[2]/room_low", "zz"])
    assert out == sig.args[0] == ["jx-001/room_temp[2]/room_low"]


def test_nothing_to_acknowledge_emits_nothing(summary, qtbot):
    select_keys(summary, "xg-002/p/r")
    with qtbot.assertNotEmitted(summary.acknowledge_requested):
        assert summary.acknowledge_selected() == []


def test_shelve_via_dialog(summary, qtbot, monkeypatch):
    select_keys(summary, "lc-001/comm/comm_fail")

    def fake_dialog(n):
        dlg = ShelveDialog(n, summary)
        dlg.presets[0].setChecked(True)  # 15 min
        dlg.reason.setText("  RTU power cut, field team on site ")
        monkeypatch.setattr(dlg, "exec", lambda: QDialog.DialogCode.Accepted)
        return dlg

    monkeypatch.setattr(summary, "_make_shelve_dialog", fake_dialog)
    with qtbot.waitSignal(summary.shelve_requested) as sig:
        assert summary.shelve_selected()
    assert sig.args == [["lc-001/comm/comm_fail"], 15 * 60, "RTU power cut, field team on site"]


def test_shelve_dialog_requires_reason_and_offers_until_clear(qtbot):
    dlg = ShelveDialog(2)
    qtbot.addWidget(dlg)
    ok = dlg.ok_button
    assert not ok.isEnabled()
    dlg.reason.setText("maintenance")
    assert ok.isEnabled()
    dlg.presets[-1].setChecked(True)
    assert dlg.duration_s() is None
    assert [s for _, s in SHELVE_PRESETS] == [900, 3600, 28800, None]


def test_request_shelve_refuses_empty_reason(summary, qtbot):
    with qtbot.assertNotEmitted(summary.shelve_requested):
        assert not summary.request_shelve(["xg-001/makeup_flow/leak"], 3600, "   ")


def test_silence_shortcut_and_station_jump(summary, qtbot):
    with qtbot.waitSignal(summary.silence_requested):
        summary.silence_action.trigger()
    assert summary.silence_action.shortcut().toString() == "F10"
    assert summary.ack_selected_action.shortcut().toString() == "F9"
    assert summary.ack_visible_action.shortcut().toString() == "Shift+F9"
    select_keys(summary, "lc-001/comm/comm_fail")
    with qtbot.waitSignal(summary.station_requested) as sig:
        summary.view.doubleClicked.emit(summary.view.currentIndex())
    assert sig.args == ["lc-001"]


def test_counts_and_flood(summary):
    text = summary.counts_label.text()
    # Events as the tab title counts them: the 3 cold rooms of jx-001 are one (room_low),
    # + leak + comm; the alarms (every room) beside them.
    rows = summary.model.rows()
    assert "Unacknowledged <b>3</b>" in text, text
    assert sum(unacked_episodes(r) for r in rows) == 3  # the tab title's count agrees
    assert "Active <b>4</b>" in text
    assert "Shelved/suppressed <b>1</b>" in text
    assert "(7 alarms)" in text  # with the shelved one
    c = summary.model.counts()
    assert (c.unacked, c.active, c.total) == (5, 6, 7)  # every room its own
    assert not summary.flood_active
    summary.set_flood(14)
    assert summary.flood_active
    assert "Alarm flood: 14 new alarms in 10 min" in summary.flood_label.text()
    summary.set_flood(3)
    assert not summary.flood_active


def test_expanded_group_survives_updates(summary):
    src = summary.model.index_for_key("jx-001/rooms/room_low")
    summary.view.expand(summary.proxy.mapFromSource(src))
    g = next(r for r in summary.model.rows() if r.is_group)
    kids = (*g.children, alarm("jx-001/room_temp[7]/room_low"))
    rows = [r for r in summary.model.rows() if not r.is_group]
    summary.set_rows([*rows, AlarmRow(**{**g.__dict__, "children": kids})])
    src = summary.model.index_for_key("jx-001/rooms/room_low")
    assert summary.view.isExpanded(summary.proxy.mapFromSource(src))


class PaintRecorder(QObject):
    """Records the rectangles the tree's viewport is asked to paint."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def test_blink_repaints_only_the_priority_column(qtbot):
    clock = BlinkClock()
    clock.stop()
    w = AlarmSummary(blink=clock)
    qtbot.addWidget(w)
    w.resize(1000, 500)
    w.set_rows([alarm("a/p/r"), alarm("b/p/r", state=AlarmState.ACK), group("jx-001", 3)])
    w.show()
    qtbot.waitExposed(w)
    vp = w.view.viewport()
    header = w.view.header()
    strip = w.blink_rect()
    assert strip == QRect(
        header.sectionViewportPosition(Col.PRIORITY), 0, header.sectionSize(Col.PRIORITY),
        vp.height(),
    )  # fmt: skip
    rec = PaintRecorder()
    vp.installEventFilter(rec)
    qtbot.wait(50)  # let pending paints finish
    rec.rects.clear()
    clock.set_phase(not clock.on)
    qtbot.waitUntil(lambda: bool(rec.rects))
    assert all(strip.contains(r) for r in rec.rects), (strip, rec.rects)


def test_blink_repaints_nothing_without_unacknowledged_alarms(summary):
    assert not summary.blink_rect().isEmpty()
    summary.set_rows([alarm("xg-002/p/r", Priority.HIGH, AlarmState.ACK)])
    assert summary.blink_rect().isEmpty()
    summary.set_rows([alarm("xg-002/p/r", Priority.HIGH, AlarmState.RTN_UNACK)])
    assert not summary.blink_rect().isEmpty()  # cleared but unacknowledged: still flashes
    summary.view.header().hideSection(Col.PRIORITY)
    assert summary.blink_rect().isEmpty()


def test_value_change_repaints_its_column_only_when_its_group_is_open(qtbot):
    from dataclasses import replace

    clock = BlinkClock()
    clock.stop()
    w = AlarmSummary(blink=clock)
    qtbot.addWidget(w)
    w.resize(1000, 500)
    g = group("jx-001", 3)
    w.set_rows([g, alarm("a/p/r", state=AlarmState.ACK)])
    w.show()
    qtbot.waitExposed(w)
    vp = w.view.viewport()
    rec = PaintRecorder()
    vp.installEventFilter(rec)
    header = w.view.header()
    value_strip = QRect(
        header.sectionViewportPosition(Col.VALUE), 0, header.sectionSize(Col.VALUE), vp.height()
    )

    def colder(v: float) -> list[AlarmRow]:
        kids = tuple(replace(k, value=v) for k in g.children)
        return [replace(g, children=kids), alarm("a/p/r", state=AlarmState.ACK)]

    qtbot.wait(50)
    rec.rects.clear()
    w.set_rows(colder(16.0))  # rooms of a collapsed group: their values are not on screen
    qtbot.wait(50)
    assert not any(r.intersects(value_strip) for r in rec.rects), rec.rects
    w.view.expand(w.proxy.index(0, 0))
    qtbot.wait(50)
    rec.rects.clear()
    w.set_rows(colder(15.0))
    qtbot.waitUntil(lambda: bool(rec.rects))
    # the rooms' values and the group's text (its rooms changed): those columns, no others
    text_to_value = QRect(
        header.sectionViewportPosition(Col.TEXT), 0, value_strip.right() + 1, vp.height()
    )
    text_to_value.setRight(value_strip.right())
    assert all(text_to_value.contains(r) for r in rec.rects), (text_to_value, rec.rects)
    assert any(r.intersects(value_strip) for r in rec.rects)
    room = w.proxy.index(0, Col.VALUE, w.proxy.index(0, 0))
    assert room.data() == "15.0"


# --- the station id, the raise and ack times (issue 11) ----------------------------------------


def test_station_id_is_never_elided(qtbot) -> None:
    """A long station name in a narrow column: what is painted keeps the whole id (read out
    over the radio); only the name is cut."""
    from tests.widgets.test_zh_cn import painted_texts

    w = AlarmSummary()
    qtbot.addWidget(w)
    w.resize(1000, 400)
    long_name = "西工区第二供热公司七里河东小区换热站"
    row = AlarmRow(key="xg-002/p/r", station="xg-002", station_name=long_name, district="西工",
                   point="p", rule="r", priority=Priority.HIGH, state=AlarmState.UNACK,
                   message="Pump 1 fault", time=T0)  # fmt: skip
    w.set_rows([row])
    w.show()
    qtbot.waitExposed(w)
    texts = painted_texts(w.view.viewport())
    station = [t for t in texts if "xg-0" in t]
    assert station and all("xg-002" in t for t in station), station
    assert all(long_name not in t for t in station)  # the column is narrower: the name is cut


def test_acknowledged_row_keeps_its_raise_time_and_shows_the_ack_time(summary) -> None:
    raised = alarm("xg-003/p/r", Priority.HIGH, AlarmState.UNACK, t=T0)
    acked = AlarmRow(**{**raised.__dict__, "state": AlarmState.ACK, "time": T0 + 600, "since": T0})
    summary.set_rows([acked])
    idx = summary.model.index_for_key("xg-003/p/r")
    time_cell = idx.siblingAtColumn(Col.TIME).data()
    state_cell = idx.siblingAtColumn(Col.STATE).data()
    assert time_cell == format_time(T0)
    assert format_time(T0 + 600) in state_cell


# --- what the role allows ----------------------------------------------------------------------


def test_a_role_that_may_not_act_sees_disabled_actions_with_the_reason(summary) -> None:
    reason = "needs the operator role; you are viewer"
    summary.set_allowed(lambda verb: None if verb == "view" else reason)
    select_keys(summary, "xg-001/makeup_flow/leak")
    for act in (summary.ack_selected_action, summary.ack_visible_action, summary.shelve_action):
        assert not act.isEnabled() and reason in act.toolTip(), act.text()
    assert summary.acknowledge_selected() == [] and summary.acknowledge_visible() == []
    # Silence still stops this console's horn; the hover says the servers' is not sent.
    assert summary.silence_action.isEnabled() and reason in summary.silence_action.toolTip()
    summary.set_allowed(lambda verb: None)
    select_keys(summary, "xg-001/makeup_flow/leak")
    assert summary.ack_selected_action.isEnabled() and summary.shelve_action.isEnabled()
    assert reason not in summary.ack_selected_action.toolTip()


def test_unshelve_selected_takes_back_only_shelved_alarms(summary, qtbot):
    summary.set_filter(text="", state_preset=3)  # shelved / suppressed
    select_keys(summary, "lc-002/p/r")
    assert summary.unshelve_action.isEnabled()
    with qtbot.waitSignal(summary.unshelve_requested) as sig:
        assert summary.unshelve_selected() == ["lc-002/p/r"]
    assert sig.args == [["lc-002/p/r"]]
    summary.set_filter(state_preset=0)
    select_keys(summary, "lc-001/comm/comm_fail")  # not shelved: nothing to take back
    assert not summary.unshelve_action.isEnabled()
    with qtbot.assertNotEmitted(summary.unshelve_requested):
        assert summary.unshelve_selected() == []
    summary.set_allowed(lambda verb: "needs the operator role" if verb == "unshelve" else None)
    assert "needs the operator role" in summary.unshelve_action.toolTip()
