"""The plan as a batch of writes: range checks from the template, undo of what was done, and
which writes did not happen."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from console.core.preheat.batch import (
    BatchOutcome,
    PlannedWrite,
    apply_batch,
    range_problem,
    undo_batch,
)
from console.core.preheat.planner import Plan, PlanRow, Status
from drivers.writes import WriteResult, WriteStatus
from station_config.loader import load_network

ROOT = Path(__file__).resolve().parents[4]
NET = load_network(ROOT / "tests/fixtures/small_network.yaml")


def row(sid: str, shift: float, current: float = 0.0, status: Status = Status.PLANNED) -> PlanRow:
    return PlanRow(sid, "jianxi", None, 1.0, status, shift, current, 0.0, 3600.0, 17.0, 18.4, 1.0)


def test_range_checks_come_from_the_template() -> None:
    assert range_problem(NET, "jx-001", "curve_shift", 4.5) is None
    assert "outside -10 … 10" in (range_problem(NET, "jx-001", "curve_shift", 10.5) or "")
    assert "multiple of 0.1" in (range_problem(NET, "jx-001", "curve_shift", 1.25) or "")
    assert "read-only" in (range_problem(NET, "jx-001", "room_temp_mean", 1.0) or "")
    assert "no point" in (range_problem(NET, "jx-001", "nonsense", 1.0) or "")


def test_apply_lists_what_can_be_sent_and_why_not_the_rest() -> None:
    rows = [row("jx-001", 2.0, 1.0), row("jx-002", 4.0, 8.0), row("xg-001", 0.0),
            row("xg-002", 3.0, status=Status.SHORT_PLANT)]  # fmt: skip
    plan = Plan(0.0, 0.0, 18.0, rows, [], [], np.zeros(0), np.zeros(0))
    ok, refused = apply_batch(plan, NET)
    assert ok == [PlannedWrite("jx-001", "curve_shift", 1.0, 3.0)]
    assert [(w.station, w.new) for w, _ in refused] == [("jx-002", 12.0)]
    assert undo_batch(ok) == [PlannedWrite("jx-001", "curve_shift", 3.0, 1.0)]


def test_outcome_names_the_writes_that_did_not_happen() -> None:
    ws = [PlannedWrite("jx-001", "curve_shift", 0.0, 2.0),
          PlannedWrite("jx-002", "curve_shift", 0.0, 3.0),
          PlannedWrite("xg-001", "curve_shift", 0.0, 1.0)]  # fmt: skip
    b = BatchOutcome(ws)
    assert b.record(WriteResult(WriteStatus.DONE, "jx-001", "curve_shift", 2.0, readback=2.0))
    assert not b.record(WriteResult(WriteStatus.DONE, "jx-001", "curve_shift", 5.0))  # not ours
    assert not b.complete
    b.record(WriteResult(WriteStatus.REFUSED, "jx-002", "curve_shift", 3.0, message="exc 04"))
    b.record_failure(ws[2], "no server owns xg-001")
    assert b.complete and b.done == ws[:1]
    missed = {w.station: why for w, why in b.not_done()}
    assert missed == {"jx-002": "refused by device — exc 04", "xg-001": "no server owns xg-001"}
