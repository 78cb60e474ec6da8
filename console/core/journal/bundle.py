"""Journal bundles: carry records from a field laptop to the control room.

A bundle is a journal-schema SQLite file (rollback-journal mode, so it is one file to copy)
whose `journal_meta` is its manifest: kind=bundle, console id, time range, count, a SHA-256
over its rows in id order, and an Ed25519 signature over all of that by the exporting console's
own key (signing.py). Importing checks, on one read of the file: the checksum, the signature,
that the signer is trusted (or the operator said to trust it for this import), and every row
(row_check.py); a bundle failing any check is refused whole, with the reason. Then the rows
merge with INSERT OR IGNORE on the event id, so importing the same bundle twice adds nothing.
A plain journal file can be imported the same way, as an unsigned bundle.

Entry points: `export_bundle`, `read_manifest` (checksum and signature, no trust),
`read_bundle` (everything checked: the verified rows, for any store), `import_bundle`.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.core.events import CONSOLE_ID, JournalEvent, Kind, Priority
from console.core.journal import store
from console.core.journal.query import Filters
from console.core.journal.row_check import row_problems
from console.core.journal.signing import (
    PublicKey,
    SigningKeyError,
    own_public,
    parse_public,
    signing_key,
    trusted_keys,
)

BUNDLE_SUFFIX = ".hcj"
SIGNED_CONTEXT = b"heatconsole journal bundle v1\n"  # what else a key signs never matches this
MAX_REPORTED_ROWS = 20


class BundleError(Exception):
    """A bundle that is missing, foreign, corrupt, untrusted, or with a bad row: why, and where."""


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
    signer: PublicKey | None = None  # the key whose valid signature the bundle carries


@dataclass(frozen=True)
class Trust:
    """What an import accepts: signatures by `keys`; and, because the operator said so for
    this import, an unsigned bundle (`allow_unsigned`) or a signer named by key id
    (`allow_keys`, a prefix of at least 6 hex digits as shown in the refusal)."""

    keys: Mapping[str, PublicKey] = field(default_factory=dict)
    allow_unsigned: bool = False
    allow_keys: frozenset[str] = frozenset()

    @classmethod
    def local(cls, *, allow_unsigned: bool = False, allow_keys: Iterable[str] = ()) -> Trust:
        """The keys this console trusts (its config directory), plus the operator's overrides."""
        return cls(trusted_keys(), allow_unsigned, frozenset(k.lower() for k in allow_keys))

    def allows_key(self, key_id: str) -> bool:
        return any(len(k) >= 6 and key_id.startswith(k) for k in self.allow_keys)


@dataclass(frozen=True)
class VerifiedBundle:
    path: Path
    manifest: Manifest
    rows: list[tuple[Any, ...]]  # store.COLUMNS order, id order, every one checked
    trust: str  # how it was accepted, in words
    override: str | None  # "unsigned" / "untrusted-key" / "bad-signature": the operator's call

    def events(self) -> list[JournalEvent]:
        return [store.event_from_row(r) for r in self.rows]


@dataclass(frozen=True)
class ImportResult:
    added: int
    duplicates: int
    conflicts: int  # same id, different content: the local record is kept
    manifest: Manifest
    trust: str = ""
    override: str | None = None


def _row_json(row: Sequence[Any]) -> bytes:
    # Binary values cannot be JSON: hashed in a form no text value has (and refused on import).
    return json.dumps(
        list(row), ensure_ascii=False, separators=(",", ":"), default=lambda b: {"$blob": b.hex()}
    ).encode()


def _checksum_rows(rows: Iterable[Sequence[Any]]) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    for row in rows:
        h.update(_row_json(row))
        h.update(b"\n")
        n += 1
    return h.hexdigest(), n


def _checksum(conn: sqlite3.Connection, schema: str = "main") -> tuple[str, int]:
    return _checksum_rows(
        conn.execute(f"SELECT {store.SELECT_COLUMNS} FROM {schema}.events ORDER BY id")
    )


def _signed_message(meta: Mapping[str, str]) -> bytes:
    body = {k: v for k, v in meta.items() if k != "signature"}
    return SIGNED_CONTEXT + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def _opt(v: float | None) -> str:
    return "" if v is None else repr(v)


def _float(v: str | None) -> float | None:
    """A manifest number; None when absent or not a number (the rows are checked one by one)."""
    try:
        return float(v) if v else None
    except ValueError:
        return None


def export_bundle(
    journal: str | os.PathLike[str],
    out: str | os.PathLike[str],
    filters: Filters | None = None,
    *,
    key_dir: Path | None = None,
) -> Manifest:
    """Write the journal records matching `filters` to a new bundle file at `out`, signed with
    this console's key (created on first use in `key_dir`, default the config directory)."""
    filters = filters or Filters()
    src, dst = Path(journal), Path(out)
    store.connect(src).close()  # a clear error if it is not a journal
    try:
        key = signing_key(key_dir)
    except SigningKeyError as e:
        raise BundleError(f"cannot sign the bundle: {e}") from None
    signer = own_public(key_dir)
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
        first, last = conn.execute(
            "SELECT min(time), max(time) FROM events WHERE typeof(time) IN ('real', 'integer')"
        ).fetchone()
        manifest = Manifest(
            "bundle", CONSOLE_ID, count, first, last, filters.since, filters.until,
            time.time(), checksum, signer,
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
                "signer_key": signer.line().strip(),
            },
        )
        # The signature covers every manifest entry, the checksum (so every row) included.
        signature = key.sign(_signed_message(store.get_meta(conn)))
        store.set_meta(conn, {"signature": base64.b64encode(signature).decode()})
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        conn.close()
    tmp.replace(dst)  # never leave a half-written bundle under the real name
    return manifest


def _read_file(p: Path) -> tuple[dict[str, str], list[tuple[Any, ...]]]:
    """Manifest and rows (id order) from one read transaction: what is checked is what is used."""
    if not p.is_file():
        raise BundleError(f"no such bundle: {p}")
    try:
        conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as e:
        raise BundleError(f"cannot open {p}: {e}") from e
    try:
        try:
            conn.execute("BEGIN")
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
        try:
            rows = [
                tuple(r)
                for r in conn.execute(f"SELECT {store.SELECT_COLUMNS} FROM events ORDER BY id")
            ]
        except sqlite3.DatabaseError as e:
            raise BundleError(f"{p} is corrupt ({e})") from e
    finally:
        conn.close()
    return meta, rows


def _signer(p: Path, meta: Mapping[str, str]) -> tuple[PublicKey | None, str | None]:
    """(the key with a valid signature over `meta`, None) or (None, why there is none)."""
    sig, line = meta.get("signature"), meta.get("signer_key")
    if not sig and not line:
        return None, "unsigned"
    try:
        key = parse_public(line or "", f"{p}'s signer key")
        valid = key.verify(base64.b64decode(sig or "", validate=True), _signed_message(meta))
    except (SigningKeyError, binascii.Error, ValueError):
        valid = False
    return (key, None) if valid else (None, "bad-signature")


def _check_manifest(
    p: Path, meta: Mapping[str, str], rows: list[tuple[Any, ...]], verify: bool = True
) -> Manifest:
    kind = meta.get("kind", "journal")
    if kind == "bundle" and verify:
        checksum, count = _checksum_rows(rows)
        if str(count) != meta.get("count"):
            raise BundleError(
                f"{p} is corrupt: {count} records, its manifest says {meta.get('count')} "
                "(records added or removed after the export)"
            )
        if checksum != meta.get("checksum"):
            raise BundleError(
                f"{p} is corrupt: a record was changed after the export (the records' "
                "checksum differs from its manifest's)"
            )
    signer, _ = _signer(p, meta)
    return Manifest(
        kind, meta.get("console"), len(rows), _float(meta.get("first")),
        _float(meta.get("last")), _float(meta.get("since")), _float(meta.get("until")),
        _float(meta.get("exported")), meta.get("checksum"), signer,
    )  # fmt: skip


def read_manifest(path: str | os.PathLike[str], *, verify: bool = True) -> Manifest:
    """Read (and check) a bundle's manifest; BundleError with a clear reason otherwise.

    `verify`: the rows must match the checksum. `Manifest.signer` is the key of a valid
    signature (None: unsigned or a bad signature); whether it is trusted is read_bundle's part.
    """
    p = Path(path)
    meta, rows = _read_file(p)
    return _check_manifest(p, meta, rows, verify)


def _accept(p: Path, m: Manifest, why_not: str | None, trust: Trust) -> tuple[str, str | None]:
    """(how the bundle is accepted, the override used or None); BundleError if it is not."""
    if m.signer is not None:
        k = m.signer
        if k.id in trust.keys:
            return f"signed by trusted key {k.id} ({trust.keys[k.id].label})", None
        if trust.allows_key(k.id):
            return f"signed by untrusted key {k.id} ({k.label}), accepted by --trust-key", (
                "untrusted-key"
            )
        raise BundleError(
            f"{p} is signed by key {k.id} (console {m.console or k.label}), which this console "
            f"does not trust. Add its public key (`heatconsole log key export` on that laptop, "
            f"then `heatconsole log trust add FILE` here), or import it once with "
            f"--trust-key {k.id}"
        )
    if trust.allow_unsigned:
        what = "unsigned" if why_not == "unsigned" else "signature invalid"
        return f"{what}, accepted by --trust-unsigned", (why_not or "unsigned")
    if why_not == "bad-signature":
        raise BundleError(
            f"{p} has a bad signature: it was changed after it was signed, or the signature is "
            "forged. Nothing imported (--trust-unsigned would take it as unsigned)"
        )
    raise BundleError(
        f"{p} is not signed ({'a plain journal file' if m.kind == 'journal' else 'no signature'})"
        ": nothing imported. Import it anyway only if you know where it comes from: "
        "--trust-unsigned"
    )


def read_bundle(bundle: str | os.PathLike[str], trust: Trust | None = None) -> VerifiedBundle:
    """Everything an import needs, checked: manifest and checksum, signature against `trust`
    (default Trust.local()), every row. BundleError names the file and each bad row."""
    p = Path(bundle)
    trust = Trust.local() if trust is None else trust
    meta, rows = _read_file(p)
    m = _check_manifest(p, meta, rows)
    _, why_not = _signer(p, meta)
    how, override = _accept(p, m, why_not, trust)
    problems, total = row_problems(rows, limit=MAX_REPORTED_ROWS)
    if problems:
        more = f"\n  … and {total - len(problems)} more" if total > len(problems) else ""
        raise BundleError(
            f"{p}: {total} bad field(s), nothing imported:\n  " + "\n  ".join(problems) + more
        )
    return VerifiedBundle(p, m, rows, how, override)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def override_record(vb: VerifiedBundle, added: int, user: str | None = None) -> JournalEvent:
    """The journal record of an import the operator let through without a trusted signature."""
    m = vb.manifest
    return JournalEvent(
        Kind.OPERATOR,
        f"journal bundle {vb.path.name} imported without a trusted signature ({vb.trust}): "
        f"{added} record(s) added",
        priority=Priority.HIGH,
        action="import",
        user=user or _login(),
        details={
            "bundle": str(vb.path),
            "override": vb.override,
            "signer": m.signer.id if m.signer else None,
            "console": m.console,
            "records": m.count,
            "added": added,
            "checksum": m.checksum,
        },
    )


def import_bundle(
    journal: str | os.PathLike[str],
    bundle: str | os.PathLike[str],
    *,
    trust: Trust | None = None,
    user: str | None = None,
) -> ImportResult:
    """Merge a bundle (or another console's journal) into `journal`, idempotently, after
    read_bundle's checks; an import by override is journalled (override_record)."""
    src, dst = Path(bundle), Path(journal)
    if dst.exists() and dst.resolve() == src.resolve():
        raise BundleError("cannot import a journal into itself")
    vb = read_bundle(src, trust)
    conn = store.connect(dst, create=True)
    try:
        conn.execute(f"CREATE TEMP TABLE incoming AS SELECT {store.SELECT_COLUMNS} FROM events "
                     "WHERE 0")  # fmt: skip
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                f"INSERT INTO temp.incoming VALUES ({', '.join('?' * len(store.COLUMNS))})",
                vb.rows,
            )
            before = conn.total_changes
            conn.execute(
                f"INSERT OR IGNORE INTO main.events ({store.SELECT_COLUMNS}) "
                f"SELECT {store.SELECT_COLUMNS} FROM temp.incoming"
            )
            added = conn.total_changes - before
            same = " AND ".join(f'x."{c}" IS y."{c}"' for c in store.COLUMNS)
            conflicts = conn.execute(
                f"SELECT count(*) FROM temp.incoming x JOIN main.events y ON x.id = y.id "
                f"WHERE NOT ({same})"
            ).fetchone()[0]
            if vb.override is not None:
                conn.execute(
                    store.INSERT_SQL, store.event_to_tuple(override_record(vb, added, user))
                )
            conn.execute("DELETE FROM temp.incoming")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    total = len(vb.rows)
    return ImportResult(added, total - added, int(conflicts), vb.manifest, vb.trust, vb.override)
