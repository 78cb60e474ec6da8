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
margin (the coldest forecast first) and those that do not fit are named: "cannot be kept".

Plant supply (the district rows): a curve shift at a station asks its valve for heat, but once
the weather is colder than today the valve is wide open and only hotter primary water carries
it — which leaves the plant a transport delay earlier. So each trunk with planned stations gets
a supply raise (`SupplyRow`: how many K over the plant's own curve, from when, until when), and
every station on it is planned again with the supply it can achieve as that water arrives
(response.StationResponse.effective); its forecast with the plan uses that achievable supply,
not the requested one. Per district: the largest raise of its trunks and the hour the first
of them starts (`DistrictRow.raise_k`, `plant_from`).

Contingency reserve (N-1): a district fed through a booster pump station (network file,
`booster: true`) loses most of its flow when the pump trips, and in the cold its rooms cannot
be recovered in time. No weather forecast shows a trip, so when the plan shifts enough
stations for it to be the weather's doing (a cold wave is forecast: COLD_MIN_STATIONS and
COLD_MIN_SHARE, not one station's own fault) every station of such a district gets at least
`reserve_k` (RESERVE_K, within the register's range like every shift) from now until the last
hour any station of the plan needs its shift. The row says so (`note`, `reserve_k`) and its
heat over the forecast's need is counted apart (`reserve_gj`). The plant raises are made from
the forecast's shifts alone; the reserve is the first thing a plant at its rating gives up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from console.core.forecast.model import HOUR
from console.core.preheat.network import StationPlace
from console.core.preheat.response import T1_PER_T3, StationResponse
from console.vocabulary.preheat import DistrictRow, Plan, PlanRow, PlantCheck, Status, SupplyRow

LIMIT_C = 18.0
MARGIN_K = 0.3  # the plan aims this far above the limit (the model's 6–24 h error is ~0.1 °C)
STEP_K = 0.5
SHIFT_MAX_K = 10.0  # register 204's range: −10 … +10 K
# A plant outlet runs ~95 °C before a wave; the primary network's design limit is 130 °C.
RAISE_MAX_K = 30.0
PLANT_RAMP_K_H = 20.0  # how fast a plant's outlet can rise (a boiler's ramp rate)
# The least shift of a booster district's stations while a cold wave is planned: the cold_wave
# bench's booster trip (flow × 0.15) is ridden out by +10 K from the advice time on 16 of 18.
RESERVE_K = 10.0
RESERVE_NOTE = "contingency: booster"
# What counts as a cold wave planned (for the booster reserve): at least this many stations, and
# this share of those with a model, need a shift. One station's own trouble (a stuck valve, a
# failed pump) is no cold wave: in the demo's incidents it put +10 K on all 18 涧西 stations.
COLD_MIN_STATIONS = 2
COLD_MIN_SHARE = 0.10

# A shift that lifts the coldest room's low by less than this does nothing the plan can count
# on: a station that does not answer its curve (a valve stuck shut, no circulation) gets no write.
MIN_EFFECT_K = 0.05


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


def _low(r: StationResponse, shift: np.ndarray | float, supply: np.ndarray | None = None) -> float:
    return float(np.min(r.rooms(shift, supply)[1]))


@dataclass
class _Station:
    inp: StationInput
    row: PlanRow
    shift_path: np.ndarray
    base_kw: np.ndarray
    extra_kw: np.ndarray
    supply: np.ndarray | None = None  # the plant raise reaching it per forecast hour (K)
    # Without its contingency reserve (row, path, extra kW): what a plant at its rating keeps.
    plain: tuple[PlanRow, np.ndarray, np.ndarray] | None = None


def _unshifted(inp: StationInput, status: Status, low: float) -> PlanRow:
    """A row that writes nothing: its coldest room's low is the same with and without."""
    p = inp.place
    return PlanRow(p.station, p.district, p.source, p.delay_h, status, 0.0, inp.current_shift,
                   np.nan, np.nan, low, low, 0.0, booster=p.booster)  # fmt: skip


def plan_station(
    inp: StationInput,
    now: float,
    *,
    limit: float = LIMIT_C,
    margin: float = MARGIN_K,
    supply: np.ndarray | None = None,
) -> tuple[PlanRow, np.ndarray]:
    """One station's row and its shift per forecast hour (zeros when nothing is written).
    `supply`: the plant's supply raise reaching the station per forecast hour; given, the
    shift is judged by the supply it can achieve (response.effective), not the requested."""
    p, r = inp.place, inp.response
    if r is None:
        return _unshifted(inp, Status.NO_MODEL, np.nan), np.zeros(0)
    target = limit + margin
    n = r.hours
    low0 = _low(r, 0.0)
    hour0 = r.times[0] - 0.5 * HOUR  # the start of the first forecast hour
    if low0 >= target:
        return _unshifted(inp, Status.NOT_NEEDED, low0), np.zeros(n)
    top = max(0.0, SHIFT_MAX_K - max(inp.current_shift, 0.0))
    shifts = np.arange(STEP_K, top + 1e-9, STEP_K)
    status, shift = Status.SHORT_SHIFT, float(top)
    for s in shifts:
        if _low(r, s, supply) >= target:
            status, shift = Status.PLANNED, float(s)
            break
    if shift <= 0:
        return _unshifted(inp, Status.SHORT_SHIFT, low0), np.zeros(n)
    full_low = _low(r, shift, supply)
    if status is Status.SHORT_SHIFT and full_low - low0 < MIN_EFFECT_K:
        # Not even the largest shift moves it: write nothing. At or above the limit without a
        # change it is kept all the same (short only of the margin); below it, it is said.
        kept = Status.NOT_NEEDED if low0 >= limit else Status.SHORT_SHIFT
        return _unshifted(inp, kept, low0), np.zeros(n)
    keep = min(target, full_low) - 1e-6  # what the full window achieves must still hold
    end = n
    while end > 1 and _low(r, _window(n, 1, end - 1, shift), supply) >= keep:
        end -= 1
    start = 1
    while start < end and _low(r, _window(n, start + 1, end, shift), supply) >= keep:
        start += 1
    path = _window(n, 1, end, shift)  # apply now, undo after `end`
    low1 = _low(r, path, supply)
    row = PlanRow(
        p.station, p.district, p.source, p.delay_h, status, shift, inp.current_shift,
        max(hour0 + (start - 1) * HOUR, hour0), hour0 + end * HOUR, low0, low1,
        r.extra_gj(path, supply), booster=p.booster,
    )  # fmt: skip
    return row, path


def reserve_station(
    inp: StationInput,
    row: PlanRow,
    path: np.ndarray,
    until: float,
    reserve_k: float,
    supply: np.ndarray | None = None,
) -> tuple[PlanRow, np.ndarray]:
    """`row`/`path` (the forecast's need) raised to the contingency reserve: at least
    `reserve_k` (within the register's range) from the first forecast hour until `until`
    (epoch s, the end of the plan's cold), or the row's own `until` when later."""
    r = inp.response
    if r is None or row.status not in (Status.PLANNED, Status.SHORT_SHIFT, Status.NOT_NEEDED):
        return row, path
    top = max(0.0, SHIFT_MAX_K - max(inp.current_shift, 0.0))
    shift = min(max(reserve_k, row.shift_k), top)
    extra_k = shift - (row.shift_k if row.writes else 0.0)
    if extra_k <= 0:
        return row, path
    n = r.hours
    hour0 = r.times[0] - 0.5 * HOUR
    end_t = max(until, row.until) if row.writes else until
    end = int(np.clip(round((end_t - hour0) / HOUR), 1, n))
    out = _window(n, 1, end, shift)
    status = row.status if row.writes else Status.PLANNED
    gj = r.extra_gj(out, supply)
    p = inp.place
    new = PlanRow(
        p.station, p.district, p.source, p.delay_h, status, shift, inp.current_shift, hour0,
        hour0 + end * HOUR, row.low_without, _low(r, out, supply), gj,
        reserve_k=extra_k, reserve_gj=gj - (row.extra_gj if row.writes else 0.0),
        note=RESERVE_NOTE, booster=p.booster,
    )  # fmt: skip
    return new, out


def make_plan(
    inputs: Iterable[StationInput],
    capacity_mw: dict[str, float],
    now: float,
    forecast_issued_at: float,
    *,
    limit: float = LIMIT_C,
    margin: float = MARGIN_K,
    in_force: Mapping[str, SupplyRow] | None = None,
    reserve_k: float = RESERVE_K,
) -> Plan:
    """The plan for `inputs` (stations whose response could not be built: NO_MODEL rows).
    `in_force`: plant raises already running (trunk → row, a rolling plan's): their hotter
    water left the plant at their start, so a trunk still raised keeps that start.
    `reserve_k`: the booster districts' contingency reserve (0: none).

    Two passes: the shifts the stations' models ask for; from them each trunk's plant raise
    (`_supply_rows`); then every station on a raised trunk again, judged by the supply that
    raise lets it achieve, hour by hour as the hotter water arrives. Stations on a trunk
    without a raise get no achievable-supply cap (nothing is asked of their plant)."""
    inputs = list(inputs)
    first = [plan_station(inp, now, limit=limit, margin=margin)[0] for inp in inputs]
    supply_rows = _supply_rows(first, inputs, in_force or {})
    by_trunk = {sr.trunk: sr for sr in supply_rows}
    # The cold lasts (for the reserve) until the last hour the forecast needs any shift — if
    # enough stations need one for it to be the weather's doing.
    need = [row for row in first if row.writes]
    modelled = sum(inp.response is not None for inp in inputs)
    cold = len(need) >= max(COLD_MIN_STATIONS, COLD_MIN_SHARE * modelled)
    cold_until = max((row.until for row in need), default=None) if cold else None
    stations: list[_Station] = []
    times = outdoor = np.zeros(0)
    for inp in inputs:
        r = inp.response
        sr = by_trunk.get(inp.place.trunk)
        sup = arrival(r.times, sr, inp.place.delay_h) if (r is not None and sr) else None
        row, path = plan_station(inp, now, limit=limit, margin=margin, supply=sup)
        plain = None
        if r is not None:
            times, outdoor = r.times, r.outdoor
            base = r.heat_kw(0.0)
            extra = r.heat_kw(path, sup) - base if row.writes else np.zeros(r.hours)
            if inp.place.booster and reserve_k > 0 and cold_until is not None:
                plain = (row, path, extra)
                row, path = reserve_station(inp, row, path, cold_until, reserve_k, sup)
                extra = r.heat_kw(path, sup) - base if row.writes else np.zeros(r.hours)
                plain = None if row is plain[0] else plain
        else:
            base = extra = np.zeros(0)
        stations.append(_Station(inp, row, path, base, extra, sup, plain))
    plants = _fit_plants(stations, capacity_mw, len(times))
    plan = Plan(now, forecast_issued_at, limit, [s.row for s in stations], [], plants, times,
                outdoor)  # fmt: skip
    for st in stations:
        r = st.inp.response
        if r is None:
            continue
        plan.coldest_without[st.row.station] = r.rooms(0.0)[1]
        with_path = st.shift_path if st.row.writes else 0.0
        plan.coldest_with[st.row.station] = r.rooms(with_path, st.supply)[1]
    raised = {st.inp.place.trunk for st in stations if st.row.writes}
    plan.supply = [sr for sr in supply_rows if sr.trunk in raised]
    plan.districts = _districts(plan.rows, plan.supply)
    return plan


def arrival(times: np.ndarray, sr: SupplyRow, delay_h: float) -> np.ndarray:
    """The raise of `sr` reaching a station `delay_h` down its trunk, at each forecast hour
    middle: it leaves the plant at the boiler's ramp rate from `start`, and falls back the
    same way from `until`."""
    t = np.asarray(times, dtype=np.float64) - delay_h * HOUR
    up = np.clip((t - sr.start) / HOUR * PLANT_RAMP_K_H, 0.0, sr.raise_k)
    down = np.clip(sr.raise_k - (t - sr.until) / HOUR * PLANT_RAMP_K_H, 0.0, sr.raise_k)
    return np.minimum(up, down)


def _curve_lag_k(r: StationResponse, delay_h: float) -> float:
    """How far the station's own supply (its weather curve on the forecast) rises within one
    transport delay: what a plant that follows only the weather it already has is short by."""
    d = max(round(delay_h), 1)
    if len(r.t3) <= d:
        return 0.0
    return float(max(np.max(r.t3[d:] - r.t3[:-d]), 0.0))


def _supply_rows(
    rows: list[PlanRow], inputs: list[StationInput], in_force: Mapping[str, SupplyRow]
) -> list[SupplyRow]:
    """Per trunk with planned stations: raise its plant's supply by what the largest shift
    needs of the primary (T1_PER_T3 per K of T3) plus what the trunk's longest delay makes the
    plant's own curve lag the weather, within RAISE_MAX_K; start so that it reaches each
    station by its apply-by hour (never before now), keep it until the last shift is undone."""
    by: dict[str, list[tuple[PlanRow, StationInput]]] = {}
    for row, inp in zip(rows, inputs, strict=True):
        by.setdefault(inp.place.trunk, []).append((row, inp))
    out = []
    for trunk, members in sorted(by.items()):
        planned = [(row, inp) for row, inp in members if row.writes]
        if not planned:
            continue
        hour0 = min(inp.response.times[0] for _, inp in planned if inp.response) - 0.5 * HOUR
        lag = max(_curve_lag_k(inp.response, inp.place.delay_h) for _, inp in planned
                  if inp.response)  # fmt: skip
        need = T1_PER_T3 * (max(row.shift_k for row, _ in planned) + lag)
        raise_k = float(min(RAISE_MAX_K, np.ceil(need)))
        start = max(hour0, min(row.apply_by - row.delay_h * HOUR for row, _ in planned))
        start = hour0 + np.floor((start - hour0) / HOUR) * HOUR
        if trunk in in_force and in_force[trunk].start < start:
            start = in_force[trunk].start  # already on its way down the trunk
        out.append(SupplyRow(
            trunk, members[0][1].place.source,
            tuple(sorted({inp.place.district for _, inp in members})), len(planned), raise_k,
            float(start), float(max(row.until for row, _ in planned)),
            max(inp.place.delay_h for _, inp in members),
        ))  # fmt: skip
    return out


def _fit_plants(
    stations: list[_Station], capacity_mw: dict[str, float], n: int
) -> list[PlantCheck]:
    """Serve the planned stations plant by plant, coldest forecast first, within the rating;
    the ones that do not fit lose their shift and are named. The forecast's needs first, then
    the contingency reserves (coldest first) in what is left: a reserve that does not fit is
    dropped, its station keeps the forecast's shift."""
    out = []
    by_src: dict[str, list[_Station]] = {}
    for st in stations:
        if st.row.source is not None and len(st.base_kw) == n and n:
            by_src.setdefault(st.row.source, []).append(st)
    for src, members in sorted(by_src.items()):
        cap = capacity_mw.get(src, np.inf)
        base = np.nansum([m.base_kw for m in members], axis=0) / 1000.0
        load = base.copy()
        order = sorted(members, key=lambda m: m.row.low_without)
        reserved = [m for m in order if m.plain is not None]
        for m in reserved:  # judged first on the forecast's need alone
            m.row, m.shift_path, m.extra_kw, m.plain = (*m.plain, (m.row, m.shift_path, m.extra_kw))
        for m in order:
            if not m.row.writes:
                continue
            extra = np.nan_to_num(m.extra_kw) / 1000.0
            if np.all(load + extra <= cap):
                load += extra
                continue
            m.plain = None  # no room for its need: no room for a reserve either
            m.row.status = Status.SHORT_PLANT
            m.row.shift_k = 0.0
            m.row.low_with = m.row.low_without
            m.row.extra_gj = 0.0
            m.shift_path = np.zeros(n)
        for m in reserved:
            if m.plain is None:
                continue
            need = np.nan_to_num(m.extra_kw) / 1000.0 if m.row.writes else 0.0
            more = np.nan_to_num(m.plain[2]) / 1000.0 - need
            if np.all(load + more <= cap):
                load += more
                m.row, m.shift_path, m.extra_kw = m.plain
        out.append(PlantCheck(src, float(cap), float(base.max()), float(load.max())))
    return out


def _districts(rows: list[PlanRow], supply: list[SupplyRow]) -> list[DistrictRow]:
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
        reserve = float(sum(r.reserve_gj for r in planned))
        raise_k = max((sr.raise_k for sr in supply if d in sr.districts), default=0.0)
        if any(sr.districts and d in sr.districts for sr in supply):
            plant_from = min(sr.start for sr in supply if d in sr.districts)
        out.append(DistrictRow(d, len(rs), len(planned), short, extra, by, plant_from, raise_k,
                               reserve))  # fmt: skip
    return out
