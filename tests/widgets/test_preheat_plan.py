"""The plan view offscreen: rows in order of need, the plot of the selected station's forecast
with and without the plan, the booster reserve marked and explained on hover, and the batch
confirmation."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from console.app import i18n
from console.vocabulary.preheat import Plan, PlanRow, PlantCheck, Status, SupplyRow
from tests.widgets.test_zh_cn import untranslated
from widgets.locale_format import date_clock
from widgets.preheat_plan import (
    LOW_WITH_COLUMN,
    SHIFT_COLUMN,
    STATION_ROLE,
    STATUS_COLUMN,
    BatchDialog,
    PreheatPlanView,
)


def row(sid: str, status: Status, shift: float, low0: float, low1: float) -> PlanRow:
    return PlanRow(sid, "jianxi", "xinan_chp", 7.0, status, shift, 0.0, 1.7e9, 1.7e9 + 86400,
                   low0, low1, 2.5 * shift)  # fmt: skip


@pytest.fixture
def plan() -> Plan:
    rows = [row("a", Status.NOT_NEEDED, 0.0, 18.9, 18.9), row("b", Status.PLANNED, 2.0, 17.6, 18.3),
            row("c", Status.SHORT_SHIFT, 10.0, 15.0, 16.8), row("d", Status.NO_MODEL, 0.0,
            float("nan"), float("nan"))]  # fmt: skip
    t = 1.7e9 + 3600.0 * (np.arange(48) + 0.5)
    p = Plan(1.7e9, 1.7e9 - 3600, 18.0, rows, [], [], t, np.full(48, -14.0))
    for r in rows[:3]:
        p.coldest_without[r.station] = np.linspace(19.0, r.low_without, 48)
        p.coldest_with[r.station] = np.linspace(19.0, r.low_with, 48)
    return p


def test_rows_by_need_and_the_selected_forecast(qtbot, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    v = PreheatPlanView()
    qtbot.addWidget(v)
    assert v.plot.isHidden()  # no plan: no empty axes
    v.set_plan(plan, {"b": "涧西二号站"})
    assert not v.plot.isHidden()
    t = v.table
    order = [t.item(k, 0).text() for k in range(t.rowCount())]
    assert order == ["c", "涧西二号站", "a", "d"]  # to act on, coldest first; then the rest
    assert t.item(1, 2).text() == "+2.0" and t.item(2, 2).text() == "—"
    # Apply by / undo from with their day: a plan spans two, and a bare hour could be either.
    assert (t.item(1, 3).text(), t.item(1, 4).text()) == (
        date_clock(1.7e9),
        date_clock(1.7e9 + 86400),
    )
    assert t.item(3, 5).text() == "—"  # no model: no forecast low
    assert v.shown_station() == "c"
    x, y = v.with_plan.getData()
    assert len(x) == 48 and y[-1] == pytest.approx(16.8)
    assert v.without.getData()[1][-1] == pytest.approx(15.0)
    with qtbot.waitSignal(v.station_selected) as sig:
        t.selectRow(1)
    assert sig.args == ["b"] and v.with_plan.getData()[1][-1] == pytest.approx(18.3)
    assert "1" in v.caption.text()  # … stations to shift (b, c), 1 cannot be kept
    v.set_plan(None)
    assert t.rowCount() == 0 and len(v.with_plan.getData()[0] or []) == 0
    assert v.plot.isHidden()


def test_the_plant_rows_raise_start_and_capacity(qtbot, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    plan.plants = [PlantCheck("xinan_chp", 650.0, 600.0, 700.0),
                   PlantCheck("yanshi_chp", 700.0, 300.0, 420.0)]  # fmt: skip
    t0 = plan.times[0]
    plan.supply = [
        SupplyRow("west_trunk", "xinan_chp", ("jianxi",), 2, 8.0, t0 + 3 * 3600, t0 + 30 * 3600,
                  4.0),
        SupplyRow("east_trunk", "yanshi_chp", ("laocheng",), 1, 2.5, t0, t0 + 12 * 3600, 2.0),
    ]  # fmt: skip
    v = PreheatPlanView()
    qtbot.addWidget(v)
    v.set_plan(plan, {"xinan_chp": "新安热电", "west_trunk": "西线"})
    tab = v.plant_table
    assert tab.rowCount() == 2
    cells = [[tab.item(r, c).text() for c in range(tab.columnCount())] for r in range(2)]
    assert cells[0][:3] == ["新安热电", "西线", "+8.0"] and cells[1][:3] == [
        "yanshi_chp",
        "east_trunk",
        "+2.5",
    ]
    assert cells[0][5].startswith("OVER capacity") and "700 of 650 MW" in cells[0][5]
    assert cells[1][5].startswith("within capacity") and "420 of 700 MW" in cells[1][5]
    assert tab.item(0, 0).foreground().color() != tab.item(1, 0).foreground().color()
    assert "2" in v.plants_caption.text() and "does not write" in v.plants_caption.text()
    up, back = v.plant_lines(), v.plant_lines(undo=True)
    assert len(up) == 2 and "+8.0 K above its curve from" in up[0] and "OVER" in up[0]
    assert back[1].startswith("yanshi_chp · east_trunk: supply back to its curve")
    v.set_plan(None)
    assert tab.rowCount() == 0 and v.plant_lines() == []


def test_batch_dialog_lists_every_write(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = BatchDialog("t", "intro", ["a: 0 → 2", "b: 0 → 1"], ["Not sent: c out of range"])
    qtbot.addWidget(d)
    assert d.list.toPlainText().splitlines() == ["a: 0 → 2", "b: 0 → 1"]
    assert d.ok_button.isEnabled() and not d.refused.isHidden()
    with qtbot.waitSignal(d.confirmed):
        d.ok_button.click()
    assert d.plants.isHidden()  # no plant rows: no plant section
    empty = BatchDialog("t", "intro", [], [])
    qtbot.addWidget(empty)
    assert not empty.ok_button.isEnabled()
    with_plants = BatchDialog("t", "intro", ["a: 0 → 2"], [], plants=["新安热电 · 西线: +8 K"])
    qtbot.addWidget(with_plants)
    assert not with_plants.plants.isHidden() and "新安热电" in with_plants.plants.toPlainText()


def test_the_plan_in_force_says_when_it_was_made_and_why(qtbot, plan) -> None:  # type: ignore[no-untyped-def]
    view = PreheatPlanView()
    qtbot.addWidget(view)
    view.set_plan(plan)
    view.show()
    assert view.in_force.isHidden()  # made, not applied: nothing in force
    view.set_in_force(plan.made_at, "revision every 3 h with the latest forecast")
    text = view.in_force.text()
    assert view.in_force.isVisible() and "(revision every 3 h" in text
    assert date_clock(plan.made_at) in text
    view.set_in_force(None)
    assert view.in_force.isHidden()


def test_a_revisions_plant_lines_come_from_its_own_plan(qtbot, plan) -> None:  # type: ignore[no-untyped-def]
    view = PreheatPlanView()
    qtbot.addWidget(view)
    view.set_plan(plan)  # the plan in force knows no plant
    over = [PlantCheck("xinan_chp", 500.0, 300.0, 520.0)]
    revised = Plan(plan.made_at, plan.forecast_issued_at, 18.0, plan.rows, [], over,
                   plan.times, plan.outdoor)  # fmt: skip
    sr = SupplyRow(
        "west_trunk", "xinan_chp", ("jianxi",), 2, 4.0, plan.times[0], plan.times[9], 2.0
    )
    (up,) = view.plant_lines(rows=[sr], of=revised)
    assert "+4.0 K" in up and "OVER capacity: peak 520 of 500 MW" in up
    (back,) = view.plant_lines(True, [sr], revised)
    assert "back to its curve" in back


@pytest.fixture
def booster_plan(plan: Plan) -> Plan:
    """Station b (jianxi, a booster district) carries +5.5 K of reserve over its +2.0 K need;
    e (jianxi too) needs nothing from the forecast and has all +10 K as reserve; f (xigong)
    is planned without one."""
    b = plan.rows[1]
    b.shift_k, b.reserve_k, b.reserve_gj, b.extra_gj = 7.5, 5.5, 11.5, 16.5
    b.note, b.booster = "contingency: booster", True
    e = row("e", Status.PLANNED, 10.0, 18.6, 19.9)
    e.reserve_k, e.reserve_gj, e.note, e.booster = 10.0, 25.0, "contingency: booster", True
    f = row("f", Status.PLANNED, 1.5, 17.8, 18.4)
    f.district, f.extra_gj = "xigong", 4.0
    plan.rows += [e, f]
    for r in (e, f):
        plan.coldest_without[r.station] = np.linspace(19.0, r.low_without, 48)
        plan.coldest_with[r.station] = np.linspace(19.0, r.low_with, 48)
    return plan


def cells_of(view: PreheatPlanView, sid: str) -> list:  # type: ignore[type-arg]
    t = view.table
    (k,) = [k for k in range(t.rowCount()) if t.item(k, 0).data(STATION_ROLE) == sid]
    return [t.item(k, c) for c in range(t.columnCount())]


def hover_tip(qtbot, view: PreheatPlanView, sid: str, column: int) -> str:  # type: ignore[no-untyped-def]
    """The tooltip Qt shows when the pointer rests on `sid`'s cell (a real QHelpEvent)."""
    t = view.table
    item = cells_of(view, sid)[column]
    t.scrollToItem(item)
    pos = t.visualItemRect(item).center()
    QToolTip.hideText()  # the last one fades out first: no stale text read as this one's
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    event = QHelpEvent(QEvent.Type.ToolTip, pos, t.viewport().mapToGlobal(pos))
    QApplication.sendEvent(t.viewport(), event)
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_a_booster_rows_reserve_is_marked_and_said_on_hover(qtbot, booster_plan) -> None:  # type: ignore[no-untyped-def]
    v = PreheatPlanView()
    qtbot.addWidget(v)
    v.resize(1400, 700)
    v.show()
    qtbot.waitExposed(v)
    v.set_plan(booster_plan, {"jianxi": "涧西区", "xigong": "西工区"})
    b, e, f = cells_of(v, "b"), cells_of(v, "e"), cells_of(v, "f")
    assert b[SHIFT_COLUMN].text() == "+7.5*" and e[SHIFT_COLUMN].text() == "+10.0*"
    assert f[SHIFT_COLUMN].text() == "+1.5"  # planned, not booster-fed: no mark
    assert b[STATUS_COLUMN].text() == "planned, incl. +5.5 K booster reserve"
    assert f[STATUS_COLUMN].text() == "planned"
    tip = hover_tip(qtbot, v, "b", SHIFT_COLUMN)
    assert tip.startswith("+7.5 K: +2.0 K for the forecast cold and a +5.5 K contingency")
    assert "涧西区 is fed through a booster pump" in tip and "at or above 18 °C longer" in tip
    assert "11.50 GJ" in tip
    assert hover_tip(qtbot, v, "b", STATUS_COLUMN) == tip
    assert "all of it a contingency reserve" in hover_tip(qtbot, v, "e", SHIFT_COLUMN)
    assert hover_tip(qtbot, v, "f", SHIFT_COLUMN) == ""  # nothing to say, no tooltip
    assert hover_tip(qtbot, v, "f", STATUS_COLUMN) == ""
    # The forecast low with the plan: a booster row's assumes the pump keeps running.
    low = hover_tip(qtbot, v, "b", LOW_WITH_COLUMN)
    assert low.startswith("Assumes the booster pump of 涧西区 keeps running"), low
    assert hover_tip(qtbot, v, "f", LOW_WITH_COLUMN) == ""
    # The caption: how many carry the reserve and its share of the extra heat.
    cap = v.caption.text()
    assert "* 2 of them carry a contingency reserve against a booster pump trip" in cap
    assert "36.5 GJ of the extra heat" in cap
    assert "70.5 GJ extra heat" in cap  # b, c, e, f: 16.5 + 25 + 25 + 4


def test_no_reserve_no_mark_and_a_booster_low_still_says_its_assumption(qtbot, plan) -> None:  # type: ignore[no-untyped-def]
    # A booster-fed station whose need is the largest shift (or whose reserve a plant at its
    # rating dropped) carries no reserve: no mark; its low still assumes the pump runs.
    plan.rows[2].booster = True  # c: short even at +10 K
    v = PreheatPlanView()
    qtbot.addWidget(v)
    v.set_plan(plan, {"jianxi": "涧西区"})
    c = cells_of(v, "c")
    assert c[SHIFT_COLUMN].text() == "+10.0" and not c[SHIFT_COLUMN].toolTip()
    assert "reserve" not in v.caption.text()
    assert c[LOW_WITH_COLUMN].toolTip().startswith("Assumes the booster pump of 涧西区")
    assert not cells_of(v, "b")[LOW_WITH_COLUMN].toolTip()


def test_the_booster_reserve_in_chinese(qtbot, qapp, booster_plan) -> None:  # type: ignore[no-untyped-def]
    assert i18n.install(i18n.CHINESE, qapp) == i18n.CHINESE
    try:
        v = PreheatPlanView()
        qtbot.addWidget(v)
        v.set_plan(booster_plan, {"jianxi": "涧西区", "xigong": "西工区"})
        b, f = cells_of(v, "b"), cells_of(v, "f")
        assert b[SHIFT_COLUMN].text() == "+7.5*" and f[SHIFT_COLUMN].text() == "+1.5"
        texts = [b[STATUS_COLUMN].text(), b[SHIFT_COLUMN].toolTip(),
                 cells_of(v, "e")[SHIFT_COLUMN].toolTip(), b[LOW_WITH_COLUMN].toolTip(),
                 v.caption.text()]  # fmt: skip
        for text in texts:
            assert text and not untranslated(text), text
        assert "增压泵" in b[STATUS_COLUMN].text() and "5.5" in b[STATUS_COLUMN].text()
        assert "涧西区" in texts[1] and "11.50" in texts[1] and "18 °C" in texts[1]
        assert "涧西区" in texts[3] and "增压泵" in texts[3]
        assert "36.5" in texts[4] and "增压泵" in texts[4]
        assert not f[SHIFT_COLUMN].toolTip() and not f[LOW_WITH_COLUMN].toolTip()
    finally:
        i18n.install(i18n.ENGLISH, qapp)
