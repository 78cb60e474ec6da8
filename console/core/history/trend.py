"""One trend from two sources: the live ring buffer where it reaches, the history before it."""

from __future__ import annotations

import time

import numpy as np

from console.core.history import History
from console.core.history.query import Arrays
from console.core.live_store import LiveStore


def trend(
    live: LiveStore,
    history: History | None,
    station: str,
    point: str,
    start: float,
    end: float | None = None,
) -> Arrays:
    """(t, v, q) of one point over [start, end], oldest first, from ring and history.

    The ring holds every scan of its last minutes to hours; the history (compressed: a sample
    stands until the next) fills in everything older, including the value held at `start`.
    """
    end = time.time() if end is None else end
    rt, rv, rq = live.trend(station, point)
    ring_from = float(rt[0]) if len(rt) else np.inf
    keep = (rt >= start) & (rt <= end)
    rt, rv, rq = rt[keep], rv[keep], rq[keep]
    if history is None or start >= ring_from:
        return rt, rv, rq
    ht, hv, hq = history.query(station, point, start, min(end, ring_from), prior=True)
    older = ht < ring_from
    if not older.all():
        ht, hv, hq = ht[older], hv[older], hq[older]
    return np.concatenate([ht, rt]), np.concatenate([hv, rv]), np.concatenate([hq, rq])
