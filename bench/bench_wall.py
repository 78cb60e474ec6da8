"""Micro-benchmark: the wall display's map on a cold-wave night (757 stations, ~250 in alarm).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_wall.py [--stations 757]
        [--alarmed 250] [--rounds 15] [--tiny]

Prints medians of the same run (ratios, not absolute wall-clock claims):
  blink       a repaint of the wall's map with nothing changed (the blink's twice a second):
              the cached static map blitted, the abnormal stations stamped, the labels
  relayout    a repaint after the set of alarmed stations changed: the labels placed anew
  schematic   the baseline: a repaint of the console's NetworkSchematic with the same states
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from console.app.adapters import key_figures
from console.core.events import Priority
from widgets import sample_data as sd
from widgets.network_schematic import NetworkSchematic
from widgets.theme import apply_theme
from widgets.wall_display import WallDisplay


def median_ms(fn, rounds: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--alarmed", type=int, default=250)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--tiny", action="store_true", help="smoke run: 40 stations, 3 rounds")
    args = ap.parse_args()
    if args.tiny:
        args.stations, args.alarmed, args.rounds = 40, 10, 3
    app = QApplication.instance() or QApplication([])
    apply_theme(app)
    net = sd.city_network(args.stations)
    states = sd.city_states(net)
    prios = itertools.cycle([Priority.HIGH, Priority.MEDIUM, Priority.CRITICAL, Priority.LOW])
    free = [s.id for s in net.stations if states[s.id].alarm is None]
    for sid in free[: args.alarmed]:
        states[sid] = dataclasses.replace(states[sid], alarm=next(prios), unacked=True)
    figs = key_figures(states, [], False, district_names={d.id: d.name for d in net.districts})

    wall = WallDisplay(cycle_s=0)
    wall.set_network(net)
    wall.set_states(states)
    wall.set_figures(figs)
    wall.resize(1920, 1080)
    wall.show()
    app.processEvents()
    m = wall.map

    def relayout() -> None:
        m._layout_key = None  # as when an alarm comes or goes
        m.repaint()

    schem = NetworkSchematic(net)
    schem.resize(m.size())
    schem.show()
    schem.update_states(states)
    app.processEvents()

    blink = median_ms(m.repaint, args.rounds)
    lay = median_ms(relayout, args.rounds)
    base = median_ms(schem.viewport().repaint, args.rounds)
    print(f"{args.stations} stations, {len(m._marked())} marked, map {m.width()}x{m.height()}")
    print(f"  blink      {blink:7.1f} ms   ratio to schematic {blink / base:5.2f}")
    print(f"  relayout   {lay:7.1f} ms   ratio to schematic {lay / base:5.2f}")
    print(f"  schematic  {base:7.1f} ms   (baseline, same run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
