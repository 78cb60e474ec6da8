"""The `heatconsole poll` station table: scans -> rows -> text lines (no I/O, no Qt).

Rows are computed from whole arrays (room temperatures are one slice of the scan), and widths
are measured in terminal cells, so Chinese station names line up.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.text_safety import terminal_safe
from drivers.points import PointTable
from drivers.samples import CommState, Quality, StationScan
from station_config.alarm_rules import RULE_DEFAULTS
from station_config.schema import StationDef

if TYPE_CHECKING:
    from console.core.alarms.engine import AlarmEngine

# Until the alarm engine says otherwise (apply_room_limits): the rule's built-in limit.
ROOM_LOW_C = RULE_DEFAULTS["room_low"].limit

_GOOD = int(Quality.GOOD)
_BAD_FOR_VALUE = (Quality.COMM_FAIL, Quality.NO_DATA, Quality.WRONG_DEVICE)
_COMM_LABEL = {CommState.OK: "OK", CommState.FAILED: "FAILED", CommState.WRONG_DEVICE: "WRONG"}


@dataclass(frozen=True)
class Row:
    station_id: str
    name: str
    status: str  # GOOD / STALE / FAILED / WAIT (the summary's categories)
    quality: str  # "comm/worst quality"
    outdoor: str
    t1: str
    t3: str  # "T3/setpoint"
    rooms: str  # "min/mean"
    cold: str  # rooms below the station's room_low limit (as the alarm engine applies it)
    alarms: str
    error: str


HEADER = Row(
    "station",
    "name",
    "",
    "comm/quality",
    "outdoor",
    "T1",
    "T3/set",
    "room min/mean",
    "cold",
    "alarms",
    "last error",
)


def apply_room_limits(builders: dict[str, RowBuilder], engine: AlarmEngine) -> None:
    """Give each station's row the room_low limit the alarm engine applies there (its limit
    register once read, else the configured one), so the table never disagrees with alarms."""
    lows = engine.room_limits()[0]
    for st, lo in zip(engine.net.stations, lows.tolist(), strict=True):
        b = builders.get(st.id)
        if b is not None:
            b.room_low = None if math.isnan(lo) else lo


def station_status(scan: StationScan | None) -> str:
    if scan is None:
        return "WAIT"
    if scan.comm in (CommState.FAILED, CommState.WRONG_DEVICE):
        return "FAILED"
    if scan.heartbeat_frozen or (scan.quality == int(Quality.STALE)).any():
        return "STALE"
    return "GOOD"


class RowBuilder:
    """Index lookups for one station, done once; `row(scan)` is then a few array reads."""

    def __init__(self, station: StationDef, table: PointTable):
        self.station = station
        self.table = table
        ix = table.index
        self.outdoor = ix.get("outdoor_temp")
        self.t1 = ix.get("t1_primary_supply")
        self.t3 = ix.get("t3_secondary_supply")
        self.t3_set = ix.get("t3_setpoint_active")
        self.room_min = ix.get("room_temp_min")
        self.room_mean = ix.get("room_temp_mean")
        self.alarm_bits = ix.get("alarm_bits")
        names = table.defs[self.alarm_bits].bits if self.alarm_bits is not None else None
        self.alarm_names: dict[int, str] = names or {}
        self.rooms = table.indices("room_temp")
        self.room_low: float | None = ROOM_LOW_C  # None: the rule is off, no room counts cold

    def _val(self, scan: StationScan, i: int | None, fmt: str = "{:.1f}") -> str:
        if i is None:
            return ""
        q = Quality(int(scan.quality[i]))
        v = float(scan.values[i])
        if q == Quality.SENSOR_FAULT:
            return "fault"
        if math.isnan(v):
            return "—"
        text = fmt.format(v)
        # A value that is not fresh is shown, but never as if it were.
        return text + ("?" if q != Quality.GOOD else "")

    def row(self, scan: StationScan | None, last_error: str = "") -> Row:
        """`last_error`: shown when this scan itself had none (e.g. an earlier timeout)."""
        st = self.station
        if scan is None:
            return Row(st.id, st.name, "WAIT", "—", "", "", "", "", "", "", "")
        comm = _COMM_LABEL.get(scan.comm, "?")
        quality = f"{comm}/{scan.worst_quality.name}"
        t3 = self._val(scan, self.t3)
        if self.t3_set is not None:
            t3 = f"{t3}/{self._val(scan, self.t3_set)}"
        rooms, cold = self._rooms(scan)
        return Row(
            st.id,
            st.name,
            station_status(scan),
            quality,
            self._val(scan, self.outdoor),
            self._val(scan, self.t1),
            t3,
            rooms,
            cold,
            self._alarms(scan),
            scan.error or last_error,
        )

    def _rooms(self, scan: StationScan) -> tuple[str, str]:
        if len(self.rooms):
            q = scan.quality[self.rooms]
            v = scan.values[self.rooms]
            good = q == _GOOD
            if not good.any():
                return "—", "—"
            gv = v[good]
            text = f"{gv.min():.1f}/{gv.mean():.1f}"
            if not good.all():
                text += f" ({int(good.sum())}/{len(good)})"
            if self.room_low is None:
                return text, ""
            return text, str(int((gv < self.room_low).sum()))
        # No room sensors configured: the controller's own min/mean, if any.
        lo, mean = self._val(scan, self.room_min), self._val(scan, self.room_mean)
        if not lo and not mean:
            return "", ""
        cold = ""
        if (
            self.room_min is not None
            and self.room_low is not None
            and scan.quality[self.room_min] == _GOOD
        ):
            cold = "≥1" if scan.values[self.room_min] < self.room_low else "0"
        return f"{lo}/{mean}", cold

    def _alarms(self, scan: StationScan) -> str:
        i = self.alarm_bits
        if i is None or Quality(int(scan.quality[i])) in _BAD_FOR_VALUE:
            return "?" if i is not None else ""
        v = scan.values[i]
        if math.isnan(v):
            return "?"
        bits = int(v)
        if bits == 0:
            return "-"
        names = [self.alarm_names.get(b, f"b{b}") for b in range(16) if bits >> b & 1]
        return ", ".join(names)


def cell_width(text: str) -> int:
    """Terminal cells a string occupies (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """Pad or cut `text` to exactly `width` terminal cells."""
    out, w = [], 0
    for c in text:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if w + cw > width:
            if out and width > 0:
                # Leave room for the ellipsis.
                while out and w + 1 > width:
                    w -= cell_width(out.pop())
                out.append("…")
                w += 1
            break
        out.append(c)
        w += cw
    return "".join(out) + " " * (width - w)


_FIELDS = (
    "station_id",
    "name",
    "quality",
    "outdoor",
    "t1",
    "t3",
    "rooms",
    "cold",
    "alarms",
    "error",
)
_MAX = {"name": 16, "alarms": 28, "error": 48}


def render(
    rows: list[Row], summary: str, width: int | None = None, header: Row = HEADER
) -> list[str]:
    """Table lines (header, rows, summary), each at most `width` cells when given; `header`:
    the column titles in the caller's language (the CLI's, console/cli_i18n.py).

    Names come from the config and error texts from devices: both are made terminal-safe here,
    where every cell passes on its way to the screen (console/text_safety.py).
    """
    cells = [
        [terminal_safe(getattr(r, f), one_line=True) for f in _FIELDS] for r in [header, *rows]
    ]
    widths = []
    for k, f in enumerate(_FIELDS):
        w = max(cell_width(c[k]) for c in cells)
        widths.append(min(w, _MAX.get(f, w)))
    lines = []
    for c in cells:
        line = "  ".join(fit(c[k], widths[k]) for k in range(len(_FIELDS))).rstrip()
        if width is not None and cell_width(line) > width:
            line = fit(line, width).rstrip()
        lines.append(line)
    lines.append(terminal_safe(summary, one_line=True))
    return lines


def _source(context: str, text: str) -> str:
    return text


def summarize(
    statuses: Iterable[str],
    scan_time: float | None = None,
    note: str = "",
    translate: Callable[[str, str], str] = _source,
) -> tuple[str, dict[str, int]]:
    """The summary line and the count per status; `translate(context, text)` words it (the
    CLI's catalogue; English without)."""
    counts = {"GOOD": 0, "STALE": 0, "FAILED": 0, "WAIT": 0}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    text = translate("poll", "stations: {good} GOOD / {stale} STALE / {failed} FAILED").format(
        good=counts["GOOD"], stale=counts["STALE"], failed=counts["FAILED"]
    )
    if counts["WAIT"]:
        text += " / " + translate("poll", "{n} waiting").format(n=counts["WAIT"])
    if scan_time is not None:
        ms = f"{scan_time * 1000:.0f}"
        text += " — " + translate("poll", "scan time {ms} ms").format(ms=ms)
    if note:
        text += f" — {note}"
    return text, counts
