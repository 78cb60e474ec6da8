"""`heatconsole screenshot --out docs/screenshots [--config FILE]`: the demo, offscreen.

Starts the simulator (incidents scenario, fast), opens the console window offscreen at
1366x768, waits for the first complete scan and the first incident alarms, then writes PNGs of
the overview, the station view of the most urgent alarmed station, its trends and the alarm
summary (window.grab(): what the operator sees, banner and status bar included).

One run can photograph several sizes and languages of the same moment (`--size
1366x768,1920x1080 --lang en,zh_CN`; the language switches live, as the menu does it) and let
the simulation run first (`--at 4h`: simulated time, e.g. a cold wave's night). File names:
console-<view>[.<tag>][.<W>x<H> unless 1366x768][.zh_CN].png.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from console.cli_i18n import translate
from console.commands.demo import (
    add_sim_args,
    on_simulator_clock,
    scenario_path,
    with_simulator_forecast,
)

DEFAULT_SIZE = "1366x768"
LANGS = ("en", "zh_CN")


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """'1366x768,1920x1080' -> [(1366, 768), (1920, 1080)]; ValueError saying what is wrong."""
    out = []
    for part in text.split(","):
        w, sep, h = part.strip().lower().partition("x")
        if not sep or not w.isdigit() or not h.isdigit() or int(w) < 640 or int(h) < 480:
            msg = translate("screenshot", "expected WxH, at least 640x480")
            raise ValueError(f"--size {part.strip()!r}: {msg}")
        out.append((int(w), int(h)))
    return out


def parse_langs(text: str | None) -> list[str | None]:
    if text is None:
        return [None]
    langs = [x.strip() for x in text.split(",") if x.strip()]
    bad = [x for x in langs if x not in LANGS]
    if bad or not langs:
        msg = translate("screenshot", "choose from {langs} (comma-separated)")
        raise ValueError(f"--lang {text!r}: " + msg.format(langs=", ".join(LANGS)))
    return list(langs)


def shot_name(view: str, tag: str, size: tuple[int, int], lang: str | None) -> str:
    """console-overview.png for the English 1366x768 demo; suffixes for everything else."""
    name = f"console-{view}"
    if tag:
        name += f".{tag}"
    if f"{size[0]}x{size[1]}" != DEFAULT_SIZE:
        name += f".{size[0]}x{size[1]}"
    if lang and lang != "en":
        name += f".{lang}"
    return name + ".png"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "screenshot",
        help=translate("screenshot", "write PNG screenshots of the console (offscreen demo)"),
    )
    p.add_argument(
        "--out",
        default="docs/screenshots",
        metavar="DIR",
        help=translate("screenshot", "output directory"),
    )
    add_sim_args(p, speed=120.0, scenario="incidents")
    p.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help=translate("screenshot", "max wall s to wait for alarms"),
    )
    p.add_argument(
        "--alarms",
        type=int,
        default=3,
        help=translate("screenshot", "alarm rows to wait for (default 3)"),
    )
    p.add_argument(
        "--size",
        default=DEFAULT_SIZE,
        help=translate(
            "screenshot", "window size WxH, or several comma-separated (default {size})"
        ).format(size=DEFAULT_SIZE),
    )
    p.add_argument(
        "--lang",
        default=None,
        help=translate(
            "screenshot",
            "interface language en or zh_CN, or both comma-separated "
            "(default: $HEATCONSOLE_LANG, else the locale)",
        ),
    )
    p.add_argument(
        "--forecast-wait",
        type=float,
        default=240.0,
        metavar="S",
        help=translate("screenshot", "max wall s to wait for the room forecast (default 240)"),
    )
    p.add_argument(
        "--at",
        default=None,
        metavar="DURATION",
        help=translate(
            "screenshot", "let the simulation run this long first (simulated time: 90s, 10m, 4h)"
        ),
    )
    p.add_argument(
        "--tag", default="", help=translate("screenshot", "added to the file names, e.g. city")
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from console.app import i18n
    from console.app import main_window as mw
    from console.app.launch import ConsoleSession, make_app
    from console.commands.config_report import load_or_report
    from drivers.simulator.physics import parse_duration
    from drivers.simulator.process import SimulatorProcess, SimulatorProcessError

    try:
        sizes = parse_sizes(args.size)
        langs = parse_langs(args.lang)
        run_first = parse_duration(args.at) if args.at else 0.0
    except ValueError as e:
        print(f"heatconsole screenshot: {e}", file=sys.stderr)
        return 2
    net = load_or_report(args.config)
    if net is None:
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = make_app(language=langs[0])
    tmp = Path(tempfile.mkdtemp(prefix="heatconsole-shot-"))
    sim = SimulatorProcess(
        args.config, seed=args.seed, speed=args.speed, scenario=scenario_path(args.scenario)
    )
    try:
        sim.start()
    except SimulatorProcessError as e:
        msg = translate("demo", "the simulator did not start: {error}").format(error=e)
        print(f"heatconsole screenshot: {msg}", file=sys.stderr)
        return 1
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    session = ConsoleSession(
        # The demo's alarm timers on the simulator's clock, as `heatconsole demo` runs them.
        # and the room forecast from the simulator's forecast folder, as the demo has it.
        on_simulator_clock(
            with_simulator_forecast(sim.network_with_endpoints(net), sim.forecast_dir, args.seed),
            args.speed,
            time.time(),
        ),
        journal_path=tmp / "journal.sqlite",
        user="dispatcher",
        config_file=args.config,
        settings=settings,
        title="heatconsole demo",
    )
    try:
        started = time.monotonic()
        win = session.start()
        win.resize(*sizes[0])
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
            msg = translate("screenshot", "no complete scan with alarms in time; writing what "
                            "there is")  # fmt: skip
            print(f"heatconsole screenshot: {msg}", file=sys.stderr)
        if run_first:
            # The simulator started before the window: this much wall time is enough.
            ran = run_first / args.speed - (time.monotonic() - started)
            if ran > 0:
                msg = translate("screenshot", "letting the simulation run {seconds} s (until "
                                "{at} simulated)")  # fmt: skip
                msg = msg.format(seconds=f"{ran:.0f}", at=args.at)
                print(f"heatconsole screenshot: {msg}", file=sys.stderr)
                wait(lambda: False, ran)
        wait(lambda: False, 1.0)
        shots = []
        # The station to show: the banner's first (most urgent unacknowledged), chosen once
        # for every size and language.
        snap = win._snap
        first = win.banner.shown or (snap.alarms if snap else [])
        alarmed = first[0].station if first else net.stations[0].id
        for point in ("t3_secondary_supply", "room_temp_min", "p3_secondary_supply"):
            win.add_trend(f"{alarmed}/{point}", show=False)

        def forecast_ready(station: str) -> bool:
            # The demo fits its room models on a few simulated days first: up to a few minutes.
            def ready() -> bool:
                fc = win._snap.forecast if win._snap is not None else None
                return fc is not None and fc.usable and station in fc.stations

            if not ready() and not wait(ready, args.forecast_wait):
                msg = translate("screenshot", "no room forecast in time: no forecast picture")
                print(f"heatconsole screenshot: {msg}", file=sys.stderr)
                args.forecast_wait = 0.0  # said once; the other sizes take what there is
            return ready()

        def grab(view: str, size: tuple[int, int], lang: str | None) -> None:
            wait(lambda: False, 1.2)  # a few redraw ticks
            if view == "alarms":
                # Thousands of rows come in slices (the list is not drawn mid-diff): all of
                # them, now, as they stand when the picture is taken.
                win.alarm_summary.flush()
                app.processEvents()
            path = out / shot_name(view, args.tag, size, lang)
            win.grab().save(str(path))
            shots.append(path)

        def speak(lang: str | None) -> None:
            if lang is not None and lang != i18n.current_language():
                i18n.install(lang, app)
                switched = time.time()
                # The alarm texts are worded where the snapshot is built: wait for one built
                # in the new language, and drawn (757 stations: a few seconds to re-word).
                wait(lambda t=switched: win._snap is not None and win._snap.time > t + 0.5, 60)
                wait(lambda: not win._dirty, 5)

        for lang in langs:
            speak(lang)
            for size in sizes:
                win.resize(*size)
                win.tabs.setCurrentIndex(mw.TAB_OVERVIEW)
                wait(lambda: False, 0.5)
                win.schematic.fit_to_window()
                grab("overview", size, lang)
                win.open_station(alarmed)
                wait(lambda: win.station_view.station() is not None, 10)
                grab("station", size, lang)
                win.tabs.setCurrentIndex(mw.TAB_TRENDS)
                wait(lambda: len(win.trend.series_keys()) >= 3, 10)
                # Show what was recorded, not a near-empty hour.
                t0, t1 = win.trend.earliest_time(), win.trend.latest_time()
                if t0 is not None and t1 is not None and t1 > t0:
                    win.trend.set_follow(False)
                    win.trend.set_time_range(t0, t1 + 0.05 * (t1 - t0))
                win.trend.set_cursor(t1 if t1 is not None else time.time())
                grab("trends", size, lang)
                win.tabs.setCurrentIndex(mw.TAB_ALARMS)
                summary = win.alarm_summary
                summary.flush()
                if summary.model.counts().total <= 200:
                    summary.view.expandAll()  # a cold night: one row per station instead
                grab("alarms", size, lang)
        # The forecast last: the city's models fit on simulated days first (minutes), and
        # waiting for them mid-way would take the other views hours of simulated time past --at.
        for lang in langs:
            speak(lang)
            for size in sizes:
                win.resize(*size)
                win.tabs.setCurrentIndex(mw.TAB_TRENDS)
                if forecast_ready(alarmed):  # the same curves continued 48 h with their band
                    win.trend_forecast.show_ahead(True)
                    grab("forecast", size, lang)
                    win.trend_forecast.show_ahead(False)
        for p in shots:
            print(p)
        return 0
    finally:
        session.stop()
        sim.stop()
