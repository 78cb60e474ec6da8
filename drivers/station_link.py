"""One Modbus connection and the stations behind it: request/reply with the poller's own rules.

pymodbus 3.16 is used as a framer and transport only. Everything that decides *when* to talk is
here: no library retries (retries=0), no library reconnect (reconnect_delay=0; our Backoff has
jitter and a failed first connect is retried), one request in flight per connection (a lock),
a global cap over all connections (a shared semaphore), and a check of every reply: transaction
id, unit id, function code, byte count and register count (see `_CheckedFramer` for why that
check sits in the framer), so a mismatched reply is a failed read, never a GOOD value.
pymodbus' own log is routed into ours as one-line debug records (`route_pymodbus_logging`).

A `Connection` is one TCP host:port or one serial port. Stations that share it (units behind a
gateway, an RS-485 bus) share its lock, so "one request in flight per station" holds a fortiori.
A `StationLink` is one station's view of its connection (its unit id and its own statistics);
it is what the poller scans through and what `drivers.writes.write_point` writes through.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum
from types import TracebackType
from typing import Any

import numpy as np

from drivers.backoff import Backoff
from station_config.schema import StationDef

log = logging.getLogger(__name__)

# Modbus exception codes (Modbus Application Protocol v1.1b3, section 7).
EXCEPTION_MEANINGS: dict[int, str] = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "server device failure",
    5: "acknowledge (processing a long command)",
    6: "server device busy",
    8: "memory parity error",
    10: "gateway path unavailable",
    11: "gateway target device failed to respond",
}


def exception_text(code: int) -> str:
    return f"exception {code:02d} ({EXCEPTION_MEANINGS.get(code, 'unknown code')})"


class ReplyKind(IntEnum):
    OK = 0
    EXCEPTION = 1  # the device answered with a Modbus exception (link is fine)
    SHORT = 2  # fewer/more registers than asked, or a malformed/mismatched reply (see BAD)
    NO_REPLY = 3  # timeout; the connection is closed to resynchronise
    LINK_DOWN = 4  # not connected (nothing was sent)


@dataclass(slots=True)
class Reply:
    kind: ReplyKind
    registers: Sequence[int] | None = None  # FC03/04: a numpy view (`_registers_reply`)
    exception_code: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == ReplyKind.OK


@dataclass(slots=True)
class CommStats:
    """Per-station communication statistics (mutable; `Poller.stats()` hands out copies)."""

    requests: int = 0
    failures: int = 0  # requests without a usable reply (incl. exceptions and short replies)
    timeouts: int = 0
    exceptions: int = 0
    short_replies: int = 0
    bad_replies: int = 0  # garbled, or another transaction's / unit's / function's reply
    connects: int = 0
    connect_failures: int = 0
    scans: int = 0
    overruns: int = 0  # scan ticks skipped because the previous scan ran past them
    last_error: str = ""
    last_error_time: float = 0.0  # epoch seconds
    last_latency: float = 0.0  # seconds, last successful request
    latency_avg: float = 0.0  # exponentially weighted (alpha 0.1)
    connected: bool = False
    backoff_s: float = 0.0  # the delay chosen after the last failed connect (0 when connected)
    reconnect_in: float = 0.0  # seconds until the next connect attempt is allowed

    def note_error(self, msg: str) -> None:
        self.last_error = msg
        self.last_error_time = time.time()


ClientFactory = Callable[[StationDef, float], Any]


# --- reply checks ---------------------------------------------------------------------------


class BadReply:
    """What our framer hands pymodbus instead of a PDU when a reply fails its checks.

    It carries the *requested* unit and transaction id so pymodbus' own matching in
    `TransactionManager.execute` lets it through to us at once (no timeout wait); `request`
    turns it into a failed read with `reason`.
    """

    __slots__ = ("dev_id", "reason", "retries", "transaction_id")
    function_code = 0

    def __init__(self, reason: str, dev_id: int, tid: int):
        self.reason = reason
        self.dev_id = dev_id
        self.transaction_id = tid
        self.retries = 0


class _CheckedFramer:
    """Mixin over a pymodbus framer (socket or RTU): judge every reply frame ourselves.

    pymodbus matches a reply to its request in `FramerBase.handleFrame(data, exp_devid,
    exp_tid)`: a frame with another unit or a non-zero other transaction id is skipped (so the
    request times out with a misleading "no reply"), a frame with transaction id 0 is accepted
    whatever was asked, and a PDU it cannot decode (e.g. a byte count that disagrees with the
    frame) raises out of `data_received`, which asyncio logs as a "Fatal error" traceback on the
    operator's terminal. This override is the one place that sees the raw frame *and* the
    expected ids, so it is the smallest hook: nothing is skipped, every frame either decodes and
    matches or becomes a `BadReply` with a short reason, and nothing raises. Function code and
    register count are checked on the result in `Connection.request` (only it knows the request).
    """

    def handleFrame(self, data: bytes, exp_devid: int, exp_tid: int) -> tuple[int, Any]:
        try:
            used, dev_id, tid, frame = self.decode(data)  # type: ignore[attr-defined]
        except Exception as e:  # a framer bug on hostile bytes: the reply is garbage
            return len(data), BadReply(f"garbled reply ({e})", exp_devid, exp_tid)
        if not used or not frame:
            return used, None  # incomplete (wait for more) or garbage the framer skipped
        problem = _frame_problem(frame, dev_id, tid, exp_devid, exp_tid)
        pdu = None
        if problem is None:
            pdu = _registers_reply(frame)
            if pdu is None:
                try:
                    pdu = self.decoder.decode(frame)  # type: ignore[attr-defined]
                except Exception:  # pymodbus returns None for most bad PDUs; be sure
                    pdu = None
            if pdu is None:
                problem = f"undecodable reply (function {frame[0]})"
        if problem is not None:
            # Drop whatever else is buffered: after a bad frame the stream cannot be trusted.
            return len(data), BadReply(problem, exp_devid, exp_tid)
        pdu.dev_id = dev_id
        pdu.transaction_id = tid
        return used, pdu


def _frame_problem(frame: bytes, dev_id: int, tid: int, exp_devid: int, exp_tid: int) -> str | None:
    if tid != exp_tid:  # RTU has no transaction id: 0 == 0 there
        return f"reply to transaction {tid}, asked {exp_tid}"
    if dev_id != exp_devid:
        return f"reply from unit {dev_id}, asked unit {exp_devid}"
    fc = frame[0]
    if fc in (3, 4) and len(frame) >= 2 and frame[1] != len(frame) - 2:
        return f"byte count {frame[1]} disagrees with the frame ({len(frame) - 2} data bytes)"
    return None


def _registers_reply(frame: bytes) -> Any:
    """An FC03/FC04 reply whose byte count already matched its frame (`_frame_problem`), as
    pymodbus' own response object with the registers as one big-endian numpy view of the
    frame; None for anything else (pymodbus' decoder takes it). pymodbus decodes register by
    register with struct and formats the whole PDU into a debug string it then drops; this is
    the poller's per-read hot path (about 5 µs of ~50 per read, bench/bench_poller.py)."""
    fc = frame[0]
    cls = _REGISTER_REPLIES.get(fc)
    n = len(frame) - 2
    if cls is None or n <= 0 or n % 2:  # an empty or odd count: pymodbus says undecodable
        return None
    pdu = cls()
    pdu.registers = np.frombuffer(frame, dtype=">u2", offset=2)
    return pdu


def _register_replies() -> dict[int, type]:
    from pymodbus.pdu.register_message import (
        ReadHoldingRegistersResponse,
        ReadInputRegistersResponse,
    )

    return {3: ReadHoldingRegistersResponse, 4: ReadInputRegistersResponse}


_REGISTER_REPLIES = _register_replies()


def install_reply_checks(client: Any) -> None:
    """Replace a pymodbus client's framer by the checked one (same class, same decoder).

    Anything without a pymodbus `ctx.framer` (a test double) is left alone.
    """
    ctx = getattr(client, "ctx", None)
    framer = getattr(ctx, "framer", None)
    if framer is None or isinstance(framer, _CheckedFramer):
        return
    cls = type(framer)
    checked = _CHECKED.get(cls)
    if checked is None:  # one class per framer type, not one per connection
        checked = _CHECKED[cls] = type(f"Checked{cls.__name__}", (_CheckedFramer, cls), {})
    ctx.framer = checked(framer.decoder)


_CHECKED: dict[type, type] = {}


# --- pymodbus' log --------------------------------------------------------------------------


class _ForwardToOurLog(logging.Handler):
    """pymodbus (and asyncio reporting a pymodbus failure) -> one line on our logger, no
    traceback: the poller reports every failure itself (StationScan.error, CommStats)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage().splitlines()[0] if record.msg else ""
        except Exception:  # a malformed library log call must not raise here
            msg = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            e = record.exc_info[1]
            msg = f"{msg} {type(e).__name__}: {e}".strip()
        log.debug("pymodbus: %s", msg[:300])


_FORWARD = _ForwardToOurLog()


def _from_pymodbus(tb: TracebackType | None) -> bool:
    while tb is not None:
        if "pymodbus" in tb.tb_frame.f_code.co_filename:
            return True
        tb = tb.tb_next
    return False


def _asyncio_filter(record: logging.LogRecord) -> bool:
    """Keep asyncio's records, except a pymodbus exception escaping a protocol callback
    ("Fatal error: protocol.data_received() call failed" with a traceback): one line instead."""
    exc = record.exc_info
    if exc and exc[1] is not None and _from_pymodbus(exc[2]):
        _FORWARD.handle(record)
        return False
    return True


def route_pymodbus_logging() -> None:
    """pymodbus' log into ours (idempotent). pymodbus would print a hex dump of its last frames
    or an error line per failed request to stderr (our poll table, the operator's terminal);
    its records become one-line debug records of `drivers.station_link` instead. A level the
    application set on the `pymodbus` logger is kept (else WARNING, so pymodbus does not build
    its debug strings on the hot path)."""
    lg = logging.getLogger("pymodbus")
    if _FORWARD not in lg.handlers:
        lg.addHandler(_FORWARD)
    lg.propagate = False
    if lg.level == logging.NOTSET:
        lg.setLevel(logging.WARNING)
    alg = logging.getLogger("asyncio")
    if _asyncio_filter not in alg.filters:
        alg.addFilter(_asyncio_filter)


def default_client_factory(station: StationDef, timeout: float) -> Any:
    """A pymodbus 3.16 async client with the library's retries and reconnect switched off."""
    if station.serial is not None:
        from pymodbus.client import AsyncModbusSerialClient  # needs pyserial only for RTU

        client = AsyncModbusSerialClient(
            station.serial,
            baudrate=station.baudrate,
            timeout=timeout,
            retries=0,
            reconnect_delay=0,  # 0 = pymodbus never reconnects by itself
        )
    else:
        from pymodbus.client import AsyncModbusTcpClient

        client = AsyncModbusTcpClient(
            station.host or "",
            port=station.port,
            timeout=timeout,
            retries=0,
            reconnect_delay=0,
        )
    # pymodbus closes the socket itself after retries+3 silent requests; we decide that.
    client.set_max_no_responses(1 << 30)
    install_reply_checks(client)
    return client


def connection_key(station: StationDef) -> str:
    return f"tcp:{station.host}:{station.port}" if station.host else f"rtu:{station.serial}"


class Connection:
    """One client (socket or serial port), its reconnect policy and its in-flight lock."""

    def __init__(
        self,
        key: str,
        client: Any,
        *,
        in_flight: asyncio.Semaphore,
        backoff: Backoff,
    ):
        self.key = key
        self.client = client
        install_reply_checks(client)  # whatever factory made it (no-op when already checked)
        self.generation = 0  # successful connects so far: identity is re-checked after each
        self.lock = asyncio.Lock()  # one request in flight on this connection
        self.in_flight = in_flight  # global cap, shared by every connection
        self.backoff = backoff
        self.next_connect_at = 0.0  # monotonic; 0 = may connect now
        self.proven = False  # this connection has carried at least one reply
        self.closed = False

    @property
    def connected(self) -> bool:
        return bool(self.client.connected)

    def reconnect_in(self) -> float:
        return max(0.0, self.next_connect_at - time.monotonic())

    async def ensure_connected(self, stats: CommStats, *, ignore_backoff: bool = False) -> bool:
        """Connect if down and the backoff allows it; False if still down."""
        if self.client.connected:
            return True
        if self.closed or (not ignore_backoff and time.monotonic() < self.next_connect_at):
            return False
        async with self.lock:
            if self.client.connected:  # another station on this connection got there first
                return True
            async with self.in_flight:
                try:
                    ok = bool(await self.client.connect())
                except (TimeoutError, OSError) as e:  # defensive: pymodbus catches these
                    ok = False
                    stats.note_error(f"connect failed: {e}")
        if ok:
            # The backoff is reset by the first reply, not here: a device that accepts and then
            # drops every connection (or never answers) must still back off.
            self.proven = False
            self.generation += 1
            stats.connects += 1
            return True
        delay = self._defer()
        stats.connect_failures += 1
        stats.note_error(f"cannot connect to {self.key[4:]} (retry in {delay:.1f} s)")
        return False

    def _defer(self) -> float:
        delay = self.backoff.next_delay()
        self.next_connect_at = time.monotonic() + delay
        return delay

    def drop(self) -> None:
        """Close the socket after a silent request: a late reply must not answer the next one
        (RTU has no transaction id), and a half-open TCP connection is found at once."""
        self.client.close()

    def close(self) -> None:
        self.closed = True
        self.client.close()

    async def request(
        self, stats: CommStats, call: Callable[[], Any], expect: int, fc: int = 3
    ) -> Reply:
        """Run one pymodbus call under both locks and classify its reply.

        `expect` is the number of registers the reply must carry (the length check), `fc` the
        function code asked (the reply must carry it, or it | 0x80 for an exception).
        """
        if not self.client.connected:
            return Reply(ReplyKind.LINK_DOWN, error="not connected")
        async with self.lock:
            return await self.request_locked(stats, call, expect, fc)

    async def read_registers(self, stats: CommStats, unit: int, address: int, count: int) -> Reply:
        """FC03 of `count` registers: `request` for the poller's hot path, the same locks and
        checks without its closure, context-manager and coroutine layers (a few µs per read
        in bench/bench_poller.py)."""
        client = self.client
        if not client.connected:
            return Reply(ReplyKind.LINK_DOWN, error="not connected")
        lock, in_flight = self.lock, self.in_flight
        await lock.acquire()
        try:
            await in_flight.acquire()
            try:
                if not client.connected:
                    return Reply(ReplyKind.LINK_DOWN, error="not connected")
                stats.requests += 1
                t0 = time.perf_counter()
                try:
                    rr = await client.read_holding_registers(address, count=count, device_id=unit)
                except asyncio.CancelledError:
                    raise
                except Exception as e:  # pymodbus raises several kinds here
                    rr = e
                dt = time.perf_counter() - t0
            finally:
                in_flight.release()
        finally:
            lock.release()
        return self._classify(stats, rr, dt, count, 3, None)

    async def request_locked(
        self,
        stats: CommStats,
        call: Callable[[], Any],
        expect: int,
        fc: int = 3,
        echo: int | None = None,
    ) -> Reply:
        """`request` for a caller that already holds `self.lock` (a write + its read-back).

        `echo`: the register address an FC06 echo must name."""
        async with self.in_flight:
            if not self.client.connected:
                return Reply(ReplyKind.LINK_DOWN, error="not connected")
            stats.requests += 1
            t0 = time.perf_counter()
            try:
                rr = await call()
            except asyncio.CancelledError:
                raise
            except Exception as e:  # pymodbus raises several kinds here
                rr = e
            dt = time.perf_counter() - t0
        return self._classify(stats, rr, dt, expect, fc, echo)

    def _classify(
        self, stats: CommStats, rr: Any, dt: float, expect: int, fc: int, echo: int | None
    ) -> Reply:
        """The reply (or the exception) of one request, `dt` seconds after it was sent."""
        if isinstance(rr, Exception):
            stats.failures += 1
            if self.client.connected:
                stats.timeouts += 1
                self.drop()
                msg = f"no reply within {dt:.2f} s"
            else:
                msg = "connection lost"
            if not self.proven:
                # Never answered on this connection: back off like a failed connect. (A link
                # that did answer before reconnects at the next scan.)
                msg += f" (reconnect in {self._defer():.1f} s)"
            stats.note_error(msg)
            return Reply(ReplyKind.NO_REPLY, error=msg)
        got_fc = int(getattr(rr, "function_code", 0))
        reason = ""
        if isinstance(rr, BadReply):
            reason = rr.reason
        elif got_fc not in (fc, fc | 0x80):
            reason = f"function {got_fc}, asked {fc}"
        elif echo is not None and got_fc == fc and getattr(rr, "address", echo) != echo:
            reason = f"write echo names register {rr.address}, written {echo}"
        if reason:
            # Garbled, or another transaction's, unit's or function's reply: the stream is out
            # of step (or the far end is not what we think), so resynchronise on a new socket.
            # Not proof of a working device either: such a link keeps backing off.
            stats.failures += 1
            stats.bad_replies += 1
            self.drop()
            msg = f"bad reply: {reason}"
            if not self.proven:
                msg += f" (reconnect in {self._defer():.1f} s)"
            stats.note_error(msg)
            return Reply(ReplyKind.SHORT, error=msg)
        if not self.proven:
            self.proven = True
            self.backoff.reset()
            self.next_connect_at = 0.0
        if got_fc > 0x80:  # Modbus exception reply
            stats.failures += 1
            stats.exceptions += 1
            code = int(getattr(rr, "exception_code", 0))
            msg = exception_text(code)
            stats.note_error(msg)
            return Reply(ReplyKind.EXCEPTION, exception_code=code, error=msg)
        regs = rr.registers
        if len(regs) != expect:
            stats.failures += 1
            stats.short_replies += 1
            what = "short" if len(regs) < expect else "long"
            msg = f"{what} reply: {len(regs)} of {expect} registers"
            stats.note_error(msg)
            return Reply(ReplyKind.SHORT, error=msg)
        stats.last_latency = dt
        stats.latency_avg = (
            dt if stats.latency_avg == 0.0 else stats.latency_avg + 0.1 * (dt - stats.latency_avg)
        )
        return Reply(ReplyKind.OK, registers=regs)


class StationLink:
    """One station's access to its connection: unit id and statistics."""

    def __init__(self, station: StationDef, conn: Connection):
        self.station = station
        self.conn = conn
        self.unit = station.unit
        self.stats = CommStats()

    @property
    def connected(self) -> bool:
        return self.conn.connected

    async def ensure_connected(self, *, ignore_backoff: bool = False) -> bool:
        return await self.conn.ensure_connected(self.stats, ignore_backoff=ignore_backoff)

    async def read(self, address: int, count: int) -> Reply:
        return await self.conn.read_registers(self.stats, self.unit, address, count)

    async def write_register(self, address: int, value: int) -> Reply:
        """FC06. A correct echo carries the same address and value; anything else is SHORT."""
        reply, _ = await self.write_and_read_back(address, value, read_back=False)
        return reply

    async def write_and_read_back(
        self, address: int, value: int, *, read_back: bool = True
    ) -> tuple[Reply, Reply | None]:
        """FC06 then FC03 of the same register, holding the connection in between: no other
        write (or scan) on this connection can slip between a write and its read-back."""
        conn, client, unit, stats = self.conn, self.conn.client, self.unit, self.stats
        if not conn.connected:
            return Reply(ReplyKind.LINK_DOWN, error="not connected"), None
        async with conn.lock:
            reply = await conn.request_locked(
                stats,
                lambda: client.write_register(address, value, device_id=unit),
                1,
                6,
                echo=address,
            )
            if reply.ok and reply.registers != [value]:
                msg = f"write echo {reply.registers} does not match {[value]}"
                stats.note_error(msg)
                reply = Reply(ReplyKind.SHORT, error=msg)
            if not reply.ok or not read_back:
                return reply, None
            back = await conn.request_locked(
                stats, lambda: client.read_holding_registers(address, count=1, device_id=unit), 1
            )
        return reply, back

    def snapshot(self) -> CommStats:
        s = replace(self.stats)
        s.connected = self.conn.connected
        s.backoff_s = 0.0 if s.connected else self.conn.backoff.current
        s.reconnect_in = 0.0 if s.connected else self.conn.reconnect_in()
        return s
