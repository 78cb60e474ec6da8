"""`heatconsole users add|passwd|role|remove|list`: keep the user store and the broker's files.

Every change rewrites Mosquitto's password and ACL files from the store (console/core/auth)
and, given `--broker-pid FILE`, asks the running broker to re-read them (SIGHUP).
"""

from __future__ import annotations

import argparse
import getpass
import pwd
import sys
from pathlib import Path

from console.cli import UserError
from console.cli_i18n import translate
from console.core.auth.mosquitto import reload_broker, write_broker_files
from console.core.auth.roles import Role
from console.core.auth.users import User, UserStore, default_store_path
from console.core.auth.users import UserError as StoreError
from console.terminal_table import cell_width

ROLES = ", ".join(r.value for r in Role)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "users",
        help=translate(
            "users", "manage users and roles; writes the broker's password and ACL files"
        ),
        description=translate(
            "users",
            "Users, roles (viewer, operator, engineer, admin, server) and argon2 "
            "password hashes in one store file; every change rewrites Mosquitto's password and "
            "ACL files from it.",
        ),
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--store",
        metavar="FILE",
        help=translate(
            "users",
            "user store (default: $HEATCONSOLE_USERS or ~/.local/share/heatconsole/users.json)",
        ),
    )
    common.add_argument(
        "--broker-files",
        metavar="DIR",
        help=translate(
            "users",
            "where to write mosquitto.passwd and mosquitto.acl (default: the store's folder)",
        ),
    )
    common.add_argument(
        "--broker-owner",
        metavar="USER",
        help=translate(
            "users", "give the broker files to this system user (the broker's; needs root)"
        ),
    )
    common.add_argument(
        "--broker-pid",
        metavar="FILE",
        help=translate("users", "pid file of a running Mosquitto to reload"),
    )
    pw = argparse.ArgumentParser(add_help=False)
    pw.add_argument(
        "--password-stdin",
        action="store_true",
        help=translate(
            "users", "read the password from the first line of standard input (for scripts)"
        ),
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("add", parents=[common, pw], help=translate("users", "add a user"))
    a.add_argument("name", metavar="NAME")
    a.add_argument(
        "--role",
        default="viewer",
        help=translate("users", "{roles} (default: viewer)").format(roles=ROLES),
    )
    a = actions.add_parser(
        "passwd", parents=[common, pw], help=translate("users", "set a user's password")
    )
    a.add_argument("name", metavar="NAME")
    a = actions.add_parser(
        "role", parents=[common], help=translate("users", "change a user's role")
    )
    a.add_argument("name", metavar="NAME")
    a.add_argument("role", metavar="ROLE", help=ROLES)
    a = actions.add_parser("remove", parents=[common], help=translate("users", "remove a user"))
    a.add_argument("name", metavar="NAME")
    actions.add_parser("list", parents=[common], help=translate("users", "list users and roles"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.broker_owner:  # before the store changes, not after
        try:
            pwd.getpwnam(args.broker_owner)
        except KeyError:
            msg = translate("users", "no system user {name!r}").format(name=args.broker_owner)
            raise UserError(f"--broker-owner: {msg}") from None
    store = UserStore(Path(args.store).expanduser() if args.store else default_store_path())
    try:
        if args.action == "list":
            _print_list(store.list(), store.path)
            return 0
        if args.action == "add":
            user = store.add(args.name, _password(args, twice=True), args.role)
            did = translate("users", "added {name} ({role})")
        elif args.action == "passwd":
            store.get(args.name)  # before asking for a password, not after
            user = store.passwd(args.name, _password(args, twice=True))
            did = translate("users", "changed the password of {name}")
        elif args.action == "role":
            user = store.set_role(args.name, args.role)
            did = translate("users", "{name} is now {role}")
        else:
            user = store.remove(args.name)
            did = translate("users", "removed {name} ({role})")
        did = did.format(name=user.name, role=user.role)
        print(translate("users", "{done} in {file}").format(done=did, file=store.path))
        _write_broker_files(args, store)
    except StoreError as e:
        raise UserError(str(e)) from None
    return 0


def _password(args: argparse.Namespace, twice: bool) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise UserError(
            translate("users", "no terminal to ask for the password: use --password-stdin")
        )
    first = getpass.getpass(translate("users", "Password: "))
    if twice and getpass.getpass(translate("users", "Password again: ")) != first:
        raise UserError(translate("users", "the two passwords differ; nothing changed"))
    return first


def _write_broker_files(args: argparse.Namespace, store: UserStore) -> None:
    directory = Path(args.broker_files).expanduser() if args.broker_files else store.path.parent
    try:
        files = write_broker_files(store.list(), directory, args.broker_owner)
    except OSError as e:
        msg = translate(
            "users", "the store is changed, but the broker files in {dir} are not: {error}"
        )
        raise UserError(msg.format(dir=directory, error=e.strerror)) from None
    msg = translate("users", "wrote {file} and {other}")
    print(msg.format(file=files.password_file, other=files.acl_file))
    if args.broker_pid:
        try:
            pid = reload_broker(args.broker_pid)
        except ValueError as e:
            msg = translate("users", "the files are written, reload the broker yourself")
            raise UserError(f"{e}; {msg}") from None
        print(translate("users", "asked the broker (pid {pid}) to reload them").format(pid=pid))


def _print_list(users: list[User], path: Path) -> None:
    if not users:
        print(translate("users", "no users in {file}").format(file=path))
        return
    width = max(cell_width(u.name) for u in users)
    for u in users:
        pad = " " * (width - cell_width(u.name))
        changed = translate("users", "changed {when}").format(when=u.changed)
        print(f"{u.name}{pad}  {u.role.value:<8}  {changed}")
