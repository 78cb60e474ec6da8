"""Benchmark (issue 12, "A long shift"): what one service batch allocates in the alarm engine
and the history's compression, on the full city, in a process of its own.

    .venv/bin/python bench/bench_batch_memory.py [--stations 757] [--batch 38] [--batches 400]

A city's batch is whichever ~38 stations answered in the last quarter second (757 stations,
5-s period, 0.25-s batches): random compositions here, random values (many slots stepped, as in
a cold wave). Both run on console.core.batch_buffers.BatchBuffers; the same-run baseline is the
same code given fresh buffers for every batch (what the code did before: every array of the
batch's size allocated anew), in a second child alternated with the first, each child with the
console's glibc tuning (process_memory.tune_malloc). Per mode it prints the peak allocated above
live memory during a batch (tracemalloc; median over the batches), then, in a run without
tracing, CPU per batch and how glibc's heap moved over the batches (mallinfo2: in use, free
inside the arenas, mapped blocks) and the RSS.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def child(cfg: str, mode: str, batch: int, batches: int, trace: bool) -> dict[str, float]:
    import numpy as np
    from diag_memory import mallinfo, rss_mb

    from console.core.alarms.engine import AlarmEngine
    from console.core.batch_buffers import BatchBuffers
    from console.core.history.compression import CityCompressor
    from console.core.process_memory import tune_malloc
    from drivers.points import build_point_tables
    from drivers.samples import CommState, StationScan
    from station_config.loader import load_network

    tune_malloc()
    net = load_network(cfg)
    engine = AlarmEngine(net)
    tables = build_point_tables(net)
    city = CityCompressor(tables)
    rng = np.random.default_rng(0)
    ids = [s.id for s in net.stations]
    base = {sid: rng.normal(20, 3, len(tables[sid])) for sid in ids}
    t = time.time()

    def scans_of_a_batch() -> list[StationScan]:
        nonlocal t
        t += 0.25
        sel = sorted(rng.choice(len(ids), batch, replace=False).tolist())
        scans = []
        for i in sel:
            v = base[ids[i]] + rng.normal(0, 0.05, len(base[ids[i]]))
            q = np.zeros(len(v), np.uint8)
            scans.append(StationScan(ids[i], t, v, q, np.full(len(v), t), CommState.OK))
        return scans

    def step(scans: list[StationScan]) -> None:
        city.select_batch([s.station_id for s in scans], [s.time for s in scans],
                          [s.values for s in scans], [s.quality for s in scans])  # fmt: skip
        engine.evaluate_batch(scans)
        if mode == "fresh":  # the baseline: the next batch allocates its arrays anew
            engine._work, city._work = BatchBuffers(), BatchBuffers()

    for _ in range(50):  # warm-up: buffers sized, alarms raised
        step(scans_of_a_batch())
    out: dict[str, float] = {}
    if trace:
        tracemalloc.start(1)
        peaks = []
        for _ in range(batches):
            scans = scans_of_a_batch()
            live = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            step(scans)
            peaks.append(tracemalloc.get_traced_memory()[1] - live)
        tracemalloc.stop()
        out["peak_kib_median"] = median(peaks) / 1024
        out["peak_kib_max"] = max(peaks) / 1024
        return out
    m0, r0, cpu = mallinfo(), rss_mb(), 0.0
    for _ in range(batches):
        scans = scans_of_a_batch()
        c0 = time.process_time()
        step(scans)
        cpu += time.process_time() - c0
    m1, r1 = mallinfo(), rss_mb()
    out["cpu_ms"] = cpu / batches * 1e3
    for k in ("in_use_mb", "free_mb", "mmapped_mb"):
        out[k] = m1[k] - m0[k]
    out["rss_mb"] = r1 - r0
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--batch", type=int, default=38, help="stations per batch")
    ap.add_argument("--batches", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=2, help="alternations of the two modes")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)  # cfg mode trace
    a = ap.parse_args()
    if a.child:
        cfg, mode, trace = a.child
        print(json.dumps(child(cfg, mode, a.batch, a.batches, trace == "1")))
        return 0
    from bench_city_scan import machine

    from station_config.generator import generate_network

    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "city.yaml"
        cfg.write_text(generate_network(a.stations, 200, 1), encoding="utf-8")
        res: dict[str, list[dict[str, float]]] = {"reused": [], "fresh": []}
        for _ in range(a.rounds):
            for mode in res:
                for trace in ("1", "0"):
                    cmd = [sys.executable, __file__, "--child", str(cfg), mode, trace,
                           "--batch", str(a.batch), "--batches", str(a.batches)]  # fmt: skip
                    line = subprocess.run(cmd, capture_output=True, text=True, check=True)
                    res[mode].append(json.loads(line.stdout.strip().splitlines()[-1]))
    agg = {m: {k: median(r[k] for r in rs if k in r) for k in {k for r in rs for k in r}}
           for m, rs in res.items()}  # fmt: skip
    for mode, r in agg.items():
        print(
            f"{mode:>6}: peak above live per batch {r['peak_kib_median']:.0f} KiB (max "
            f"{r['peak_kib_max']:.0f}); CPU {r['cpu_ms']:.2f} ms/batch; over {a.batches} batches "
            f"glibc in use {r['in_use_mb']:+.1f}, free in arenas {r['free_mb']:+.1f}, mapped "
            f"{r['mmapped_mb']:+.1f} MiB, RSS {r['rss_mb']:+.1f} MiB"
        )
    f, b = agg["reused"], agg["fresh"]
    print(
        f"ratio reused/fresh: peak {f['peak_kib_median'] / b['peak_kib_median']:.2f}, "
        f"CPU {f['cpu_ms'] / b['cpu_ms']:.2f} (medians of {a.rounds} alternated rounds)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
