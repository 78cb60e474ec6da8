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
from console.cli_i18n import current, translate
from console.commands.log_keys import register_keys
from console.core.auth.local import local_identity
from console.core.events import JournalEvent, Kind
from console.core.journal import store
from console.core.journal.bundle import BundleError, Trust, export_bundle, import_bundle
from console.core.journal.handover import ReportWords
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
        ("--journal", "FILE", translate("log", "journal file (default: $HEATCONSOLE_JOURNAL or "
         "~/.local/share/heatconsole/journal.sqlite)")),
        ("--db", "URL|FILE", translate("log", "the control room's shared journal, "
         "postgresql://user@host/dbname (a host other than this machine needs "
         "?sslmode=verify-full), or a journal file")),
    ):  # fmt: skip
        p.add_argument(
            flag, metavar=metavar, default=argparse.SUPPRESS if suppress else None, help=help_
        )


def add_time_args(p: argparse.ArgumentParser, suppress: bool = False) -> None:
    d = argparse.SUPPRESS if suppress else None
    p.add_argument(
        "--since",
        default=d,
        help=translate("log", "start: 08:00, 2026-01-05, 2026-01-05T08:00, 2h"),
    )
    p.add_argument(
        "--until", default=d, help=translate("log", "end (exclusive), same forms as --since")
    )
    p.add_argument(
        "--shift", choices=["current", "last"], default=d, help=translate("log", "a whole shift")
    )
    p.add_argument(
        "--shift-boundaries",
        metavar="HH:MM,…",
        default=argparse.SUPPRESS if suppress else None,
        help=translate("log", "where shifts change (default: $HEATCONSOLE_SHIFTS or 08:00,20:00)"),
    )


def add_filter_args(p: argparse.ArgumentParser, suppress: bool = False) -> None:
    add_time_args(p, suppress)
    d = argparse.SUPPRESS if suppress else []
    for name, help_ in (
        ("station", translate("log", "station id")),
        ("district", translate("log", "district id")),
        ("priority", translate("log", "critical|high|medium|low|info; 'high+' = high or more "
                               "urgent")),
        ("state", translate("log", "alarm state, e.g. UNACK")),
        ("kind", "alarm|comm|operator|config|system"),
        ("user", translate("log", "operator")),
        ("alarm", translate("log", "alarm key, e.g. jx-001/room_temp[3]/room_low")),
    ):  # fmt: skip
        more = translate("log", "(repeat or comma-separate)")
        p.add_argument(f"--{name}", action="append", default=d, help=f"{help_} {more}")
    p.add_argument(
        "--text",
        default=argparse.SUPPRESS if suppress else None,
        help=translate("log", "text in message/comment"),
    )


def pg_address(args: argparse.Namespace) -> str | None:
    """The --db PostgreSQL URL, if that is where the journal is."""
    db = getattr(args, "db", None)
    if db and getattr(args, "journal", None):
        raise UserError(translate("log", "give either --journal or --db, not both"))
    if db and "://" in db and not is_pg_address(db):  # not a file name either
        msg = translate(
            "log", "--db {address}: use postgresql://user@host/dbname or a journal file"
        )
        raise UserError(msg.format(address=db))
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
        return postgres.open_source(dsn, reader=True)  # a console's read: the reader role
    except JournalReadError as e:
        raise UserError(str(e)) from None


def _local_only(args: argparse.Namespace, what: str) -> None:
    if pg_address(args):
        msg = translate(
            "log", "{what} works on a journal file; the shared journal takes events from its server"
        )
        raise UserError(msg.format(what=what))


def open_journal(args: argparse.Namespace, *, create: bool = False) -> sqlite3.Connection:
    path = journal_path(args)
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        return store.connect(path, create=create)
    except store.JournalError as e:
        raise UserError(str(e)) from None
    except (sqlite3.Error, OSError) as e:
        msg = translate("log", "cannot open journal {file}: {error}")
        raise UserError(msg.format(file=path, error=e)) from None


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
                raise QueryError(
                    translate("log", "give either --shift or --since/--until, not both")
                )
            return shift_range(shift, now=now, boundaries=bounds)
        t0 = parse_time(since, now=now) if since else None
        t1 = parse_time(until, now=now, end=True) if until else None
    except QueryError as e:
        raise UserError(str(e)) from None
    if t0 is not None and t1 is not None and t0 >= t1:
        if ":" in since and ":" in until and "-" not in since + until:
            t0 -= 86400  # --since 20:00 --until 08:00 means the night that ended today
        else:
            msg = translate("log", "--since {since} is not before --until {until}")
            raise UserError(msg.format(since=since, until=until))
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
        help=translate("log", "list, annotate, export and import the local journal"),
        description=translate("log", "List journal records (oldest first), or use a subcommand."),
    )
    add_journal_arg(p)
    add_filter_args(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument(
        "--limit",
        type=int,
        default=None,
        help=translate("log", "at most N records, the newest (table default {n}; 0 = all)").format(
            n=TABLE_DEFAULT_LIMIT
        ),
    )
    p.set_defaults(func=run)
    subs = p.add_subparsers(dest="log_command", metavar="SUBCOMMAND")

    note = subs.add_parser("note", help=translate("log", "add an operator note to the journal"))
    add_journal_arg(note, suppress=True)
    note.add_argument("text", metavar="TEXT", help=translate("log", "the note"))
    note.add_argument(
        "--user", dest="note_user", help=translate("log", "who writes it (default: login name)")
    )
    note.add_argument(
        "--station", dest="note_station", help=translate("log", "the station it concerns")
    )
    note.set_defaults(func=run_note)

    exp = subs.add_parser(
        "export", help=translate("log", "write matching records to a bundle file")
    )
    add_journal_arg(exp, suppress=True)
    add_filter_args(exp, suppress=True)
    exp.add_argument(
        "-o", "--output", required=True, help=translate("log", "bundle file, e.g. field.hcj")
    )
    exp.set_defaults(func=run_export)

    imp = subs.add_parser(
        "import", help=translate("log", "merge a bundle into the journal (idempotent)")
    )
    add_journal_arg(imp, suppress=True)
    imp.add_argument(
        "bundle",
        metavar="BUNDLE",
        help=translate("log", "bundle file from `heatconsole log export`"),
    )
    imp.add_argument(
        "--trust-unsigned",
        action="store_true",
        help=translate(
            "log", "import an unsigned bundle (or plain journal) anyway; the import is journalled"
        ),
    )
    imp.add_argument(
        "--trust-key",
        action="append",
        default=[],
        metavar="KEYID",
        help=translate(
            "log", "accept this signer's key id for this import only; the import is journalled"
        ),
    )
    imp.set_defaults(func=run_import)
    register_keys(subs)


def table_head() -> list[str]:
    """`log`'s column titles (query.TABLE_COLUMNS) in the current language."""
    return [
        translate("log", "time"), translate("log", "kind"), translate("log", "priority"),
        translate("log", "state"), translate("log", "station"), translate("log", "user"),
        translate("log", "message"),
    ]  # fmt: skip


def table_words() -> ReportWords | None:
    """The table's rows in the CLI's language, as the handover report words them (None:
    English, as recorded); CSV and JSON export the record as it is."""
    return None if current() == "en" else ReportWords(translate)


def run(args: argparse.Namespace) -> int:
    filters = filters_from_args(args)
    conn = open_source(args)
    try:
        limit = args.limit
        if limit is None and args.format == "table":
            limit = TABLE_DEFAULT_LIMIT
        if limit is not None and limit < 0:
            raise UserError(translate("log", "--limit must be 0 (all) or more"))
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
            n = write_table(events, out, head=table_head(), words=table_words())
        if args.format == "table":
            total = count(conn, filters) if limit and n == limit else n
            if total > n:
                msg = translate("log", "{n} record(s); {older} older not shown (--limit 0 for all)")
            else:
                msg = translate("log", "{n} record(s)")
            print(msg.format(n=n, older=total - n), file=sys.stderr)
    except sqlite3.DatabaseError as e:
        msg = translate("log", "cannot read journal {file}: {error}")
        raise UserError(msg.format(file=journal_path(args), error=e)) from None
    except JournalReadError as e:
        raise UserError(str(e)) from None
    finally:
        conn.close()
    return 0


def run_note(args: argparse.Namespace) -> int:
    _local_only(args, "log note")
    text = args.text.strip()
    if not text:
        raise UserError(translate("log", "the note is empty"))
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
        msg = translate("log", "cannot write to journal {file}: {error}")
        raise UserError(msg.format(file=journal_path(args), error=e)) from None
    finally:
        conn.close()
    print(translate("log", "note added to {file}").format(file=journal_path(args)))
    return 0


def run_export(args: argparse.Namespace) -> int:
    _local_only(args, "log export")
    filters = filters_from_args(args)
    try:
        m = export_bundle(journal_path(args), args.output, filters)
    except store.JournalError as e:
        raise UserError(str(e)) from None
    except (BundleError, sqlite3.Error, OSError) as e:
        raise UserError(translate("log", "export failed: {error}").format(error=e)) from None
    msg = translate("log", "exported {n} record(s) to {file} (console {console})")
    print(msg.format(n=m.count, file=args.output, console=m.console))
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
        raise UserError(translate("log", "import failed: {error}").format(error=e)) from None
    src = ""
    if r.manifest.console:
        src = translate("log", "from console {console}")
        src = src.format(console=terminal_safe(r.manifest.console))
    conflict = ""
    if r.conflicts:
        conflict = translate("log", ", {n} conflicting (local kept)").format(n=r.conflicts)
    msg = translate("log", "imported {file} {source}: {added} added, {duplicates} already present")
    print(
        msg.format(file=args.bundle, source=src, added=r.added, duplicates=r.duplicates)
        + f"{conflict} — {terminal_safe(r.trust)}"
    )
    if r.override:
        msg = translate("log", "the import without a trusted signature is recorded in the journal")
        print(msg, file=sys.stderr)
    return 0
