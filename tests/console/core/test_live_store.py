"""Live store: latest values per point and ring-buffer trends within a memory budget."""

from __future__ import annotations

import numpy as np

from console.core.live_store import LiveStore
from drivers.points import build_point_table
from drivers.samples import CommState, Quality, StationScan
from station_config.schema import PointDef, TemplateDef

TPL = TemplateDef(
    template="t", points=[PointDef(name="a", address=0), PointDef(name="b", address=1)]
)


def scan(t: float, a: float, q: Quality = Quality.GOOD) -> StationScan:
    return StationScan(
        station_id="s1",
        time=t,
        values=np.array([a, 2 * a]),
        quality=np.array([q, Quality.GOOD], dtype=np.uint8),
        value_time=np.array([t, t]),
        comm=CommState.OK,
    )


def make_store(depth_rows: int) -> LiveStore:
    table = build_point_table(TPL)
    # budget = rows * points * 5 bytes
    return LiveStore({"s1": table}, budget_bytes=depth_rows * len(table) * 5)


def test_latest_value_and_quality():
    store = make_store(100)
    store.update(scan(10.0, 1.5))
    st = store.update(scan(11.0, 2.5, Quality.COMM_FAIL))
    assert st.value("a") == 2.5
    assert st.quality_of("a") is Quality.COMM_FAIL
    assert st.worst_quality is Quality.COMM_FAIL
    assert st.scans == 2 and st.last_scan == 11.0


def test_ring_wraps_and_returns_oldest_first():
    store = make_store(64)
    assert store.depth == 64
    for k in range(100):
        store.update(scan(float(k), float(k)))
    t, v, q = store.trend("s1", "b")
    assert len(t) == 64
    assert t[0] == 36.0 and t[-1] == 99.0
    np.testing.assert_array_equal(v, 2 * t)
    assert (q == Quality.GOOD).all()
    t2, _, _ = store.trend("s1", "a", since=90.0)
    assert t2.tolist() == [float(k) for k in range(90, 100)]


def test_depth_follows_memory_budget():
    table = build_point_table(TPL)
    small = LiveStore({"s1": table}, budget_bytes=1)
    big = LiveStore({"s1": table}, budget_bytes=10_000 * 2 * 5)
    assert small.depth == 64  # never below the minimum
    assert big.depth == 10_000
    assert big.memory_bytes() >= 10_000 * 2 * 5
