"""Benchmark 6, headless part (issue 5): start-up to the first complete scan, and peak RSS.

    .venv/bin/python bench/bench_memory_startup.py [--minutes 2] [--tiny]

For the demo network (station_config/demo.yaml, 62 stations) and the generated full-size one
(757 stations, ≈200,000 points), the simulator runs in its own process with 20 ms ± 50 % latency
per request. The console service (poller + live store + alarm engine + journal + history, as
`heatconsole poll` runs it) is started in a *fresh* Python process, so the start-up time covers
interpreter start, imports, config load, building every table and store, connecting and the
first sweep: it is measured from just before the child is spawned to the batch in which every
station has delivered its first scan. The full-size child then polls for --minutes at the 5 s
period and reports its RSS every 10 s and its peak (ru_maxrss); the hour figure is a linear
extrapolation of the growth over the second half of the run (say so when quoting it).

Diagnosis of growth (`--tracemalloc`, opt-in; the default output is unchanged): the child also
traces Python allocations (tracemalloc, from the first complete scan on) and, at each of
`--snapshots` minutes, reports RSS, what glibc malloc holds (in use / free in its arenas /
mmapped), SQLite's own heap (sqlite3_memory_used: page caches, statements), asyncio tasks, gc
objects, the history writer's buffer and the file sizes, then the allocation sites that grew
most since the first snapshot (by traceback). `--malloc-trim` calls malloc_trim(0) at every
snapshot and reports the RSS it gave back (free arena memory vs live objects). These lines
start with `diag` and follow the normal ones. `--mallinfo` alone: the snapshots without tracing
(an honest RSS curve with the malloc/SQLite breakdown).

Output lines start with `machine:`, `startup demo:`, `startup full:`, `memory full:`, `targets:`
(tests/bench/test_bench_smoke.py checks that format). Same-run baseline for start-up: the bare
interpreter with numpy + pymodbus imported (the floor any Python console pays).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def child(
    cfg: str, endpoints: str, t_launch: float, minutes: float, tmp: str, diag: dict | None = None
) -> None:
    """Runs in the fresh process: start the service, report first complete scan and RSS."""
    import asyncio
    import resource

    from diag_memory import Diagnosis

    from console.core.service import ConsoleService, ServiceUpdate
    from station_config.loader import load_network

    def rss_mb() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def out(**kw: object) -> None:
        print(json.dumps(kw), flush=True)

    async def run() -> None:
        net = load_network(cfg)
        eps = json.loads(Path(endpoints).read_text())
        stations = [
            s.model_copy(update={"host": eps[s.id][0], "port": eps[s.id][1]}) for s in net.stations
        ]
        net = net.model_copy(update={"stations": stations})
        seen: set[str] = set()
        done = asyncio.Event()

        def listener(u: ServiceUpdate) -> None:
            if not done.is_set():
                seen.update(u.changed)
                if len(seen) == len(net.stations):
                    out(first_complete_s=time.time() - t_launch, rss_mb=rss_mb())
                    done.set()

        svc = ConsoleService(net, journal_path=Path(tmp) / "journal.sqlite", config_file=cfg)
        out(
            built_s=time.time() - t_launch,
            rss_mb=rss_mb(),
            live_store_mb=svc.live.memory_bytes() / 2**20,
        )
        svc.listeners.append(listener)
        await svc.start()
        try:
            await asyncio.wait_for(done.wait(), 120)
            t_end = time.monotonic() + minutes * 60
            t0 = time.monotonic()
            dg = Diagnosis(svc, Path(tmp), **diag) if diag else None
            while time.monotonic() < t_end:
                step = min(10.0, max(0.0, t_end - time.monotonic()))
                if dg is not None:  # wake for the next diagnostic snapshot, too
                    step = min(step, max(0.0, dg.next_at() - (time.monotonic() - t0)))
                await asyncio.sleep(step)
                out(t_s=round(time.monotonic() - t0, 1), rss_mb=rss_mb())
                if dg is not None and dg.due(time.monotonic() - t0):
                    out(diag=dg.take(time.monotonic() - t0))
        finally:
            await svc.stop()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out(peak_rss_mb=peak, batches=svc.batches)

    asyncio.run(run())


def spawn(
    cfg: Path, endpoints: Path, minutes: float, tmp: Path, diag: dict | None = None
) -> list[dict]:
    t_launch = time.time()
    args = [sys.executable, __file__, "--child", str(cfg), str(endpoints), repr(t_launch)]
    args += [str(minutes), str(tmp)] + ([json.dumps(diag)] if diag else [])
    p = subprocess.run(args, capture_output=True, text=True, timeout=minutes * 60 + 300)
    if p.returncode != 0:
        raise RuntimeError(f"child failed ({p.returncode}):\n{p.stderr[-3000:]}")
    return [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]


def floor_startup() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import numpy, pymodbus.client"], check=True)
    return time.perf_counter() - t0


def measure(
    cfg: Path, tmp: Path, minutes: float, ms: float, jitter: float, diag: dict | None = None
) -> list[dict]:
    from bench_city_scan import SCENARIO

    from drivers.simulator.process import SimulatorProcess

    scen = tmp / "latency.yaml"
    scen.write_text(SCENARIO.format(ms=ms, pct=jitter * 100, jitter=jitter), encoding="utf-8")
    with SimulatorProcess(cfg, scenario=scen, port=0, ready_timeout=120) as sim:
        time.sleep(1.0)  # the scenario's t = 0 latency is applied at the first tick (0.5 s)
        eps = tmp / f"endpoints-{cfg.stem}.json"
        eps.write_text(json.dumps(sim.endpoints), encoding="utf-8")
        jdir = tmp / f"journal-{cfg.stem}"
        jdir.mkdir()
        return spawn(cfg, eps, minutes, jdir, diag)


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--child":
        cfg, eps, t_launch, minutes, tmp = sys.argv[2:7]
        diag = json.loads(sys.argv[7]) if len(sys.argv) > 7 else None
        child(cfg, eps, float(t_launch), float(minutes), tmp, diag)
        return 0
    from bench_city_scan import machine

    from station_config.generator import generate_network
    from station_config.loader import DEMO_CONFIG

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=2.0, help="polling time of the full run")
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--latency-ms", type=float, default=20.0)
    ap.add_argument("--jitter", type=float, default=0.5)
    ap.add_argument("--tiny", action="store_true", help="smoke run: 4 stations, 0.1 min")
    ap.add_argument(
        "--tracemalloc", action="store_true", help="diagnose growth: snapshots, top allocations"
    )
    ap.add_argument(
        "--snapshots", default="5,15,25", help="minutes of the diagnostic snapshots (comma list)"
    )
    ap.add_argument("--frames", type=int, default=8, help="traceback depth traced")
    ap.add_argument("--top", type=int, default=12, help="allocation sites listed per snapshot")
    ap.add_argument(
        "--malloc-trim", action="store_true", help="malloc_trim(0) at every diagnostic snapshot"
    )
    ap.add_argument(
        "--mallinfo", action="store_true", help="diagnostic snapshots without tracing (cheap)"
    )
    a = ap.parse_args(argv)
    diag = None
    if a.tracemalloc or a.malloc_trim or a.mallinfo:
        snaps = [float(x) for x in a.snapshots.split(",") if x.strip()]
        diag = {"snapshots": snaps, "trace": a.tracemalloc, "frames": a.frames, "top": a.top,
                "trim": a.malloc_trim}  # fmt: skip
    if a.tiny:
        a.stations, a.minutes = 4, 0.1
    print(f"machine: {machine()}", flush=True)
    t_floor = floor_startup()
    with tempfile.TemporaryDirectory(prefix="bench_mem_") as td:
        tmp = Path(td)
        if a.tiny:  # the smoke run stands in a 4-station network for the demo, too
            demo = tmp / "demo.yaml"
            demo.write_text(generate_network(2, 20, 1), encoding="utf-8")
        else:
            demo = Path(DEMO_CONFIG)
        r = measure(demo, tmp, 0.0, a.latency_ms, a.jitter)
        d_first = next(x["first_complete_s"] for x in r if "first_complete_s" in x)
        d_built = next(x["built_s"] for x in r if "built_s" in x)
        print(
            f"startup demo: first complete scan {d_first:.2f} s after launch (service built at "
            f"{d_built:.2f} s); baseline: bare interpreter + numpy + pymodbus {t_floor:.2f} s",
            flush=True,
        )
        full = tmp / "city.yaml"
        full.write_text(generate_network(a.stations, 200, 1), encoding="utf-8")
        r = measure(full, tmp, a.minutes, a.latency_ms, a.jitter, diag)
    f_first = next(x["first_complete_s"] for x in r if "first_complete_s" in x)
    built = next(x for x in r if "built_s" in x)
    print(
        f"startup full: {a.stations} stations, first complete scan {f_first:.2f} s after launch "
        f"(service built at {built['built_s']:.2f} s, RSS then {built['rss_mb']:.0f} MB, live "
        f"store rings {built['live_store_mb']:.0f} MB); baseline: bare interpreter + numpy + "
        f"pymodbus {t_floor:.2f} s",
        flush=True,
    )
    samples = [(x["t_s"], x["rss_mb"]) for x in r if "t_s" in x]
    peak = next(x["peak_rss_mb"] for x in r if "peak_rss_mb" in x)
    half = [s for s in samples if s[0] >= samples[-1][0] / 2] if samples else []
    slope = (half[-1][1] - half[0][1]) / (half[-1][0] - half[0][0]) if len(half) > 1 else 0.0
    last = samples[-1][1] if samples else peak
    hour = max(peak, last + slope * max(0.0, 3600 - (samples[-1][0] if samples else 0)))
    print(
        f"memory full: peak RSS {peak:.0f} MB after {a.minutes:g} min of polling at the 5 s "
        f"period (RSS {last:.0f} MB at the end, growth {slope * 60:.2f} MB/min over the second "
        f"half); one hour extrapolated linearly: {hour:.0f} MB",
        flush=True,
    )
    ok_mem, ok_demo, ok_full = hour <= 1536, d_first <= 3.0, f_first <= 10.0
    print(
        f"targets: peak RSS ≤ 1.5 GB after an hour: {'holds' if ok_mem else 'MISSED'} "
        f"(extrapolated); first complete scan ≤ 3 s demo: {'holds' if ok_demo else 'MISSED'}, "
        f"≤ 10 s full: {'holds' if ok_full else 'MISSED'}"
    )
    if diag:
        from diag_memory import report

        for line in report([x["diag"] for x in r if "diag" in x]):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
