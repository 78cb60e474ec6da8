"""Where journal reads come from: the local SQLite file or the shared PostgreSQL journal.

`heatconsole log`, the handover report and the journal viewer ask the same few questions of
either backend. The SQL is written once, with `?` placeholders and SQLite's spelling; a source
translates what differs (the placeholder, case-insensitive LIKE, the "latest state of every
alarm key" query, which SQLite answers with its bare-column-with-max() rule).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from console.core.events import JournalEvent
from console.core.journal.store import SELECT_COLUMNS, event_from_row


class JournalReadError(Exception):
    """A journal that cannot be reached or read: a message for the user."""


def is_pg_address(text: str) -> bool:
    """A PostgreSQL URL rather than a journal file's path."""
    return text.startswith(("postgresql://", "postgres://"))


class JournalSource:
    """A read-only view of a journal's `events` table."""

    # Case-insensitive (ASCII) substring match: SQLite's LIKE is; PostgreSQL's ILIKE over
    # COLLATE "C" columns folds ASCII only, the same.
    like = "LIKE"

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Sequence[Any]]:
        """Rows of a query written with `?` placeholders."""
        raise NotImplementedError

    def alarm_states_before(self, before: float) -> Iterator[JournalEvent]:
        """For each alarm key, its latest event before `before` if that state is not NORMAL."""
        raise NotImplementedError

    def events(self, sql: str, params: Sequence[Any] = ()) -> Iterator[JournalEvent]:
        """Events of a query that selects SELECT_COLUMNS (in that order)."""
        for row in self.rows(sql, params):
            yield event_from_row(row)

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> JournalSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SqliteSource(JournalSource):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Sequence[Any]]:
        return iter(self.conn.execute(sql, params))

    def alarm_states_before(self, before: float) -> Iterator[JournalEvent]:
        # The inner GROUP BY runs on the covering partial index events_alarm_latest; only keys
        # still abnormal fetch their row.
        cols = ", ".join(f"e.{c}" for c in SELECT_COLUMNS.split(", "))
        return self.events(
            f"SELECT {cols} FROM (SELECT alarm, state, max(time) AS t FROM events"
            " WHERE kind = 'alarm' AND alarm IS NOT NULL AND time < ? GROUP BY alarm) AS m"
            " JOIN events AS e ON e.kind = 'alarm' AND e.alarm = m.alarm AND e.time = m.t"
            " WHERE m.state IS NOT NULL AND m.state != 'NORMAL'",
            (before,),
        )

    def close(self) -> None:
        self.conn.close()


def as_source(journal: sqlite3.Connection | JournalSource) -> JournalSource:
    """Callers may still pass an open SQLite connection."""
    return journal if isinstance(journal, JournalSource) else SqliteSource(journal)
