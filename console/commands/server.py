"""`heatconsole server --config FILE --broker mqtt://HOST:PORT [--partition …]`: an acquisition
server, headless. It polls its partition of the network, owns the alarm state of those stations,
keeps the journal and history, and publishes all of it into the broker's hc/v1 namespace for the
control room's consoles (docs/mqtt-namespace.md). Stops cleanly on SIGINT/SIGTERM/SIGHUP.

Its broker login: `--login NAME` (a user of role `server` in the user store) and the password
from $HEATCONSOLE_BROKER_PASSWORD, a file (`--password-file`), or a prompt.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import getpass
import logging
import os
import sys
from pathlib import Path

from console.cli_i18n import translate
from console.commands.config_report import load_or_report
from console.commands.journal_file import journal_problem
from console.commands.signals import run_until_stop_event
from console.core.auth.roles import Role, why_not
from console.core.auth.users import UserError, UserStore, default_store_path
from console.core.journal.pg_connect import DbError, check_tls
from console.core.journal.store import default_journal_path
from console.core.process_memory import MallocTrimmer, limit_sqlite_heap, tune_malloc
from console.remote.link import BrokerAddress, LinkError
from console.server.partition import Partition, PartitionError
from console.server.retire import RetireError, retire_partition
from console.server.server import AcquisitionServer, Roles, ServerLogin


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "server", help=translate("server", "run an acquisition server for the control room (MQTT)")
    )
    p.add_argument("--config", metavar="FILE", help=translate("server", "network YAML file"))
    p.add_argument(
        "--retire",
        metavar="NAME",
        help=translate(
            "server",
            "clear a partition that no longer runs (its retained description and status) "
            "from the broker, then exit",
        ),
    )
    p.add_argument(
        "--broker",
        required=True,
        metavar="URL",
        help=translate("server", "mqtt://HOST:PORT or mqtts://…"),
    )
    p.add_argument(
        "--partition",
        metavar="SPEC",
        help=translate(
            "server",
            "the stations this server owns: all (default), [NAME=]district:ID[,ID…] or "
            "[NAME=]stations:ID[,ID…]",
        ),
    )
    p.add_argument(
        "--login",
        default="server",
        metavar="NAME",
        help=translate("server", "broker user (role server)"),
    )
    p.add_argument(
        "--password-file",
        metavar="FILE",
        help=translate("server", "file holding the broker password"),
    )
    p.add_argument(
        "--ca",
        metavar="FILE",
        help=translate("server", "CA certificate that signed the broker's (TLS)"),
    )
    p.add_argument(
        "--users",
        metavar="FILE",
        help=translate("server", "user store (default: {file})").format(file=default_store_path()),
    )
    p.add_argument(
        "--journal", metavar="FILE", help=translate("server", "the server's local journal (SQLite)")
    )
    p.add_argument(
        "--db",
        metavar="DSN",
        help=translate("server", "shared journal: postgresql://… (store-and-forward)"),
    )
    p.set_defaults(func=run)


def _password(args: argparse.Namespace) -> str | None:
    env = os.environ.get("HEATCONSOLE_BROKER_PASSWORD")
    if env:
        return env
    if args.password_file:
        try:
            return Path(args.password_file).read_text(encoding="utf-8").strip()
        except OSError as e:
            msg = translate("server", "cannot read {file}: {error}")
            print(
                f"heatconsole server: {msg.format(file=args.password_file, error=e)}",
                file=sys.stderr,
            )
            return None
    if sys.stdin.isatty():
        return getpass.getpass(
            translate("server", "broker password for {login}: ").format(login=args.login)
        )
    msg = translate(
        "server", "no broker password (set HEATCONSOLE_BROKER_PASSWORD or --password-file)"
    )
    print(f"heatconsole server: {msg}", file=sys.stderr)
    return None


def login_problem(store: UserStore, login: str) -> str | None:
    """Why `login` cannot be this server's account in `store` (None: it can). The server checks
    every console's role against this store, which the broker's files are written from: with
    another store, or another kind of account, it ran on and every request was refused or
    never arrived (the broker lets only a `server` user publish plant state and read requests)."""
    try:
        role = store.role_of(login)
    except UserError as e:
        return str(e)
    if role is None:
        msg = translate(
            "server",
            "no user {login!r} in the user store {file}: give the store the broker's files are "
            "written from (--users FILE) and a user of role server in it (--login NAME)",
        )
        return msg.format(login=login, file=store.path)
    if role is not Role.SERVER:
        msg = translate(
            "server",
            "{login!r} is {role} in {file}: a server logs in as a user of role server "
            "(heatconsole users add NAME --role server)",
        )
        return msg.format(login=login, role=role.value, file=store.path)
    return None


def roles_from(store: UserStore) -> Roles:
    def role_of(name: str) -> str | None:
        try:
            r = store.role_of(name)
        except Exception:  # an unreadable store refuses everyone, it does not crash
            return None
        return None if r is None else str(r)

    def users() -> dict[str, str]:
        try:
            return {u.name: str(u.role) for u in store.list()}
        except Exception:
            return {}

    return Roles(role_of=role_of, why_not=lambda role, verb: why_not(role, verb), users=users)


def retire(args: argparse.Namespace) -> int:
    try:
        address = BrokerAddress.parse(args.broker)
        address.check_transport(args.ca)
    except LinkError as e:
        print(f"heatconsole server: {e}", file=sys.stderr)
        return 2
    password = _password(args)
    if password is None:
        return 2
    try:
        retire_partition(address, args.retire, login=args.login, password=password, ca_file=args.ca)
    except RetireError as e:
        print(f"heatconsole server: {e}", file=sys.stderr)
        return 1
    msg = translate("server", "partition {name} retired: consoles drop it")
    print("heatconsole server: " + msg.format(name=args.retire))
    return 0


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.retire:
        return retire(args)
    if not args.config:
        msg = translate("server", "--config FILE is required (or --retire NAME)")
        print(f"heatconsole server: {msg}", file=sys.stderr)
        return 2
    net = load_or_report(args.config)
    if net is None:
        return 2
    try:
        partition = Partition.parse(args.partition)
        partition.select(net)
        address = BrokerAddress.parse(args.broker)
        address.check_transport(args.ca)
        if args.db:
            check_tls(args.db)  # a database password never crosses a network in clear
    except (PartitionError, LinkError, DbError) as e:
        print(f"heatconsole server: {e}", file=sys.stderr)
        return 2
    store = UserStore(Path(args.users).expanduser() if args.users else default_store_path())
    problem = login_problem(store, args.login)
    if problem is not None:
        print(f"heatconsole server: {problem}", file=sys.stderr)
        return 2
    password = _password(args)
    if password is None:
        return 2
    journal = (
        Path(args.journal).expanduser()
        if args.journal
        else default_journal_path().with_name(f"server-{partition.name}.sqlite")
    )
    problem = journal_problem(journal)
    if problem is not None:
        print(f"heatconsole server: {problem}", file=sys.stderr)
        return 2
    # A server runs for months: the same memory discipline as the console (before any thread).
    tune_malloc()
    limit_sqlite_heap()
    trimmer = MallocTrimmer()

    async def serve(stop: asyncio.Event) -> int:
        # Made under the stop handling: it opens the journal, whose stop must be recorded.
        server = AcquisitionServer(
            net, partition, address, ServerLogin(args.login, password, args.ca),
            roles_from(store), journal_path=journal, config_file=args.config, db=args.db,
        )  # fmt: skip
        return await _serve_until(server, stop)

    try:
        trimmer.start()
        # One stop path for every command (console/commands/signals.py): SIGINT/TERM/HUP set
        # `stop`, from before the loop runs.
        return run_until_stop_event(serve, announce="heatconsole server")
    finally:
        trimmer.stop()


async def _serve_until(server: AcquisitionServer, stop: asyncio.Event) -> int:
    if stop.is_set():  # stopped while it was made: the journal records it, nothing to leave
        await server.service.stop()
        return 0
    try:
        await server.start()
    except LinkError as e:
        print(f"heatconsole server: {e}", file=sys.stderr)
        await server.service.stop()
        return 1
    part = server.partition.name
    n = len(server.net.stations)
    msg = translate("server", "partition {name} ({n} stations) on {address}")
    print("heatconsole server: " + msg.format(name=part, n=n, address=server.link.address))
    # The network's long-lived objects (tables, engine, pydantic config) stay out of every
    # later full collection: this process is only this server.
    gc.freeze()
    try:
        await stop.wait()
    finally:
        await server.stop()
    print("heatconsole server: " + translate("server", "stopped"))
    return 0
