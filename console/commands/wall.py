"""`heatconsole wall`: the wall display for the big screen of the dispatch hall.

`--config FILE` runs it on its own service, as `run` does (its own journal by default, so a
console on the same machine keeps its own); `--server mqtt://HOST:PORT --login NAME` as a thin
console of the control room, typically logged in as a viewer (password from
$HEATCONSOLE_PASSWORD, else the login dialog). Full screen, no interaction: Esc or closing the
window ends it, and SIGINT/SIGTERM/SIGHUP stop it cleanly (console/commands/signals.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Seconds per view of the district cycle (no Qt import here: every command loads this module).
CYCLE_S = 20.0


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text} s: give 0 (no cycle) to 3600 seconds")
    return value


def add_wall_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--cycle",
        type=positive_seconds,
        default=CYCLE_S,
        metavar="SECONDS",
        help=f"seconds per view: the city, then each district (default {CYCLE_S:g}; 0 = no cycle)",
    )
    p.add_argument(
        "--windowed", action="store_true", help="a 1920x1080 window instead of full screen"
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("wall", help="full-screen wall display for the dispatch hall")
    p.add_argument("--config", metavar="FILE", help="network YAML file (its own service)")
    p.add_argument(
        "--server", metavar="URL", help="control room: the broker, mqtt://HOST:PORT (thin console)"
    )
    p.add_argument("--login", metavar="NAME", help="control room user, e.g. a viewer")
    p.add_argument("--ca", metavar="FILE", help="CA certificate of the broker's TLS listener")
    p.add_argument(
        "--journal",
        metavar="FILE",
        help="journal file with --config (default: wall-journal.sqlite beside the console's)",
    )
    p.add_argument("--user", metavar="NAME", help="name for the journal (default: login)")
    add_wall_args(p)
    p.set_defaults(func=run)


def factory(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from console.app.wall_window import wall_factory

    return wall_factory(cycle_s=args.cycle, full_screen=not args.windowed)


def run(args: argparse.Namespace) -> int:
    if args.server:
        from console.commands.thin_console import open_remote_window

        return open_remote_window(args, window_factory=factory(args))
    if not args.config:
        print("heatconsole wall: give --config FILE or --server URL", file=sys.stderr)
        return 2
    from console.commands.config_report import load_or_report
    from console.commands.run import default_journal, open_window

    net = load_or_report(args.config)
    if net is None:
        return 2
    journal = (
        Path(args.journal).expanduser() if args.journal else default_journal("wall-journal.sqlite")
    )
    return open_window(
        net,
        journal=journal,
        user=args.user,
        config_file=args.config,
        title="heatconsole wall",
        window_factory=factory(args),
    )
