"""Store-and-forward into a real PostgreSQL: every event once and in order, through outages,
crashes and restarts of the forwarder."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from console.core.events import JournalEvent, Kind
from console.core.journal import store
from console.core.journal.pg_connect import DbError, connect
from console.core.journal.pg_forward import ForwarderState, ForwarderStatus, PgForwarder
from console.core.journal.postgres import copy_new_rows, prepare_writer
from console.core.journal.writer import JournalWriter
from tests.support.postgres import PgJournal

FAST = {"backoff": (0.05, 0.5), "poll_s": 0.05, "ping_s": 0.5}
REPO = Path(__file__).resolve().parents[4]


def ev(i: int) -> JournalEvent:
    return JournalEvent(Kind.COMM, f"event {i}", station=f"s{i % 7}")


def write(path: Path, events: list[JournalEvent], chunk: int = 250) -> None:
    """Into the local journal, committed in several transactions as the writer does."""
    conn = store.connect(path, create=True)
    for k in range(0, len(events), chunk):
        store.insert_events(conn, events[k : k + chunk])
    conn.close()


def wait_for(cond: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.02)


def assert_forwarded_once_in_order(path: Path, dsn: str) -> None:
    """PostgreSQL holds exactly the journal's events, and no transaction committed an event
    before one the journal has earlier: the inserting transaction ids (xmin) never decrease
    along the journal's commit order."""
    conn = store.connect(path)
    local = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY rowid")]
    conn.close()
    with connect(dsn) as pg:
        xmin = dict(pg.execute("SELECT id, xmin::text::bigint FROM events").fetchall())  # type: ignore[arg-type]
    assert len(xmin) == len(local) and set(xmin) == set(local)
    seq = [xmin[i] for i in local]
    assert all(a <= b for a, b in itertools.pairwise(seq)), "out of order"


def test_events_arrive_once_in_order(pg_journal: PgJournal, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    events = [ev(i) for i in range(1200)]
    write(path, events[:700])
    fwd = PgForwarder(path, pg_journal.server_dsn, batch=100, **FAST).start()  # type: ignore[arg-type]
    try:
        assert fwd.flush(30)
        write(path, events[700:])
        assert fwd.flush(30)
        st = fwd.status()
    finally:
        assert fwd.stop()
    assert (st.state, st.connected, st.backlog) == (ForwarderState.FORWARDING, True, 0)
    assert (st.forwarded, st.duplicates, st.last_error) == (1200, 0, None)
    assert_forwarded_once_in_order(path, pg_journal.admin_dsn)
    assert fwd.status().state is ForwarderState.STOPPED


def test_forwards_what_the_journal_writer_commits(pg_journal: PgJournal, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    fwd = PgForwarder(path, pg_journal.server_dsn, **FAST).start()  # type: ignore[arg-type]
    wait_for(lambda: fwd.status().state is ForwarderState.WAITING)  # no journal file yet
    w = JournalWriter(path, batch_ms=20, on_commit=lambda _batch: fwd.notify())
    try:
        for i in range(20):
            w.submit_many([ev(50 * i + k) for k in range(50)])
            time.sleep(0.01)
        assert w.flush(30) and fwd.flush(30)
    finally:
        w.close()
        fwd.stop()
    assert fwd.status().forwarded == 1000
    assert_forwarded_once_in_order(path, pg_journal.admin_dsn)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_postgres_outage_loses_nothing_and_is_visible(
    pg_journal: PgJournal, tmp_path: Path, mode: str
) -> None:
    path = tmp_path / "journal.sqlite"
    write(path, [ev(-1)])
    seen: list[ForwarderStatus] = []
    fwd = PgForwarder(
        path,
        pg_journal.server_dsn,
        batch=50,
        on_status=seen.append,
        **FAST,  # type: ignore[arg-type]
    ).start()
    produced: list[JournalEvent] = []
    stop = threading.Event()

    def produce() -> None:  # the server keeps journalling throughout
        conn = store.connect(path)
        i = 0
        while not stop.is_set():
            batch = [ev(i + k) for k in range(20)]
            store.insert_events(conn, batch)
            produced.extend(batch)
            i += 20
            time.sleep(0.01)
        conn.close()

    producer = threading.Thread(target=produce)
    producer.start()
    server = pg_journal.db.server
    try:
        wait_for(lambda: fwd.status().forwarded > 200)
        server.stop(mode)
        wait_for(lambda: fwd.status().state is ForwarderState.RETRYING)
        down = fwd.status()
        assert not down.connected and down.last_error and down.since
        wait_for(lambda: fwd.status().backlog > 100)  # growing in the local journal
        assert "events waiting in the local journal since" in fwd.status().describe()
        server.start()
        time.sleep(0.3)
        stop.set()
        producer.join()
        assert fwd.flush(60)
        up = fwd.status()
    finally:
        stop.set()
        producer.join()
        fwd.stop()
    assert (up.state, up.connected, up.backlog, up.last_error) == (
        ForwarderState.FORWARDING, True, 0, None,
    )  # fmt: skip
    assert up.forwarded + up.duplicates >= len(produced) + 1
    assert_forwarded_once_in_order(path, pg_journal.admin_dsn)
    assert any(s.state is ForwarderState.RETRYING for s in seen)


CHILD = textwrap.dedent(
    """
    import os, sys
    from console.core.journal.pg_forward import PgForwarder

    path, dsn, mode = sys.argv[1], sys.argv[2], sys.argv[3]

    class Crashing(PgForwarder):
        commits = 0
        def _save_cursor(self, rowid, event_id):
            self.commits += 1
            if self.commits == 3:  # PostgreSQL committed batch 3; the cursor never moves
                os._exit(9)
            super()._save_cursor(rowid, event_id)

    cls = Crashing if mode == "crash-after-commit" else PgForwarder
    fwd = cls(path, dsn, batch=100, backoff=(0.05, 0.5), poll_s=0.05).start()
    ok = fwd.flush(60)
    print("flushed" if ok else "timeout", flush=True)
    sys.stdin.read()  # wait to be killed
    """
)


def run_child(path: Path, dsn: str, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), dsn, mode],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip


def test_forwarder_killed_between_batches_resends_nothing(
    pg_journal: PgJournal, tmp_path: Path
) -> None:
    path = tmp_path / "journal.sqlite"
    events = [ev(i) for i in range(900)]
    write(path, events[:500])
    child = run_child(path, pg_journal.server_dsn, "plain")
    assert child.stdout is not None and child.stdout.readline().strip() == "flushed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    write(path, events[500:])
    fwd = PgForwarder(path, pg_journal.server_dsn, batch=100, **FAST).start()  # type: ignore[arg-type]
    try:
        assert fwd.flush(30)
    finally:
        fwd.stop()
    assert (fwd.status().forwarded, fwd.status().duplicates) == (400, 0)
    assert_forwarded_once_in_order(path, pg_journal.admin_dsn)


def test_crash_between_commit_and_cursor_resends_one_batch_deduplicated(
    pg_journal: PgJournal, tmp_path: Path
) -> None:
    path = tmp_path / "journal.sqlite"
    write(path, [ev(i) for i in range(1000)])
    child = run_child(path, pg_journal.server_dsn, "crash-after-commit")
    assert child.wait(60) == 9
    with connect(pg_journal.admin_dsn) as pg:
        assert pg.execute("SELECT count(*) FROM events").fetchone() == (300,)
    fwd = PgForwarder(path, pg_journal.server_dsn, batch=100, **FAST).start()  # type: ignore[arg-type]
    try:
        assert fwd.flush(30)
    finally:
        fwd.stop()
    assert (fwd.status().forwarded, fwd.status().duplicates) == (700, 100)
    assert_forwarded_once_in_order(path, pg_journal.admin_dsn)


def test_a_role_that_may_not_insert_is_a_visible_failure(
    pg_journal: PgJournal, tmp_path: Path
) -> None:
    path = tmp_path / "journal.sqlite"
    write(path, [ev(i) for i in range(10)])
    fwd = PgForwarder(path, pg_journal.reader_dsn, **FAST).start()  # type: ignore[arg-type]
    try:
        wait_for(lambda: fwd.status().state is ForwarderState.FAILED)
        st = fwd.status()
        assert st.backlog == 10 and "read-only" in (st.last_error or "")
        assert not fwd.flush(0.2)
    finally:
        assert not fwd.stop(0.2)  # the events stay in the local journal
    assert fwd.cursor() == 0


def test_a_remote_address_without_tls_is_refused_at_once(tmp_path: Path) -> None:
    with pytest.raises(DbError, match="verify-full"):
        PgForwarder(tmp_path / "j.sqlite", "postgresql://srv:pw@192.0.2.10/journal")


@pytest.mark.parametrize("live", [True, False])
def test_rowids_restarted_after_the_journal_was_emptied(
    pg_journal: PgJournal, tmp_path: Path, live: bool
) -> None:
    """Retention emptied the file and SQLite handed out rowids from 1 again: the cursor no
    longer means anything, so everything is sent again (the ids de-duplicate)."""
    path = tmp_path / "journal.sqlite"
    write(path, [ev(i) for i in range(500)])
    fwd = PgForwarder(path, pg_journal.server_dsn, batch=100, **FAST).start()  # type: ignore[arg-type]
    assert fwd.flush(30)
    if not live:
        fwd.stop()
    conn = store.connect(path)
    conn.execute("DELETE FROM events")
    conn.close()
    later = [ev(1000 + i) for i in range(100 if live else 600)]
    write(path, later)
    if not live:
        fwd = PgForwarder(path, pg_journal.server_dsn, batch=100, **FAST).start()  # type: ignore[arg-type]
    try:
        assert fwd.flush(30)
    finally:
        fwd.stop()
    with connect(pg_journal.admin_dsn) as pg:
        ids = {r[0] for r in pg.execute("SELECT id FROM events")}
    assert {e.id for e in later} <= ids and len(ids) == 500 + len(later)


def test_events_already_in_postgres_mid_stream_are_skipped(
    pg_journal: PgJournal, tmp_path: Path
) -> None:
    """Someone imported the server's own journal file as a bundle: the straight COPY of the
    next batch clashes, and that batch goes again through ON CONFLICT DO NOTHING."""
    path = tmp_path / "journal.sqlite"
    events = [ev(i) for i in range(200)]
    write(path, events[:100])
    fwd = PgForwarder(path, pg_journal.server_dsn, **FAST).start()  # type: ignore[arg-type]
    try:
        assert fwd.flush(30)
        with connect(pg_journal.server_dsn) as pg, pg.transaction():
            prepare_writer(pg)
            copy_new_rows(pg.cursor(), [store.event_to_tuple(e) for e in events[150:]])
        write(path, events[100:])
        assert fwd.flush(30)
    finally:
        fwd.stop()
    assert (fwd.status().forwarded, fwd.status().duplicates) == (150, 50)
    with connect(pg_journal.admin_dsn) as pg:
        assert pg.execute("SELECT count(*) FROM events").fetchone() == (200,)


def test_text_postgresql_cannot_hold_is_forwarded_escaped(
    pg_journal: PgJournal, tmp_path: Path
) -> None:
    """A NUL in a record's text (an operator's note or ack comment from a thin console's JSON
    request, an imported journal row) is valid in the local SQLite journal, but PostgreSQL's
    text refuses it: the forwarder retried that batch for ever and nothing after it reached
    the shared journal. It arrives with the NUL as its visible escape, and the rest with it."""
    path = tmp_path / "journal.sqlite"
    odd = JournalEvent(Kind.OPERATOR, "note a\x00b", comment="c\x00", user="li\x00",
                       details={"k": "v\x00"}, action="note")  # fmt: skip
    events = [ev(0), odd, ev(2)]
    write(path, events)
    fwd = PgForwarder(path, pg_journal.server_dsn, batch=100, **FAST).start()  # type: ignore[arg-type]
    try:
        assert fwd.flush(30), fwd.status()
    finally:
        assert fwd.stop()
    assert_forwarded_once_in_order(path, pg_journal.admin_dsn)
    with connect(pg_journal.admin_dsn) as pg:
        row = pg.execute(
            'SELECT message, comment, "user", details FROM events WHERE id = %s', (odd.id,)
        ).fetchone()
    assert row is not None and row[:3] == ("note a\\x00b", "c\\x00", "li\\x00"), row
    assert "\x00" not in row[3] and "v" in row[3]
