"""The history writer on a short disk: it pauses first (and says so), drops and counts, resumes
by itself with hysteresis, and yields to the journal on the same disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from console.core.events import JournalEvent
from console.core.history import store
from console.core.history.writer import HistoryWriter
from console.core.journal.writer import WriterState
from console.core.store_and_forward import MIB

from ..disk_full import FullAtCommit
from .helpers import T0, scans, tables, wait_for


class Disk:
    """The free space the writer sees (injected `disk_free`), and how often it looked."""

    def __init__(self, free: int) -> None:
        self.free = free
        self.looks = 0

    def __call__(self, _: Path) -> int:
        self.looks += 1
        return self.free

    def wait_looks(self, n: int) -> None:
        start = self.looks
        assert wait_for(lambda: self.looks >= start + n)


def stored_times(path: Path, station: str = "jx-001", point: str = "room_temp[0]") -> np.ndarray:
    conn = store.connect(path)
    try:
        ids = store.series_id(conn, station, point)
        assert ids is not None
        t, _, _ = store.read_series(conn, *ids, T0 - 10, T0 + 1e4, store.bucket_seconds(conn))
    finally:
        conn.close()
    return t


def writer(tmp_path: Path, tb: dict, **kw: Any) -> tuple[HistoryWriter, list[JournalEvent]]:
    events: list[JournalEvent] = []
    w = HistoryWriter(
        tmp_path / "history.sqlite", tb, batch_s=0.01, backoff=(0.02, 0.1), bucket_s=600,
        min_free_bytes=10 * MIB, resume_free_bytes=20 * MIB, space_check_s=0.01,
        on_event=events.append, **kw,
    )  # fmt: skip
    return w, events


def test_pauses_below_threshold_drops_counted_resumes_with_hysteresis(
    tmp_path: Path, small_network
) -> None:
    tb = tables(small_network)
    disk = Disk(100 * MIB)
    w, events = writer(tmp_path, tb, disk_free=disk)
    for k in range(30):
        w.submit_scans(scans(tb, k))
    assert w.flush(10)

    disk.free = 5 * MIB  # below min_free: the next write pauses instead
    for k in range(30, 60):
        w.submit_scans(scans(tb, k))
    assert wait_for(lambda: w.paused)
    st = w.status()
    assert st.state is WriterState.PAUSED and st.pending == 0
    assert "5.0 MB free" in (st.reason or "") and "PAUSED" in st.describe()
    assert [e.action for e in events] == ["history_paused"]
    assert w.flush(1)  # nothing left to wait for: dropped is settled
    for k in range(60, 90):
        assert w.submit_scans(scans(tb, k)) == 0  # refused while paused, counted
    dropped = w.status().dropped
    assert dropped > 0 and w.status().paused_dropped == dropped

    disk.free = 15 * MIB  # above min_free, below resume_free: stays paused (hysteresis)
    disk.wait_looks(3)
    assert w.paused

    disk.free = 30 * MIB
    assert wait_for(lambda: not w.paused)
    assert [e.action for e in events] == ["history_paused", "history_resumed"]
    assert events[1].details["dropped"] == dropped and events[1].details["scans"] > 0
    for k in range(90, 100):
        assert w.submit_scans(scans(tb, k)) > 0
    assert w.close()

    t = stored_times(tmp_path / "history.sqlite")
    gap_from, gap_to = T0 + 5.0 * 30, T0 + 5.0 * 89
    assert not ((t >= gap_from) & (t <= gap_to)).any()  # the gap: nothing from the pause
    assert t[0] == T0 and t[-1] >= T0 + 5.0 * 90
    assert T0 + 5.0 * 90 in t  # the gap's end is stored in full (compressor restarted)


def test_enospc_at_commit_pauses_and_a_probe_commit_resumes(tmp_path: Path, small_network) -> None:
    tb = tables(small_network)
    hook = FullAtCommit(store.connect)  # the free space reads fine: a quota, a size limit
    w, events = writer(tmp_path, tb, connect=hook, disk_free=Disk(100 * MIB))
    w.submit_scans(scans(tb, 0))
    assert w.flush(10)
    hook.full = True
    for k in range(1, 20):
        w.submit_scans(scans(tb, k))
    assert wait_for(lambda: w.paused)
    assert "disk full" in (w.status().reason or "")
    failures = hook.failures
    assert wait_for(lambda: hook.failures > failures)  # it tries again (a probe), still full
    assert w.paused and [e.action for e in events] == ["history_paused"]  # one record
    hook.full = False
    assert wait_for(lambda: not w.paused)
    assert w.submit_scans(scans(tb, 30)) > 0
    assert w.close()
    assert [e.action for e in events] == ["history_paused", "history_resumed"]
    t = stored_times(tmp_path / "history.sqlite")
    assert t[0] == T0 and t[-1] == T0 + 5.0 * 30


def test_yields_to_the_journal_while_it_is_short(tmp_path: Path, small_network) -> None:
    tb = tables(small_network)
    journal_short: dict[str, str | None] = {"why": None}
    w, events = writer(tmp_path, tb, disk_free=Disk(100 * MIB),
                       yield_to=lambda: journal_short["why"])  # fmt: skip
    w.submit_scans(scans(tb, 0))
    assert w.flush(10)
    journal_short["why"] = "the journal's disk reserve is released: disk full"
    w.submit_scans(scans(tb, 1))
    assert wait_for(lambda: w.paused)
    assert "journal" in (w.status().reason or "")
    journal_short["why"] = None  # the journal has its reserve back: plenty of room
    assert wait_for(lambda: not w.paused)
    assert w.close()
    assert [e.action for e in events] == ["history_paused", "history_resumed"]
