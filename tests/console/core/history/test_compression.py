"""Exception + deadband compression: every quality change kept, hold error within the deadband."""

from __future__ import annotations

import math
import tracemalloc
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from console.core.history.compression import Compressor, deadband_arrays, deadband_for
from drivers.points import build_point_table
from station_config.generator import generate_network
from station_config.loader import load_network


def run(comp: Compressor, t: np.ndarray, v: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Feed scans (rows) through the compressor; returns a stored-mask [scan, point]."""
    stored = np.zeros(v.shape, dtype=bool)
    for k in range(len(t)):
        stored[k, comp.select(float(t[k]), v[k], q[k])] = True
    return stored


def held(x: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """Sample-and-hold reconstruction of one column from its stored rows."""
    last = np.maximum.accumulate(np.where(stored, np.arange(len(x)), 0))
    return x[last]


signals = st.integers(min_value=2, max_value=300).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(-3.0, 3.0), min_size=n, max_size=n),  # random-walk steps
        st.lists(st.sampled_from([0, 0, 0, 0, 1, 2, 3]), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),  # NaN here (sensor fault)
    )
)


@settings(max_examples=150, deadline=None)
@given(
    sig=signals,
    abs_db=st.sampled_from([0.0, 0.1, 0.5, 2.0]),
    rel_db=st.sampled_from([0.0, 0.01, 0.1]),
    quantum=st.sampled_from([0.0, 0.1, 1.0]),
    max_interval=st.sampled_from([math.inf, 60.0]),
)
def test_hold_error_within_deadband_and_every_quality_change_kept(
    sig, abs_db, rel_db, quantum, max_interval
) -> None:
    steps, quality, nan = sig
    v = 20.0 + np.cumsum(steps)
    if quantum:
        v = np.round(v / quantum) * quantum  # what a register delivers
    v[np.array(nan)] = np.nan
    q = np.array(quality, dtype=np.uint8)
    t = 1.7e9 + 5.0 * np.arange(len(v))
    comp = Compressor(np.array([abs_db]), np.array([rel_db]), max_interval_s=max_interval)
    stored = run(comp, t, v[:, None], q[:, None])[:, 0]

    assert stored[0]
    hv, hq = held(v, stored), held(q, stored)
    assert (hq == q).all(), "a quality change was not stored"
    assert (np.isnan(hv) == np.isnan(v)).all(), "a NaN transition was not stored"
    ok = ~np.isnan(v)
    thr = np.fmax(abs_db, rel_db * np.abs(hv[ok]))
    assert (np.abs(v[ok] - hv[ok]) <= thr * (1 + 1e-6) + 1e-9).all()
    if math.isfinite(max_interval):
        ts = t[stored]
        assert (np.diff(ts) <= max_interval).all() and t[-1] - ts[-1] < max_interval


def test_vectorised_station_scan_matches_point_by_point() -> None:
    rng = np.random.default_rng(3)
    n, scans = 50, 200
    db = rng.choice([0.0, 0.1, 2.0, np.inf], n)
    v = np.round(20 + np.cumsum(rng.normal(0, 0.2, (scans, n)), axis=0), 1)
    q = (rng.random((scans, n)) < 0.02).astype(np.uint8)
    t = 1.7e9 + 5.0 * np.arange(scans)
    whole = run(Compressor(db, max_interval_s=300), t, v, q)
    for j in range(n):
        col = slice(j, j + 1)
        one = run(Compressor(db[col], max_interval_s=300), t, v[:, col], q[:, col])
        assert (one[:, 0] == whole[:, j]).all()


def test_heartbeat_interval_and_counter_reset() -> None:
    comp = Compressor(np.array([np.inf]), counter=np.array([True]), max_interval_s=900)
    t = 1.7e9 + 5.0 * np.arange(1000)
    v = 100.0 + 0.01 * np.arange(1000)
    v[600:] -= 50.0  # meter exchanged
    stored = run(comp, t, v[:, None], np.zeros((1000, 1), np.uint8))[:, 0]
    k = np.flatnonzero(stored)
    assert 600 in k
    assert (np.diff(t[k]) <= 900).all()
    assert len(k) <= 1000 * 5 / 900 + 3  # sparse: heartbeats and the reset only


def test_deadbands_from_the_template(small_network) -> None:
    st_def = small_network.stations[0]
    tpl = small_network.templates[st_def.template]
    table = build_point_table(tpl, st_def)
    a, r, c = deadband_arrays(table)

    def db(name: str):
        i = table.index[name]
        return a[i], r[i], c[i]

    assert db("room_temp[0]") == (0.1, 0.0, False)
    assert db("t1_primary_supply")[0] == 0.1
    assert db("p3_secondary_supply")[0] == 2.0
    assert db("primary_flow")[1] == 0.01
    assert db("heat_energy") == (np.inf, 0.0, True)
    assert db("meter_volume")[2]
    assert db("mode")[0] == 0.0 and db("alarm_bits")[0] == 0.0 and db("room_setpoint")[0] == 0.0
    assert deadband_for(tpl.point("heartbeat")).abs == np.inf


def test_city_compressor_batch_equals_one_select_per_scan(small_network) -> None:
    """select_batch over a batch of distinct stations stores exactly what one Compressor per
    station stores scan by scan: deadbands (absolute, relative, counters), NaN, quality changes
    and the heartbeat interval; forget() on a station's view reaches the shared state."""
    from console.core.history.compression import CityCompressor
    from drivers.points import build_point_tables

    tables = build_point_tables(small_network)
    assert len({len(t) for t in tables.values()}) > 1  # stations of different sizes
    city = CityCompressor(tables, max_interval_s=60.0)
    alone = {sid: Compressor.for_table(t, max_interval_s=60.0) for sid, t in tables.items()}
    rng = np.random.default_rng(5)
    base = {sid: rng.normal(50, 20, len(t)) for sid, t in tables.items()}
    t = 1000.0
    for step in range(60):
        t += 5.0
        batch = [sid for sid in tables if rng.random() < 0.7]
        rng.shuffle(batch)
        vals, quals = [], []
        for sid in batch:
            n = len(tables[sid])
            v = base[sid] + rng.normal(0, 0.3, n) * rng.integers(0, 4, n)
            v[rng.random(n) < 0.05] = np.nan
            vals.append(v)
            quals.append(rng.choice(np.array([0, 0, 0, 0, 2, 3], dtype=np.uint8), n))
        times = [t + 0.1 * k for k in range(len(batch))]  # each scan its own time
        got = city.select_batch(batch, times, vals, quals)
        for sid, ti, v, q, idx in zip(batch, times, vals, quals, got, strict=True):
            np.testing.assert_array_equal(idx, alone[sid].select(ti, v, q), err_msg=sid)
        if step == 30:
            sid = next(iter(tables))
            city.compressors[sid].forget()
            alone[sid].forget()
    assert any(len(i) < len(tables[s]) for s, i in zip(batch, got, strict=True))  # it compressed


def test_city_compressor_batch_allocates_nothing_of_its_own_size(tmp_path: Path) -> None:
    """A service batch (~40 stations, ~16,000 points) is compressed without numpy arrays of
    the batch's size made afresh (issue 12, "A long shift": their churn fragmented the service
    thread's heap). tracemalloc's peak while select_batch runs, above the live memory, stays
    below one float64 array over the batch's points (the old pass made a dozen of them); what
    it still allocates is sized by the points it stores."""
    from console.core.history.compression import CityCompressor
    from drivers.points import build_point_tables

    path = tmp_path / "city.yaml"
    path.write_text(generate_network(60, rooms=200, seed=1), encoding="utf-8")
    tables = build_point_tables(load_network(path))
    city = CityCompressor(tables)
    rng = np.random.default_rng(2)
    sids = list(tables)
    base = {sid: rng.normal(50, 20, len(t)) for sid, t in tables.items()}
    peaks, points = [], []
    tracemalloc.start(1)
    try:
        for step in range(80):
            batch = [sids[i] for i in rng.choice(len(sids), 40, replace=False)]
            # Mostly within the deadbands, as a city's scans are: few points stored per scan.
            vals = [base[s] + rng.normal(0, 0.01, len(base[s])) for s in batch]
            quals = [np.zeros(len(v), dtype=np.uint8) for v in vals]
            live = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            city.select_batch(batch, [1000.0 + step] * len(batch), vals, quals)
            if step >= 20:  # after the warm-up: the reused buffers have their size
                peaks.append(tracemalloc.get_traced_memory()[1] - live)
                points.append(sum(len(v) for v in vals))
    finally:
        tracemalloc.stop()
    one_array = 8 * min(points)
    assert one_array > 64 * 1024, "the batches are too small to tell batch-sized arrays apart"
    assert max(peaks) < one_array, (
        f"select_batch allocated {max(peaks) / 1024:.0f} KiB at its peak, more than one array "
        f"over its {min(points)} points ({one_array / 1024:.0f} KiB)"
    )
