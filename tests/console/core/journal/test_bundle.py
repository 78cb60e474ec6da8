"""Export a bundle, import it idempotently; foreign and corrupt files are refused clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.core.events import JournalEvent, Kind
from console.core.journal import store
from console.core.journal.bundle import BundleError, export_bundle, import_bundle, read_manifest
from console.core.journal.query import Filters


def make_journal(path: Path, events: list[JournalEvent]) -> None:
    conn = store.connect(path, create=True)
    store.insert_events(conn, events)
    conn.close()


def test_export_import_idempotent(tmp_path: Path) -> None:
    field = [JournalEvent(Kind.COMM, f"f{i}", time=1000.0 + i, station="s1") for i in range(50)]
    make_journal(tmp_path / "laptop.sqlite", field)
    shared = field[:5]  # the control room already has a few (an earlier import)
    own = [JournalEvent(Kind.OPERATOR, "ctl", time=2000.0)]
    make_journal(tmp_path / "ctl.sqlite", shared + own)

    bundle = tmp_path / "field.hcj"
    m = export_bundle(tmp_path / "laptop.sqlite", bundle, Filters(since=1010.0))
    assert m.count == 40 and m.first == 1010.0 and m.last == 1049.0 and m.since == 1010.0
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
    r = import_bundle(tmp_path / "new.sqlite", tmp_path / "laptop.sqlite")
    assert r.added == 50 and r.manifest.kind == "journal"


def test_conflicting_ids_keep_local(tmp_path: Path) -> None:
    e = JournalEvent(Kind.COMM, "original", time=1.0)
    make_journal(tmp_path / "a.sqlite", [e])
    make_journal(tmp_path / "b.sqlite", [JournalEvent(Kind.COMM, "changed", time=1.0, id=e.id)])
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
    with pytest.raises(BundleError, match="corrupt"):
        import_bundle(target, bad)
    assert not target.exists() or store.count_events(store.connect(target)) == 0
