"""`heatconsole run --config FILE [--journal FILE] [--user NAME] [--wall]`: the operator console
window on a real network, or with `--wall` the wall display (as `heatconsole wall`). Config
problems are printed (exit 2), a missing display is one clear message."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from console.cli_i18n import translate
from console.commands.config_report import load_or_report
from console.commands.signals import StopSignals
from console.core.auth.local import local_identity
from station_config.schema import NetworkDef


def add_seat_args(p: argparse.ArgumentParser, *, journal_help: str) -> None:
    """Where a window gets its network: a network file (its own service) or the control
    room's broker (a thin console). Shared by `run` and `wall`."""
    p.add_argument(
        "--config", metavar="FILE", help=translate("run", "network YAML file (single seat)")
    )
    p.add_argument(
        "--server",
        metavar="URL",
        help=translate("run", "control room: the broker, mqtt://HOST:PORT (thin console)"),
    )
    p.add_argument(
        "--login", metavar="NAME", help=translate("run", "control room user (asked if not given)")
    )
    p.add_argument(
        "--ca", metavar="FILE", help=translate("run", "CA certificate of the broker's TLS listener")
    )
    p.add_argument("--journal", metavar="FILE", help=journal_help)
    p.add_argument(
        "--user",
        metavar="NAME",
        help=translate("run", "operator name for the journal (default: login)"),
    )


def register(sub: argparse._SubParsersAction) -> None:
    from console.commands.wall import add_wall_args

    p = sub.add_parser(
        "run", help=translate("run", "open the operator console window on a network")
    )
    add_seat_args(
        p,
        journal_help=translate(
            "run",
            "journal file (default: $HEATCONSOLE_JOURNAL or "
            "~/.local/share/heatconsole/journal.sqlite; with --wall wall-journal.sqlite "
            "beside it)",
        ),
    )
    add_wall_args(p)
    p.set_defaults(func=run)


def default_journal(name: str = "journal.sqlite") -> Path:
    from console.core.journal.store import default_journal_path

    path = default_journal_path()
    return path if name == "journal.sqlite" else path.with_name(name)


def open_window(
    net: NetworkDef,
    *,
    journal: Path,
    user: str | None,
    config_file: str | None,
    title: str = "heatconsole",
    stop: StopSignals | None = None,
    window_factory: Any = None,
    history_path: Path | None = None,
) -> int:
    """Run the window until it is closed or a stop signal arrives; the service stops cleanly
    afterwards. `stop`: the caller's StopSignals (demo), else this installs its own.
    `window_factory`: another window than the console's (the wall display, launch.py).
    `history_path`: the trends' store (default: beside the journal)."""
    own = stop is None
    # "heatconsole run" / "heatconsole wall" (the window's title names the command)
    said = "heatconsole run" if title == "heatconsole" else title
    stop = stop or StopSignals(announce=said)
    # SIGINT, SIGTERM or SIGHUP (console/commands/signals.py, exit code 0): while the window is
    # built they are only recorded (an exception raised inside a Qt callback would be lost) and
    # looked at before the event loop starts; then they close the window like the close button
    # does (settings saved). Either way the session stops the service afterwards ("console
    # stopped" journalled, journal closed). The close is queued: it also works before exec().
    stop.defer()
    with stop if own else contextlib.nullcontext():
        try:
            from PySide6.QtCore import QTimer

            from console.app.launch import ConsoleSession, make_app

            app = make_app()
        except (RuntimeError, ImportError) as e:
            msg = translate("run", "cannot open the window: {error}").format(error=e)
            print(f"heatconsole: {msg}", file=sys.stderr)
            return 1
        journal.parent.mkdir(parents=True, exist_ok=True)
        session: ConsoleSession | None = None
        try:
            if stop.received is None:
                session = ConsoleSession(
                    net,
                    journal_path=journal,
                    user=user,
                    config_file=config_file,
                    title=title,
                    window_factory=window_factory,
                    history_path=history_path,
                )
                window = session.start()
                stop.on_stop = lambda _: QTimer.singleShot(0, window.close)
            if stop.received is not None:
                return 0
            window.show()
            # Python runs signal handlers only when it gets control: a light timer hands it
            # control a few times a second while Qt's loop runs.
            wake = QTimer()
            wake.timeout.connect(lambda: None)
            wake.start(200)
            return int(app.exec())
        finally:
            stop.stopping()
            if session is not None:
                session.stop()


def run(args: argparse.Namespace) -> int:
    """The console window, or the wall display with --wall (`heatconsole wall` sets it)."""
    wall = bool(getattr(args, "wall", False))
    factory = None
    if wall:
        from console.commands.wall import factory as wall_factory

        factory = wall_factory(args)
    if args.server:
        from console.commands.thin_console import open_remote_window

        # A thin console keeps no journal of its own and acts under its login: say so rather
        # than let a --user look like the name the server's journal will record.
        ignored = [o for o, v in (("--user", args.user), ("--journal", args.journal)) if v]
        if ignored:
            msg = translate(
                "run",
                "{options} ignored with --server: the servers journal every action under "
                "the login ({login})",
            ).format(options=", ".join(ignored), login="--login")
            print(f"heatconsole {args.command}: {msg}", file=sys.stderr)
        return open_remote_window(args, window_factory=factory)
    if not args.config:
        msg = translate("run", "give --config FILE or --server URL")
        print(f"heatconsole {args.command}: {msg}", file=sys.stderr)
        return 2
    net = load_or_report(args.config)
    if net is None:
        return 2
    # The wall keeps its own journal by default: a console on the same machine keeps its own.
    name = "wall-journal.sqlite" if wall else "journal.sqlite"
    journal = Path(args.journal).expanduser() if args.journal else default_journal(name)
    from console.commands.journal_file import journal_problem

    problem = journal_problem(journal)  # before the window: refused, the file left as it was
    if problem is not None:
        print(f"heatconsole {args.command}: {problem}", file=sys.stderr)
        return 2
    return open_window(
        net,
        journal=journal,
        user=local_identity(args.user),
        config_file=args.config,
        title="heatconsole wall" if wall else "heatconsole",
        window_factory=factory,
    )
