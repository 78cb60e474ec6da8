"""Memory diagnosis for bench_memory_startup.py --tracemalloc / --malloc-trim (issue 5).

Runs inside the console child, on the service's loop: at each snapshot it records what the RSS
is made of, as far as the process can tell — Python allocations (tracemalloc: numpy buffers
too, they are traced), glibc malloc's arenas (mallinfo2: in use vs free but not returned),
SQLite's own heap (page caches, statements: sqlite3_memory_used, which Python's sqlite3 module
shares through libsqlite3), asyncio tasks, gc-tracked objects by type, the live store's ring
fill and the history writer's FIFO — and which allocation sites grew since the first snapshot.
`report()` turns the records into the `diag` lines the parent prints.

tracemalloc's own bookkeeping (a few dozen bytes per live block) and the snapshots inflate the
RSS of a traced run: its RSS curve is not the console's; take that from a run without it.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
import gc
import tracemalloc
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

MB = 2**20


_MALLINFO2 = ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
              "fordblks", "keepcost")  # fmt: skip


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in _MALLINFO2]


@functools.cache
def _libc() -> Any:
    lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    lib.mallinfo2.restype = _MallInfo2
    return lib


@functools.cache
def _sqlite() -> Any:
    lib = ctypes.CDLL("libsqlite3.so.0")  # the library _sqlite3 is linked against (same state)
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.argtypes = [ctypes.c_int]
    return lib


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def mallinfo() -> dict[str, float]:
    """glibc's view, summed over all arenas: in use, free inside arenas, mmapped blocks (MB)."""
    m = _libc().mallinfo2()
    return {
        "arena_mb": m.arena / MB,  # obtained with brk/arena mmaps
        "in_use_mb": m.uordblks / MB,
        "free_mb": m.fordblks / MB,  # free inside the arenas: fragmentation if it stays large
        "mmapped_mb": m.hblkhd / MB,  # large blocks (numpy arrays >= 128 KiB) mapped singly
    }


def sqlite_mb() -> float:
    """SQLite's own heap in this process (page caches of every connection, statements)."""
    return _sqlite().sqlite3_memory_used() / MB


def pymalloc() -> dict[str, float]:
    """Python's small-object allocator (objects <= 512 bytes: rows, tuples, dicts of a snapshot),
    which maps its own 1-MiB arenas outside glibc's: `arenas_mb` held (an arena goes back to the
    kernel only once every object in it is freed), `used_mb` in live objects. From
    sys._debugmallocstats, which writes to the C stderr: captured through a temporary file."""
    import os
    import sys
    import tempfile

    with tempfile.TemporaryFile() as f:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            os.dup2(f.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        f.seek(0)
        text = f.read().decode("ascii", "replace")
    total = used = 0
    for line in text.splitlines():
        key, _, val = line.partition("=")
        n = val.strip().replace(",", "")
        if not n.isdigit():
            continue
        if key.startswith("Total") and not total:  # the first Total: the arenas' bytes
            total = int(n)
        elif key.startswith("# bytes in allocated blocks"):
            used = int(n)
    return {"arenas_mb": total / MB, "used_mb": used / MB}


def malloc_trim() -> None:
    _libc().malloc_trim(0)


def arenas() -> list[dict[str, float]]:
    """Per-arena view from malloc_info(3): heap 0 is the main (brk) arena, the others belong to
    threads. `system_mb` is what the arena holds from the kernel, `free_mb` the part of it free
    inside (fast bins + the rest): reusable space, resident once touched."""
    lib = _libc()
    buf, size = ctypes.c_char_p(), ctypes.c_size_t()
    lib.open_memstream.restype = ctypes.c_void_p
    lib.open_memstream.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_size_t)]
    lib.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    lib.fclose.argtypes = [ctypes.c_void_p]
    lib.free.argtypes = [ctypes.c_void_p]
    fp = lib.open_memstream(ctypes.byref(buf), ctypes.byref(size))
    if not fp:
        return []
    lib.malloc_info(0, fp)
    lib.fclose(fp)
    text = ctypes.string_at(buf, size.value).decode("ascii", "replace")
    lib.free(ctypes.cast(buf, ctypes.c_void_p))
    out: list[dict[str, float]] = []
    for heap in ET.fromstring(text).iter("heap"):
        free = sum(int(t.get("size", 0)) for t in heap.findall("total"))
        system = next(
            (int(t.get("size", 0)) for t in heap.findall("system") if t.get("type") == "current"), 0
        )
        out.append({"nr": int(heap.get("nr", -1)), "system_mb": system / MB, "free_mb": free / MB})
    return out


class Diagnosis:
    def __init__(
        self,
        svc: Any,
        tmp: Path,
        *,
        snapshots: list[float],
        trace: bool = True,
        frames: int = 8,
        top: int = 12,
        trim: bool = False,
    ) -> None:
        self.svc = svc
        self.tmp = tmp
        self.todo = sorted(snapshots)
        self.trace = trace
        self.top = top
        self.trim = trim
        self.first: tracemalloc.Snapshot | None = None
        self.first_types: Counter[str] | None = None
        if trace:
            tracemalloc.start(frames)

    def next_at(self) -> float:
        """Seconds into the run of the next snapshot (inf when none is left)."""
        return self.todo[0] * 60 if self.todo else float("inf")

    def due(self, t_s: float) -> bool:
        return bool(self.todo) and t_s >= self.todo[0] * 60

    def take(self, t_s: float) -> dict[str, Any]:
        while self.todo and t_s >= self.todo[0] * 60:
            self.todo.pop(0)
        sq = _sqlite()
        live = self.svc.live
        fill = sum(s.ring_count for s in live.stations.values()) / (
            live.depth * max(1, len(live.stations))
        )
        d: dict[str, Any] = {
            "t_min": t_s / 60,
            "rss_mb": rss_mb(),
            **mallinfo(),
            "sqlite_mb": sq.sqlite3_memory_used() / MB,
            "sqlite_hw_mb": sq.sqlite3_memory_highwater(0) / MB,
            "tasks": len(asyncio.all_tasks()),
            "ring_fill": fill,
            "ring_depth": live.depth,
            "files": {p.name: p.stat().st_size / MB for p in sorted(self.tmp.glob("*.sqlite*"))},
        }
        h = self.svc.history
        if h is not None:
            st = h.status()
            d["history_pending"], d["history_committed"] = st.pending, st.committed
        if self.svc.journal is not None:
            d["journal_pending"] = self.svc.journal.status().pending
        types = Counter(type(o).__name__ for o in gc.get_objects())
        d["gc_objects"] = sum(types.values())
        if self.first_types is None:
            self.first_types = types
        else:
            grow = types - self.first_types
            d["types_grown"] = grow.most_common(8)
        if self.trace:
            d["traced_mb"] = tracemalloc.get_traced_memory()[0] / MB
            snap = tracemalloc.take_snapshot().filter_traces(
                [
                    tracemalloc.Filter(False, tracemalloc.__file__),
                    tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
                    tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>"),
                    tracemalloc.Filter(False, __file__, all_frames=True),  # this diagnosis
                ]
            )
            if self.first is None:
                self.first = snap
                d["top_now"] = _sites(snap.statistics("traceback")[: self.top], diff=False)
            else:
                stats = snap.compare_to(self.first, "traceback")
                d["top_grown"] = _sites(stats[: self.top], diff=True)
        if self.trim:
            before = rss_mb()
            malloc_trim()
            d["trim"] = (before, rss_mb())
        return d


def _sites(stats: list[Any], *, diff: bool) -> list[dict[str, Any]]:
    out = []
    for s in stats:
        frames = [f"{_short(f.filename)}:{f.lineno}" for f in reversed(s.traceback)]
        out.append(
            {
                "kb": (s.size_diff if diff else s.size) / 1024,
                "blocks": s.count_diff if diff else s.count,
                "total_kb": s.size / 1024,
                "where": " <- ".join(frames[:6]),
            }
        )
    return out


def report(records: list[dict[str, Any]]) -> list[str]:
    lines = []
    for d in records:
        files = ", ".join(f"{k} {v:.1f} MB" for k, v in d["files"].items())
        traced = f" (Python-traced {d['traced_mb']:.0f} MB)" if "traced_mb" in d else ""
        lines.append(
            f"diag {d['t_min']:.1f} min: RSS {d['rss_mb']:.0f} MB{traced}; malloc in use "
            f"{d['in_use_mb']:.0f} MB, free in arenas {d['free_mb']:.0f} MB, mmapped "
            f"{d['mmapped_mb']:.0f} MB; SQLite heap {d['sqlite_mb']:.1f} MB (high-water "
            f"{d['sqlite_hw_mb']:.1f}); asyncio tasks {d['tasks']}; gc objects {d['gc_objects']}; "
            f"rings {100 * d['ring_fill']:.0f} % of {d['ring_depth']} rows; history buffer "
            f"{d.get('history_pending', 0)} samples ({d.get('history_committed', 0)} committed); "
            f"journal buffer {d.get('journal_pending', 0)}; files {files}"
        )
        if "trim" in d:
            lines.append(f"diag   malloc_trim(0): RSS {d['trim'][0]:.0f} -> {d['trim'][1]:.0f} MB")
        if d.get("types_grown"):
            grown = ", ".join(f"{k} +{n}" for k, n in d["types_grown"])
            lines.append(f"diag   gc objects grown since the first snapshot: {grown}")
        for s in d.get("top_now", []):
            lines.append(
                f"diag   largest: {s['kb'] / 1024:.2f} MB ({s['blocks']} blocks) {s['where']}"
            )
        for s in d.get("top_grown", []):
            lines.append(
                f"diag   grown since the first snapshot: {s['kb'] / 1024:+.2f} MB "
                f"({s['blocks']:+d} blocks; now {s['total_kb'] / 1024:.2f} MB) {s['where']}"
            )
    return lines


def _short(filename: str) -> str:
    """parent/name: journal/writer.py and history/writer.py must not look alike."""
    return "/".join(Path(filename).parts[-2:])
