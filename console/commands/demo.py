"""`heatconsole demo`: the simulator on the demo city in its own process + the console window
connected to it over Modbus TCP on loopback. No setup needed.

Defaults: the `incidents` scenario at speed 60 (one simulated hour per wall minute), so within
a minute a dispatcher sees a leak alarm, pump faults, a sensor failure and a station dropping
off the network. `--scenario cold_wave` shows the cold night (涧西 rooms below 18 °C over a few
wall minutes at speed 60), `--scenario none --speed 1` a quiet real-time network. The demo has
its own journal (demo-journal.sqlite beside the real one) so demo alarms never mix with a real
shift's log. Closing the window stops the service, the journal and the simulator process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from console.cli_i18n import translate
from console.core.auth.local import local_identity
from station_config.alarm_rules import ProcessClock
from station_config.schema import NetworkDef

ROOT = Path(__file__).resolve().parents[2]
DEMO_CONFIG = ROOT / "station_config" / "demo.yaml"
SCENARIOS = ROOT / "station_config" / "scenarios"


def add_sim_args(p: argparse.ArgumentParser, speed: float, scenario: str) -> None:
    p.add_argument(
        "--config", default=str(DEMO_CONFIG), metavar="FILE", help=translate("demo", "network YAML")
    )
    p.add_argument(
        "--seed", type=int, default=0, help=translate("demo", "simulator seed (default 0)")
    )
    p.add_argument(
        "--speed",
        type=float,
        default=speed,
        help=translate("demo", "simulated s per wall s (default {speed})").format(
            speed=f"{speed:g}"
        ),
    )
    p.add_argument(
        "--scenario",
        default=scenario,
        help=translate(
            "demo",
            "scenario name (station_config/scenarios), a YAML file or none (default {scenario})",
        ).format(scenario=scenario),
    )


def scenario_path(name: str | None) -> Path | None:
    """The one resolver of `--scenario` (demo and simulate): none, a YAML file, or the name of
    a built-in scenario in station_config/scenarios (cold_wave, incidents, …)."""
    if not name or name.lower() == "none":
        return None
    p = Path(name)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    return SCENARIOS / f"{name}.yaml"


def scenario_names() -> list[str]:
    """The built-in scenarios, for messages."""
    return sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


class NoScenario(Exception):
    """`--scenario` names neither a file nor a built-in scenario."""


def existing_scenario(name: str | None) -> Path | None:
    """scenario_path(name), or NoScenario with a message naming the built-in ones."""
    scen = scenario_path(name)
    if scen is not None and not scen.exists():
        msg = translate("demo", "no scenario {name} ({file}); built in: {names}")
        raise NoScenario(msg.format(name=name, file=scen, names=", ".join(scenario_names())))
    return scen


def on_simulator_clock(net: NetworkDef, speed: float, started: float) -> NetworkDef:
    """`net` with its alarm timers on the simulator's clock: the physics runs `speed` × the
    wall clock from `started`, so the rules' delays (room on-delay 300 s) must too — at wall
    time a 3-simulated-hour outage (3 wall minutes) ended before a room alarm could fire."""
    clock = ProcessClock(scale=speed, origin=started)
    return net.model_copy(update={"alarms": net.alarms.model_copy(update={"process_clock": clock})})


DEMO_PAST_DAYS = 4  # the room models fit on this much simulated past (72 h needed) at start


def with_simulator_forecast(net: NetworkDef, folder: Path | None, seed: int) -> NetworkDef:
    """`net` reading the simulator's forecast folder, its room models fitted first on the
    simulator's own past (the demo's history starts empty): forecasts without setup."""
    if folder is None:
        return net
    from station_config.forecast_config import ForecastConfig

    cfg = ForecastConfig(folder=str(folder), demo_past_days=DEMO_PAST_DAYS, demo_seed=seed)
    return net.model_copy(update={"forecast": cfg})


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo", help=translate("demo", "simulated demo city + the console window, no setup")
    )
    add_sim_args(p, speed=60.0, scenario="incidents")
    p.add_argument(
        "--journal",
        metavar="FILE",
        help=translate("demo", "journal file (default: demo-journal.sqlite)"),
    )
    p.add_argument(
        "--user", metavar="NAME", help=translate("demo", "operator name (default: login)")
    )
    from console.commands.wall import add_wall_args

    add_wall_args(p)  # --wall, --cycle, --windowed
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from console.commands.config_report import load_or_report
    from console.commands.run import default_journal, open_window
    from console.commands.signals import StopRequested, StopSignals
    from console.commands.wall import factory as wall_factory
    from drivers.simulator.process import SimulatorProcess, SimulatorProcessError

    net = load_or_report(args.config)
    if net is None:
        return 2
    try:
        scen = existing_scenario(args.scenario)
    except NoScenario as e:
        print(f"heatconsole demo: {e}", file=sys.stderr)
        return 2
    journal = (
        Path(args.journal).expanduser() if args.journal else default_journal("demo-journal.sqlite")
    )
    from console.commands.journal_file import journal_problem

    problem = journal_problem(journal)  # before the simulator starts: refused, file untouched
    if problem is not None:
        print(f"heatconsole demo: {problem}", file=sys.stderr)
        return 2
    msg = translate("demo", "starting the simulator ({stations} stations, scenario {scenario}, "
                    "speed {speed}) …")  # fmt: skip
    print(msg.format(stations=len(net.stations), scenario=scen.stem if scen else "none",
                     speed=f"{args.speed:g}"), file=sys.stderr)  # fmt: skip
    sim = SimulatorProcess(args.config, seed=args.seed, speed=args.speed, scenario=scen, port=0)
    # A stop signal while the simulator starts unwinds to the `finally` (StopRequested); then
    # open_window takes the same handlers over (records, later closes the window). Either way the
    # child is stopped after the console has stopped (console/commands/signals.py).
    with StopSignals(announce="heatconsole demo") as stop:
        try:
            try:
                sim.start()
            except SimulatorProcessError as e:
                msg = translate("demo", "the simulator did not start: {error}").format(error=e)
                print(f"heatconsole demo: {msg}", file=sys.stderr)
                return 1
            started = time.time()  # the simulator's clock starts ticking with its ready line
            accel = translate("demo", " — simulated time ×{speed}").format(speed=f"{args.speed:g}")
            accel = accel if args.speed != 1 else ""
            live = with_simulator_forecast(sim.network_with_endpoints(net), sim.forecast_dir,
                                           args.seed)  # fmt: skip
            # The trends' store is this run's own: each run starts the simulated city afresh
            # (same seed, a new clock), and a history kept from earlier runs showed their
            # weather again as this run's past (a saw-tooth in the trends) and overrode the
            # simulated past the room models and the metering read. The journal is kept.
            with tempfile.TemporaryDirectory(prefix="heatconsole-demo-") as tmp:
                return open_window(
                    on_simulator_clock(live, args.speed, started),
                    journal=journal,
                    user=local_identity(args.user),
                    config_file=args.config,
                    title=f"heatconsole demo{accel}",
                    stop=stop,
                    window_factory=wall_factory(args) if args.wall else None,
                    history_path=Path(tmp) / "history.sqlite",
                )
        except StopRequested:
            return 0
        finally:
            stop.stopping()
            sim.stop()
