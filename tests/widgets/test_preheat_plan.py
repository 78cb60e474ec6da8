"""The plan view offscreen: rows in order of need, the plot of the selected station's forecast
with and without the plan, and the batch confirmation."""

from __future__ import annotations

import numpy as np
import pytest

from console.vocabulary.preheat import Plan, PlanRow, PlantCheck, Status, SupplyRow
from widgets.locale_format import date_clock
from widgets.preheat_plan import BatchDialog, PreheatPlanView


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
