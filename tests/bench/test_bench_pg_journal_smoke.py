"""Smoke test: bench/bench_pg_journal.py --tiny runs against a real PostgreSQL and prints its
figures in the documented format (no wall-clock assertion: a figure may be anything)."""

from __future__ import annotations

import pytest

from console.control_room.database_process import unavailable_reason

N = r"[\d.,]+"

LINES = [
    r"^machine: \d+ cores, .+, Python [\d.]+, PostgreSQL [\d.]+ \(fsync on, synchronous_commit "
    r"on\)$",
    rf"^burst: 2000 room-alarm events from the alarm engine's cold waves \(4 stations x 200 "
    rf"rooms\), committed to the local SQLite journal in {N} s$",
    rf"^forwarder: 2000 events into PostgreSQL in {N} s = {N} events/s sustained \(batches of "
    r"500 streamed from SQLite into COPY, durable commit, cursor moved after each; 0 re-sent\)$",
    rf"^baseline: bare psycopg COPY of the same rows into the same table: {N} events/s$",
    rf"^ratio forwarder/baseline: {N}$",
    rf"^target ≥ 50,000 events/s: (holds|MISSED) \({N}\)$",
]


def test_bench_pg_journal_prints_its_figures(run_tiny) -> None:  # type: ignore[no-untyped-def]
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    run_tiny("bench_pg_journal.py", LINES)
