"""Numpy buffers reused from batch to batch, so a hot path allocates nothing of batch size.

    work = BatchBuffers()
    x = work.take("x", n, np.float64)      # a view of n elements; valid until the next take("x")
    np.take(values, index, out=x, mode="clip")

The service thread evaluates a batch every quarter second. Arrays of a few 100 KiB made afresh
each time (and some kept for a while) landed between longer-lived blocks in its glibc arena,
which over a shift grew mostly as free space (BENCHMARKS.md, "Memory over a shift"). One
buffer per name, grown geometrically, keeps those blocks in place; one left far larger than
the recent batches (the start-up's all-stations batch) is cut back now and then.
"""

from __future__ import annotations

from typing import Any

import numpy as np

GROWTH = 1.5  # a buffer that is too small grows to this many times what is asked
# A buffer more than SHRINK times the largest view taken of it over its last SHRINK_AFTER takes
# is cut back (once per SHRINK_AFTER takes at most): a console's first batches can hold every
# station (~60 MiB of buffers for the city) where later ones hold ~40 of them.
SHRINK = 4
SHRINK_AFTER = 1000


class BatchBuffers:
    """Named 1-D numpy buffers; `take` hands out a view of the first n elements."""

    def __init__(self, shrink_after: int = SHRINK_AFTER) -> None:
        self.shrink_after = shrink_after
        self._bufs: dict[str, np.ndarray] = {}
        self._seen: dict[str, tuple[int, int]] = {}  # name -> (takes, largest n) since a check
        self.grown = 0  # buffers (re)allocated so far: flat once the batches are warmed up

    def take(self, name: str, n: int, dtype: Any) -> np.ndarray:
        """n elements of the buffer `name` (its dtype fixed by the first call; contents
        undefined). The previous view of `name` is overwritten by whoever fills this one."""
        buf = self._bufs.get(name)
        if buf is not None and buf.dtype != np.dtype(dtype):
            raise TypeError(f"batch buffer {name!r} holds {buf.dtype}, asked for {dtype}")
        takes, high = self._seen.get(name, (0, 0))
        takes, high = takes + 1, max(high, n)
        if takes >= self.shrink_after:
            if buf is not None and len(buf) > SHRINK * high:
                buf = self._bufs[name] = np.empty(int(high * GROWTH), dtype=dtype)
                self.grown += 1
            takes, high = 0, 0
        self._seen[name] = (takes, high)
        if buf is None or len(buf) < n:
            size = n if buf is None else max(n, int(len(buf) * GROWTH))
            buf = self._bufs[name] = np.empty(size, dtype=dtype)
            self.grown += 1
        return buf[:n]

    @property
    def nbytes(self) -> int:
        return sum(b.nbytes for b in self._bufs.values())
