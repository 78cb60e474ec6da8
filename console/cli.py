"""`heatconsole` entry point: a thin dispatcher over the modules in console.commands.

Each command module exposes `register(subparsers)`, which adds its parser and sets
`func=run` (a callable taking the parsed args and returning an exit code). Errors meant for
the user are raised as UserError and printed as one clear message, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys

from console import cli_i18n
from console.cli_i18n import translate
from console.commands.signals import StopRequested, StopSignals, start_up_stop

# Subcommand modules, in the order `heatconsole --help` lists them.
COMMAND_MODULES = [
    "console.commands.check_config",
    "console.commands.poll",
    "console.commands.generate_network",
    "console.commands.simulate",
    "console.commands.log",
    "console.commands.handover",
    "console.commands.db",
    "console.commands.energy",
    "console.commands.run",
    "console.commands.demo",
    "console.commands.screenshot",
    "console.commands.server",
    "console.commands.control_room",
    "console.commands.users",
    "console.commands.wall",
]


class UserError(Exception):
    """Bad input from the user (a file, an option): printed without a traceback, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    """The whole parser, its help in the language in use (cli_i18n.use before this)."""
    parser = argparse.ArgumentParser(
        prog="heatconsole",
        description=translate("cli", "Operator console for a district-heating network."),
    )
    parser.add_argument(
        "--lang",
        metavar="zh_CN|en",
        help=translate(
            "cli",
            "language of messages and reports (default: $HEATCONSOLE_LANG, else the locale)",
        ),
    )
    sub = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        required=True,
        title=translate("cli", "commands"),
    )
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # First thing: a long-running command stopped while it imports, reads its config or opens
    # its journal takes the graceful path too (console/commands/signals.py).
    try:
        with start_up_stop(argv) as stop:
            rc = _main(argv, stop)
            # A stop whose StopRequested was lost on the way (raised where Python only prints
            # it) still ends as a caught one does.
            return 0 if stop is not None and stop.received is not None else rc
    except StopRequested:
        return 0  # what unwound had opened nothing yet, or closed it in its `finally`
    except Exception as e:
        # Raised by the handler inside a library's import, the stop can come out wrapped: numpy
        # creating a class turns it into "RuntimeError: Error calling __set_name__" (seen in CI).
        if _from_stop(e):
            return 0
        raise


def _from_stop(e: BaseException | None) -> bool:
    """Whether `e` is, or was raised from or while handling, a StopRequested."""
    seen: set[int] = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, StopRequested):
            return True
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return False


def _main(argv: list[str], stop: StopSignals | None = None) -> int:
    explicit = cli_i18n.lang_in_argv(argv)
    try:
        lang = cli_i18n.choose(explicit)
    except ValueError:
        cli_i18n.use(cli_i18n.choose())  # say it in the language the environment asks for
        msg = translate("cli", "unknown language {tag!r}; choose one of: {choices}")
        print(
            f"heatconsole --lang: {msg.format(tag=explicit, choices='zh_CN, en')}",
            file=sys.stderr,
        )
        return 2
    cli_i18n.use(lang)
    cli_i18n.remember_explicit(lang if explicit else None)  # `--lang zh_CN demo`: the window too
    args = build_parser().parse_args(argv)
    if stop is not None and stop.received is not None:  # came while the commands imported
        raise StopRequested(stop.received)
    try:
        return int(args.func(args) or 0)
    except UserError as e:
        from console.text_safety import terminal_safe  # messages may quote a file's content

        message = terminal_safe(e, keep_newlines=True)  # a list of bad rows keeps its lines
        print(f"heatconsole {args.command}: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`log --format csv | head`): stop quietly, as a SIGPIPE'd tool
        # does. Point stdout at /dev/null so the interpreter's final flush cannot raise again.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE


if __name__ == "__main__":
    # `python -m console.cli`: the commands raise console.cli.UserError, which this file run as
    # __main__ would not catch (its own class of that name): run the imported module's main.
    from console.cli import main as module_main

    sys.exit(module_main())
