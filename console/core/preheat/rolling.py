"""The rolling pre-heating plan: made again every few hours from the latest forecast and the
stations' current state, and at once when a station departs from what the plan predicted.

A dispatcher does not plan once and walk away: the forecast is re-issued, and events no
forecast shows (a booster pump trip, a pump stop) take a station off its predicted path. So the
plan is re-made (`make_plan` on the current history and forecast) when `due` says so — every
`every_h` hours, or when a station's coldest room has fallen more than `tol_k` below the plan's
prediction for that hour — and `adopt` turns the new plan into what has to change: the station
shifts that differ from what is applied now (written through batch.py like any plan), and the
plant raises to set or to return to the plant's own curve.

Every plan is made over each station's shift before the first plan (`base`): the history
already carries the shifts applied since, and the new plan's shift replaces them — it does not
add to them — so a station the new forecast no longer needs goes back to its base.
Qt-free, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from console.core.forecast.model import HOUR
from console.core.preheat.batch import SHIFT_POINT, PlannedWrite
from console.vocabulary.preheat import Plan, SupplyRow

EVERY_H = 3.0  # a forecast issue is every 6 h; halfway between catches the state's drift
# A coldest room this far below the plan's prediction for the same hour is a departure (the
# model's 6-24 h error is ~0.1 °C, the plan's predicted lows were within 0.5 °C).
DEPART_K = 0.3


@dataclass(frozen=True)
class Departure:
    station: str
    at: float  # epoch s, the middle of the hour compared
    predicted: float
    actual: float


def departures(
    plan: Plan, at: float, coldest: Mapping[str, float], tol_k: float = DEPART_K
) -> list[Departure]:
    """Stations whose coldest room (hourly mean, the hour whose middle is `at`) fell more than
    `tol_k` below what `plan` predicted for that hour; none when the plan does not cover it."""
    times = np.asarray(plan.times, dtype=np.float64)
    if not len(times):
        return []
    j = int(np.argmin(np.abs(times - at)))
    if abs(times[j] - at) > 0.5 * HOUR:
        return []
    out = []
    for sid, path in plan.coldest_with.items():
        actual = coldest.get(sid, np.nan)
        if j < len(path) and np.isfinite(actual) and actual < path[j] - tol_k:
            out.append(Departure(sid, float(times[j]), float(path[j]), float(actual)))
    return out


@dataclass
class Changes:
    """What a newly adopted plan changes: station writes (old = applied now) and plant raises
    (`raise_rows`: rows to set; `auto`: trunks back to their plant's own curve)."""

    writes: list[PlannedWrite] = field(default_factory=list)
    raise_rows: list[SupplyRow] = field(default_factory=list)
    auto: list[str] = field(default_factory=list)


@dataclass
class RollingPlan:
    """The plan in force and what it has applied; `due` and `adopt` drive the re-planning."""

    base: dict[str, float]  # each station's curve shift before the first plan
    every_h: float = EVERY_H
    tol_k: float = DEPART_K
    plan: Plan | None = None
    applied: dict[str, float] = field(default_factory=dict)  # curve shift written now
    raised: dict[str, SupplyRow] = field(default_factory=dict)  # trunk → raise in force
    history: list[tuple[float, str]] = field(default_factory=list)  # (made at, why)

    def due(self, now: float, coldest: Mapping[str, float]) -> str | None:
        """Why a new plan is due at `now` (None: not due). `coldest`: each station's coldest
        room, mean of the hour that just ended."""
        if self.plan is None:
            return "first plan"
        gone = departures(self.plan, now - 0.5 * HOUR, coldest, self.tol_k)
        if gone:
            worst = min(gone, key=lambda d: d.actual - d.predicted)
            return (
                f"{len(gone)} station(s) below the plan, e.g. {worst.station} "
                f"{worst.actual:.1f} °C (plan {worst.predicted:.1f} °C)"
            )
        if now - self.plan.made_at >= self.every_h * HOUR - 1.0:
            return f"every {self.every_h:g} h"
        return None

    def adopt(self, plan: Plan, why: str = "") -> Changes:
        """Make `plan` the one in force; what must be written and asked of the plants."""
        out = Changes()
        for row in plan.rows:
            base = self.base.get(row.station, row.current_shift)
            new = round(base + row.shift_k, 1) if row.writes else round(base, 1)
            now = self.applied.get(row.station, base)
            if abs(new - now) > 1e-6:
                out.writes.append(PlannedWrite(row.station, SHIFT_POINT, now, new))
                self.applied[row.station] = new
        rows = {sr.trunk: sr for sr in plan.supply}
        for trunk, sr in sorted(rows.items()):
            old = self.raised.get(trunk)
            if old is None or abs(old.raise_k - sr.raise_k) > 1e-6:
                out.raise_rows.append(sr)
        out.auto = sorted(set(self.raised) - set(rows))
        self.raised = rows
        self.plan = plan
        self.history.append((plan.made_at, why))
        return out

    def expire(self, now: float) -> Changes:
        """Shifts and raises whose `until` hour has come go back (base, the plant's curve):
        between two plans nothing is held longer than the plan in force needs it."""
        out = Changes()
        if self.plan is None:
            return out
        for row in self.plan.rows:
            v = self.applied.get(row.station)
            base = round(self.base.get(row.station, row.current_shift), 1)
            if v is not None and row.writes and row.until <= now and abs(v - base) > 1e-6:
                out.writes.append(PlannedWrite(row.station, SHIFT_POINT, v, base))
                self.applied[row.station] = base
        for trunk, sr in sorted(self.raised.items()):
            if sr.until <= now:
                out.auto.append(trunk)
                del self.raised[trunk]
        return out

    def undo(self) -> Changes:
        """Everything back: each shift to its base, every raised trunk to its plant's curve."""
        out = Changes()
        for sid, v in sorted(self.applied.items()):
            base = round(self.base.get(sid, v), 1)
            if abs(v - base) > 1e-6:
                out.writes.append(PlannedWrite(sid, SHIFT_POINT, v, base))
        out.auto = sorted(self.raised)
        self.applied, self.raised, self.plan = {}, {}, None
        return out
