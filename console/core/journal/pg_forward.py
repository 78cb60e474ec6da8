"""Store-and-forward from the server's local SQLite journal to the shared PostgreSQL journal.

The local journal is the buffer: the journal writer commits every event there first (it works
with no network at all), and this forwarder sends what lies after its cursor, in the order the
writer committed it (rowid order), in batches: rows streamed from SQLite into a COPY, COMMIT,
and only then move the cursor, which is kept in the same SQLite file (table `pg_forward`, one
row per PostgreSQL target). A crash between the commit and the cursor move re-sends that batch:
COPY then fails whole on the first id already there, and the batch goes again through a staging
table and INSERT ... ON CONFLICT (id) DO NOTHING (at a start, a look at the first id says so).
Nothing is lost, nothing doubled, and since each batch is one transaction committed after the
one before, PostgreSQL never holds an event whose predecessors it lacks.

The retry policy is the store-and-forward writers' own (WriterThreadMixin: backoff doubling up
to a limit, flush, close): the mixin's "buffer" here is the backlog in the file, so a
PostgreSQL outage only lengthens the backlog, and `status()` says since when and why.

The rowid order holds while the journal is only appended to; retention must not delete rows
after the cursor (`cursor()` says where it is). Should every row be deleted and rowids start
again below the cursor, the forwarder notices and sends the file again from its start.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors
from psycopg.pq import TransactionStatus

from console.core.journal import store
from console.core.journal.pg_connect import DbError, check_tls, connect, describe_dsn, error_text
from console.core.journal.postgres import (
    COLUMNS_SQL,
    copy_new_rows,
    copy_rows,
    prepare_writer,
    refused_nul,
    without_nul,
)
from console.core.store_and_forward import WriterThreadMixin

CURSOR_TABLE = "pg_forward"
_SELECT_AFTER = f"SELECT rowid, {COLUMNS_SQL} FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?"


class ForwarderState(StrEnum):
    FORWARDING = "forwarding"  # sending, or caught up
    WAITING = "waiting"  # the local journal file does not exist yet
    RETRYING = "retrying"  # PostgreSQL unreachable: events wait in the local journal
    FAILED = "failed"  # refused (privileges, schema): needs an operator; still retried
    STOPPED = "stopped"


@dataclass(frozen=True)
class ForwarderStatus:
    state: ForwarderState
    connected: bool
    backlog: int  # events in the local journal not yet committed to PostgreSQL
    forwarded: int  # new events committed by this forwarder since it started
    duplicates: int  # re-sent events PostgreSQL already had (after a crash or an import)
    last_error: str | None
    since: float | None  # wall time the current problem began
    target: str  # postgresql://user@host:port/db, no password

    def describe(self) -> str:
        """One line for the operators' status bar."""
        if self.state is ForwarderState.FORWARDING:
            link = "connected" if self.connected else "connecting"
            return f"shared journal: {link}, {self.backlog} events waiting"
        text = f"shared journal: {self.state}, {self.backlog} events waiting in the local journal"
        if self.since is not None:
            text += f" since {time.strftime('%H:%M:%S', time.localtime(self.since))}"
        return text + (f" — {self.last_error}" if self.last_error else "")


class _Backlog:
    """What the mixin's loop sees as its buffer: journal rows after the cursor."""

    def __init__(self) -> None:
        self.cursor = 0  # rowid of the last row committed to PostgreSQL
        self.newest = 0  # newest rowid seen in the journal
        self.count = 0  # rows after the cursor at the last look

    def __bool__(self) -> bool:
        return self.newest > self.cursor

    def __len__(self) -> int:
        return self.count if self else 0


class PgForwarder(WriterThreadMixin):
    """Forward a SQLite journal's events to PostgreSQL; `start()`, `flush()`, `stop()`.

    Polls the journal at least every second; pass `notify` as the journal writer's on_commit
    hook (`on_commit=lambda batch: fwd.notify()`) to forward at once.
    """

    _write_errors = (psycopg.Error, DbError, sqlite3.Error, store.JournalError, OSError)

    def __init__(
        self,
        journal_path: str | os.PathLike[str],
        dsn: str,
        *,
        batch: int = 20_000,  # streamed, so memory stays flat; fewer commits in a burst
        poll_s: float = 0.5,
        ping_s: float = 5.0,
        backoff: tuple[float, float] = (0.25, 30.0),
        on_status: Callable[[ForwarderStatus], None] | None = None,
    ) -> None:
        check_tls(dsn)  # a bad address is refused now, not retried forever
        self.path = Path(journal_path)
        self.dsn = dsn
        self.target = describe_dsn(dsn)
        self.batch = batch
        self.batch_s = 0.0  # the journal writer has batched already: send what is there
        self._poll_s = poll_s
        self._ping_s = ping_s
        self._backoff = backoff
        self._on_status = on_status
        self._cond = threading.Condition()
        self._buf = _Backlog()
        self._first_at = 0.0
        self._urgent = 0
        self._closing = False
        self._give_up = False
        self._last_published: ForwarderStatus | None = None
        self._conn: sqlite3.Connection | None = None
        self._pg: psycopg.Connection[Any] | None = None
        self._cursor_loaded = False
        self._poke = True
        self._polls_started = self._polls_done = 0  # flush() waits for a fresh look
        self._next_poll = 0.0
        self._last_pg_ok = 0.0
        self._sent: tuple[int, int, int] = (0, 0, 0)  # last rowid, rows, new rows
        # COPY straight into `events` is fastest but fails whole on an id already there: a
        # batch that may repeat (the first after a start, if a crash left it sent without its
        # cursor move; any after a clash) goes through the de-duplicating staging table.
        self._dedup: bool | None = None  # None: look before the first batch
        self._state = ForwarderState.FORWARDING
        self._connected = False
        self._forwarded = 0
        self._duplicates = 0
        self._error: str | None = None
        self._since: float | None = None
        self._thread = threading.Thread(target=self._run, name="pg-forwarder", daemon=True)

    # ---- caller side --------------------------------------------------------------------------

    def start(self) -> PgForwarder:
        self._thread.start()
        return self

    def notify(self) -> None:
        """New events were committed to the journal: look now rather than at the next poll."""
        with self._cond:
            self._poke = True
            self._cond.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every event in the journal now is committed to PostgreSQL."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            # First a look at the journal begun after this call: it sets what "now" holds.
            started = self._polls_started
            self._poke = True
            self._cond.notify_all()
            if not self._cond.wait_for(
                lambda: self._polls_done > started or self._give_up, timeout
            ):
                return False
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        return super().flush(left)

    def stop(self, timeout: float = 5.0) -> bool:
        """Send what it can within `timeout`, then stop. True if nothing was left behind (what
        is left stays in the local journal and goes at the next start)."""
        if not self._thread.is_alive() and self._thread.ident is None:
            with self._cond:
                self._give_up = True
            return not self._buf
        ok = self.close(timeout)
        if self._pg is not None:
            with contextlib.suppress(psycopg.Error):
                self._pg.close()
            self._pg = None
        with self._cond:
            self._connected = False
        self._publish()
        return ok

    def cursor(self) -> int:
        """Rowid of the last journal row committed to PostgreSQL."""
        with self._cond:
            return self._buf.cursor

    # ---- mixin hooks (lock held) --------------------------------------------------------------

    def _marks(self) -> tuple[int, int]:
        return self._buf.newest, self._buf.cursor

    def _status_locked(self) -> ForwarderStatus:
        return ForwarderStatus(
            ForwarderState.STOPPED if self._give_up else self._state,
            self._connected,
            len(self._buf),
            self._forwarded,
            self._duplicates,
            self._error,
            self._since,
            self.target,
        )

    def _batch_full(self) -> bool:
        return len(self._buf) >= self.batch

    def _take_batch(self) -> list[int]:
        return [self._buf.cursor]  # the rows are read outside the lock, in _write

    def _maintenance_due(self) -> bool:
        return self._poke or time.monotonic() >= self._next_poll

    def _mark_new_locked(self, newest: int, count: int) -> None:
        if not self._buf:
            self._first_at = time.monotonic()
        # Never lower: flush() may have seen newer rows than this thread's last look.
        self._buf.newest, self._buf.count = max(self._buf.newest, newest), count
        self._cond.notify_all()

    # ---- the forwarder thread -----------------------------------------------------------------

    def _write(self, batch: list[int]) -> None:
        try:
            self._write_rows(batch, clean=False)
        except psycopg.DataError as e:
            if not refused_nul(e):
                raise
            # A NUL in some record's text: retried as is, the batch would fail for ever and
            # hold back everything after it. Again with it escaped; the cost only then.
            self._write_rows(batch, clean=True)

    def _write_rows(self, batch: list[int], *, clean: bool) -> None:
        (after,) = batch
        conn = self._journal()
        pg = self._postgres()
        seen: list[Any] = [0, None]  # rows sent, the last of them

        def rows() -> Iterator[Sequence[Any]]:
            # Streamed from SQLite into COPY: PostgreSQL inserts while the next rows are read.
            for r in conn.execute(_SELECT_AFTER, (after, self.batch)):
                seen[0] += 1
                seen[1] = r
                yield without_nul(r[1:]) if clean else r[1:]

        if pg.info.transaction_status is not TransactionStatus.IDLE:
            pg.rollback()  # else transaction() below would be a savepoint, committed by nobody
        if self._dedup is None:  # first batch since start: did a crash leave it sent?
            self._dedup = self._already_sent(conn, pg, after)
        added = -1
        if not self._dedup:
            try:
                with pg.transaction():
                    copy_rows(pg.cursor(), rows(), "events")
                added = seen[0]
            except errors.UniqueViolation:
                # Some were there already: a batch re-sent after a crash. Again, skipping those.
                self._dedup = True
                seen[:] = [0, None]
        if added < 0:
            with pg.transaction():
                added = copy_new_rows(pg.cursor(), rows())
            self._dedup = added < seen[0]  # straight COPY again once no batch repeats
        if seen[1] is None:
            self._sent = (after, 0, 0)
            return
        # Committed: now move the cursor. A crash here re-sends this batch; the ids dedup it.
        self._save_cursor(seen[1][0], seen[1][1])
        self._sent = (seen[1][0], seen[0], added)

    @staticmethod
    def _already_sent(conn: sqlite3.Connection, pg: psycopg.Connection[Any], after: int) -> bool:
        """Is the first row after the cursor in PostgreSQL? Batches commit in order, so rows
        sent without their cursor move are the ones right after it."""
        first = conn.execute(
            "SELECT id FROM events WHERE rowid > ? ORDER BY rowid LIMIT 1", (after,)
        ).fetchone()
        if first is None:
            return False
        found = pg.execute("SELECT 1 FROM events WHERE id = %s", (first[0],)).fetchone()
        pg.rollback()
        return found is not None

    def _on_success(self, batch: list[int]) -> None:
        last, n, added = self._sent
        with self._cond:
            self._buf.cursor = max(self._buf.cursor, last)
            self._buf.count = max(0, self._buf.count - n)
            if n == 0:  # the rows were gone (retention, or a new file): look again
                self._buf.newest = min(self._buf.newest, self._buf.cursor)
            self._forwarded += added
            self._duplicates += n - added
            self._healthy_locked()
            self._cond.notify_all()
        self._publish()

    def _on_failure(self, e: BaseException) -> None:
        if isinstance(e, (sqlite3.Error, store.JournalError, OSError)):
            self._close_journal()
        else:
            self._close_postgres()
        refused = isinstance(e, psycopg.Error) and not isinstance(
            e, (psycopg.OperationalError, psycopg.InterfaceError)
        )
        with self._cond:
            self._error = error_text(e) if isinstance(e, psycopg.Error) else str(e)
            self._since = self._since or time.time()
            self._connected = self._pg is not None
            self._state = ForwarderState.FAILED if refused else ForwarderState.RETRYING
        self._poll()  # keep the backlog figure current while the batches cannot go
        self._publish()

    def _maintain(self) -> None:
        with self._cond:
            if not self._maintenance_due():
                return
            self._poke = False
            self._next_poll = time.monotonic() + self._poll_s
            idle = not self._buf
        self._poll()
        if idle and time.monotonic() - self._last_pg_ok >= self._ping_s:
            self._ping()
        self._publish()

    def _poll(self) -> None:
        """Look at the journal: newest rowid, backlog count. Never raises."""
        with self._cond:
            self._polls_started += 1
            this = self._polls_started
        try:
            self._look()
        finally:
            with self._cond:
                self._polls_done = this
                self._cond.notify_all()

    def _look(self) -> None:
        try:
            conn = self._journal()
            newest = conn.execute("SELECT max(rowid) FROM events").fetchone()[0] or 0
            with self._cond:
                cursor, known = self._buf.cursor, self._buf.newest
            if newest < cursor:  # every row deleted and rowids restarted: send the file again
                self._save_cursor(0, None)
                with self._cond:
                    self._buf.cursor = self._buf.newest = cursor = 0
            if newest != known or cursor == 0:
                count = conn.execute(
                    "SELECT count(*) FROM events WHERE rowid > ?", (cursor,)
                ).fetchone()[0]
                with self._cond:
                    self._mark_new_locked(newest, count)
            with self._cond:
                if self._state is ForwarderState.WAITING:  # the journal file appeared
                    self._state, self._error, self._since = ForwarderState.FORWARDING, None, None
        except store.JournalError as e:
            self._close_journal()
            with self._cond:
                self._state, self._error = ForwarderState.WAITING, str(e)
        except (sqlite3.Error, OSError) as e:
            self._close_journal()
            with self._cond:
                self._error = f"local journal: {e}"

    def _ping(self) -> None:
        """While idle, keep `connected` honest (and connect at start)."""
        try:
            pg = self._postgres()
            pg.execute("SELECT 1")
            pg.rollback()
        except (psycopg.Error, DbError) as e:
            self._close_postgres()
            with self._cond:
                self._error = error_text(e) if isinstance(e, psycopg.Error) else str(e)
                self._since = self._since or time.time()
                self._state = ForwarderState.RETRYING
                self._connected = False
            return
        with self._cond:
            self._healthy_locked(journal_seen=False)

    def _healthy_locked(self, journal_seen: bool = True) -> None:
        """PostgreSQL answered (and, unless only pinged, the journal was read)."""
        self._last_pg_ok = time.monotonic()
        self._connected = self._pg is not None
        if journal_seen or self._state is not ForwarderState.WAITING:
            self._state, self._error, self._since = ForwarderState.FORWARDING, None, None

    def _journal(self) -> sqlite3.Connection:
        if self._conn is None:
            # NORMAL: a cursor lost to a power cut only means re-sending (ids de-duplicate).
            self._conn = store.connect(self.path, synchronous="NORMAL", busy_timeout_ms=5000)
            self._conn.row_factory = None
            self._conn.execute(
                f"CREATE TABLE IF NOT EXISTS {CURSOR_TABLE} (target TEXT PRIMARY KEY, "
                "last_rowid INTEGER NOT NULL, last_id TEXT, updated REAL)"
            )
            if not self._cursor_loaded:
                self._load_cursor(self._conn)
        return self._conn

    def _load_cursor(self, conn: sqlite3.Connection) -> None:
        row = conn.execute(
            f"SELECT last_rowid, last_id FROM {CURSOR_TABLE} WHERE target = ?", (self.target,)
        ).fetchone()
        cursor, cursor_id = (row[0], row[1]) if row else (0, None)
        if cursor:
            at = conn.execute("SELECT id FROM events WHERE rowid = ?", (cursor,)).fetchone()
            if at is not None and at[0] != cursor_id:  # rowids were reused: start again
                cursor = 0
        with self._cond:
            self._buf.cursor = self._buf.newest = cursor
        self._cursor_loaded = True

    def _save_cursor(self, rowid: int, event_id: str | None) -> None:
        self._journal().execute(
            f"INSERT OR REPLACE INTO {CURSOR_TABLE} VALUES (?, ?, ?, ?)",
            (self.target, rowid, event_id, time.time()),
        )

    def _postgres(self) -> psycopg.Connection[Any]:
        if self._pg is None or self._pg.closed:
            self._pg = connect(self.dsn)
            prepare_writer(self._pg)
            self._pg.commit()
        return self._pg

    def _close_postgres(self) -> None:
        if self._pg is not None:
            with contextlib.suppress(psycopg.Error):
                self._pg.close()
            self._pg = None

    def _close_journal(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
