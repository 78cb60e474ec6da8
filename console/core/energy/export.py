"""The metering report as CSV: one row per district and station, worst first, every cell safe.

Times (the meter events) are ISO 8601 with their UTC offset, in the zone the report's days and
months are counted in (the network's): a laptop in another zone writes the same file.
"""

from __future__ import annotations

import csv
from datetime import datetime, tzinfo
from typing import TextIO

from console.core.energy.metering import Figures, MeteringReport
from console.text_safety import csv_cell

FIGURE_COLUMNS = ("energy_gj", "gj_per_m2", "degree_days", "mj_per_m2_dd", "coverage")


def _r(v: float | None, digits: int) -> float | None:
    return None if v is None else round(v, digits)


def _sig(v: float | None, digits: int = 4) -> float | None:
    """`digits` significant digits: today's heat per m² is a few 1e-5 GJ at night, which a
    fixed 5 decimals cut to one digit (2e-05 for 2.4e-05)."""
    return None if v is None else float(f"{v:.{digits}g}")


def figure_cells(f: Figures | None) -> list[float | None]:
    if f is None:
        return [None] * len(FIGURE_COLUMNS)
    return [
        _r(f.energy_gj, 2),
        _sig(f.gj_per_m2),
        _r(f.degree_days, 2),
        _sig(f.mj_per_m2_dd),
        round(f.coverage, 3),
    ]


def zoned(t: float, tz: tzinfo | None) -> datetime:
    """`t` as an aware time in `tz` (None: this machine's zone, as the periods take it)."""
    return datetime.fromtimestamp(t, tz).astimezone(tz)


def fmt_event_time(t: float, tz: tzinfo | None) -> str:
    """`t` in `tz` with its offset: 2026-12-08T04:00+08:00."""
    return zoned(t, tz).isoformat(timespec="minutes")


def write_csv(report: MeteringReport, fh: TextIO) -> int:
    """Rows written (districts + stations); a header first."""
    names = list(report.periods)
    w = csv.writer(fh)
    head = ["scope", "rank", "id", "name", "district", "district_name", "area_m2"]
    head += [f"{p}_{c}" for p in names for c in FIGURE_COLUMNS]
    head += ["meter_events"]
    w.writerow(head)
    n = 0
    for d in report.districts:
        cells: list[object] = ["district", d.rank, d.district, d.name, d.district, d.name]
        cells.append(d.area_m2)
        cells += [x for p in names for x in figure_cells(d.figures.get(p))]
        w.writerow([csv_cell(c) for c in [*cells, ""]])
        n += 1
    for s in report.stations:
        events = "; ".join(
            f"{e.kind} {fmt_event_time(e.time, report.tz)} ({e.before:.2f} -> {e.after:.2f} GJ)"
            for e in s.events
        )
        cells = ["station", s.rank, s.station, s.name, s.district, s.district_label, s.area_m2]
        cells += [x for p in names for x in figure_cells(s.figures.get(p))]
        w.writerow([csv_cell(c) for c in [*cells, events]])
        n += 1
    return n
