"""How many FC03 requests/s one simulator process serves, and does it keep up with full scans?

    .venv/bin/python bench/bench_simulator.py [--stations 757] [--rooms 200] [--seconds 5]

Server: `python -m drivers.simulator` in a child process (one loopback host:port per station).
Load: this process, a raw asyncio Modbus client (cheaper than any library client, so the server
is the bottleneck), one connection per station, one request in flight per connection, each
station reading its planner blocks (≈9 reads of ≤125 registers) in turn.
Baseline: the same requests against pymodbus 3.16's own ModbusTcpServer, one per station, in a
child process of this script (its datastore has no holes: slightly less work than ours).
Also: the CPU cost of one simulator tick (physics advance + re-encoding every image), in-process,
beside a same-run baseline that re-encodes station by station (the tick before the city-wide
encode), with a check that both give byte-identical images.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drivers.planner import plan_blocks  # noqa: E402
from drivers.points import build_point_table  # noqa: E402
from station_config.loader import load_network  # noqa: E402
from station_config.schema import NetworkDef  # noqa: E402

_REQ = struct.Struct(">HHHBBHH")


def make_network(stations: int, rooms: int, out_dir: Path) -> Path:
    from station_config.generator import generate_network

    path = out_dir / "bench_network.yaml"
    path.write_text(generate_network(stations, rooms, 1), encoding="utf-8")
    return path


# --- load generator -----------------------------------------------------------------------------
class _Client(asyncio.Protocol):
    """One connection; `request()` sends one FC03 and resolves when its reply has arrived."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buf = b""
        self.waiter: asyncio.Future | None = None
        self.tid = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) >= 6:
            need = 6 + struct.unpack_from(">H", self.buf, 4)[0]
            if len(self.buf) >= need:
                frame, self.buf = self.buf[:need], self.buf[need:]
                if self.waiter is not None and not self.waiter.done():
                    self.waiter.set_result(frame)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("closed"))

    async def request(self, start: int, count: int) -> bytes:
        self.tid = (self.tid + 1) & 0xFFFF
        self.waiter = asyncio.get_running_loop().create_future()
        assert self.transport is not None
        self.transport.write(_REQ.pack(self.tid, 0, 6, 1, 3, start, count))
        frame = await asyncio.wait_for(self.waiter, 10)
        if frame[7] != 3 or frame[8] != 2 * count:
            raise RuntimeError(f"bad reply to read {start}+{count}: {frame[7:9].hex()}")
        return frame


async def load(endpoints: dict[str, tuple[str, int]], net: NetworkDef, seconds: float) -> dict:
    loop = asyncio.get_running_loop()
    plans = {}
    for s in net.stations:
        table = build_point_table(net.templates[s.template], s)
        plans[s.id] = [(b.start, b.count) for b in plan_blocks(table)]
    clients = {}
    for sid, (h, p) in endpoints.items():
        _, clients[sid] = await loop.create_connection(_Client, h, p)
    n_req = sum(len(plans[sid]) for sid in clients)

    async def scan(sid: str) -> None:
        c = clients[sid]
        for start, count in plans[sid]:
            await c.request(start, count)

    # Full scans: every station's blocks, all stations at once (what the poller does per period).
    scan_s = []
    for _ in range(3):
        t0 = time.perf_counter()
        await asyncio.gather(*(scan(sid) for sid in clients))
        scan_s.append(time.perf_counter() - t0)

    # Saturated: every connection scans back to back for `seconds`.
    done = 0
    stop_at = time.perf_counter() + seconds

    async def hammer(sid: str) -> None:
        nonlocal done
        while time.perf_counter() < stop_at:
            await scan(sid)
            done += len(plans[sid])

    t0 = time.perf_counter()
    await asyncio.gather(*(hammer(sid) for sid in clients))
    rate = done / (time.perf_counter() - t0)
    for c in clients.values():
        if c.transport is not None:
            c.transport.close()
    return {"requests_per_scan": n_req, "scan_s": scan_s, "req_per_s": rate}


# --- servers in child processes -----------------------------------------------------------------
def start_child(cmd: list[str]) -> tuple[subprocess.Popen, dict[str, tuple[str, int]]]:
    # stderr dropped: pymodbus 3.16 prints a v4 deprecation notice per datastore.
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1, cwd=ROOT
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("{"):
            msg = json.loads(line)
            if msg.get("ready"):
                return proc, {k: (h, int(p)) for k, (h, p) in msg["endpoints"].items()}
    proc.wait()
    raise RuntimeError(f"{cmd[:4]} exited with {proc.returncode} before it was ready")


def stop_child(proc: subprocess.Popen) -> float:
    """Stop the child; its CPU seconds (user+sys) from /proc, read just before."""
    cpu = 0.0
    try:
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        pass
    proc.send_signal(2)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return cpu


async def serve_pymodbus(config: str) -> None:
    """Child mode: pymodbus's own TCP server per station, same hosts, ephemeral ports."""
    import signal

    from pymodbus.datastore import (
        ModbusDeviceContext,
        ModbusSequentialDataBlock,
        ModbusServerContext,
    )
    from pymodbus.server import ModbusTcpServer

    net = load_network(config)
    servers, eps = [], {}
    for s in net.stations:
        ctx = ModbusServerContext(
            devices=ModbusDeviceContext(hr=ModbusSequentialDataBlock(1, [0] * 642)), single=True
        )
        srv = ModbusTcpServer(ctx, address=(s.host, 0))
        await srv.listen()
        sock = srv.transport.sockets[0] if hasattr(srv.transport, "sockets") else None
        eps[s.id] = list(sock.getsockname()[:2]) if sock else [s.host, 0]
        servers.append(srv)
    print(json.dumps({"ready": True, "endpoints": eps}), flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    for srv in servers:
        await srv.shutdown()


# --- tick cost ----------------------------------------------------------------------------------
def _baseline_tick(sim, dt: float) -> tuple[float, float]:
    """The tick as it was before the city-wide encode, kept here only as the baseline: the same
    physics step, then one encode_image + image copy per station (what `_encode(i)` still does
    for a single station after a write). CPU seconds (tick, of which re-encoding)."""
    c0 = time.process_time()
    sim.physics.advance(dt)
    sim.sim_elapsed += dt
    sim.faults.refresh()
    c1 = time.process_time()
    for i in range(len(sim.devices)):
        sim._encode(i)
    c2 = time.process_time()
    return c2 - c0, c2 - c1


def tick_cost(net: NetworkDef, rounds: int = 7) -> dict:
    """Best-of-`rounds` CPU of the tick and of the per-station baseline, interleaved in one run;
    also checks that both leave byte-identical images."""
    from drivers.simulator.runner import Simulator
    from drivers.simulator.static_physics import StaticPhysics

    out = {}
    kinds = {"static": lambda: StaticPhysics(net)}
    try:
        from drivers.simulator.physics import NetworkPhysics

        kinds["network"] = lambda: NetworkPhysics(net, seed=0)
    except ImportError:
        pass
    for name, make in kinds.items():
        sim = Simulator(net, physics=make())
        sim.build()
        ticks, enc, base_ticks, base_enc = [], [], [], []
        identical = True
        for _ in range(rounds):
            sim.tick(1.0)
            ticks.append(sim.tick_cpu_s)
            enc.append(sim.encode_cpu_s)
            city = bytes(sim._wire)
            for i in range(len(sim.devices)):  # same values, station by station
                sim._encode(i)
            identical &= bytes(sim._wire) == city
            t, e = _baseline_tick(sim, 1.0)
            base_ticks.append(t)
            base_enc.append(e)
        out[name] = {
            "tick_cpu_ms": 1000 * min(ticks),
            "encode_cpu_ms": 1000 * min(enc),
            "baseline_tick_cpu_ms": 1000 * min(base_ticks),
            "baseline_encode_cpu_ms": 1000 * min(base_enc),
            "identical": identical,
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rooms", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--serve-pymodbus", metavar="CONFIG", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_pymodbus:
        asyncio.run(serve_pymodbus(args.serve_pymodbus))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        config = make_network(args.stations, args.rooms, Path(tmp))
        net = load_network(config)
        points = sum(len(build_point_table(net.templates[s.template], s)) for s in net.stations)
        print(f"network: {len(net.stations)} stations, {points} points, {os.cpu_count()} CPUs")

        ticks = tick_cost(net)
        for name, t in ticks.items():
            print(
                f"simulator tick ({name} physics + re-encode all {len(net.stations)} images): "
                f"{t['tick_cpu_ms']:.1f} ms CPU ({t['encode_cpu_ms']:.1f} ms of it re-encoding, "
                f"one pass over the city) | baseline, one encode per station: "
                f"{t['baseline_tick_cpu_ms']:.1f} ms ({t['baseline_encode_cpu_ms']:.1f} ms) | "
                f"{t['baseline_tick_cpu_ms'] / t['tick_cpu_ms']:.1f}x tick, "
                f"{t['baseline_encode_cpu_ms'] / t['encode_cpu_ms']:.1f}x re-encode | images "
                + ("identical" if t["identical"] else "DIFFER")
            )

        results = {}
        for name, cmd in [
            ("heatconsole", [sys.executable, "-m", "drivers.simulator", "--config", str(config),
                             "--port", "0", "--physics", "static", "--json-ready",
                             "--status-every", "3600"]),
            ("pymodbus", [sys.executable, __file__, "--serve-pymodbus", str(config)]),
        ]:  # fmt: skip
            t0 = time.perf_counter()
            proc, eps = start_child(cmd)
            startup = time.perf_counter() - t0
            try:
                r = asyncio.run(load(eps, net, args.seconds))
            finally:
                r_cpu = stop_child(proc)
            r["startup_s"] = startup
            r["server_cpu_s"] = r_cpu
            results[name] = r
            print(
                f"{name:>11}: start {startup:.1f} s | full scan of {r['requests_per_scan']} reads: "
                f"{', '.join(f'{s:.2f}' for s in r['scan_s'])} s | "
                f"saturated {r['req_per_s']:.0f} req/s | server CPU {r_cpu:.1f} s"
            )
        ours, base = results["heatconsole"], results["pymodbus"]
        print(
            f"ratio heatconsole/pymodbus: {ours['req_per_s'] / base['req_per_s']:.1f}x req/s, "
            f"full scan {min(base['scan_s']) / min(ours['scan_s']):.1f}x faster"
        )
        budget = 5.0
        verdict = "keeps up" if min(ours["scan_s"]) < budget else "does NOT keep up"
        print(
            f"a full scan every {budget:.0f} s needs {ours['requests_per_scan'] / budget:.0f} "
            f"req/s: the simulator {verdict} (scan {min(ours['scan_s']):.2f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
