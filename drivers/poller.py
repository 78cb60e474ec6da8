"""The Modbus polling engine: one asyncio task per station, each on its own drift-free cadence.

Per scan a station reads its planned blocks (`plan_blocks` over its point table) into a register
image, decodes the whole image at once (the table's precomputed `codec.DecodePlan`, word order
from the device's word-order register read in the same scan) and hands a `StationScan` to
`on_scan`. All per-point work is numpy over the station's table; the Python work per request
is constant.

Qualities, per point (drivers.samples.Quality):
- GOOD          read in this scan;
- SENSOR_FAULT  read in this scan and equal to the point's sentinel (value NaN);
- COMM_FAIL     the read carrying it failed (no reply, exception, short reply, link down); the
                value and its time are the last good ones (NaN if never read);
- STALE         read in this scan but the station's heartbeat has not advanced for
                `stale_after_scans` scans (and at least `heartbeat_min_s`): the device is hung
                and serves frozen values, so the whole station is STALE. (Every scan reads every
                block, so a point is either refreshed or its read failed — COMM_FAIL, which
                outranks STALE; "not refreshed for N scans" therefore shows up as COMM_FAIL with
                `value_time` telling how old the kept value is.)
- WRONG_DEVICE  the device answering is not this station: its identity registers (device_type,
                station_no; `expected_identity`) disagree. Nothing it sent is used: values,
                times, word order and heartbeat stay those of the right device, every point is
                WRONG_DEVICE and the scan's comm is CommState.WRONG_DEVICE with the reason
                ("wrong device: expected station 12, found 99") until the right device answers.

Identity is checked on every scan: the identity block is read with the others anyway, so the
check costs no request, and it covers every (re)connect. After a connect, values are used only
once the identity has been read and matched on that connection (until then: COMM_FAIL,
"identity not confirmed").

A dead or slow station only ever waits on itself: its task has its own schedule, a scan stops
at the first silent request (the rest of that scan is COMM_FAIL rather than 9 timeouts), and
ticks it overran are skipped, not queued.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from drivers.backoff import Backoff
from drivers.codec import decode_plan, image_size
from drivers.planner import plan_blocks, points_in_blocks
from drivers.points import PointTable, build_point_table
from drivers.samples import CommState, Quality, StationScan
from drivers.station_link import (
    ClientFactory,
    CommStats,
    Connection,
    ReplyKind,
    StationLink,
    connection_key,
    default_client_factory,
    route_pymodbus_logging,
)
from station_config.schema import NetworkDef, ScanGroup, StationDef

log = logging.getLogger(__name__)

ScanCallback = Callable[[StationScan], None]


@dataclass
class SweepTiming:
    """How the poller keeps its period, over the whole network (a server's status tells it).

    `scans` and `overruns` count since start; `worst_s` is the longest time from a scan's tick
    (its place on the period grid) to the end of that scan since the last `Poller.sweep_timing`
    — the sweep keeps the period while it stays below the period (a late start is the event
    loop short of CPU; a long scan is the network or the device)."""

    stations: int = 0
    scans: int = 0
    overruns: int = 0
    worst_s: float = 0.0
    worst_late_s: float = 0.0  # of the scans above: the longest wait for the loop to start one


# Global cap on requests in flight. A full-city sweep is 6,800 reads of ~20 ms each: 64 in
# flight makes it 2.4 s (measured, bench/bench_city_scan.py), 256 brings it under 1 s while
# still bounding the burst at start-up and after a network outage.
DEFAULT_MAX_IN_FLIGHT = 256

_GOOD = np.uint8(Quality.GOOD)
_STALE = np.uint8(Quality.STALE)
_FAULT = np.uint8(Quality.SENSOR_FAULT)
_COMM = np.uint8(Quality.COMM_FAIL)
_WRONG = np.uint8(Quality.WRONG_DEVICE)
_ID_LABELS = {"device_type": "device type", "station_no": "station"}


def expected_identity(
    net: NetworkDef, station: StationDef, table: PointTable, position: int | None = None
) -> dict[str, int]:
    """Identity point -> the value the right device reports (register-map.md, registers 0-11):
    `device_type` from the template, `station_no` from the station (default: its 1-based
    `position` in the network file). Only single-register unscaled points are compared."""
    want: dict[str, int] = {}
    dtype = net.templates[station.template].device_type
    if dtype is not None:
        want["device_type"] = dtype
    no = station.station_no
    if no is None:
        if position is None:
            position = next(i for i, s in enumerate(net.stations) if s.id == station.id) + 1
        no = position
    want["station_no"] = no
    ix = table.index
    return {
        k: v
        for k, v in want.items()
        if k in ix and table.defs[ix[k]].type == "u16" and table.defs[ix[k]].scale == 1.0
    }


class StationPoller:
    """Scans one station: owns its register image, last values and heartbeat watch."""

    def __init__(
        self,
        station: StationDef,
        table: PointTable,
        group: ScanGroup,
        link: StationLink,
        *,
        heartbeat_min_s: float = 3.0,
        identity: dict[str, int] | None = None,
    ):
        self.station = station
        self.table = table
        self.group = group
        self.link = link
        self.blocks = [(b.start, b.count) for b in plan_blocks(table)]
        n = len(table)
        # Block index of each point: a failed block fails exactly its points (one gather).
        self.point_block = np.zeros(n, dtype=np.int64)
        for bi, idx in enumerate(points_in_blocks(table, plan_blocks(table))):
            self.point_block[idx] = bi
        self.image = np.zeros(max(image_size(table), 1), dtype=np.uint16)
        self.values = np.full(n, np.nan)
        self.value_time = np.full(n, np.nan)
        self.dynamic = table.order == 2
        self.any_dynamic = bool(self.dynamic.any())
        self.not_dynamic = ~self.dynamic
        # Per scan only numpy passes over these (no per-point or per-table set-up).
        self.decoders = (decode_plan(table, 0), decode_plan(table, 1))
        self.all_points = np.ones(n, dtype=bool)
        self.all_points.setflags(write=False)
        self.no_points = np.zeros(n, dtype=bool)
        self.no_points.setflags(write=False)
        self.wo_index = table.word_order_index
        self.wo_addr = int(table.address[self.wo_index]) if self.wo_index is not None else -1
        self.word_order: int | None = None  # last known device word order (None: never read)
        hb = [i for i, p in enumerate(table.defs) if p.heartbeat]
        self.hb_index: int | None = hb[0] if hb else None
        self.hb_last: float | None = None
        self.hb_same_scans = 0
        self.hb_changed_at = time.monotonic()
        self.heartbeat_min_s = heartbeat_min_s
        ident = identity or {}
        self.id_names = list(ident)
        self.id_index = np.array([table.index[k] for k in ident], dtype=np.int64)
        self.id_addr = table.address[self.id_index].astype(np.int64)
        self.id_expect = np.array(list(ident.values()), dtype=np.uint16)
        self.id_addr_list = [int(a) for a in self.id_addr]
        self.id_expect_list = [int(e) for e in self.id_expect]
        self.id_verified = -1  # connection generation on which the identity last matched
        self.id_problem = ""  # "wrong device: ..." while the wrong device answers

    @property
    def stats(self) -> CommStats:
        return self.link.stats

    async def scan(self, *, ignore_backoff: bool = False) -> StationScan:
        t0 = time.perf_counter()
        link = self.link
        stats = link.stats
        stats.scans += 1
        errors: list[str] = []
        exceptions: list[tuple[int, int, int]] = []
        failed_blocks: list[int] = []
        requests = failed = 0
        link_failed = False
        if link.connected or await link.ensure_connected(ignore_backoff=ignore_backoff):
            image, conn, unit = self.image, link.conn, link.unit
            for bi, (start, count) in enumerate(self.blocks):
                reply = await conn.read_registers(stats, unit, start, count)
                requests += 1
                if reply.kind is ReplyKind.OK:
                    image[start : start + count] = reply.registers
                    continue
                failed += 1
                failed_blocks.append(bi)
                if reply.kind is ReplyKind.EXCEPTION:
                    # The device answered (link fine): this block's points fail, go on.
                    exceptions.append((start, count, reply.exception_code))
                    errors.append(f"read {start}+{count}: {reply.error}")
                    continue
                errors.append(reply.error)
                link_failed = True  # silence, or a short/garbled reply: a link/device fault
                if reply.kind in (ReplyKind.NO_REPLY, ReplyKind.LINK_DOWN):
                    break  # silent device: don't spend one timeout per remaining block
                if not link.connected:
                    break  # a bad reply dropped the link: the rest would only be "not connected"
        else:
            link_failed = True
            errors.append(stats.last_error or "not connected")
        now = time.time()
        every = not failed and requests == len(self.blocks)  # the usual scan: all read
        if every:
            ok = self.all_points  # shared and read-only: replaced, never changed below
        else:
            block_ok = np.zeros(len(self.blocks), dtype=bool)
            block_ok[:requests] = True
            block_ok[failed_blocks] = False
            ok = block_ok[self.point_block]
        # Nothing read: nothing to judge.
        withheld = self._identity(ok) if every or ok.any() else ""
        if withheld:
            ok = self.no_points  # nothing of this scan is the station's (see module doc)
            errors.insert(0, withheld)
            stats.note_error(withheld)
        if self.wo_index is not None and ok[self.wo_index]:
            self.word_order = int(self.image[self.wo_addr])
        if self.word_order is None and self.any_dynamic:
            ok = ok & self.not_dynamic  # f32 words without their order are not a value
        decoded, fault = self.decoders[1 if self.word_order == 1 else 0].decode(self.image)
        if ok is self.all_points:
            np.copyto(self.values, decoded)
            self.value_time.fill(now)
            quality = np.where(fault, _FAULT, _GOOD)
        else:
            self.values[ok] = decoded[ok]
            self.value_time[ok] = now
            quality = np.where(ok, np.where(fault, _FAULT, _GOOD), _COMM).astype(np.uint8)
        frozen = self._heartbeat_frozen(ok)
        if frozen:
            quality[quality == _GOOD] = _STALE
            errors.append("heartbeat not advancing (device hung?)")
        # An exception reply is the device talking (link fine); silence or garbage is not.
        failed_all = requests > 0 and failed == requests
        comm = CommState.FAILED if link_failed or failed_all else CommState.OK
        if withheld and self.id_problem:
            quality[:] = _WRONG
            comm = CommState.WRONG_DEVICE
        return StationScan(
            station_id=self.station.id,
            time=now,
            values=self.values.copy(),
            quality=quality,
            value_time=self.value_time.copy(),
            comm=comm,
            error="; ".join(errors),
            duration=time.perf_counter() - t0,
            requests=requests,
            failed_requests=failed,
            heartbeat_frozen=frozen,
            extra={"exceptions": exceptions} if exceptions else {},
        )

    def _identity(self, ok: np.ndarray) -> str:
        """ "" when this scan's values are the station's; else why they are withheld."""
        if not len(self.id_index):
            return ""
        gen = self.link.conn.generation
        if ok is self.all_points or ok[self.id_index].all():
            # Two registers: Python ints beat numpy's per-call overhead on every scan.
            found = [self.image.item(a) for a in self.id_addr_list]
            if found == self.id_expect_list:
                self.id_verified, self.id_problem = gen, ""
                return ""
            self.id_verified = -1
            self.id_problem = self._mismatch(found)
            return self.id_problem
        if self.id_problem:  # identity unread: still the wrong device until read right
            return self.id_problem
        if self.id_verified != gen:
            return f"identity not confirmed since connect ({', '.join(self.id_names)} unread)"
        return ""

    def _mismatch(self, found: list[int]) -> str:
        bad = [
            (_ID_LABELS.get(n, n), int(e), int(f))
            for n, e, f in zip(self.id_names, self.id_expect, found, strict=True)
            if e != f
        ]
        if len(bad) == 1:
            label, e, f = bad[0]
            return f"wrong device: expected {label} {e}, found {f}"
        exp = ", ".join(f"{label} {e}" for label, e, _ in bad)
        got = ", ".join(f"{label} {f}" for label, _, f in bad)
        return f"wrong device: expected {exp}; found {got}"

    def _heartbeat_frozen(self, ok: np.ndarray) -> bool:
        i = self.hb_index
        if i is None or not ok[i]:
            # No fresh heartbeat: keep the verdict of the last scan that had one.
            return self._frozen_now()
        hb = float(self.values[i])
        if hb != self.hb_last:
            self.hb_last = hb
            self.hb_same_scans = 0
            self.hb_changed_at = time.monotonic()
            return False
        self.hb_same_scans += 1
        return self._frozen_now()

    def _frozen_now(self) -> bool:
        # Both conditions: N scans (the rule) and a few seconds (the heartbeat ticks once a
        # second, so a 0.5 s scan sees it unchanged every other scan).
        return (
            self.hb_same_scans >= self.group.stale_after_scans
            and time.monotonic() - self.hb_changed_at >= self.heartbeat_min_s
        )


class Poller:
    """Polls every station of a network; hands each scan to `on_scan`.

    `on_scan` runs on the poller's event loop and must not block (e.g. `queue.put_nowait`, or a
    live store update). Use `start()`/`stop()`, or `run_forever()` until cancelled.
    """

    def __init__(
        self,
        net: NetworkDef,
        *,
        on_scan: ScanCallback | None = None,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        stations: list[str] | None = None,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        heartbeat_min_s: float = 3.0,
        client_factory: ClientFactory = default_client_factory,
        rng: random.Random | None = None,
    ):
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        route_pymodbus_logging()
        self.net = net
        self.on_scan = on_scan
        self.max_in_flight = max_in_flight
        self._rng = rng or random.Random()
        self._backoff = (backoff_base, backoff_cap)
        self._client_factory = client_factory
        self._heartbeat_min_s = heartbeat_min_s
        wanted = set(stations) if stations is not None else None
        self.station_defs = [s for s in net.stations if wanted is None or s.id in wanted]
        # Point tables are pure config: build them now so callers can index scans at once.
        self.tables: dict[str, PointTable] = {
            s.id: build_point_table(net.templates[s.template], s) for s in self.station_defs
        }
        self.pollers: dict[str, StationPoller] = {}
        self._connections: dict[str, Connection] = {}
        self._tasks: list[asyncio.Task] = []
        self._in_flight: asyncio.Semaphore | None = None
        self._stopping = False
        self._sweep = SweepTiming(stations=len(self.station_defs))

    # --- set-up -------------------------------------------------------------------------

    def _build(self) -> None:
        """Create clients (pymodbus needs a running loop for that)."""
        if self.pollers:
            return
        self._in_flight = asyncio.Semaphore(self.max_in_flight)
        position = {s.id: i + 1 for i, s in enumerate(self.net.stations)}
        for s in self.station_defs:
            group = self.net.scan_group_for(s)
            key = connection_key(s)
            conn = self._connections.get(key)
            if conn is None:
                base, cap = self._backoff
                conn = Connection(
                    key,
                    self._client_factory(s, group.timeout_s),
                    in_flight=self._in_flight,
                    backoff=Backoff(base, cap, floor=0.05, rng=self._rng),
                )
                self._connections[key] = conn
            table = self.tables[s.id]
            self.pollers[s.id] = StationPoller(
                s,
                table,
                group,
                StationLink(s, conn),
                heartbeat_min_s=self._heartbeat_min_s,
                identity=expected_identity(self.net, s, table, position[s.id]),
            )

    # --- running ------------------------------------------------------------------------

    async def start(self) -> None:
        if self._tasks:
            return
        self._build()
        n = len(self.pollers)
        for k, sp in enumerate(self.pollers.values()):
            # Each station's place on the grid, spread over one period so 757 stations don't
            # fire in one burst every period. (The first scan is not on it: see _run_station.)
            phase = sp.group.period_s * k / max(n, 1)
            task = asyncio.create_task(self._run_station(sp, phase), name=f"poll {sp.station.id}")
            self._tasks.append(task)

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        # Python 3.11's asyncio.wait_for (inside pymodbus' execute) swallows a cancellation
        # that arrives in the same loop iteration as the reply: that station's task then polls
        # on forever and a single cancel-and-gather hangs (seen with 757 stations and 256
        # requests in flight). So: a flag the loops check, and cancel again until all ended.
        self._stopping = True
        pending = {t for t in tasks if not t.done()}
        while pending:
            for t in pending:
                t.cancel()
            _, pending = await asyncio.wait(pending, timeout=0.5)
        await asyncio.gather(*tasks, return_exceptions=True)  # retrieve their outcomes
        self._stopping = False
        for conn in self._connections.values():
            conn.close()

    async def run_forever(self) -> None:
        await self.start()
        try:
            await asyncio.gather(*self._tasks)
        finally:
            await self.stop()

    async def __aenter__(self) -> Poller:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _run_station(self, sp: StationPoller, phase: float) -> None:
        loop = asyncio.get_running_loop()
        period = sp.group.period_s
        # The first scan runs at once (the global in-flight cap bounds that burst): the
        # operator sees the whole city after one sweep (< 1 s), not after a period of phase
        # ramp. Then the station keeps its spread grid point `phase`, a period later when that
        # would come less than half a period after the first scan.
        t_next = loop.time() + phase - (period if phase >= period / 2 else 0.0)
        first = True
        sweep = self._sweep
        while True:
            late = None
            if first:
                first = False
            else:
                delay = t_next - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                late = loop.time() - t_next
            try:
                scan = await sp.scan()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug must not silently end this station's polling
                log.exception("scan of %s failed", sp.station.id)
                scan = None
            sweep.scans += 1
            if late is not None:  # the first scan has no tick of its own (see above)
                took = loop.time() - t_next
                if took > sweep.worst_s:
                    sweep.worst_s, sweep.worst_late_s = took, late
            if scan is not None:
                self._emit(scan)
            if self._stopping:  # a cancellation swallowed by wait_for (see stop)
                return
            # Drift-free: the next tick is on the grid t0 + k*period; ticks already past are
            # skipped (counted), so an overrun never piles up scans.
            t_next += period
            now = loop.time()
            if t_next <= now:
                missed = math.floor((now - t_next) / period) + 1
                sp.stats.overruns += missed
                sweep.overruns += missed
                t_next += missed * period

    def _emit(self, scan: StationScan) -> None:
        if self.on_scan is None:
            return
        try:
            self.on_scan(scan)
        except Exception:
            log.exception("on_scan callback failed for %s", scan.station_id)

    # --- one-off operations -------------------------------------------------------------

    async def scan_once(self, station_id: str) -> StationScan:
        """Scan one station now (connecting first, regardless of backoff)."""
        self._build()
        return await self.pollers[station_id].scan(ignore_backoff=True)

    async def write(self, station_id: str, point: str, value: float):
        """Write one RW point over the station's own connection (never queued).

        Returns a drivers.writes.WriteResult. Shares the connection lock with the scans, so
        the one-request-in-flight rule holds.
        """
        from drivers.writes import WriteResult, WriteStatus, write_point

        self._build()
        sp = self.pollers[station_id]
        if sp.id_problem:  # never write into another station's device
            return WriteResult(
                WriteStatus.REJECTED, station_id, point, value, message=sp.id_problem
            )
        return await write_point(sp.link, sp.table, point, value)

    def sweep_timing(self) -> SweepTiming:
        """A copy of the sweep's timing; the worst times start again from here."""
        out = replace(self._sweep)
        self._sweep.worst_s = self._sweep.worst_late_s = 0.0
        return out

    def stats(self, station_id: str | None = None) -> dict[str, CommStats]:
        """Copies of per-station communication statistics."""
        return {
            sid: sp.link.snapshot()
            for sid, sp in self.pollers.items()
            if station_id is None or sid == station_id
        }

    def link(self, station_id: str) -> StationLink:
        self._build()
        return self.pollers[station_id].link


async def poll_once(
    net: NetworkDef,
    *,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    stations: list[str] | None = None,
) -> list[StationScan]:
    """Connect to every station, scan it once, close; scans in config order."""
    poller = Poller(net, max_in_flight=max_in_flight, stations=stations)
    poller._build()
    try:
        return list(await asyncio.gather(*(poller.scan_once(s.id) for s in poller.station_defs)))
    finally:
        await poller.stop()
