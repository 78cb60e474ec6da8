"""Benchmark 1 (issue 5): one complete scan of the full-size city, through poller and service.

    .venv/bin/python bench/bench_city_scan.py [--stations 757] [--periods 3] [--tiny]

Generates the full-size network (757 stations, ~200 rooms each, ≈200,000 points) into a temp
dir, starts the simulator in its own process (`SimulatorProcess`: configured 127.0.X.Y hosts,
ephemeral ports, network physics) with a scenario that sets 20 ms ± 50 % latency on every
request of every station from t = 0, and in this process measures:

- poller sweep: every station scanned once, all concurrently (Poller.scan_once, global cap
  --max-in-flight): wall time of the complete scan, requests/s, this process's CPU per sweep;
- poller at the scan period: Poller.start() on its drift-free 5 s grid, this process's CPU
  (time.process_time: every thread) over --periods periods, as % of one core;
- service at the scan period: the full ConsoleService (poller + live store + alarm engine +
  journal writer thread, journal in the temp dir): CPU % of one core and the batch-processing
  time (ConsoleService.process_pending, per batch and summed per period);
- baseline, same run: a plain sequential pymodbus loop (one client per station, the same blocks,
  station after station) over --baseline-stations stations, scaled up to all stations.

Every line starts with a fixed label (`machine:`, `network:`, `poller sweep:`, `baseline:`,
`ratio poller/baseline:`, `poller @period:`, `service @period (with history):`,
`service @period (without history):`, `targets:`);
tests/bench/test_bench_smoke.py checks that format.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drivers.planner import plan_blocks  # noqa: E402
from drivers.samples import CommState, StationScan  # noqa: E402
from drivers.simulator.process import SimulatorProcess  # noqa: E402
from station_config.generator import generate_network  # noqa: E402
from station_config.loader import load_network  # noqa: E402
from station_config.schema import NetworkDef  # noqa: E402

SCENARIO = """name: bench latency
description: every request of every station held {ms:g} ms ± {pct:g} %
events:
  - {{at: 0s, type: comm_latency, latency_ms: {ms:g}, jitter: {jitter:g}}}
"""


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    py = platform.python_version()
    return f"{os.cpu_count()} cores, {model}, Python {py}, {platform.system()} {platform.release()}"


def setup(tmp: Path, stations: int, rooms: int, ms: float, jitter: float) -> tuple[Path, Path]:
    """Network and latency scenario files in `tmp`."""
    cfg = tmp / "city.yaml"
    cfg.write_text(generate_network(stations, rooms, 1), encoding="utf-8")
    scen = tmp / "latency.yaml"
    scen.write_text(SCENARIO.format(ms=ms, pct=jitter * 100, jitter=jitter), encoding="utf-8")
    return cfg, scen


def start_simulator(cfg: Path, scen: Path) -> tuple[SimulatorProcess, float]:
    t0 = time.perf_counter()
    sim = SimulatorProcess(cfg, scenario=scen, port=0, ready_timeout=120)
    sim.start()
    # The scenario's t = 0 event is applied at the simulator's first tick (0.5 s wall).
    time.sleep(1.0)
    return sim, time.perf_counter() - t0


def reads_per_scan(net: NetworkDef, tables: dict) -> int:
    return sum(len(plan_blocks(tables[s.id])) for s in net.stations)


async def poller_sweeps(
    net: NetworkDef, rounds: int, max_in_flight: int
) -> tuple[list[float], list[float], int, float]:
    """Complete concurrent scans: (wall per sweep, CPU per sweep, requests per sweep,
    mean request latency seen by the poller)."""
    from drivers.poller import Poller

    p = Poller(net, max_in_flight=max_in_flight)
    ids = [s.id for s in net.stations]
    try:
        await asyncio.gather(*(p.scan_once(s) for s in ids))  # connect + warm up
        walls, cpus, reqs = [], [], 0
        for _ in range(rounds):
            w0, c0 = time.perf_counter(), time.process_time()
            scans = await asyncio.gather(*(p.scan_once(s) for s in ids))
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
            bad = [s for s in scans if s.comm != CommState.OK]
            if bad:
                raise RuntimeError(f"{len(bad)} stations failed, e.g. {bad[0].error}")
            reqs = sum(s.requests for s in scans)
        lat = statistics.fmean(st.latency_avg for st in p.stats().values())
    finally:
        await p.stop()
    return walls, cpus, reqs, lat


async def baseline(net: NetworkDef, tables: dict, n: int) -> tuple[float, float, int]:
    """Sequential pymodbus loop over the first `n` stations: (wall, CPU, requests)."""
    from pymodbus.client import AsyncModbusTcpClient

    sts = net.stations[:n]
    clients = []
    for s in sts:
        c = AsyncModbusTcpClient(s.host, port=s.port, timeout=2, retries=0, reconnect_delay=0)
        await c.connect()
        clients.append(c)
    blocks = [plan_blocks(tables[s.id]) for s in sts]
    reqs = 0
    w0, c0 = time.perf_counter(), time.process_time()
    for c, s, bl in zip(clients, sts, blocks, strict=True):
        for b in bl:
            rr = await c.read_holding_registers(b.start, count=b.count, device_id=s.unit)
            assert not rr.isError() and len(rr.registers) == b.count
            reqs += 1
    w, cpu = time.perf_counter() - w0, time.process_time() - c0
    for c in clients:
        c.close()
    return w, cpu, reqs


async def poller_periodic(net: NetworkDef, period: float, periods: int, max_in_flight: int) -> dict:
    """Poller on its own grid: CPU over `periods` periods after one warm-up period."""
    from drivers.poller import Poller

    net = _with_period(net, period)
    count = [0]

    def on_scan(scan: StationScan) -> None:
        count[0] += 1

    p = Poller(net, on_scan=on_scan, max_in_flight=max_in_flight)
    await p.start()
    try:
        await asyncio.sleep(period * 1.2)  # first scans (connects) and phase ramp
        n0, c0, w0 = count[0], time.process_time(), time.perf_counter()
        await asyncio.sleep(period * periods)
        n1, c1, w1 = count[0], time.process_time(), time.perf_counter()
        overruns = sum(s.overruns for s in p.stats().values())
        durations = [sp.link.stats.latency_avg for sp in p.pollers.values()]
    finally:
        await p.stop()
    return {
        "cpu": (c1 - c0) / (w1 - w0),
        "cpu_per_period": (c1 - c0) / periods,
        "scans_per_period": (n1 - n0) / periods,
        "overruns": overruns,
        "latency": statistics.fmean(durations),
    }


async def service_periodic(
    net: NetworkDef, period: float, periods: int, max_in_flight: int, journal: Path, history: bool
) -> dict:
    """The full ConsoleService: first complete scan, CPU and batch times at the period
    (`history`: with the history store beside the journal, as the console runs)."""
    from console.core.service import ConsoleService, ServiceUpdate

    net = _with_period(net, period)
    seen: set[str] = set()
    first_complete: list[float] = []
    batches: list[tuple[float, float, int]] = []  # (perf time, batch_s, scans)
    t_start = time.perf_counter()

    def listener(u: ServiceUpdate) -> None:
        now = time.perf_counter()
        batches.append((now, u.stats.get("batch_s", 0.0), u.scans))
        if not first_complete:
            seen.update(u.changed)
            if len(seen) == len(net.stations):
                first_complete.append(now - t_start)

    kw = {} if history else {"history_path": False}
    svc = ConsoleService(net, journal_path=journal, max_in_flight=max_in_flight, **kw)
    svc.listeners.append(listener)
    await svc.start()
    try:
        deadline = time.perf_counter() + period * 4 + 30
        while not first_complete and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(period * 0.5)
        c0, w0 = time.process_time(), time.perf_counter()
        await asyncio.sleep(period * periods)
        c1, w1 = time.process_time(), time.perf_counter()
    finally:
        await svc.stop()
    win = [(b, n) for t, b, n in batches if w0 <= t <= w1]
    bt = [b for b, _ in win] or [0.0]
    return {
        "first_complete": first_complete[0] if first_complete else float("nan"),
        "cpu": (c1 - c0) / (w1 - w0),
        "batch_median": statistics.median(bt),
        "batch_max": max(bt),
        "batch_per_period": sum(bt) / periods,
        "batches": len(win),
        "scans_per_period": sum(n for _, n in win) / periods,
    }


def _with_period(net: NetworkDef, period: float) -> NetworkDef:
    groups = {k: g.model_copy(update={"period_s": period}) for k, g in net.scan_groups.items()}
    return net.model_copy(update={"scan_groups": groups})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rooms", type=int, default=200, help="mean rooms per station")
    ap.add_argument("--latency-ms", type=float, default=20.0)
    ap.add_argument("--jitter", type=float, default=0.5, help="± fraction of the latency")
    ap.add_argument("--rounds", type=int, default=3, help="complete concurrent sweeps timed")
    ap.add_argument("--period", type=float, default=5.0, help="scan period, seconds")
    ap.add_argument("--periods", type=int, default=3, help="periods measured (poller, service)")
    ap.add_argument("--baseline-stations", type=int, default=20)
    ap.add_argument("--max-in-flight", type=int, default=None, help="default: the Poller's")
    ap.add_argument("--tiny", action="store_true", help="smoke run: 4 stations, 1 round/period")
    a = ap.parse_args(argv)
    if a.tiny:
        a.stations, a.rounds, a.periods, a.period, a.baseline_stations = 4, 1, 1, 1.0, 2
    if a.max_in_flight is None:
        from drivers.poller import DEFAULT_MAX_IN_FLIGHT

        a.max_in_flight = DEFAULT_MAX_IN_FLIGHT
    a.baseline_stations = min(a.baseline_stations, a.stations)
    print(f"machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench_city_") as td:
        tmp = Path(td)
        cfg, scen = setup(tmp, a.stations, a.rooms, a.latency_ms, a.jitter)
        sim, t_sim = start_simulator(cfg, scen)
        try:
            net = sim.network_with_endpoints(load_network(cfg))
            from drivers.poller import Poller

            tables = Poller(net).tables
            points = sum(len(t) for t in tables.values())
            reads = reads_per_scan(net, tables)
            print(
                f"network: {a.stations} stations, {points} points, {reads} reads per complete "
                f"scan, {a.latency_ms:g} ms ± {a.jitter * 100:g} % latency per request "
                f"(simulator process ready in {t_sim:.1f} s)",
                flush=True,
            )
            walls, cpus, reqs, lat = asyncio.run(poller_sweeps(net, a.rounds, a.max_in_flight))
            w, c = statistics.median(walls), statistics.median(cpus)
            print(
                f"poller sweep: complete scan {w * 1e3:.1f} ms (median of {a.rounds}, min "
                f"{min(walls) * 1e3:.1f}), {reqs / w:.0f} req/s, CPU {c * 1e3:.1f} ms per scan "
                f"({c / reqs * 1e6:.1f} µs/request), mean request latency {lat * 1e3:.1f} ms, "
                f"max in flight {a.max_in_flight}",
                flush=True,
            )
            bw, bc, breqs = asyncio.run(baseline(net, tables, a.baseline_stations))
            k = reads / breqs
            print(
                f"baseline: sequential pymodbus loop, {a.baseline_stations} stations "
                f"({breqs} reads) scaled x{k:.1f} to {reads} reads: complete scan "
                f"{bw * k * 1e3:.1f} ms, CPU {bc * k * 1e3:.1f} ms ({bc / breqs * 1e6:.1f} "
                f"µs/request)",
                flush=True,
            )
            print(f"ratio poller/baseline: wall {w / (bw * k):.4f}, CPU {c / (bc * k):.2f}")
            pp = asyncio.run(poller_periodic(net, a.period, a.periods, a.max_in_flight))
            print(
                f"poller @period: {a.period:g} s period, {a.periods} periods: CPU "
                f"{pp['cpu'] * 100:.1f} % of one core ({pp['cpu_per_period'] * 1e3:.0f} ms per "
                f"period), {pp['scans_per_period']:.0f} station scans per period, "
                f"overruns {pp['overruns']}",
                flush=True,
            )
            for history in (True, False):
                sv = asyncio.run(
                    service_periodic(
                        net, a.period, a.periods, a.max_in_flight, tmp / f"j{history}.sqlite",
                        history,
                    )
                )  # fmt: skip
                what = "with history" if history else "without history"
                print(
                    f"service @period ({what}): {a.period:g} s period, {a.periods} periods: CPU "
                    f"{sv['cpu'] * 100:.1f} % of one core; batch processing median "
                    f"{sv['batch_median'] * 1e3:.2f} ms, max {sv['batch_max'] * 1e3:.2f} ms, "
                    f"{sv['batch_per_period'] * 1e3:.1f} ms per period ({sv['batches']} batches, "
                    f"{sv['scans_per_period']:.0f} station scans per period); first complete "
                    f"scan {sv['first_complete']:.2f} s after start",
                    flush=True,
                )
                if history:
                    sv_hist = sv
        finally:
            sim.stop()
    ok_scan = w <= 1.0
    ok_cpu = sv_hist["cpu"] <= 0.20
    print(
        f"targets: complete scan ≤ 1 s: {'holds' if ok_scan else 'MISSED'} ({w:.2f} s); "
        f"console CPU ≤ 20 % at {a.period:g} s: {'holds' if ok_cpu else 'MISSED'} "
        f"({sv_hist['cpu'] * 100:.1f} % with history, {sv['cpu'] * 100:.1f} % without)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
