"""`heatconsole log`: list, annotate, export and import the local journal.

heatconsole log [--journal FILE | --db postgresql://…] [filters] [--format table|csv|json]
heatconsole log note TEXT [--user U] [--station S]
heatconsole log export [filters] -o bundle.hcj
heatconsole log import bundle.hcj [--db postgresql://…] [--trust-unsigned] [--trust-key KEYID]
heatconsole log key show|export [-o FILE]        this laptop's bundle-signing public key
heatconsole log trust add FILE|remove KEYID|list  the keys whose bundles this console imports
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path

from console.cli import UserError
from console.commands.log_keys import register_keys
from console.core.auth.local import local_identity
from console.core.events import JournalEvent, Kind
from console.core.journal import store
from console.core.journal.bundle import BundleError, Trust, export_bundle, import_bundle
from console.core.journal.query import (
    DEFAULT_SHIFT_BOUNDARIES,
    Filters,
    QueryError,
    count,
    iter_events,
    normalise_kinds,
    normalise_priorities,
    normalise_states,
    parse_boundaries,
    parse_time,
    shift_range,
    write_csv,
    write_json,
    write_table,
)
from console.core.journal.source import (
    JournalReadError,
    JournalSource,
    SqliteSource,
    is_pg_address,
)
from console.text_safety import terminal_safe

TABLE_DEFAULT_LIMIT = 200


def add_journal_arg(p: argparse.ArgumentParser, suppress: bool = False) -> None:
    for flag, metavar, help_ in (
        ("--journal", "FILE", "journal file (default: $HEATCONSOLE_JOURNAL or "
         "~/.local/share/heatconsole/journal.sqlite)"),
        ("--db", "URL|FILE", "the control room's shared journal, postgresql://user@host/dbname "
         "(a host other than this machine needs ?sslmode=verify-full), or a journal file"),
    ):  # fmt: skip
        p.add_argument(
            flag, metavar=metavar, default=argparse.SUPPRESS if suppress else None, help=help_
        )


def add_time_args(p: argparse.ArgumentParser, suppress: bool = False) -> None:
    d = argparse.SUPPRESS if suppress else None
    p.add_argument("--since", default=d, help="start: 08:00, 2026-01-05, 2026-01-05T08:00, 2h")
    p.add_argument("--until", default=d, help="end (exclusive), same forms as --since")
    p.add_argument("--shift", choices=["current", "last"], default=d, help="a whole shift")
    p.add_argument(
        "--shift-boundaries",
        metavar="HH:MM,…",
        default=argparse.SUPPRESS if suppress else None,
        help="where shifts change (default: $HEATCONSOLE_SHIFTS or 08:00,20:00)",
    )


def add_filter_args(p: argparse.ArgumentParser, suppress: bool = False) -> None:
    add_time_args(p, suppress)
    d = argparse.SUPPRESS if suppress else []
    for name, help_ in (
        ("station", "station id"),
        ("district", "district id"),
        ("priority", "critical|high|medium|low|info; 'high+' = high or more urgent"),
        ("state", "alarm state, e.g. UNACK"),
        ("kind", "alarm|comm|operator|config|system"),
        ("user", "operator"),
        ("alarm", "alarm key, e.g. jx-001/room_temp[3]/room_low"),
    ):
        p.add_argument(
            f"--{name}", action="append", default=d, help=help_ + " (repeat or comma-separate)"
        )
    p.add_argument(
        "--text", default=argparse.SUPPRESS if suppress else None, help="text in message/comment"
    )


def pg_address(args: argparse.Namespace) -> str | None:
    """The --db PostgreSQL URL, if that is where the journal is."""
    db = getattr(args, "db", None)
    if db and getattr(args, "journal", None):
        raise UserError("give either --journal or --db, not both")
    return db if db and is_pg_address(db) else None


def journal_path(args: argparse.Namespace) -> Path:
    if pg_address(args) is None and getattr(args, "db", None):
        return Path(args.db).expanduser()
    return Path(args.journal).expanduser() if getattr(args, "journal", None) else (
        store.default_journal_path()
    )  # fmt: skip


def open_source(args: argparse.Namespace) -> JournalSource:
    """The journal to read: the shared one on PostgreSQL, or a local file."""
    dsn = pg_address(args)
    if dsn is None:
        return SqliteSource(open_journal(args))
    from console.core.journal import postgres  # psycopg only for those who use it

    try:
        return postgres.open_source(dsn)
    except JournalReadError as e:
        raise UserError(str(e)) from None


def _local_only(args: argparse.Namespace, what: str) -> None:
    if pg_address(args):
        raise UserError(
            f"{what} works on a journal file; the shared journal takes events from its server"
        )


def open_journal(args: argparse.Namespace, *, create: bool = False) -> sqlite3.Connection:
    path = journal_path(args)
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        return store.connect(path, create=create)
    except store.JournalError as e:
        raise UserError(str(e)) from None
    except (sqlite3.Error, OSError) as e:
        raise UserError(f"cannot open journal {path}: {e}") from None


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


def time_range(
    args: argparse.Namespace, now: float | None = None
) -> tuple[float | None, float | None]:
    now = time.time() if now is None else now
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    shift = getattr(args, "shift", None)
    bounds = (
        getattr(args, "shift_boundaries", None)
        or os.environ.get("HEATCONSOLE_SHIFTS")
        or ",".join(DEFAULT_SHIFT_BOUNDARIES)
    )
    try:
        parse_boundaries(bounds)
        if shift:
            if since or until:
                raise QueryError("give either --shift or --since/--until, not both")
            return shift_range(shift, now=now, boundaries=bounds)
        t0 = parse_time(since, now=now) if since else None
        t1 = parse_time(until, now=now, end=True) if until else None
    except QueryError as e:
        raise UserError(str(e)) from None
    if t0 is not None and t1 is not None and t0 >= t1:
        if ":" in since and ":" in until and "-" not in since + until:
            t0 -= 86400  # --since 20:00 --until 08:00 means the night that ended today
        else:
            raise UserError(f"--since {since} is not before --until {until}")
    return t0, t1


def filters_from_args(args: argparse.Namespace, now: float | None = None) -> Filters:
    since, until = time_range(args, now)
    try:
        return Filters(
            since=since,
            until=until,
            stations=_split(getattr(args, "station", None)),
            districts=_split(getattr(args, "district", None)),
            priorities=normalise_priorities(_split(getattr(args, "priority", None))),
            states=normalise_states(_split(getattr(args, "state", None))),
            kinds=normalise_kinds(_split(getattr(args, "kind", None))),
            users=_split(getattr(args, "user", None)),
            alarms=_split(getattr(args, "alarm", None)),
            text=getattr(args, "text", None),
        )
    except QueryError as e:
        raise UserError(str(e)) from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "log",
        help="list, annotate, export and import the local journal",
        description="List journal records (oldest first), or use a subcommand.",
    )
    add_journal_arg(p)
    add_filter_args(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument(
        "--limit",
        type=int,
        default=None,
        help=f"at most N records, the newest (table default {TABLE_DEFAULT_LIMIT}; 0 = all)",
    )
    p.set_defaults(func=run)
    subs = p.add_subparsers(dest="log_command", metavar="SUBCOMMAND")

    note = subs.add_parser("note", help="add an operator note to the journal")
    add_journal_arg(note, suppress=True)
    note.add_argument("text", help="the note")
    note.add_argument("--user", dest="note_user", help="who writes it (default: login name)")
    note.add_argument("--station", dest="note_station", help="the station it concerns")
    note.set_defaults(func=run_note)

    exp = subs.add_parser("export", help="write matching records to a bundle file")
    add_journal_arg(exp, suppress=True)
    add_filter_args(exp, suppress=True)
    exp.add_argument("-o", "--output", required=True, help="bundle file, e.g. field.hcj")
    exp.set_defaults(func=run_export)

    imp = subs.add_parser("import", help="merge a bundle into the journal (idempotent)")
    add_journal_arg(imp, suppress=True)
    imp.add_argument("bundle", help="bundle file from `heatconsole log export`")
    imp.add_argument(
        "--trust-unsigned",
        action="store_true",
        help="import an unsigned bundle (or plain journal) anyway; the import is journalled",
    )
    imp.add_argument(
        "--trust-key",
        action="append",
        default=[],
        metavar="KEYID",
        help="accept this signer's key id for this import only; the import is journalled",
    )
    imp.set_defaults(func=run_import)
    register_keys(subs)


def run(args: argparse.Namespace) -> int:
    filters = filters_from_args(args)
    conn = open_source(args)
    try:
        limit = args.limit
        if limit is None and args.format == "table":
            limit = TABLE_DEFAULT_LIMIT
        if limit is not None and limit < 0:
            raise UserError("--limit must be 0 (all) or more")
        if limit:
            # The newest N, shown oldest first.
            filters.limit, filters.newest_first = limit, True
            events = list(iter_events(conn, filters))[::-1]
        else:
            events = iter_events(conn, filters)  # type: ignore[assignment]
        out = sys.stdout
        if args.format == "csv":
            n = write_csv(events, out)
        elif args.format == "json":
            n = write_json(events, out)
        else:
            n = write_table(events, out)
        if args.format == "table":
            total = count(conn, filters) if limit and n == limit else n
            more = f"; {total - n} older not shown (--limit 0 for all)" if total > n else ""
            print(f"{n} record(s){more}", file=sys.stderr)
    except sqlite3.DatabaseError as e:
        raise UserError(f"cannot read journal {journal_path(args)}: {e}") from None
    except JournalReadError as e:
        raise UserError(str(e)) from None
    finally:
        conn.close()
    return 0


def run_note(args: argparse.Namespace) -> int:
    _local_only(args, "log note")
    text = args.text.strip()
    if not text:
        raise UserError("the note is empty")
    event = JournalEvent(
        Kind.OPERATOR,
        text,
        action="note",
        user=local_identity(args.note_user),
        station=args.note_station,
    )
    conn = open_journal(args, create=True)
    try:
        store.insert_events(conn, [event])
    except sqlite3.Error as e:
        raise UserError(f"cannot write to journal {journal_path(args)}: {e}") from None
    finally:
        conn.close()
    print(f"note added to {journal_path(args)}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    _local_only(args, "log export")
    filters = filters_from_args(args)
    try:
        m = export_bundle(journal_path(args), args.output, filters)
    except store.JournalError as e:
        raise UserError(str(e)) from None
    except (BundleError, sqlite3.Error, OSError) as e:
        raise UserError(f"export failed: {e}") from None
    print(f"exported {m.count} record(s) to {args.output} (console {m.console})")
    return 0


def run_import(args: argparse.Namespace) -> int:
    dsn = pg_address(args)
    path = journal_path(args)
    try:
        trust = Trust.local(allow_unsigned=args.trust_unsigned, allow_keys=args.trust_key)
        if dsn:
            from console.core.journal import postgres

            r = postgres.import_bundle(dsn, args.bundle, trust=trust)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            r = import_bundle(path, args.bundle, trust=trust)
    except (BundleError, store.JournalError, JournalReadError) as e:
        raise UserError(str(e)) from None
    except (sqlite3.Error, OSError) as e:
        raise UserError(f"import failed: {e}") from None
    src = f"from console {terminal_safe(r.manifest.console)}" if r.manifest.console else ""
    conflict = f", {r.conflicts} conflicting (local kept)" if r.conflicts else ""
    print(
        f"imported {args.bundle} {src}: {r.added} added, {r.duplicates} already present{conflict}"
        f" — {terminal_safe(r.trust)}"
    )
    if r.override:
        print("the import without a trusted signature is recorded in the journal", file=sys.stderr)
    return 0
