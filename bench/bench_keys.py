"""Benchmark: what the key type (console/vocabulary/keys.py) costs where keys come in bulk.

A cold wave at full city size (757 stations x 200 rooms, 20,000 room alarms firing, as in
bench_alarms.py): the engine names every shown alarm (`AlarmEngine.key`, now an AlarmKey), the
alarm views and the summary read the parts, and the split sites parse key texts. Each line has
a same-run baseline, interleaved best-of-N: the plain f-string and `str.split("/")` forms the
code used before the key type, on the same slots and texts.

With `--against TREE` (a checkout from before the change, e.g. /work/main) the engine's
`active()` views and `summary()` are also timed in child processes alternating between TREE and
this checkout, so the whole read path is compared, not only the key operations.

    .venv/bin/python bench/bench_keys.py [--stations 757] [--cold 20000] [--against /work/main]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from bench_alarms import build, scans  # the same synthetic city and cold wave

from console.core.alarms import AlarmEngine
from console.core.alarms.rules import RULES, STATION_POINT


def cold_engine(stations: int, cold: int) -> AlarmEngine:
    net, base = build(stations, 200)
    eng = AlarmEngine(net)
    eng.evaluate_batch(scans(net, base, 0.0))
    names = eng.slots.layouts[0].table.names
    rooms = np.flatnonzero([n.startswith("room_temp[") for n in names])
    per, left = cold // stations + 1, cold
    vals = [v.copy() for v in base]
    for v in vals:
        k = min(per, left, len(rooms))
        v[rooms[:k]] = 17.5
        left -= k
    eng.evaluate_batch(scans(net, vals, 20.0))
    eng.evaluate_batch(scans(net, vals, 90.0))  # past the 60 s on-delay: the alarms fire
    return eng


def old_key(eng: AlarmEngine, g: int) -> str:
    """AlarmEngine.key before the key type: a plain f-string."""
    s = eng.slots
    lay = s.layouts[int(s.station[g])]
    p = int(s.point[g])
    return f"{lay.station.id}/{STATION_POINT if p < 0 else lay.table.names[p]}/{RULES[s.rule[g]]}"


def best_pair(a: Callable[[], object], b: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best of `repeat` for each, alternating a and b (a shared machine drifts)."""
    ta, tb = [], []
    for _ in range(repeat):
        for f, ts in ((a, ta), (b, tb)):
            t0 = time.perf_counter()
            f()
            ts.append(time.perf_counter() - t0)
    return min(ta), min(tb)


def row(what: str, new: float, old: float) -> None:
    print(f"{what:44s} key type {new * 1e3:8.2f} ms   before {old * 1e3:8.2f} ms   "
          f"ratio {new / old:5.2f}")  # fmt: skip


def child(stations: int, cold: int, repeat: int) -> None:
    """Timed in a child process (this checkout or --against's): views and summary."""
    eng = cold_engine(stations, cold)
    out = {}
    for name, f in (("active", eng.active), ("summary", eng.summary)):
        f()  # warm up (first-call imports and caches)
        ts = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            f()
            ts.append(time.perf_counter() - t0)
        out[name] = min(ts)
    print(json.dumps(out))


def against(tree: Path, a: argparse.Namespace) -> None:
    here = Path(__file__).resolve().parents[1]
    cmd = [sys.executable, __file__, "--child", "--stations", str(a.stations),
           "--cold", str(a.cold), "--repeat", str(a.repeat)]  # fmt: skip
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(a.rounds):
        for label, root in (("before", tree), ("after", here)):
            env = {**os.environ, "PYTHONPATH": str(root)}
            res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            runs[label].append(json.loads(res.stdout.strip().splitlines()[-1]))
    print(f"--against {tree}: {a.rounds} alternating rounds, best of {a.repeat} each")
    for name in ("active", "summary"):
        old = min(r[name] for r in runs["before"])
        new = min(r[name] for r in runs["after"])
        row(f"engine.{name}() (whole read path)", new, old)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--cold", type=int, default=20000, help="room alarms firing")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds with --against")
    ap.add_argument("--against", type=Path, help="a checkout from before the key type")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.stations, a.cold, a.repeat)
        return

    from console.vocabulary.keys import AlarmKey

    eng = cold_engine(a.stations, a.cold)
    g = eng.shown_slots(True).tolist()
    texts = [old_key(eng, x) for x in g]
    keys = [eng.key(x) for x in g]
    assert keys == texts and type(keys[0]) is AlarmKey
    print(f"{a.stations} stations, cold wave: {len(g)} shown alarms of {eng.slots.n} slots")
    row(f"engine.key x {len(g)}",
        *best_pair(lambda: [eng.key(x) for x in g],
                   lambda: [old_key(eng, x) for x in g], a.repeat))  # fmt: skip
    row(f"parts of {len(g)} engine keys", *best_pair(lambda: [k.parts for k in keys],
                                                     lambda: [k.split("/") for k in texts],
                                                     a.repeat))  # fmt: skip
    row(f"parse {len(g)} texts (split sites)",
        *best_pair(lambda: [AlarmKey.parse(t).parts for t in texts],
                   lambda: [t.split("/") for t in texts], a.repeat))  # fmt: skip
    row(f"station of {len(g)} texts (server, doorway)",
        *best_pair(lambda: [AlarmKey.parse(t).station for t in texts],
                   lambda: [t.split("/", 1)[0] for t in texts], a.repeat))  # fmt: skip
    if a.against is not None:
        against(a.against, a)


if __name__ == "__main__":
    main()
