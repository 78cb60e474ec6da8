"""Numpy buffers reused from batch to batch, so a hot path allocates nothing of batch size.

    work = BatchBuffers()
    x = work.take("x", n, np.float64)      # a view of n elements; valid until the next take("x")
    np.take(values, index, out=x, mode="clip")

The service thread evaluates a batch every quarter second. Arrays of a few 100 KiB made afresh
each time (and some kept for a while) landed between longer-lived blocks in its glibc arena,
which over a shift grew mostly as free space (BENCHMARKS.md, "Memory over a shift"). One
buffer per name, grown geometrically and never shrunk, keeps those blocks in place: the memory
is bounded by the largest batch seen.
"""

from __future__ import annotations

from typing import Any

import numpy as np

GROWTH = 1.5  # a buffer that is too small grows to this many times what is asked


class BatchBuffers:
    """Named, grow-only 1-D numpy buffers; `take` hands out a view of the first n elements."""

    def __init__(self) -> None:
        self._bufs: dict[str, np.ndarray] = {}
        self.grown = 0  # buffers (re)allocated so far: flat once the batches are warmed up

    def take(self, name: str, n: int, dtype: Any) -> np.ndarray:
        """n elements of the buffer `name` (its dtype fixed by the first call; contents
        undefined). The previous view of `name` is overwritten by whoever fills this one."""
        buf = self._bufs.get(name)
        if buf is None or len(buf) < n:
            size = n if buf is None else max(n, int(len(buf) * GROWTH))
            buf = self._bufs[name] = np.empty(size, dtype=dtype)
            self.grown += 1
        elif buf.dtype != np.dtype(dtype):
            raise TypeError(f"batch buffer {name!r} holds {buf.dtype}, asked for {dtype}")
        return buf[:n]

    @property
    def nbytes(self) -> int:
        return sum(b.nbytes for b in self._bufs.values())
