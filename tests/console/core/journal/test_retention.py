"""Retention deletes oldest first and never an unacknowledged alarm's records."""

from __future__ import annotations

from pathlib import Path

from console.core.events import AlarmState, JournalEvent, Kind
from console.core.journal import store
from console.core.journal.retention import RetentionPolicy, apply_retention, unacked_alarm_keys

DAY = 86400.0
NOW = 1_800_000_000.0


def alarm(key: str, state: AlarmState, t: float) -> JournalEvent:
    return JournalEvent(Kind.ALARM, f"{key} {state}", time=t, alarm=key, state=state)


def test_age_limit_keeps_unacked(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "j.sqlite", create=True)
    old = NOW - 100 * DAY
    events = [
        alarm("a/unack", AlarmState.UNACK, old),  # still unacknowledged: keep
        alarm("b/rtn", AlarmState.UNACK, old),
        alarm("b/rtn", AlarmState.RTN_UNACK, old + 60),  # returned, not acked: keep both
        alarm("c/done", AlarmState.UNACK, old),
        alarm("c/done", AlarmState.ACK, old + 60),  # acknowledged: may go
        alarm("d/acked-later", AlarmState.UNACK, old),
        alarm("d/acked-later", AlarmState.ACK, NOW - DAY),  # old part may go, recent stays
        JournalEvent(Kind.COMM, "old comm", time=old),
        JournalEvent(Kind.COMM, "new comm", time=NOW - DAY),
    ]
    store.insert_events(conn, events)
    assert unacked_alarm_keys(conn) == {"a/unack", "b/rtn"}
    r = apply_retention(conn, RetentionPolicy(max_age_s=30 * DAY), now=NOW)
    assert r.deleted == 4 and r.protected_alarms == 2 and not r.more
    left = {(e[0], e[1]) for e in conn.execute("SELECT alarm, message FROM events")}
    assert left == {
        ("a/unack", "a/unack UNACK"),
        ("b/rtn", "b/rtn UNACK"),
        ("b/rtn", "b/rtn RTN_UNACK"),
        ("d/acked-later", "d/acked-later ACK"),
        (None, "new comm"),
    }
    conn.close()


def test_size_limit_deletes_oldest_and_chunks(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "j.sqlite", create=True)
    store.insert_events(conn, [alarm("keep/me", AlarmState.UNACK, NOW - 10 * DAY)])
    store.insert_events(
        conn,
        [JournalEvent(Kind.COMM, "x" * 200, time=NOW - 5 * DAY + i) for i in range(20000)],
    )
    used = conn.execute("PRAGMA page_count").fetchone()[0] * 4096
    policy = RetentionPolicy(max_age_s=None, max_bytes=used // 2, chunk=1000, max_per_run=5000)
    r = apply_retention(conn, policy, now=NOW)
    assert r.deleted == 5000 and r.more  # bounded per run
    while r.more:
        r = apply_retention(conn, policy, now=NOW)
    n = store.count_events(conn)
    assert n < 12000
    oldest = conn.execute("SELECT min(time) FROM events WHERE kind='comm'").fetchone()[0]
    assert oldest > NOW - 5 * DAY + 20000 - n  # the oldest ones went
    assert conn.execute("SELECT count(*) FROM events WHERE alarm='keep/me'").fetchone()[0] == 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
