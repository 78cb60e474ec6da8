"""`until`: wait, bounded, for a condition other parts make true (a broker's message, a server's
batch) while the test's own event loop keeps running."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def until(cond: Callable[[], object], timeout: float = 15.0) -> bool:
    """True as soon as `cond()` holds; its last answer once `timeout` seconds have passed."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        await asyncio.sleep(0.05)
    return bool(cond())
