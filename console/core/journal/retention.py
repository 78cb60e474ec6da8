"""Retention: keep the journal within an age and a size, oldest records first.

Never deletes a record of an alarm that is still unacknowledged (its latest state is UNACK or
RTN_UNACK): the next shift must still be able to see when and why it came in. Runs on the
writer thread (one writer per file), in bounded chunks so a large first clean-up does not hold
the buffer back for long: `apply_retention` reports `more=True` and the writer calls again soon.
"""

from __future__ import annotations

import math
import sqlite3
import time
from dataclasses import dataclass

from console.core.events import AlarmState

UNACKED = (str(AlarmState.UNACK), str(AlarmState.RTN_UNACK))


@dataclass(frozen=True)
class RetentionPolicy:
    max_age_s: float | None = 400 * 86400  # a heating season and then some
    max_bytes: int | None = None
    chunk: int = 5000  # rows per delete transaction
    max_per_run: int = 50_000  # rows per call, so the writer gets back to its buffer

    def __post_init__(self) -> None:
        if self.max_age_s is not None and self.max_age_s <= 0:
            raise ValueError("max_age_s must be positive")
        if self.max_bytes is not None and self.max_bytes <= 0:
            raise ValueError("max_bytes must be positive")


@dataclass(frozen=True)
class RetentionResult:
    deleted: int
    protected_alarms: int  # alarm keys kept because still unacknowledged
    more: bool  # stopped at max_per_run; call again


def unacked_alarm_keys(conn: sqlite3.Connection, before: float | None = None) -> set[str]:
    """Alarm keys whose latest state (before `before`) is UNACK or RTN_UNACK.

    Uses SQLite's bare-column-with-max() rule over the covering partial index
    events_alarm_latest (alarm, time, state) WHERE kind='alarm'.
    """
    sql = "SELECT alarm, state, max(time) FROM events WHERE kind = 'alarm' AND alarm IS NOT NULL"
    params: tuple[float, ...] = ()
    if before is not None:
        sql += " AND time < ?"
        params = (before,)
    rows = conn.execute(sql + " GROUP BY alarm", params)
    return {r[0] for r in rows if r[1] in UNACKED}


def apply_retention(
    conn: sqlite3.Connection, policy: RetentionPolicy, now: float | None = None
) -> RetentionResult:
    now = time.time() if now is None else now
    keep = unacked_alarm_keys(conn)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS retention_keep (alarm TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.retention_keep")
    conn.executemany("INSERT INTO temp.retention_keep VALUES (?)", [(k,) for k in keep])

    budget = policy.max_per_run
    deleted = 0
    if policy.max_age_s is not None:
        n = _delete_oldest(conn, policy, budget, before=now - policy.max_age_s)
        deleted += n
        budget -= n
    if policy.max_bytes is not None and budget > 0:
        used = _used_bytes(conn)
        if used > policy.max_bytes:
            rows = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
            target = policy.max_bytes * 0.9  # hysteresis: do not run on every batch
            want = math.ceil(rows * (used - target) / used) if used else 0
            n = _delete_oldest(conn, policy, min(budget, want))
            deleted += n
            budget -= n
    if deleted:
        conn.execute("PRAGMA incremental_vacuum")  # hand freed pages back to the filesystem
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    return RetentionResult(deleted, len(keep), more=budget <= 0)


def _delete_oldest(
    conn: sqlite3.Connection, policy: RetentionPolicy, limit: int, before: float | None = None
) -> int:
    cond = "(alarm IS NULL OR alarm NOT IN (SELECT alarm FROM temp.retention_keep))"
    params: list[float | int] = []
    if before is not None:
        cond = "time < ? AND " + cond
        params.append(before)
    deleted = 0
    while deleted < limit:
        n = min(policy.chunk, limit - deleted)
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.execute(
                "DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE "
                f"{cond} ORDER BY time LIMIT ?)",
                (*params, n),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        deleted += cur.rowcount
        if cur.rowcount < n:
            break
    return deleted


def _used_bytes(conn: sqlite3.Connection) -> int:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    return int((pages - free) * size)
