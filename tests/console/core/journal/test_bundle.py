"""Export a bundle, import it idempotently; foreign and corrupt files are refused clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.core.events import JournalEvent, Kind
from console.core.journal import bundle as bundle_mod
from console.core.journal import signing, store
from console.core.journal.bundle import (
    BundleError,
    Trust,
    export_bundle,
    import_bundle,
    read_manifest,
)
from console.core.journal.query import Filters

T0 = 1_767_225_600.0  # 2026-01-01 UTC
UNSIGNED_OK = Trust(allow_unsigned=True)


@pytest.fixture(autouse=True)
def key_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This laptop's signing key and trusted keys live here, not in the user's config."""
    d = tmp_path / "config"
    monkeypatch.setenv("HEATCONSOLE_CONFIG_DIR", str(d))
    return d


def make_journal(path: Path, events: list[JournalEvent]) -> None:
    conn = store.connect(path, create=True)
    store.insert_events(conn, events)
    conn.close()


def test_export_import_idempotent(tmp_path: Path) -> None:
    field = [JournalEvent(Kind.COMM, f"f{i}", time=T0 + i, station="s1") for i in range(50)]
    make_journal(tmp_path / "laptop.sqlite", field)
    shared = field[:5]  # the control room already has a few (an earlier import)
    own = [JournalEvent(Kind.OPERATOR, "ctl", time=T0 + 1000)]
    make_journal(tmp_path / "ctl.sqlite", shared + own)

    bundle = tmp_path / "field.hcj"
    m = export_bundle(tmp_path / "laptop.sqlite", bundle, Filters(since=T0 + 10))
    assert m.count == 40 and m.first == T0 + 10 and m.last == T0 + 49 and m.since == T0 + 10
    assert not Path(f"{bundle}-wal").exists()  # one file to carry
    assert read_manifest(bundle).checksum == m.checksum

    r = import_bundle(tmp_path / "ctl.sqlite", bundle)
    assert (r.added, r.duplicates, r.conflicts) == (40, 0, 0)
    r = import_bundle(tmp_path / "ctl.sqlite", bundle)
    assert (r.added, r.duplicates) == (0, 40)

    full = tmp_path / "all.hcj"
    export_bundle(tmp_path / "laptop.sqlite", full)
    r = import_bundle(tmp_path / "ctl.sqlite", full)
    assert (r.added, r.duplicates) == (5, 45)
    conn = store.connect(tmp_path / "ctl.sqlite")
    assert store.count_events(conn) == 51
    conn.close()
    # A plain journal file imports too.
    r = import_bundle(tmp_path / "new.sqlite", tmp_path / "laptop.sqlite", trust=UNSIGNED_OK)
    assert r.added == 50 and r.manifest.kind == "journal"


def test_conflicting_ids_keep_local(tmp_path: Path) -> None:
    e = JournalEvent(Kind.COMM, "original", time=T0)
    make_journal(tmp_path / "a.sqlite", [e])
    make_journal(tmp_path / "b.sqlite", [JournalEvent(Kind.COMM, "changed", time=T0, id=e.id)])
    export_bundle(tmp_path / "b.sqlite", tmp_path / "b.hcj")
    r = import_bundle(tmp_path / "a.sqlite", tmp_path / "b.hcj")
    assert (r.added, r.duplicates, r.conflicts) == (0, 1, 1)


def test_foreign_and_corrupt(tmp_path: Path) -> None:
    target = tmp_path / "j.sqlite"
    with pytest.raises(BundleError, match="no such bundle"):
        import_bundle(target, tmp_path / "missing.hcj")
    junk = tmp_path / "junk.hcj"
    junk.write_bytes(b"PK\x03\x04 not sqlite at all" * 100)
    with pytest.raises(BundleError, match="not a heatconsole journal bundle"):
        import_bundle(target, junk)
    other = tmp_path / "other.hcj"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE t (x)")
    c.commit()
    c.close()
    with pytest.raises(BundleError, match="not a heatconsole journal bundle"):
        import_bundle(target, other)

    make_journal(tmp_path / "src.sqlite", [JournalEvent(Kind.COMM, f"m{i}") for i in range(5)])
    bad = tmp_path / "bad.hcj"
    export_bundle(tmp_path / "src.sqlite", bad)
    c = sqlite3.connect(bad)
    c.execute("UPDATE events SET message = 'tampered' WHERE rowid = 1")
    c.commit()
    c.close()
    # Same count, other content: the message says so ("5 records, manifest says 5" did not).
    with pytest.raises(BundleError, match="corrupt: a record was changed after the export"):
        import_bundle(target, bad)
    c = sqlite3.connect(bad)
    c.execute("DELETE FROM events WHERE rowid = 2")
    c.commit()
    c.close()
    with pytest.raises(BundleError, match=r"corrupt: 4 records, its manifest says 5"):
        import_bundle(target, bad)
    assert not target.exists() or store.count_events(store.connect(target)) == 0


# ---- signatures and trust (issue 12: an unkeyed checksum let an edited journal in) -----------


def laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, n: int = 3) -> Path:
    """A field laptop with its own key directory exports `n` records; the bundle's path."""
    monkeypatch.setenv("HEATCONSOLE_CONFIG_DIR", str(tmp_path / name))
    events = [JournalEvent(Kind.OPERATOR, f"{name} {i}", time=T0 + i, user=name) for i in range(n)]
    make_journal(tmp_path / f"{name}.sqlite", events)
    bundle = tmp_path / f"{name}.hcj"
    export_bundle(tmp_path / f"{name}.sqlite", bundle)
    return bundle


def control_room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trusts: list[str]) -> Path:
    """The control room's key directory, trusting the named laptops' keys; its journal path."""
    d = tmp_path / "control"
    for name in trusts:
        pub = tmp_path / f"{name}.pub"
        pub.write_text(signing.own_public(tmp_path / name).line(), encoding="utf-8")
        signing.trust_add(pub, d)
    monkeypatch.setenv("HEATCONSOLE_CONFIG_DIR", str(d))
    return tmp_path / "control.sqlite"


def journal_rows(journal: Path, where: str = "1") -> list[dict]:
    """The journal's records matching `where`, as dicts with `details` decoded."""
    if not journal.exists():
        return []
    conn = store.connect(journal)
    try:
        rows = conn.execute(f"SELECT {store.SELECT_COLUMNS} FROM events WHERE {where}")
        events = [store.event_from_row(r) for r in rows]
    finally:
        conn.close()
    return [e.to_row() | {"details": e.details} for e in events]


def count(journal: Path) -> int:
    return len(journal_rows(journal))


def test_trusted_signer_is_imported_others_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = laptop(tmp_path, monkeypatch, "laptop7")
    stranger = laptop(tmp_path, monkeypatch, "stranger")
    target = control_room(tmp_path, monkeypatch, ["laptop7"])
    assert read_manifest(stranger).signer is not None  # validly signed, by an unknown key
    r = import_bundle(target, good)
    assert r.added == 3 and r.override is None and "trusted key" in r.trust
    with pytest.raises(BundleError, match=r"stranger\.hcj is signed by key [0-9a-f]{16}.*trust"):
        import_bundle(target, stranger)
    assert count(target) == 3
    # The operator accepts that key for one import, by the id the refusal named.
    kid = read_manifest(stranger).signer.id  # type: ignore[union-attr]
    r = import_bundle(target, stranger, trust=Trust.local(allow_keys=[kid[:8]]))
    assert r.added == 3 and r.override == "untrusted-key"
    rec = journal_rows(target, "action = 'import'")
    assert len(rec) == 1 and rec[0]["details"]["signer"] == kid
    assert rec[0]["details"]["override"] == "untrusted-key"


def test_edited_and_rechecksummed_bundle_has_a_bad_signature(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's attack: edit rows with sqlite3, fix the unkeyed checksum, import."""
    bundle = laptop(tmp_path, monkeypatch, "laptop7")
    target = control_room(tmp_path, monkeypatch, ["laptop7"])
    c = sqlite3.connect(bundle)
    c.execute("UPDATE events SET user = 'chief_engineer'")
    checksum, n = bundle_mod._checksum(c)
    c.execute("UPDATE journal_meta SET value = ? WHERE key = 'checksum'", (checksum,))
    c.commit()
    c.close()
    assert read_manifest(bundle).signer is None  # the checksum is fine, the signature is not
    with pytest.raises(BundleError, match="bad signature"):
        import_bundle(target, bundle)
    assert count(target) == 0
    r = import_bundle(target, bundle, trust=Trust.local(allow_unsigned=True))
    assert r.override == "bad-signature" and count(target) == n + 1  # + the import record


def test_unsigned_journal_needs_the_operators_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_journal(tmp_path / "plain.sqlite", [JournalEvent(Kind.COMM, "c", time=T0)])
    target = control_room(tmp_path, monkeypatch, [])
    with pytest.raises(BundleError, match=r"not signed .*--trust-unsigned"):
        import_bundle(target, tmp_path / "plain.sqlite")
    r = import_bundle(target, tmp_path / "plain.sqlite", trust=UNSIGNED_OK, user="王")
    assert r.added == 1 and r.override == "unsigned"
    (rec,) = journal_rows(target, "action = 'import'")
    assert rec["user"] == "王" and rec["priority"] == "high" and "plain.sqlite" in rec["message"]
    # Idempotent: the rows are not added twice (each override is its own record).
    assert import_bundle(target, tmp_path / "plain.sqlite", trust=UNSIGNED_OK).added == 0


# ---- every imported row is checked; a bundle with one bad row is refused whole -----------------

GOOD_ROW = {"id": "0" * 31 + "1", "time": T0, "kind": "operator", "message": "ok"}
BAD_FIELDS = [
    ("message", "x" * (6 << 20), "bytes, more than the 4,096"),
    ("message", "   ", "empty"),
    ("comment", "DROP TABLE events; --" * 300, "more than the 4,096"),
    ("user", "chief_engineer" * 30, "more than the 256"),
    ("details", "{" + '"a": 1,' * 10_000 + '"z": 0}', "more than the 65,536"),
    ("details", "not json", "not JSON"),
    ("details", "[1, 2]", "must be a JSON object"),
    ("kind", "sql", "unknown kind"),
    ("priority", "urgent", "unknown priority"),
    ("state", "PWNED", "unknown state"),
    ("time", 0.0, "not between 2000-01-01 and tomorrow"),
    ("time", T0 * 10, "not between 2000-01-01 and tomorrow"),
    ("time", "2026-01-01", "must be a number, is text"),
    ("value", "high", "must be a number, is text"),
    ("station", b"\x00\x01", "must be text, is binary data"),
    ("id", "robert'); --", "32 lowercase hex"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_FIELDS, ids=[f[0] for f in BAD_FIELDS])
def test_bad_row_refuses_the_whole_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: str, value: object, reason: str
) -> None:
    src = tmp_path / "laptop7.sqlite"
    make_journal(src, [JournalEvent(Kind.COMM, f"good {i}", time=T0 + i) for i in range(3)])
    c = sqlite3.connect(src)
    row = GOOD_ROW | {column: value}
    cols = ", ".join(f'"{k}"' for k in row)
    c.execute(
        f"INSERT INTO events ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())
    )
    c.commit()
    c.close()
    bundle = tmp_path / "laptop7.hcj"
    export_bundle(src, bundle)  # signed by this (trusted, own) key: only the row is wrong
    target = tmp_path / "control.sqlite"
    make_journal(target, [JournalEvent(Kind.OPERATOR, "before", time=T0)])
    with pytest.raises(BundleError) as err:
        import_bundle(target, bundle)
    text = str(err.value)
    assert str(bundle) in text and "nothing imported" in text
    assert f": {column}: " in text and reason in text, text
    # Rows are numbered in id order: "000…1" sorts first, a non-hex id last.
    assert f"row {4 if column == 'id' else 1}" in text
    assert len(text) < 2000  # named, not quoted
    assert count(target) == 1
