"""Queries: ranges, the held value before the range, merge of buffer + recent rows + chunks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from console.core.history import History, HistoryReader

from .helpers import T0, scans, tables, wait_for

STORED = T0 + 5.0 * np.arange(0, 600, 3)  # helpers' ramp is stored every third scan


def test_ranges_and_prior_across_chunks_recent_and_buffer(tmp_path: Path, small_network) -> None:
    tb = tables(small_network)
    h = History(tmp_path / "history.sqlite", tb, batch_s=0.01, bucket_s=600, grace_s=10,
                max_interval_s=3600)  # fmt: skip
    for k in range(400):
        h.submit_scans(scans(tb, k))
    assert h.flush(10)
    assert wait_for(lambda: h.writer.compactions >= 4)  # older buckets are chunks now
    h.writer.batch_s = 3600.0  # what follows stays in the writer's buffer
    for k in range(400, 600):
        h.submit_scans(scans(tb, k))
    assert h.status().pending > 0

    t, _, q = h.query("jx-001", "room_temp[2]", T0, T0 + 5 * 600)
    assert list(t) == list(STORED)
    assert (q == 0).all()
    i = 100  # a sample's own time is inside the (inclusive) range
    t, _, _ = h.query("jx-001", "room_temp[2]", STORED[i], STORED[i + 50])
    assert list(t) == list(STORED[i : i + 51])
    t, _, _ = h.query("jx-001", "room_temp[2]", STORED[i] + 1, STORED[i + 50] - 1)
    assert list(t) == list(STORED[i + 1 : i + 50])
    t, _, _ = h.query("jx-001", "room_temp[2]", STORED[i] + 1, STORED[i + 50], prior=True)
    assert list(t) == list(STORED[i : i + 51])  # the held value at the left edge comes first
    assert len(h.query("jx-001", "no_such_point", T0, T0 + 1e6)[0]) == 0
    assert len(h.query("nobody", "room_temp[2]", T0, T0 + 1e6)[0]) == 0

    # Another reader (the journal viewer's process, say) sees the committed part only.
    other = HistoryReader(tmp_path / "history.sqlite")
    t_other, _, _ = other.query("jx-001", "room_temp[2]", T0, T0 + 5 * 600)
    assert list(t_other) == list(STORED[STORED < T0 + 5 * 400])
    other.close()
    assert h.close()
    t, _, _ = HistoryReader(tmp_path / "history.sqlite").query("jx-001", "room_temp[2]", 0, 4e9)
    assert list(t) == list(STORED)


def test_values_and_qualities_come_back(tmp_path: Path, small_network) -> None:
    tb = tables(small_network, only=("jx-001",))
    h = History(tmp_path / "history.sqlite", tb, batch_s=0.01, bucket_s=600, grace_s=10)
    n = len(tb["jx-001"])
    sent = []
    for k in range(300):
        sc = scans(tb, k)[0]
        if 100 <= k < 110:
            sc.quality[:] = 3  # COMM_FAIL: last values kept
        sent.append(sc)
        h.submit_scans([sc])
    assert h.flush(10)
    j = tb["jx-001"].index["room_temp[1]"]
    t, v, q = h.query("jx-001", "room_temp[1]", T0, T0 + 5 * 300)
    assert {T0 + 500.0, T0 + 550.0} <= set(t)  # quality change in and out
    assert q[list(t).index(T0 + 500.0)] == 3 and q[list(t).index(T0 + 550.0)] == 0
    for tt, vv in zip(t, v, strict=True):
        assert abs(vv - sent[round((tt - T0) / 5)].values[j]) < 1e-5
    assert n == len(sent[0].values)
    assert h.close()


def test_buffer_and_file_never_double_a_sample(tmp_path: Path, small_network) -> None:
    tb = tables(small_network)
    h = History(tmp_path / "history.sqlite", tb, batch_s=0.001, bucket_s=600)
    for k in range(300):
        h.submit_scans(scans(tb, k))
        t, _, _ = h.query("jx-001", "room_temp[0]", T0, T0 + 5 * k)
        assert (np.diff(t) > 0).all()
    assert h.close()
