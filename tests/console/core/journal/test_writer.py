"""The single writer: batching, kill -9 safety, buffering while the disk is unavailable."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from console.core.events import JournalEvent, Kind
from console.core.journal import store
from console.core.journal.writer import JournalWriter, WriterState, WriterStatus

from ..disk_full import ReserveDisk, fill, small_filesystem


def ev(i: int, kind: Kind = Kind.COMM) -> JournalEvent:
    return JournalEvent(kind, f"event {i}", station=f"s{i % 7}")


def ids_in(path: Path) -> set[str]:
    conn = store.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM events")}
    finally:
        conn.close()


def wait_for(cond: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.01)


def test_batches_commit_and_flush(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "journal.sqlite"  # directory is created
    commits: list[int] = []
    w = JournalWriter(path, batch_size=100, on_commit=lambda b: commits.append(len(b)))
    events = [ev(i) for i in range(1050)]
    assert w.submit_many(events) == 1050
    assert w.flush(10)
    assert w.status().state is WriterState.WRITING
    assert w.status().committed == 1050
    assert max(commits) <= 100 and len(commits) >= 11  # batched, not one per event
    assert w.close()
    assert ids_in(path) == {e.id for e in events}
    with pytest.raises(RuntimeError):
        w.submit(ev(0))


def test_commits_without_flush_within_batch_window(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    done = threading.Event()
    w = JournalWriter(path, batch_ms=50, on_commit=lambda b: done.set())
    w.submit(ev(1))
    assert done.wait(10)  # committed by the timer, nobody called flush()
    w.close()


def test_submit_from_many_threads(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    w = JournalWriter(path, batch_size=50)
    made: list[list[JournalEvent]] = [[ev(i) for i in range(500)] for _ in range(4)]
    threads = [threading.Thread(target=lambda es=es: [w.submit(e) for e in es]) for es in made]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert w.close()
    assert ids_in(path) == {e.id for es in made for e in es}


CHILD = textwrap.dedent(
    """
    import sys
    from console.core.events import JournalEvent, Kind
    from console.core.journal.writer import JournalWriter

    def report(batch):
        sys.stdout.write("".join(e.id + "\\n" for e in batch))
        sys.stdout.flush()

    w = JournalWriter(sys.argv[1], batch_size=200, batch_ms=5, on_commit=report)
    i = 0
    while True:  # write until killed
        w.submit_many([JournalEvent(Kind.ALARM, f"burst {i + k}", station="s1", details={"k": k})
                       for k in range(100)])
        i += 100
    """
)


def test_killed_mid_burst_keeps_every_reported_commit(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True
    )
    reported: list[str] = []
    assert child.stdout is not None
    try:
        for line in child.stdout:
            reported.append(line.strip())
            if len(reported) >= 5000:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    # Lines already in the pipe were committed too; read them all.
    reported += [line.strip() for line in child.stdout if line.strip()]
    assert len(reported) >= 5000

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    stored = ids_in(path)
    assert set(reported) <= stored
    assert len(stored) >= len(reported)


class Switchable:
    """A connect() stand-in that opens the real file, but can make it full or read-only."""

    def __init__(self) -> None:
        self.mode = "ok"

    def __call__(self, path: Path, **kw: object) -> sqlite3.Connection:
        if self.mode == "readonly":
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            return conn
        conn = store.connect(path, **kw)  # type: ignore[arg-type]
        if self.mode == "full":
            # SQLite's own limit on pages: writes fail with "database or disk is full".
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn


@pytest.mark.parametrize("mode", ["full", "readonly"])
def test_disk_full_or_readonly_buffers_then_writes(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "j.sqlite"
    first = [ev(i) for i in range(10)]
    conn = store.connect(path, create=True)
    store.insert_events(conn, first)
    conn.close()
    hook = Switchable()
    hook.mode = mode  # the disk is full / the file read-only from the start
    statuses: list[WriterStatus] = []
    w = JournalWriter(
        path, batch_size=200, batch_ms=10, backoff=(0.02, 0.1), connect=hook,
        on_status=statuses.append,
    )  # fmt: skip
    during = [ev(i) for i in range(3000)]
    for e in during:
        assert w.submit(e)  # keeps accepting, never blocks
    wait_for(lambda: w.status().state is WriterState.BUFFERING)
    st = w.status()
    assert st.pending >= len(during)
    assert ("full" if mode == "full" else "readonly") in (st.reason or "")
    assert not w.flush(0.2)

    hook.mode = "ok"
    assert w.flush(20)
    assert w.status().state is WriterState.WRITING
    assert w.close()
    stored = ids_in(path)
    assert {e.id for e in first + during} <= stored
    conn = store.connect(path)
    actions = [r[0] for r in conn.execute("SELECT action FROM events WHERE kind='system'")]
    (said,) = conn.execute("SELECT message FROM events WHERE action='journal_recovered'").fetchone()
    conn.close()
    assert "journal_buffering" in actions and "journal_recovered" in actions
    assert any(s.state is WriterState.BUFFERING for s in statuses)
    # The record counts what the outage buffered, the first batch written included (it said
    # "writing 0 buffered events" when that batch held them all).
    n = re.search(r"writing (\d+) buffered events", said)
    assert n and int(n[1]) >= len(during), said


def test_text_utf8_cannot_carry_never_stops_the_writer(tmp_path: Path) -> None:
    """`poll --user` with a non-UTF-8 byte: its first event killed the writer thread (a
    UnicodeEncodeError is no write error it retries), nothing more was journalled and the
    status still said "writing". Every event is committed, the odd text as its escape."""
    path = tmp_path / "journal.sqlite"
    w = JournalWriter(path, reserve_bytes=0)
    events = [ev(0), JournalEvent(Kind.SYSTEM, "console started", user="bob\udcff"), ev(2)]
    w.submit_many(events)
    assert w.flush(10)
    later = ev(3)  # the writer still takes events after that one
    w.submit(later)
    assert w.flush(10) and w.status().state is WriterState.WRITING
    assert w.close()
    assert ids_in(path) == {e.id for e in [*events, later]}


def test_locked_by_another_process_buffers_then_writes(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    w = JournalWriter(path, batch_ms=10, busy_timeout_ms=50, backoff=(0.02, 0.1))
    w.submit(ev(0))
    assert w.flush(10)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    during = [ev(i) for i in range(100)]
    w.submit_many(during)
    wait_for(lambda: w.status().state is WriterState.BUFFERING)
    assert "locked" in (w.status().reason or "")
    other.execute("ROLLBACK")
    other.close()
    assert w.flush(20)
    w.close()
    assert {e.id for e in during} <= ids_in(path)


def test_directory_removed_then_back(tmp_path: Path) -> None:
    d = tmp_path / "usb"
    path = d / "j.sqlite"
    w = JournalWriter(path, batch_ms=10, backoff=(0.02, 0.1))
    w.submit(ev(0))
    assert w.flush(10)
    d.rename(tmp_path / "away")  # unmounted stick / removed directory
    during = [ev(i) for i in range(50)]
    w.submit_many(during)
    wait_for(lambda: w.status().state is WriterState.BUFFERING)
    assert not d.exists()  # the writer does not recreate a vanished directory
    (tmp_path / "away").rename(d)
    assert w.flush(20)
    w.close()
    assert {e.id for e in during} <= ids_in(path)


def test_bounded_buffer_refuses_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    hook = Switchable()
    hook.mode = "readonly"
    store.connect(path, create=True).close()
    w = JournalWriter(path, max_buffer=100, batch_ms=10, backoff=(0.02, 0.1), connect=hook)
    accepted = [e for e in (ev(i) for i in range(150)) if w.submit(e)]
    assert len(accepted) == 100
    st = w.status()
    assert st.dropped == 50 and st.state is WriterState.FAILED
    hook.mode = "ok"
    assert w.flush(20)
    w.close()
    stored = ids_in(path)
    assert {e.id for e in accepted} <= stored
    conn = store.connect(path)
    msgs = dict(conn.execute("SELECT action, message FROM events WHERE kind='system'").fetchall())
    conn.close()
    assert "buffer_full" in msgs
    assert "dropped 50 events" in msgs["events_dropped"]


def test_close_gives_up_after_timeout_when_unwritable(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    store.connect(path, create=True).close()
    hook = Switchable()
    hook.mode = "readonly"
    w = JournalWriter(path, batch_ms=10, backoff=(0.02, 0.05), connect=hook)
    w.submit(ev(1))
    assert not w.close(timeout=0.3)
    assert w.status().state is WriterState.CLOSED
    assert w.status().pending >= 1


def test_retention_runs_on_the_writer_thread_in_bounded_steps(tmp_path: Path) -> None:
    """Old events go in several bounded runs (max_per_run), between batches; new ones stay."""
    from console.core.journal.retention import RetentionPolicy

    path = tmp_path / "j.sqlite"
    policy = RetentionPolicy(max_age_s=3600.0, chunk=10, max_per_run=25)
    w = JournalWriter(path, retention=policy, retention_every_s=0.05)
    old = [JournalEvent(Kind.COMM, f"old {i}", time=time.time() - 7200.0) for i in range(60)]
    new = [ev(i) for i in range(5)]
    assert w.submit_many(old + new) == 65
    assert w.flush(10)
    wait_for(lambda: ids_in(path) == {e.id for e in new})
    assert w.status().state is WriterState.WRITING
    assert w.close()


# ---- a full disk: the journal's reserve ----------------------------------------------------------


def journal_rows(path: Path) -> list[tuple[str, str, str | None]]:
    """(id, kind, action) of every stored event in the order it was committed."""
    conn = store.connect(path)
    try:
        return conn.execute("SELECT id, kind, action FROM events ORDER BY rowid").fetchall()
    finally:
        conn.close()


def full_disk_writer(
    tmp_path: Path, error: str, **kw: Any
) -> tuple[JournalWriter, ReserveDisk, dict]:
    path = tmp_path / "j.sqlite"
    disk = ReserveDisk(store.connect, path.with_name("j.sqlite.reserve"), error)
    free = {"looks": 0}

    def disk_free(p: Path) -> int:
        free["looks"] += 1
        return disk.free(p)

    w = JournalWriter(
        path, batch_size=100, batch_ms=10, backoff=(0.02, 0.1), connect=disk,
        reserve_bytes=1 << 20, reserve_check_s=0.01, disk_free=disk_free, **kw,
    )  # fmt: skip
    return w, disk, free


@pytest.mark.parametrize("error", ["sqlite", "oserror"])
def test_disk_full_releases_the_reserve_and_keeps_committing(tmp_path: Path, error: str) -> None:
    w, disk, free = full_disk_writer(tmp_path, error)
    assert w.reserve is not None and w.status().reserve_held == 1 << 20
    assert not w.status().reserve_missing and w.disk_short() is None
    before = [ev(i) for i in range(250)]
    w.submit_many(before)
    assert w.flush(20)

    disk.full = True
    during = [ev(i) for i in range(1500)]
    for k in range(0, len(during), 300):  # bursts, each committed while the disk is full
        w.submit_many(during[k : k + 300])
        assert w.flush(20)
    st = w.status()
    assert disk.failures >= 1 and not w.reserve.path.exists()
    assert st.state is WriterState.WRITING and st.pending == 0 and st.reserve_missing
    assert "DISK RESERVE released" in st.describe()
    assert w.disk_short() is not None  # the history on this disk yields
    looks = free["looks"]
    wait_for(lambda: free["looks"] >= looks + 2)  # the reserve is looked at, not re-made
    assert not w.reserve.path.exists()

    disk.full = False  # space returns: the ballast comes back
    wait_for(lambda: w.status().reserve_held == 1 << 20)
    assert w.disk_short() is None and not w.status().reserve_missing
    after = [ev(i) for i in range(100)]
    w.submit_many(after)
    assert w.close()
    assert not w.reserve.path.exists()  # held while open, given back at close

    rows = journal_rows(tmp_path / "j.sqlite")
    assert len({r[0] for r in rows}) == len(rows)  # nothing twice
    mine = [r[0] for r in rows if r[1] != "system"]
    assert mine == [e.id for e in before + during + after]  # all of them, in order
    actions = [r[2] for r in rows if r[1] == "system"]
    assert "journal_reserve_released" in actions and "journal_reserve_restored" in actions
    assert "journal_buffering" not in actions  # never held in memory only


def test_reserve_used_up_buffers_then_commits_everything_in_order(tmp_path: Path) -> None:
    w, disk, _ = full_disk_writer(tmp_path, "sqlite")
    disk.full, disk.room = True, 3  # the ballast's blocks take three commits
    during = [ev(i) for i in range(2000)]
    for k in range(0, len(during), 100):
        w.submit_many(during[k : k + 100])
    wait_for(lambda: w.status().state is WriterState.BUFFERING)
    st = w.status()
    assert st.pending > 0 and "full" in (st.reason or "") and w.disk_short() is not None
    assert not w.flush(0.2)

    disk.full = False
    assert w.flush(20)
    wait_for(lambda: w.status().reserve_held == 1 << 20)
    assert w.close()
    rows = journal_rows(tmp_path / "j.sqlite")
    assert len({r[0] for r in rows}) == len(rows)
    assert [r[0] for r in rows if r[1] != "system"] == [e.id for e in during]
    actions = [r[2] for r in rows if r[1] == "system"]
    for a in ("journal_reserve_released", "journal_buffering", "journal_recovered",
              "journal_reserve_restored"):  # fmt: skip
        assert a in actions


def test_no_room_for_the_reserve_at_start_says_so(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite"
    w = JournalWriter(path, reserve_bytes=1 << 20, disk_free=lambda _: 1000, batch_ms=10)
    st = w.status()
    assert st.reserve_missing and "free" in (st.reserve_note or "")
    assert w.disk_short() is not None
    w.submit(ev(1))
    assert w.close()
    actions = [r[2] for r in journal_rows(path)]
    assert "journal_reserve_short" in actions
    off = JournalWriter(tmp_path / "k.sqlite", reserve_bytes=0)
    assert not off.status().reserve_missing and off.reserve is None
    assert off.close()


CHILD_ON_FULL_DISK = textwrap.dedent(
    """
    import sys
    from console.core.events import JournalEvent, Kind
    from console.core.journal.writer import JournalWriter

    def report(batch):
        sys.stdout.write("".join(e.id + "\\n" for e in batch))
        sys.stdout.flush()

    def status(st):
        if (st.reserve_note or "").startswith("released"):
            sys.stdout.write("RELEASED\\n")
            sys.stdout.flush()

    w = JournalWriter(sys.argv[1], batch_size=100, batch_ms=5, reserve_bytes=2 << 20,
                      on_commit=report, on_status=status)
    print("READY", flush=True)
    sys.stdin.readline()  # the disk is full now
    for i in range(0, 3000, 100):
        w.submit_many([JournalEvent(Kind.ALARM, f"burst {i + k}") for k in range(100)])
        w.flush(10)
    print("DONE", flush=True)
    sys.stdin.readline()  # wait to be killed
    """
)


def test_killed_while_the_disk_is_full_keeps_what_it_committed_on_the_reserve(
    tmp_path: Path,
) -> None:
    """What is committed on the reserve is on disk: a crash mid-episode loses none of it."""
    with small_filesystem(tmp_path, 16 << 20) as mnt:
        path = mnt / "j.sqlite"
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD_ON_FULL_DISK, str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert child.stdout is not None and child.stdin is not None
        after: list[str] = []  # ids reported committed after the reserve was released
        try:
            assert child.stdout.readline().strip() == "READY"
            fill(mnt)  # not a byte left: the next commit fails with ENOSPC
            child.stdin.write("go\n")
            child.stdin.flush()
            released = False
            for line in child.stdout:
                line = line.strip()
                if line == "DONE" or len(after) >= 1000:
                    break
                if line == "RELEASED":
                    released = True
                elif released:
                    after.append(line)
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        assert released and len(after) >= 1000
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        assert set(after) <= ids_in(path)


def test_a_reserve_deleted_by_hand_is_made_again(tmp_path: Path) -> None:
    w = JournalWriter(tmp_path / "j.sqlite", reserve_bytes=1 << 20, reserve_verify_s=0.02)
    assert w.reserve is not None and w.reserve.full
    w.reserve.path.unlink()  # someone freeing space the quick way
    wait_for(lambda: w.reserve is not None and w.reserve.full)
    assert not w.status().reserve_missing
    assert w.close()


# ---- its words: English that carries a code (console/core/status_words.py) -------------------

# The code of each SYSTEM record's message, by the record's action.
RECORD_CODES = {
    "journal_reserve_released": "journal_reserve_released",
    "journal_buffering": "journal_write_failed",
    "journal_recovered": "journal_recovered",
    "journal_reserve_restored": "journal_reserve_restored",
    "journal_reserve_short": "journal_reserve_short",
    "buffer_full": "journal_buffer_full",
    "events_dropped": "journal_dropped",
}


def test_status_and_records_carry_their_codes_and_their_english(tmp_path: Path) -> None:
    """A disk-full episode that outlasts the reserve, with a small buffer that overflows: every
    status line and SYSTEM record on the way is a `Words` whose English is as it always was."""
    seen: list[JournalEvent] = []
    w, disk, _ = full_disk_writer(tmp_path, "sqlite", max_buffer=300, on_commit=seen.extend)
    disk.full, disk.room = True, 1  # the ballast's blocks take one commit
    w.submit_many([ev(i) for i in range(100)])
    wait_for(lambda: w.status().reserve_missing)
    st = w.status()
    said = st.describe()
    assert said.code in ("journal_writing_reserve", "journal_buffering")
    assert str(w.disk_short()).startswith("the journal")
    w.submit_many([ev(i) for i in range(100, 800)])  # more than the buffer holds
    wait_for(lambda: w.status().state is WriterState.FAILED and w.status().dropped > 0)
    st = w.status()
    said = st.describe()
    assert said.code == "journal_failed_dropped"
    assert said == (
        f"journal: failed {st.pending} events in memory — {st.reason}; {st.dropped} dropped"
    )
    wait_for(lambda: str(w.disk_short()).startswith("the journal cannot write"))
    short = w.disk_short()
    assert short is not None and short.code == "journal_cannot_write"
    assert short == f"the journal cannot write: {w.status().reason}"

    disk.full = False
    assert w.flush(20)
    wait_for(lambda: w.status().reserve_held == 1 << 20)
    st = w.status()
    assert st.describe().code == "journal_writing"
    assert st.describe() == f"journal: writing ({st.committed} committed)"
    assert w.close()
    assert w.status().describe().code == "journal_closed"

    records = {e.action: e.message for e in seen if e.kind is Kind.SYSTEM}
    assert set(records) == set(RECORD_CODES) - {"journal_reserve_short"}
    for action, message in records.items():
        assert message.code == RECORD_CODES[action], action  # type: ignore[attr-defined]
    assert records["buffer_full"] == (
        "journal buffer full (300 events): new events are being dropped and counted until the "
        "journal is writable again"
    )
    assert records["journal_reserve_released"].endswith(
        "released its 1.0 MB disk reserve to keep committing; free disk space"
    )
    assert records["events_dropped"].startswith("journal dropped ")
    stored = {r[2]: r for r in journal_rows(tmp_path / "j.sqlite") if r[1] == "system"}
    assert set(stored) == set(records)  # the records themselves are in the journal file


def test_no_room_for_the_reserve_is_worded_with_its_numbers(tmp_path: Path) -> None:
    w = JournalWriter(
        tmp_path / "j.sqlite", reserve_bytes=16 << 20, disk_free=lambda _: 3 << 20, batch_ms=10
    )
    try:
        said = w.status().describe()
        assert said.code == "journal_writing_reserve"
        note = said.args_["note"]
        assert note.code == "reserve_no_room" and note.args_ == {"free": "3.0", "size": "16"}
        assert said == (
            "journal: writing (0 committed) — DISK RESERVE not held: 3.0 MB free, it needs 16 MB "
            "+ headroom"
        )
        short = w.disk_short()
        assert short is not None and short.code == "journal_reserve_is"
    finally:
        assert w.close()


def test_what_a_full_disk_kept_unwritten_at_the_stop_is_saved_elsewhere(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Stopped while its disk is still full, the writer gave up after its timeout and the
    buffered events (the "console stopped" record among them) went with the process, without
    a word. They are saved in the first folder that takes them, and the log says where and
    how to merge them; the merge brings every one back."""
    from console.core.journal.bundle import Trust, import_bundle

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with small_filesystem(tmp_path, 4 << 20) as mnt:
        path = mnt / "j.sqlite"
        w = JournalWriter(path, reserve_bytes=0, backoff=(0.02, 0.1), rescue_dirs=[mnt, elsewhere])
        w.submit(ev(0))
        assert w.flush(10)
        fill(mnt)
        late = [ev(i) for i in range(1, 301)]
        w.submit_many(late)
        wait_for(lambda: w.status().state is WriterState.BUFFERING)
        with caplog.at_level("ERROR", logger="console.core.journal.writer"):
            assert not w.close(timeout=0.5)
        assert w.rescued is not None and w.rescued.parent == elsewhere
        assert not w.close(timeout=0.1) and len(list(elsewhere.iterdir())) == 1  # saved once
        assert not list(mnt.glob("*.unwritten-*"))  # the full disk's attempt left nothing
    said = caplog.text
    n = re.search(r"(\d+) event\(s\) could not be written", said)
    assert n and int(n[1]) >= 300 and str(w.rescued) in said, said  # + "buffering" records
    assert "import --trust-unsigned" in said
    merged = tmp_path / "merged.sqlite"
    r = import_bundle(merged, w.rescued, trust=Trust(allow_unsigned=True))
    assert r.added == int(n[1]) and ids_in(merged) >= {e.id for e in late}


def test_a_foreign_file_as_journal_gets_nothing_saved_beside_it(tmp_path: Path) -> None:
    """`poll --journal /etc/shadow` (as root): the unwritten events were saved into /etc.
    A file that is no journal says its folder is not the journal's: the next folder."""
    system = tmp_path / "etc"
    system.mkdir()
    foreign = system / "shadow"
    foreign.write_text("root:*:20000:0:99999:7:::\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    w = JournalWriter(foreign, reserve_bytes=0, rescue_dirs=[system, elsewhere])
    w.submit(ev(0))
    wait_for(lambda: w.status().state is WriterState.FAILED)
    assert not w.close(timeout=0.2)
    assert w.rescued is not None and w.rescued.parent == elsewhere
    assert sorted(p.name for p in system.iterdir()) == ["shadow"]
