"""glibc malloc settings for a console process that runs for a whole shift (issue 5).

Measured with bench/bench_memory_startup.py --mallinfo (757 stations, 5-s polling): the service
churns numpy blocks of 64 KiB - 1 MiB all the time (a batch's padded value vector and its
gathers, the alarm engine's batch plans, the history writer's per-scan arrays). glibc maps
blocks above its mmap threshold singly and unmaps them on free, but that threshold is dynamic:
the first such block freed raises it to that block's size (up to 32 MiB), after which the churn
lands in the arenas, and the holes it leaves between longer-lived blocks are not given back.
"Free in arenas" then grew 23 -> 42 MB in 20 minutes of polling (RSS +26 MB, live allocations
+5 MB, all of it SQLite's page cache). With the threshold fixed at 64 KiB, free-in-arenas stayed
at 4-5 MB and RSS grew only by the page cache (+8 MB), which `cache_size` caps per connection.

A fixed threshold also switches off the dynamic adjustment of the trim threshold; that is
intended: the heap top is returned as before (128 KiB default).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # <malloc.h>
MMAP_THRESHOLD_BYTES = 64 * 1024

_applied: bool | None = None


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Fix glibc's mmap threshold for this process (once); False where it does not apply.

    Not on other C libraries, and not when the operator tuned malloc through the environment
    (MALLOC_MMAP_THRESHOLD_ or GLIBC_TUNABLES mentioning it): theirs wins.
    """
    global _applied
    if _applied is not None:
        return _applied
    _applied = False
    if not sys.platform.startswith("linux"):
        return False
    if "MALLOC_MMAP_THRESHOLD_" in os.environ or "mmap_threshold" in os.environ.get(
        "GLIBC_TUNABLES", ""
    ):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt  # glibc only (musl has none)
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    _applied = bool(mallopt(M_MMAP_THRESHOLD, threshold))
    if not _applied:
        log.warning("mallopt(M_MMAP_THRESHOLD, %d) refused", threshold)
    return _applied
