"""Benchmark: the snapshot build on the service thread (console/app/adapters.build_snapshot).

The city network (`generate_network`, 757 stations, ~200 rooms each) in a ConsoleService fed
synthetic scans (no simulator, no window): a cold block of stations (`--chill`, rooms at
15–17.9 °C, room alarms without on-delay, so thousands of alarm rows), then batches as the
5-s polling gives them (757 / 20 stations per 0.25-s batch, the cold rooms' values moving).
After each batch, one `build_snapshot` with the bridge's SnapshotCache (the cyclic GC paused
as the bridge pauses it, the set-up's objects frozen as the session freezes its own), timed
whole and per part (the adapters' module-level helpers and the picture's methods, inclusive: a
part's time includes the parts it calls). Only the builds are timed, not the batches.

Same-run baseline: with `--against TREE` (an older checkout, e.g. `git worktree add
/tmp/snap-old d896e1d`, the second session) the same build is timed in child processes that
alternate between TREE and this checkout, on the same synthetic city.

    .venv/bin/python bench/bench_snapshot.py [--batches 60] [--against /tmp/snap-old]
    .venv/bin/python bench/bench_snapshot.py --profile      # cProfile of the builds, top 25
    .venv/bin/python bench/bench_snapshot.py --tiny          # smoke test, seconds
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from bench_alarms import NORMAL_VALUES

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Parts timed inside the build when the checkout has them (older checkouts lack some).
ADAPTER_PARTS = (
    "alarm_rows", "forecast_view", "advisory_rows", "station_state", "key_figures",
    "poll_cycle", "leak_view", "status_words", "_merge_index", "_alarm_index", "_alarm_row",
    "_group_row", "room_episodes", "district_rooms", "_group_signature",
)  # fmt: skip
PICTURE_PARTS = ("summary_rows", "group_signature", "pending_rooms", "room_limits")
# A healthy station's values (bench_alarms' synthetic city), plus what the overview shows.
NORMAL = {**NORMAL_VALUES, "heat_power": 800.0, "t1_primary_supply": 95.0}


def timed(times: dict[str, float], name: str, f: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*a: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return f(*a, **kw)
        finally:
            times[name] = times.get(name, 0.0) + time.perf_counter() - t0

    return wrapper


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build the city, chill it, time the builds: {"build": [s...], "parts": {name: [s...]}}."""
    from PySide6.QtCore import QCoreApplication

    from console.app import adapters
    from console.core.service import ConsoleService
    from drivers.samples import CommState, StationScan
    from station_config.alarm_rules import AlarmConfig
    from station_config.generator import generate_network
    from station_config.loader import DEMO_CONFIG, load_network

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 (translate needs one)
    if args.tiny:
        net = load_network(DEMO_CONFIG)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "city.yaml"
            text = generate_network(stations=args.stations, rooms=args.rooms)
            path.write_text(text, encoding="utf-8")
            net = load_network(path)
    rules = {"room_low": {"on_delay_s": 0}, "room_critical": {"on_delay_s": 0}}
    alarms = AlarmConfig.model_validate({**net.alarms.model_dump(), "rules": rules})
    net = net.model_copy(update={"alarms": alarms})
    svc = ConsoleService(net, journal_path=None, history_path=False)
    tables = svc.poller.tables
    rng = np.random.default_rng(7)
    chill = min(args.chill, len(net.stations))
    base: dict[str, np.ndarray] = {}
    rooms: dict[str, np.ndarray] = {}
    for i, s in enumerate(net.stations):
        t = tables[s.id]
        v = np.zeros(len(t))
        for k, x in NORMAL.items():
            if k in t.index:
                v[t.index[k]] = x
        r = t.indices("room_temp")
        v[r] = rng.normal(17.0, 0.8, len(r)).clip(15.0, 17.9) if i < chill else 21.0
        base[s.id], rooms[s.id] = v, r

    def scan(sid: str, t: float) -> StationScan:
        v = base[sid].copy()
        if sid in cold:  # the cold rooms' values move a little every scan
            r = rooms[sid]
            v[r] = (v[r] + rng.normal(0.0, 0.05, len(r))).clip(14.0, 17.95)
        n = len(v)
        return StationScan(sid, t, v, np.zeros(n, np.uint8), np.full(n, t), CommState.OK)

    cold = {s.id for s in net.stations[:chill]}
    t0 = time.time()
    for s in net.stations:  # the first complete scan
        svc._on_scan(scan(s.id, t0))
    svc.process_pending(t0)
    cache = adapters.SnapshotCache()
    adapters.build_snapshot(svc, cache=cache)  # the first build fills the cache
    gc.collect()  # as the session does once the first complete scan is in (launch.py)
    gc.freeze()
    # As the bridge builds (console/app/bridge.py): the cyclic GC paused for the build, or not
    # (older checkouts paused it and have no such flag).
    from console.app import bridge as bridge_mod

    paused = getattr(bridge_mod, "GC_PAUSED_IN_BUILD", True)
    # The collections while the batches run and the builds follow (the window's thread would
    # wait for each): (in a build, seconds of this thread's CPU: the machine's load does not
    # stretch them).
    collections: list[tuple[bool, float]] = []
    started = [0.0]
    building = [False]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.thread_time()
        else:
            collections.append((building[0], time.thread_time() - started[0]))

    gc.callbacks.append(on_gc)
    ids = [s.id for s in net.stations]
    per = max(1, len(ids) // 20)  # 5-s polling, 0.25-s batches
    builds: list[float] = []
    parts: list[dict[str, float]] = []  # per build
    times: dict[str, float] = {}
    for name in ADAPTER_PARTS:
        if hasattr(adapters, name):
            setattr(adapters, name, timed(times, name, getattr(adapters, name)))
    picture_cls = getattr(adapters, "ServicePicture", None)
    if picture_cls is not None:
        for name in PICTURE_PARTS:
            setattr(picture_cls, name, timed(times, name, getattr(picture_cls, name)))
    else:  # before the picture: the engine's summary is what summary_rows wraps
        from console.core.alarms.engine import AlarmEngine

        AlarmEngine.summary = timed(times, "summary_rows", AlarmEngine.summary)
    from console.core.alarms import summary as summary_mod

    summary_mod.alarm_views = timed(times, "alarm_views", summary_mod.alarm_views)
    prof = cProfile.Profile() if args.profile else None
    rows = 0
    young: list[int] = []  # gc-tracked objects a build leaves for the next young collection
    for b in range(args.batches):
        now = t0 + 0.25 * (b + 1)
        for sid in ids[(b * per) % len(ids) :][:per]:
            svc._on_scan(scan(sid, now))
        svc.process_pending(now)
        times.clear()
        if prof is not None:
            prof.enable()
        if paused:
            gc.disable()
            gc.collect(0)  # the batch's young objects (as a collection would): count the build's
        building[0] = True
        t = time.perf_counter()
        snap = adapters.build_snapshot(svc, cache=cache)
        builds.append(time.perf_counter() - t)
        building[0] = False
        if paused:
            young.append(gc.get_count()[0])
            gc.enable()
        if prof is not None:
            prof.disable()
        parts.append(dict(times))
        rows = sum(len(r.children or (r,)) for r in snap.alarms)
    if prof is not None:
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    gc.callbacks.remove(on_gc)
    # What a full collection walks once the set-up is frozen: the objects the builds keep
    # (cache, the last snapshot), the batches' and the engine's since the freeze.
    del snap
    gc.collect()
    t = time.thread_time()
    gc.collect()
    full = time.thread_time() - t
    objs = gc.get_objects()
    kept = len(objs)
    if args.census:  # what the kept objects are, and what holds the most references
        census = Counter(type(o).__name__ for o in objs)
        print("kept gc-tracked objects by type:", census.most_common(15), file=sys.stderr)
        refs = Counter()
        for o in objs:
            refs[type(o).__name__] += len(gc.get_referents(o))
        print("their references by type:", refs.most_common(15), file=sys.stderr)
    del objs
    gc_figures = {
        # a paused build's objects, all walked by the first young collection after it
        "young objects p50": float(pct(young, 50)) if young else float("nan"),
        "young objects max": float(max(young)) if young else float("nan"),
        "tracked after": float(kept),
        "full collection": full,
        "collections in builds": float(sum(1 for b, _ in collections if b)),
        "longest in a build": max((d for b, d in collections if b), default=0.0),
        "longest collection": max((d for _, d in collections), default=0.0),
        "all collections, time": sum(d for _, d in collections),
    }
    return {"build": builds, "parts": parts, "rows": rows, "stations": len(ids), "gc": gc_figures}


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))] if s else float("nan")


def summary(r: dict[str, Any]) -> dict[str, float]:
    """The build's p50, mean and max; each part's p50 over the builds that called it and its
    mean per build (the mean weighs the builds after a cold block's scans, which rebuild
    thousands of rows)."""
    n = len(r["build"])
    out = {"build p50": pct(r["build"], 50), "build mean": sum(r["build"]) / n,
           "build max": max(r["build"])}  # fmt: skip
    names = dict.fromkeys(k for p in r["parts"] for k in p)
    for k in names:
        out[k] = pct([p[k] for p in r["parts"] if k in p], 50)
    for k in names:
        out[f"{k} mean"] = sum(p.get(k, 0.0) for p in r["parts"]) / n
    return out


def print_gc(this: dict[str, float], against: dict[str, float] | None) -> None:
    """The cyclic GC's share: objects per build, what a full collection walks, and its time."""
    print("  cyclic GC (objects: gc-tracked; collections: CPU ms of the collecting thread):")
    for k, x in this.items():
        unit, f = ("ms", 1e3) if k.endswith(("collection", "time", "build")) else ("", 1.0)
        old = ""
        if against is not None:
            base = against.get(k, float("nan"))
            ratio = f"{x / base:5.2f}" if base > 0 else "    —"  # none or nan: no ratio
            old = f" {base * f:9.1f}  {ratio}"
        print(f"  {k:22s} {x * f:9.1f}{old} {unit}")


def child_run(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--batches",
           str(args.batches), "--stations", str(args.stations), "--rooms", str(args.rooms),
           "--chill", str(args.chill)] + (["--tiny"] if args.tiny else [])  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(root)}
    res = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"child in {root} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rooms", type=int, default=200)
    ap.add_argument("--chill", type=int, default=60, help="stations whose rooms are cold")
    ap.add_argument("--batches", type=int, default=60, help="timed builds (one per batch)")
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds with --against")
    ap.add_argument("--against", type=Path, help="an older checkout (the same-run baseline)")
    ap.add_argument("--profile", action="store_true", help="cProfile the builds (stderr)")
    ap.add_argument("--tiny", action="store_true", help="demo network, a few builds")
    ap.add_argument("--census", action="store_true", help="the kept objects by type (stderr)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.tiny:
        args.batches, args.chill = min(args.batches, 5), min(args.chill, 4)
    if args.child:
        r = run(args)
        print(json.dumps(summary(r) | {"rows": r["rows"], "gc": r["gc"]}))
        return
    print(f"load {os.getloadavg()[0]:.1f}; {args.batches} builds per run")
    here = Path(__file__).resolve().parents[1]
    if args.against is None:
        r = run(args)
        print(f"{r['stations']} stations, {len(r['build'])} builds, {r['rows']} alarm rows")
        for k, x in summary(r).items():
            print(f"  {k:22s} {x * 1e3:8.2f} ms")
        print_gc(r["gc"], None)
        return
    runs: dict[str, list[dict[str, float]]] = {"this": [], "against": []}
    for _ in range(args.rounds):
        for label, root in (("against", args.against), ("this", here)):
            runs[label].append(child_run(root, args))
    print(f"--against {args.against}: {args.rounds} alternating rounds (p50 per part, ms)")
    names = list(dict.fromkeys([k for r in runs["this"] + runs["against"] for k in r]))
    print(f"  {'part':22s} {'this':>9s} {'against':>9s}  ratio")
    for k in names:
        if k == "rows":
            print(f"  alarm rows: this {runs['this'][0][k]}, against {runs['against'][0][k]}")
            continue
        if k == "gc":
            print_gc(runs["this"][-1][k], runs["against"][-1][k])
            continue
        new = min((r[k] for r in runs["this"] if k in r), default=float("nan"))
        old = min((r[k] for r in runs["against"] if k in r), default=float("nan"))
        print(f"  {k:22s} {new * 1e3:9.2f} {old * 1e3:9.2f}  {new / old:5.2f}")


if __name__ == "__main__":
    main()
