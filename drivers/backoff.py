"""Reconnect delays: capped exponential backoff with full jitter.

pymodbus' own reconnect doubles a fixed delay without jitter, so a thousand substations that drop
together (a switch reboots) reconnect in lockstep and hammer the network every 2^n seconds. With
full jitter ("AWS style") each attempt waits uniform(0, min(cap, base * 2**attempt)), which spreads
the herd evenly over the window while keeping the same expected growth.
"""

from __future__ import annotations

import random


class Backoff:
    """Delay before the next connect attempt; `reset()` after a successful connect."""

    def __init__(
        self,
        base: float = 0.5,
        cap: float = 30.0,
        *,
        floor: float = 0.0,
        rng: random.Random | None = None,
    ):
        if base <= 0 or cap < base or not 0 <= floor <= base:
            raise ValueError("need 0 <= floor <= base <= cap and base > 0")
        self.base = base
        self.cap = cap
        # A small floor keeps a pathological rng (0.0 forever) from spinning on a dead host.
        self.floor = floor
        self.rng = rng or random.Random()
        self.attempt = 0
        self.current = 0.0  # the last delay handed out (for statistics)

    def ceiling(self, attempt: int | None = None) -> float:
        """Upper bound of the delay for the given (default: next) attempt."""
        n = self.attempt if attempt is None else attempt
        # min() before the power would overflow for huge n; 2**60 is far past any cap.
        return min(self.cap, self.base * (2.0 ** min(n, 60)))

    def next_delay(self) -> float:
        """The delay to wait after one more failed attempt."""
        hi = self.ceiling()
        self.attempt += 1
        self.current = max(self.floor, self.rng.uniform(0.0, hi))
        return self.current

    def reset(self) -> None:
        self.attempt = 0
        self.current = 0.0
