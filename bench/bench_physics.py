"""Benchmark: one simulator tick for the full reference city (757 stations, ~200 rooms each).

A tick is what the runner does every period: `advance(1.0)` then `values(i)` for every station.
Beside it, in the same run, a naive baseline: the same two-node room update and the station
aggregation written as per-room Python loops, timed over a subset of stations and scaled to the
city. Prints both and their ratio.

    .venv/bin/python bench/bench_physics.py [--ticks 50] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from pathlib import Path

import numpy as np

from drivers.simulator import physics as P
from drivers.simulator.physics import NetworkPhysics
from station_config.loader import ConfigError, load_template
from station_config.schema import NetworkDef

TEMPLATE = Path(__file__).resolve().parents[1] / "station_config/templates/substation-v1.yaml"


def city(n_stations: int = 757, seed: int = 0) -> NetworkDef:
    """A Luoyang-like network: three trunks (east 偃师, north 孟津, west 新安), five districts."""
    problems: list = []
    tpl = load_template(TEMPLATE, problems)
    if tpl is None:
        raise ConfigError(problems)
    rng = np.random.default_rng(seed)
    districts = [
        ("jianxi", "涧西区", (-6.0, 0.0)),
        ("xigong", "西工区", (-1.0, 2.0)),
        ("laocheng", "老城区", (3.0, 2.5)),
        ("chanhe", "瀍河区", (6.0, 1.5)),
        ("yibin", "伊滨区", (10.0, -8.0)),
    ]
    trunks = [
        ("east", "yanshi", "偃师热电", [(35.0, -2.0), (8.0, 0.0)]),
        ("north", "mengjin", "孟津热电", [(0.0, 25.0), (0.0, 5.0)]),
        ("west", "xinan", "新安热电", [(-35.0, 3.0), (-8.0, 0.0)]),
    ]
    stations = []
    for k in range(n_stations):
        did, dname, (cx, cy) = districts[k % len(districts)]
        pos = (cx + rng.normal(0, 2.0), cy + rng.normal(0, 2.0))
        trunk = min(trunks, key=lambda t: math.dist(pos, t[3][-1]))[0]
        stations.append(
            {
                "id": f"s{k:04d}",
                "name": f"{dname}{k}",
                "district": did,
                "template": tpl.template,
                "trunk": trunk,
                "host": f"127.0.{1 + k // 250}.{1 + k % 250}",
                "port": 502,
                "rooms": int(rng.integers(160, 241)),
                "area_m2": float(rng.uniform(40_000, 120_000)),
                "position": pos,
            }
        )
    return NetworkDef.model_validate(
        {
            "name": "Luoyang (bench)",
            "sources": [{"id": s, "name": nm, "position": r[0]} for _, s, nm, r in trunks],
            "trunks": [{"id": t, "name": t, "source": s, "route": r} for t, s, _, r in trunks],
            "districts": [{"id": d, "name": nm, "center": c} for d, nm, c in districts],
            "templates": {tpl.template: tpl},
            "stations": stations,
        }
    )


def naive_tick(ph: NetworkPhysics, stations: range, dt: float) -> None:
    """The same room physics as NetworkPhysics, one room at a time in Python (the baseline)."""
    for i in stations:
        r0, nr = int(ph._room_start[i]), int(ph._n_model[i])
        t3 = float(ph.t3[i])
        to = float(ph.to[i])
        phi = float(ph.m_s[i] / ph.area[i]) * P.CP
        g_sum = h_sum = 0.0
        nb = sum(ph.t_air[r] for r in range(r0, r0 + nr)) / nr  # the neighbours' mean air
        for r in range(r0, r0 + nr):
            g = phi * -math.expm1(-ph._k_rad[r] / phi) if phi > 0 else 0.0
            ta, tm = ph.t_air[r], ph.t_mass[r]
            ca, cm = ph._c_air[r] / dt, ph._c_mass[r] / dt
            a11 = ca + g + P.U_AM + ph._u_ao[r] + P.U_NB
            a22 = cm + P.U_AM + ph._u_mo[r]
            b1 = ca * ta + g * t3 + P.Q_INTERNAL + ph._u_ao[r] * to + P.U_NB * nb
            b2 = cm * tm + ph._u_mo[r] * to
            det = a11 * a22 - P.U_AM * P.U_AM
            g_sum += g
            h_sum += g * (b1 * a22 + P.U_AM * b2) / det
        # a station's scalar outputs, one point at a time
        _ = [float(x) for x in (g_sum, h_sum, t3, to)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ticks", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--baseline-stations", type=int, default=40)
    args = ap.parse_args()

    net = city(seed=args.seed)
    rooms = sum(s.rooms for s in net.stations)
    points = 0
    t0 = time.perf_counter()
    ph = NetworkPhysics(net, seed=args.seed, start=1_736_900_000.0)
    t_init = time.perf_counter() - t0
    points = sum(len(t) for t in ph.tables)
    n = len(ph.station_ids)
    print(f"network: {n} stations, {rooms} rooms, {points} points; init {t_init * 1000:.0f} ms")

    # warm-up (first values() builds caches)
    ph.advance(1.0)
    for i in range(n):
        ph.values(i)
    adv, val, cpu = [], [], []
    for _ in range(args.ticks):
        a, a_cpu = time.perf_counter(), time.process_time()
        ph.advance(1.0)
        b = time.perf_counter()
        for i in range(n):
            ph.values(i)
        c = time.perf_counter()
        cpu.append(time.process_time() - a_cpu)
        adv.append(b - a)
        val.append(c - b)
    tick = [x + y for x, y in zip(adv, val, strict=True)]
    med = statistics.median(tick)
    print(
        f"vectorised tick (advance(1.0) + values() x {n}): median {med * 1000:.1f} ms, "
        f"p95 {sorted(tick)[int(0.95 * len(tick)) - 1] * 1000:.1f} ms "
        f"(advance {statistics.median(adv) * 1000:.1f} ms, "
        f"values {statistics.median(val) * 1000:.1f} ms; "
        f"CPU {statistics.median(cpu) * 1000:.1f} ms, steadier on a shared machine)"
    )
    a = time.perf_counter()
    ph.advance(600.0)
    print(f"advance(600 s) (speed 600 at 1 tick/s): {(time.perf_counter() - a) * 1000:.0f} ms")

    sub = range(min(args.baseline_stations, n))
    reps = 3
    a = time.perf_counter()
    for _ in range(reps):
        naive_tick(ph, sub, 60.0)
    naive = (time.perf_counter() - a) / reps * n / len(sub)
    print(
        f"naive per-room Python loop (rooms only, {len(sub)} stations scaled to {n}): "
        f"{naive * 1000:.0f} ms per tick"
    )
    print(f"ratio naive / vectorised: {naive / med:.0f}x")


if __name__ == "__main__":
    main()
