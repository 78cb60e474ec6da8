"""The district view of suspected leaks: per district the stations whose leak_suspected alarm is
active (estimated rate, since when, its alarm state) and their sum, worst district first.

Built from alarm views, so a thin console (which has the views, not the engine) builds the same
list; with the engine at hand `engine_leak_view` adds when each leak began by the balance
(the alarm itself rises a little later).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from console.core.alarms.summary import AlarmView
from console.vocabulary.views import DistrictLeaks, LeakRow

if TYPE_CHECKING:
    from console.core.alarms.engine import AlarmEngine

RULE = "leak_suspected"

__all__ = ["RULE", "DistrictLeaks", "LeakRow", "engine_leak_view", "leak_view"]


def leak_view(
    views: Iterable[AlarmView],
    since: Mapping[str, float] | None = None,
    drained: Mapping[str, bool] | None = None,
) -> list[DistrictLeaks]:
    """Districts with an active suspected leak, the largest total first; rows largest first."""
    by_district: dict[str, list[LeakRow]] = {}
    for a in views:
        if a.rule != RULE or not a.condition:
            continue
        t = (since or {}).get(a.station, math.nan)
        if t != t:
            t = a.active_since if a.active_since is not None else a.time
        row = LeakRow(
            key=a.key,
            station=a.station,
            district=a.district,
            rate_m3h=a.value or 0.0,
            since=t,
            lower_bound=bool((drained or {}).get(a.station, False)),
            state=a.state,
            priority=a.priority,
        )
        by_district.setdefault(a.district, []).append(row)
    out = [
        DistrictLeaks(d, sum(r.rate_m3h for r in rows),
                      tuple(sorted(rows, key=lambda r: -r.rate_m3h)))
        for d, rows in by_district.items()
    ]  # fmt: skip
    return sorted(out, key=lambda d: -d.total_m3h)


def engine_leak_view(engine: AlarmEngine) -> list[DistrictLeaks]:
    """The district view from the engine, with the balance's own start times."""
    views = [a for a in engine.active(include_hidden=True) if a.rule == RULE]
    ids = {st.id: i for i, st in enumerate(engine.net.stations)}
    since = {a.station: engine.leak_since(ids[a.station]) for a in views}
    drained = {a.station: bool(engine.leak.drained[ids[a.station]]) for a in views}
    return leak_view(views, since, drained)
