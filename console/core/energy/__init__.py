"""Heat metering: energy per station and district from the meters' counters (no Qt).

    report = build_metering(net, series, now=time.time())   # series(sid, point, start, end)
    report.stations[0]                                      # the worst performer of the season

See counters.py (rollover, meter replacement), degree_days.py (HDD, base 18 °C), metering.py
(periods, figures, ranking) and export.py (CSV).
"""

from console.core.energy.counters import CounterEvent, CounterSpec, Unwrapped, unwrap_counter
from console.core.energy.degree_days import degree_days
from console.core.energy.metering import (
    BASE_C,
    DistrictMetering,
    Figures,
    MeteringReport,
    StationMetering,
    build_metering,
    from_history,
    periods,
    try_from_history,
)

__all__ = [
    "BASE_C",
    "CounterEvent",
    "CounterSpec",
    "DistrictMetering",
    "Figures",
    "MeteringReport",
    "StationMetering",
    "Unwrapped",
    "build_metering",
    "degree_days",
    "from_history",
    "periods",
    "try_from_history",
    "unwrap_counter",
]
