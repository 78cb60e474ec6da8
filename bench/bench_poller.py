"""Poller cost vs a plain sequential pymodbus loop, against a simulator in a subprocess.

    .venv/bin/python bench/bench_poller.py --stations 100 --latency-ms 20 --rounds 5

N copies of a 200-room substation (9 block reads each) are served by a simulator subprocess
(StaticPhysics, every reply held `latency_ms`). In this process, per round of "every station
scanned once":
- poller:   Poller.scan_once for all stations concurrently (global cap --max-in-flight), i.e.
            the full engine: locks, semaphore, length check, image, decode, qualities, StationScan;
- baseline: one pymodbus client per station, the same blocks read one after another, station
            after station, registers only (no decode) — the simplest correct loop.
Reported: wall time per round and this process's CPU per round, and their ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drivers.planner import plan_blocks  # noqa: E402
from drivers.points import build_point_table  # noqa: E402
from station_config.loader import load_network  # noqa: E402
from station_config.schema import NetworkDef  # noqa: E402

FIXTURE = ROOT / "tests/fixtures/small_network.yaml"

SERVER = r"""
import asyncio, json, sys
sys.path.insert(0, sys.argv[1])
from bench.bench_poller import make_network
from drivers.simulator.runner import Simulator
from drivers.simulator.static_physics import StaticPhysics

async def main():
    n, latency = int(sys.argv[2]), float(sys.argv[3])
    net = make_network(n)
    sim = Simulator(net, port=0, bind_host_override="127.0.0.1", tick_s=0.5,
                    physics=StaticPhysics(net))
    await sim.start()
    for s in net.stations:
        sim.faults.set(s.id, latency_ms=latency)
    print(json.dumps(sim.endpoints), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await sim.stop()

asyncio.run(main())
"""


def make_network(n: int) -> NetworkDef:
    base = load_network(FIXTURE)
    proto = base.station("jx-002")  # 200 rooms
    stations = [
        proto.model_copy(update={"id": f"st-{i:04d}", "host": "127.0.0.1", "port": 20000 + i})
        for i in range(n)
    ]
    return base.model_copy(update={"stations": stations})


async def bench_poller(net: NetworkDef, rounds: int, max_in_flight: int) -> tuple[float, float]:
    from drivers.poller import Poller

    p = Poller(net, max_in_flight=max_in_flight)
    ids = [s.id for s in net.stations]
    await asyncio.gather(*(p.scan_once(s) for s in ids))  # connect + warm up
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        scans = await asyncio.gather(*(p.scan_once(s) for s in ids))
        assert all(s.comm == 1 for s in scans), [s.error for s in scans if s.comm != 1][:3]
    w1, c1 = time.perf_counter(), time.process_time()
    await p.stop()
    return (w1 - w0) / rounds, (c1 - c0) / rounds


async def bench_baseline(net: NetworkDef, rounds: int) -> tuple[float, float]:
    from pymodbus.client import AsyncModbusTcpClient

    clients, blocks = [], []
    for s in net.stations:
        c = AsyncModbusTcpClient(s.host, port=s.port, timeout=2, retries=0, reconnect_delay=0)
        await c.connect()
        clients.append(c)
        blocks.append(plan_blocks(build_point_table(net.templates[s.template], s)))
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for c, bl in zip(clients, blocks, strict=True):
            for b in bl:
                rr = await c.read_holding_registers(b.start, count=b.count, device_id=1)
                assert not rr.isError()
    w1, c1 = time.perf_counter(), time.process_time()
    for c in clients:
        c.close()
    return (w1 - w0) / rounds, (c1 - c0) / rounds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=100)
    ap.add_argument("--latency-ms", type=float, default=20.0)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--baseline-rounds", type=int, default=1)
    ap.add_argument("--max-in-flight", type=int, default=64)
    a = ap.parse_args()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(ROOT), str(a.stations), str(a.latency_ms)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        endpoints = json.loads(proc.stdout.readline())
        net = make_network(a.stations)
        net = net.model_copy(
            update={
                "stations": [
                    s.model_copy(update={"host": endpoints[s.id][0], "port": endpoints[s.id][1]})
                    for s in net.stations
                ]
            }
        )
        reads = sum(
            len(plan_blocks(build_point_table(net.templates[s.template], s))) for s in net.stations
        )
        pw, pc = asyncio.run(bench_poller(net, a.rounds, a.max_in_flight))
        bw, bc = asyncio.run(bench_baseline(net, a.baseline_rounds))
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait(timeout=30)
    print(f"{a.stations} stations, {reads} reads per round, {a.latency_ms:g} ms latency")
    print(
        f"poller   : {pw * 1000:8.1f} ms/round wall, {pc * 1000:7.1f} ms CPU/round, "
        f"{pc / reads * 1e6:6.1f} µs CPU/read"
    )
    print(
        f"baseline : {bw * 1000:8.1f} ms/round wall, {bc * 1000:7.1f} ms CPU/round, "
        f"{bc / reads * 1e6:6.1f} µs CPU/read"
    )
    print(f"ratio poller/baseline: wall {pw / bw:.3f}, CPU {pc / bc:.2f}")
    full = 757 * 9 / 5.0
    print(
        f"at 757 stations x 9 reads / 5 s ({full:.0f} req/s): poller CPU ≈ "
        f"{pc / reads * full * 100:.0f} % of one core"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
