"""Journal benchmark: batched insert rate vs a naive baseline, filtered queries, 12-h handover.

    .venv/bin/python bench/bench_journal.py                  # 200,000-event journal
    .venv/bin/python bench/bench_journal.py --events 1000000 # the size the targets refer to

Targets: ≥ 50,000 events/s sustained through JournalWriter; filtered query ≤ 200 ms and the
12-hour handover ≤ 2 s on a 1,000,000-event journal.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.journal import store
from console.core.journal.handover import build_report, render_html
from console.core.journal.query import Filters, query
from console.core.journal.writer import JournalWriter

DISTRICTS = ["jianxi", "xigong", "laocheng", "chanhe", "yibin"]
STATIONS = [f"{d[:2]}-{i:03d}" for d in DISTRICTS for i in range(152)][:757]
RULES = [("p_secondary", "low", Priority.HIGH), ("t_supply", "dev", Priority.MEDIUM),
         ("pump", "fault", Priority.HIGH), ("make_up_flow", "high", Priority.CRITICAL)]  # fmt: skip
STATES = [AlarmState.UNACK, AlarmState.ACK, AlarmState.NORMAL]


def generate(n: int, start: float, span_s: float, seed: int = 1) -> Iterator[JournalEvent]:
    """A plausible mix: ~70 % alarm transitions (half of them rooms), comm, operator, system.

    Each alarm key follows its lifecycle (NORMAL → UNACK → ACK → NORMAL), drawn from a pool of
    4,000 problem rooms and 3,000 other alarm points, so "still open" stays realistic.
    """
    rnd = random.Random(seed)
    step = span_s / n
    rooms = [(rnd.choice(STATIONS), rnd.randrange(200)) for _ in range(4000)]
    others = [(rnd.choice(STATIONS), rnd.choice(RULES)) for _ in range(3000)]
    nxt = {AlarmState.NORMAL: AlarmState.UNACK, AlarmState.UNACK: AlarmState.ACK,
           AlarmState.ACK: AlarmState.NORMAL}  # fmt: skip
    state: dict[str, AlarmState] = {}
    for i in range(n):
        t = start + i * step
        r = rnd.random()
        if r < 0.35:
            st, room = rnd.choice(rooms)
            district = DISTRICTS[STATIONS.index(st) % 5]
            crit = room % 10 == 0
            v = round(rnd.uniform(14.5, 18.0), 1)
            rule = "room_critical" if crit else "room_low"
            key = f"{st}/room_temp[{room}]/{rule}"
            state[key] = s = nxt[state.get(key, AlarmState.NORMAL)]
            yield JournalEvent(
                Kind.ALARM, f"room {room} at {v} °C", time=t, station=st, district=district,
                point=f"room_temp[{room}]", alarm=key,
                priority=Priority.CRITICAL if crit else Priority.MEDIUM,
                state=s, value=v, limit=16.0 if crit else 18.0,
            )  # fmt: skip
        elif r < 0.7:
            st, (point, rule, prio) = rnd.choice(others)
            district = DISTRICTS[STATIONS.index(st) % 5]
            key = f"{st}/{point}/{rule}"
            state[key] = s = nxt[state.get(key, AlarmState.NORMAL)]
            yield JournalEvent(
                Kind.ALARM, f"{point} {rule}", time=t, station=st, district=district,
                point=point, alarm=key, priority=prio, state=s,
                value=rnd.uniform(0, 100), limit=50.0,
            )  # fmt: skip
        elif r < 0.9:
            st = rnd.choice(STATIONS)
            ok = rnd.random() < 0.5
            yield JournalEvent(
                Kind.COMM, "comm ok" if ok else "comm failed", time=t, station=st,
                district=DISTRICTS[STATIONS.index(st) % 5],
                details={"status": "ok" if ok else "failed"},
            )  # fmt: skip
        elif r < 0.98:
            yield JournalEvent(
                Kind.OPERATOR, "acknowledged", time=t, station=rnd.choice(STATIONS),
                action="ack", user=rnd.choice(["王", "李", "zhang"]), comment="checked",
            )  # fmt: skip
        else:
            yield JournalEvent(Kind.SYSTEM, "heartbeat", time=t, details={"i": i})


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """Median wall time in seconds (first run warms the page cache and is dropped)."""
    result = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=200_000, help="journal size to build")
    ap.add_argument("--days", type=float, default=30.0, help="time span the events cover")
    ap.add_argument("--rate-events", type=int, default=200_000, help="events for the rate test")
    ap.add_argument("--baseline-events", type=int, default=2_000, help="naive insert subset")
    ap.add_argument("--dir", help="where to build the journal (default: a temp dir)")
    args = ap.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="bench-journal-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"sqlite {store.sqlite3.sqlite_version}, python {sys.version.split()[0]}, dir {work}")

    # 1. Sustained insert rate through the writer, on pre-built events (producer cost excluded).
    end = time.time()
    span = args.days * 86400
    evs = list(generate(args.rate_events, end - span, span, seed=2))
    path = work / "rate.sqlite"
    for p in work.glob("rate.sqlite*"):
        p.unlink()
    w = JournalWriter(path, max_buffer=len(evs) + 10)
    t0 = time.perf_counter()
    w.submit_many(evs)
    assert w.flush(600)
    batched = len(evs) / (time.perf_counter() - t0)
    w.close()
    # Baseline: one transaction per event (what a naive "insert on every event" does).
    base = list(generate(args.baseline_events, end - span, span, seed=3))
    conn = store.connect(path)
    t0 = time.perf_counter()
    for e in base:
        store.insert_events(conn, [e])
    naive = len(base) / (time.perf_counter() - t0)
    conn.close()
    print(f"insert: batched writer {batched:,.0f} events/s ({len(evs):,} events, synchronous=FULL)")
    print(f"        naive one-transaction-per-event {naive:,.0f} events/s ({len(base):,} events)")
    print(f"        ratio {batched / naive:,.1f}x")

    # 2. Build the big journal (through the writer, in chunks so memory stays flat).
    big = work / f"journal-{args.events}.sqlite"
    if not big.exists():
        t0 = time.perf_counter()
        w = JournalWriter(big)
        chunk: list[JournalEvent] = []
        for e in generate(args.events, end - span, span, seed=1):
            chunk.append(e)
            if len(chunk) == 50_000:
                w.submit_many(chunk)
                w.flush(600)
                chunk = []
        w.submit_many(chunk)
        w.close(600)
        dt = time.perf_counter() - t0
        print(f"built {args.events:,}-event journal in {dt:.1f} s ({args.events / dt:,.0f}/s incl."
              " generating the events)")  # fmt: skip
    conn = store.connect(big)
    n = store.count_events(conn)
    size = big.stat().st_size / 1e6
    print(f"journal: {n:,} events, {size:,.0f} MB, {args.days:g} days")

    # 3. Filtered queries (median of 5).
    shift = (end - 12 * 3600, end)
    day = end - 86400
    cases = {
        "station, last 12 h": Filters(stations=[STATIONS[17]], since=shift[0], until=shift[1]),
        "station, all time": Filters(stations=[STATIONS[17]]),
        "district + priority high+, last 24 h": Filters(
            districts=["jianxi"], priorities=["critical", "high"], since=day
        ),
        "state UNACK + kind alarm, last 12 h": Filters(
            states=["UNACK"], kinds=["alarm"], since=shift[0], until=shift[1]
        ),
        "text 'room 17 ', last 12 h": Filters(text="room 17 ", since=shift[0]),
        "newest 200 (viewer default)": Filters(limit=200, newest_first=True),
        "priority critical, all time, newest 500": Filters(
            priorities=["critical"], limit=500, newest_first=True
        ),
    }
    for label, f in cases.items():
        dt, rows = timed(lambda f=f: query(conn, f))
        ok = "ok" if dt <= 0.2 else "OVER 200 ms"
        print(f"query {label:42s} {dt * 1000:8.1f} ms  {len(rows):>7,} rows  {ok}")  # type: ignore[arg-type]

    # 4. Handover for the last 12 hours.
    def handover() -> tuple[int, int]:
        r = build_report(conn, shift[0], shift[1], now=end)
        return r.events, len(render_html(r))

    dt, (events, size_html) = timed(handover, repeat=3)  # type: ignore[misc]
    ok = "ok" if dt <= 2.0 else "OVER 2 s"
    print(f"handover 12 h: {dt:.2f} s ({events:,} events in the shift, {size_html / 1e3:,.0f} kB"
          f" HTML)  {ok}")  # fmt: skip
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
