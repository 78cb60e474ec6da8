"""The journal's SQLite file: schema, connection settings, row <-> JournalEvent.

One table, `events`, one row per JournalEvent, keyed by the event id (time-ordered and
unique across consoles), so journals from several laptops merge with INSERT OR IGNORE.

Settings and why:
- WAL: readers (the GUI's journal viewer, `heatconsole log` while the console runs) never
  block the single writer, and a killed process leaves a consistent file.
- synchronous=FULL: with WAL, NORMAL survives a killed process but may roll back the last
  transactions on power loss; FULL fsyncs the WAL on each commit. The writer batches (one commit
  per up to ~1000 events / 200 ms), so FULL costs a few fsyncs a second, and "committed" then
  means on disk even when a field laptop's battery dies.
- auto_vacuum=INCREMENTAL: retention can hand freed pages back to the filesystem, so a size
  limit limits the file, not only the row count.
sqlite-utils creates the schema; the hot insert path is a prepared `executemany`, which is
several times faster than building dicts for `insert_all`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import sqlite_utils

from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.own_files import foreign_reason, whole_or_not_at_all
from console.core.store_and_forward import closed_on_failure

SCHEMA_VERSION = 1
MAGIC = "heatconsole-journal"
DEFAULT_BUSY_TIMEOUT_MS = 5000

# Table column order (id and time first for readability); `details` is JSON text, NULL if empty.
COLUMNS: tuple[str, ...] = (
    "id", "time", "kind", "message", "station", "district", "point", "alarm", "priority",
    "state", "value", "limit", "user", "action", "comment", "console", "details",
)  # fmt: skip
assert set(COLUMNS) == {f.name for f in fields(JournalEvent)}, "JournalEvent changed: migrate"
_QUOTED = ", ".join(f'"{c}"' for c in COLUMNS)  # "limit" is an SQL keyword
INSERT_SQL = f"INSERT OR IGNORE INTO events ({_QUOTED}) VALUES ({', '.join('?' * len(COLUMNS))})"
SELECT_COLUMNS = _QUOTED

_COLUMN_TYPES: dict[str, type] = {
    c: float if c in ("time", "value", "limit") else str for c in COLUMNS
}

# (name, columns, partial-index WHERE clause or None). Each filter is indexed with time second so
# "station X during the shift" is one index range; the partial alarm index covers "latest state
# of every alarm key" (retention, handover) without touching the table.
INDEXES: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("events_time", ("time",), None),
    ("events_station_time", ("station", "time"), None),
    ("events_district_time", ("district", "time"), None),
    ("events_priority_time", ("priority", "time"), None),
    ("events_state_time", ("state", "time"), None),
    ("events_kind_time", ("kind", "time"), None),
    ("events_alarm_latest", ("alarm", "time", "state"), "kind = 'alarm'"),
)


class JournalError(Exception):
    """The file is missing, not a journal, or from a newer heatconsole."""


# Migrations: MIGRATIONS[n] upgrades a version-n journal to n+1 inside one transaction.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}


def connect(
    path: str | os.PathLike[str],
    *,
    create: bool = False,
    synchronous: str = "FULL",
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """Open (and with `create`, initialise) a journal; raise JournalError if it is not one.

    The connection is in autocommit mode: writers use explicit BEGIN IMMEDIATE … COMMIT.
    """
    p = Path(path)
    if not create and not p.exists():
        raise JournalError(f"no journal at {p}")
    # Before SQLite sees it: a file that is not ours is neither written nor given companions.
    reason = not_ours(p)
    if reason is not None:
        raise JournalError(reason)
    with whole_or_not_at_all(p, create):
        conn = sqlite3.connect(
            str(p),
            isolation_level=None,
            timeout=busy_timeout_ms / 1000,
            check_same_thread=check_same_thread,
        )
        with closed_on_failure(conn, JournalError, f"{p} is not a heatconsole journal"):
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            # 32 MiB page cache: the station/alarm indexes take inserts all over their B-trees.
            conn.execute("PRAGMA cache_size = -32768")
            _prepare(conn, p, create=create, synchronous=synchronous)
    return conn


def _prepare(conn: sqlite3.Connection, p: Path, *, create: bool, synchronous: str) -> None:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "journal_meta" not in tables:
        if tables or not create:
            raise JournalError(f"{p} is not a heatconsole journal")
        # auto_vacuum must be chosen before the first table exists.
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise sqlite3.OperationalError(f"cannot switch {p} to WAL (journal_mode={mode})")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    if "journal_meta" not in tables:
        _create_schema(conn)
    else:
        _check_and_migrate(conn, p)


def _create_schema(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have created it between our look and the lock.
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name='journal_meta'").fetchone():
            conn.execute("COMMIT")
            return
        db = sqlite_utils.Database(conn)
        db["journal_meta"].create({"key": str, "value": str}, pk="key")
        db["events"].create(_COLUMN_TYPES, pk="id", not_null={"time", "kind", "message"})
        for name, cols, where in INDEXES:
            conn.execute(_index_sql(name, cols, where))
        set_meta(
            conn,
            {
                "magic": MAGIC,
                "schema_version": str(SCHEMA_VERSION),
                "created": str(time.time()),
                "kind": "journal",
            },
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _index_sql(name: str, cols: Sequence[str], where: str | None) -> str:
    sql = f"CREATE INDEX IF NOT EXISTS {name} ON events ({', '.join(cols)})"
    return sql + (f" WHERE {where}" if where else "")


def _check_and_migrate(conn: sqlite3.Connection, p: Path) -> None:
    meta = get_meta(conn)
    if meta.get("magic") != MAGIC:
        raise JournalError(f"{p} is not a heatconsole journal")
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise JournalError(
            f"{p} was written by a newer heatconsole (schema {version}, this one reads "
            f"{SCHEMA_VERSION})"
        )
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            version += 1
            set_meta(conn, {"schema_version": str(version)})
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def not_ours(path: str | os.PathLike[str]) -> str | None:
    """Why the file at `path` is not a journal of ours (None: it is, or nothing is there)."""
    return foreign_reason(path, "journal_meta", MAGIC, what="heatconsole journal")


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise JournalError unless a journal can be kept at `path`: ours or not there yet (then
    made, with its folder), and writable. The commands ask before they poll: a journal that
    fails later buffers and says so, one that never could work is refused at once."""
    p = Path(path)
    reason = not_ours(p)
    if reason is not None:
        raise JournalError(reason)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise JournalError(f"cannot make the folder {p.parent} ({e.strerror or e})") from None
    # Root passes permission checks; a read-only filesystem (EROFS) still says no here.
    for target in (p.parent, p) if p.exists() else (p.parent,):
        if not os.access(target, os.W_OK):
            raise JournalError(f"{target}: not writable (a read-only file or filesystem)")
    try:
        connect(p, create=True).close()
    except sqlite3.Error as e:
        raise JournalError(f"cannot open {p} ({e})") from None


def get_meta(conn: sqlite3.Connection, schema: str = "main") -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute(f"SELECT key, value FROM {schema}.journal_meta")}


def set_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO journal_meta (key, value) VALUES (?, ?)", list(values.items())
    )


def event_to_tuple(e: JournalEvent) -> tuple[Any, ...]:
    return (
        e.id,
        e.time,
        str(e.kind),
        e.message,
        e.station,
        e.district,
        e.point,
        e.alarm,
        None if e.priority is None else str(e.priority),
        None if e.state is None else str(e.state),
        e.value,
        e.limit,
        e.user,
        e.action,
        e.comment,
        e.console,
        json.dumps(e.details, ensure_ascii=False, default=str) if e.details else None,
    )


def event_from_row(row: sqlite3.Row | Sequence[Any]) -> JournalEvent:
    """Rebuild a JournalEvent from a row selected with SELECT_COLUMNS (order matters)."""
    d = dict(zip(COLUMNS, tuple(row), strict=True))
    d["kind"] = Kind(d["kind"])
    d["priority"] = None if d["priority"] is None else Priority(d["priority"])
    d["state"] = None if d["state"] is None else AlarmState(d["state"])
    d["details"] = json.loads(d["details"]) if d["details"] else {}
    return JournalEvent(**d)


def storable(text: str) -> str:
    """`text` as UTF-8 can carry it: a lone surrogate (a non-UTF-8 byte of a command-line
    argument under surrogateescape, a `\\udXXX` escape in imported JSON) becomes its visible
    escape, as `\\udcff`. SQLite's binding raises on such text instead. Other text unchanged."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _storable_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(storable(v) if isinstance(v, str) else v for v in row)


def insert_events(conn: sqlite3.Connection, events: Iterable[JournalEvent]) -> int:
    """Insert in one transaction; returns how many were new (duplicates by id are ignored).

    Text UTF-8 cannot carry is stored as its escape (`storable`), never failing the batch: on
    the writer's thread such a failure would repeat for ever and stop the journal."""
    rows = [event_to_tuple(e) for e in events]
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = conn.total_changes
        try:
            conn.executemany(INSERT_SQL, rows)
        except UnicodeEncodeError:  # rare: checked only then, off the hot path
            # The rows before the bad one are in; OR IGNORE skips them by id on the way again.
            conn.executemany(INSERT_SQL, [_storable_row(r) for r in rows])
        added = conn.total_changes - before
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return added


def count_events(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])


def default_journal_path() -> Path:
    """`$HEATCONSOLE_JOURNAL`, else ~/.local/share/heatconsole/journal.sqlite."""
    env = os.environ.get("HEATCONSOLE_JOURNAL")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "heatconsole" / "journal.sqlite"
