"""Operator writes: one RW point, FC06, checked locally first, confirmed by reading it back.

Order of checks, so that nothing questionable reaches a substation:
1. the point exists and is writable (RW) and one register (devices accept FC06 only);
2. the engineering value is finite, inside the point's [min, max] and a multiple of its scale
   (19.05 °C at 0.1 °C resolution is refused rather than silently rounded);
3. the link is up — a write is never queued for later: a setpoint that lands minutes after the
   operator gave up on it is worse than one that did not land;
4. FC06, then FC03 of the same register, compared with what was sent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from drivers.codec import EncodeError, decode_point, encode_point
from drivers.points import PointTable
from drivers.station_link import EXCEPTION_MEANINGS, ReplyKind, StationLink


class WriteStatus(StrEnum):
    DONE = "done"  # acknowledged and read back equal
    REFUSED = "refused by device"  # Modbus exception reply (code in exception_code)
    NO_REPLY = "no reply"  # timeout or link down; outcome unknown if it was sent
    REJECTED = "rejected locally"  # not writable / out of range: nothing was sent
    UNCONFIRMED = "unconfirmed"  # acknowledged, but the read-back differs or failed


# Exception 04 on a write to substation-v1 means the station is in local control
# (register-map.md); say so, since "device failure" would send someone to fix the device.
WRITE_EXCEPTION_HINTS: dict[int, str] = {
    3: "value refused by the device's own range check",
    4: "station is in local control (a field engineer holds it)",
}


@dataclass(frozen=True)
class WriteResult:
    status: WriteStatus
    station_id: str
    point: str
    value: float  # what the operator asked for
    readback: float | None = None  # engineering value read back after the write
    exception_code: int | None = None
    message: str = ""
    sent: bool = False  # whether an FC06 went on the wire

    @property
    def ok(self) -> bool:
        return self.status == WriteStatus.DONE

    def __str__(self) -> str:
        return f"{self.station_id}.{self.point} := {self.value}: {self.status} — {self.message}"


def _fmt(v: float) -> str:
    return f"{v:g}"


async def write_point(
    link: StationLink, table: PointTable, point: str | int, value: float
) -> WriteResult:
    """Write one engineering value to one RW point of the station behind `link`."""
    sid = link.station.id
    try:
        idx = table.index[point] if isinstance(point, str) else int(point)
        name = table.names[idx]
    except (KeyError, IndexError):
        return WriteResult(
            WriteStatus.REJECTED, sid, str(point), value, message=f"no point `{point}`"
        )

    def rejected(msg: str) -> WriteResult:
        return WriteResult(WriteStatus.REJECTED, sid, name, value, message=msg)

    pdef = table.defs[idx]
    if pdef.access != "RW":
        return rejected(f"`{name}` is read-only")
    if int(table.words[idx]) != 1:
        return rejected(f"`{name}` spans two registers; devices accept single-register writes")
    try:
        value = float(value)
    except (TypeError, ValueError):
        return rejected(f"{value!r} is not a number")
    if not math.isfinite(value):
        return rejected(f"{value} is not a finite number")
    lo, hi = pdef.min, pdef.max
    unit = f" {pdef.unit}" if pdef.unit else ""
    if lo is None or hi is None or not lo <= value <= hi:
        rng = f"{_fmt(lo or 0)}…{_fmt(hi or 0)}{unit}"
        return rejected(f"{_fmt(value)}{unit} is outside the allowed range {rng}")
    raw = value / pdef.scale
    if abs(raw - round(raw)) > 1e-6 * max(1.0, abs(raw)):
        return rejected(f"{_fmt(value)}{unit} is not a multiple of the resolution {pdef.scale:g}")
    try:
        (word,) = encode_point(pdef, value)
    except EncodeError as e:
        return rejected(str(e))
    if pdef.enum and round(raw) not in pdef.enum:
        choices = ", ".join(f"{k} {v}" for k, v in sorted(pdef.enum.items()))
        return rejected(f"{_fmt(value)} is not one of: {choices}")

    if not link.connected:
        return WriteResult(
            WriteStatus.NO_REPLY,
            sid,
            name,
            value,
            message="link down: write not sent (writes are never queued)",
        )
    address = int(table.address[idx])
    reply, back = await link.write_and_read_back(address, word)
    if reply.kind == ReplyKind.EXCEPTION:
        code = reply.exception_code
        meaning = WRITE_EXCEPTION_HINTS.get(code) or EXCEPTION_MEANINGS.get(code, "unknown code")
        return WriteResult(
            WriteStatus.REFUSED,
            sid,
            name,
            value,
            exception_code=code,
            message=f"exception {code:02d}: {meaning}",
            sent=True,
        )
    if reply.kind == ReplyKind.LINK_DOWN:
        return WriteResult(
            WriteStatus.NO_REPLY, sid, name, value, message="link down: write not sent"
        )
    if reply.kind != ReplyKind.OK:
        return WriteResult(
            WriteStatus.NO_REPLY,
            sid,
            name,
            value,
            message=f"{reply.error}; the write may or may not have been applied",
            sent=True,
        )
    if back is None or not back.ok or back.registers is None:
        why = back.error if back is not None else "not read"
        return WriteResult(
            WriteStatus.UNCONFIRMED,
            sid,
            name,
            value,
            message=f"acknowledged, but read-back failed: {why}",
            sent=True,
        )
    readback = decode_point(pdef, back.registers)
    if back.registers[0] != word:
        return WriteResult(
            WriteStatus.UNCONFIRMED,
            sid,
            name,
            value,
            readback=readback,
            message=f"acknowledged, but reads back {_fmt(readback)}{unit}",
            sent=True,
        )
    return WriteResult(
        WriteStatus.DONE,
        sid,
        name,
        value,
        readback=readback,
        message=f"read back {_fmt(readback)}{unit}",
        sent=True,
    )
