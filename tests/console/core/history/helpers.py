"""Tiny networks and scans for the history tests."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from drivers.points import build_point_table
from drivers.samples import CommState, StationScan
from station_config.schema import NetworkDef

T0 = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC (mid-bucket on purpose)


def tables(net: NetworkDef, only: tuple[str, ...] = ("jx-001", "xg-001")) -> dict:
    return {
        s.id: build_point_table(net.templates[s.template], s) for s in net.stations if s.id in only
    }


def scans(tbls: dict, k: int, period: float = 5.0, t0: float = T0) -> list[StationScan]:
    """Scan k of every station: a ramp of 0.05/scan per point (stored every few scans)."""
    out = []
    for sid, tb in tbls.items():
        n = len(tb)
        t = t0 + period * k
        v = np.round(20.0 + 0.05 * k + np.arange(n) * 0.01, 2)
        out.append(StationScan(sid, t, v, np.zeros(n, np.uint8), np.full(n, t), CommState.OK))
    return out


def wait_for(cond: Callable[[], bool], timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return cond()
