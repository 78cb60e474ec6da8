"""A small, fast asyncio Modbus TCP server: one listening socket per simulated station.

Our own instead of pymodbus's server because we need every reply under our control (holes,
local-control lockout, fault injection) and several hundred servers in one process.

Semantics (register-map.md), checked in this order:

- unit id other than the station's -> exception 0x0B (gateway target failed to respond). Chosen
  over silence so that a wrong unit id in the config shows up at once, not as a timeout.
- FC03 is the only read; FC06 the only write; any other function (FC04, FC16, …) -> 01.
- a malformed PDU for FC03/FC06 (wrong length) -> 03.
- FC03: count 0 or > 125 -> 03; any address in the range not served -> 02.
- FC06: address not a served RW register -> 02; control_level (register 9) is 0 and the address
  is not register 9 -> 04; value outside the point's min..max (raw = round(x / scale), signed
  for i16) -> 03. A valid write patches the image at once and calls `on_write`.
- MBAP framing: frames may arrive split or several per segment; protocol id != 0 or a length
  field outside 2..254 closes the connection.

Faults (drivers/simulator/faults.py) act per request in `StationServer.request`: drop/offline
swallow it, latency holds the reply, short_reply shrinks an FC03 reply, `answer_as` serves
another station's device instead (a swapped identity), `bad_reply` corrupts the reply frame
(`_corrupt`: another transaction or unit id, another function code, a register too many, a
byte count that disagrees with the frame, or an FC06 echo naming another register).
"""

from __future__ import annotations

import asyncio
import logging
import struct
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from drivers.codec import image_size
from drivers.points import PointTable
from drivers.simulator.faults import StationFaults

log = logging.getLogger(__name__)

MAX_READ = 125
ILLEGAL_FUNCTION = 0x01
ILLEGAL_ADDRESS = 0x02
ILLEGAL_VALUE = 0x03
DEVICE_FAILURE = 0x04
GATEWAY_TARGET_FAILED = 0x0B

_MBAP = struct.Struct(">HHHB")  # transaction id, protocol id, length, unit id
_REQ = struct.Struct(">BHH")  # function, address, count/value
_CONTROL_LEVEL = "control_level"

WriteHook = Callable[[int, str, float], None]


@dataclass(frozen=True)
class _Writable:
    point: int  # index in the station's PointTable
    name: str
    lo: int  # raw range, inclusive
    hi: int
    signed: bool
    scale: float


class StationDevice:
    """One station's register image and Modbus rules; no sockets (unit-testable with bytes)."""

    def __init__(
        self,
        index: int,
        station_id: str,
        table: PointTable,
        unit: int = 1,
        wire: memoryview | None = None,
    ):
        self.index = index
        self.station_id = station_id
        self.table = table
        self.unit = unit
        size = image_size(table)
        served = np.zeros(size, dtype=np.uint8)
        served[table.served_addresses()] = 1
        self._served = served.tobytes()  # `0 in slice` runs in C: cheaper than numpy per request
        # The wire image: big-endian words (sliced straight into replies), with a numpy view on
        # the same memory for whole-image updates. `wire` lets the simulator hand each device
        # its slice of one city-wide image that a tick encodes in one pass.
        if wire is None:
            wire = memoryview(bytearray(2 * size))
        if wire.nbytes != 2 * size or wire.readonly:
            raise ValueError(f"{station_id}: wire image must be {2 * size} writable bytes")
        self._raw = wire
        self.image = np.frombuffer(wire, dtype=">u2")
        self.writable: dict[int, _Writable] = {}
        for i, (name, p) in enumerate(zip(table.names, table.defs, strict=True)):
            if p.access == "RW" and p.min is not None and p.max is not None:
                a = int(table.address[i])
                lo, hi = round(p.min / p.scale), round(p.max / p.scale)
                self.writable[a] = _Writable(i, name, lo, hi, p.type == "i16", p.scale)
        cl = table.index.get(_CONTROL_LEVEL)
        self._control_addr = int(table.address[cl]) if cl is not None else None
        hb = [i for i, p in enumerate(table.defs) if p.heartbeat]
        self._hb_slices = [
            slice(2 * int(table.address[i]), 2 * int(table.address[i] + table.words[i])) for i in hb
        ]
        self._frozen_hb: list[bytes] | None = None
        self.on_write: WriteHook | None = None
        self.requests = 0
        self.exceptions = 0
        self.writes = 0

    # --- image ---------------------------------------------------------------------------
    def set_image(self, image: np.ndarray, freeze_heartbeat: bool = False) -> None:
        """Replace the served image (native uint16 from codec.encode_image).

        With `freeze_heartbeat`, the heartbeat words keep the value they had when the freeze
        began (a hung device still answers, but its clock stops).
        """
        held = self.hold_heartbeat(freeze_heartbeat)
        self.image[:] = image[: len(self.image)]
        if held:
            self.restore_heartbeat()

    def hold_heartbeat(self, freeze: bool) -> bool:
        """Begin (keeping the heartbeat words served now) or end a heartbeat freeze; True while
        frozen. Call before the image is rewritten, then `restore_heartbeat()` after."""
        if not freeze:
            self._frozen_hb = None
            return False
        if self._frozen_hb is None:
            self._frozen_hb = [bytes(self._raw[s]) for s in self._hb_slices]
        return True

    def restore_heartbeat(self) -> None:
        """Put the frozen heartbeat words back over a rewritten image."""
        if self._frozen_hb is not None:
            for s, words in zip(self._hb_slices, self._frozen_hb, strict=True):
                self._raw[s] = words

    def word(self, address: int) -> int:
        return int(self.image[address])

    def patch(self, address: int, word: int) -> None:
        self.image[address] = word

    # --- requests ------------------------------------------------------------------------
    def handle(self, unit: int, pdu: bytes, short: Callable[[int], int] | None = None) -> bytes:
        """The response PDU for a request PDU. `short` may shrink an FC03 reply (fault)."""
        self.requests += 1
        fc = pdu[0]
        if unit != self.unit:
            return self._exc(fc, GATEWAY_TARGET_FAILED)
        if fc == 3:
            if len(pdu) != 5:
                return self._exc(fc, ILLEGAL_VALUE)
            _, start, count = _REQ.unpack(pdu)
            if not 1 <= count <= MAX_READ:
                return self._exc(fc, ILLEGAL_VALUE)
            end = start + count
            if end > len(self._served) or 0 in self._served[start:end]:
                return self._exc(fc, ILLEGAL_ADDRESS)
            if short is not None:
                count = short(count)
                end = start + count
            return bytes((3, 2 * count)) + self._raw[2 * start : 2 * end]
        if fc == 6:
            if len(pdu) != 5:
                return self._exc(fc, ILLEGAL_VALUE)
            _, addr, word = _REQ.unpack(pdu)
            w = self.writable.get(addr)
            if w is None:
                return self._exc(fc, ILLEGAL_ADDRESS)
            if (
                self._control_addr is not None
                and addr != self._control_addr
                and self.image[self._control_addr] == 0
            ):
                return self._exc(fc, DEVICE_FAILURE)
            raw = word - 0x10000 if w.signed and word >= 0x8000 else word
            if not w.lo <= raw <= w.hi:
                return self._exc(fc, ILLEGAL_VALUE)
            self.image[addr] = word
            self.writes += 1
            if self.on_write is not None:
                try:
                    self.on_write(self.index, w.name, raw * w.scale)
                except Exception:  # the physics' bug must not kill the connection
                    log.exception("%s: write hook failed for %s", self.station_id, w.name)
                self.image[addr] = word  # the read-back sees the write whatever the hook did
            return bytes(pdu)
        return self._exc(fc, ILLEGAL_FUNCTION)

    def _exc(self, fc: int, code: int) -> bytes:
        self.exceptions += 1
        return bytes(((fc | 0x80) & 0xFF, code))


class _Connection(asyncio.Protocol):
    __slots__ = ("_buf", "_srv", "_transport")

    def __init__(self, srv: StationServer):
        self._srv = srv
        self._buf = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        f = self._srv.faults
        if f is not None and f.active:
            f.refresh()
            if f.offline:  # an offline device does not take new connections
                transport.abort()
                return
        self._transport = transport
        self._srv.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._srv.connections.discard(self)
        self._transport = None

    def close(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    def data_received(self, data: bytes) -> None:
        buf = self._buf + data if self._buf else data
        n = len(buf)
        pos = 0
        srv = self._srv
        while n - pos >= 8:  # MBAP (7) + function code
            tid, pid, length, unit = _MBAP.unpack_from(buf, pos)
            if pid != 0 or not 2 <= length <= 254:
                log.debug("%s: bad MBAP header, closing", srv.device.station_id)
                self._buf = b""
                if self._transport is not None:
                    self._transport.abort()
                return
            end = pos + 6 + length
            if end > n:
                break
            srv.request(self, tid, unit, buf[pos + 7 : end])
            pos = end
        self._buf = buf[pos:]

    def send(self, frame: bytes) -> None:
        t = self._transport
        if t is not None and not t.is_closing():
            t.write(frame)


class StationServer:
    """The TCP side of one StationDevice (with its faults)."""

    def __init__(
        self,
        device: StationDevice,
        faults: StationFaults | None = None,
        peers: Callable[[str], StationDevice] | None = None,
    ):
        self.device = device
        self.faults = faults
        self.peers = peers  # station id -> its device, for the `answer_as` fault
        self.connections: set[_Connection] = set()
        self.server: asyncio.base_events.Server | None = None
        self.endpoint: tuple[str, int] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self, host: str, port: int) -> tuple[str, int]:
        self._loop = asyncio.get_running_loop()
        self.server = await self._loop.create_server(
            lambda: _Connection(self), host, port, reuse_address=True, backlog=64
        )
        sockname = self.server.sockets[0].getsockname()
        self.endpoint = (sockname[0], sockname[1])
        return self.endpoint

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        for c in list(self.connections):
            c.close()
        if self.server is not None:
            await self.server.wait_closed()
            self.server = None

    def request(self, conn: _Connection, tid: int, unit: int, pdu: bytes) -> None:
        f = self.faults
        delay = 0.0
        short = None
        if f is None or not f.active:
            resp = self.device.handle(unit, pdu)
            frame = _MBAP.pack(tid, 0, len(resp) + 1, unit) + resp
            conn.send(frame)
            return
        d = f.reply_delay()
        if d is None:
            self.device.requests += 1
            return  # swallowed: dropped, or the device is offline
        delay = d
        if f.short_reply:
            short = f.short_count
        dev = self.device
        if f.answer_as and self.peers is not None:
            dev = self.peers(f.answer_as)
            unit = dev.unit if unit == self.device.unit else unit  # it answers as if addressed
        resp = dev.handle(unit, pdu, short)
        if f.bad_reply:
            tid, unit, resp = _corrupt(f.bad_reply, tid, unit, resp)
        frame = _MBAP.pack(tid, 0, len(resp) + 1, unit) + resp
        if delay > 0 and self._loop is not None:
            self._loop.call_later(delay, conn.send, frame)
        else:
            conn.send(frame)


def _corrupt(mode: str, tid: int, unit: int, resp: bytes) -> tuple[int, int, bytes]:
    """One `bad_reply` mode (faults.BAD_REPLY_MODES) applied to a reply: (tid, unit, pdu)."""
    if mode == "tid":
        return (tid + 1) & 0xFFFF or 1, unit, resp
    if mode == "tid_zero":
        return 0, unit, resp
    if mode == "unit":
        return tid, (unit + 1) & 0xFF, resp
    if mode == "echo" and resp[0] == 6:
        return (
            tid,
            unit,
            resp[:1] + ((int.from_bytes(resp[1:3]) + 1) & 0xFFFF).to_bytes(2) + resp[3:],
        )
    if resp[0] == 3:  # the rest corrupt a normal FC03 reply
        if mode == "function":
            return tid, unit, b"\x04" + resp[1:]
        if mode == "count":
            return tid, unit, bytes((3, resp[1] + 2)) + resp[2:] + b"\x00\x00"
        if mode == "byte_count":
            return tid, unit, bytes((3, (resp[1] + 2) & 0xFF)) + resp[2:]
    return tid, unit, resp
