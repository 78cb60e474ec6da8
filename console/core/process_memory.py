"""The process's memory over a long run: glibc's mmap threshold, SQLite's soft heap limit and a
thread that hands glibc's free pages back to the kernel. No Qt: the console window and the
headless acquisition server both call these before their service starts (BENCHMARKS.md,
"Memory over a shift")."""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time
from typing import Any

# How often the console hands glibc's free heap pages back to the kernel (MallocTrimmer).
TRIM_INTERVAL_S = 60.0

# asyncio reads a socket into a new bytes block of this size, then shrinks it to what came
# (asyncio.selector_events._SelectorSocketTransport.max_size): once per Modbus reply.
ASYNCIO_READ_BLOCK = 256 * 1024
# Blocks of at least this size get a mapping of their own, unmapped when freed (tune_malloc).
# Above asyncio's read block and its headers: at 256 KiB every socket read of the event loop
# mapped, remapped and unmapped 256 KiB (~1,340 times a second in the full-city server).
MMAP_THRESHOLD = 288 * 1024
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt(3) parameter numbers, <malloc.h>


# SQLite's heap in the console process (every connection's page cache, statements): past it SQLite
# recycles cache pages instead of allocating more (limit_sqlite_heap).
SQLITE_SOFT_HEAP_LIMIT = 40 * 2**20


def _glibc(name: str) -> Any:
    """A glibc malloc function, or None (another C library: nothing to do)."""
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return getattr(lib, name)
    except (OSError, AttributeError):
        return None


def _glibc_trim() -> Any:
    fn = _glibc("malloc_trim")
    if fn is not None:
        fn.argtypes, fn.restype = [ctypes.c_size_t], ctypes.c_int
    return fn


def tune_malloc(mmap_threshold: int = MMAP_THRESHOLD) -> bool:
    """Fix glibc's mmap threshold for the console process; False when not glibc.

    glibc raises its threshold every time a mapped block is freed (up to 32 MiB): after the
    first large snapshot list or numpy temporary is freed, every block below that size is carved
    out of an arena instead. Such blocks of a few 100 KiB come and go with every batch and land
    between longer-lived ones, so the service thread's arena only grows, mostly free space
    (BENCHMARKS.md, "Memory over a shift"). A fixed threshold also turns the adjustment off:
    blocks from 288 KiB up are mapped singly and given back whole on free. The trim threshold
    goes with it (twice it), as glibc's adjustment would have set it. Call it before the
    service and window start (it is process-wide; blocks already in the arenas stay there).
    """
    fn = _glibc("mallopt")
    if fn is None:
        return False
    fn.argtypes, fn.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # A heap's free top goes back to the kernel past the trim threshold: at its default 128 KiB
    # each read block would grow the heap and shrink it again (two system calls per read).
    return bool(fn(_M_MMAP_THRESHOLD, mmap_threshold)) and bool(
        fn(_M_TRIM_THRESHOLD, 2 * mmap_threshold)
    )


def limit_sqlite_heap(limit: int = SQLITE_SOFT_HEAP_LIMIT) -> bool:
    """Set SQLite's soft heap limit for the process; False when the call is not to be had.

    The journal's and the history's connections each keep up to 32 MiB of page cache
    (PRAGMA cache_size) and fill it as their files grow over a shift: SQLite's heap grew 0.23
    MiB/min for as long as the window ran (46 -> 55 MiB in 45 minutes, bench_gui --hold-minutes),
    towards several caps. Under a soft limit SQLite reuses its least recently used cache pages
    instead (the operating system's file cache still holds them); it fails no allocation. It is
    looked up through the sqlite3 module's own library, so it reaches the SQLite that module
    uses, linked in or shared.
    """
    try:
        import _sqlite3

        fn = ctypes.CDLL(_sqlite3.__file__).sqlite3_soft_heap_limit64
    except (ImportError, OSError, AttributeError):
        return False
    fn.argtypes, fn.restype = [ctypes.c_int64], ctypes.c_int64
    fn(limit)
    return True


class MallocTrimmer:
    """Returns the free pages inside glibc's heaps to the kernel every `interval` seconds.

    The service thread's snapshot builds and alarm batches churn blocks that glibc's dynamic
    mmap threshold keeps inside its arenas; the freed space stays resident and, the heap being
    fragmented, keeps growing: on a cold night the service thread's arena went 74 -> 191 MiB in
    30 minutes, 124-167 MiB of it free (bench_gui --hold-minutes, BENCHMARKS.md). malloc_trim(0)
    releases every whole free page of every arena (madvise), leaving the address space to be
    reused: the window's RSS measured 50-115 MiB lower at the same minute. It does not stop the
    arena from spreading (the churn's own fix is still to come). It runs on its own daemon
    thread: ctypes releases the GIL for the call, so neither the GUI nor the service thread waits
    on it beyond glibc's per-arena lock (28 calls took 2.6 s in all under load).
    (A fixed 64 KiB mmap threshold also flattened the curve but cost ~4 % of a core.)
    """

    def __init__(self, interval: float = TRIM_INTERVAL_S) -> None:
        self.interval = interval
        self.runs = 0
        self.seconds = 0.0  # spent inside malloc_trim, total
        self.longest = 0.0  # the longest single call, seconds
        self._trim = _glibc_trim()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return self._trim is not None

    def trim(self) -> None:
        if self._trim is None:
            return
        t0 = time.perf_counter()
        self._trim(0)
        dt = time.perf_counter() - t0
        self.seconds += dt
        self.longest = max(self.longest, dt)
        self.runs += 1

    def start(self) -> None:
        if self._trim is None or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="malloc-trim", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.trim()
