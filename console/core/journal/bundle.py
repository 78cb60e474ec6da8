"""Journal bundles: carry records from a field laptop to the control room.

A bundle is a journal-schema SQLite file (rollback-journal mode, so it is one file to copy)
whose `journal_meta` is its manifest: kind=bundle, console id, time range, count and a SHA-256
over its rows in id order. Importing merges with INSERT OR IGNORE on the event id, so importing
the same bundle twice adds nothing. A plain journal file can be imported the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from console.core.events import CONSOLE_ID
from console.core.journal import store
from console.core.journal.query import Filters

BUNDLE_SUFFIX = ".hcj"


class BundleError(Exception):
    """A bundle that is missing, foreign, corrupt or from a newer heatconsole."""


@dataclass(frozen=True)
class Manifest:
    kind: str  # "bundle" or "journal"
    console: str | None
    count: int
    first: float | None
    last: float | None
    since: float | None  # the export's filter range, if one was given
    until: float | None
    exported: float | None
    checksum: str | None


@dataclass(frozen=True)
class ImportResult:
    added: int
    duplicates: int
    conflicts: int  # same id, different content: the local record is kept
    manifest: Manifest


def _checksum(conn: sqlite3.Connection, schema: str = "main") -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    for row in conn.execute(f"SELECT {store.SELECT_COLUMNS} FROM {schema}.events ORDER BY id"):
        h.update(json.dumps(list(row), ensure_ascii=False, separators=(",", ":")).encode())
        h.update(b"\n")
        n += 1
    return h.hexdigest(), n


def _opt(v: float | None) -> str:
    return "" if v is None else repr(v)


def _float(v: str | None) -> float | None:
    return float(v) if v else None


def export_bundle(
    journal: str | os.PathLike[str], out: str | os.PathLike[str], filters: Filters | None = None
) -> Manifest:
    """Write the journal records matching `filters` to a new bundle file at `out`."""
    filters = filters or Filters()
    src, dst = Path(journal), Path(out)
    store.connect(src).close()  # a clear error if it is not a journal
    if dst.exists():
        if dst.resolve() == src.resolve():
            raise BundleError("the bundle would overwrite the journal itself")
        dst.unlink()
    tmp = dst.with_name(dst.name + ".part")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    conn = store.connect(tmp, create=True, synchronous="OFF")
    try:
        conn.execute("ATTACH DATABASE ? AS src", (str(src),))
        where, params = filters.where()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            f"INSERT INTO main.events ({store.SELECT_COLUMNS}) "
            f"SELECT {store.SELECT_COLUMNS} FROM src.events{where}",
            params,
        )
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
        checksum, count = _checksum(conn)
        first, last = conn.execute("SELECT min(time), max(time) FROM events").fetchone()
        manifest = Manifest(
            "bundle", CONSOLE_ID, count, first, last, filters.since, filters.until,
            time.time(), checksum,
        )  # fmt: skip
        conn.execute("BEGIN IMMEDIATE")
        store.set_meta(
            conn,
            {
                "kind": "bundle",
                "console": CONSOLE_ID,
                "count": str(count),
                "first": _opt(first),
                "last": _opt(last),
                "since": _opt(filters.since),
                "until": _opt(filters.until),
                "exported": repr(manifest.exported),
                "checksum": checksum,
            },
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        conn.close()
    tmp.replace(dst)  # never leave a half-written bundle under the real name
    return manifest


def read_manifest(path: str | os.PathLike[str], *, verify: bool = True) -> Manifest:
    """Read (and check) a bundle's manifest; BundleError with a clear reason otherwise."""
    p = Path(path)
    if not p.is_file():
        raise BundleError(f"no such bundle: {p}")
    try:
        conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise BundleError(f"cannot open {p}: {e}") from e
    try:
        try:
            meta = store.get_meta(conn)
        except sqlite3.DatabaseError as e:
            raise BundleError(f"{p} is not a heatconsole journal bundle ({e})") from e
        if meta.get("magic") != store.MAGIC:
            raise BundleError(f"{p} is not a heatconsole journal bundle")
        version = int(meta.get("schema_version", "0"))
        if version != store.SCHEMA_VERSION:
            raise BundleError(
                f"{p} has journal schema {version}; this heatconsole reads {store.SCHEMA_VERSION}"
            )
        kind = meta.get("kind", "journal")
        try:
            if kind == "bundle" and verify:
                checksum, count = _checksum(conn)
                if checksum != meta.get("checksum") or count != int(meta.get("count", -1)):
                    raise BundleError(
                        f"{p} is corrupt: its records do not match its manifest "
                        f"({count} records, manifest says {meta.get('count')})"
                    )
            else:
                count = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        except sqlite3.DatabaseError as e:
            raise BundleError(f"{p} is corrupt ({e})") from e
    finally:
        conn.close()
    return Manifest(
        kind, meta.get("console"), count, _float(meta.get("first")), _float(meta.get("last")),
        _float(meta.get("since")), _float(meta.get("until")), _float(meta.get("exported")),
        meta.get("checksum"),
    )  # fmt: skip


def import_bundle(journal: str | os.PathLike[str], bundle: str | os.PathLike[str]) -> ImportResult:
    """Merge a bundle (or another console's journal) into `journal`, idempotently."""
    src, dst = Path(bundle), Path(journal)
    manifest = read_manifest(src)
    if dst.exists() and dst.resolve() == src.resolve():
        raise BundleError("cannot import a journal into itself")
    conn = store.connect(dst, create=True)
    try:
        conn.execute("ATTACH DATABASE ? AS b", (str(src),))
        conn.execute("BEGIN IMMEDIATE")
        try:
            before = conn.total_changes
            conn.execute(
                f"INSERT OR IGNORE INTO main.events ({store.SELECT_COLUMNS}) "
                f"SELECT {store.SELECT_COLUMNS} FROM b.events"
            )
            added = conn.total_changes - before
            same = " AND ".join(f'x."{c}" IS y."{c}"' for c in store.COLUMNS)
            conflicts = conn.execute(
                f"SELECT count(*) FROM b.events x JOIN main.events y ON x.id = y.id "
                f"WHERE NOT ({same})"
            ).fetchone()[0]
            total = conn.execute("SELECT count(*) FROM b.events").fetchone()[0]
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("DETACH DATABASE b")
    finally:
        conn.close()
    return ImportResult(added, total - added, int(conflicts), manifest)
