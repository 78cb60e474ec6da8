"""Benchmark: the console window's responsiveness and start-up on the full-size network.

The parent process generates the network, runs the simulator in its own process
(SimulatorProcess, ephemeral ports on 127.0.x.y) and starts the console in a child process, so
the console's start-up is timed from its own process start and its peak RSS is its own:

1. start-up, demo network (76 stations): process start -> first complete scan drawn (every
   station has a state on the schematic, viewport painted);
2. the full network (757 stations, ~200 rooms each, ~200,000 points, 5-s polling) with a
   scenario that chills a block of stations (valve stuck closed, room alarms with no on-delay),
   so the alarm summary holds thousands of rows; then, in the same child:
   - start-up to the first complete scan drawn;
   - a QTimer probe (10 ms single shots; lateness = event-loop stall) over several scan periods
     with the overview visible, then the Alarms tab, then the Trends tab holding 10 curves x 24 h
     of 1-s data (TrendPlot.set_series); every snapshot apply in the window is timed
     (MainWindow._apply and its parts, perf_counter), and the snapshot build on the service
     thread;
   - one schematic update of all 757 stations (every symbol changing) + a synchronous repaint,
     in the window; baseline: rebuilding the scene (set_network) + the same update + repaint;
   - trend pan/zoom + synchronous repaint in the window while polling continues;
   - baseline of the stall probe: the same window and content with polling stopped (idle);
   - peak RSS (VmHWM) of the console process.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py [--periods 3]
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui.py --tiny   # smoke test, seconds

Loopback only; every simulator and child is stopped in `finally` (no orphans).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_CURVES = 10
DAY_S = 86_400


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.1f}"
    )


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def ms(x: float) -> str:
    return f"{x * 1e3:.1f}"


# =============================================================================================
# Child: the console process
# =============================================================================================


def child(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer

    from console.app import bridge as bridge_mod
    from console.app import main_window as mw
    from console.app.launch import ConsoleSession, make_app
    from drivers.samples import Quality
    from station_config.alarm_rules import AlarmConfig
    from station_config.loader import load_network

    out: dict[str, Any] = {}
    t_start = args.t0  # the parent's clock just before it spawned this process
    # Where the start-up goes: seconds from process start to each milestone.
    marks: dict[str, float] = {"imports": time.time() - t_start}
    out["startup_marks"] = marks
    drawn_at: list[float] = []
    applies: list[tuple[float, float]] = []  # (perf_counter at start, seconds) of real applies
    parts: dict[str, list[float]] = {"schematic": [], "alarm_summary": [], "banner": []}
    builds: list[float] = []  # snapshot builds on the service thread, seconds
    gcs: list[tuple[int, float]] = []  # (generation, seconds) of the cyclic GC's collections

    gc_t0 = [0.0]
    gc_gui: list[bool] = []  # per collection: it ran on the GUI thread (else: service thread)
    # per collection: CPU seconds of the collecting thread (the machine's load does not stretch
    # them; the wall time does, and the window waits the wall time)
    gc_cpu: list[float] = []
    gc_cpu0 = [0.0]

    def gc_cb(phase: str, info: dict[str, int]) -> None:
        # A collection holds the GIL throughout: every thread, the GUI's too, waits for it.
        if phase == "start":
            gc_t0[0] = time.perf_counter()
            gc_cpu0[0] = time.thread_time()
        else:
            gcs.append((info["generation"], time.perf_counter() - gc_t0[0]))
            gc_gui.append(threading.current_thread() is threading.main_thread())
            gc_cpu.append(time.thread_time() - gc_cpu0[0])

    gc.callbacks.append(gc_cb)

    orig_build = bridge_mod.build_snapshot

    def timed_build(*a: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return orig_build(*a, **kw)
        finally:
            builds.append(time.perf_counter() - t0)
            marks.setdefault("first snapshot built", time.time() - t_start)

    bridge_mod.build_snapshot = timed_build  # the bridge looks the name up at call time

    orig_apply = mw.MainWindow._apply

    def timed_apply(self: mw.MainWindow) -> None:
        if not self._dirty or self._snap is None:
            return orig_apply(self)
        t0 = time.perf_counter()
        orig_apply(self)
        applies.append((t0, time.perf_counter() - t0))
        if not drawn_at:
            sch = self.schematic
            if all(sch.station_item(s).comm != Quality.NO_DATA for s in sch.station_ids()):
                sch.viewport().repaint()  # the paint that would follow, done now to time it
                drawn_at.append(time.time())
        marks.setdefault("first apply", time.time() - t_start)

    mw.MainWindow._apply = timed_apply  # before the window connects its timer to it

    make_app()
    marks["app"] = time.time() - t_start
    net = load_network(args.config)
    eps = json.loads(Path(args.endpoints).read_text())
    net = net.model_copy(
        update={
            "stations": [
                s.model_copy(update={"host": eps[s.id][0], "port": eps[s.id][1]})
                for s in net.stations
            ]
        }
    )
    if args.fast_alarms:
        # Room alarms without on-delay: a chilled room shows up in the next scan (the console's
        # delays are wall time, the simulator runs fast).
        rules = {"room_low": {"on_delay_s": 0}, "room_critical": {"on_delay_s": 0}}
        net = net.model_copy(
            update={
                "alarms": AlarmConfig.model_validate({**net.alarms.model_dump(), "rules": rules})
            }
        )
    tmp = Path(args.dir)
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp / f"settings-{args.child}.ini"), QSettings.Format.IniFormat)
    if args.no_tune:  # the same-code baseline: glibc's dynamic mmap threshold
        import console.app.launch as launch_mod

        launch_mod.tune_malloc = lambda *a, **kw: False
    session = ConsoleSession(
        net,
        journal_path=tmp / f"journal-{args.child}.sqlite",
        user="bench",
        config_file=args.config,
        settings=settings,
        title="bench",
    )
    marks["session"] = time.time() - t_start
    if args.sqlite_soft_limit_mb >= 0:  # instead of the session's own (0: none, the baseline)
        from console.core.process_memory import limit_sqlite_heap

        limit_sqlite_heap(int(args.sqlite_soft_limit_mb * 2**20))

    def run_for(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    def run_until(cond: Any, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return True
            run_for(0.05)
        return bool(cond())

    class StallProbe(QObject):
        """10 ms single-shot timers; how late each fires is how long the loop was busy."""

        def __init__(self, interval_ms: int = 10) -> None:
            super().__init__()
            self.interval = interval_ms
            self.timer = QTimer(self)
            self.timer.setSingleShot(True)
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.timeout.connect(self._fire)
            self.late: list[float] = []
            self._armed = 0.0
            self._on = False

        def start(self) -> None:
            self.late = []
            self._on = True
            self._arm()

        def stop(self) -> list[float]:
            self._on = False
            self.timer.stop()
            return self.late

        def _arm(self) -> None:
            self._armed = time.perf_counter()
            self.timer.start(self.interval)

        def _fire(self) -> None:
            self.late.append(max(0.0, time.perf_counter() - self._armed - self.interval / 1e3))
            if self._on:
                self._arm()

    probe = StallProbe()

    def probed(seconds: float) -> dict[str, Any]:
        n_applies, n_builds, n_gcs = len(applies), len(builds), len(gcs)
        for v in parts.values():
            v.clear()
        probe.start()
        run_for(seconds)
        late = probe.stop()
        ap = [d for _, d in applies[n_applies:]]
        return {
            "seconds": seconds,
            "samples": len(late),
            "p50": pct(late, 50),
            "p99": pct(late, 99),
            "max": max(late) if late else float("nan"),
            "over_50ms": sum(1 for x in late if x > 0.05),
            "applies": len(ap),
            "apply_p50": pct(ap, 50),
            "apply_max": max(ap) if ap else float("nan"),
            "schematic_max": max(parts["schematic"], default=float("nan")),
            "summary_max": max(parts["alarm_summary"], default=float("nan")),
            "banner_max": max(parts["banner"], default=float("nan")),
            "builds": len(builds) - n_builds,
            "build_p50": pct(builds[n_builds:], 50),
            "build_max": max(builds[n_builds:], default=float("nan")),
            "gc2": sum(1 for g, _ in gcs[n_gcs:] if g == 2),
            "gc_max": max((d for _, d in gcs[n_gcs:]), default=0.0),
            # per generation: (collections, longest, total seconds, of them on the GUI thread,
            # longest in CPU seconds)
            "gc_gens": [
                (
                    len(ds := [d for g, d in gcs[n_gcs:] if g == gen]),
                    max(ds, default=0.0),
                    sum(ds),
                    sum(
                        1
                        for (g, _), gui in zip(gcs[n_gcs:], gc_gui[n_gcs:], strict=False)
                        if g == gen and gui
                    ),
                    max(
                        (
                            c
                            for (g, _), c in zip(gcs[n_gcs:], gc_cpu[n_gcs:], strict=False)
                            if g == gen
                        ),
                        default=0.0,
                    ),
                )
                for gen in range(3)
            ],
        }

    try:
        win = session.start()
        if args.no_trim:
            session.trimmer.stop()  # the same-code baseline: glibc keeps its free pages
        win.resize(1920, 1080)
        win.tabs.setCurrentIndex(mw.TAB_OVERVIEW)
        win.show()
        marks["window shown"] = time.time() - t_start

        # Sub-timings of the apply (instance attributes: _apply looks them up per call).
        def wrap(obj: Any, name: str, bucket: str) -> None:
            fn = getattr(obj, name)

            def timed(*a: Any, **kw: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return fn(*a, **kw)
                finally:
                    parts[bucket].append(time.perf_counter() - t0)

            setattr(obj, name, timed)

        wrap(win.schematic, "update_states", "schematic")
        wrap(win.alarm_summary, "set_rows", "alarm_summary")
        wrap(win.banner, "set_rows", "banner")

        if not run_until(lambda: bool(drawn_at), args.startup_timeout):
            out["error"] = "no complete scan drawn in time"
        out["startup_s"] = drawn_at[0] - t_start if drawn_at else None
        out["stations"] = len(net.stations)
        out["points"] = sum(len(t) for t in session.service.poller.tables.values())
        if args.child == "startup":
            return 0

        def leaves() -> int:
            s = win._snap
            return 0 if s is None else sum(len(r.children) or 1 for r in s.alarms)

        run_until(lambda: leaves() >= args.min_alarms, args.alarm_timeout)
        out["alarm_leaves"] = leaves()
        out["alarm_top_rows"] = len(win._snap.alarms) if win._snap else 0

        # 10 curves x 24 h of 1-s data on the window's own trend plot.
        import numpy as np

        n = args.trend_points
        rng = np.random.default_rng(1)
        t_end = time.time()
        t = t_end - n + np.arange(n, dtype=np.float64)
        units = ["°C"] * 6 + ["kPa"] * 2 + ["m³/h"] * 2
        t0 = time.perf_counter()
        for i in range(N_CURVES):
            y = 20 + 5 * np.sin(t / (3600 * (3 + i))) + np.cumsum(rng.normal(0, 0.02, n))
            q = np.zeros(n, np.uint8)
            q[n // 2 + i * 100 : n // 2 + 600 + i * 100] = Quality.COMM_FAIL
            win.trend.set_series(f"bench/p{i}", f"curve {i}", units[i], t, y, q)
        out["trend_set_s"] = time.perf_counter() - t0
        win.trend.set_follow(False)
        win.trend.set_time_range(t_end - n, t_end)

        window = args.window or args.periods * args.period
        phases = {}
        for name, tab in (
            ("overview", mw.TAB_OVERVIEW),
            ("alarms", mw.TAB_ALARMS),
            ("trends", mw.TAB_TRENDS),
        ):
            win.tabs.setCurrentIndex(tab)
            run_for(0.5)  # the tab's first paint is not part of the steady state
            phases[name] = probed(window)
        out["phases"] = phases

        # Trend pan/zoom + synchronous repaint, in the window, polling going on between steps.
        win.tabs.setCurrentIndex(mw.TAB_TRENDS)
        run_for(0.3)
        span_all = (t_end - n, t_end)
        steps = [span_all]
        for span, k in ((8 * 3600, 3), (3600, 3), (900, 2)):
            span = min(span, n / 2)
            steps += [(t_end - j * span / 2 - span, t_end - j * span / 2) for j in range(k)]
        steps.append(span_all)
        pz: list[float] = []
        for _ in range(args.repeats):
            for a, b in steps:
                t0 = time.perf_counter()
                win.trend.set_time_range(a, b)
                win.trend.plot_widget.viewport().repaint()
                pz.append(time.perf_counter() - t0)
                run_for(0.1)
        out["panzoom"] = {"n": len(pz), "p50": statistics.median(pz), "max": max(pz)}

        # One schematic update of every station (each symbol changes) + synchronous repaint.
        import dataclasses

        from console.core.events import Priority

        win.tabs.setCurrentIndex(mw.TAB_OVERVIEW)
        run_for(0.3)
        base = dict(win._snap.states) if win._snap else {}
        a_states = {k: dataclasses.replace(s, alarm=Priority.LOW) for k, s in base.items()}
        b_states = {k: dataclasses.replace(s, alarm=None) for k, s in base.items()}
        sch = win.schematic
        upd, upd_paint, rebuild = [], [], []
        orig_update = type(sch).update_states  # unwrapped: no sub-timing noise
        for i in range(args.rounds):
            st = a_states if i % 2 == 0 else b_states
            t0 = time.perf_counter()
            orig_update(sch, st)
            t1 = time.perf_counter()
            sch.viewport().repaint()
            t2 = time.perf_counter()
            upd.append(t1 - t0)
            upd_paint.append(t2 - t0)
            run_for(0.05)
            t0 = time.perf_counter()
            sch.set_network(net)
            orig_update(sch, st)
            sch.viewport().repaint()
            rebuild.append(time.perf_counter() - t0)
            run_for(0.05)
        out["schematic"] = {
            "update": statistics.median(upd),
            "update_paint": statistics.median(upd_paint),
            "update_paint_max": max(upd_paint),
            "rebuild": statistics.median(rebuild),
        }
        session.bridge.refresh()  # the next snapshot redraws the real states
        run_for(1.0)

        if args.hold_minutes > 0:
            out["hold"] = hold(
                args, win, run_for, tmp / f"hold-{args.child}.jsonl", session.trimmer
            )

        # Baseline: the same window and content, polling stopped.
        win.tabs.setCurrentIndex(mw.TAB_OVERVIEW)
        session.bridge.detach()
        session.runner.stop()
        run_for(0.5)
        out["idle"] = probed(min(window, max(5.0, window / 3)))
        return 0
    finally:
        with contextlib.suppress(OSError):
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith(("VmHWM", "VmRSS")):
                    out[line.split(":")[0]] = int(line.split()[1]) * 1024
        session.stop()
        print("RESULT " + json.dumps(out), flush=True)


def proc_status_kib(*keys: str) -> dict[str, int]:
    """VmRSS/VmHWM etc. of this process, KiB, from /proc/self/status."""
    vals: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            k = line.split(":", 1)[0]
            if k in keys:
                vals[k] = int(line.split()[1])
    return vals


def hold(
    args: argparse.Namespace, win: Any, run_for: Any, log: Path, trimmer: Any
) -> list[dict[str, Any]]:
    """--hold-minutes: keep the window polling, the visible tab cycling, and sample the RSS.

    Each sample is also appended to `log` (JSON lines) so a long run can be watched live."""
    from console.app import main_window as mw

    tabs = [("overview", mw.TAB_OVERVIEW), ("alarms", mw.TAB_ALARMS),
            ("trends", mw.TAB_TRENDS), ("journal", mw.TAB_JOURNAL)]  # fmt: skip
    samples: list[dict[str, Any]] = []
    types0 = Counter(type(o).__name__ for o in gc.get_objects())
    t0 = time.monotonic()
    end = t0 + args.hold_minutes * 60
    next_sample, next_tab, i_tab = t0, t0, 0
    while True:
        now = time.monotonic()
        if now >= next_tab and now < end:
            win.tabs.setCurrentIndex(tabs[i_tab % len(tabs)][1])
            i_tab += 1
            next_tab += args.hold_tab_s
        if now >= next_sample or now >= end:
            kib = proc_status_kib("VmRSS", "VmHWM")
            s = {
                "t_s": round(now - t0, 1),
                "tab": tabs[(i_tab - 1) % len(tabs)][0],
                "VmRSS": kib.get("VmRSS", 0) * 1024,
                "VmHWM": kib.get("VmHWM", 0) * 1024,
                "load": round(os.getloadavg()[0], 2),
                "trims": trimmer.runs,
                "trim_s": round(trimmer.seconds, 3),
                "trim_max_s": round(trimmer.longest, 4),
                **memory_breakdown(win, types0),
            }
            samples.append(s)
            with log.open("a", encoding="utf-8") as f:
                f.write(json.dumps(s) + "\n")
            next_sample += args.hold_sample_s
            if now >= end:
                return samples
        run_for(max(0.05, min(next_sample, next_tab, end) - time.monotonic()))


def memory_breakdown(win: Any, types0: Counter[str]) -> dict[str, Any]:
    """What the RSS is made of: glibc's main arena vs the threads' arenas (held from the kernel,
    free inside), Python's gc-tracked objects (and the types that grew since the hold began),
    the window's QObjects."""
    from PySide6.QtCore import QObject

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import diag_memory

    ar = diag_memory.arenas()
    types = Counter(type(o).__name__ for o in gc.get_objects())
    return {
        "main_arena_mb": round(sum(a["system_mb"] for a in ar if a["nr"] == 0), 1),
        "main_free_mb": round(sum(a["free_mb"] for a in ar if a["nr"] == 0), 1),
        "thread_arenas": sum(1 for a in ar if a["nr"] != 0),
        "thread_arena_mb": round(sum(a["system_mb"] for a in ar if a["nr"] != 0), 1),
        "thread_free_mb": round(sum(a["free_mb"] for a in ar if a["nr"] != 0), 1),
        "mmapped_mb": round(diag_memory.mallinfo()["mmapped_mb"], 1),
        "arenas": [(round(a["system_mb"], 1), round(a["free_mb"], 1)) for a in ar],
        "sqlite_mb": round(diag_memory.sqlite_mb(), 1),
        **{f"pymalloc_{k}": round(v, 1) for k, v in diag_memory.pymalloc().items()},
        "gc_objects": sum(types.values()),
        "types_grown": (types - types0).most_common(6),
        "qobjects": len(win.findChildren(QObject)),
    }


# =============================================================================================
# Parent: network, simulator, child, report
# =============================================================================================


def chill_scenario(path: Path, stations: list[str]) -> None:
    """Valve stuck closed at `stations` from the start: their rooms fall below 18 °C within
    simulated minutes, then towards 16 °C (room_low, then room_critical alarms)."""
    ids = ", ".join(stations)
    path.write_text(
        "name: bench chill\n"
        "description: a block of stations with the primary valve stuck closed\n"
        "events:\n"
        f"  - {{at: 0s, type: valve_stuck, stations: [{ids}], position_pct: 0}}\n",
        encoding="utf-8",
    )


def run_console(
    which: str,
    config: Path,
    endpoints: dict[str, tuple[str, int]],
    tmp: Path,
    extra: list[str],
    timeout: float,
) -> dict[str, Any]:
    ep = tmp / f"endpoints-{which}.json"
    ep.write_text(json.dumps(endpoints))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", which, "--config",
           str(config), "--endpoints", str(ep), "--dir", str(tmp), *extra]  # fmt: skip
    t0 = time.time()
    proc = subprocess.Popen(
        [*cmd, "--t0", repr(t0)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        raise RuntimeError(f"console child '{which}' timed out:\n{stderr[-3000:]}") from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"console child '{which}' exited {proc.returncode}:\n{stderr[-3000:]}")


def with_sim(config: Path, scenario: Path | None, speed: float, fn: Any) -> dict[str, Any]:
    from drivers.simulator.process import SimulatorProcess

    sim = SimulatorProcess(config, seed=0, speed=speed, scenario=scenario, port=0)
    sim.start()
    try:
        for host, _port in sim.endpoints.values():
            assert host.startswith("127."), host  # loopback only
        return fn(sim.endpoints)
    finally:
        sim.stop()


def verdict(x: float | None, limit: float) -> str:
    if x is None or x != x:
        return "n/a"
    return "holds" if x <= limit else "MISSED"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tiny", action="store_true", help="demo network, short windows (smoke)")
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rooms", type=int, default=200)
    ap.add_argument("--periods", type=int, default=3, help="scan periods per probe window")
    ap.add_argument("--chill", type=int, default=60, help="stations whose rooms go cold")
    ap.add_argument("--speed", type=float, default=300.0, help="simulator speed")
    ap.add_argument("--min-alarms", type=int, default=5000, help="alarm rows before measuring")
    ap.add_argument("--dir", help="work directory (default: a temporary one)")
    ap.add_argument(
        "--hold-minutes",
        type=float,
        default=0.0,
        help="after the measurements, keep the window polling this long (visible tab cycling "
        "overview/alarms/trends/journal), printing VmRSS/VmHWM every 5 min (default: off)",
    )
    # child-only
    ap.add_argument("--child", choices=["startup", "full"], help=argparse.SUPPRESS)
    ap.add_argument("--config", help=argparse.SUPPRESS)
    ap.add_argument("--endpoints", help=argparse.SUPPRESS)
    ap.add_argument("--t0", type=float, default=0.0, help=argparse.SUPPRESS)
    ap.add_argument("--fast-alarms", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument(
        "--no-trim",
        action="store_true",
        help="stop the console's periodic malloc_trim (same-code baseline for the memory curve)",
    )
    ap.add_argument(
        "--no-tune",
        action="store_true",
        help="leave glibc's mmap threshold dynamic (same-code baseline for the memory curve)",
    )
    ap.add_argument(
        "--sqlite-soft-limit-mb",
        type=float,
        default=-1.0,
        help="SQLite's soft heap limit in the console instead of the session's own (0: none, "
        "the same-code baseline for the memory curve)",
    )
    ap.add_argument("--window", type=float, default=0.0, help=argparse.SUPPRESS)
    ap.add_argument("--period", type=float, default=5.0, help=argparse.SUPPRESS)
    ap.add_argument("--trend-points", type=int, default=DAY_S, help=argparse.SUPPRESS)
    ap.add_argument("--repeats", type=int, default=2, help=argparse.SUPPRESS)
    ap.add_argument("--rounds", type=int, default=6, help=argparse.SUPPRESS)
    ap.add_argument("--startup-timeout", type=float, default=60.0, help=argparse.SUPPRESS)
    ap.add_argument("--alarm-timeout", type=float, default=120.0, help=argparse.SUPPRESS)
    ap.add_argument("--hold-sample-s", type=float, default=300.0, help=argparse.SUPPRESS)
    ap.add_argument("--hold-tab-s", type=float, default=60.0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)
    tmp = Path(args.dir or tempfile.mkdtemp(prefix="bench_gui_"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        return report(args, tmp)
    finally:
        if not args.dir:  # our own temporary directory (journals, network): leave nothing
            shutil.rmtree(tmp, ignore_errors=True)


def report(args: argparse.Namespace, tmp: Path) -> int:
    from station_config.generator import generate_network
    from station_config.loader import DEMO_CONFIG, load_network

    print(machine())

    # 1. start-up on the demo network (quiet, real time)
    demo = with_sim(
        DEMO_CONFIG, None, 1.0,
        lambda eps: run_console("startup", DEMO_CONFIG, eps, tmp, [], 120),
    )  # fmt: skip

    # 2. the full network (the demo network again with --tiny)
    if args.tiny:
        config = DEMO_CONFIG
        periods, min_alarms, chill, trend_pts = 1, 10, 4, 3600
        extra = ["--repeats", "1", "--rounds", "2", "--alarm-timeout", "6", "--window", "1.5"]
    else:
        config = tmp / "city.yaml"
        config.write_text(
            generate_network(stations=args.stations, rooms=args.rooms), encoding="utf-8"
        )
        periods, min_alarms, chill, trend_pts = args.periods, args.min_alarms, args.chill, DAY_S
        extra = []
    net = load_network(config)
    scen = tmp / "chill.yaml"
    chill_scenario(scen, [s.id for s in net.stations[:chill]])
    extra += ["--fast-alarms", "--periods", str(periods), "--min-alarms", str(min_alarms),
              "--trend-points", str(trend_pts)]  # fmt: skip
    if args.no_trim:
        extra += ["--no-trim"]
    if args.no_tune:
        extra += ["--no-tune"]
    if args.sqlite_soft_limit_mb >= 0:
        extra += ["--sqlite-soft-limit-mb", str(args.sqlite_soft_limit_mb)]
    if args.hold_minutes > 0:
        extra += ["--hold-minutes", str(args.hold_minutes), "--hold-sample-s",
                  str(args.hold_sample_s), "--hold-tab-s", str(args.hold_tab_s)]  # fmt: skip
    timeout = 900 + args.hold_minutes * 60
    full = with_sim(
        config, scen, args.speed,
        lambda eps: run_console("full", config, eps, tmp, extra, timeout),
    )  # fmt: skip

    n_st, n_pts = full.get("stations", 0), full.get("points", 0)
    print(f"network: {n_st} stations, {n_pts} points, 5-s polling, {chill} stations chilled")
    print(
        f"alarm summary: {full.get('alarm_leaves', 0)} alarms in {full.get('alarm_top_rows', 0)} "
        f"top-level rows; trend: {N_CURVES} curves x {trend_pts} points"
    )
    idle = full.get("idle", {})
    for name, ph in full.get("phases", {}).items():
        ratio = ph["p99"] / max(idle.get("p99", 1.0), 1e-4)
        print(
            f"stall, {name} visible, {ph['seconds']:.0f} s: p50 {ms(ph['p50'])} ms, "
            f"p99 {ms(ph['p99'])} ms, max {ms(ph['max'])} ms ({ph['over_50ms']} > 50 ms of "
            f"{ph['samples']}) | baseline idle window: p99 {ms(idle.get('p99', 0))} ms, max "
            f"{ms(idle.get('max', 0))} ms | ratio p99 {ratio:.1f}"
            f" | targets p99 <= 50 ms: {verdict(ph['p99'], 0.05)}, max <= 200 ms: "
            f"{verdict(ph['max'], 0.2)}"
        )
        print(
            f"  applies, {name}: {ph['applies']} (p50 {ms(ph['apply_p50'])} ms, max "
            f"{ms(ph['apply_max'])} ms; schematic max {ms(ph['schematic_max'])} ms, alarm "
            f"summary max {ms(ph['summary_max'])} ms, banner max {ms(ph['banner_max'])} ms); "
            f"snapshot builds on the service thread: {ph['builds']} (p50 "
            f"{ms(ph['build_p50'])} ms, max {ms(ph['build_max'])} ms); cyclic GC: "
            f"{ph['gc2']} full collections, longest collection {ms(ph['gc_max'])} ms"
        )
        gens = ph.get("gc_gens")
        if gens:
            print(
                "    cyclic GC per generation (collections, longest, total, on the GUI thread; "
                "longest in CPU time): "
                + "; ".join(
                    f"gen{g} {n}, {ms(mx)} ms, {ms(tot)} ms, {gui} GUI; CPU {ms(cpu)} ms"
                    for g, (n, mx, tot, gui, *rest) in enumerate(gens)
                    for cpu in (rest[0] if rest else float("nan"),)
                )
            )
    sch = full.get("schematic", {})
    if sch:
        print(
            f"schematic in the window, update_states of {n_st} stations (all changing): "
            f"{ms(sch['update'])} ms, + repaint {ms(sch['update_paint'])} ms (max "
            f"{ms(sch['update_paint_max'])} ms) | baseline rebuild scene + repaint: "
            f"{ms(sch['rebuild'])} ms | ratio {sch['update_paint'] / sch['rebuild']:.3f} | "
            f"target <= 20 ms: {verdict(sch['update'], 0.02)} (update), "
            f"{verdict(sch['update_paint'], 0.02)} (with repaint)"
        )
    pz = full.get("panzoom", {})
    if pz:
        print(
            f"trend pan/zoom + repaint in the window ({pz['n']} steps, polling): median "
            f"{ms(pz['p50'])} ms, max {ms(pz['max'])} ms | target <= 50 ms: "
            f"{verdict(pz['max'], 0.05)} (max)"
        )
    print(
        f"start-up to first complete scan drawn: demo ({demo.get('stations')} stations) "
        f"{demo.get('startup_s') or float('nan'):.2f} s (target <= 3 s: "
        f"{verdict(demo.get('startup_s'), 3.0)}), full ({n_st} stations) "
        f"{full.get('startup_s') or float('nan'):.2f} s (target <= 10 s: "
        f"{verdict(full.get('startup_s'), 10.0)})"
    )
    for which, res in (("demo", demo), ("full", full)):
        mk = sorted(res.get("startup_marks", {}).items(), key=lambda kv: kv[1])
        print(f"  start-up milestones, {which}: " + ", ".join(f"{k} {v:.2f} s" for k, v in mk))
    hwm = full.get("VmHWM", 0) / 2**20
    print(
        f"peak RSS of the console process (VmHWM): {hwm:.0f} MiB full, "
        f"{demo.get('VmHWM', 0) / 2**20:.0f} MiB demo | target <= 1.5 GB: "
        f"{verdict(full.get('VmHWM', 0) / 1e9, 1.5)}"
    )
    held = full.get("hold", [])
    if held:
        print_hold(held)
    for what, res in (("demo", demo), ("full", full)):
        if res.get("error"):
            print(f"error ({what}): {res['error']}")
    return 0


def fit_slope(samples: list[dict[str, Any]], value: Any) -> float:
    """Least-squares slope of value(sample) per minute: single samples jump with the trimmer's
    phase and the snapshot in flight, a fit over many is steadier than two end points."""
    if len(samples) < 2:
        return float("nan")
    t = [s["t_s"] / 60 for s in samples]
    y = [value(s) for s in samples]
    tm, ym = statistics.fmean(t), statistics.fmean(y)
    var = sum((a - tm) ** 2 for a in t)
    return sum((a - tm) * (b - ym) for a, b in zip(t, y, strict=True)) / var if var else 0.0


def print_hold(held: list[dict[str, Any]]) -> None:
    """The --hold-minutes curve and its peak (1.5 GB = 1.5e9 bytes, as the line above)."""
    mib = 2**20
    for s in held:
        print(
            f"hold, {s['t_s'] / 60:.1f} min, {s['tab']} visible: VmRSS {s['VmRSS'] / mib:.0f} "
            f"MiB, VmHWM {s['VmHWM'] / mib:.0f} MiB · glibc main arena {s['main_arena_mb']:.0f} "
            f"MiB ({s['main_free_mb']:.0f} free), thread arenas {s['thread_arena_mb']:.0f} MiB "
            f"({s['thread_free_mb']:.0f} free), SQLite {s['sqlite_mb']:.0f} MiB, "
            f"pymalloc {s.get('pymalloc_arenas_mb', 0):.0f} MiB "
            f"({s.get('pymalloc_used_mb', 0):.0f} in objects), "
            f"{s['gc_objects']} gc objects, {s['qobjects']} QObjects · load {s['load']:.1f}"
        )
    half = [s for s in held if s["t_s"] >= held[-1]["t_s"] / 2]
    dt = half[-1]["t_s"] - half[0]["t_s"]
    slope = (half[-1]["VmRSS"] - half[0]["VmRSS"]) / dt * 60 / mib if dt > 0 else 0.0
    peak = max(s["VmHWM"] for s in held)
    print(
        f"peak RSS after {held[-1]['t_s'] / 60:.1f} more min of polling with the window, tabs "
        f"cycling (VmHWM): {peak / mib:.0f} MiB (VmRSS {held[-1]['VmRSS'] / mib:.0f} MiB at the "
        f"end, growth {slope:.2f} MiB/min over the second half) | target <= 1.5 GB: "
        f"{verdict(peak / 1e9, 1.5)}"
    )
    late = [s for s in held if s["t_s"] >= held[-1]["t_s"] - 1800]
    rss = fit_slope(late, lambda s: s["VmRSS"] / mib)
    limit = 20e6 / mib / 420  # the target, <= 20 MB from the first hour to the eighth
    print(
        f"least-squares slope over the last {(late[-1]['t_s'] - late[0]['t_s']) / 60:.0f} min: "
        f"VmRSS {rss:+.2f} MiB/min, glibc arenas "
        f"{fit_slope(late, lambda s: s['main_arena_mb'] + s['thread_arena_mb']):+.2f}, mmapped "
        f"{fit_slope(late, lambda s: s['mmapped_mb']):+.2f}, SQLite heap "
        f"{fit_slope(late, lambda s: s['sqlite_mb']):+.2f} | target <= {limit:.3f} MiB/min "
        f"(20 MB over 7 h): {verdict(rss, limit)}"
    )
    last = held[-1]
    print(
        f"malloc_trim over the hold: {last['trims']} calls, {last['trim_s']:.2f} s in all "
        f"(longest {last['trim_max_s'] * 1000:.0f} ms)"
    )
    after = [s for s in held if s["t_s"] >= 3600]
    if len(after) >= 2:
        grew = (after[-1]["VmRSS"] - after[0]["VmRSS"]) / 1e6
        print(
            f"growth after the first hour: {grew:.0f} MB over {(after[-1]['t_s'] - 3600) / 60:.0f}"
            f" min (VmRSS) | target <= 20 MB: {verdict(grew, 20)}"
        )


if __name__ == "__main__":
    sys.exit(main())
