"""The one record type the journal stores: alarm transitions, comm changes, operator actions.

A single flat shape keeps the journal one table that every filter (time, station, district,
priority, state, kind, text) can index, and makes merging journals from several laptops a
matter of unique ids.

A window and a thin console keep thousands of them through a long shift (issue 12): an event
has slots, not a `__dict__`, and the few strings that recur in thousands of events (station
ids, districts, points, alarm keys, users, actions, console ids) are one shared copy each
(`sys.intern`), not one per event read back from a journal file or a server's message
(bench/bench_event_memory.py).
"""

from __future__ import annotations

import copy
import gc
import os
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

import numpy as np

# The words live on the vocabulary floor (console/vocabulary); re-exported for old importers.
from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.journal import Kind
from console.vocabulary.records import maker

_SEQ_LOCK = threading.Lock()
_seq_next = 0
_BULK_IDS = 64  # from this many ids on, the vectorised form is cheaper


def _reserve_seq(n: int) -> int:
    """First of `n` consecutive sequence numbers (events are made on several threads)."""
    global _seq_next
    with _SEQ_LOCK:
        first = _seq_next
        _seq_next += n
    return first


def new_event_ids(times: Sequence[float]) -> list[str]:
    """Time-ordered unique ids: 48-bit ms timestamp, 24-bit sequence, 56 random bits (hex).

    Sorting ids sorts by time, and events of the same millisecond from one console keep the
    order they were made in (the sequence); ids from different laptops never collide (the
    random part), so merged journals de-duplicate on the id alone. Bulk form: 20,000 room
    alarms can fire in one scan, so one urandom call and one hex conversion serve them all.
    """
    n = len(times)
    seq0 = _reserve_seq(n)
    rnd = os.urandom(7 * n)
    if n < _BULK_IDS:
        h = rnd.hex()
        return [
            f"{int(t * 1000) & 0xFFFF_FFFF_FFFF:012x}{(seq0 + i) & 0xFFFFFF:06x}"
            f"{h[14 * i : 14 * i + 14]}"
            for i, t in enumerate(times)
        ]
    # 16 bytes per id (6 ms, 3 sequence, 7 random), hexed at once and cut into 32-char ids.
    ms = (np.asarray(times, dtype=np.float64) * 1000).astype(np.int64) & 0xFFFF_FFFF_FFFF
    seq = (np.arange(seq0, seq0 + n, dtype=np.int64) & 0xFFFFFF).astype(">u4")
    buf = np.empty((n, 16), dtype=np.uint8)
    buf[:, :6] = ms.astype(">u8").view(np.uint8).reshape(n, 8)[:, 2:]
    buf[:, 6:9] = seq.view(np.uint8).reshape(n, 4)[:, 1:]
    buf[:, 9:] = np.frombuffer(rnd, dtype=np.uint8).reshape(n, 7)
    h = buf.tobytes().hex()
    return [h[k : k + 32] for k in range(0, 32 * n, 32)]


def new_event_id(t: float | None = None) -> str:
    return new_event_ids([time.time() if t is None else t])[0]


CONSOLE_ID = os.environ.get("HEATCONSOLE_ID") or os.uname().nodename


# The fields whose values recur across events (a few hundred station ids, a handful of actions).
SHARED_FIELDS = ("station", "district", "point", "alarm", "user", "action", "console")


@dataclass(frozen=True, slots=True)
class JournalEvent:
    kind: Kind
    message: str
    time: float = field(default_factory=time.time)
    id: str = ""
    station: str | None = None
    district: str | None = None
    point: str | None = None  # point name, e.g. "room_temp[17]" or "t3_secondary_supply"
    alarm: str | None = None  # alarm key, e.g. "jx-001/room_temp[17]/room_low"
    priority: Priority | None = None
    state: AlarmState | None = None  # the alarm's state after this transition
    value: float | None = None
    limit: float | None = None
    user: str | None = None
    action: str | None = None  # operator action: ack, shelve, unshelve, silence, write, …
    comment: str | None = None
    console: str = CONSOLE_ID
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        intern = sys.intern
        for get, put in _SHARED_SLOTS:  # the slots' own descriptors: no name look-ups
            value = get(self)
            if type(value) is str:  # (sys.intern takes no str subclass)
                put(self, intern(value))
        if not self.id:
            object.__setattr__(self, "id", new_event_id(self.time))

    @classmethod
    def bulk(cls, rows: Iterable[tuple[Any, ...]]) -> list[JournalEvent]:
        """Events from tuples of every field in FIELDS order, ids included (new_event_ids).

        The hot path for thousands of alarm transitions in one scan (issue 5: 20,000 rooms
        below 18 °C at once). Two costs of the generic path are avoided: the frozen dataclass
        __init__ with its keyword defaults (here: records.maker's positional constructor, one
        slot store per field), and the ~60,000 new container objects would trigger about a
        hundred young and one full cyclic-GC collection (~40 ms measured), so the collector is
        paused while building — these records hold no reference cycles. The caller vouches for
        the values (no defaults, no __post_init__: the alarm engine's station ids, points and
        console id are already one object each; only its alarm keys are new strings, shared
        here); pass a generator so each row tuple dies at once. A row of another length is a
        TypeError.
        """
        make, put_alarm, intern, out = _make, _PUT_ALARM, sys.intern, []
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            for r in rows:
                e = make(*r)
                alarm = e.alarm
                if type(alarm) is str:
                    put_alarm(e, intern(alarm))
                out.append(e)
        finally:
            if paused:
                gc.enable()
        return out

    def to_row(self) -> dict[str, Any]:
        # FIELDS order; asdict would deep-copy by recursion.
        row = dict(zip(FIELDS, _values(self), strict=True))
        for k in ("kind", "priority", "state"):
            row[k] = None if row[k] is None else str(row[k])
        row["details"] = copy.deepcopy(self.details) if self.details else {}
        return row


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(JournalEvent))
_values = attrgetter(*FIELDS)
_make = maker(JournalEvent, *FIELDS, skip_post_init=True)
_SHARED_SLOTS = tuple(
    (slot.__get__, slot.__set__) for slot in (vars(JournalEvent)[n] for n in SHARED_FIELDS)
)
_PUT_ALARM = vars(JournalEvent)["alarm"].__set__  # the slot's own store
