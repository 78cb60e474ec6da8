"""The shared control-room journal on PostgreSQL: schema, roles, reads, imports.

The `events` table has the SQLite journal's columns with the same meaning (id the primary key,
times as epoch seconds, `details` as JSON text), so rows move between the two unchanged and
merge on the id with ON CONFLICT DO NOTHING. Text columns use COLLATE "C": ids, stations and
keys compare and sort byte-wise as in SQLite, whatever the database's locale.

History is append-only for everyone: the server's role may INSERT and SELECT, the consoles'
reader role only SELECT, and a statement trigger refuses UPDATE, DELETE and TRUNCATE even to
the table's owner (who would have to drop the trigger first, visibly).

Connections (the TLS rule, clear errors) are pg_connect's; the forwarder is pg_forward's.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict

from console.core.events import JournalEvent
from console.core.journal import bundle as bundle_mod
from console.core.journal import store
from console.core.journal.pg_connect import DbError, connect, describe_dsn, error_text
from console.core.journal.source import JournalSource

SCHEMA_VERSION = 1
DEFAULT_SERVER_ROLE = "heatconsole_server"
DEFAULT_READER_ROLE = "heatconsole_reader"

_FLOAT = "double precision"
_TEXT = 'text COLLATE "C"'
# Same columns, order and NOT NULLs as store.COLUMNS / the SQLite schema.
_COLUMN_DDL: dict[str, str] = {
    "id": f"{_TEXT} PRIMARY KEY", "time": f"{_FLOAT} NOT NULL", "kind": f"{_TEXT} NOT NULL",
    "message": f"{_TEXT} NOT NULL", "station": _TEXT, "district": _TEXT, "point": _TEXT,
    "alarm": _TEXT, "priority": _TEXT, "state": _TEXT, "value": _FLOAT, "limit": _FLOAT,
    "user": _TEXT, "action": _TEXT, "comment": _TEXT, "console": _TEXT, "details": _TEXT,
}  # fmt: skip
assert tuple(_COLUMN_DDL) == store.COLUMNS, "the SQLite journal's columns changed: follow here"
COLUMNS_SQL = store.SELECT_COLUMNS  # quoted: "limit" and "user" are keywords here too

_SCHEMA = [
    'CREATE TABLE IF NOT EXISTS journal_meta (key text COLLATE "C" PRIMARY KEY, value text)',
    "CREATE TABLE IF NOT EXISTS events ("
    + ", ".join(f'"{c}" {t}' for c, t in _COLUMN_DDL.items())
    + ")",
    *(
        f"CREATE INDEX IF NOT EXISTS {name} ON events ({', '.join(cols)})"
        + (f" WHERE {where}" if where else "")
        for name, cols, where in store.INDEXES
    ),
    """CREATE OR REPLACE FUNCTION heatconsole_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'the heatconsole journal is append-only: % on % is not allowed',
           TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
       END $$""",
    "CREATE OR REPLACE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE"
    " ON events FOR EACH STATEMENT EXECUTE FUNCTION heatconsole_append_only()",
]
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


# ---- schema and roles -------------------------------------------------------------------------


def init_database(
    admin_dsn: str,
    server_role: str = DEFAULT_SERVER_ROLE,
    reader_role: str = DEFAULT_READER_ROLE,
    *,
    server_password: str | None = None,
    reader_password: str | None = None,
) -> list[str]:
    """Create the journal's tables, trigger and roles in the DSN's database (idempotent).

    Returns what was done, one line each. The admin needs CREATEROLE (or superuser) and the
    right to create tables in the database's public schema.
    """
    for name in (server_role, reader_role):
        if not _ROLE_NAME.match(name):
            raise DbError(f"role name {name!r}: use lower-case letters, digits and _")
    if server_role == reader_role:
        raise DbError("the server role and the reader role must differ")
    done: list[str] = []
    with connect(admin_dsn) as conn:
        admin = conn.info.user
        if admin in (server_role, reader_role):
            raise DbError(
                f"{admin} is the role setting up the journal: the server and the consoles need "
                "roles of their own, which may not update or delete events"
            )
        try:
            with conn.transaction():
                existed = _has_table(conn, "events")
                for stmt in _SCHEMA:
                    conn.execute(stmt)  # type: ignore[arg-type]
                conn.execute(
                    "INSERT INTO journal_meta VALUES ('magic', %s), ('schema_version', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (store.MAGIC, str(SCHEMA_VERSION)),
                )
                done.append(
                    "table events already present; indexes and append-only trigger checked"
                    if existed
                    else f"created table events ({len(store.COLUMNS)} columns, "
                    f"{len(store.INDEXES)} indexes) and its append-only trigger"
                )
                for role, password in ((server_role, server_password),
                                       (reader_role, reader_password)):  # fmt: skip
                    done.append(_ensure_role(conn, role, password))
                done += _grant(conn, server_role, reader_role)
        except psycopg.Error as e:
            raise DbError(_privilege_hint(e, admin_dsn)) from None
    return done


def _has_table(conn: psycopg.Connection[Any], name: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()[0]  # type: ignore[index]


def _ensure_role(conn: psycopg.Connection[Any], role: str, password: str | None) -> str:
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    # Utility statements take no bind parameters: the password goes in as a quoted literal.
    pw = sql.SQL(" PASSWORD {}").format(sql.Literal(password)) if password else sql.SQL("")
    if not exists:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)) + pw)
        return f"created role {role} (login{', password set' if password else ', no password'})"
    if password:
        conn.execute(sql.SQL("ALTER ROLE {}").format(sql.Identifier(role)) + pw)
        return f"role {role} already present; password changed"
    return f"role {role} already present; left as it was"


def _grant(conn: psycopg.Connection[Any], server: str, reader: str) -> list[str]:
    s, r = sql.Identifier(server), sql.Identifier(reader)
    db = sql.Identifier(conn.info.dbname)
    for stmt in (
        sql.SQL("REVOKE ALL ON events, journal_meta FROM PUBLIC, {}, {}").format(s, r),
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(db, s),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, r),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}, {}").format(s, r),
        sql.SQL("GRANT SELECT, INSERT ON events TO {}").format(s),
        sql.SQL("GRANT SELECT ON events TO {}").format(r),
        sql.SQL("GRANT SELECT ON journal_meta TO {}, {}").format(s, r),
        # Belt and braces: a reader's session cannot write anything, even where PUBLIC may.
        sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(r),
    ):
        conn.execute(stmt)
    return [
        f"granted {server}: SELECT, INSERT on events (no UPDATE, DELETE or TRUNCATE)",
        f"granted {reader}: SELECT on events (read-only sessions)",
    ]


def _privilege_hint(e: psycopg.Error, dsn: str) -> str:
    user = conninfo_to_dict(dsn).get("user") or "this role"
    if isinstance(e, errors.InsufficientPrivilege):
        return (
            f"{user} may not set up the journal in {describe_dsn(dsn)}: {error_text(e)} — connect "
            "as the database's owner with CREATEROLE, or as a superuser"
        )
    return f"setting up the journal in {describe_dsn(dsn)} failed: {error_text(e)}"


# ---- reading ----------------------------------------------------------------------------------


class PgSource(JournalSource):
    """Reads over one connection; large results stream through a server-side cursor."""

    like = "ILIKE"  # over COLLATE "C" columns: ASCII case folding, as SQLite's LIKE
    _names = itertools.count()

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn
        self._reading = 0  # queries being iterated

    def rows(self, sql_text: str, params: Sequence[Any] = ()) -> Iterator[Sequence[Any]]:
        q = sql_text.replace("%", "%%").replace("?", "%s")
        self._reading += 1
        try:
            with self.conn.cursor(name=f"hc_read_{next(self._names)}") as cur:
                cur.itersize = 5000
                cur.execute(q, params)  # type: ignore[arg-type]
                yield from cur
        except psycopg.Error as e:
            raise DbError(f"reading the shared journal failed: {error_text(e)}") from None
        finally:
            self._reading -= 1
            if not self._reading and not self.conn.closed:
                # Leave no transaction open between reads: an idle one holds back VACUUM.
                self.conn.rollback()

    def alarm_states_before(self, before: float) -> Iterator[JournalEvent]:
        return self.events(
            f"SELECT {COLUMNS_SQL} FROM (SELECT DISTINCT ON (alarm) {COLUMNS_SQL} FROM events"
            " WHERE kind = 'alarm' AND alarm IS NOT NULL AND time < ?"
            " ORDER BY alarm, time DESC, id DESC) AS m"
            " WHERE state IS NOT NULL AND state <> 'NORMAL'",
            (before,),
        )

    def close(self) -> None:
        self.conn.close()


def open_source(dsn: str, *, reader: bool = False) -> PgSource:
    """A read-only source on the shared journal; DbError if it is not one (or not ours).

    `reader`: a console's read (`log`, `handover`): refused unless the address's role is one
    that cannot change the journal — consoles read as the reader role, only servers write."""
    conn = connect(dsn, read_only=True)
    try:
        check_journal(conn, dsn)
        if reader:
            check_reader(conn, dsn)
    except BaseException:
        conn.close()
        raise
    return PgSource(conn)


def check_journal(conn: psycopg.Connection[Any], dsn: str) -> None:
    where = describe_dsn(dsn)
    try:
        meta = dict(conn.execute("SELECT key, value FROM journal_meta").fetchall())  # type: ignore[arg-type]
    except errors.UndefinedTable:
        conn.rollback()
        raise DbError(f"{where} has no heatconsole journal: run `heatconsole db init`") from None
    except errors.InsufficientPrivilege as e:
        conn.rollback()
        raise DbError(
            f"{where}: {error_text(e)} — use the reader role `heatconsole db init` created"
        ) from None
    conn.rollback()  # end the implicit transaction: readers keep none open between queries
    if meta.get("magic") != store.MAGIC:
        raise DbError(f"{where} is not a heatconsole journal")
    version = int(meta.get("schema_version") or 0)
    if version > SCHEMA_VERSION:
        raise DbError(
            f"{where} holds journal schema {version}; this heatconsole reads {SCHEMA_VERSION}"
        )


def check_reader(conn: psycopg.Connection[Any], dsn: str) -> None:
    """DbError when the connected role may insert, update, delete or truncate events (the
    server's role, the owner, a superuser): a session's read-only flag can be lifted by the
    session itself, a role's missing privilege cannot."""
    row = conn.execute(
        "SELECT current_user, has_table_privilege('events', 'INSERT'),"
        " has_table_privilege('events', 'UPDATE'), has_table_privilege('events', 'DELETE'),"
        " has_table_privilege('events', 'TRUNCATE')"
    ).fetchone()
    conn.rollback()
    assert row is not None
    may = [what for what, ok in zip(("insert", "update", "delete", "truncate"), row[1:],
                                    strict=True) if ok]  # fmt: skip
    if may:
        raise DbError(
            f"{describe_dsn(dsn)}: role {row[0]} may {'/'.join(may)} journal events — a console "
            "reads as the reader role `heatconsole db init` created (only the servers write)"
        )


# ---- writing: COPY into a staging table, then insert what is new -----------------------------

STAGING = "events_in"


def prepare_writer(conn: psycopg.Connection[Any]) -> None:
    """Make a session fit to write: commits durable and a staging table.

    A server configured with synchronous_commit=off acknowledges a COMMIT before its WAL is
    written, and a crash then loses it after the forwarder moved its cursor: events gone (a
    test saw 50 go with `pg_ctl stop -m immediate`). Any role may turn it on for its session.
    The staging table is a session-local copy of `events`, emptied at each commit.
    """
    conn.execute("SET synchronous_commit = on")
    conn.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} (LIKE events INCLUDING DEFAULTS) "
        "ON COMMIT DELETE ROWS"
    )


def without_nul(row: Sequence[Any]) -> tuple[Any, ...]:
    """`row` with every NUL in its text as the visible escape `\\x00`: SQLite's text holds a
    NUL (an imported row, a note from a thin console's JSON request), PostgreSQL's refuses it
    and so the whole batch."""
    return tuple(v.replace("\x00", "\\x00") if isinstance(v, str) else v for v in row)


def refused_nul(e: BaseException) -> bool:
    """Is `e` psycopg refusing a NUL in text (raised while COPY formats the row)?"""
    return isinstance(e, psycopg.DataError) and "NUL" in str(e)


def copy_rows(cur: psycopg.Cursor[Any], rows: Iterable[Sequence[Any]], table: str) -> None:
    """COPY rows (store.COLUMNS order) into `table`, streamed as they come."""
    with cur.copy(f"COPY {table} ({COLUMNS_SQL}) FROM STDIN") as cp:
        for r in rows:
            cp.write_row(r)


def copy_new_rows(cur: psycopg.Cursor[Any], rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows into the staging table and insert those whose id is new; returns how many
    were new. Call inside a transaction, after prepare_writer."""
    copy_rows(cur, rows, STAGING)
    cur.execute(
        f"INSERT INTO events ({COLUMNS_SQL}) SELECT {COLUMNS_SQL} FROM {STAGING} "
        "ON CONFLICT (id) DO NOTHING"
    )
    return max(cur.rowcount, 0)


def import_bundle(
    dsn: str,
    bundle: str | os.PathLike[str],
    *,
    trust: bundle_mod.Trust | None = None,
    user: str | None = None,
) -> bundle_mod.ImportResult:
    """Merge a laptop's bundle (or journal file) into the shared journal, idempotently.

    bundle.read_bundle checks it first, as for a SQLite import (checksum, signature against
    `trust`, every row); an import the operator let through without a trusted signature is
    journalled here too (bundle.override_record). A record whose id is already present with
    other content counts as a conflict, and the shared one is kept.
    """
    vb = bundle_mod.read_bundle(bundle, trust)
    with connect(dsn) as conn:
        check_journal(conn, dsn)
        try:
            with conn.transaction():
                prepare_writer(conn)
                cur = conn.cursor()
                added = copy_new_rows(cur, map(without_nul, vb.rows))
                same = " AND ".join(f'x."{c}" IS NOT DISTINCT FROM y."{c}"'
                                    for c in store.COLUMNS)  # fmt: skip
                conflicts = cur.execute(
                    f"SELECT count(*) FROM {STAGING} x JOIN events y ON x.id = y.id "
                    f"WHERE NOT ({same})"
                ).fetchone()[0]  # type: ignore[index]
                if vb.override is not None:
                    record = store.event_to_tuple(bundle_mod.override_record(vb, added, user))
                    copy_new_rows(cur, [record])
        except (errors.InsufficientPrivilege, errors.ReadOnlySqlTransaction) as e:
            raise DbError(
                f"{describe_dsn(dsn)}: {error_text(e)} — import as the server's role"
            ) from None
        except psycopg.Error as e:
            raise DbError(f"import into {describe_dsn(dsn)} failed: {error_text(e)}") from None
    total = len(vb.rows)
    return bundle_mod.ImportResult(
        added, total - added, int(conflicts), vb.manifest, vb.trust, vb.override
    )
