"""Per station and district: heat energy today / this month / this season, per m², per degree-day.

The figures come from each station's energy counter (counters.py: rollover and meter
replacement) and outdoor temperature (degree_days.py), read through one `series` function —
`service.trend` (ring + history) in the console, the history file for the CLI. Stations are
ranked worst first by the season's heat per m² and degree-day (heat use corrected for the
building stock and the weather, so stations compare fairly); a station without a heated area or
degree-days is ranked after those with one, by its energy.
"""

from __future__ import annotations

import calendar
import math
import os
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone, tzinfo

import numpy as np

from console.core.energy.counters import DEFAULT_MAX_GJ_PER_H, CounterSpec, unwrap_counter
from console.core.energy.degree_days import degree_days
from console.vocabulary.metering import (
    BASE_C,
    MIN_DEGREE_DAYS,
    DistrictMetering,
    Figures,
    MeteringReport,
    StationMetering,
)
from station_config.schema import NetworkDef, StationDef

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]
Series = Callable[[str, str, float, float], Arrays]  # (station, point, start, end) -> (t, v, q)

ENERGY_POINT = "heat_energy"  # u32, 0.01 GJ (register-map.md 118-119)
OUTDOOR_POINT = "outdoor_temp"
# A station's meter counts at most this per m² of heated area (W): several times the design
# load of any building on a district network (40–100 W/m²), so a real hour is never refused.
MAX_W_PER_M2 = 300.0
SEASON_START = (11, 15)  # month, day: the reference city's heating season (15 Nov - 15 Mar)
PERIODS = ("today", "month", "season")

__all__ = [
    "BASE_C",
    "DistrictMetering",
    "Figures",
    "MeteringReport",
    "StationMetering",
    "build_metering",
    "from_history",
    "periods",
    "try_from_history",
]


def periods(
    now: float, tz: tzinfo | None = None, season_start: tuple[int, int] = SEASON_START
) -> dict[str, tuple[float, float]]:
    """Today, this month and this heating season, each up to `now`, in local time."""
    d = datetime.fromtimestamp(now, tz).astimezone(tz)
    midnight = d.replace(hour=0, minute=0, second=0, microsecond=0)
    month = midnight.replace(day=1)
    m, day = season_start
    season = _month_day(midnight, d.year, m, day)
    if season > d:
        season = _month_day(midnight, d.year - 1, m, day)
    return {
        "today": (midnight.timestamp(), now),
        "month": (month.timestamp(), now),
        "season": (season.timestamp(), now),
    }


def _month_day(midnight: datetime, year: int, month: int, day: int) -> datetime:
    """`midnight` moved to year-month-day, the day held to the month's last (a season from
    02-29 starts on 28 February in other years; the configuration's 11-31 on 30 November)."""
    last = calendar.monthrange(year, month)[1]
    return midnight.replace(year=year, month=month, day=min(day, last))


def season_of(
    net: NetworkDef, start: tuple[int, int] | None = None, tz: tzinfo | None = None
) -> tuple[tuple[int, int], tzinfo | None]:
    """The heating season's first day and the city's time zone: given, else configured."""
    hs = net.alarms.heating_season if net.alarms is not None else None
    if start is None:
        start = SEASON_START if hs is None else tuple(int(x) for x in hs.start.split("-"))  # type: ignore[assignment]
    if tz is None and hs is not None:
        tz = timezone(timedelta(hours=hs.utc_offset_h))
    return start, tz  # type: ignore[return-value]


def _rank_key(figs: dict[str, Figures]) -> tuple[int, float]:
    f = figs["season"]
    per_dd = f.mj_per_m2_dd
    if per_dd is not None:
        return (0, -per_dd)
    per_m2 = f.gj_per_m2
    if per_m2 is not None:
        return (1, -per_m2)
    return (2, -(f.energy_gj or 0.0)) if f.energy_gj is not None else (3, 0.0)


def station_metering(
    sdef: StationDef,
    energy: Arrays,
    outdoor: Arrays,
    spec: CounterSpec,
    spans: dict[str, tuple[float, float]],
    *,
    base: float = BASE_C,
    tz: tzinfo | None = None,
) -> StationMetering:
    curve = unwrap_counter(*energy, spec)
    figs: dict[str, Figures] = {}
    for name, (a, b) in spans.items():
        gj, cov = curve.between(a, b)
        dd = degree_days(*outdoor, a, b, base=base, tz=tz)
        figs[name] = Figures(gj, cov, dd.value, sdef.area_m2)
    season_from = spans.get("season", (-math.inf, 0.0))[0]
    events = tuple(e for e in curve.events if e.time >= season_from)
    return StationMetering(sdef.id, sdef.name, sdef.district, sdef.area_m2, figs, events)


def _district(
    did: str, name: str, members: list[StationMetering], names: list[str]
) -> DistrictMetering:
    figs: dict[str, Figures] = {}
    for p in names:
        fs = [s.figures[p] for s in members if p in s.figures]
        have = [f for f in fs if f.energy_gj is not None]
        energy = sum(f.energy_gj for f in have) if have else None  # type: ignore[misc]
        area = sum(f.area_m2 for f in have)
        with_dd = [f for f in have if f.degree_days is not None and f.area_m2 > 0]
        area_dd = sum(f.area_m2 * f.degree_days for f in with_dd)  # type: ignore[operator]
        dd_area = sum(f.area_m2 for f in with_dd)
        dd = area_dd / dd_area if dd_area > 0 else None  # area-weighted mean degree-days
        cov = sum(f.coverage for f in fs) / len(fs) if fs else 0.0
        ok = dd is not None and dd >= MIN_DEGREE_DAYS and with_dd == have
        figs[p] = Figures(energy, cov, dd, area, area_dd if ok else 0.0)
    area = sum(s.area_m2 for s in members)
    return DistrictMetering(did, name, len(members), area, figs)


def build_metering(
    net: NetworkDef,
    series: Series,
    *,
    now: float,
    tz: tzinfo | None = None,
    season_start: tuple[int, int] | None = None,
    base: float = BASE_C,
    energy_point: str = ENERGY_POINT,
    outdoor_point: str = OUTDOOR_POINT,
    stations: list[str] | None = None,
    extra: tuple[float, float] | None = None,
) -> MeteringReport:
    """Every station's (or `stations`') figures, ranked worst first, and their districts'.

    `extra`: one more period (start, end) under the name "period" (the CLI's --since).
    The season's start and the city's time zone default to the alarm configuration's
    heating season (else 15 November, local time)."""
    season_start, tz = season_of(net, season_start, tz)
    # An accelerated simulator (the demo) meters `scale` process hours per wall hour: the
    # plausible counter step per wall hour grows with it. Periods stay on the wall clock.
    speed = net.alarms.process_clock.scale if net.alarms is not None else 1.0
    spans = periods(now, tz, season_start)
    if extra is not None:
        spans["period"] = extra
    start = min(a for a, _ in spans.values())
    end = max(b for _, b in spans.values())
    wanted = set(stations) if stations is not None else None
    out: list[StationMetering] = []
    for sdef in net.stations:
        if wanted is not None and sdef.id not in wanted:
            continue
        template = net.templates[sdef.template]
        try:
            spec = CounterSpec.from_point(
                template.point(energy_point), max_gj_per_h=max_gj_per_h(sdef.area_m2) * speed
            )
        except (KeyError, ValueError):
            continue  # a device without an energy counter is not metered
        energy = series(sdef.id, energy_point, start, end)
        outdoor = series(sdef.id, outdoor_point, start, end)
        out.append(station_metering(sdef, energy, outdoor, spec, spans, base=base, tz=tz))
    names = {d.id: d.name for d in net.districts}
    out.sort(key=lambda s: (_rank_key(s.figures), s.station))
    out = [
        replace(s, rank=i + 1, district_name=names.get(s.district, "")) for i, s in enumerate(out)
    ]
    by_district: dict[str, list[StationMetering]] = {}
    for s in out:
        by_district.setdefault(s.district, []).append(s)
    districts = [_district(d, names.get(d, d), ms, list(spans)) for d, ms in by_district.items()]
    districts.sort(key=lambda d: (_rank_key(d.figures), d.district))
    districts = [_ranked(d, i + 1) for i, d in enumerate(districts)]
    return MeteringReport(now, spans, out, districts, base, tz)


def max_gj_per_h(area_m2: float) -> float:
    """The most a station's meter can plausibly count in an hour: its heated area at
    MAX_W_PER_M2 (several times any design load), else the generic ceiling. It bounds what a
    step of the counter after a gap may be called — consumption, a replaced meter counting
    from zero — so a counter restored to an older value after a long outage is not taken for
    a new meter's thousands of GJ."""
    if area_m2 <= 0:
        return DEFAULT_MAX_GJ_PER_H
    return min(DEFAULT_MAX_GJ_PER_H, area_m2 * MAX_W_PER_M2 * 3600.0 / 1e9)


def _ranked(x, rank: int):  # type: ignore[no-untyped-def]
    return replace(x, rank=rank)


def from_history(
    net: NetworkDef, history_path: str | os.PathLike[str], *, now: float, **kw: object
) -> MeteringReport:
    """The report from a history file (the CLI, the handover report); HistoryError when the
    file is missing or not a history store (the reader alone would read it as empty)."""
    from console.core.history import store
    from console.core.history.query import HistoryReader

    store.connect(history_path).close()
    reader = HistoryReader(history_path)
    try:
        return build_metering(
            net,
            lambda sid, point, a, b: reader.query(sid, point, a, b, prior=True),
            now=now,
            **kw,  # type: ignore[arg-type]
        )
    finally:
        reader.close()


def try_from_history(
    net: NetworkDef, history_path: str | os.PathLike[str], *, now: float, **kw: object
) -> MeteringReport | None:
    """from_history, or None when there is no readable history (the handover report then
    simply has no metering section)."""
    from console.core.history.store import HistoryError

    try:
        return from_history(net, history_path, now=now, **kw)
    except (HistoryError, OSError, sqlite3.DatabaseError):
        return None
