"""Benchmark: alarm evaluation of a full-size scan batch (757 stations x 200 rooms).

Times AlarmEngine.evaluate_batch on synthetic StationScans built from real PointTables, for a
quiet scan, a cold wave (20,000 rooms cross 18 °C: delay timers start) and the scan where those
20,000 alarms fire, beside a same-run baseline: a naive per-sample Python loop (quality check +
limit compare + per-alarm dict state) on a subset of stations, scaled to the whole batch.
Also: decode + quality of the whole batch from register images (what the poller does per
station after its reads), so "decode + quality + alarm evaluation" of one full-city scan is one
figure; and the cold-wave events journalled (JournalWriter in a temp dir, submit + commit).

    .venv/bin/python bench/bench_alarms.py [--stations 757] [--rooms 200] [--tiny]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from console.core.alarms import AlarmEngine
from console.core.journal.writer import JournalWriter
from drivers.codec import decode_image, encode_image, image_size
from drivers.points import PointTable, build_point_table
from drivers.samples import CommState, Quality, StationScan
from station_config.loader import load_template
from station_config.schema import NetworkDef

TEMPLATE = Path(__file__).resolve().parents[1] / "station_config/templates/substation-v1.yaml"
NORMAL_VALUES = {
    "mode": 1,
    "control_level": 1,
    "t3_secondary_supply": 60.0,
    "t3_setpoint_active": 60.0,
    "t3_dev_high": 5.0,
    "t3_dev_low": 5.0,
    "t3_dev_delay": 10,
    "p3_secondary_supply": 300,
    "p_secondary_low": 150,
    "p_secondary_high": 600,
    "p1_primary_supply": 800,
    "p2_primary_return": 400,
    "dp_primary_low": 100,
    "makeup_flow": 0.5,
    "makeup_flow_limit": 3.0,
    "room_low_limit": 18.0,
    "room_critical_limit": 16.0,
    "heartbeat": 1.7e9,
    "outdoor_temp": -5.0,
}


def build(n_st: int, rooms: int) -> tuple[NetworkDef, list[np.ndarray]]:
    tpl = load_template(TEMPLATE, [])
    stations = [
        {
            "id": f"s-{i:03d}",
            "name": f"S{i}",
            "district": "d",
            "template": tpl.template,
            "trunk": "t",
            "host": f"127.0.{i // 250}.{i % 250 + 1}",
            "rooms": rooms,
            "position": (0.0, 0.0),
        }
        for i in range(n_st)
    ]
    net = NetworkDef.model_validate(
        {
            "name": "bench",
            "templates": {tpl.template: tpl},
            "stations": stations,
            "alarms": {
                "rules": {"room_low": {"on_delay_s": 60}, "room_critical": {"on_delay_s": 60}}
            },
        }
    )
    rng = np.random.default_rng(1)
    base = []
    for st in net.stations:
        tbl = build_point_table(tpl, st)
        v = np.zeros(len(tbl))
        for k, x in NORMAL_VALUES.items():
            v[tbl.index[k]] = x
        v[tbl.indices("room_temp")] = rng.normal(20.0, 0.5, rooms)
        base.append(v)
    return net, base


def scans(net: NetworkDef, vals: list[np.ndarray], t: float) -> list[StationScan]:
    return [
        StationScan(st.id, t, v, np.zeros(len(v), np.uint8), np.full(len(v), t), CommState.OK)
        for st, v in zip(net.stations, vals, strict=True)
    ]


def naive(net: NetworkDef, batch: list[StationScan], state: dict) -> int:
    """The per-sample Python loop a straightforward engine would run (room alarms only)."""
    n = 0
    for sc in batch:
        names = state.setdefault(("names", sc.station_id), None)
        if names is None:
            st = net.station(sc.station_id)
            names = build_point_table(net.templates[st.template], st).names
            state[("names", sc.station_id)] = names
        for i, name in enumerate(names):
            if not name.startswith("room_temp["):
                continue
            if sc.quality[i] != Quality.GOOD:
                continue
            x = float(sc.values[i])
            for rule, lim in (("room_low", 18.0), ("room_critical", 16.0)):
                key = f"{sc.station_id}/{name}/{rule}"
                active = state.get(key, False)
                if not active and x < lim:
                    state[key] = True
                    n += 1
                elif active and x >= lim + 0.3:
                    state[key] = False
    return n


def decode_quality(tables: list[PointTable], images: list[np.ndarray]) -> int:
    """The poller's per-station work after the reads: decode the image, set qualities."""
    n = 0
    for tbl, img in zip(tables, images, strict=True):
        ok = np.ones(len(tbl), dtype=bool)
        decoded, fault = decode_image(tbl, img, 1)
        q = np.where(ok, np.where(fault, Quality.SENSOR_FAULT, Quality.GOOD), Quality.COMM_FAIL)
        n += len(q.astype(np.uint8)) + len(decoded)
    return n


def best(f, repeat: int = 5) -> float:
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return min(ts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rooms", type=int, default=200)
    ap.add_argument("--cold", type=int, default=20000, help="rooms crossing 18 °C in one scan")
    ap.add_argument("--tiny", action="store_true", help="smoke run: 4 stations, 100 cold rooms")
    a = ap.parse_args()
    if a.tiny:
        a.stations, a.cold = 4, 100
    net, base = build(a.stations, a.rooms)
    samples = sum(len(v) for v in base)
    eng = AlarmEngine(net)
    print(f"{a.stations} stations x {a.rooms} rooms: {samples} samples, {eng.slots.n} alarms")
    eng.evaluate_batch(scans(net, base, 0.0))  # warm up: plan cache, first comm events
    quiet = scans(net, base, 10.0)
    t_quiet = best(lambda: eng.evaluate_batch(quiet))
    tables = [build_point_table(net.templates[st.template], st) for st in net.stations]
    images = [encode_image(t, v, 1, image_size(t)) for t, v in zip(tables, base, strict=True)]
    t_decode = best(lambda: decode_quality(tables, images))

    # Cold wave: `cold` rooms drop to 17.5 °C; first scan starts the on-delay timers.
    cold = [v.copy() for v in base]
    rooms_idx = np.flatnonzero(
        [
            n.startswith("room_temp[")
            for n in build_point_table(net.templates["substation-v1"], net.stations[0]).names
        ]
    )
    per = a.cold // a.stations + 1
    left = a.cold
    for v in cold:
        k = min(per, left, len(rooms_idx))
        v[rooms_idx[:k]] = 17.5
        left -= k
    t0 = time.perf_counter()
    ev_start = eng.evaluate_batch(scans(net, cold, 20.0))
    t_cold_start = time.perf_counter() - t0
    t0 = time.perf_counter()
    ev_fire = eng.evaluate_batch(scans(net, cold, 90.0))  # past the 60 s on-delay
    t_cold_fire = time.perf_counter() - t0
    t_fire_events = eng.last_stats["event_build_s"]
    with tempfile.TemporaryDirectory(prefix="bench_alarms_") as td:
        jw = JournalWriter(Path(td) / "journal.sqlite")
        t0 = time.perf_counter()
        jw.submit_many(ev_fire)
        t_submit = time.perf_counter() - t0
        jw.flush(60)
        t_journal = time.perf_counter() - t0
        jw.close()
    still = scans(net, cold, 100.0)
    t_cold_hold = best(lambda: eng.evaluate_batch(still))
    t0 = time.perf_counter()
    summ = eng.summary()
    t_summary = time.perf_counter() - t0

    sub = max(1, a.stations // 20)
    state: dict = {}
    naive(net, quiet[:sub], state)
    t_naive = best(lambda: naive(net, quiet[:sub], state), 3) * a.stations / sub
    print(f"decode + quality      {samples} samples  {t_decode * 1e3:8.1f} ms")
    print(f"quiet scan            evaluate_batch {t_quiet * 1e3:8.1f} ms")
    print(f"decode + quality + alarm evaluation, quiet scan {(t_decode + t_quiet) * 1e3:8.1f} ms")
    print(
        f"cold wave, timers     evaluate_batch {t_cold_start * 1e3:8.1f} ms "
        f"({len(ev_start)} events)"
    )
    print(
        f"cold wave, alarms     evaluate_batch {t_cold_fire * 1e3:8.1f} ms "
        f"({sum(e.alarm is not None for e in ev_fire)} alarm events)"
    )
    print(f"  of which building the JournalEvents: {t_fire_events * 1e3:.1f} ms")
    print(
        f"cold wave, journalled  {len(ev_fire)} events: submit {t_submit * 1e3:.1f} ms (caller), "
        f"committed after {t_journal * 1e3:.1f} ms (writer thread)"
    )
    print(f"cold wave, holding    evaluate_batch {t_cold_hold * 1e3:8.1f} ms")
    print(f"summary ({len(summ.rows)} rows, {summ.total} alarms) {t_summary * 1e3:8.1f} ms")
    print(
        f"naive per-sample loop (rooms only, {sub} stations scaled x{a.stations / sub:.1f}) "
        f"{t_naive * 1e3:8.1f} ms  -> engine quiet scan is {t_naive / t_quiet:.0f}x faster"
    )
    print(
        f"budget 100 ms: decode + quality + quiet {'OK' if t_decode + t_quiet < 0.1 else 'OVER'}, "
        f"cold-wave firing {'OK' if t_cold_fire < 0.1 else 'OVER'}"
    )


if __name__ == "__main__":
    main()
