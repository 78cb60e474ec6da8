"""The plan as writes: one batch to apply it, one to undo it, and what happened to each write.

Every write goes through the console's one write path (the doorway's `write`: range check
before the wire, FC06, read-back, journal). The batch checks each value against the point's
writable range and resolution from the network file first, so the confirmation lists only
writes that can be sent and names the others. Undo writes back the values recorded before the
apply, for the writes that were done (a write that did not happen has nothing to undo).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from console.core.preheat.planner import Plan
from drivers.writes import WriteResult, WriteStatus
from station_config.schema import NetworkDef

SHIFT_POINT = "curve_shift"  # register 204, 0.1 K, −10 … +10 K


@dataclass(frozen=True)
class PlannedWrite:
    station: str
    point: str
    old: float  # the value before (what undo writes back)
    new: float

    @property
    def key(self) -> tuple[str, str, float]:
        return (self.station, self.point, round(self.new, 6))


def range_problem(net: NetworkDef, station: str, point: str, value: float) -> str | None:
    """Why `value` cannot be written to station.point (None = it can), from the template."""
    try:
        pd = net.templates[net.station(station).template].point(point)
    except KeyError:
        return f"{station} has no point {point}"
    if pd.access != "RW":
        return f"{station}.{point} is read-only"
    if not math.isfinite(value):
        return f"{station}.{point}: {value} is not a number"
    if (pd.min is not None and value < pd.min - 1e-9) or (
        pd.max is not None and value > pd.max + 1e-9
    ):
        return f"{station}.{point}: {value:g} is outside {pd.min:g} … {pd.max:g}"
    steps = value / pd.scale
    if abs(steps - round(steps)) > 1e-6:
        return f"{station}.{point}: {value:g} is not a multiple of {pd.scale:g}"
    return None


def apply_batch(
    plan: Plan, net: NetworkDef
) -> tuple[list[PlannedWrite], list[tuple[PlannedWrite, str]]]:
    """The plan's writes that can be sent, and those refused before sending (with why)."""
    return check_batch(
        [PlannedWrite(r.station, SHIFT_POINT, r.current_shift, r.new_shift) for r in plan.writes],
        net,
    )


def check_batch(
    writes: list[PlannedWrite], net: NetworkDef
) -> tuple[list[PlannedWrite], list[tuple[PlannedWrite, str]]]:
    """`writes` split into those that can be sent and those refused before sending (with why):
    a plan's, or what a rolling plan's new issue changes (rolling.Changes.writes)."""
    ok, refused = [], []
    for w in writes:
        why = range_problem(net, w.station, w.point, w.new)
        if why is None:
            ok.append(w)
        else:
            refused.append((w, why))
    return ok, refused


def undo_batch(done: list[PlannedWrite]) -> list[PlannedWrite]:
    """The writes that put back what `done` changed."""
    return [PlannedWrite(w.station, w.point, w.new, w.old) for w in done]


@dataclass
class BatchOutcome:
    """Collects the results of a batch's writes as they arrive (in any order)."""

    writes: list[PlannedWrite]
    results: dict[tuple[str, str, float], WriteResult | str] = field(default_factory=dict)

    def record(self, result: WriteResult) -> bool:
        """Take a write's result; False if it is not one of this batch's."""
        key = (result.station_id, result.point, round(result.value, 6))
        if key not in {w.key for w in self.writes} or key in self.results:
            return False
        self.results[key] = result
        return True

    def record_failure(self, w: PlannedWrite, error: str) -> None:
        self.results.setdefault(w.key, error)

    @property
    def complete(self) -> bool:
        return len(self.results) >= len(self.writes)

    @property
    def done(self) -> list[PlannedWrite]:
        return [
            w
            for w in self.writes
            if isinstance(self.results.get(w.key), WriteResult)
            and self.results[w.key].status == WriteStatus.DONE  # type: ignore[union-attr]
        ]

    def not_done(self) -> list[tuple[PlannedWrite, str]]:
        """Writes that did not happen (or are not known to have), with why."""
        out = []
        for w in self.writes:
            r = self.results.get(w.key)
            if r is None:
                out.append((w, "no result yet"))
            elif isinstance(r, str):
                out.append((w, r))
            elif r.status != WriteStatus.DONE:
                out.append((w, f"{r.status}" + (f" — {r.message}" if r.message else "")))
        return out
