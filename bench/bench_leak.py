"""Benchmark: leak detection by the water balance (leak_suspected) against the instantaneous
make-up rule (makeup_high, the same-run baseline), both in the real AlarmEngine, on the physics.

The physics runs at high speed (no Modbus); every `--step` simulated seconds each station's
register values (rounded to the register's scale, as a Modbus read gives them) go to the
engine as one StationScan batch, the way the service feeds it. Process time = scan time.

- Normal operation: `--weeks` weeks × `--stations` stations × `--seeds` seeds (make-up pump
  cycling, daily outdoor swing): alarm rises per rule (false alarms).
- Leaks of 0.5, 2 and 30 m³/h on every station after a day of learning: time to the first rise,
  and after the leak ends, how long the alarm stays (ours: until normal + hold) or how long
  before the end it had already returned to normal (baseline).

    .venv/bin/python bench/bench_leak.py [--stations 50 --weeks 1 --seeds 2 --step 60]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from console.core.alarms.engine import AlarmEngine
from drivers.samples import CommState, Quality, StationScan
from drivers.simulator.physics import NetworkPhysics
from station_config.loader import ConfigError, load_template
from station_config.schema import NetworkDef

TEMPLATE = Path(__file__).resolve().parents[1] / "station_config/templates/substation-v1.yaml"
START = 1_736_900_000.0  # mid-January (in season)
DAY = 86400.0
OURS, BASE = "leak_suspected", "makeup_high"
LEAKS = ((0.5, 8 * 3600.0, 6 * 3600.0), (2.0, 3 * 3600.0, 3600.0), (30.0, 1800.0, 120.0))


def network(n: int, seed: int) -> NetworkDef:
    problems: list = []
    tpl = load_template(TEMPLATE, problems)
    if tpl is None:
        raise ConfigError(problems)
    rng = np.random.default_rng(seed)
    stations = [
        {
            "id": f"s{k:03d}",
            "name": f"s{k}",
            "district": f"d{k % 3}",
            "template": tpl.template,
            "trunk": "t",
            "host": f"127.0.1.{k + 1}",
            "port": 502,
            "rooms": 4,
            "position": (1.0 + k % 4, 0.5),
            "area_m2": float(np.exp(rng.uniform(np.log(5_000), np.log(150_000)))),
        }
        for k in range(n)
    ]
    return NetworkDef.model_validate(
        {
            "name": "leak bench",
            "sources": [{"id": "p", "name": "p", "position": (0.0, 0.0)}],
            "trunks": [{"id": "t", "name": "t", "source": "p", "route": [(0, 0), (5, 0)]}],
            "districts": [{"id": f"d{i}", "name": f"d{i}", "center": (i, 0)} for i in range(3)],
            "templates": {tpl.template: tpl},
            "stations": stations,
        }
    )


class Run:
    """Physics + engine, stepping together; rise/fall times per (rule, station)."""

    def __init__(self, n: int, seed: int) -> None:
        self.net = network(n, seed)
        self.ph = NetworkPhysics(self.net, seed=seed, start=START + seed * 7 * DAY)
        self.eng = AlarmEngine(self.net)
        self.tables = self.ph.tables
        self.rises: dict[str, list[list[float]]] = {OURS: [[] for _ in range(n)], BASE: []}
        self.rises[BASE] = [[] for _ in range(n)]
        self.falls: dict[str, list[list[float]]] = {r: [[] for _ in range(n)] for r in self.rises}
        self.q = [np.full(len(t), Quality.GOOD, dtype=np.uint8) for t in self.tables]

    def run(self, seconds: float, step: float) -> None:
        end = self.ph.now + seconds
        while self.ph.now < end - 1e-6:
            self.ph.advance(step)
            t = self.ph.now
            scans = []
            for i, (st, tab) in enumerate(zip(self.net.stations, self.tables, strict=True)):
                v = np.round(self.ph.values(i) / tab.scale) * tab.scale  # as a register reads
                scans.append(StationScan(st.id, t, v, self.q[i], np.full(len(v), t),
                                         comm=CommState.OK))  # fmt: skip
            for ev in self.eng.evaluate_batch(scans):
                rule = (ev.alarm or "").rsplit("/", 1)[-1]
                if rule in self.rises and ev.details.get("condition") is not None:
                    si = self.eng.slots.by_id[ev.station]
                    verb = ev.message.rsplit("— ", 1)[-1]
                    if verb == "active":
                        self.rises[rule][si].append(ev.time)
                    elif verb.startswith("cleared"):
                        self.falls[rule][si].append(ev.time)


def normal(args: argparse.Namespace) -> dict[str, int]:
    counts = {OURS: 0, BASE: 0}
    for seed in range(args.seeds):
        r = Run(args.stations, seed)
        r.run(args.weeks * 7 * DAY, args.step)
        for rule in counts:
            counts[rule] += sum(len(x) for x in r.rises[rule])
    return counts


def leak(args: argparse.Namespace, rate: float, duration: float) -> dict[str, list[float]]:
    """Per station: detection delay, and after the end how long the alarm stayed (negative:
    it had returned to normal that long before the leak ended); NaN = never raised, inf = still
    active at the end of the run."""
    out: dict[str, list[float]] = {"det_" + OURS: [], "det_" + BASE: [], "end_" + OURS: [],
                                   "end_" + BASE: []}  # fmt: skip
    for seed in range(args.leak_seeds):
        r = Run(args.leak_stations, 100 + seed)
        r.run(args.learn_h * 3600.0, args.leak_step)
        t0 = r.ph.now
        r.ph.apply_event({"type": "leak", "stations": r.ph.station_ids, "flow_m3h": rate})
        r.run(duration, args.leak_step)
        t1 = r.ph.now
        r.ph.apply_event({"type": "leak_clear", "stations": r.ph.station_ids})
        r.run(args.after_h * 3600.0, args.leak_step)
        for rule in (OURS, BASE):
            for si in range(args.leak_stations):
                rises = [x for x in r.rises[rule][si] if x >= t0]
                out["det_" + rule].append(rises[0] - t0 if rises else np.nan)
                falls = [x for x in r.falls[rule][si] if rises and x >= rises[0]]
                # The first return to normal after detection, against the leak's end.
                out["end_" + rule].append(
                    np.nan if not rises else (falls[0] - t1 if falls else np.inf)
                )
    return out


def fmt_min(xs: list[float]) -> str:
    a = np.array(xs, dtype=np.float64)
    missed = int(np.isnan(a).sum())
    f = a[np.isfinite(a)] / 60.0
    if not len(f):
        return f"none ({missed} missed)"
    s = f"median {np.median(f):.1f} min, max {f.max():.1f} min"
    if np.isinf(a).any():
        s += f", {int(np.isinf(a).sum())} still active"
    return s + (f", {missed} missed" if missed else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=50)
    ap.add_argument("--weeks", type=float, default=1.0)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--step", type=float, default=60.0, help="scan period, simulated s")
    ap.add_argument("--leak-stations", type=int, default=20)
    ap.add_argument("--leak-seeds", type=int, default=1)
    ap.add_argument("--leak-step", type=float, default=10.0, help="scan period in leak runs")
    ap.add_argument("--learn-h", type=float, default=12.0)
    ap.add_argument("--after-h", type=float, default=3.0)
    ap.add_argument("--only", choices=("normal", "leaks"), help="run one half")
    ap.add_argument("--tiny", action="store_true", help="smoke test: a few stations, hours")
    args = ap.parse_args()
    if args.tiny:  # its defaults only: an option given on the command line wins
        ap.set_defaults(
            stations=3, weeks=0.05, seeds=1, step=60.0,
            leak_stations=3, leak_seeds=1, leak_step=30.0, learn_h=2.0, after_h=1.0,
        )  # fmt: skip
        args = ap.parse_args()
    w0 = time.perf_counter()
    sw = args.stations * args.weeks * args.seeds
    if args.only != "leaks":
        counts = normal(args)
        print(f"normal operation: {sw:g} station-weeks, step {args.step:g} s")
        for rule in (OURS, BASE):
            tag = "  (baseline)" if rule == BASE else ""
            print(f"  false alarms {rule}: {counts[rule]} = {counts[rule] / sw:.2f} "
                  f"per station-week{tag}")  # fmt: skip
    for rate, duration, target in LEAKS if args.only != "normal" else ():
        res = leak(args, rate, duration)
        n = args.leak_stations * args.leak_seeds
        print(f"leak {rate:g} m³/h for {duration / 3600:g} h on {n} stations "
              f"(target: detected within {target / 60:g} min)")  # fmt: skip
        for rule in (OURS, BASE):
            tag = "  (baseline)" if rule == BASE else ""
            print(f"  {rule}: detected {fmt_min(res['det_' + rule])}; after the end: "
                  f"{fmt_min(res['end_' + rule])}{tag}")  # fmt: skip
    print(f"wall {time.perf_counter() - w0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
