"""The console process's start-up tuning for a long shift (BENCHMARKS.md "Memory over a shift").

tune_malloc: afterwards a block of a few 100 KiB freed on a thread is given back to the kernel
whole instead of staying behind in the thread's glibc arena. limit_sqlite_heap: SQLite's page
caches stop growing at the limit instead of filling towards each connection's cap.

Each case runs in a fresh interpreter: both settings are process-wide and cannot be undone, and
this test process may already have opened a console session (which sets them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from console.core.process_memory import ASYNCIO_READ_BLOCK, MMAP_THRESHOLD, _glibc

ROOT = Path(__file__).resolve().parents[3]

# What each child script below starts with: glibc's malloc, free and mallinfo2 (argv[1]: the
# repository).
LIBC = r"""
import ctypes, json, sys, threading
sys.path.insert(0, sys.argv[1])

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd",
                                               "usmblks", "fsmblks", "uordblks", "fordblks",
                                               "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = MallInfo2
"""

# A thread frees a 4 MiB block (glibc then raises its dynamic threshold to 4 MiB), then
# allocates and frees blocks of 300 KiB as a batch's temporaries do; reports how many bytes were
# mapped singly while they lived, and how much the thread's arena held from the kernel after.
CHILD = r"""
if sys.argv[2] == "tuned":
    from console.core.process_memory import tune_malloc
    assert tune_malloc()
out = {}

def work():
    libc.free(libc.malloc(4 << 20))
    base = libc.mallinfo2()
    blocks = [libc.malloc(300 << 10) for _ in range(16)]
    out["mapped"] = libc.mallinfo2().hblkhd - base.hblkhd
    for b in blocks:
        libc.free(b)
    out["arena_after"] = libc.mallinfo2().arena - base.arena

t = threading.Thread(target=work)
t.start()
t.join()
print(json.dumps(out))
"""


def _run(mode: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", LIBC + CHILD, str(ROOT), mode],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_tuned_malloc_maps_mid_size_blocks_singly() -> None:
    if _glibc("mallopt") is None:
        pytest.skip("not glibc: no mallopt")
    assert MMAP_THRESHOLD < 300 << 10
    plain, tuned = _run("plain"), _run("tuned")
    # glibc's own behaviour, the reason for the tuning: after the large block, the 300-KiB ones
    # are carved out of the thread's arena (which grows by them and keeps the space).
    assert plain["mapped"] == 0, plain
    assert plain["arena_after"] >= 8 * (300 << 10), plain
    # Tuned: every one of them had its own mapping, and the arena did not grow.
    assert tuned["mapped"] >= 16 * (300 << 10), tuned
    assert tuned["arena_after"] < 300 << 10, tuned


# The event loop's socket read on the main thread: a block of asyncio's read size (plus the
# bytes object's header), held, then freed, 50 times; reports how many of them were mapped
# singly and how often the heap was handed back and grown again between reads.
READ_CHILD = r"""
from console.core.process_memory import ASYNCIO_READ_BLOCK, tune_malloc
assert tune_malloc(int(sys.argv[2]))
mapped = shrunk = 0
for _ in range(50):
    before = libc.mallinfo2()
    block = libc.malloc(ASYNCIO_READ_BLOCK + 64)
    held = libc.mallinfo2()
    mapped += held.hblks > before.hblks
    libc.free(block)
    shrunk += libc.mallinfo2().arena < held.arena
print(json.dumps({"mapped": mapped, "shrunk": shrunk}))
"""


def test_asyncio_read_block_stays_in_the_arena() -> None:
    """Every Modbus reply is one such read: mapped singly, it cost the full-city server ~1,340
    mmap/mremap/munmap a second (BENCHMARKS.md, the server's CPU)."""
    if _glibc("mallopt") is None:
        pytest.skip("not glibc: no mallopt")
    from asyncio.selector_events import _SelectorSocketTransport

    assert _SelectorSocketTransport.max_size == ASYNCIO_READ_BLOCK  # the size the tuning assumes

    def run(threshold: int) -> dict[str, int]:
        done = subprocess.run(
            [sys.executable, "-c", LIBC + READ_CHILD, str(ROOT), str(threshold)],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert run(ASYNCIO_READ_BLOCK)["mapped"] == 50  # the earlier threshold: every read mapped
    tuned = run(MMAP_THRESHOLD)
    assert tuned == {"mapped": 0, "shrunk": 0}, tuned


# A connection with the journal's 32-MiB page cache reads a 24-MiB table twice; reports
# SQLite's heap after (sqlite3_memory_used, through the sqlite3 module's own library).
SQLITE_CHILD = r"""
import ctypes, sqlite3, sys, _sqlite3
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "limited":
    from console.core.process_memory import limit_sqlite_heap
    assert limit_sqlite_heap(8 << 20)
used = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used
used.restype = ctypes.c_int64
conn = sqlite3.connect(sys.argv[3])
conn.execute("PRAGMA cache_size = -32768")
conn.execute("CREATE TABLE t (x BLOB)")
with conn:
    conn.executemany("INSERT INTO t VALUES (randomblob(3000))", ([] for _ in range(8000)))
for _ in range(2):
    conn.execute("SELECT sum(length(x)) FROM t").fetchone()
print(used())
"""


def _sqlite_heap(mode: str, path: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_CHILD, str(ROOT), mode, str(path)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return int(done.stdout.strip().splitlines()[-1])


def test_sqlite_heap_stays_near_its_soft_limit(tmp_path: Path) -> None:
    plain = _sqlite_heap("plain", tmp_path / "plain.sqlite")
    limited = _sqlite_heap("limited", tmp_path / "limited.sqlite")
    assert plain > 20 << 20, plain  # the page cache filled towards its 32-MiB cap
    assert limited < 10 << 20, limited  # recycled at the limit (8 MiB) instead
