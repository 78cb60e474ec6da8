"""How many journal events the disk reserve carries through a disk-full episode.

    sudo .venv/bin/python bench/bench_disk_reserve.py                 # 16 MiB reserve
    sudo .venv/bin/python bench/bench_disk_reserve.py --reserve-mib 8

Mounts two tmpfs (root needed): on the first, with room to spare, the same-run baseline is the
journal's disk use per event (file + WAL, allocated blocks); on the second the disk is filled to
the last byte and events are committed in batches until the journal has to hold them in memory.
Printed: events committed on the reserve, the count the baseline predicts, and their ratio (the
WAL of a full disk cannot be checkpointed, so an event costs more there).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench_journal import generate

from console.core.journal.writer import JournalWriter, WriterState
from console.core.store_and_forward import MIB

# The tests' small-filesystem helper (tmpfs, else a loop-mounted ext4 image).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "console" / "core"))
from disk_full import fill, small_filesystem


def disk_use(directory: Path) -> int:
    return sum(os.stat(p).st_blocks * 512 for p in directory.glob("journal.sqlite*")
               if not p.name.endswith(".reserve"))  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reserve-mib", type=int, default=16)
    ap.add_argument("--prefill", type=int, default=50_000, help="events already in the journal")
    ap.add_argument("--batch", type=int, default=500, help="events per commit")
    args = ap.parse_args()
    reserve = args.reserve_mib * MIB
    now = time.time()
    events = list(generate(args.prefill + 400_000, now - 86400.0, 86400.0, seed=3))
    pre, rest = events[: args.prefill], events[args.prefill :]
    work = Path(tempfile.mkdtemp(prefix="bench-reserve-"))
    (work / "a").mkdir()
    (work / "b").mkdir()

    with small_filesystem(work / "a", 512 * MIB) as mnt:  # baseline: plenty of room
        w = JournalWriter(mnt / "journal.sqlite", reserve_bytes=0)
        w.submit_many(pre)
        w.flush(600)
        before = disk_use(mnt)
        n = 100_000
        for i in range(0, n, args.batch):
            w.submit_many(rest[i : i + args.batch])
            w.flush(600)
        per_event = (disk_use(mnt) - before) / n
        w.close()
    print(f"baseline: {per_event:.0f} bytes of disk per event (journal + WAL, {n} events "
          f"after {args.prefill})")  # fmt: skip

    with small_filesystem(work / "b", 512 * MIB) as mnt:  # the episode
        w = JournalWriter(mnt / "journal.sqlite", reserve_bytes=reserve, batch_size=args.batch)
        w.submit_many(pre)
        w.flush(600)
        fill(mnt)
        committed, t0 = w.status().committed, time.perf_counter()
        for i in range(0, len(rest), args.batch):
            w.submit_many(rest[i : i + args.batch])
            if not w.flush(30) or w.status().state is not WriterState.WRITING:
                break
        st = w.status()
        on_reserve = st.committed - committed - 1  # its own "reserve released" record
        took = time.perf_counter() - t0
        w.close(1)
    expected = reserve / per_event
    print(f"reserve {args.reserve_mib} MiB: {on_reserve} events committed on it with the disk "
          f"full ({took:.1f} s), baseline predicts {expected:.0f}: ratio "
          f"{on_reserve / expected:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
