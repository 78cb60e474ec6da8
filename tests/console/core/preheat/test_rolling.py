"""The rolling plan on ThermalModels fitted to simulator history: when a new plan is due (every
few hours, or at once on a departure from the prediction), what a new plan changes (shifts over
the base, plant raises), expiry at `until`, undo; and a departure the physics really makes."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from console.core.forecast.model import HOUR
from console.core.preheat.batch import SHIFT_POINT, PlannedWrite, check_batch
from console.core.preheat.planner import make_plan
from console.core.preheat.rolling import DEPART_K, EVERY_H, RollingPlan, departures
from console.vocabulary.preheat import SupplyRow

from .conftest import POINTS, SimHistory
from .test_planner import inputs

pytestmark = pytest.mark.timeout(900)


def cold_plan(h: SimHistory, level: float = -14.0, shifts=(0.0, 0.0, 0.0), **kw):  # type: ignore[no-untyped-def]
    ins = inputs(h, level, shifts)
    now = ins[0].response.times[0] - 0.5 * HOUR  # the end of the history
    return make_plan(ins, {}, now, now, **kw)


def test_first_plan_then_every_few_hours(sim_history: SimHistory) -> None:
    plan = cold_plan(sim_history, shifts=(1.0, 0.0, 0.0))
    ids = [r.station for r in plan.rows]
    roll = RollingPlan(base=dict(zip(ids, (1.0, 0.0, 0.0), strict=True)))
    assert roll.due(plan.made_at, {}) == "first plan"
    ch = roll.adopt(plan, "first plan")
    # Each planned station to its base plus the plan's shift; old = what was there.
    want = [PlannedWrite(r.station, SHIFT_POINT, b, round(b + r.shift_k, 1))
            for r, b in zip(plan.rows, (1.0, 0.0, 0.0), strict=True) if r.writes]  # fmt: skip
    assert want and ch.writes == want
    assert [sr.trunk for sr in ch.raise_rows] == [sr.trunk for sr in plan.supply] and not ch.auto
    # Rooms as predicted: nothing due until EVERY_H hours have passed.
    on_path = {sid: float(p[1]) for sid, p in plan.coldest_with.items()}
    assert roll.due(plan.made_at + 2 * HOUR, on_path) is None
    assert roll.due(plan.made_at + EVERY_H * HOUR, {}) == f"every {EVERY_H:g} h"
    # The same plan again changes nothing.
    again = roll.adopt(plan, "every 3 h")
    assert again.writes == [] and again.raise_rows == [] and again.auto == []
    assert [w for _, w in roll.history] == ["first plan", "every 3 h"]


def test_a_room_below_the_prediction_makes_a_plan_due_at_once(sim_history: SimHistory) -> None:
    plan = cold_plan(sim_history)
    roll = RollingPlan(base={r.station: 0.0 for r in plan.rows})
    roll.adopt(plan)
    sid = plan.rows[1].station
    j = 1  # the second forecast hour has just ended (the 3-h re-plan is not yet due)
    at = plan.times[j]
    coldest = {s: float(p[j]) for s, p in plan.coldest_with.items()}
    coldest[sid] -= DEPART_K / 2  # within the tolerance: no departure
    assert departures(plan, at, coldest) == []
    assert roll.due(at + 0.5 * HOUR, coldest) is None
    coldest[sid] = float(plan.coldest_with[sid][j]) - 2 * DEPART_K
    (d,) = departures(plan, at, coldest)
    assert (d.station, d.actual) == (sid, coldest[sid])
    assert d.predicted == pytest.approx(float(plan.coldest_with[sid][j]))
    why = roll.due(at + 0.5 * HOUR, coldest)
    assert why is not None and sid in why and "below the plan" in why
    # An hour the plan does not cover compares nothing.
    assert departures(plan, plan.times[-1] + 3 * HOUR, {sid: 0.0}) == []


def test_a_milder_forecast_takes_the_shifts_and_raises_back(sim_history: SimHistory) -> None:
    plan = cold_plan(sim_history)
    roll = RollingPlan(base={r.station: 0.0 for r in plan.rows})
    first = roll.adopt(plan)
    mild = cold_plan(sim_history, level=2.0)
    assert mild.writes == []
    ch = roll.adopt(mild, "every 3 h")
    assert [(w.station, w.old, w.new) for w in ch.writes] == [
        (w.station, w.new, 0.0) for w in first.writes
    ]
    assert ch.auto == [sr.trunk for sr in plan.supply] and ch.raise_rows == []
    assert roll.undo().writes == []  # nothing left applied


def test_a_raise_in_force_keeps_its_start(sim_history: SimHistory) -> None:
    plan = cold_plan(sim_history)
    (sr,) = plan.supply
    early = SupplyRow(sr.trunk, sr.source, sr.districts, 1, 10.0, sr.start - 5 * HOUR,
                      sr.until, sr.max_delay_h)  # fmt: skip
    again = cold_plan(sim_history, in_force={sr.trunk: early})
    (sr2,) = again.supply
    assert sr2.start == early.start and sr2.raise_k == sr.raise_k
    # Water already on its way keeps the rooms at least as warm as a raise starting now.
    for sid in plan.coldest_with:
        assert np.all(again.coldest_with[sid] >= plan.coldest_with[sid] - 1e-9)


def test_expire_and_undo_put_back_the_base(sim_history: SimHistory) -> None:
    plan = cold_plan(sim_history)
    roll = RollingPlan(base={r.station: 0.5 for r in plan.rows})
    done = roll.adopt(plan).writes
    first = min(r.until for r in plan.writes)
    assert roll.expire(first - HOUR).writes == []
    back = roll.expire(first)
    assert back.writes and all(w.new == 0.5 for w in back.writes)
    assert {w.station for w in back.writes} == {r.station for r in plan.writes
                                                if r.until <= first}  # fmt: skip
    left = roll.undo()
    assert {w.station for w in left.writes} | {w.station for w in back.writes} == {
        w.station for w in done
    }
    assert left.auto == [sr.trunk for sr in plan.supply if sr.until > first]
    assert roll.plan is None and roll.undo().writes == []


def test_the_changes_go_through_the_batch_range_check(sim_history: SimHistory) -> None:
    plan = cold_plan(sim_history)
    sid = plan.rows[0].station
    roll = RollingPlan(base={r.station: 0.0 for r in plan.rows}, applied={sid: 10.5})
    ch = roll.adopt(plan)
    # What is applied now is what undo of this change would put back.
    assert next(w for w in ch.writes if w.station == sid).old == 10.5
    assert check_batch(ch.writes, sim_history.net) == (ch.writes, [])  # all in range
    bad = [PlannedWrite(sid, SHIFT_POINT, 0.0, 11.0)]
    ((w, why),) = check_batch(bad, sim_history.net)[1]
    assert w.station == sid and "outside" in why


def test_a_pump_stop_in_the_physics_is_a_departure(sim_history: SimHistory) -> None:
    """The plan's shifts written into the simulated stations; then one station's pumps stop
    (an event no forecast shows): within a few hours its coldest room is below the plan's
    prediction and a new plan is due, the others still on their path."""
    h = sim_history
    ph = copy.deepcopy(h.ph)  # at the end of the history, where the plan starts
    roll = RollingPlan(base={s.id: 0.0 for s in h.net.stations})
    ids = [s.id for s in h.net.stations]
    for w in roll.adopt(cold_plan(h)).writes:
        ph.write(ids.index(w.station), "curve_shift", w.new)
    # The plan was made for −14 °C, the physics is milder: the rooms run above it. Stop
    # station 0's pumps.
    ph.apply_event({"type": "pump_fault", "pump": "both", "station": ids[0]})
    why = None
    for _ in range(4):
        acc = np.zeros(ph.n)
        for _ in range(4):
            ph.advance(900.0)
            acc += [ph.values(i)[t.index[POINTS[3]]] for i, t in enumerate(ph.tables)]
        coldest = dict(zip(ids, acc / 4, strict=True))
        why = why or roll.due(ph.now, coldest)
    assert why is not None and ids[0] in why
    gone = {d.station for d in departures(roll.plan, ph.now - 0.5 * HOUR, coldest)}
    assert ids[0] in gone
