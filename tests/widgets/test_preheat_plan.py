"""The plan view offscreen: rows in order of need, the plot of the selected station's forecast
with and without the plan, and the batch confirmation."""

from __future__ import annotations

import numpy as np
import pytest

from console.vocabulary.preheat import Plan, PlanRow, Status
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
    v.set_plan(plan, {"b": "涧西二号站"})
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


def test_batch_dialog_lists_every_write(qtbot) -> None:  # type: ignore[no-untyped-def]
    d = BatchDialog("t", "intro", ["a: 0 → 2", "b: 0 → 1"], ["Not sent: c out of range"])
    qtbot.addWidget(d)
    assert d.list.toPlainText().splitlines() == ["a: 0 → 2", "b: 0 → 1"]
    assert d.ok_button.isEnabled() and not d.refused.isHidden()
    with qtbot.waitSignal(d.confirmed):
        d.ok_button.click()
    empty = BatchDialog("t", "intro", [], [])
    qtbot.addWidget(empty)
    assert not empty.ok_button.isEnabled()
