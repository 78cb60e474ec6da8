"""`heatconsole wall` (= `heatconsole run --wall`): the wall display for the big screen of the
dispatch hall.

`--config FILE` runs it on its own service, as `run` does (its own journal by default, so a
console on the same machine keeps its own); `--server mqtt://HOST:PORT --login NAME` as a thin
console of the control room, typically logged in as a viewer (password from
$HEATCONSOLE_PASSWORD, else the login dialog). Full screen, no interaction: Esc or closing the
window ends it, and SIGINT/SIGTERM/SIGHUP stop it cleanly (console/commands/signals.py).
"""

from __future__ import annotations

import argparse

from console.cli_i18n import translate

# Seconds per view of the district cycle (no Qt import here: every command loads this module).
CYCLE_S = 20.0


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate("wall", "not a number of seconds: {text!r}").format(text=text)
        ) from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(
            translate("wall", "{text} s: give 0 (no cycle) to 3600 seconds").format(text=text)
        )
    return value


def add_wall_args(p: argparse.ArgumentParser, *, flag: bool = True) -> None:
    """The wall display's options; `flag` adds `--wall` itself (run, demo)."""
    if flag:
        p.add_argument(
            "--wall",
            action="store_true",
            help=translate("wall", "the wall display instead of the console"),
        )
    p.add_argument(
        "--cycle",
        type=positive_seconds,
        default=CYCLE_S,
        metavar="SECONDS",
        help=translate(
            "wall",
            "seconds per view: the city, then each district (default {cycle}; 0 = no cycle)",
        ).format(cycle=f"{CYCLE_S:g}"),
    )
    p.add_argument(
        "--windowed",
        action="store_true",
        help=translate("wall", "a 1920x1080 window instead of full screen"),
    )


def register(sub: argparse._SubParsersAction) -> None:
    from console.commands.run import add_seat_args, run

    p = sub.add_parser(
        "wall", help=translate("wall", "full-screen wall display for the dispatch hall")
    )
    add_seat_args(
        p,
        journal_help=translate(
            "wall", "journal file with --config (default: wall-journal.sqlite beside the console's)"
        ),
    )
    add_wall_args(p, flag=False)
    p.set_defaults(func=run, wall=True)


def factory(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from console.app.wall_window import wall_factory

    return wall_factory(cycle_s=args.cycle, full_screen=not args.windowed)
