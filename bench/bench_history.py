"""Benchmark: the history store at city scale (757 stations, ~200,000 points, 5-s scans).

Figures, each beside a same-run baseline:
- ingest: CPU per full-city 5-s scan batch (compression + queueing on the caller, plus the
  writer thread's commit), vs storing every sample uncompressed through the same writer;
- size: bytes per point per day for the simulator's signals, compressed (a full simulated day
  of the whole city, generated with NetworkPhysics at a coarse step) vs uncompressed (every 5-s
  sample of a subset of stations for one hour, scaled to a day);
- query: a 24 h query of 10 points on that day's store, vs a naive unindexed rows table
  holding a subset of stations' samples, scanned and scaled to the city.

    .venv/bin/python bench/bench_history.py [--stations 757] [--rooms 200] [--day-step 60]
    .venv/bin/python bench/bench_history.py --tiny      # seconds: smoke test of the format
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from console.core.history import History, HistoryReader, store
from console.core.history.compression import Compressor
from drivers.samples import CommState, StationScan
from drivers.simulator.physics import NetworkPhysics
from station_config.generator import generate_network
from station_config.loader import load_network

T0 = 1_700_006_400.0  # midnight UTC: one day is 24 whole buckets
DAY = 86400.0


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"machine: {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.machine()}, load {os.getloadavg()[0]:.1f}"
    )


def network(stations: int, rooms: int, tmp: Path):
    path = tmp / "net.yaml"
    path.write_text(generate_network(stations, rooms))
    return load_network(path)


class Scanner:
    """What the poller would hand over: physics values quantised to each point's register."""

    def __init__(self, phys: NetworkPhysics) -> None:
        self.phys = phys
        self.quantum = [np.where(t.type_code == 4, 0.0, t.scale) for t in phys.tables]

    def scans(self, t: float, stations: range | None = None) -> list[StationScan]:
        out = []
        for i in stations if stations is not None else range(self.phys.n):
            v = self.phys.values(i)
            qn = self.quantum[i]
            v = np.where(qn > 0, np.round(v / np.where(qn > 0, qn, 1.0)) * qn, v)
            q = np.where(np.isnan(v), 2, 0).astype(np.uint8)  # sensor fault
            sid = self.phys.station_ids[i]
            out.append(StationScan(sid, t, v, q, np.full(len(v), t), CommState.OK))
        return out


def store_everything(h: History) -> None:
    """Baseline: a deadband below any change and no heartbeat gaps -> every sample stored."""
    for sid, c in h.writer.compressors.items():
        h.writer.compressors[sid] = Compressor(np.full(len(c), -1.0), max_interval_s=0.0)


def file_bytes(path: Path) -> int:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ps, pc, fl = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in
                  ("page_size", "page_count", "freelist_count"))  # fmt: skip
    conn.close()
    return ps * (pc - fl)


def ingest(net, phys: Scanner, tmp: Path, batches: int, compressed: bool) -> dict:
    """CPU per full-city batch: caller (compress + queue) and writer thread (commit)."""
    path = tmp / ("ingest.sqlite" if compressed else "ingest_raw.sqlite")
    h = History(path, {s: t for s, t in zip(phys.phys.station_ids, phys.phys.tables,
                                             strict=True)}, batch_s=3600.0)  # fmt: skip
    if not compressed:
        store_everything(h)
    caller, total, samples = [], [], 0
    t = T0
    for _ in range(batches):
        phys.phys.advance(5.0)
        t += 5.0
        scans = phys.scans(t)
        c0, p0 = time.thread_time(), time.process_time()
        samples += h.submit_scans(scans)
        c1 = time.thread_time()
        h.flush(120)  # the writer's commit of this batch (normally every 30 s, several batches)
        caller.append(c1 - c0)
        total.append(time.process_time() - p0)
    h.close()
    return {
        "caller_ms": 1000 * statistics.median(caller),
        "total_ms": 1000 * statistics.median(total),
        "samples_per_batch": samples / batches,
        "scans_per_cpu_s": len(scans) / statistics.median(total),
    }


def day(phys: Scanner, tmp: Path, step: float) -> tuple[Path, float]:
    """A full simulated day of every station into a store; returns (path, seconds taken)."""
    path = tmp / "day.sqlite"
    tables = dict(zip(phys.phys.station_ids, phys.phys.tables, strict=True))
    h = History(path, tables, batch_s=2.0, grace_s=0.0, compact_per_step=2000)
    w0 = time.perf_counter()
    t = T0
    while t < T0 + DAY:
        h.submit_scans(phys.scans(t))
        phys.phys.advance(step)
        t += step
    h.submit_scans(phys.scans(T0 + DAY))  # closes the last bucket
    h.flush(600)
    n_buckets = 24 * len(tables)
    deadline = time.monotonic() + 600
    while h.writer.compactions < n_buckets and time.monotonic() < deadline:
        time.sleep(0.2)
    h.close(600)
    return path, time.perf_counter() - w0


def raw_hour(net, tmp: Path, n_st: int, seconds: float) -> tuple[float, float, int]:
    """(compressed, uncompressed) bytes per point per day over `seconds` of 5-s scans."""
    out = []
    pts = 0
    for compressed in (True, False):
        phys = Scanner(NetworkPhysics(net, seed=1, start=T0))
        sel = range(n_st)
        tables = {phys.phys.station_ids[i]: phys.phys.tables[i] for i in sel}
        pts = sum(len(t) for t in tables.values())
        path = tmp / f"hour_{compressed}.sqlite"
        h = History(path, tables, batch_s=0.5, grace_s=0.0)
        if not compressed:
            store_everything(h)
        t = T0
        while t < T0 + seconds:
            h.submit_scans(phys.scans(t, sel))
            phys.phys.advance(5.0)
            t += 5.0
        h.submit_scans(phys.scans(T0 + 3600 * np.ceil(seconds / 3600), sel))
        h.flush(600)
        deadline = time.monotonic() + 120
        while h.writer.compactions < n_st * np.ceil(seconds / 3600) and time.monotonic() < deadline:
            time.sleep(0.05)
        h.close()
        out.append(file_bytes(path) / pts * DAY / seconds)
    return out[0], out[1], pts


def query_bench(path: Path, phys: Scanner, n_naive: int, repeat: int) -> dict:
    rng = np.random.default_rng(7)
    ids = phys.phys.station_ids
    picks = []
    for k in range(10):
        i = int(rng.integers(len(ids)))
        names = phys.phys.tables[i].names
        pool = [n for n in names if n.startswith("room_temp[")] if k % 2 else list(names[:40])
        picks.append((ids[i], pool[int(rng.integers(len(pool)))] if pool else names[0]))
    reader = HistoryReader(path)  # a plain reader, like the GUI's or a second process
    times, n = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = sum(len(reader.query(s, p, T0, T0 + DAY, prior=True)[0]) for s, p in picks)
        times.append(time.perf_counter() - t0)
    # Naive: one rows table (series, t, v, q), no index, with a subset of the stations.
    conn = sqlite3.connect(path)
    naive = sqlite3.connect(path.with_name("naive.sqlite"))
    naive.execute("CREATE TABLE samples (series INTEGER, t REAL, v REAL, q INTEGER)")
    sub = list(dict.fromkeys([s for s, _ in picks] + list(ids[:n_naive])))[:n_naive]
    bucket_s = store.bucket_seconds(conn)
    for sid in sub:
        for (ser_id,) in conn.execute(
            "SELECT p.id FROM series p JOIN stations s ON s.id = p.station WHERE s.name = ?",
            (sid,),
        ):
            st = conn.execute("SELECT station FROM series WHERE id=?", (ser_id,)).fetchone()[0]
            t, v, q = store.read_series(conn, st, ser_id, 0, 4e9, bucket_s)
            rows = zip([ser_id] * len(t), t.tolist(), v.tolist(), q.tolist(), strict=True)
            naive.executemany("INSERT INTO samples VALUES (?, ?, ?, ?)", rows)
    naive.commit()
    sel = [
        conn.execute(
            "SELECT p.id FROM series p JOIN stations s ON s.id = p.station"
            " WHERE s.name = ? AND p.point = ?", (s, p)).fetchone()[0]
        for s, p in picks if s in sub
    ]  # fmt: skip
    ntimes = []
    for _ in range(max(1, repeat // 2)):
        t0 = time.perf_counter()
        for ser in sel:
            naive.execute("SELECT t, v, q FROM samples WHERE series = ? AND t BETWEEN ? AND ?",
                          (ser, T0, T0 + DAY)).fetchall()  # fmt: skip
        ntimes.append((time.perf_counter() - t0) / max(len(sel), 1) * 10)
    conn.close()
    naive.close()
    return {
        "ms": 1000 * statistics.median(times),
        "samples": n,
        "naive_ms": 1000 * statistics.median(ntimes) * len(ids) / len(sub),
        "naive_stations": len(sub),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rooms", type=int, default=200)
    ap.add_argument("--day-step", type=float, default=60.0, help="simulated s per scan of the day")
    ap.add_argument("--batches", type=int, default=5)
    ap.add_argument("--raw-stations", type=int, default=10)
    ap.add_argument("--raw-seconds", type=float, default=3600.0)
    ap.add_argument("--naive-stations", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--tiny", action="store_true", help="a tiny network, for the smoke test")
    ap.add_argument("--dir", type=Path, default=None, help="keep the stores here")
    a = ap.parse_args(argv)
    if a.tiny:
        a.stations, a.rooms, a.day_step, a.batches = 4, 10, 600.0, 2
        a.raw_stations, a.raw_seconds, a.naive_stations, a.repeat = 2, 600.0, 2, 2
    tmp = a.dir or Path(tempfile.mkdtemp(prefix="bench_history_"))
    tmp.mkdir(parents=True, exist_ok=True)
    print(machine())
    net = network(a.stations, a.rooms, tmp)
    phys = Scanner(NetworkPhysics(net, seed=1, start=T0))
    n_points = sum(len(t) for t in phys.phys.tables)
    print(f"network: {a.stations} stations, {n_points} points")

    comp = ingest(net, phys, tmp, a.batches, compressed=True)
    raw = ingest(net, Scanner(NetworkPhysics(net, seed=1, start=T0)), tmp, a.batches, False)
    print(
        f"ingest, one {a.stations}-station 5-s batch: {comp['total_ms']:.1f} ms CPU "
        f"({comp['total_ms'] / 50:.2f} % of 5 s; caller {comp['caller_ms']:.1f} ms), "
        f"{comp['samples_per_batch']:.0f} samples stored, "
        f"{comp['scans_per_cpu_s']:.0f} scans/CPU-s | baseline uncompressed: "
        f"{raw['total_ms']:.1f} ms, {raw['samples_per_batch']:.0f} samples | "
        f"ratio {comp['total_ms'] / raw['total_ms']:.3f}"
    )
    c_b, r_b, pts = raw_hour(net, tmp, min(a.raw_stations, a.stations), a.raw_seconds)
    print(
        f"bytes per point per day, 5-s scans ({pts} points, {a.raw_seconds:.0f} s scaled): "
        f"compressed {c_b:.0f} B | baseline uncompressed: {r_b:.0f} B | ratio {c_b / r_b:.4f}"
    )
    path, took = day(phys, tmp, a.day_step)
    size = file_bytes(path)
    print(
        f"full day at {a.day_step:.0f}-s step ({a.stations} stations, generated in {took:.0f} s): "
        f"{size / 2**20:.1f} MiB, {size / n_points:.0f} B per point per day"
    )
    qb = query_bench(path, phys, min(a.naive_stations, a.stations), a.repeat)
    print(
        f"24 h query of 10 points: {qb['ms']:.1f} ms median ({qb['samples']} samples) | "
        f"baseline naive unindexed rows ({qb['naive_stations']} stations, scaled): "
        f"{qb['naive_ms']:.1f} ms | ratio {qb['ms'] / qb['naive_ms']:.4f} | target <= 200 ms"
    )
    if a.dir is None:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
