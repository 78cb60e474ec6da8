"""Benchmark: what a season of heat metering costs to read and compute.

The energy panel asks for every station's energy counter and outdoor temperature since the
start of the heating season (console/app/energy_panel.py); a local doorway reads them from the
history on the service loop, a few stations per request (a read of ~0.15 s each). Measured on
a history file written by the real writer (a counter and an outdoor temperature stored at every
15-minute scan, the densest the compression keeps them):
- read: the season query of both points per station, vs a same-run baseline: the 24 h query of
  the same points (what a trend preset reads); ratio season/24 h;
- the service-loop stall per request (BATCH stations), and the whole city's fetch scaled to 757;
- compute: build_metering over the fetched arrays per station (the panel's worker thread).

    .venv/bin/python bench/bench_metering.py [--stations 20] [--days 22]
    .venv/bin/python bench/bench_metering.py --tiny      # seconds: smoke test
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console.core.energy import build_metering  # noqa: E402
from console.core.history import History, HistoryReader  # noqa: E402
from drivers.points import build_point_table  # noqa: E402
from drivers.samples import CommState, StationScan  # noqa: E402
from station_config.generator import generate_network  # noqa: E402
from station_config.loader import load_network  # noqa: E402

CITY = 757
BATCH = 4  # what the panel asks per request 22 days into the season (energy_panel.py)
NOW = 1_796_688_000.0  # 2026-12-08 00:00 UTC


def write(path: Path, net, days: float) -> None:  # type: ignore[no-untyped-def]
    tables = {s.id: build_point_table(net.templates[s.template], s) for s in net.stations}
    h = History(path, tables, batch_s=1.0, retention_s=None)
    t0 = NOW - days * 86400
    for k, t in enumerate(np.arange(t0, NOW, 900.0)):
        scans = []
        for j, (sid, tb) in enumerate(tables.items()):
            n = len(tb)
            v = np.full(n, 1.0)
            v[tb.index["heat_energy"]] = round(1000.0 + (1 + j / 10) * k * 0.25, 2)
            v[tb.index["outdoor_temp"]] = round(-3 + 5 * np.sin(2 * np.pi * t / 86400), 1)
            scans.append(StationScan(sid, float(t), v, np.zeros(n, np.uint8), np.full(n, t),
                                     CommState.OK))  # fmt: skip
        h.submit_scans(scans)
    assert h.flush(600)
    h.close(600)


def timed_reads(reader: HistoryReader, ids: list[str], start: float) -> tuple[float, dict]:
    got: dict = {}
    t = time.perf_counter()
    for sid in ids:
        for p in ("heat_energy", "outdoor_temp"):
            got[f"{sid}/{p}"] = reader.query(sid, p, start, NOW, prior=True)
    return time.perf_counter() - t, got


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=20)
    ap.add_argument("--days", type=float, default=22.0)  # 15 Nov - 7 Dec
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tiny", action="store_true")
    a = ap.parse_args()
    if a.tiny:
        a.stations, a.days, a.repeat = 3, 2.0, 1
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "network.yaml"
        cfg.write_text(generate_network(a.stations, rooms=20), encoding="utf-8")
        net = load_network(cfg)
        ids = [s.id for s in net.stations]
        path = Path(tmp) / "history.sqlite"
        t = time.perf_counter()
        write(path, net, a.days)
        print(f"history: {a.stations} stations x {a.days:g} days of 15-min scans written in "
              f"{time.perf_counter() - t:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")  # fmt: skip
        season, day = [], []
        for _ in range(a.repeat):
            reader = HistoryReader(path)  # cold per-thread connection and id cache each time
            dt, got = timed_reads(reader, ids, NOW - a.days * 86400)
            season.append(dt)
            reader.close()
            reader = HistoryReader(path)
            day.append(timed_reads(reader, ids, NOW - 86400)[0])
            reader.close()
        s_med, d_med = statistics.median(season), statistics.median(day)
        per = s_med / a.stations
        print(f"read, season ({a.days:g} d), 2 points/station: {per * 1e3:.2f} ms per station")
        print(f"read, baseline 24 h, same points:        {d_med / a.stations * 1e3:.2f} ms per "
              f"station; ratio season/24 h = {s_med / d_med:.1f}")  # fmt: skip
        print(f"service-loop stall per {BATCH}-station request: {per * BATCH * 1e3:.0f} ms; "
              f"whole city ({CITY} stations) fetch: {per * CITY:.1f} s in "
              f"{-(-CITY // BATCH)} requests")  # fmt: skip
        n = sum(len(v[0]) for v in got.values())
        t = time.perf_counter()
        r = build_metering(net, lambda sid, p, x, y: got[f"{sid}/{p}"], now=NOW)
        dt = time.perf_counter() - t
        print(f"compute: build_metering {dt / a.stations * 1e3:.2f} ms per station "
              f"({n / len(got):.0f} samples per series; city ~{dt / a.stations * CITY:.2f} s "
              f"on the panel's worker thread), worst: {r.stations[0].station}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
