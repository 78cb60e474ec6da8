"""Waiting in async tests for something another thread or process does (a broker, a server)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def until(cond: Callable[[], object], timeout: float = 15.0) -> bool:
    """True as soon as `cond()` is; after `timeout` seconds, what it says then."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        await asyncio.sleep(0.05)
    return bool(cond())
