"""Communication fault injection for the simulated stations.

Each station has one `StationFaults`; the Modbus server consults it for every request, so the
fast path (no fault set) is one attribute test. Random decisions (drop, jitter, short reply) come
from a per-station generator seeded with (seed, station id): the same request sequence under the
same faults gives the same outcome, whatever other stations do.

Durations are wall-clock seconds (`time.monotonic`); the runner converts a scenario's simulated
durations by its speed. A fault set without a duration lasts until cleared.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

FAULT_KINDS = (
    "latency",
    "drop",
    "offline",
    "heartbeat_freeze",
    "short_reply",
    "bad_reply",
    "answer_as",
)
# `bad_reply` modes: every reply of the station is wrong in one way (the console must fail the
# read, never take it as GOOD):
BAD_REPLY_MODES = {
    "tid": "another transaction id than the request's",
    "tid_zero": "transaction id 0 whatever was asked",
    "unit": "another unit id than the request's",
    "function": "function code 4 answering an FC03 (the same registers)",
    "count": "one register more than asked (byte count consistent)",
    "byte_count": "a byte count that claims more data than the frame carries",
    "echo": "an FC06 echo naming another register than the one written",
}
# `answer_as: <station id>`: the station answers with that other station's registers (a
# miswired gateway, swapped IP addresses, a spoofed endpoint); identity registers included.

# Scenario event types that set or clear these faults (the runner applies them; the rest go to
# the physics). Parameters: drivers/simulator/scenarios.py EVENT_TYPES.
COMM_EVENT_TYPES = frozenset(
    {
        "comm_latency",
        "comm_drop",
        "comm_offline",
        "heartbeat_freeze",
        "short_reply",
        "bad_reply",
        "wrong_device",
        "comm_clear",
    }
)


@dataclass(frozen=True)
class FaultState:
    """A snapshot of one station's faults (for status lines and tests)."""

    latency_ms: float = 0.0
    jitter: float = 0.0
    drop: float = 0.0
    offline: bool = False
    heartbeat_freeze: bool = False
    short_reply: float = 0.0
    bad_reply: str = ""
    answer_as: str = ""

    @property
    def any(self) -> bool:
        return bool(self.latency_ms or self.drop or self.short_reply) or bool(
            self.offline or self.heartbeat_freeze or self.bad_reply or self.answer_as
        )


class StationFaults:
    """The faults of one station, asked by the server once per request."""

    def __init__(self, station_id: str, seed: int, clock: Callable[[], float] = time.monotonic):
        self.station_id = station_id
        self._clock = clock
        self._rng = random.Random(f"{seed}:{station_id}")  # str seeds are stable across runs
        self.latency_ms = 0.0
        self.jitter = 0.0
        self.drop = 0.0
        self.offline = False
        self.heartbeat_freeze = False
        self.short_reply = 0.0
        self.bad_reply = ""  # a BAD_REPLY_MODES key, "" = none
        self.answer_as = ""  # another station's id, "" = itself
        self._until: dict[str, float] = {}  # kind -> monotonic deadline
        self.active = False  # any fault set: the only thing the server's fast path reads

    # --- setting -------------------------------------------------------------------------
    def set(
        self,
        *,
        latency_ms: float | None = None,
        jitter: float | None = None,
        drop: float | None = None,
        offline: bool | None = None,
        heartbeat_freeze: bool | None = None,
        short_reply: float | None = None,
        bad_reply: str | None = None,
        answer_as: str | None = None,
        duration_s: float | None = None,
    ) -> None:
        kinds = []
        if bad_reply is not None:
            if bad_reply and bad_reply not in BAD_REPLY_MODES:
                known = ", ".join(BAD_REPLY_MODES)
                raise ValueError(f"bad_reply={bad_reply!r} is not one of {known}")
            self.bad_reply = bad_reply
            kinds.append("bad_reply")
        if answer_as is not None:
            if answer_as == self.station_id:
                answer_as = ""
            self.answer_as = answer_as
            kinds.append("answer_as")
        if latency_ms is not None or jitter is not None:
            if latency_ms is not None:
                self.latency_ms = _check(latency_ms, "latency_ms", 0.0, 600_000.0)
            if jitter is not None:
                self.jitter = _check(jitter, "jitter", 0.0, 1.0)
            kinds.append("latency")
        if drop is not None:
            self.drop = _check(drop, "drop", 0.0, 1.0)
            kinds.append("drop")
        if offline is not None:
            self.offline = bool(offline)
            kinds.append("offline")
        if heartbeat_freeze is not None:
            self.heartbeat_freeze = bool(heartbeat_freeze)
            kinds.append("heartbeat_freeze")
        if short_reply is not None:
            self.short_reply = _check(short_reply, "short_reply", 0.0, 1.0)
            kinds.append("short_reply")
        for k in kinds:
            if duration_s is None:
                self._until.pop(k, None)
            else:
                self._until[k] = self._clock() + _check(duration_s, "duration_s", 0.0, math.inf)
        self._update_active()

    def clear(self, *kinds: str) -> None:
        """Clear the named fault kinds (all without arguments)."""
        for k in kinds or FAULT_KINDS:
            if k not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind {k!r} (known: {', '.join(FAULT_KINDS)})")
            if k == "latency":
                self.latency_ms = self.jitter = 0.0
            elif k == "drop":
                self.drop = 0.0
            elif k == "offline":
                self.offline = False
            elif k == "heartbeat_freeze":
                self.heartbeat_freeze = False
            elif k == "bad_reply":
                self.bad_reply = ""
            elif k == "answer_as":
                self.answer_as = ""
            else:
                self.short_reply = 0.0
            self._until.pop(k, None)
        self._update_active()

    def refresh(self) -> None:
        """Expire faults whose duration has passed."""
        if self._until:
            now = self._clock()
            due = [k for k, t in self._until.items() if now >= t]
            if due:
                self.clear(*due)

    def state(self) -> FaultState:
        self.refresh()
        return FaultState(
            self.latency_ms,
            self.jitter,
            self.drop,
            self.offline,
            self.heartbeat_freeze,
            self.short_reply,
            self.bad_reply,
            self.answer_as,
        )

    def _update_active(self) -> None:
        self.active = bool(self.latency_ms or self.drop or self.short_reply) or bool(
            self.offline or self.heartbeat_freeze or self.bad_reply or self.answer_as
        )

    # --- per-request decisions (draws happen in a fixed order: drop, jitter, short) -------
    def reply_delay(self) -> float | None:
        """Seconds to hold the reply, or None to swallow the request (offline or dropped)."""
        self.refresh()
        if self.offline:
            return None
        if self.drop and self._rng.random() < self.drop:
            return None
        if not self.latency_ms:
            return 0.0
        f = 1.0 + self.jitter * (2.0 * self._rng.random() - 1.0) if self.jitter else 1.0
        return self.latency_ms * f / 1000.0

    def short_count(self, count: int) -> int:
        """How many of `count` registers to answer (fewer than asked when the fault fires)."""
        if self.short_reply and self._rng.random() < self.short_reply:
            return self._rng.randrange(1, count) if count > 1 else 0
        return count


def _check(v: float, name: str, lo: float, hi: float) -> float:
    v = float(v)
    if not lo <= v <= hi:
        raise ValueError(f"{name}={v} is outside {lo}..{hi}")
    return v


class FaultInjector:
    """All stations' faults, addressed by station id: `faults.set("jx-001", latency_ms=20)`."""

    def __init__(
        self, station_ids: Iterable[str], seed: int = 0, clock: Callable[[], float] = time.monotonic
    ):
        self._by_id = {sid: StationFaults(sid, seed, clock) for sid in station_ids}

    def __getitem__(self, station_id: str) -> StationFaults:
        try:
            return self._by_id[station_id]
        except KeyError:
            raise KeyError(f"no station {station_id!r} in the simulator") from None

    def __iter__(self):
        return iter(self._by_id.values())

    def set(self, station_id: str, **kw: float | bool | str | None) -> None:
        """See StationFaults.set: latency_ms, jitter, drop, offline, heartbeat_freeze,
        short_reply, bad_reply (a BAD_REPLY_MODES key), answer_as (a station id),
        duration_s."""
        other = kw.get("answer_as")
        if other:
            self[str(other)]  # an unknown station is refused here, with its name
        self[station_id].set(**kw)  # type: ignore[arg-type]

    def clear(self, station_id: str | None = None, *kinds: str) -> None:
        """Clear faults of one station (all stations with None); all kinds unless named."""
        targets = self._by_id.values() if station_id is None else [self[station_id]]
        for f in targets:
            f.clear(*kinds)

    def get(self, station_id: str) -> FaultState:
        return self[station_id].state()

    def refresh(self) -> None:
        for f in self._by_id.values():
            if f.active:
                f.refresh()

    def active(self) -> dict[str, FaultState]:
        """Stations with any fault set."""
        self.refresh()
        return {sid: f.state() for sid, f in self._by_id.items() if f.active}
