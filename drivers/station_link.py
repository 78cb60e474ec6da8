"""One Modbus connection and the stations behind it: request/reply with the poller's own rules.

pymodbus 3.16 is used as a framer and transport only. Everything that decides *when* to talk is
here: no library retries (retries=0), no library reconnect (reconnect_delay=0; our Backoff has
jitter and a failed first connect is retried), one request in flight per connection (a lock),
a global cap over all connections (a shared semaphore), and a reply-length check (pymodbus
accepts a reply with fewer registers than asked).

A `Connection` is one TCP host:port or one serial port. Stations that share it (units behind a
gateway, an RS-485 bus) share its lock, so "one request in flight per station" holds a fortiori.
A `StationLink` is one station's view of its connection (its unit id and its own statistics);
it is what the poller scans through and what `drivers.writes.write_point` writes through.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from drivers.backoff import Backoff
from station_config.schema import StationDef

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
    SHORT = 2  # fewer registers than asked, or a malformed/mismatched reply
    NO_REPLY = 3  # timeout; the connection is closed to resynchronise
    LINK_DOWN = 4  # not connected (nothing was sent)


@dataclass(slots=True)
class Reply:
    kind: ReplyKind
    registers: list[int] | None = None
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

    async def request(self, stats: CommStats, call: Callable[[], Any], expect: int) -> Reply:
        """Run one pymodbus call under both locks and classify its reply.

        `expect` is the number of registers the reply must carry (the length check).
        """
        if not self.client.connected:
            return Reply(ReplyKind.LINK_DOWN, error="not connected")
        async with self.lock:
            return await self.request_locked(stats, call, expect)

    async def request_locked(self, stats: CommStats, call: Callable[[], Any], expect: int) -> Reply:
        """`request` for a caller that already holds `self.lock` (a write + its read-back)."""
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
        if not self.proven:
            self.proven = True
            self.backoff.reset()
            self.next_connect_at = 0.0
        if rr.function_code > 0x80:  # Modbus exception reply
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
            msg = f"short reply: {len(regs)} of {expect} registers"
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
        client, unit = self.conn.client, self.unit
        return await self.conn.request(
            self.stats,
            lambda: client.read_holding_registers(address, count=count, device_id=unit),
            count,
        )

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
                stats, lambda: client.write_register(address, value, device_id=unit), 1
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
