"""`heatconsole db init`: set up the control room's shared journal in a PostgreSQL database.

heatconsole db init --db postgresql://admin@host/dbname [--server-role NAME] [--reader-role NAME]
                    [--server-password-file FILE] [--reader-password-file FILE]

Creates the events table (append-only: a trigger refuses UPDATE, DELETE and TRUNCATE), a role
for the acquisition server (INSERT and SELECT) and one for the consoles (SELECT, read-only
sessions). Running it again checks the same and changes only the passwords it is given.
Passwords come from files, never the command line (which other users can see in `ps`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from console.cli import UserError
from console.cli_i18n import translate
from console.core.journal.source import JournalReadError, is_pg_address


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "db",
        help=translate("db", "set up the control room's shared journal on PostgreSQL"),
        description=translate("db", "Manage the shared journal database."),
    )
    subs = p.add_subparsers(dest="db_command", metavar="SUBCOMMAND", required=True)
    init = subs.add_parser(
        "init",
        help=translate("db", "create the journal's table, trigger and roles (idempotent)"),
        description=translate(
            "db",
            "Create the shared journal in an existing database, with a role for the "
            "acquisition server and a read-only role for the consoles.",
        ),
    )
    init.add_argument(
        "--db",
        required=True,
        metavar="ADMIN_URL",
        help=translate(
            "db",
            "postgresql://admin@host/dbname as the database owner with CREATEROLE, or a "
            "superuser (a host other than this machine needs ?sslmode=verify-full)",
        ),
    )
    init.add_argument(
        "--server-role", default="heatconsole_server", help=translate("db", "the server's role")
    )
    init.add_argument(
        "--reader-role", default="heatconsole_reader", help=translate("db", "the consoles' role")
    )
    init.add_argument(
        "--server-password-file", metavar="FILE", help=translate("db", "its password, first line")
    )
    init.add_argument(
        "--reader-password-file", metavar="FILE", help=translate("db", "its password, first line")
    )
    init.set_defaults(func=run_init)


def _password(path: str | None, option: str) -> str | None:
    if path is None:
        return None
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{option} {path}: {e}") from None
    if not lines or not lines[0].strip():
        raise UserError(f"{option} {path}: " + translate("db", "the first line is empty"))
    return lines[0].strip()


def run_init(args: argparse.Namespace) -> int:
    if not is_pg_address(args.db):
        msg = translate("db", "give a postgresql://user@host/dbname address")
        raise UserError(f"--db {args.db!r}: {msg}")
    server_pw = _password(args.server_password_file, "--server-password-file")
    reader_pw = _password(args.reader_password_file, "--reader-password-file")
    from console.core.journal import postgres  # psycopg only for those who use it
    from console.core.journal.pg_connect import describe_dsn

    try:
        done = postgres.init_database(
            args.db,
            args.server_role,
            args.reader_role,
            server_password=server_pw,
            reader_password=reader_pw,
        )
    except JournalReadError as e:
        raise UserError(str(e)) from None
    where = describe_dsn(args.db)
    print(translate("db", "shared journal ready in {where}:").format(where=where))
    for line in done:
        print(f"  {line}")
    base = where.removeprefix("postgresql://").rsplit("@", 1)[-1]
    server, reader = (
        f"postgresql://{role}@{base}" for role in (args.server_role, args.reader_role)
    )
    print(translate("db", "the server connects as {address}").format(address=server))
    print(translate("db", "consoles read as      {address}").format(address=reader))
    return 0
