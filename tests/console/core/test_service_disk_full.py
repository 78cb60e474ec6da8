"""A disk-full episode through the whole service: the history pauses first, the journal keeps
committing on its reserve, CRITICAL system alarms rise and return, and once space is back every
journal event is in the file once, in order."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from console.app.adapters import build_snapshot
from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.history import store as history_store
from console.core.journal import store as journal_store
from console.core.journal.writer import WriterState
from console.core.service import ConsoleService
from console.core.store_and_forward import MIB, free_bytes
from drivers.samples import CommState, StationScan

from .disk_full import ModelDisk, fill, small_filesystem

T0 = 1_700_000_000.0


class Plant:
    """Scans of every station, one batch per call, values moving so history stores them."""

    def __init__(self, service: ConsoleService) -> None:
        self.service, self.k = service, 0

    def batch(self) -> None:
        t = T0 + 5.0 * self.k
        for sid, tb in self.service.poller.tables.items():
            n = len(tb)
            v = np.round(20.0 + np.sin(self.k / 3 + np.arange(n)), 2)
            self.service._on_scan(
                StationScan(sid, t, v, np.zeros(n, np.uint8), np.full(n, t), CommState.OK)
            )
        self.service.process_pending(now=t)
        self.k += 1


def until(cond: Callable[[], bool], step: Callable[[], None], timeout: float = 60.0) -> None:
    """Run `step` until `cond` holds (polling, generous timeout)."""
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "condition not reached"
        step()
        time.sleep(0.02)


class RealDisk:
    """A 24 MiB tmpfs (or ext4 image) another program fills."""

    def __init__(self, mnt: Path) -> None:
        self.dir = mnt
        self.options: tuple[dict, dict] = ({}, {})

    def short(self) -> None:  # less left than the history's threshold
        self.filler = fill(self.dir, leave=3 * MIB)

    def give_back(self) -> None:
        self.filler.unlink()

    def free(self) -> int:
        return free_bytes(self.dir)


class InjectedDisk:
    """The same episode anywhere: ENOSPC injected at both writers' COMMIT (ModelDisk)."""

    def __init__(self, tmp_path: Path) -> None:
        self.dir = tmp_path
        reserve = tmp_path / "journal.sqlite.reserve"
        self.model = ModelDisk(journal_store.connect, reserve, 2 * MIB, free=1 << 40)
        self.options = (
            {"connect": self.model, "disk_free": self.model.free},
            {"connect": self.model.wrap(history_store.connect), "disk_free": self.model.free},
        )

    def short(self) -> None:
        self.model.free_bytes = 3 * MIB

    def give_back(self) -> None:
        self.model.free_bytes += 1 << 40

    def free(self) -> int:
        return self.model.free(self.dir)


@pytest.fixture(params=["real", "injected"])
def disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RealDisk | InjectedDisk]:
    if request.param == "injected":
        yield InjectedDisk(tmp_path)
        return
    with small_filesystem(tmp_path, 24 * MIB) as mnt:
        yield RealDisk(mnt)


def test_full_disk_episode(disk: RealDisk | InjectedDisk, small_network) -> None:
    mnt = disk.dir
    svc = ConsoleService(
        small_network,
        journal_path=mnt / "journal.sqlite",
        journal_options={"reserve_bytes": 2 * MIB, "batch_ms": 20, "backoff": (0.02, 0.2),
                         "reserve_check_s": 0.05, **disk.options[0]},
        history_options={"batch_s": 0.05, "min_free_bytes": 4 * MIB, "bucket_s": 600,
                         "resume_free_bytes": 6 * MIB, "space_check_s": 0.05,
                         "backoff": (0.02, 0.2), **disk.options[1]},
    )  # fmt: skip
    journal, history, sa = svc.journal, svc.history, svc.system_alarms
    assert journal is not None and history is not None
    plant = Plant(svc)
    mine: list[JournalEvent] = []

    def burst(n: int = 200) -> bool:
        """Operator notes in a burst and a plant batch; True if the journal committed it."""
        evs = [JournalEvent(Kind.OPERATOR, f"burst note {len(mine) + i}") for i in range(n)]
        mine.extend(evs)
        assert journal.submit_many(evs) == n
        plant.batch()
        return journal.flush(30)

    for _ in range(10):
        assert burst()
    assert history.flush(10)
    assert journal.status().reserve_held == 2 * MIB
    assert sa.state(svc.journal_alarm) is AlarmState.NORMAL

    # Another program fills the disk: less left than the history's threshold.
    disk.short()
    until(lambda: journal.status().reserve_note is not None, lambda: burst())
    assert history.status().state is WriterState.PAUSED  # the history gave way first
    for _ in range(5):  # bursts keep being committed on the reserve, the disk full
        assert burst()
        assert journal.status().pending == 0
    assert disk.free() < 3 * MIB
    js, hs = journal.status(), history.status()
    assert js.state is WriterState.WRITING and js.reserve_missing and hs.paused_dropped > 0

    plant.batch()
    assert sa.state(svc.journal_alarm) is AlarmState.UNACK
    assert sa.state(svc.history_alarm) is AlarmState.UNACK
    snap = build_snapshot(svc, journal=js.describe())
    status = snap.status.journal  # the console's status line during the episode
    assert "DISK RESERVE released: disk full" in status and "history: PAUSED" in status
    assert "CRITICAL ALARM UNACK: journal cannot write safely" in status
    console_rows = [r for r in snap.alarms if r.station == "console"]
    assert {r.key for r in console_rows} == {svc.journal_alarm, svc.history_alarm}
    assert snap.alarms[0].priority is Priority.CRITICAL
    assert all(r.state is AlarmState.UNACK for r in console_rows)
    assert snap.figures.unacked_alarms >= 2
    svc.acknowledge([svc.journal_alarm], "freeing space")
    assert sa.state(svc.journal_alarm) is AlarmState.ACK

    disk.give_back()  # space returns: journal first, then its reserve, then the history
    until(
        lambda: (
            not journal.status().reserve_missing and history.status().state is WriterState.WRITING
        ),
        lambda: burst(20),
    )
    plant.batch()
    assert sa.state(svc.journal_alarm) is AlarmState.NORMAL  # acknowledged, returned
    assert sa.state(svc.history_alarm) is AlarmState.RTN_UNACK
    svc.acknowledge([svc.history_alarm])
    assert sa.state(svc.history_alarm) is AlarmState.NORMAL
    for _ in range(3):
        assert burst()
    assert journal.close() and history.close()

    conn = journal_store.connect(mnt / "journal.sqlite")
    rows = conn.execute(
        "SELECT id, kind, action, alarm, state FROM events ORDER BY rowid"
    ).fetchall()
    conn.close()
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids))  # nothing twice
    notes = [r[0] for r in rows if r[1] == "operator" and r[2] is None]
    assert notes == [e.id for e in mine]  # every burst event, in order
    actions = [r[2] for r in rows if r[1] == "system"]
    assert actions.index("history_paused") < actions.index("journal_reserve_released")
    assert actions.index("journal_reserve_released") < actions.index("journal_reserve_restored")
    assert "history_resumed" in actions and "journal_buffering" not in actions
    journal_alarm = [r[4] for r in rows if r[3] == svc.journal_alarm]
    assert journal_alarm == ["UNACK", "ACK", "NORMAL"]  # raised, acknowledged, returned
    history_alarm = [r[4] for r in rows if r[3] == svc.history_alarm]
    assert history_alarm == ["UNACK", "RTN_UNACK", "NORMAL"]
