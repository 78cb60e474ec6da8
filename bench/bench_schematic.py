"""Micro-benchmark: one `update_states` of 757 stations, all changing, vs rebuilding the scene.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_schematic.py [--stations 757]
        [--rounds 20] [--tiny]

Prints medians of the same run (ratios, not absolute wall-clock claims):
  update        update_states() with every station's symbol changing (schedules the repaint)
  update+paint  the same plus the event-loop pass that processes dirty items and repaints
  rebuild       the baseline: set_network() from scratch + update_states() + repaint
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from console.core.events import Priority
from drivers.samples import Quality
from widgets import colors
from widgets import sample_data as sd
from widgets.network_schematic import NetworkSchematic
from widgets.theme import apply_theme


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--tiny", action="store_true", help="smoke run: 30 stations, 4 rounds")
    args = ap.parse_args()
    if args.tiny:
        args.stations, args.rounds = 30, 4
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)
    colors.blink_clock().stop()
    net = sd.city_network(args.stations)
    base = sd.city_states(net)
    # Two alternating state sets that differ in every station's symbol.
    a = {k: dataclasses.replace(s, comm=Quality.GOOD, alarm=None) for k, s in base.items()}
    b = {k: dataclasses.replace(s, comm=Quality.GOOD, alarm=Priority.LOW) for k, s in base.items()}

    view = NetworkSchematic(net)
    view.resize(1366, 700)
    view.show()
    app.processEvents()
    view.fit_to_window()
    view.update_states(a)
    app.processEvents()

    upd, upd_paint, rebuild = [], [], []
    for i in range(args.rounds):
        states = b if i % 2 == 0 else a
        t0 = time.perf_counter()
        n = view.update_states(states)
        t1 = time.perf_counter()
        # Let the scene process its dirty items and paint the viewport once, as a frame would.
        app.processEvents()
        app.processEvents()
        t2 = time.perf_counter()
        assert n == len(states), n
        upd.append(t1 - t0)
        upd_paint.append(t2 - t0)

        t0 = time.perf_counter()
        view.set_network(net)
        view.update_states(states)
        app.processEvents()
        app.processEvents()
        rebuild.append(time.perf_counter() - t0)

    m_u, m_up, m_r = (statistics.median(x) * 1e3 for x in (upd, upd_paint, rebuild))
    print(f"stations: {len(net.stations)}, rounds: {args.rounds}")
    print(f"update_states (all changed):  {m_u:7.2f} ms")
    print(f"update_states + repaint:      {m_up:7.2f} ms")
    print(f"rebuild scene + repaint:      {m_r:7.2f} ms  (baseline)")
    print(f"ratio update/rebuild:         {m_u / m_r:7.3f}")
    print(f"ratio update+paint/rebuild:   {m_up / m_r:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
