"""The service feeds the history and serves trends from ring + history seamlessly."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from console.core.live_store import LiveStore
from console.core.service import ConsoleService
from drivers.samples import CommState, StationScan

T0 = 1_700_000_000.0


def feed(service: ConsoleService, k: int) -> None:
    for sid, tb in service.poller.tables.items():
        n = len(tb)
        t = T0 + 5.0 * k
        v = np.full(n, round(20.0 + 0.05 * k, 2))
        service._on_scan(StationScan(sid, t, v, np.zeros(n, np.uint8), np.full(n, t),
                                     CommState.OK))  # fmt: skip
    service.process_pending(now=T0 + 5.0 * k)


def test_history_beside_journal_and_seamless_trend(tmp_path: Path, small_network) -> None:
    service = ConsoleService(small_network, journal_path=tmp_path / "journal.sqlite")
    assert service.history is not None
    assert service.history.path == tmp_path / "history.sqlite"
    service.live = LiveStore(service.poller.tables, budget_bytes=1)  # a short ring: 64 scans
    depth = service.live.depth
    n_scans = depth + 200  # the ring lost the first 200 scans
    for k in range(n_scans):
        feed(service, k)
    assert service.history.flush(10)

    end = T0 + 5.0 * (n_scans - 1)
    t, v, q = service.trend("jx-001", "room_temp[4]", T0, end)
    ring_from = T0 + 5.0 * 200
    old, new = t < ring_from, t >= ring_from
    assert list(t[new]) == list(T0 + 5.0 * np.arange(200, n_scans))  # every scan from the ring
    assert t[old][0] == T0 and (np.diff(t) > 0).all()  # compressed history before it
    assert np.allclose(v, np.round(20.0 + 0.05 * (t - T0) / 5, 2), atol=1e-4)
    assert (q == 0).all()
    # A range wholly inside the ring comes from the ring alone; before it, from history alone.
    t2, _, _ = service.trend("jx-001", "room_temp[4]", end - 60, end)
    assert list(t2) == list(end - 60 + 5.0 * np.arange(13))
    t3, _, _ = service.trend("jx-001", "room_temp[4]", T0 + 100, T0 + 500)
    assert t3[0] <= T0 + 100 and t3[-1] <= T0 + 500 and len(t3) < 81
    service.history.close()
    service.journal.close()


def test_history_off(tmp_path: Path, small_network) -> None:
    service = ConsoleService(small_network, journal_path=None)
    assert service.history is None
    feed(service, 0)
    t, _, _ = service.trend("jx-001", "room_temp[0]", T0 - 10, T0 + 10)
    assert list(t) == [T0]
    s2 = ConsoleService(small_network, journal_path=tmp_path / "j.sqlite", history_path=False)
    assert s2.history is None
    s2.journal.close()
