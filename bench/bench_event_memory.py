"""Benchmark (issue 12, "A long shift"): what a journal event weighs where a window or a thin
console keeps thousands of them, the event as it was (a frozen dataclass with a `__dict__`, one
copy of each string per event) against the event as it is (slots, its recurring strings shared).

    .venv/bin/python bench/bench_event_memory.py [--events 100000]

The same run measures both shapes through the same real code: a plausible shift
(bench_journal.generate) is written to a real SQLite journal, then read back with
store.event_from_row (the window's path) and decoded from the server's event messages with
codec.event_from_row (the thin console's); the baseline is that code with the old class put in
its module's place (and, for the share of each change, the old class with slots but no strings
shared). Per path: bytes retained per event (tracemalloc, the event list and all it holds,
after a collection), and the CPU time to make one (process time: less disturbed than the wall
clock by the other work on a shared machine; median of 3, the better of two rounds). Then the
alarm engine's JournalEvent.bulk on 20,000 rows against the old bulk (a `__dict__` update per
event).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_journal import generate  # noqa: E402

from console.core import events  # noqa: E402
from console.core.events import FIELDS, JournalEvent, Kind, new_event_id  # noqa: E402
from console.core.journal import store  # noqa: E402
from console.remote import codec  # noqa: E402


def _old_post_init(self: Any) -> None:
    if not self.id:
        object.__setattr__(self, "id", new_event_id(self.time))


def old_event_class(slots: bool = False) -> type:
    """JournalEvent as it was: the same fields and defaults, frozen, with a `__dict__` (or
    `slots`, for the share of the gain the slots alone make), no strings shared."""
    spec: list[tuple[str, Any, Any]] = []
    for f in dataclasses.fields(JournalEvent):
        if f.default is not dataclasses.MISSING:
            spec.append((f.name, f.type, dataclasses.field(default=f.default)))
        elif f.default_factory is not dataclasses.MISSING:
            spec.append((f.name, f.type, dataclasses.field(default_factory=f.default_factory)))
        else:
            spec.append((f.name, f.type, dataclasses.field()))
    return dataclasses.make_dataclass(
        "OldJournalEvent", spec, frozen=True, slots=slots,
        namespace={"__post_init__": _old_post_init},
    )  # fmt: skip


def old_bulk(cls: type, rows: Iterator[tuple[Any, ...]]) -> list[Any]:
    """The bulk constructor as it was (a `__dict__` update per event, the GC paused)."""
    new, out = object.__new__, []
    gc.disable()
    try:
        for r in rows:
            e = new(cls)
            e.__dict__.update(zip(FIELDS, r, strict=True))
            out.append(e)
    finally:
        gc.enable()
    return out


def retained(make: Callable[[], list[Any]]) -> tuple[float, list[Any]]:
    """Bytes per item that `make()`'s list keeps alive (what is freed on the way is not)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    made = make()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / len(made), made


def per_event_us(make: Callable[[], list[Any]], n: int, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        made = make()
        times.append(time.process_time() - t0)
        del made
    return statistics.median(times) / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    args = ap.parse_args()
    n = args.events
    old_cls = old_event_class()
    shapes = {"old": old_cls, "slots only": old_event_class(slots=True), "new": JournalEvent}
    shift = list(generate(n, time.time() - 12 * 3600, 12 * 3600))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "journal.sqlite"
        conn = store.connect(path, create=True)
        store.insert_events(conn, shift)
        conn.commit()
        sql = f"SELECT {store.SELECT_COLUMNS} FROM events ORDER BY rowid"

        def from_journal() -> list[Any]:  # fresh strings per row, as every query gives them
            return [store.event_from_row(r) for r in conn.execute(sql)]

        messages = [codec.encode_events(shift[k : k + 500]) for k in range(0, n, 500)]

        def from_server() -> list[Any]:
            return [codec.event_from_row(r) for m in messages for r in codec.decode_events(m)]

        print(f"{n:,} events of a plausible shift (bench_journal.generate), Python "
              f"{sys.version.split()[0]}")  # fmt: skip
        print(f"{'path':<44} {'old B/event':>11} {'slots only':>10} {'new B/event':>11}"
              f" {'new/old':>7} {'old µs':>7} {'new µs':>7}  (CPU)")  # fmt: skip
        for name, make, module in (
            ("window: read back from the SQLite journal", from_journal, store),
            ("thin console: decoded from server messages", from_server, codec),
        ):
            results: dict[str, tuple[float, float]] = {}
            for shape in [*shapes, *shapes]:  # alternated: a noisy shared machine
                module.JournalEvent = shapes[shape]  # type: ignore[attr-defined]
                try:
                    size, made = retained(make)
                    assert type(made[0]) is shapes[shape]
                    del made
                    us = per_event_us(make, n)
                finally:
                    module.JournalEvent = JournalEvent  # type: ignore[attr-defined]
                prev = results.get(shape)
                results[shape] = (size, us if prev is None else min(us, prev[1]))
            (ob, ous), (sb, _), (nb, nus) = (results[s] for s in shapes)
            print(f"{name:<44} {ob:>11.0f} {sb:>10.0f} {nb:>11.0f} {nb / ob:>7.2f}"
                  f" {ous:>7.2f} {nus:>7.2f}")  # fmt: skip
        conn.close()

    # The alarm engine's bulk path: 20,000 room alarms in one scan (issue 5).
    rows = [tuple(getattr(e, f) for f in FIELDS) for e in shift if e.kind is Kind.ALARM][:20_000]
    times: dict[str, list[float]] = {"old": [], "new": []}
    for _ in range(7):
        for shape in ("old", "new"):
            t0 = time.process_time()
            made = (old_bulk(old_cls, iter(rows)) if shape == "old"
                    else JournalEvent.bulk(iter(rows)))  # fmt: skip
            times[shape].append(time.process_time() - t0)
            del made
    ob, nb = (statistics.median(times[s]) * 1e3 for s in ("old", "new"))
    print(f"bulk, {len(rows):,} alarm rows: old {ob:.1f} ms, new {nb:.1f} ms CPU, new/old "
          f"{nb / ob:.2f} (median of 7)")  # fmt: skip
    assert events.JournalEvent is JournalEvent


if __name__ == "__main__":
    main()
