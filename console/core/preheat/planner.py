"""The pre-heating plan: per station the least curve shift that keeps its coldest room ≥ 18 °C
through the forecast, the hours it is needed, and what it costs; per district the plant's lead.

For each station with a fitted model (console/core/preheat/response.py):
1. its coldest room without a plan; at or above the target (18 °C + a margin) nothing is done;
2. the least shift (in the register's 0.5 K steps, up to the register's +10 K) that keeps the
   coldest room at or above the target for the whole horizon, applied now ("apply now" is what
   the console does: a write that waits for a future hour would need its own scheduler, and it
   would have to survive restarts, a lost link and a change of role as the rest of the write
   path does; the start hour is advice instead);
3. the earliest hour it may be undone (the shift kept until then does the same), and the latest
   hour it may be applied and still keep the target ("apply by");
4. its extra heat, and its heat per hour, for the plant check.

Plants: each plant's load with every planned shift is checked hour by hour against its rating
(network file, `capacity_mw`). If a plant would exceed it, stations are served in order of
margin (the coldest forecast first) and those that do not fit are named: "cannot be kept". The
plant must send the extra heat a transport delay earlier: per district, the hour its plant's
output should start rising is the earliest apply-by less the longest delay of its stations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from console.core.forecast.model import HOUR
from console.core.preheat.network import StationPlace
from console.core.preheat.response import StationResponse
from console.vocabulary.preheat import DistrictRow, Plan, PlanRow, PlantCheck, Status

LIMIT_C = 18.0
MARGIN_K = 0.3  # the plan aims this far above the limit (the model's 6–24 h error is ~0.1 °C)
STEP_K = 0.5
SHIFT_MAX_K = 10.0  # register 204's range: −10 … +10 K


@dataclass(frozen=True)
class StationInput:
    place: StationPlace
    response: StationResponse | None  # None: no fitted model or no usable data
    current_shift: float  # the curve_shift register now (K)


def _window(hours: int, start: int, end: int, shift: float) -> np.ndarray:
    """A shift in hours start..end (1-based, inclusive) of the horizon."""
    w = np.zeros(hours)
    w[start - 1 : end] = shift
    return w


def _low(r: StationResponse, shift: np.ndarray | float) -> float:
    return float(np.min(r.rooms(shift)[1]))


@dataclass
class _Station:
    inp: StationInput
    row: PlanRow
    shift_path: np.ndarray
    base_kw: np.ndarray
    extra_kw: np.ndarray


def plan_station(
    inp: StationInput, now: float, *, limit: float = LIMIT_C, margin: float = MARGIN_K
) -> tuple[PlanRow, np.ndarray]:
    """One station's row and its shift per forecast hour (zeros when nothing is written)."""
    p, r = inp.place, inp.response
    if r is None:
        row = PlanRow(p.station, p.district, p.source, p.delay_h, Status.NO_MODEL, 0.0,
                      inp.current_shift, np.nan, np.nan, np.nan, np.nan, 0.0)  # fmt: skip
        return row, np.zeros(0)
    target = limit + margin
    n = r.hours
    low0 = _low(r, 0.0)
    hour0 = r.times[0] - 0.5 * HOUR  # the start of the first forecast hour
    if low0 >= target:
        row = PlanRow(p.station, p.district, p.source, p.delay_h, Status.NOT_NEEDED, 0.0,
                      inp.current_shift, np.nan, np.nan, low0, low0, 0.0)  # fmt: skip
        return row, np.zeros(n)
    top = max(0.0, SHIFT_MAX_K - max(inp.current_shift, 0.0))
    shifts = np.arange(STEP_K, top + 1e-9, STEP_K)
    status, shift = Status.SHORT_SHIFT, float(top)
    for s in shifts:
        if _low(r, s) >= target:
            status, shift = Status.PLANNED, float(s)
            break
    if shift <= 0:
        row = PlanRow(p.station, p.district, p.source, p.delay_h, Status.SHORT_SHIFT, 0.0,
                      inp.current_shift, np.nan, np.nan, low0, low0, 0.0)  # fmt: skip
        return row, np.zeros(n)
    full_low = _low(r, shift)
    keep = min(target, full_low) - 1e-6  # what the full window achieves must still hold
    end = n
    while end > 1 and _low(r, _window(n, 1, end - 1, shift)) >= keep:
        end -= 1
    start = 1
    while start < end and _low(r, _window(n, start + 1, end, shift)) >= keep:
        start += 1
    path = _window(n, 1, end, shift)  # apply now, undo after `end`
    low1 = _low(r, path)
    row = PlanRow(
        p.station, p.district, p.source, p.delay_h, status, shift, inp.current_shift,
        max(hour0 + (start - 1) * HOUR, hour0), hour0 + end * HOUR, low0, low1,
        r.extra_gj(path),
    )  # fmt: skip
    return row, path


def make_plan(
    inputs: Iterable[StationInput],
    capacity_mw: dict[str, float],
    now: float,
    forecast_issued_at: float,
    *,
    limit: float = LIMIT_C,
    margin: float = MARGIN_K,
) -> Plan:
    """The plan for `inputs` (stations whose response could not be built: NO_MODEL rows)."""
    stations: list[_Station] = []
    times = outdoor = np.zeros(0)
    for inp in inputs:
        row, path = plan_station(inp, now, limit=limit, margin=margin)
        r = inp.response
        if r is not None:
            times, outdoor = r.times, r.outdoor
            base = r.heat_kw(0.0)
            extra = r.heat_kw(path) - base if row.writes else np.zeros(r.hours)
        else:
            base = extra = np.zeros(0)
        stations.append(_Station(inp, row, path, base, extra))
    plants = _fit_plants(stations, capacity_mw, len(times))
    plan = Plan(now, forecast_issued_at, limit, [s.row for s in stations], [], plants, times,
                outdoor)  # fmt: skip
    for st in stations:
        r = st.inp.response
        if r is None:
            continue
        plan.coldest_without[st.row.station] = r.rooms(0.0)[1]
        with_path = st.shift_path if st.row.writes else 0.0
        plan.coldest_with[st.row.station] = r.rooms(with_path)[1]
    plan.districts = _districts(plan.rows)
    return plan


def _fit_plants(
    stations: list[_Station], capacity_mw: dict[str, float], n: int
) -> list[PlantCheck]:
    """Serve the planned stations plant by plant, coldest forecast first, within the rating;
    the ones that do not fit lose their shift and are named."""
    out = []
    by_src: dict[str, list[_Station]] = {}
    for st in stations:
        if st.row.source is not None and len(st.base_kw) == n and n:
            by_src.setdefault(st.row.source, []).append(st)
    for src, members in sorted(by_src.items()):
        cap = capacity_mw.get(src, np.inf)
        base = np.nansum([m.base_kw for m in members], axis=0) / 1000.0
        load = base.copy()
        for m in sorted(members, key=lambda m: m.row.low_without):
            if not m.row.writes:
                continue
            extra = np.nan_to_num(m.extra_kw) / 1000.0
            if np.all(load + extra <= cap):
                load += extra
                continue
            m.row.status = Status.SHORT_PLANT
            m.row.shift_k = 0.0
            m.row.low_with = m.row.low_without
            m.row.extra_gj = 0.0
            m.shift_path = np.zeros(n)
        out.append(PlantCheck(src, float(cap), float(base.max()), float(load.max())))
    return out


def _districts(rows: list[PlanRow]) -> list[DistrictRow]:
    out = []
    for d in sorted({r.district for r in rows}):
        rs = [r for r in rows if r.district == d]
        planned = [r for r in rs if r.writes]
        short = sum(r.status in (Status.SHORT_SHIFT, Status.SHORT_PLANT) for r in rs)
        if planned:
            by = min(r.apply_by for r in planned)
            plant_from = min(r.apply_by - r.delay_h * HOUR for r in planned)
        else:
            by = plant_from = float("nan")
        extra = float(sum(r.extra_gj for r in planned))
        out.append(DistrictRow(d, len(rs), len(planned), short, extra, by, plant_from))
    return out
