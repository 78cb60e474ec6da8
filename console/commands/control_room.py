"""`heatconsole control-room demo`: a whole control room on this machine, to try it.

Starts Mosquitto and PostgreSQL from the Debian packages (saying what to install if one is
missing), the simulator on the demo city, one acquisition server (MQTT + the shared journal on
PostgreSQL) and two consoles logged in as different users — a dispatcher (operator) and an
engineer — plus, with --wall, the wall display as a viewer. The logins and their passwords are
printed. Closing every window, or Ctrl-C / SIGTERM / SIGHUP, stops everything in reverse order.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

from console.cli_i18n import translate
from console.commands.config_report import load_or_report
from console.commands.demo import (
    NoScenario,
    add_sim_args,
    existing_scenario,
    on_simulator_clock,
    with_simulator_forecast,
)
from console.commands.server import roles_from
from console.commands.signals import StopSignals
from console.control_room.trial import (
    SEATS,
    WALL,
    Trial,
    missing_parts,
    remove,
    trial_folder,
    wait_any_exit,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "control-room", help=translate("control-room", "try a control room on this machine (demo)")
    )
    subs = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    d = subs.add_parser(
        "demo",
        help=translate(
            "control-room",
            "broker, database, simulator, one server and two consoles on this machine",
        ),
    )
    add_sim_args(d, speed=60.0, scenario="incidents")
    d.add_argument(
        "--dir",
        metavar="DIR",
        help=translate("control-room", "keep everything in DIR (default: a temp dir)"),
    )
    d.add_argument(
        "--no-db",
        action="store_true",
        help=translate("control-room", "no PostgreSQL (shared journal off)"),
    )
    d.add_argument(
        "--wall",
        action="store_true",
        help=translate("control-room", "also open the wall display (a viewer)"),
    )
    d.add_argument(
        "--consoles",
        type=int,
        default=2,
        choices=(0, 1, 2),
        help=translate("control-room", "console windows (default 2)"),
    )
    d.set_defaults(func=run)


def say(text: str) -> None:
    print(f"heatconsole control-room: {text}", flush=True)


def run(args: argparse.Namespace) -> int:
    missing = missing_parts(with_db=not args.no_db)
    if missing:
        for m in missing:
            print(f"heatconsole control-room: {m}", file=sys.stderr)
        msg = translate("control-room", "(or --no-db to try it without the shared journal)")
        print(msg, file=sys.stderr)
        return 2
    net = load_or_report(args.config)
    if net is None:
        return 2
    try:
        scen = existing_scenario(args.scenario)
    except NoScenario as e:
        print(f"heatconsole control-room: {e}", file=sys.stderr)
        return 2
    from drivers.simulator.process import SimulatorProcess, SimulatorProcessError

    folder, temporary = trial_folder(args.dir)
    trial = Trial(folder)
    sim = SimulatorProcess(args.config, seed=args.seed, speed=args.speed, scenario=scen, port=0)
    stop = threading.Event()
    with StopSignals(lambda _sig: stop.set(), announce="heatconsole control-room"):
        try:
            broker = trial.start_broker()
            say(f"broker {broker.url} (TLS {broker.tls_url}, CA {broker.ca_file})")
            if not args.no_db:
                trial.start_database()
                assert trial.database is not None
                say(f"shared journal: PostgreSQL on 127.0.0.1:{trial.database.port}")
                # The consoles' read-only role, so `log`/`handover --db` can be tried too.
                reader = trial.database.dsn(
                    "heatconsole", "hc_reader", trial.passwords["hc_reader"]
                )
                say(f"read it: heatconsole log --db {reader}")
            sim.start()
            started = time.time()
            # The server forecasts as `heatconsole demo` does: the simulator's forecast folder,
            # its models fitted on the simulator's past first (the consoles show what it publishes).
            fc = with_simulator_forecast(
                sim.network_with_endpoints(net), sim.forecast_dir, args.seed
            )
            live = on_simulator_clock(fc, args.speed, started)
            server = trial.start_server(live, roles_from(broker.store))
            say(f"server: {len(server.net.stations)} stations, partition all")
            for login, role in SEATS[: args.consoles]:
                pid = trial.start_console(login).pid
                say(f"console: {login} ({role}), password {trial.passwords[login]}, pid {pid}")
            if args.wall:
                pid = trial.start_console(WALL[0], wall=True).pid
                say(f"wall display: {WALL[0]} (viewer), pid {pid}")
            say("control room running — close the windows or press Ctrl-C to stop")
            if trial.consoles:
                wait_any_exit(trial.consoles, stop)
            else:
                stop.wait()
            return 0
        except (RuntimeError, OSError, SimulatorProcessError) as e:
            print(f"heatconsole control-room: {e}", file=sys.stderr)
            return 1
        finally:
            say("stopping")
            trial.stop()
            sim.stop()
            if temporary:
                remove(folder)
            say("stopped")
