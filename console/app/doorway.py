"""The window's one way to the service: an object with the operator's verbs.

Two implementations, chosen once by how the console was started (PyDM's "one plugin per
address scheme"): `LocalDoorway`, the in-process service of a single seat or a field laptop,
and `RemoteDoorway`, the acquisition servers over MQTT. Nothing above this module knows which
one it has. Outcomes come back as queued signals (the window's declared slots receive them);
nothing here blocks the GUI thread.
"""

from __future__ import annotations

import concurrent.futures
import sqlite3
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from console import cli_i18n
from console.app import i18n
from console.app.action_words import name as action
from console.app.bridge import ServiceBridge
from console.app.server_texts import partition_words, reason_text, worded
from console.core.atomic_file import write_text_atomically
from console.core.auth import roles
from console.core.forecast import wiring
from console.core.forecast.source import ForecastSource
from console.core.forecast.wiring import StationHistory
from console.core.journal.handover import write_handover
from console.core.journal.query import Filters, iter_events, query, write_csv, write_json
from console.remote import codec
from console.remote import files as remote_files
from console.remote.outdoor_source import PublishedForecastSource
from console.remote.reasons import Reason
from console.remote.session import RemoteSession, RequestFailed
from console.server.requests import journal_filters
from console.vocabulary.keys import AlarmKey, PointKey
from drivers.writes import WriteResult, WriteStatus
from station_config.schema import NetworkDef

TrendData = tuple[np.ndarray, np.ndarray, np.ndarray]


class Doorway(QObject):
    """Base: the signals every implementation emits, and the role question."""

    action_done = Signal(str, object, object)  # what, result, exception (None = ok)
    trend_fetched = Signal(object, float, float)  # {key: (t, y, q)}, start, end
    journal_rows = Signal(object, bool, bool, int)  # rows, has_more, append, query number
    message = Signal(str)
    file_written = Signal(str, str)  # what ("csv", "json", "handover"), path
    # A thin console's network grew (another partition's server joined): the whole new one.
    network_changed = Signal(object)

    net: NetworkDef
    bridge: ServiceBridge
    user: str
    role: str | None = "admin"
    remote = False

    def why_not(self, verb: str) -> str | None:
        """None when this console's user may do `verb`, else the reason (shown on hover). The
        roles' one table (core.auth.roles); the server checks again, this only hides and
        explains. A single seat's local operator may do all the station allows."""
        if not self.remote:
            return None
        if self.role is None:
            return "waiting for the server to confirm your role"
        return roles.why_not(self.role, verb)

    def why_not_words(self, verb: str) -> str | None:
        """`why_not` in the interface language (the panels' hover texts)."""
        why = self.why_not(verb)
        if why is None or not self.remote:
            return why
        if self.role is None:
            return self.tr("waiting for the server to confirm your role")
        try:
            needed = roles.MINIMUM_ROLE[roles.Verb(verb)]
        except (KeyError, ValueError):
            return why
        return reason_text(Reason("needs_role", why, needed=str(needed), role=str(self.role)))

    def forecast_source(self) -> ForecastSource | None:
        """Where a plan's outdoor forecast comes from (None: nowhere)."""
        return None

    def station_history(self) -> StationHistory:
        """How a plan reads the history `fetch_trend` brings (its times are wall times): the
        plant's clock, and hours it lacks filled from where. Here a real network's: wall time."""
        return StationHistory()

    def _done(self, what: str, fut: concurrent.futures.Future) -> concurrent.futures.Future:
        """Report a future's outcome through action_done (and refresh the picture)."""
        return self.bridge.track(what, fut)

    def close(self) -> None:
        pass


class LocalDoorway(Doorway):
    """Single seat / field laptop: the service runs in this process, on its runner thread."""

    def __init__(self, bridge: ServiceBridge, journal_path: str | Path | None) -> None:
        super().__init__()
        self.bridge = bridge
        self.svc = bridge.service
        self.net = self.svc.net
        self.user = self.svc.user
        self.role = None  # the local operator may do everything the station allows
        self.journal_path = Path(journal_path) if journal_path else None
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="journal-query")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    # --- foresight: what the service's room forecaster reads, read the same way --------------
    def forecast_source(self) -> ForecastSource | None:
        """The network file's `forecast:` source, the room forecaster's own."""
        return wiring.forecast_source(self.net.forecast)

    def station_history(self) -> StationHistory:
        """The forecaster's reading of the history: the plant's clock (the demo's simulator runs
        faster than the wall), its hold, the demo's simulated past before the history began."""
        return wiring.station_history(self.svc)

    # --- alarms -------------------------------------------------------------------------
    def acknowledge(self, keys: list[str]) -> None:
        self.bridge.call(action("acknowledge", n=len(keys)), self.svc.acknowledge, list(keys))

    def shelve(self, keys: list[str], duration_s: float | None, reason: str) -> None:
        svc = self.svc

        def shelve_all() -> int:
            for k in keys:
                svc.shelve(k, reason, duration_s)
            return len(keys)

        self.bridge.call(action("shelve", n=len(keys)), shelve_all)

    def unshelve(self, keys: list[str]) -> None:
        svc = self.svc

        def unshelve_all() -> int:
            for k in keys:
                svc.unshelve(k)
            return len(keys)

        self.bridge.call(action("unshelve", n=len(keys)), unshelve_all)

    def silence(self) -> None:
        self.bridge.call(action("silence"), self.svc.silence)

    def note(self, text: str) -> None:
        self.bridge.call(action("note"), self.svc.note, text)

    def write(self, sid: str, point: str, value: float) -> None:
        what = action("write", station=sid, point=point, value=value)
        self.bridge.submit(what, self.svc.write(sid, point, value))

    # --- reading ------------------------------------------------------------------------
    def fetch_trend(self, keys: list[str], start: float, end: float) -> None:
        svc = self.svc

        def work() -> dict[str, TrendData]:
            # On the service loop: the ring where it reaches and the history store before it.
            out: dict[str, TrendData] = {}
            for key in keys:
                if (pk := PointKey.try_parse(key)) is None:
                    continue
                st = svc.live.stations.get(pk.station)
                if st is not None and pk.point in st.table.index:
                    out[key] = svc.trend(pk.station, pk.point, start, end)
            return out

        assert self.bridge.runner is not None
        fut = self.bridge.runner.call(work)
        fut.add_done_callback(lambda f: self._trend_done(f, start, end))

    def _trend_done(self, f: concurrent.futures.Future, start: float, end: float) -> None:
        if f.exception() is None:
            self.trend_fetched.emit(f.result(), start, end)  # queued to the GUI thread
        else:
            self.message.emit(f"trend history failed: {f.exception()}")

    def _connect_ro(self) -> sqlite3.Connection:
        assert self.journal_path is not None
        return sqlite3.connect(f"file:{self.journal_path}?mode=ro", uri=True, timeout=5)

    def query_journal(self, filt: Filters, offset: int, append: bool, seq: int) -> None:
        if self.journal_path is None:
            return
        want = (filt.limit or 1) - 1 - offset

        def work() -> None:
            try:
                conn = self._connect_ro()
                try:
                    evs = query(conn, filt)
                finally:
                    conn.close()
                rows = [e.to_row() for e in evs[offset:]]
                self.journal_rows.emit(rows[:want], len(rows) > want, append, seq)
            except Exception as e:  # a locked or missing file: tell the operator, no crash
                self.message.emit(f"journal query failed: {e}")

        self._pool.submit(work)

    def export_journal(self, filt: Filters, fmt: str, out: Path) -> None:
        if self.journal_path is None:
            return
        writer = write_json if fmt == "json" else write_csv

        def work() -> None:
            try:
                conn = self._connect_ro()
                try:
                    n = write_text_atomically(out, lambda fh: writer(iter_events(conn, filt), fh))
                finally:
                    conn.close()
                self.message.emit(f"exported {n} records to {out}")
                self.file_written.emit(fmt, str(out))
            except Exception as e:
                self.message.emit(f"export failed: {e}")

        self._pool.submit(work)

    def handover(self, since: float, until: float, out: Path) -> None:
        if self.journal_path is None:
            return

        def work() -> None:
            try:
                conn = self._connect_ro()
                try:
                    # In the window's language, from the CLI's catalogue (console/cli_i18n.py).
                    lang = cli_i18n.use(i18n.current_language())
                    write_handover(conn, out, since, until, translate=cli_i18n.translate, lang=lang)
                finally:
                    conn.close()
                self.message.emit(f"handover report written: {out}")
                self.file_written.emit("handover", str(out))
            except Exception as e:
                self.message.emit(f"handover report failed: {e}")

        self._pool.submit(work)


class RemoteDoorway(Doorway):
    """Control room: every verb is a request to the server that owns the station."""

    remote = True

    def __init__(self, bridge: ServiceBridge, session: RemoteSession) -> None:
        super().__init__()
        self.bridge = bridge
        self.session = session
        self.user = session.user
        # Handover and export wait on the servers' answers: on this thread, never the GUI's.
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="remote-files")
        self._tell_network = self.network_changed.emit  # from the session's loop: queued
        session.network_listeners.append(self._tell_network)
        mirror = getattr(session, "mirror", None)  # (a stand-in session may have none)
        if mirror is not None:
            mirror.words = partition_words  # the servers' status texts, in our language

    @property
    def net(self) -> NetworkDef:  # type: ignore[override]
        return self.session.net  # grows when another partition's server joins

    @property
    def role(self) -> str | None:  # type: ignore[override]
        return self.session.role

    def forecast_source(self) -> ForecastSource:
        """The outdoor forecast the servers' forecasters published (a thin console has none of
        its own)."""
        return PublishedForecastSource(lambda: self.session.mirror.outdoor)

    def station_history(self) -> StationHistory:
        """On the servers' plant clock, from the network description they publish (the demo's
        simulator runs faster than the wall): the published forecast, the plan's hours and the
        fetched history then agree, as on the single seat."""
        return StationHistory(self.session.net.alarms.process_clock)

    def _partitions(self, keys: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for k in keys:
            ak = AlarmKey.try_parse(k)
            p = None if ak is None else self.session.partition_of(ak.station)
            if p is not None:
                out.setdefault(p, []).append(k)
        return out

    def _done(self, what: str, fut: concurrent.futures.Future) -> concurrent.futures.Future:
        """The servers' reasons reach the window in its language (server_texts)."""
        return super()._done(what, worded(fut))

    def _each_partition(self, what: str, verb: str, keys: list[str], **args: Any) -> None:
        for part, ks in self._partitions(keys).items():
            self._done(what, self.session.request(verb, {"keys": ks, **args}, part))

    def acknowledge(self, keys: list[str]) -> None:
        self._each_partition(action("acknowledge", n=len(keys)), "acknowledge", keys)

    def shelve(self, keys: list[str], duration_s: float | None, reason: str) -> None:
        self._each_partition(
            action("shelve", n=len(keys)), "shelve", keys, reason=reason, duration_s=duration_s
        )

    def unshelve(self, keys: list[str]) -> None:
        self._each_partition(action("unshelve", n=len(keys)), "unshelve", keys)

    def silence(self) -> None:
        self.session.call(self._silence_here)
        for part in list(self.session.mirror.partitions):
            self._done(action("silence"), self.session.request("silence", {}, part))

    def _silence_here(self) -> None:
        self.session.mirror.silenced_at = time.time()  # this seat's horn, at once

    def note(self, text: str) -> None:
        parts = sorted(self.session.mirror.partitions)
        if parts:
            self._done(action("note"), self.session.request("note", {"text": text}, parts[0]))

    def write(self, sid: str, point: str, value: float) -> None:
        what = action("write", station=sid, point=point, value=value)
        part = self.session.partition_of(sid)
        fut: concurrent.futures.Future = concurrent.futures.Future()
        if part is None:
            fut.set_exception(LookupError(f"no server owns {sid}"))
            self._done(what, fut)
            return
        req = self.session.request("write", {"station": sid, "point": point, "value": value}, part)

        def done(f: concurrent.futures.Future) -> None:
            exc = f.exception()
            if exc is not None:
                # Refused by the server: not sent. No answer: unknown — said, never retried.
                status = (
                    WriteStatus.REJECTED
                    if isinstance(exc, RequestFailed)
                    else (WriteStatus.NO_REPLY)
                )
                fut.set_result(WriteResult(status, sid, point, value, message=reason_text(exc)))
                return
            r = f.result()
            fut.set_result(
                WriteResult(
                    WriteStatus(r["status"]), sid, point, value, readback=r.get("readback"),
                    exception_code=r.get("exception"), message=r.get("message") or "",
                    sent=bool(r.get("sent")),
                )
            )  # fmt: skip

        req.add_done_callback(done)
        self._done(what, fut)

    def _may(self, verb: str, what: str) -> bool:
        """A viewer publishes nothing (the broker drops it): say so now, not after a timeout."""
        why = self.why_not_words(verb)
        if why is not None:
            self.message.emit(f"{what}: {why}")
        return why is None

    def fetch_trend(self, keys: list[str], start: float, end: float) -> None:
        if not self._may("trend_query", self.tr("trend history from the server")):
            return
        out: dict[str, TrendData] = {}
        futs: list[tuple[str, concurrent.futures.Future]] = []
        for key in keys:
            if (pk := PointKey.try_parse(key)) is None:
                continue
            part = self.session.partition_of(pk.station)
            if part is not None:
                args = {"station": pk.station, "point": pk.point, "start": start, "end": end}
                futs.append((key, self.session.request("trend_query", args, part)))
        left = len(futs)
        if not left:
            return

        def one(key: str, f: concurrent.futures.Future) -> None:
            nonlocal left
            if f.exception() is None:
                r = f.result()
                out[key] = tuple(codec.unpack_array(r[k]) for k in ("t", "v", "q"))  # type: ignore[assignment]
            else:
                why = reason_text(f.exception())  # type: ignore[arg-type]
                self.message.emit(
                    self.tr("trend history of {key}: {error}").format(key=key, error=why)
                )
            left -= 1
            if left == 0:
                self.trend_fetched.emit(out, start, end)

        for key, f in futs:
            f.add_done_callback(lambda f, key=key: one(key, f))

    def query_journal(self, filt: Filters, offset: int, append: bool, seq: int) -> None:
        if not self._may("journal_query", self.tr("journal")):
            return
        parts = sorted(self.session.mirror.partitions)
        if not parts:
            self.message.emit("journal: no server is connected yet")
            return
        args = _filters_doc(filt)
        want = (filt.limit or 1) - 1 - offset
        futs = [self.session.request("journal_query", args, p) for p in parts]
        left = len(futs)
        rows: list[dict[str, Any]] = []

        def one(f: concurrent.futures.Future) -> None:
            nonlocal left
            if f.exception() is None:
                rows.extend(f.result().get("rows", []))
            else:
                why = reason_text(f.exception())  # type: ignore[arg-type]
                self.message.emit(self.tr("journal query failed: {error}").format(error=why))
            left -= 1
            if left == 0:
                rows.sort(key=lambda r: r.get("time") or 0.0, reverse=filt.newest_first)
                page = rows[offset:]
                self.journal_rows.emit(page[:want], len(page) > want, append, seq)

        for f in futs:
            f.add_done_callback(one)

    def export_journal(self, filt: Filters, fmt: str, out: Path) -> None:
        if not self._may("export", self.tr("export")):
            return
        args = {**_filters_doc(filt), "format": fmt}
        self._fetch("export", fmt, args, out)

    def handover(self, since: float, until: float, out: Path) -> None:
        if not self._may("handover", self.tr("handover report")):
            return
        self._fetch("handover", "handover", {"since": since, "until": until}, out)

    def _fetch(self, verb: str, kind: str, args: dict[str, Any], out: Path) -> None:
        """Ask the servers for the file on a worker thread (it waits on their answers); `kind`
        is what file_written says ("csv", "json", "handover")."""
        session = self.session

        def work() -> None:
            parts = remote_files.shared_partitions(session)
            if not parts:
                self.message.emit(self.tr("no server is connected yet"))
                return
            for part in parts:
                # Servers without a shared journal: one file each, named after its partition.
                dest = out if len(parts) == 1 else out.with_stem(f"{out.stem}-{part}")
                try:
                    r = remote_files.ask(session, verb, args, part, dest)
                except Exception as e:  # refused, no reply, a disk error: said, not raised
                    self.message.emit(self._failed(verb, e))
                    continue
                self.message.emit(self._written(verb, r, dest))
                self.file_written.emit(kind, str(dest))

        self._pool.submit(work)

    def _failed(self, verb: str, e: Exception) -> str:
        if verb == "handover":
            return self.tr("handover report failed: {error}").format(error=reason_text(e))
        return self.tr("export failed: {error}").format(error=reason_text(e))

    def _written(self, verb: str, r: dict[str, Any], out: Path) -> str:
        shared = r.get("source") == "the shared journal"
        if verb == "handover":
            text = self.tr("handover report written: {file}").format(file=out)
        else:
            n = (r.get("summary") or {}).get("records", 0)
            text = self.tr("exported {n} records to {file}").format(n=n, file=out)
        whence = self.tr("from the shared journal") if shared else str(r.get("source") or "")
        return f"{text} — {whence}"

    def close(self) -> None:
        if self._tell_network in self.session.network_listeners:
            self.session.network_listeners.remove(self._tell_network)
        self._pool.shutdown(wait=False, cancel_futures=True)


def _filters_doc(f: Filters) -> dict[str, Any]:
    doc = {
        "since": f.since, "until": f.until, "station": list(f.stations or []),
        "district": list(f.districts or []), "priority": [str(p) for p in f.priorities or []],
        "state": [str(s) for s in f.states or []], "kind": [str(k) for k in f.kinds or []],
        "text": f.text, "limit": f.limit, "newest_first": f.newest_first,
    }  # fmt: skip
    journal_filters(doc)  # the server will parse it the same way: fail here first
    return doc


__all__ = ["Doorway", "LocalDoorway", "RemoteDoorway"]
