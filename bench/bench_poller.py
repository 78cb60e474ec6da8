"""Issue 10: CPU per read of the poller and of the whole service vs a bare pymodbus peer.

    .venv/bin/python bench/bench_poller.py [--stations 757] [--repeats 5] [--tiny]

The full-size generated city is served by the simulator in its own process (`SimulatorProcess`,
20 ms ± 50 % latency per request, as bench_city_scan.py). Three contenders, each in a process
of its own (its own heap and garbage collector, as a separate program would have), hold their
own connections to every station and take turns (A B C A B C ..., `--repeats` rounds, so the
machine's load hits them alike) at one *sweep*: every station scanned once, all stations at
once under a global cap of 256 requests in flight:

- baseline: the bare pymodbus peer — one `AsyncModbusTcpClient` per station, the same FC03
  blocks read in order, `asyncio.gather` over the stations, each request under an
  `asyncio.Semaphore(256)`; registers only (error and length checked, nothing decoded);
- poller:   `Poller.scan_once` for every station (locks, reply checks, image, decode,
  qualities, identity, heartbeat, `StationScan`);
- service:  the same sweep through a `ConsoleService`'s own poller with what the acquisition
  server runs on each scan: live store, alarm engine, journal writer and history (compression
  on the loop, commits on its writer thread every 30 s); batches every 0.25 s as in the service.

CPU per read = CPU time / FC03 reads of the sweep. The worker's loop thread is timed per sweep
(`time.thread_time`); the journal and history writer threads only ever work for the service, so
their CPU over the measured sweeps (read from /proc, flushed at the end) is added to the
service's sweeps; the history's first commit (every series of the city named in a fresh file,
once per file) is printed apart. Medians over the repeats; ratios against the baseline's
median of the same run.

Lines (tests/bench/test_bench_poller_smoke.py checks their shape): `machine:`, `network:`,
`baseline:`, `poller:`, `service:`, `ratio poller/baseline:`, `ratio service/baseline:`,
`target:`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_city_scan import machine, setup, start_simulator  # noqa: E402

from drivers.planner import plan_blocks  # noqa: E402
from drivers.samples import CommState  # noqa: E402
from station_config.loader import load_network  # noqa: E402
from station_config.schema import NetworkDef  # noqa: E402

CAP = 256


def thread_cpu(native_id: int) -> float:
    """CPU seconds of one thread of this process (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/self/task/{native_id}/schedstat").read_text().split()
        return int(fields[0]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class Baseline:
    """The bare pymodbus peer."""

    def __init__(self, net: NetworkDef, tables: dict) -> None:
        self.net = net
        self.blocks = {s.id: [(b.start, b.count) for b in plan_blocks(tables[s.id])]
                       for s in net.stations}  # fmt: skip
        self.clients: dict = {}
        self.sem: asyncio.Semaphore | None = None

    async def open(self) -> None:
        from pymodbus.client import AsyncModbusTcpClient

        self.sem = asyncio.Semaphore(CAP)
        for s in self.net.stations:
            c = AsyncModbusTcpClient(s.host, port=s.port, timeout=2, retries=0, reconnect_delay=0)
            self.clients[s.id] = c
        for _ in range(5):  # as PollerOnly.open: again for those a loaded machine refused
            todo = [c for c in self.clients.values() if not c.connected]
            if not todo:
                return
            await asyncio.gather(*(c.connect() for c in todo))
        raise RuntimeError("baseline could not connect every station")

    async def _station(self, sid: str, unit: int) -> int:
        c, sem = self.clients[sid], self.sem
        assert sem is not None
        n = 0
        for start, count in self.blocks[sid]:
            async with sem:
                rr = await c.read_holding_registers(start, count=count, device_id=unit)
            assert not rr.isError() and len(rr.registers) == count
            n += 1
        return n

    async def sweep(self) -> int:
        got = await asyncio.gather(*(self._station(s.id, s.unit) for s in self.net.stations))
        return sum(got)

    async def close(self) -> None:
        for c in self.clients.values():
            c.close()


class PollerOnly:
    def __init__(self, net: NetworkDef) -> None:
        from drivers.poller import Poller

        self.poller = Poller(net, max_in_flight=CAP)
        self.ids = [s.id for s in net.stations]

    async def open(self) -> None:
        """Connect every station (a loaded machine may refuse a few of 757 at once: again)."""
        for attempt in range(5):
            try:
                await self.sweep()
                return
            except RuntimeError:
                if attempt == 4:
                    raise
                await asyncio.sleep(1.0)

    async def sweep(self) -> int:
        p = self.poller
        scans = await asyncio.gather(*(p.scan_once(s) for s in self.ids))
        bad = [s for s in scans if s.comm != CommState.OK]
        if bad:
            raise RuntimeError(f"{len(bad)} stations failed, e.g. {bad[0].error}")
        return sum(s.requests for s in scans)

    async def close(self) -> None:
        await self.poller.stop()


class Service(PollerOnly):
    """A ConsoleService fed by sweeps of its own poller (its periodic tasks not started)."""

    def __init__(self, net: NetworkDef, tmp: Path) -> None:
        from console.core.service import ConsoleService

        super().__init__(net)
        before = {t.native_id for t in threading.enumerate()}
        self.svc = ConsoleService(net, journal_path=tmp / "journal.sqlite", poller=self.poller)
        self.threads = [t.native_id for t in threading.enumerate() if t.native_id not in before]
        self.thread_cpu0 = sum(thread_cpu(t) for t in self.threads if t is not None)

    async def sweep(self) -> int:
        p, svc = self.poller, self.svc

        async def one(sid: str):
            scan = await p.scan_once(sid)
            svc._on_scan(scan)  # what the poller's periodic task hands the service
            return scan

        batches = asyncio.create_task(svc._batch_loop())
        try:
            scans = await asyncio.gather(*(one(s) for s in self.ids))
        finally:
            batches.cancel()
        svc.process_pending()  # the sweep's last partial batch
        bad = [s for s in scans if s.comm != CommState.OK]
        if bad:
            raise RuntimeError(f"{len(bad)} stations failed, e.g. {bad[0].error}")
        return sum(s.requests for s in scans)

    def writer_cpu(self) -> float:
        """CPU of the service's writer threads since it was built, after a flush."""
        svc = self.svc
        if svc.history is not None:
            svc.history.flush(60)
        if svc.journal is not None:
            svc.journal.flush(60)
        return sum(thread_cpu(t) for t in self.threads if t is not None) - self.thread_cpu0

    async def close(self) -> None:
        await self.svc.stop()


def _network(cfg: Path, endpoints: Path) -> NetworkDef:
    """The city with the simulator's bound host/port per station (written by the parent)."""
    eps = json.loads(endpoints.read_text())
    net = load_network(cfg)
    stations = [s.model_copy(update={"host": eps[s.id][0], "port": eps[s.id][1]})
                for s in net.stations]  # fmt: skip
    return net.model_copy(update={"stations": stations})


async def worker(name: str, cfg: Path, endpoints: Path, tmp: Path) -> None:
    """One contender in its own process (its own heap, its own garbage collector): connect,
    one warm sweep, then a sweep per `sweep` line on stdin, answering `cpu_s reads`."""
    from drivers.poller import Poller

    net = _network(cfg, endpoints)
    if name == "baseline":
        c: Baseline | PollerOnly = Baseline(net, Poller(net).tables)
    elif name == "poller":
        c = PollerOnly(net)
    else:
        c = Service(net, tmp)
    await c.open()
    await c.sweep()  # first values, compressor and alarm state, ...
    # The history's first commit names every point of the city in a fresh file (series ids,
    # ~0.4 s once per file): reported apart, the sweeps measure the steady state.
    first = 0.0
    if isinstance(c, Service):
        first = c.writer_cpu()
        c.thread_cpu0 += first
    print(f"ready {first}", flush=True)
    loop = asyncio.get_running_loop()
    try:
        while (await loop.run_in_executor(None, sys.stdin.readline)).strip() == "sweep":
            c0 = time.thread_time()
            n = await c.sweep()
            print(f"{time.thread_time() - c0} {n}", flush=True)
        print(c.writer_cpu() if isinstance(c, Service) else 0.0, flush=True)
    finally:
        await c.close()


class Worker:
    def __init__(self, name: str, cfg: Path, endpoints: Path, tmp: Path) -> None:
        self.name = name
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", name, "--config", str(cfg),
             "--endpoints", str(endpoints), "--dir", str(tmp)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.first = float(self._line().split()[1])

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.name} worker ended (exit {self.proc.wait()})")
        return line

    def _send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def sweep(self) -> tuple[float, int]:
        self._send("sweep")
        cpu, n = self._line().split()
        return float(cpu), int(n)

    def end(self) -> float:
        self._send("end")
        writers = float(self._line())
        self.proc.wait(timeout=60)
        return writers


def run(
    cfg: Path, endpoints: Path, tmp: Path, repeats: int
) -> tuple[dict, tuple[float, float], int]:
    """CPU seconds per sweep by contender, the writer threads' CPU (sweeps, first commit),
    reads per sweep. One process per contender, started one after the other (no connect
    storm of three), then taking turns."""
    workers: dict[str, Worker] = {}
    try:
        for name in ("baseline", "poller", "service"):
            workers[name] = Worker(name, cfg, endpoints, tmp)
        cpu: dict[str, list[float]] = {k: [] for k in workers}
        reads: dict[str, int] = {}
        for _ in range(repeats):
            for name, w in workers.items():
                c, reads[name] = w.sweep()
                cpu[name].append(c)
        writers = {name: w.end() for name, w in workers.items()}["service"]
    finally:
        for w in workers.values():
            if w.proc.poll() is None:
                w.proc.kill()
                w.proc.wait()
    if len(set(reads.values())) != 1:
        raise RuntimeError(f"the contenders read different blocks: {reads}")
    return cpu, (writers, workers["service"].first), reads["baseline"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rooms", type=int, default=200, help="mean rooms per station")
    ap.add_argument("--latency-ms", type=float, default=20.0)
    ap.add_argument("--jitter", type=float, default=0.5, help="± fraction of the latency")
    ap.add_argument("--repeats", type=int, default=5, help="A B C rounds (one sweep each)")
    ap.add_argument("--tiny", action="store_true", help="smoke run: 4 stations, 2 repeats")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--endpoints", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        asyncio.run(worker(a.worker, a.config, a.endpoints, a.dir))
        return 0
    if a.tiny:
        a.stations, a.repeats = 4, 2
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench_poller_") as td:
        tmp = Path(td)
        cfg, scen = setup(tmp, a.stations, a.rooms, a.latency_ms, a.jitter)
        sim, _ = start_simulator(cfg, scen)
        try:
            eps = tmp / "endpoints.json"
            eps.write_text(json.dumps(sim.endpoints))
            cpu, (writers, first), reads = run(cfg, eps, tmp, a.repeats)
        finally:
            sim.stop()
    load = os.getloadavg()[0]
    print(
        f"network: {a.stations} stations, {reads} reads per sweep, {a.latency_ms:g} ms ± "
        f"{a.jitter * 100:g} % latency per request, {a.repeats} sweeps each, interleaved",
        flush=True,
    )
    per_read = {}
    for name, xs in cpu.items():
        extra = writers / len(xs) if name == "service" else 0.0
        xs = [x + extra for x in xs]
        per_read[name] = [x / reads * 1e6 for x in xs]
        med = statistics.median(per_read[name])
        note = (
            f" (writer threads {writers / len(xs) * 1e3:.1f} ms per sweep; the history's first "
            f"commit {first * 1e3:.0f} ms once, not included)"
            if name == "service"
            else ""
        )
        print(
            f"{name}: CPU {statistics.median(xs) * 1e3:.1f} ms per sweep, {med:.1f} µs per read "
            f"(median; min {min(per_read[name]):.1f}, max {max(per_read[name]):.1f}){note}",
            flush=True,
        )
    b = statistics.median(per_read["baseline"])
    rp = statistics.median(per_read["poller"]) / b
    rs = statistics.median(per_read["service"]) / b
    # Per repeat too: each sweep against the baseline sweep just before it.
    pairs = [p / q for p, q in zip(per_read["poller"], per_read["baseline"], strict=True)]
    print(f"ratio poller/baseline: {rp:.2f} (per round {min(pairs):.2f}–{max(pairs):.2f})")
    pairs = [p / q for p, q in zip(per_read["service"], per_read["baseline"], strict=True)]
    print(f"ratio service/baseline: {rs:.2f} (per round {min(pairs):.2f}–{max(pairs):.2f})")
    print(
        f"target: poller CPU per read ≤ 1.1× the bare pymodbus peer: "
        f"{'holds' if rp <= 1.1 else 'MISSED'} ({rp:.2f}); load average {load:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
