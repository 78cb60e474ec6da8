"""`heatconsole screenshot --out docs/screenshots [--config FILE]`: the demo, offscreen.

Starts the simulator (incidents scenario, fast), opens the console window offscreen at
1366x768, waits for the first complete scan and the first incident alarms, then writes PNGs of
the overview, the station view of the most urgent alarmed station, its trends and the alarm
summary (window.grab(): what the operator sees, banner and status bar included).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from console.commands.demo import add_sim_args, on_simulator_clock, scenario_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("screenshot", help="write PNG screenshots of the console (offscreen demo)")
    p.add_argument("--out", default="docs/screenshots", metavar="DIR", help="output directory")
    add_sim_args(p, speed=120.0, scenario="incidents")
    p.add_argument("--timeout", type=float, default=120.0, help="max wall s to wait for alarms")
    p.add_argument("--alarms", type=int, default=3, help="alarm rows to wait for (default 3)")
    p.add_argument("--size", default="1366x768", help="window size WxH (default 1366x768)")
    p.add_argument(
        "--lang",
        choices=("en", "zh_CN"),
        default=None,
        help="interface language (default: $HEATCONSOLE_LANG, else the locale)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from console.app import main_window as mw
    from console.app.launch import ConsoleSession, make_app
    from console.commands.config_report import load_or_report
    from drivers.simulator.process import SimulatorProcess, SimulatorProcessError

    net = load_or_report(args.config)
    if net is None:
        return 2
    w, h = (int(x) for x in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = make_app(language=args.lang)
    tmp = Path(tempfile.mkdtemp(prefix="heatconsole-shot-"))
    sim = SimulatorProcess(
        args.config, seed=args.seed, speed=args.speed, scenario=scenario_path(args.scenario)
    )
    try:
        sim.start()
    except SimulatorProcessError as e:
        print(f"heatconsole screenshot: the simulator did not start: {e}", file=sys.stderr)
        return 1
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    session = ConsoleSession(
        # The demo's alarm timers on the simulator's clock, as `heatconsole demo` runs them.
        on_simulator_clock(sim.network_with_endpoints(net), args.speed, time.time()),
        journal_path=tmp / "journal.sqlite",
        user="dispatcher",
        config_file=args.config,
        settings=settings,
        title="heatconsole demo",
    )
    try:
        win = session.start()
        win.resize(w, h)
        win.show()

        def wait(cond, timeout: float) -> bool:
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                app.processEvents()
                if cond():
                    return True
                time.sleep(0.05)
            return cond()

        def snap_ok() -> bool:
            s = win._snap
            return s is not None and s.status.complete and len(s.alarms) >= args.alarms

        if not wait(snap_ok, args.timeout):
            print("heatconsole screenshot: no complete scan with alarms in time; "
                  "writing what there is", file=sys.stderr)  # fmt: skip
        wait(lambda: False, 1.0)
        shots = []

        def grab(name: str) -> None:
            wait(lambda: False, 1.2)  # a few redraw ticks
            path = out / f"{name}.png"
            win.grab().save(str(path))
            shots.append(path)

        win.tabs.setCurrentIndex(mw.TAB_OVERVIEW)
        win.schematic.fit_to_window()
        grab("console-overview")
        snap = win._snap
        alarmed = snap.alarms[0].station if snap and snap.alarms else net.stations[0].id
        win.open_station(alarmed)
        wait(lambda: win.station_view.station() is not None, 10)
        grab("console-station")
        for point in ("t3_secondary_supply", "room_temp_min", "p3_secondary_supply"):
            win.add_trend(f"{alarmed}/{point}", show=False)
        win.tabs.setCurrentIndex(mw.TAB_TRENDS)
        wait(lambda: len(win.trend.series_keys()) >= 3, 10)
        # The demo has run for seconds only: show what was recorded, not a near-empty hour.
        t0, t1 = win.trend.earliest_time(), win.trend.latest_time()
        if t0 is not None and t1 is not None and t1 > t0:
            win.trend.set_follow(False)
            win.trend.set_time_range(t0, t1 + 0.05 * (t1 - t0))
        win.trend.set_cursor(t1 if t1 is not None else time.time())
        grab("console-trends")
        win.tabs.setCurrentIndex(mw.TAB_ALARMS)
        win.alarm_summary.view.expandAll()
        grab("console-alarms")
        for p in shots:
            print(p)
        return 0
    finally:
        session.stop()
        sim.stop()
