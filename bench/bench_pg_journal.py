"""Shared journal benchmark: a cold-wave burst forwarded from a real SQLite journal into a real
PostgreSQL, beside a same-run baseline (a bare psycopg COPY of the same rows into the same
table: the best a user of the library could do).

    .venv/bin/python bench/bench_pg_journal.py                 # 200,000 events
    .venv/bin/python bench/bench_pg_journal.py --events 500000 --batch 5000
    .venv/bin/python bench/bench_pg_journal.py --tiny          # smoke run

The events are the alarm engine's own (AlarmEngine.evaluate_batch over 757 stations x 200 rooms
whose rooms go cold and warm again: room_low raised, then returned), committed to the local
journal by the JournalWriter first (not timed: the server does that as events happen). The
forwarder's time runs from start() to flush() returning, so it includes connecting, reading
the journal, COPY, the de-duplicating INSERT, each batch's durable COMMIT and cursor update.
PostgreSQL runs from Debian's binaries in a temp dir with fsync and synchronous_commit on.
Target (issue 10): ≥ 50,000 events/s sustained.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_alarms import build, scans  # noqa: E402

from console.control_room.database_process import PgServer, unavailable_reason  # noqa: E402
from console.core.alarms import AlarmEngine  # noqa: E402
from console.core.events import JournalEvent  # noqa: E402
from console.core.journal import store  # noqa: E402
from console.core.journal.pg_connect import connect  # noqa: E402
from console.core.journal.pg_forward import PgForwarder  # noqa: E402
from console.core.journal.postgres import COLUMNS_SQL, init_database  # noqa: E402
from console.core.journal.writer import JournalWriter  # noqa: E402
from drivers.points import build_point_table  # noqa: E402

TARGET = 50_000


def cold_waves(n_events: int, stations: int, rooms: int, start: float) -> list[JournalEvent]:
    """The engine's events as rooms go below 18 °C and back, until there are `n_events`."""
    net, warm = build(stations, rooms)
    eng = AlarmEngine(net)
    eng.evaluate_batch(scans(net, warm, start))
    names = build_point_table(net.templates["substation-v1"], net.stations[0]).names
    room_idx = np.flatnonzero([n.startswith("room_temp[") for n in names])
    cold = [v.copy() for v in warm]
    for v in cold:
        v[room_idx] = 17.5
    out: list[JournalEvent] = []
    t = start
    while len(out) < n_events:
        for vals in (cold, cold, warm, warm):  # start the on-delay timers, then fire; same back
            t += 70.0
            out += eng.evaluate_batch(scans(net, vals, t))
    return out[:n_events]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--batch", type=int, default=20_000, help="events per forwarded transaction")
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rooms", type=int, default=200)
    ap.add_argument("--tiny", action="store_true", help="smoke run: 4 stations, 2,000 events")
    a = ap.parse_args()
    if a.tiny:
        a.events, a.stations, a.batch = 2000, 4, 500
    reason = unavailable_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2

    events = cold_waves(a.events, a.stations, a.rooms, time.time() - 86400)
    with tempfile.TemporaryDirectory(prefix="bench-pg-") as td, PgServer(fsync=True) as pg:
        journal = Path(td) / "journal.sqlite"
        t0 = time.perf_counter()
        w = JournalWriter(journal, max_buffer=len(events) + 10)
        w.submit_many(events)
        assert w.flush(600)
        w.close()
        t_sqlite = time.perf_counter() - t0
        with connect(pg.socket_dsn()) as c:
            version = c.info.server_version
        pg.admin("CREATE DATABASE forwarded")
        pg.admin("CREATE DATABASE baseline")
        for db in ("forwarded", "baseline"):
            init_database(pg.dsn(db), "bench_server", "bench_reader", server_password="pw")

        fwd = PgForwarder(journal, pg.dsn("forwarded", "bench_server", "pw"), batch=a.batch)
        t0 = time.perf_counter()
        fwd.start()
        assert fwd.flush(600), fwd.status().describe()
        t_fwd = time.perf_counter() - t0
        fwd.stop()
        st = fwd.status()
        assert (st.forwarded, st.duplicates) == (len(events), 0), st

        # Baseline: the same rows, already in memory, in one COPY straight into the table.
        conn = store.connect(journal)
        rows = conn.execute(f"SELECT {COLUMNS_SQL} FROM events ORDER BY rowid").fetchall()
        conn.close()
        with connect(pg.dsn("baseline", "bench_server", "pw")) as c:
            t0 = time.perf_counter()
            with c.cursor().copy(f"COPY events ({COLUMNS_SQL}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(tuple(r))
            c.commit()
            t_base = time.perf_counter() - t0
            assert c.execute("SELECT count(*) FROM events").fetchone() == (len(events),)

    n = len(events)
    rate, base = n / t_fwd, n / t_base
    print(
        f"machine: {os.cpu_count()} cores, {platform.platform()}, Python "
        f"{platform.python_version()}, PostgreSQL {version // 10000}.{version % 10000} "
        "(fsync on, synchronous_commit on)"
    )
    print(
        f"burst: {n} room-alarm events from the alarm engine's cold waves ({a.stations} "
        f"stations x {a.rooms} rooms), committed to the local SQLite journal in {t_sqlite:.2f} s"
    )
    print(
        f"forwarder: {n} events into PostgreSQL in {t_fwd:.2f} s = {rate:,.0f} events/s "
        f"sustained (batches of {a.batch} streamed from SQLite into COPY, durable commit, cursor "
        f"moved after each; {st.duplicates} re-sent)"
    )
    print(f"baseline: bare psycopg COPY of the same rows into the same table: {base:,.0f} events/s")
    print(f"ratio forwarder/baseline: {rate / base:.2f}")
    verdict = "holds" if rate >= TARGET else "MISSED"
    print(f"target ≥ {TARGET:,} events/s: {verdict} ({rate:,.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
