"""What travels over the broker, and how it is encoded (docs/mqtt-namespace.md).

A station's state is compact binary: a little-endian header and three numpy arrays aligned with
the station's point table (which every side builds from the published network description) —
one `frombuffer` per array on the way in, no per-point objects. Everything else (alarms, status,
events, requests, replies) is JSON, which other tools (Node-RED, Grafana) read as is; numpy
arrays inside a reply travel as base64 of their raw little-endian bytes.
"""

from __future__ import annotations

import base64
import json
import math
import struct
import sys
from dataclasses import asdict, fields
from typing import Any

import numpy as np

from console.core.alarms.summary import AlarmView
from console.core.events import JournalEvent
from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.journal import Kind
from console.vocabulary.quality import CommState
from drivers.samples import StationScan
from station_config.schema import NetworkDef

VERSION = 1
STATE_MAGIC = b"HCS1"
# magic, comm, heartbeat frozen, error length, points, scan time, scan duration
_HEAD = struct.Struct("<4sBBHIdf")
MAX_ERROR = 1000  # bytes of the error text carried (it is a short reason, never a dump)


class CodecError(ValueError):
    """A message that is not what its topic promises (named, never a traceback)."""


# --- station state ------------------------------------------------------------------------


def encode_state(scan: StationScan) -> bytes:
    err = scan.error.encode("utf-8", "replace")[:MAX_ERROR]
    n = len(scan.values)
    head = _HEAD.pack(
        STATE_MAGIC, int(scan.comm), int(scan.heartbeat_frozen), len(err), n, scan.time,
        scan.duration,
    )  # fmt: skip
    # Times as float32 offsets from the scan time: milliseconds over days, half the bytes.
    offs = (np.asarray(scan.value_time, np.float64) - scan.time).astype("<f4")
    return b"".join(
        (
            head,
            err,
            np.ascontiguousarray(scan.values, "<f8").tobytes(),
            np.ascontiguousarray(scan.quality, np.uint8).tobytes(),
            offs.tobytes(),
        )
    )


def decode_state(station_id: str, data: bytes, n_points: int) -> StationScan:
    """A StationScan from `encode_state`'s bytes; CodecError if it does not fit the station."""
    if len(data) < _HEAD.size:
        raise CodecError(f"state of {station_id}: {len(data)} bytes, shorter than its header")
    magic, comm, frozen, n_err, n, t, dur = _HEAD.unpack_from(data)
    if magic != STATE_MAGIC:
        raise CodecError(f"state of {station_id}: not a v{VERSION} state message")
    if n != n_points:
        raise CodecError(f"state of {station_id}: {n} points, its point table has {n_points}")
    want = _HEAD.size + n_err + 13 * n
    if len(data) != want:
        raise CodecError(f"state of {station_id}: {len(data)} bytes, expected {want}")
    if comm not in CommState._value2member_map_:
        raise CodecError(f"state of {station_id}: unknown communication state {comm}")
    o = _HEAD.size
    error = data[o : o + n_err].decode("utf-8", "replace")
    o += n_err
    values = np.frombuffer(data, "<f8", n, o).astype(np.float64)
    o += 8 * n
    quality = np.frombuffer(data, np.uint8, n, o).copy()
    o += n
    value_time = np.frombuffer(data, "<f4", n, o).astype(np.float64) + t
    return StationScan(
        station_id, t, values, quality, value_time, comm=CommState(comm), error=error,
        duration=float(dur), heartbeat_frozen=bool(frozen),
    )  # fmt: skip


# --- JSON messages ------------------------------------------------------------------------


def _clean(v: Any) -> Any:
    """JSON has no NaN: None in its place (a reader must not choke on our output)."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def loads(data: bytes, what: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise CodecError(f"{what}: not JSON ({e})") from None


def encode_alarms(
    station: str,
    views: list[AlarmView],
    pending: tuple[int, float] | None,
    limits: tuple[float | None, float | None] = (None, None),
) -> bytes:
    """A station's shown alarms, rooms waiting for their on-delay, and the room limits its
    alarms apply (so every console colours rooms by the same limit), retained."""
    rows = [{k: _clean(v) for k, v in asdict(a).items()} for a in views]
    lim = {"room_low": _clean(limits[0]), "room_critical": _clean(limits[1])}
    return dumps(
        {"v": VERSION, "station": station, "alarms": rows, "pending": pending, "limits": lim}
    )


_VIEW_FIELDS = {f.name for f in fields(AlarmView)}
# Names every alarm of a station (or of every station) repeats: one string object each, not one
# per alarm and message (json makes a new one every time; a cold night holds 8,000 room alarms).
_SHARED_FIELDS = ("station", "district", "point", "rule", "shelved_by", "out_of_service_by")


RoomLimits = tuple[float | None, float | None]


def decode_alarms(
    data: bytes,
) -> tuple[str, list[AlarmView], tuple[int, float] | None, RoomLimits]:
    msg = loads(data, "alarms")
    try:
        views = []
        for r in msg["alarms"]:
            kw = {k: r.get(k) for k in _VIEW_FIELDS}
            for k in _SHARED_FIELDS:
                if type(kw[k]) is str:
                    kw[k] = sys.intern(kw[k])
            kw["priority"] = Priority(kw["priority"])
            kw["state"] = AlarmState(kw["state"])
            kw["condition"] = bool(kw["condition"])
            kw["first_out"] = bool(kw["first_out"])
            views.append(AlarmView(**kw))
        pending = msg.get("pending")
        lim = msg.get("limits") or {}
        low, crit = lim.get("room_low"), lim.get("room_critical")
        return (
            str(msg["station"]),
            views,
            ((int(pending[0]), float(pending[1])) if pending else None),
            (None if low is None else float(low), None if crit is None else float(crit)),
        )
    except (KeyError, TypeError, ValueError, IndexError) as e:
        raise CodecError(f"alarms: malformed message ({e!r})") from None


def encode_network(net: NetworkDef) -> bytes:
    """A partition's description for consoles, without the devices' addresses (a console
    never talks to a device; the addresses of a plant's controllers are not for every seat)."""
    stations = [
        s.model_copy(update={"host": "-" if s.host else None, "serial": "-" if s.serial else None})
        for s in net.stations
    ]
    doc = net.model_copy(update={"stations": stations}).model_dump(mode="json")
    return dumps({"v": VERSION, "network": doc})


def decode_network(data: bytes) -> NetworkDef:
    msg = loads(data, "network description")
    try:
        return NetworkDef.model_validate(msg["network"])
    except (KeyError, TypeError, ValueError) as e:
        raise CodecError(f"network description: invalid ({e})") from None


def merge_networks(parts: list[NetworkDef]) -> NetworkDef:
    """Several partitions' descriptions as one city (first description wins on shared ids)."""
    if len(parts) == 1:
        return parts[0]

    def union(attr: str) -> list[Any]:
        seen: dict[str, Any] = {}
        for p in parts:
            for x in getattr(p, attr):
                seen.setdefault(x.id, x)
        return list(seen.values())

    templates: dict[str, Any] = {}
    groups: dict[str, Any] = {}
    for p in parts:
        for k, v in p.templates.items():
            templates.setdefault(k, v)
        for k, v in p.scan_groups.items():
            groups.setdefault(k, v)
    stations = sorted(union("stations"), key=lambda s: s.id)
    return parts[0].model_copy(
        update={
            "sources": union("sources"), "trunks": union("trunks"),
            "districts": union("districts"), "templates": templates, "scan_groups": groups,
            "stations": stations,
        }
    )  # fmt: skip


def encode_events(events: list[JournalEvent]) -> bytes:
    rows = []
    for e in events:
        r = e.to_row()
        rows.append({k: _clean(v) for k, v in r.items()})
    return dumps({"v": VERSION, "events": rows})


def decode_events(data: bytes) -> list[dict[str, Any]]:
    msg = loads(data, "events")
    rows = msg.get("events") if isinstance(msg, dict) else None
    if not isinstance(rows, list):
        raise CodecError("events: no event list")
    return [r for r in rows if isinstance(r, dict)]


def event_from_row(r: dict[str, Any]) -> JournalEvent:
    kw = dict(r)
    kw["kind"] = Kind(kw["kind"])
    kw["priority"] = Priority(kw["priority"]) if kw.get("priority") else None
    kw["state"] = AlarmState(kw["state"]) if kw.get("state") else None
    kw["details"] = kw.get("details") or {}
    return JournalEvent(**kw)


def pack_array(a: np.ndarray) -> dict[str, Any]:
    a = np.ascontiguousarray(a)
    return {"dtype": a.dtype.str, "data": base64.b64encode(a.tobytes()).decode("ascii")}


def unpack_array(d: dict[str, Any]) -> np.ndarray:
    try:
        dt = np.dtype(d["dtype"])
        if dt.kind not in "fiub":  # numbers only: never object arrays from a message
            raise CodecError(f"array of type {dt} refused")
        return np.frombuffer(base64.b64decode(d["data"]), dt).copy()
    except (KeyError, TypeError, ValueError) as e:
        raise CodecError(f"array: malformed ({e})") from None
