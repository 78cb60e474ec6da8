"""`heatconsole simulate --config FILE`: serve the network's simulated stations over Modbus TCP.

Prints where it listens and a short live status; SIGINT (Ctrl-C), SIGTERM and SIGHUP stop it
cleanly, exit 0 (console/commands/signals.py). With
`--json-ready` the first stdout line is `{"ready": true, "endpoints": {id: [host, port]}, ...}`
and status lines are JSON too (drivers.simulator.process.SimulatorProcess reads them).
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import json
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime

from console.cli_i18n import translate
from console.commands.config_report import load_or_report, report_problems
from console.commands.demo import NoScenario, existing_scenario
from console.commands.signals import run_until_stop_event
from console.text_safety import terminal_safe
from drivers.simulator.runner import Simulator
from station_config.loader import ConfigError


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", required=True, help=translate("simulate", "network YAML file"))
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        help=translate("simulate", "random seed of physics and faults"),
    )
    p.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help=translate("simulate", "simulated seconds per wall second"),
    )
    p.add_argument(
        "--scenario",
        help=translate(
            "simulate", "scenario name (station_config/scenarios, e.g. cold_wave) or a YAML file"
        ),
    )
    p.add_argument(
        "--port",
        type=int,
        help=translate("simulate", "bind every station on this port instead (0 = ephemeral)"),
    )
    p.add_argument(
        "--bind-host",
        help=translate("simulate", "bind every station on this host instead (e.g. 127.0.0.1)"),
    )
    p.add_argument(
        "--status-every",
        type=float,
        default=5.0,
        help=translate("simulate", "seconds between status lines"),
    )
    p.add_argument(
        "--physics",
        choices=("network", "static"),
        default="network",
        help=translate(
            "simulate", "network = the heat-network model; static = constant values (tests)"
        ),
    )
    p.add_argument(
        "--json-ready",
        action="store_true",
        help=translate("simulate", "machine-readable ready/status lines"),
    )
    p.add_argument(
        "--forecast-dir",
        help=translate(
            "simulate",
            "folder for the simulator's hourly outdoor forecast, JSON and CSV every 6 simulated "
            "hours (docs/forecast-format.md); default: a temporary folder, removed on exit, whose "
            "path the ready line gives",
        ),
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "simulate", help=translate("simulate", "run the network simulator (Modbus TCP servers)")
    )
    add_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    net = load_or_report(args.config)
    if net is None:
        return 1
    if args.speed <= 0:
        msg = translate("simulate", "--speed must be positive")
        print(f"heatconsole simulate: {msg}", file=sys.stderr)
        return 2
    if args.port is not None and not 0 <= args.port <= 65535:
        msg = translate("simulate", "--port must be 0..65535")
        print(f"heatconsole simulate: {msg}", file=sys.stderr)
        return 2
    scenario = None
    try:
        scen = existing_scenario(args.scenario)  # the same names as `demo --scenario`
    except NoScenario as e:
        print(f"heatconsole simulate: {e}", file=sys.stderr)
        return 2
    if scen is not None:
        try:
            from drivers.simulator.scenarios import Scenario

            scenario = Scenario.load(scen)
        except ConfigError as e:
            report_problems(e, args.scenario)
            return 1
        except (OSError, ValueError) as e:
            msg = translate("simulate", "scenario {name}: {error}")
            print(
                f"heatconsole simulate: {msg.format(name=args.scenario, error=e)}", file=sys.stderr
            )
            return 1
    forecast_dir = args.forecast_dir
    if forecast_dir is None and args.physics == "network":
        forecast_dir = tempfile.mkdtemp(prefix="heatconsole-forecast-")
        atexit.register(shutil.rmtree, forecast_dir, ignore_errors=True)
    physics = None
    if args.physics == "static":
        from drivers.simulator.static_physics import StaticPhysics

        physics = StaticPhysics(net, seed=args.seed)
    sim = Simulator(
        net,
        physics=physics,
        seed=args.seed,
        speed=args.speed,
        scenario=scenario,
        bind_host_override=args.bind_host,
        port=args.port,
        forecast_dir=forecast_dir,
    )
    try:
        # Installed before the loop runs: a stop signal at any point takes the clean path.
        return run_until_stop_event(
            lambda stop: _serve(sim, args, stop), announce="heatconsole simulate"
        )
    except KeyboardInterrupt:  # a second Ctrl-C during shutdown
        return 130


async def _serve(sim: Simulator, args: argparse.Namespace, stop: asyncio.Event) -> int:
    if not stop.is_set():  # stopped before it listened: nothing to serve, nothing to close
        try:
            await sim.start()
        except OSError as e:
            msg = translate("simulate", "cannot listen: {error}").format(error=e)
            print(f"heatconsole simulate: {msg}", file=sys.stderr)
            return 1
        try:
            _print_ready(sim, args.json_ready)
            last_req, last_t = 0, time.monotonic()
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), args.status_every)
                st = sim.stats()
                now = time.monotonic()
                st["req_per_s"] = round((st["requests"] - last_req) / max(now - last_t, 1e-6), 1)
                last_req, last_t = st["requests"], now
                _print_status(st, args.json_ready)
        finally:
            await sim.stop()
    if not args.json_ready:
        print(translate("simulate", "simulator stopped"), flush=True)
    return 0


def _print_ready(sim: Simulator, as_json: bool) -> None:
    if as_json:
        eps = {sid: [h, p] for sid, (h, p) in sim.endpoints.items()}
        ready = {"ready": True, "endpoints": eps, "speed": sim.speed}
        ready["forecast_dir"] = str(sim.forecast_dir) if sim.forecast is not None else None
        print(json.dumps(ready), flush=True)
        return
    eps = list(sim.endpoints.items())
    name = terminal_safe(sim.net.name)
    msg = translate("simulate", "simulating {n} stations of '{name}' at speed {speed}")
    print(msg.format(n=len(eps), name=name, speed=f"{sim.speed:g}"))
    for sid, (h, p) in eps[:10]:
        print(f"  {terminal_safe(sid):<12} {h}:{p}")
    if len(eps) > 10:
        print("  " + translate("simulate", "… and {n} more").format(n=len(eps) - 10))
    if sim.forecast is not None:
        msg = translate("simulate", "outdoor forecast every 6 simulated hours in {dir}")
        print(msg.format(dir=sim.forecast_dir))
    print(translate("simulate", "Ctrl-C stops."), flush=True)


def _print_status(st: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"status": st}), flush=True)
        return
    t = datetime.fromtimestamp(st["sim_time"], UTC).strftime("%Y-%m-%d %H:%M:%S")
    msg = translate(
        "simulate",
        "sim {time} UTC | {rate} req/s, {requests} total, {exceptions} exceptions, {writes} "
        "writes | {clients} clients | {faults} stations with faults | tick {tick} ms CPU",
    )
    print(
        msg.format(
            time=t,
            rate=f"{st['req_per_s']:.0f}",
            requests=st["requests"],
            exceptions=st["exceptions"],
            writes=st["writes"],
            clients=st["connections"],
            faults=st["faults"],
            tick=st["tick_cpu_ms"],
        ),
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m drivers.simulator ...` (same options, without the subcommand)."""
    from console import cli_i18n

    cli_i18n.use(cli_i18n.choose())  # the language `heatconsole` would speak
    p = argparse.ArgumentParser(prog="python -m drivers.simulator")
    add_arguments(p)
    return run(p.parse_args(argv))
