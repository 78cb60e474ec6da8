"""Issue 10: the control room at full city — an acquisition server, a real Mosquitto, consoles.

    .venv/bin/python bench/bench_control_room.py [--stations 757] [--acks 200] [--tiny]
        [--cpu-periods 3] [--cpu-window-s S] [--hold-s 60] [--rss-start-s 10] [--scale-out 2500]
        [--scale-out-periods 3] [--only-scale-out] [--octet N] [--sim-speed 1]

Generates the city (757 stations, ~200 rooms each), starts the simulator in its own process with
both pumps failed at 40 stations from t = 0 (so there are alarms to acknowledge), a real Mosquitto
(password + ACL files from a user store, as `heatconsole users` writes them) and `heatconsole
server` as a subprocess (its CPU is read from /proc), and measures, each beside a baseline in the
same run:

- join: a console session connects and has every station's state (the retained messages) —
  seconds, beside a bare paho client that subscribes to the same retained topics and counts them;
- ack A -> B: seat A's session acknowledges one alarm; seat B is a thin console's window
  (offscreen): the time until B's alarm list shows the alarm acknowledged — p50/p99 ms, beside a
  bare paho publish A -> receive B through the same broker (the transport's floor);
- server CPU at the 5 s period with 0, 1, 2 and 4 consoles subscribed — % of one core; the
  baseline is the same server with none, measured once the server is past its start-up (its
  first history commit, --settle-s after start); the simulator's own CPU and the load average
  are printed beside it (the simulator and other sessions share the 2 cores);
- thin console RSS: `heatconsole run --server` (offscreen window, logged in) held for --hold-s,
  VmRSS every 10 s, growth after the first sample, beside the alarms published at the start and
  the end (the console holds them all: the failed pumps' rooms go into alarm 70-140 minutes
  after the simulator starts, so a long hold's curve rises with them; with --sim-speed 60 they are
  all in alarm within minutes, and a hold started after that measures the console, not the count);
- scale-out (with --scale-out N): N stations split over two server processes by district over
  3 periods: per server, the scans it made against stations x periods, the ticks it missed
  (overruns) and its worst tick -> scan done (the sweep keeps the period while that stays under
  it), from the poll timing in its status; the states a console received per station; each
  server's CPU and the simulator's (all on the same cores).

The stations listen on 127.<octet>.X.Y (default: an octet of this process's own, so two runs on
one machine do not take each other's addresses).

Every line starts with a fixed label; tests/bench/test_bench_control_room_smoke.py runs --tiny.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import paho.mqtt.client as mqtt  # noqa: E402
from paho.mqtt.enums import CallbackAPIVersion  # noqa: E402

from console.control_room.broker_process import Mosquitto  # noqa: E402
from console.control_room.certificates import Pki  # noqa: E402
from console.core.events import AlarmState  # noqa: E402
from console.remote import codec, topics  # noqa: E402
from console.remote.link import BrokerAddress  # noqa: E402
from console.remote.session import RemoteSession  # noqa: E402
from console.server.server import STATUS_EVERY_S  # noqa: E402
from drivers.simulator.process import SimulatorProcess  # noqa: E402
from station_config.generator import generate_network  # noqa: E402
from station_config.loader import load_network  # noqa: E402

PW = "bench password 1"
PERIOD = 5.0  # the generated network's scan period
CONSOLES = ("op1", "op2", "op3", "op4")


def city(stations: int, rooms: int, seed: int, octet: int) -> str:
    """The generated network on its own loopback block (127.<octet>.X.Y)."""
    return generate_network(stations, rooms, seed).replace("host: 127.0.", f"host: 127.{octet}.")


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def scenario(stations: list[str]) -> str:
    lines = ["name: bench pumps", "description: both pumps failed at some stations", "events:"]
    lines += [f"  - {{at: 0s, type: pump_fault, station: {s}, pump: both}}" for s in stations]
    return "\n".join(lines) + "\n"


def cpu_s(pid: int) -> float:
    """utime + stime of a process (all its threads), seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(cfg: Path, broker: Mosquitto, tmp: Path, partition: str | None, name: str):
    cmd = [
        sys.executable, "-m", "console.cli", "server", "--config", str(cfg), "--broker",
        broker.url, "--login", "srv", "--users", str(broker.store.path), "--journal",
        str(tmp / f"{name}.sqlite"),
    ]  # fmt: skip
    if partition:
        cmd += ["--partition", partition]
    env = {**os.environ, "HEATCONSOLE_BROKER_PASSWORD": PW, "QT_QPA_PLATFORM": "offscreen"}
    log = (tmp / f"{name}.log").open("w")
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def start_broker(d: Path) -> Mosquitto:
    """A real Mosquitto with the password and ACL files of a user store (server + consoles)."""
    broker = Mosquitto(d / "broker", Pki.create(d / "pki"))
    broker.store.add("srv", PW, "server")
    for u in CONSOLES:
        broker.store.add(u, PW, "operator")
    broker.write_files()
    broker.start()
    return broker


def session(broker: Mosquitto, user: str) -> RemoteSession:
    s = RemoteSession(BrokerAddress.parse(broker.url), user, PW)
    s.start()
    return s


def bare_join(broker: Mosquitto, n_stations: int, timeout: float = 60.0) -> float:
    """Baseline: a bare paho client gets every retained station state."""
    got: set[str] = set()
    done = threading.Event()

    def on_message(_c, _u, msg) -> None:
        got.add(msg.topic)
        if len(got) >= n_stations:
            done.set()

    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"bare-{uuid.uuid4().hex[:6]}",
                    protocol=mqtt.MQTTv5)  # fmt: skip
    c.username_pw_set("op1", PW)
    c.on_message = on_message
    c.on_connect = lambda cl, *_: cl.subscribe(f"{topics.ROOT}/state/+", 0)
    t0 = time.perf_counter()
    c.connect(broker.host, broker.port)
    c.loop_start()
    done.wait(timeout)
    dt = time.perf_counter() - t0
    c.disconnect()
    c.loop_stop()
    return dt


def measure_join(broker: Mosquitto, n: int, repeats: int) -> tuple[list[float], list[float]]:
    from console.app.adapters import build_snapshot

    ours, bare = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        s = session(broker, "op1")
        ok = s.wait_complete(30.0)
        if ok:  # ... and the first snapshot of the whole city built from it (the window's input)
            s.call(build_snapshot, s.picture).result(30)
        ours.append(time.perf_counter() - t0 if ok else float("inf"))
        s.stop()
        bare.append(bare_join(broker, n))
    return ours, bare


def window_seat(broker: Mosquitto, user: str):
    """Seat B as the dispatcher has it: a thin console's window (offscreen), in this thread."""
    from console.app.launch import RemoteConsoleSession, make_app

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_app()
    console = RemoteConsoleSession(RemoteSession(BrokerAddress.parse(broker.url), user, PW))
    win = console.start()
    win.show()
    return app, console, win


def measure_acks(a: RemoteSession, app, win, n: int) -> list[float]:
    """Seat A acknowledges one alarm at a time (at a random moment); the time until seat B's
    window puts that alarm's row on screen as acknowledged."""
    import random

    seen: dict[str, float] = {}
    original = win.alarm_summary.set_rows

    def set_rows(rows) -> None:  # the window applying a snapshot (GUI thread)
        original(rows)
        now = time.perf_counter()
        for r in rows:
            for c in r.children or (r,):
                if c.state is AlarmState.ACK and c.key not in seen:
                    seen[c.key] = now

    win.alarm_summary.set_rows = set_rows
    out = []
    rng = random.Random(1)
    for _ in range(n):
        unacked = [
            v for views in a.mirror.alarms.values() for v in views
            if v.state is AlarmState.UNACK and v.key not in seen
        ]  # fmt: skip
        if not unacked:
            break
        end = time.monotonic() + rng.uniform(0.0, 0.5)  # not in step with any timer
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.002)
        key = unacked[0].key
        part = a.partition_of(key.split("/")[0]) or "all"
        t0 = time.perf_counter()
        a.request("acknowledge", {"keys": [key]}, part)
        end = time.monotonic() + 5
        while key not in seen and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.001)
        if key in seen:
            out.append((seen[key] - t0) * 1000)
    win.alarm_summary.set_rows = original
    return out


def bare_round_trips(broker: Mosquitto, n: int) -> list[float]:
    """Baseline: paho publish on A -> delivered to B through the same broker."""
    got = threading.Event()
    a = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bare-a", protocol=mqtt.MQTTv5)
    b = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bare-b", protocol=mqtt.MQTTv5)
    for c in (a, b):
        c.username_pw_set("srv", PW)
    topic = f"{topics.ROOT}/status/bare-rtt"
    subscribed = threading.Event()
    b.on_message = lambda *_: got.set()
    b.on_subscribe = lambda *_: subscribed.set()
    b.on_connect = lambda cl, *_: cl.subscribe(topic, 0)
    for c in (a, b):
        c.connect(broker.host, broker.port)
        c.loop_start()
    subscribed.wait(10)
    time.sleep(0.2)
    out = []
    for _ in range(n):
        got.clear()
        t0 = time.perf_counter()
        a.publish(topic, b"x", qos=0)
        if got.wait(5):
            out.append((time.perf_counter() - t0) * 1000)
    for c in (a, b):
        c.disconnect()
        c.loop_stop()
    return out


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def server_cpu(pid: int, seconds: float, sim_pid: int | None = None) -> tuple[float, float]:
    """% of one core of the server over `seconds`, and of the simulator (0 if not given)."""
    pids = [pid] + ([sim_pid] if sim_pid else [])
    c0, w0 = [cpu_s(p) for p in pids], time.perf_counter()
    time.sleep(seconds)
    w = time.perf_counter() - w0
    pcts = [(cpu_s(p) - c) / w * 100 for p, c in zip(pids, c0, strict=True)]
    return pcts[0], (pcts[1] if sim_pid else 0.0)


def watcher(broker: Mosquitto, topic: str, on_message: Callable[..., None]) -> mqtt.Client:
    """A bare paho client of the bench's own (user op4) reading `topic`, running."""
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"watch-{uuid.uuid4().hex[:6]}",
                    protocol=mqtt.MQTTv5)  # fmt: skip
    c.username_pw_set("op4", PW)
    c.on_message = on_message
    c.on_connect = lambda cl, *_: cl.subscribe(topic, 0)
    c.connect(broker.host, broker.port)
    c.loop_start()
    return c


class AlarmWatch:
    """How many alarms the servers publish right now (a bare paho client, retained included):
    a thin console holds every one of them, so its memory follows this count (BENCHMARKS.md:
    the pumps-failed stations' rooms cross their low limit 70-140 minutes into the run)."""

    def __init__(self, broker: Mosquitto) -> None:
        self._count: dict[str, int] = {}
        self._lock = threading.Lock()
        self.c = watcher(broker, f"{topics.ROOT}/alarms/+", self._on_message)

    def _on_message(self, _c, _u, msg) -> None:
        doc = codec.loads(msg.payload, "alarms") if msg.payload else {}
        with self._lock:
            self._count[msg.topic] = len(doc.get("alarms") or ())

    @property
    def alarms(self) -> int:
        with self._lock:
            return sum(self._count.values())

    def stop(self) -> None:
        self.c.disconnect()
        self.c.loop_stop()


def thin_console_rss(
    broker: Mosquitto, tmp: Path, hold_s: float, start_s: float
) -> tuple[list[float], list[int]]:
    """The console's RSS every 10 s (MB), and the alarms published at each sample."""
    env = {**os.environ, "HEATCONSOLE_PASSWORD": PW, "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp / "xdg")}  # fmt: skip
    cmd = [sys.executable, "-m", "console.cli", "run", "--server", broker.url, "--login", "op2"]
    log = (tmp / "console.log").open("w")
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    watch = AlarmWatch(broker)
    samples: list[float] = []
    alarms: list[int] = []
    try:
        time.sleep(start_s)  # its start-up, before the first sample
        end = time.monotonic() + hold_s
        while time.monotonic() < end and p.poll() is None:
            samples.append(rss_mb(p.pid))
            alarms.append(watch.alarms)
            if hold_s >= 1200 and len(samples) % 60 == 1:  # the curve every 10 min, long holds
                print(f"thin console rss at {10 * (len(samples) - 1):.0f} s: {samples[-1]:.0f} MB"
                      f" · {alarms[-1]} alarms published", flush=True)  # fmt: skip
            time.sleep(min(10.0, max(0.5, end - time.monotonic())))
        if p.poll() is None:
            samples.append(rss_mb(p.pid))
            alarms.append(watch.alarms)
    finally:
        watch.stop()
        p.terminate()
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
    return samples, alarms


class StatusWatch:
    """Every status message of every server (a bare paho client): the poll timing in each is
    the server's own account of its sweep since the previous one."""

    def __init__(self, broker: Mosquitto) -> None:
        self.docs: list[tuple[float, dict]] = []
        self._lock = threading.Lock()
        self.c = watcher(broker, f"{topics.ROOT}/status/+", self._on_message)

    def _on_message(self, _c, _u, msg) -> None:
        if msg.retain:
            return  # an old one
        doc = codec.loads(msg.payload, "status")
        with self._lock:
            self.docs.append((time.monotonic(), doc))

    def since(self, t0: float) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        with self._lock:
            for t, d in self.docs:
                if t >= t0 and d.get("poll"):
                    out.setdefault(d["partition"], []).append(d)
        return out

    def stop(self) -> None:
        self.c.disconnect()
        self.c.loop_stop()


def sweep_line(name: str, docs: list[dict]) -> str:
    """One server's sweep over the window from its status messages (first one: the start)."""
    if len(docs) < 2:
        return f"{name}: no poll timing received"
    a, b = docs[0]["poll"], docs[-1]["poll"]
    scans, missed = b["scans"] - a["scans"], b["overruns"] - a["overruns"]
    worst = max(d["poll"]["worst_s"] for d in docs[1:])
    late = max(d["poll"]["worst_late_s"] for d in docs[1:])
    span = docs[-1]["time"] - docs[0]["time"]
    want = b["stations"] * span / PERIOD
    return (
        f"{name}: {b['stations']} stations · {scans} scans in {span:.1f} s ({want:.0f} due) · "
        f"{missed} ticks missed · worst tick->done {worst:.2f} s (its start {late:.2f} s late)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rooms", type=int, default=200)
    ap.add_argument("--acks", type=int, default=200)
    ap.add_argument("--joins", type=int, default=3)
    ap.add_argument("--cpu-periods", type=int, default=3)
    ap.add_argument("--cpu-window-s", type=float, default=None,
                    help="each CPU window in seconds (default: --cpu-periods periods)")  # fmt: skip
    ap.add_argument("--hold-s", type=float, default=60.0)
    ap.add_argument("--sim-speed", type=float, default=1.0, help="simulated seconds per second")
    ap.add_argument("--rss-start-s", type=float, default=10.0,
                    help="thin console start-up before its first RSS sample, s")  # fmt: skip
    ap.add_argument("--settle-s", type=float, default=45.0,
                    help="seconds after the server's start before its CPU is measured")  # fmt: skip
    ap.add_argument("--scale-out", type=int, default=0, metavar="N")
    ap.add_argument("--scale-out-periods", type=int, default=3,
                    help="periods the scale-out is watched for, after settling")  # fmt: skip
    ap.add_argument("--only-scale-out", action="store_true", help="skip the 757-station part")
    ap.add_argument("--octet", type=int, default=1 + os.getpid() % 250,
                    help="the stations listen on 127.<octet>.X.Y")  # fmt: skip
    ap.add_argument("--tiny", action="store_true",
                    help="30 stations, few samples, scale-out of 40 (smoke test)")  # fmt: skip
    args = ap.parse_args(argv)
    if args.tiny:  # every figure printed once, from windows far too short to judge it
        args.stations, args.rooms, args.acks, args.joins = 30, 20, 10, 1
        args.cpu_periods, args.cpu_window_s, args.settle_s = 1, 1.0, 0.0
        args.hold_s, args.rss_start_s = 2.0, 3.0
        args.scale_out, args.scale_out_periods = args.scale_out or 40, 1
    if args.cpu_window_s is None:
        args.cpu_window_s = PERIOD * args.cpu_periods
    if not 1 <= args.octet <= 254:
        ap.error("--octet must be 1..254")
    with tempfile.TemporaryDirectory(prefix="bench-cr-") as d:
        tmp = Path(d)
        if not args.only_scale_out:
            broker = start_broker(tmp / "city")
            try:
                rc = city_room(args, broker, tmp)
            finally:
                broker.stop()
            if rc:
                return rc
        if args.scale_out:
            # A broker of its own: the city's retained states and description would otherwise
            # stand in for the scale-out's (the same station ids).
            broker = start_broker(tmp / "scale")
            try:
                scale_out(args.scale_out, args.rooms, broker, tmp, args.octet,
                          args.scale_out_periods)  # fmt: skip
            finally:
                broker.stop()
        print(
            "targets: join <= 3 s, ack A->B p99 <= 500 ms, server <= 20 % of a core with 4 "
            "consoles and <= 1 % per console, thin console <= 400 MB, scale-out: every station "
            "every period"
        )
    return 0


def city_room(args: argparse.Namespace, broker: Mosquitto, tmp: Path) -> int:
    period = PERIOD
    cfg = tmp / "city.yaml"
    cfg.write_text(city(args.stations, args.rooms, 1, args.octet), encoding="utf-8")
    net = load_network(cfg)
    ids = [s.id for s in net.stations]
    scen = tmp / "pumps.yaml"
    scen.write_text(scenario(ids[:: max(1, len(ids) // 40)][:40]), encoding="utf-8")
    n_rooms = sum(s.rooms for s in net.stations)
    print(f"network: {len(ids)} stations, {n_rooms} rooms, period {period:g} s")
    # Configured endpoints (each station on its own 127.<octet>.X.Y:1502): the server
    # subprocess reads the same file.
    sim = SimulatorProcess(cfg, scenario=scen, port=None, ready_timeout=180, speed=args.sim_speed)
    sim.start()
    srv = start_server(cfg, broker, tmp, None, "server")
    started = time.monotonic()
    sessions: list[RemoteSession] = []
    try:
        probe = session(broker, "op1")
        if not probe.wait_complete(120):
            print("error: the server did not publish every station in 120 s")
            return 1
        probe.stop()
        # Past start-up (point tables, first connects, the history's first commit creating
        # every series): the period's own cost is what the target is about.
        # (Not even a period when --settle-s is 0: the tiny run's figures are not judged.)
        time.sleep(max(min(period, args.settle_s), started + args.settle_s - time.monotonic()))

        cpu0, sim0 = server_cpu(srv.pid, args.cpu_window_s, sim.pid)
        cpus, sims, loads = {0: cpu0}, {0: sim0}, {0: load()}
        ours, bare = measure_join(broker, len(ids), args.joins)
        mo, mb = statistics.median(ours), statistics.median(bare)
        print(
            f"join: full city in {mo:.2f} s median (max {max(ours):.2f} s, {len(ours)} "
            f"joins) · bare paho retained {mb:.2f} s · ratio {mo / max(mb, 1e-9):.1f} · "
            f"load {load()}"
        )
        for n in (1, 2, 4):
            while len(sessions) < n:
                s = session(broker, CONSOLES[len(sessions)])
                s.wait_complete(60)
                sessions.append(s)
            cpus[n], sims[n] = server_cpu(srv.pid, args.cpu_window_s, sim.pid)
            loads[n] = load()
        per = (cpus[4] - cpus[0]) / 4
        print(
            "server cpu: "
            + " · ".join(f"{n} consoles {c:.1f} % (load {loads[n]})" for n, c in cpus.items())
            + f" of one core · per added console {per:+.2f} % · baseline (none) {cpu0:.1f} %"
        )
        print(
            "simulator cpu (same cores, same windows): "
            + " · ".join(f"{c:.1f} %" for c in sims.values())
        )
        a = sessions[0]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(
            v.state is AlarmState.UNACK for vs in a.mirror.alarms.values() for v in vs
        ):
            time.sleep(0.5)
        app, seat_b, win = window_seat(broker, "op2")
        try:
            lat = measure_acks(a, app, win, args.acks)
        finally:
            seat_b.stop()
        rtt = bare_round_trips(broker, max(20, len(lat)))
        print(
            f"ack A->B window: p50 {pct(lat, 0.5):.0f} ms · p99 {pct(lat, 0.99):.0f} ms · max "
            f"{max(lat, default=float('nan')):.0f} ms ({len(lat)} acks) · bare paho A->B "
            f"p50 {pct(rtt, 0.5):.2f} ms p99 {pct(rtt, 0.99):.2f} ms"
        )
        for s in sessions:
            s.stop()
        sessions.clear()
        rss, alarms = thin_console_rss(broker, tmp, args.hold_s, args.rss_start_s)
        growth = rss[-1] - rss[0] if rss else float("nan")
        print(
            f"thin console rss: {rss[0] if rss else float('nan'):.0f} MB at start · "
            f"{max(rss, default=float('nan')):.0f} MB peak · {growth:+.1f} MB over "
            f"{args.hold_s:.0f} s ({len(rss)} samples) · alarms published "
            f"{alarms[0] if alarms else 0} at start, {alarms[-1] if alarms else 0} at the end"
        )
    finally:
        for s in sessions:
            s.stop()
        srv.terminate()
        try:
            srv.wait(30)
        except subprocess.TimeoutExpired:
            srv.kill()
        sim.stop()
    return 0


def scale_out(n: int, rooms: int, broker: Mosquitto, tmp: Path, octet: int, periods: int) -> None:
    period = PERIOD
    cfg = tmp / "big.yaml"
    cfg.write_text(city(n, rooms, 2, octet), encoding="utf-8")
    net = load_network(cfg)
    districts = sorted({s.district for s in net.stations})
    half = len(districts) // 2
    parts = [f"a=district:{','.join(districts[:half])}", f"b=district:{','.join(districts[half:])}"]
    sim = SimulatorProcess(cfg, port=None, ready_timeout=300)
    sim.start()
    servers = [start_server(cfg, broker, tmp, p, f"scale-{i}") for i, p in enumerate(parts)]
    watch = StatusWatch(broker)
    try:
        s = session(broker, "op3")
        ok = s.wait_complete(180)
        time.sleep(min(2, periods) * period)  # past the first sweep's burst

        def counts() -> dict[str, int]:
            return s.call(lambda: {k: st.scans for k, st in s.mirror.live.stations.items()}).result(
                10
            )

        counts0 = counts()
        procs = [*servers, sim.proc]
        c0 = [cpu_s(p.pid) for p in procs]
        w0, t0 = time.perf_counter(), time.monotonic() - 0.1
        time.sleep(period * periods + STATUS_EVERY_S + 0.5)  # the closing status included
        counts1 = counts()
        w = time.perf_counter() - w0
        cpu = [(cpu_s(p.pid) - c) / w * 100 for p, c in zip(procs, c0, strict=True)]
        every = sum(1 for k in counts1 if counts1[k] - counts0.get(k, 0) >= periods)
        s.stop()
        print(
            f"scale-out: {n} stations over 2 servers · complete {ok} · a console received "
            f"{every}/{len(counts1)} stations' states every period over {periods} periods · "
            f"server cpu {cpu[0]:.0f} % and {cpu[1]:.0f} % · simulator cpu {cpu[2]:.0f} % · "
            f"load {load()}"
        )
        docs = watch.since(t0)
        for name in sorted(docs):
            print(f"scale-out sweep {sweep_line(name, docs[name])}")
    finally:
        watch.stop()
        for p in servers:
            p.terminate()
            p.wait(30)
        sim.stop()


if __name__ == "__main__":
    sys.exit(main())
