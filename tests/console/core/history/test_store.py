"""History file and single writer: layout round trip, compaction, retention, kill -9 safety,
buffering while the disk is read-only, bounded buffer."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from console.core.history import store
from console.core.history.writer import HistoryWriter
from console.core.journal.writer import WriterState

from .helpers import T0, scans, tables, wait_for


def all_samples(path: Path, station: str, point: str) -> tuple[np.ndarray, np.ndarray]:
    conn = store.connect(path)
    try:
        ids = store.series_id(conn, station, point)
        assert ids is not None
        t, v, _ = store.read_series(conn, *ids, 0, 4e9, store.bucket_seconds(conn))
    finally:
        conn.close()
    return t, v


def test_chunk_round_trip_is_exact_enough() -> None:
    t = T0 + np.array([0.0, 5.123, 3599.999])
    v = np.array([1.7e9, 1.7e9 + 3599.0, np.nan])  # epoch-sized counter: float32 offsets
    b = int(T0 // 3600)
    t1, n, base, tb, vb, qb = store.pack_chunk(b, 3600, t, v, np.array([0, 1, 3], np.uint8))
    tt, vv, qq = store.unpack_chunk(store.chunk_id(b, 7), 3600, base, tb, vb, qb)
    assert n == 3 and t1 == t[-1]
    assert np.allclose(tt, t, atol=1e-3, rtol=0)
    assert vv[0] == v[0] and vv[1] == v[1] and np.isnan(vv[2])
    assert list(qq) == [0, 1, 3]


def test_not_a_history_file(tmp_path: Path) -> None:
    other = tmp_path / "x.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (a)").connection.commit()
    with pytest.raises(store.HistoryError):
        store.connect(other, create=True)
    with pytest.raises(store.HistoryError):
        store.connect(tmp_path / "missing.sqlite")


def test_commit_compact_and_retention(tmp_path: Path, small_network) -> None:
    path = tmp_path / "history.sqlite"
    tb = tables(small_network)
    w = HistoryWriter(path, tb, batch_s=0.01, bucket_s=600, grace_s=10, retention_s=None)
    for k in range(800):  # 4000 s: six 10-minute buckets close
        w.submit_scans(scans(tb, k))
    assert w.flush(10)
    wait_for(lambda: w.compactions >= 12)
    assert w.close()
    conn = store.connect(path)
    n_chunks = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
    buckets = {r[0] for r in conn.execute("SELECT DISTINCT bucket FROM recent")}
    assert n_chunks > 0
    assert max(buckets) == int((T0 + 5 * 799) // 600) and len(buckets) <= 2  # open ones only
    t, _ = all_samples(path, "jx-001", "room_temp[3]")
    assert (np.diff(t) > 0).all() and t[0] == T0
    # Nothing lost in the move: ramp of 0.05/scan, deadband 0.1 -> every 3rd scan + the first.
    assert len(t) == len(range(0, 800, 3))
    # Retention by age: everything before the last hour goes.
    conn.execute("BEGIN IMMEDIATE")
    store.apply_retention(conn, T0 + 5 * 799 - 3600, 600)
    conn.execute("COMMIT")
    conn.close()
    t2, _ = all_samples(path, "jx-001", "room_temp[3]")
    assert t2[0] >= (T0 + 5 * 799 - 3600) // 600 * 600 and t2[-1] == t[-1]


def test_late_samples_merge_into_a_compacted_chunk(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "h.sqlite", create=True, bucket_s=600)
    st = store.station_id(conn, "s")
    ser = int(store.series_ids(conn, st, ["p"])[0])
    for ts in ([T0, T0 + 10], [T0 + 5]):  # the second arrives after the first was compacted
        t = np.array(ts)
        conn.execute("BEGIN IMMEDIATE")
        store.insert_recent(conn, st, 600, store.Samples(np.full(len(t), ser), t, t - T0,
                                                         np.zeros(len(t), np.uint8)))  # fmt: skip
        store.compact(conn, st, int(T0 // 600), 600)
        conn.execute("COMMIT")
    t, v, _ = store.read_series(conn, st, ser, 0, 4e9, 600)
    assert list(t - T0) == [0, 5, 10] and list(v) == [0, 5, 10]
    assert conn.execute("SELECT count(*) FROM recent").fetchone()[0] == 0


CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[2])
    from helpers import scans, tables
    from console.core.history.writer import HistoryWriter
    from station_config.loader import load_network
    net = load_network(sys.argv[3])
    tb = tables(net)
    w = HistoryWriter(sys.argv[1], tb, batch_s=0.005, bucket_s=600, grace_s=5)
    k = 0
    while True:  # write until killed; report what is committed
        w.submit_scans(scans(tb, k))
        if k % 20 == 0 and w.flush(5):
            print(k, flush=True)
        k += 1
    """
)


def test_killed_writer_keeps_everything_committed(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    here = Path(__file__).parent
    net = here.parents[2] / "fixtures" / "small_network.yaml"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(here), str(net)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    last = -1
    try:
        for line in child.stdout:
            last = int(line)
            if last >= 400:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert last >= 400
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    t, _ = all_samples(path, "jx-001", "room_temp[0]")
    committed = T0 + 5.0 * np.arange(0, last + 1, 3)  # stored every 3rd scan
    assert set(committed) <= set(t)


class Switchable:
    """connect() that opens the real file but can make it full or read-only."""

    def __init__(self) -> None:
        self.mode = "ok"

    def __call__(self, path: Path, **kw: object) -> sqlite3.Connection:
        if self.mode == "readonly":
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        conn = store.connect(path, **kw)  # type: ignore[arg-type]
        if self.mode == "full":
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn


@pytest.mark.parametrize("mode", ["readonly"])
def test_readonly_disk_buffers_then_recovers(tmp_path: Path, small_network, mode: str) -> None:
    """A full disk pauses the history instead (test_writer.py)."""
    path = tmp_path / "history.sqlite"
    tb = tables(small_network)
    store.connect(path, create=True, bucket_s=600).close()
    hook = Switchable()
    hook.mode = mode  # the disk is full / the file read-only from the start
    w = HistoryWriter(path, tb, batch_s=0.01, backoff=(0.02, 0.1), connect=hook)
    for k in range(300):
        w.submit_scans(scans(tb, k))
    assert wait_for(lambda: w.status().state is WriterState.BUFFERING)
    st = w.status()
    assert st.pending > 0 and "readonly" in (st.reason or "")
    assert not w.flush(0.2)
    hook.mode = "ok"
    assert w.flush(20)
    assert w.status().state is WriterState.WRITING
    assert w.close()
    t, _ = all_samples(path, "jx-001", "room_temp[0]")
    assert list(t) == list(T0 + 5.0 * np.arange(0, 300, 3))


def test_bounded_buffer_refuses_whole_scans_and_restores_after(
    tmp_path: Path, small_network
) -> None:
    path = tmp_path / "history.sqlite"
    tb = tables(small_network, only=("jx-001",))
    n = len(tb["jx-001"])
    hook = Switchable()
    hook.mode = "readonly"
    w = HistoryWriter(path, tb, batch_s=0.01, backoff=(0.02, 0.1), connect=hook,
                      max_buffer=n + 5)  # fmt: skip
    assert w.submit_scans(scans(tb, 0)) == n  # first scan: every point
    big = scans(tb, 1)
    big[0].values[:] += 10.0  # every point moves: a whole scan's worth
    assert w.submit_scans(big) == 0
    assert w.status().dropped > 0 and w.status().state is WriterState.FAILED
    hook.mode = "ok"
    assert w.flush(20)
    assert w.submit_scans(scans(tb, 2)) == n  # compressor reset: the gap's end is stored fully
    assert w.close()


@pytest.mark.parametrize("kind", ["text", "empty", "foreign wal database", "journal"])
def test_a_file_that_is_not_a_history_store_is_left_alone(kind: str, tmp_path: Path) -> None:
    """`--history` (or the history beside a --journal) naming another file: HistoryError, and
    the file as it was, nothing created beside it (an empty file became a history store, a
    WAL database of another program got -wal/-shm files)."""
    from console.core.history.store import HistoryError, connect
    from console.core.journal import store as journal_store

    path = tmp_path / "history.sqlite"
    if kind == "text":
        path.write_text("not a history\n")
    elif kind == "empty":
        path.touch()
    elif kind == "journal":
        journal_store.connect(path, create=True).close()
    else:
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE other (x)")
        db.commit()
        db.close()
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    with pytest.raises(HistoryError, match=r"is not a heatconsole history store|empty file"):
        connect(path, create=True)
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()} == before
