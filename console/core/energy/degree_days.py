"""Heating degree-days (base 18 °C) from the outdoor temperature history.

Per local calendar day: HDD = max(0, base − the day's mean outdoor temperature), the mean taken
over the part of the day the readings cover (sample-and-hold, each reading standing until the
next, at most `max_hold_s`). A day only partly inside the period counts in proportion (today so
far is a fraction of a day). Days without any reading add nothing; `coverage` says how much of
the period the readings covered, so a figure from thin data is visible as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from itertools import pairwise

import numpy as np

from console.vocabulary.metering import BASE_C
from drivers.samples import Quality

DAY_S = 86400.0
MAX_HOLD_S = 3600.0  # the history stores every 15 min at least; longer silence is a gap


@dataclass(frozen=True)
class DegreeDays:
    value: float | None  # K·d; None = no reading in the period
    coverage: float  # fraction of the period covered by readings, 0…1


def day_starts(start: float, end: float, tz: tzinfo | None = None) -> list[float]:
    """Local midnights strictly after `start` and before `end` (the period's day boundaries)."""
    d = datetime.fromtimestamp(start, tz).astimezone(tz)
    day = d.replace(hour=0, minute=0, second=0, microsecond=0)
    out: list[float] = []
    while True:
        day = (day + timedelta(days=1, hours=3)).replace(hour=0)  # DST-proof next midnight
        ts = day.timestamp()
        if ts >= end:
            return out
        out.append(ts)


def degree_days(
    t: np.ndarray,
    v: np.ndarray,
    q: np.ndarray | None,
    start: float,
    end: float,
    *,
    base: float = BASE_C,
    tz: tzinfo | None = None,
    max_hold_s: float = MAX_HOLD_S,
) -> DegreeDays:
    t = np.asarray(t, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    good = np.isfinite(v)
    if q is not None:
        good &= np.asarray(q) == Quality.GOOD
    t, v = t[good], v[good]
    if len(t) == 0 or end <= start:
        return DegreeDays(None, 0.0)
    hold_end = np.minimum(np.append(t[1:], np.inf), t + max_hold_s)
    edges = [start, *day_starts(start, end, tz), end]
    total, covered_all, any_day = 0.0, 0.0, False
    for a, b in pairwise(edges):
        overlap = np.clip(np.minimum(hold_end, b) - np.maximum(t, a), 0.0, None)
        covered = float(overlap.sum())
        if covered <= 0:
            continue
        any_day = True
        mean = float((overlap * v).sum()) / covered
        total += max(0.0, base - mean) * (b - a) / DAY_S
        covered_all += covered
    if not any_day:
        return DegreeDays(None, 0.0)
    return DegreeDays(total, covered_all / (end - start))
