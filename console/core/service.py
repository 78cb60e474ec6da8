"""The console service: poller -> live store -> alarm engine -> journal, on one asyncio loop.

The same service backs `heatconsole poll` on a terminal and the GUI. Scans arrive one station
at a time; they are collected and evaluated as one batch every `batch_interval` seconds (the
alarm engine is vectorised over a batch), and listeners get one `ServiceUpdate` per batch —
never one call per sample. Everything here runs on the service's own loop; other threads talk
to it through `ServiceRunner.submit` (see service_runner.py).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import getpass
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.core.alarms.engine import ALL_VISIBLE, AlarmEngine
from console.core.alarms.summary import SummaryRow
from console.core.alarms.view_summary import station_rows
from console.core.events import JournalEvent, Kind
from console.core.history import History, HistoryStatus, default_history_path
from console.core.history.trend import trend as history_trend
from console.core.journal.writer import JournalWriter, WriterState, WriterStatus
from console.core.live_store import LiveStore
from console.core.status_words import StatusText, Words
from console.core.store_and_forward import same_filesystem
from console.core.system_alarms import STATION as SYSTEM_STATION
from console.core.system_alarms import SystemAlarms
from drivers.poller import DEFAULT_MAX_IN_FLIGHT, Poller
from drivers.samples import CommState, Quality, StationScan
from drivers.writes import WriteResult
from station_config.schema import NetworkDef

log = logging.getLogger(__name__)
REMOTE_CONTROL = 1  # control_level: 0 local, 1 SCADA (register-map.md)


@dataclass
class ServiceUpdate:
    """What changed during one batch interval."""

    time: float
    changed: set[str]  # station ids with a new scan
    events: list[JournalEvent]  # journal events of this batch (alarm, comm, system)
    scans: int
    journal: WriterStatus | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    history: HistoryStatus | None = None


Listener = Callable[[ServiceUpdate], None]


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still name someone
        return "operator"


class ConsoleService:
    def __init__(
        self,
        net: NetworkDef,
        *,
        journal_path: str | Path | None,
        history_path: str | Path | bool | None = None,
        user: str | None = None,
        config_file: str | None = None,
        batch_interval: float = 0.25,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        poller: Poller | None = None,
        restore_alarms: bool = False,
        journal_options: dict[str, Any] | None = None,
        history_options: dict[str, Any] | None = None,
    ) -> None:
        """`journal_options`/`history_options`: keyword arguments for the writers (disk
        reserve size, the history's free-space thresholds, ...)."""
        self.net = net
        # Start from what the journal says the operators already handled (a server restart
        # must not re-announce acknowledged or shelved alarms).
        self.restore_alarms = restore_alarms
        self.journal_path = Path(journal_path) if journal_path is not None else None
        self.user = user or default_user()
        self.config_file = config_file
        self.batch_interval = batch_interval
        self.poller = poller or Poller(net, max_in_flight=max_in_flight)
        # A poller handed in may already feed someone (a terminal table): keep them fed.
        self._downstream = self.poller.on_scan
        self.poller.on_scan = self._on_scan
        self.live = LiveStore(self.poller.tables)
        self.alarms = AlarmEngine(net)
        self.journal = (
            JournalWriter(journal_path, **(journal_options or {}))
            if journal_path is not None
            else None
        )
        # Trends longer than the ring: history.sqlite beside the journal unless given (False: off).
        if history_path is None and journal_path is not None:
            history_path = default_history_path(journal_path)
        self.history = None
        if history_path is not None and history_path is not False:
            hopts: dict[str, Any] = {"on_event": self._record_from_thread}
            # On the journal's disk the history yields to it: no history write while the
            # journal is short of space (its reserve released, or its commits failing).
            if self.journal is not None and same_filesystem(history_path, self.journal.path):
                hopts["yield_to"] = self.journal.disk_short
            self.history = History(history_path, self.poller.tables, **hopts,
                                   **(history_options or {}))  # fmt: skip
        # CRITICAL while a store cannot write (the journal also while on its disk reserve).
        self.system_alarms = SystemAlarms()
        # The rule names read as the alarm list's message ("Journal cannot write safely").
        self.journal_alarm = self.system_alarms.define(
            "journal", "journal_cannot_write_safely", "journal cannot write safely"
        )
        self.history_alarm = self.system_alarms.define(
            "history", "history_cannot_write", "history cannot write"
        )
        self.listeners: list[Listener] = []
        # The room forecaster (console/core/forecast/wiring.py) when the network file names a
        # forecast source; its advisories arrive here from its thread, journalled by the batch.
        self.forecaster: Any = None
        self.forecast_events: collections.deque[list[JournalEvent]] = collections.deque()
        self._pending: list[StationScan] = []
        self._task: asyncio.Task | None = None
        self.batches = 0
        self.last_batch_s = 0.0  # seconds the last batch's evaluation took

    # --- life cycle -----------------------------------------------------------------------

    async def start(self) -> None:
        if self.restore_alarms and self.journal_path is not None:
            self._restore_alarms()
        self._record(
            [
                JournalEvent(
                    Kind.SYSTEM, f"console started by {self.user}", action="start", user=self.user
                ),
                JournalEvent(
                    Kind.CONFIG,
                    f"configuration loaded: {self.config_file or self.net.name} "
                    f"({len(self.net.stations)} stations)",
                    details={"file": self.config_file, "stations": len(self.net.stations)},
                ),
            ]
        )
        await self.poller.start()
        from console.core.forecast.wiring import start_forecaster

        self.forecaster = start_forecaster(self)
        self._task = asyncio.create_task(self._batch_loop(), name="service batches")

    def _restore_alarms(self) -> None:
        from console.core.alarms.restore import handled_alarms

        now = time.time()
        try:
            handled = handled_alarms(self.journal_path, now)  # type: ignore[arg-type]
        except Exception as e:  # an unreadable journal: start fresh, and say so
            log.warning("alarm states not restored from %s: %s", self.journal_path, e)
            self._record([JournalEvent(Kind.SYSTEM, f"alarm states not restored: {e}")])
            return
        n = self.alarms.restore(handled, now)
        if n:
            self._record(
                [
                    JournalEvent(
                        Kind.SYSTEM,
                        f"restored {n} alarm states from the journal (acknowledged, shelved, "
                        "unacknowledged): not announced again",
                        action="restore",
                        details={"restored": n},
                    )
                ]
            )

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.poller.stop()
        if self.forecaster is not None:
            await asyncio.to_thread(self.forecaster.stop)  # its cycle may be mid-fit
        self.process_pending()
        self._record(
            [
                JournalEvent(
                    Kind.SYSTEM, f"console stopped by {self.user}", action="stop", user=self.user
                )
            ]
        )
        if self.journal is not None:
            self.journal.close()
        if self.history is not None:
            self.history.close()

    async def __aenter__(self) -> ConsoleService:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- data path ------------------------------------------------------------------------

    def _on_scan(self, scan: StationScan) -> None:
        self._pending.append(scan)
        if self._downstream is not None:
            self._downstream(scan)

    async def _batch_loop(self) -> None:
        while True:
            await asyncio.sleep(self.batch_interval)
            try:
                self.process_pending()
            except Exception:  # one bad batch must not stop the console
                log.exception("processing a batch of scans failed")

    def process_pending(self, now: float | None = None) -> ServiceUpdate:
        """Evaluate the scans collected since the last batch and tell the listeners."""
        t0 = time.perf_counter()
        scans, self._pending = self._pending, []
        now = time.time() if now is None else now
        events: list[JournalEvent] = []
        if scans:
            # Only the newest scan of each station counts for this batch's live values, but
            # the alarm engine sees them all in order (on-delays count real scans).
            for sc in scans:
                self.live.update(sc)
            if self.history is not None:  # compressed on the way in: one numpy pass per scan
                self.history.submit_scans(scans)
            events += self.alarms.evaluate_batch(scans)
        events += self.alarms.tick(now)
        events += self._store_alarms(now)
        while self.forecast_events:  # advisories from the forecaster's thread
            events += self.forecast_events.popleft()
        self._record(events)
        self.batches += 1
        self.last_batch_s = time.perf_counter() - t0
        update = ServiceUpdate(
            time=now,
            changed={sc.station_id for sc in scans},
            events=events,
            scans=len(scans),
            journal=self.journal.status() if self.journal is not None else None,
            stats={"batch_s": self.last_batch_s},
            history=self.history.status() if self.history is not None else None,
        )
        for listener in list(self.listeners):
            try:
                listener(update)
            except Exception:
                log.exception("service listener failed")
        return update

    def _record(self, events: list[JournalEvent]) -> None:
        if events and self.journal is not None:
            self.journal.submit_many(events)

    def _record_from_thread(self, event: JournalEvent) -> None:
        """A store's own record (history paused/resumed), from its writer thread."""
        if self.journal is not None:
            with contextlib.suppress(RuntimeError):  # journal already closed at stop
                self.journal.submit(event)

    def _store_alarms(self, now: float) -> list[JournalEvent]:
        """Raise or clear the stores' system alarms from their status."""
        events: list[JournalEvent] = []
        if self.journal is not None:
            js = self.journal.status()
            bad = js.state in (WriterState.BUFFERING, WriterState.FAILED) or js.reserve_missing
            events += self.system_alarms.update(self.journal_alarm, bad, js.describe(), now)
        if self.history is not None:
            hs = self.history.status()
            bad = hs.state in (WriterState.BUFFERING, WriterState.FAILED, WriterState.PAUSED)
            events += self.system_alarms.update(self.history_alarm, bad, hs.describe(), now)
        return events

    def store_text(self) -> StatusText | None:
        """The stores in words for the status line while something is wrong (the history not
        writing, a store's system alarm shown); None: the journal's own status says it all.
        English, its parts carrying their codes for a window to word (core/status_words.py)."""
        notes: list[str] = []
        if self.history is not None:
            hs = self.history.status()
            if hs.state is not WriterState.WRITING:
                notes.append(hs.describe())
        for v in self.system_alarms.views():
            text = self.system_alarms.text(v.key)
            notes.append(
                Words("system_alarm", priority=v.priority.upper(), state=str(v.state), rule=v.rule,
                      text=text)
            )  # fmt: skip
        if not notes:
            return None
        journal = self.journal.status().describe() if self.journal is not None else "journal: off"
        return StatusText([journal, *notes])

    def system_alarm_rows(self) -> list[SummaryRow]:
        """The console's own alarms (its stores) as alarm-summary rows, station "console"."""
        return station_rows(SYSTEM_STATION, "", self.system_alarms.views())

    def trend(
        self, station_id: str, point: str, start: float, end: float | None = None
    ) -> tuple[Any, Any, Any]:
        """(t, v, q) numpy arrays of one point: the ring where it reaches, history before it."""
        return history_trend(self.live, self.history, station_id, point, start, end)

    # --- operator actions (call on the service loop) -----------------------------------------

    # `user`: who asked — the authenticated user of a server's request; the console's own
    # operator when left out (single seat).
    def acknowledge(
        self, keys: list[str] | str, comment: str = "", user: str | None = None
    ) -> list[JournalEvent]:
        now, who = time.time(), user or self.user
        sys_keys: list[str] | None = None  # None: every unacknowledged system alarm
        if isinstance(keys, str):
            events = self.alarms.acknowledge(keys, who, comment, now=now)
            if keys != ALL_VISIBLE:
                sys_keys = []
        else:
            keys = list(keys)
            sys_keys = [k for k in keys if self.system_alarms.owns(k)]
            rest = [k for k in keys if not self.system_alarms.owns(k)]
            events = self.alarms.acknowledge(rest, who, comment, now=now) if rest else []
        events += self.system_alarms.acknowledge(sys_keys, who, comment, now=now)
        self._record(events)
        return events

    def shelve(
        self,
        key: str,
        reason: str,
        duration_s: float | None,
        comment: str = "",
        user: str | None = None,
    ) -> list[JournalEvent]:
        events = self.alarms.shelve(
            key, user or self.user, reason, duration_s, one_shot=duration_s is None,
            now=time.time(),
        )  # fmt: skip
        self._record(events)
        return events

    def unshelve(self, key: str, comment: str = "", user: str | None = None) -> list[JournalEvent]:
        events = self.alarms.unshelve(key, user or self.user, comment, now=time.time())
        self._record(events)
        return events

    def silence(self, user: str | None = None) -> list[JournalEvent]:
        events = self.alarms.silence(user or self.user, now=time.time())
        self._record(events)
        return events

    def note(self, text: str, user: str | None = None) -> JournalEvent:
        who = user or self.user
        ev = JournalEvent(
            Kind.OPERATOR, f"{who}: note — {text}", user=who, action="note", comment=text
        )
        self._record([ev])
        return ev

    async def write(
        self, station_id: str, point: str, value: float, user: str | None = None
    ) -> WriteResult:
        """Write a setpoint, refused unless the station's data is GOOD and it is in remote
        control (handing control back from local is the one write allowed there); always
        journalled."""
        who = user or self.user
        st = self.live.stations[station_id]
        refusal = None
        if st.comm != CommState.OK or st.worst_quality >= Quality.COMM_FAIL:
            refusal = "station data is not GOOD (communication failed or never read)"
        elif (
            "control_level" in st.table.index
            and st.value("control_level") == 0
            and not (point == "control_level" and value == REMOTE_CONTROL)
        ):
            # register-map.md: in local control the device takes a write to register 9 only;
            # the one the console makes is handing control back (1 = SCADA).
            refusal = "station is in local control (a field engineer holds it)"
        if refusal is not None:
            from drivers.writes import WriteStatus

            result = WriteResult(WriteStatus.REJECTED, station_id, point, value, message=refusal)
        else:
            result = await self.poller.write(station_id, point, value)
        station = self.net.station(station_id)
        old = st.value(point) if point in st.table.index else None
        self._record(
            [
                JournalEvent(
                    Kind.OPERATOR,
                    f"{who}: write {station_id}.{point} {old} -> {value}: {result.status}"
                    + (f" — {result.message}" if result.message else ""),
                    station=station_id,
                    district=station.district,
                    point=point,
                    value=value,
                    user=who,
                    action="write",
                    details={
                        "old": old,
                        "readback": result.readback,
                        "status": str(result.status),
                        "exception": result.exception_code,
                    },
                )
            ]
        )
        return result
