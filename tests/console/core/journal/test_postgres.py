"""The shared journal on a real PostgreSQL: schema, roles, append-only history, reads identical
to the SQLite journal's, bundle import."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from psycopg import errors
from psycopg.pq import TransactionStatus

from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.journal import bundle, store
from console.core.journal.handover import build_report, render_html
from console.core.journal.pg_connect import DbError, connect
from console.core.journal.postgres import (
    copy_new_rows,
    import_bundle,
    init_database,
    open_source,
    prepare_writer,
)
from console.core.journal.query import Filters, count, query
from console.core.journal.source import SqliteSource
from tests.support.postgres import PgDatabase, PgJournal

S = datetime(2026, 1, 5, 8, 0).timestamp()
H = 3600.0
INSERT_ONE = "INSERT INTO events (id, time, kind, message) VALUES ('x', 1, 'comm', 'm')"


def ev(i: int, **kw) -> JournalEvent:  # type: ignore[no-untyped-def]
    kw.setdefault("station", f"jx-{i % 3:03d}")
    return JournalEvent(Kind.COMM, f"event {i}", time=S + i, **kw)


def pg_insert(dsn: str, events: list[JournalEvent]) -> int:
    with connect(dsn) as conn, conn.transaction():
        prepare_writer(conn)
        return copy_new_rows(conn.cursor(), [store.event_to_tuple(e) for e in events])


def pg_count(dsn: str) -> int:
    with connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]  # type: ignore[index]


def test_init_creates_the_journal_and_can_run_again(pg_db: PgDatabase) -> None:
    done = init_database(pg_db.admin_dsn, "hc_t_srv", "hc_t_rdr")
    assert done[0].startswith("created table events")
    assert "created role hc_t_srv (login, no password)" in done
    with connect(pg_db.admin_dsn) as conn:
        cols = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' "
            "ORDER BY ordinal_position"
        )]  # fmt: skip
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes")}
    assert tuple(cols) == store.COLUMNS
    assert {name for name, _, _ in store.INDEXES} <= indexes
    again = init_database(pg_db.admin_dsn, "hc_t_srv", "hc_t_rdr", reader_password="x")
    assert again[0].startswith("table events already present")
    assert "role hc_t_rdr already present; password changed" in again
    pg_db.server.drop_roles(pg_db.name, "hc_t_srv", "hc_t_rdr")


def test_init_as_the_database_owner_with_createrole(pg_db: PgDatabase) -> None:
    owner, db = f"{pg_db.name}_owner", f"{pg_db.name}_owned"
    pg_db.server.admin(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD 'pw'")
    pg_db.server.admin(f"CREATE DATABASE {db} OWNER {owner}")
    srv, rdr = f"{db}_srv", f"{db}_rdr"
    try:
        with pytest.raises(DbError, match="roles of their own"):
            init_database(pg_db.server.dsn(db, owner, "pw"), owner, rdr)
        init_database(pg_db.server.dsn(db, owner, "pw"), srv, rdr, server_password="s")
        assert pg_insert(pg_db.server.dsn(db, srv, "s"), [ev(1)]) == 1
    finally:
        pg_db.server.admin(f"DROP DATABASE {db} WITH (FORCE)")
        pg_db.server.admin(f"DROP ROLE {srv}, {rdr}, {owner}")


def test_reader_may_only_read(pg_journal: PgJournal) -> None:
    pg_insert(pg_journal.server_dsn, [ev(1)])
    with psycopg.connect(pg_journal.reader_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (1,)
        with pytest.raises(errors.ReadOnlySqlTransaction):  # its sessions are read-only
            conn.execute(INSERT_ONE)
        conn.rollback()
        conn.execute("SET TRANSACTION READ WRITE")  # and without that, no privilege either
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(INSERT_ONE)
    assert pg_count(pg_journal.admin_dsn) == 1


@pytest.mark.parametrize(
    "stmt",
    ["UPDATE events SET message = 'rewritten'", "DELETE FROM events", "TRUNCATE events"],
)
def test_server_role_may_not_rewrite_history(pg_journal: PgJournal, stmt: str) -> None:
    assert pg_insert(pg_journal.server_dsn, [ev(1), ev(2)]) == 2
    denied = pytest.raises(errors.InsufficientPrivilege)
    with psycopg.connect(pg_journal.server_dsn) as conn, denied:
        conn.execute(stmt)  # type: ignore[arg-type]
    assert pg_count(pg_journal.admin_dsn) == 2


@pytest.mark.parametrize(
    "stmt",
    ["UPDATE events SET message = 'rewritten'", "DELETE FROM events WHERE true", "TRUNCATE events"],
)
def test_even_the_owner_cannot_rewrite_history(pg_journal: PgJournal, stmt: str) -> None:
    pg_insert(pg_journal.server_dsn, [ev(1)])
    with psycopg.connect(pg_journal.admin_dsn) as conn:
        with pytest.raises(errors.InsufficientPrivilege, match="append-only"):
            conn.execute(stmt)  # type: ignore[arg-type]
        conn.rollback()
        assert conn.execute("SELECT message FROM events").fetchall() == [("event 1",)]


def shift_events() -> list[JournalEvent]:
    """A shift with alarms raised, acknowledged and still open, comm, notes, CJK and ASCII text."""
    U, A, N = AlarmState.UNACK, AlarmState.ACK, AlarmState.NORMAL
    room = "jx-001/room_temp[3]/room_low"

    def al(key: str, state: AlarmState, t: float, value: float, **kw) -> JournalEvent:  # type: ignore[no-untyped-def]
        return JournalEvent(Kind.ALARM, f"{key} Room LOW → {state}", time=t, station=key[:6],
                            district="jianxi", alarm=key, point=key.split("/")[1], state=state,
                            priority=kw.pop("priority", Priority.MEDIUM), value=value,
                            limit=18.0, **kw)  # fmt: skip

    return [
        al(room, U, S - 2 * H, 17.2),  # open before the shift
        al(room, A, S + 0.5 * H, 17.0, user="王"),
        al(room, N, S + 3 * H, 18.4),
        al("jx-002/p_secondary/low", U, S + 1 * H, 0.8, priority=Priority.HIGH),
        al("jx-002/room_temp[1]/room_critical", U, S + 2 * H, 15.1, priority=Priority.CRITICAL),
        JournalEvent(Kind.COMM, "comm failed", time=S + 4 * H, station="xg-002",
                     details={"status": "failed"}),
        JournalEvent(Kind.COMM, "comm ok", time=S + 4.5 * H, station="xg-002",
                     details={"status": "ok"}),
        JournalEvent(Kind.OPERATOR, "note", time=S + 5 * H, action="note", user="李",
                     comment="泵有异响 pump NOISE, check"),
        JournalEvent(Kind.SYSTEM, "console started", time=S + 6 * H),
        *(ev(i, district="xigong") for i in range(40)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(since=S, until=S + 5 * H),
        Filters(stations=["jx-001", "jx-002"], priorities=["critical", "high"]),
        Filters(kinds=["alarm"], states=["UNACK"]),
        Filters(text="room low"),  # ASCII case-insensitive, as SQLite's LIKE
        Filters(text="异响"),
        Filters(text="50%_"),  # LIKE wildcards are matched literally
        Filters(users=["王", "李"]),
        Filters(districts=["xigong"], limit=7, newest_first=True),
    ],
)
def test_queries_give_the_same_events_on_both_backends(
    pg_journal: PgJournal, tmp_path: Path, filters: Filters
) -> None:
    events = shift_events()
    conn = store.connect(tmp_path / "j.sqlite", create=True)
    store.insert_events(conn, events)
    pg_insert(pg_journal.server_dsn, events)
    with open_source(pg_journal.reader_dsn) as pg:
        on_pg = query(pg, filters)
        assert pg.conn.info.transaction_status is TransactionStatus.IDLE  # no snapshot held
        assert count(pg, Filters(**{**filters.__dict__, "limit": None})) == count(
            conn, Filters(**{**filters.__dict__, "limit": None})
        )
    on_sqlite = query(SqliteSource(conn), filters)
    conn.close()
    assert on_pg == on_sqlite
    assert on_sqlite or filters.text == "50%_"


def test_handover_is_the_same_on_both_backends(pg_journal: PgJournal, tmp_path: Path) -> None:
    events = shift_events()
    conn = store.connect(tmp_path / "j.sqlite", create=True)
    store.insert_events(conn, events)
    pg_insert(pg_journal.server_dsn, events)
    now = S + 12 * H
    local = build_report(conn, S, S + 12 * H, now=now)
    conn.close()
    with open_source(pg_journal.reader_dsn) as pg:
        shared = build_report(pg, S, S + 12 * H, now=now)
    assert shared == local
    assert [o.alarm for o in local.still_open] == [
        "jx-002/room_temp[1]/room_critical", "jx-002/p_secondary/low"
    ]  # fmt: skip
    assert local.acks and local.outages and local.notes
    assert render_html(shared, "t") == render_html(local, "t")


def test_reading_a_database_without_the_journal_is_a_clear_error(pg_db: PgDatabase) -> None:
    with pytest.raises(DbError, match="no heatconsole journal: run `heatconsole db init`"):
        open_source(pg_db.admin_dsn)


@pytest.fixture
def laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A field laptop's journal with 300 records; its signing key in a temp config dir."""
    monkeypatch.setenv("HEATCONSOLE_CONFIG_DIR", str(tmp_path / "config"))
    path = tmp_path / "laptop.sqlite"
    conn = store.connect(path, create=True)
    store.insert_events(conn, [ev(i, user="张三") for i in range(300)])
    conn.close()
    return path


def test_bundle_import_is_idempotent(pg_journal: PgJournal, laptop: Path, tmp_path: Path) -> None:
    conn = store.connect(laptop)
    events = query(conn, Filters())
    conn.close()
    b = tmp_path / "field.hcj"
    bundle.export_bundle(laptop, b)  # signed with this console's own (trusted) key
    # One record already in the shared journal, one with the same id and other content.
    pg_insert(pg_journal.server_dsn, [events[0]])
    clash = dataclasses.replace(events[1], message="something else")
    pg_insert(pg_journal.server_dsn, [clash])

    first = import_bundle(pg_journal.server_dsn, b)
    assert (first.added, first.duplicates, first.conflicts) == (298, 2, 1)
    assert first.trust.startswith("signed by trusted key") and first.override is None
    again = import_bundle(pg_journal.server_dsn, b)
    assert (again.added, again.duplicates, again.conflicts) == (0, 300, 1)
    with open_source(pg_journal.reader_dsn) as pg:
        got = query(pg, Filters())
    assert len(got) == 300 and {e.id for e in got} == {e.id for e in events}
    assert next(e for e in got if e.id == clash.id).message == "something else"  # kept


def test_unsigned_import_only_by_override_and_journalled(
    pg_journal: PgJournal, laptop: Path
) -> None:
    with pytest.raises(bundle.BundleError, match="is not signed"):
        import_bundle(pg_journal.server_dsn, laptop)  # a plain journal file
    assert pg_count(pg_journal.admin_dsn) == 0
    r = import_bundle(pg_journal.server_dsn, laptop, trust=bundle.Trust(allow_unsigned=True))
    assert (r.added, r.override) == (300, "unsigned")
    with open_source(pg_journal.reader_dsn) as pg:
        (record,) = query(pg, Filters(kinds=["operator"], text="without a trusted signature"))
    assert record.action == "import" and record.details["added"] == 300


def test_bundle_import_needs_the_server_role(pg_journal: PgJournal, laptop: Path) -> None:
    with pytest.raises(DbError, match="import as the server's role"):
        import_bundle(pg_journal.reader_dsn, laptop, trust=bundle.Trust(allow_unsigned=True))
    assert pg_count(pg_journal.admin_dsn) == 0


def test_a_nul_in_an_imported_row_arrives_escaped(pg_journal: PgJournal, tmp_path: Path) -> None:
    """A laptop's row with a NUL in its text passes every row check (SQLite holds it), but
    PostgreSQL's text refuses it: the whole import failed. It arrives with the NUL escaped."""
    laptop = tmp_path / "laptop.sqlite"
    conn = store.connect(laptop, create=True)
    odd = JournalEvent(Kind.OPERATOR, "note a\x00b", action="note", comment="c\x00")
    store.insert_events(conn, [odd, JournalEvent(Kind.SYSTEM, "console started")])
    conn.close()
    r = import_bundle(pg_journal.server_dsn, laptop, trust=bundle.Trust(allow_unsigned=True))
    assert r.added == 2
    with open_source(pg_journal.reader_dsn) as pg:
        (got,) = query(pg, Filters(kinds=["operator"], text="note a"))
    assert (got.id, got.message, got.comment) == (odd.id, "note a\\x00b", "c\\x00")
