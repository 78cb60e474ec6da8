"""Check journal rows that come from elsewhere (an imported bundle) before any is stored.

A signature says who exported a bundle, not that its rows are sane: a laptop's journal can be
edited with sqlite3 before export. Every row must look like one this console could have
written: the right SQLite types, required fields present, known kinds, priorities and states,
sizes a real record has (a note is not 6 MB), a time between 2000 and tomorrow, details a
JSON object. Reports, the journal viewer and `heatconsole log` may then rely on that.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterable, Sequence
from typing import Any

from console.core.events import AlarmState, Kind, Priority
from console.core.journal.store import COLUMNS

TEXT_MAX = 4 * 1024  # message, comment (UTF-8 bytes)
DETAILS_MAX = 64 * 1024  # the details JSON
NAME_MAX = 256  # station, district, point, user, action, console
ALARM_MAX = 512  # an alarm key is station/point/rule
EARLIEST = 946_684_800.0  # 2000-01-01 UTC: no heatconsole record is older
FUTURE_SLACK_S = 86_400.0  # a laptop clock a day ahead is wrong but plausible

_ID = re.compile(r"[0-9a-f]{32}")
_LIMITS = {
    "message": TEXT_MAX, "comment": TEXT_MAX, "details": DETAILS_MAX, "alarm": ALARM_MAX,
    **dict.fromkeys(("station", "district", "point", "user", "action", "console"), NAME_MAX),
}  # fmt: skip
_ENUMS: dict[str, frozenset[str]] = {
    "kind": frozenset(Kind),
    "priority": frozenset(Priority),
    "state": frozenset(AlarmState),
}
_REQUIRED = ("id", "time", "kind", "message")
_NUMBERS = ("time", "value", "limit")


def _type_name(v: Any) -> str:
    return {bytes: "binary data", str: "text", int: "a number", float: "a number"}.get(
        type(v), type(v).__name__
    )


def check_field(column: str, v: Any, now: float) -> str | None:
    """Why `v` is not acceptable in `column`, or None."""
    if v is None:
        return "missing (required)" if column in _REQUIRED else None
    if column in _NUMBERS:
        if isinstance(v, bool) or not isinstance(v, int | float):
            return f"must be a number, is {_type_name(v)}"
        if not math.isfinite(v):
            return "must be a finite number"
        if column == "time" and not EARLIEST <= v <= now + FUTURE_SLACK_S:
            return f"time {v!r} is not between 2000-01-01 and tomorrow"
        return None
    if not isinstance(v, str):
        return f"must be text, is {_type_name(v)}"
    if column == "id":
        return None if _ID.fullmatch(v) else "must be 32 lowercase hex digits"
    if column in _ENUMS and v not in _ENUMS[column]:
        return f"unknown {column} (one of {', '.join(sorted(_ENUMS[column]))})"
    size = len(v.encode("utf-8", "surrogatepass"))
    if column in _LIMITS and size > _LIMITS[column]:
        return f"{size:,} bytes, more than the {_LIMITS[column]:,} allowed"
    if column == "message" and not v.strip():
        return "empty (required)"
    if column == "details":
        try:
            d = json.loads(v)
        except ValueError:
            return "not JSON"
        if not isinstance(d, dict):
            return "must be a JSON object"
    return None


def row_problems(
    rows: Iterable[Sequence[Any]], *, now: float | None = None, limit: int = 20
) -> tuple[list[str], int]:
    """(up to `limit` problems as `row N (id …): field: reason`, how many there were in all).

    `rows` hold the values of store.COLUMNS in that order; N counts from 1 in the given order.
    """
    now = time.time() if now is None else now
    found: list[str] = []
    total = 0
    for n, row in enumerate(rows, 1):
        rid = row[0] if isinstance(row[0], str) and _ID.fullmatch(row[0]) else None
        where = f"row {n}" + (f" (id {rid})" if rid else "")
        for column, v in zip(COLUMNS, row, strict=True):
            reason = check_field(column, v, now)
            if reason is not None:
                total += 1
                if len(found) < limit:
                    found.append(f"{where}: {column}: {reason}")
    return found, total
