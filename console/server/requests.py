"""Consoles' requests to the server: MQTT v5 request/response, checked, executed once, answered.

A request arrives on `hc/v1/cmd/{user}/{partition}`; the broker lets a user publish only under
its own name, so the topic names the authenticated user. The server checks that user's role for
the verb (the second of the two checks; the broker's ACL is the first), executes the verb on the
service loop, and publishes the outcome to the request's response topic with its correlation
data. A correlation id is executed at most once: a duplicate delivery is answered with the first
outcome, never executed again.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import math
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from console.core.auth import roles
from console.core.journal.handover import write_handover
from console.core.journal.query import (
    Filters,
    filters_from_fields,
    iter_events,
    query,
    write_csv,
    write_json,
)
from console.core.journal.source import JournalReadError, JournalSource, SqliteSource
from console.core.service import ConsoleService
from console.core.system_alarms import STATION as SYSTEM_STATION
from console.remote import codec
from console.remote.link import BrokerLink, reply_properties
from console.remote.reasons import Reason
from console.remote.topics import Topic
from console.server.prepared_files import MAX_FILE_BYTES, BoundedWriter, PreparedFiles
from console.vocabulary.keys import AlarmKey, KeyTextError
from drivers.writes import WriteResult

log = logging.getLogger(__name__)

MAX_KEYS = 20_000  # one acknowledge of a cold wave's room group, not more
MAX_TEXT = 4096
REMEMBERED = 10_000  # correlation ids remembered against duplicates
REMEMBER_MAX_BYTES = 64 * 1024  # larger answers are not kept for a duplicate delivery
_ANSWERED = codec.dumps({"ok": False, **Reason("answered_already").doc()})
JOURNAL_ROWS = 5000

# The role a verb needs, when it is not the verb's own name (core.auth.roles' table): reading a
# prepared file in parts is part of the export or handover that made it.
ROLE_VERB = {"file_part": "export"}

RoleOf = Callable[[str], "str | None"]
May = Callable[[str, str], "str | None"]  # (role, verb) -> None if allowed, else the reason


class Refused(Reason):
    """A request that is not executed, with the reason the console shows: a code and its
    arguments (console/remote/reasons.py), worded in English for other readers."""


def role_refusal(role: str, verb: str, reason: str) -> Refused:
    """The role check's refusal as a code: the roles' table (core/auth/roles.py) says which
    role the verb needs; another checker's reason travels as it is."""
    try:
        r = roles.Role.parse(role)
        needed = roles.MINIMUM_ROLE[roles.Verb(verb)]
    except (ValueError, KeyError):
        return Refused("refused", reason, why=reason)
    if r is roles.Role.SERVER:
        return Refused("not_a_person", reason)
    return Refused("needs_role", reason, needed=str(needed), role=str(r))


def _keys(args: dict[str, Any]) -> list[str]:
    keys = args.get("keys")
    if isinstance(keys, str):
        keys = [keys]
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise Refused("no_keys")
    if len(keys) > MAX_KEYS:
        raise Refused("too_many_keys", n=len(keys), most=MAX_KEYS)
    return keys


def _text(args: dict[str, Any], name: str, required: bool = True) -> str:
    v = args.get(name, "")
    if not isinstance(v, str) or (required and not v.strip()):
        raise Refused("need_text", name=name)
    if len(v) > MAX_TEXT:
        raise Refused("text_too_long", name=name, n=len(v), most=MAX_TEXT)
    return v


def _number(args: dict[str, Any], name: str) -> float:
    v = args.get(name)
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise Refused("need_number", name=name)
    return float(v)


def write_outcome(r: WriteResult) -> dict[str, Any]:
    return {
        "status": str(r.status), "station": r.station_id, "point": r.point, "value": r.value,
        "readback": r.readback, "exception": r.exception_code, "message": r.message,
        "sent": r.sent,
    }  # fmt: skip


class RequestHandler:
    def __init__(
        self,
        service: ConsoleService,
        link: BrokerLink,
        loop: asyncio.AbstractEventLoop,
        *,
        role_of: RoleOf,
        why_not: May,
        on_alarms_changed: Callable[[set[str]], None],
        journal_path: str | Path | None,
        shared_journal: str | None = None,
        catch_up: Callable[[], object] = lambda: None,
        system_keys: Callable[[list[str]], list[str]] = list,
    ) -> None:
        """`shared_journal`: the PostgreSQL journal this server forwards to (its own role):
        handover reports and exports come from there, the whole city as `heatconsole handover
        --db` sees it; `catch_up` (blocking, a worker thread) forwards what this server
        journalled before one is read. `system_keys`: consoles' keys of the server's own
        alarms -> the service's."""
        self.service = service
        self.link = link
        self.loop = loop
        self.role_of = role_of
        self.why_not = why_not
        self.on_alarms_changed = on_alarms_changed
        self.journal_path = Path(journal_path) if journal_path else None
        self.shared_journal = shared_journal
        self.catch_up = catch_up
        self.system_keys = system_keys
        self.files = PreparedFiles()
        self._done: OrderedDict[bytes, bytes] = OrderedDict()
        self._running: set[bytes] = set()
        self._tasks: set[asyncio.Future] = set()
        self.handled = 0
        self.refused = 0
        self._verbs: dict[str, Callable[[str, dict[str, Any]], Any]] = {
            "acknowledge": self._acknowledge,
            "shelve": self._shelve,
            "unshelve": self._unshelve,
            "silence": self._silence,
            "note": self._note,
            "write": self._write,
            "trend_query": self._trend,
            "journal_query": self._journal,
            "handover": self._handover,
            "export": self._export,
            "file_part": self._file_part,
        }

    # --- paho thread --------------------------------------------------------------------
    def on_message(self, msg: mqtt.MQTTMessage) -> None:
        """Hand the request to the service loop (the engine and the poller live there)."""
        props = getattr(msg, "properties", None)
        response = getattr(props, "ResponseTopic", None)
        corr = getattr(props, "CorrelationData", None)
        self.loop.call_soon_threadsafe(self._start, msg.topic, bytes(msg.payload), response, corr)

    # --- service loop -------------------------------------------------------------------
    def _start(self, topic: str, payload: bytes, response: str | None, corr: bytes | None) -> None:
        t = Topic.parse(topic)
        if t is None or t.kind != "cmd" or not response or corr is None:
            log.warning("request on %s without a response topic or correlation: dropped", topic)
            return
        user = t.name
        # Replies go under the requesting user's own reply topics, nowhere else.
        if Topic.parse(response) is None or not response.startswith(f"hc/v1/reply/{user}/"):
            log.warning("request by %s asked for replies on %s: dropped", user, response)
            return
        key = user.encode() + b"\0" + corr
        if key in self._done:  # a duplicate delivery: the first outcome, not a second execution
            self.link.publish(response, self._done[key], qos=1, properties=reply_properties(corr))
            return
        if key in self._running:
            return
        self._running.add(key)
        task = asyncio.ensure_future(self._run(user, payload, response, corr, key))
        self._tasks.add(task)  # held until done: the loop keeps only weak references
        task.add_done_callback(self._tasks.discard)

    async def _run(self, user: str, payload: bytes, response: str, corr: bytes, key: bytes) -> None:
        try:
            answer = {"ok": True, "result": await self._execute(user, payload)}
            self.handled += 1
        except Refused as e:
            answer = {"ok": False, **e.doc()}
            self.refused += 1
        except Exception as e:  # a bug must answer, not leave the console waiting
            log.exception("request by %s failed", user)
            answer = {"ok": False, **Reason("server_failed", why=f"{type(e).__name__}: {e}").doc()}
        data = codec.dumps(answer)
        self._running.discard(key)
        # A large answer (a file's part) is not kept for duplicates: 10,000 of them would hold
        # gigabytes. A duplicate gets the fact, not the bytes again.
        self._done[key] = data if len(data) <= REMEMBER_MAX_BYTES else _ANSWERED
        while len(self._done) > REMEMBERED:
            self._done.popitem(last=False)
        self.link.publish(response, data, qos=1, properties=reply_properties(corr))

    async def _execute(self, user: str, payload: bytes) -> Any:
        try:
            req = codec.loads(payload, "request")
        except codec.CodecError as e:
            raise Refused("bad_request", why=str(e)) from None
        if not isinstance(req, dict) or not isinstance(req.get("verb"), str):
            raise Refused("no_verb")
        verb, args = req["verb"], req.get("args") or {}
        if not isinstance(args, dict):
            raise Refused("bad_args")
        fn = self._verbs.get(verb)
        if fn is None:
            raise Refused("unknown_verb", verb=verb)
        role = self.role_of(user)
        if role is None:
            raise Refused("unknown_user", user=user)
        reason = self.why_not(role, ROLE_VERB.get(verb, verb))
        if reason is not None:
            raise role_refusal(role, ROLE_VERB.get(verb, verb), reason)
        result = fn(user, args)
        if asyncio.iscoroutine(result):
            result = await result
        return result

    # --- verbs --------------------------------------------------------------------------
    def _alarm_stations(self, keys: list[str]) -> set[str]:
        own = self.service.live.stations
        try:
            parsed = [AlarmKey.parse(k) for k in keys]
        except KeyTextError as e:
            raise Refused("bad_key", why=str(e)) from None
        stations = {k.station for k in parsed}
        stations.discard(SYSTEM_STATION)  # the server's own alarms
        foreign = [k for k in parsed if k.station in stations - own.keys()]
        if foreign:
            raise Refused("foreign_alarms", keys=", ".join(foreign[:3]))
        return stations

    def _acknowledge(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        keys = self.system_keys(_keys(args))
        stations = self._alarm_stations(keys)
        comment = _text(args, "comment", required=False)
        try:
            events = self.service.acknowledge(keys, comment, user=user)
        except KeyError as e:
            raise Refused("no_alarm", key=str(e.args[0])) from None
        self.on_alarms_changed(stations)
        return {"acknowledged": sum(1 for e in events if e.action == "ack")}

    def _shelve(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        keys = _keys(args)
        stations = self._alarm_stations(keys)
        reason = _text(args, "reason")
        dur = args.get("duration_s")
        if dur is not None:
            dur = _number(args, "duration_s")
            if not 0 < dur <= 7 * 86400:
                raise Refused("shelve_duration")
        try:
            for k in keys:
                self.service.shelve(k, reason, dur, user=user)
        except KeyError as e:
            raise Refused("no_alarm", key=str(e.args[0])) from None
        self.on_alarms_changed(stations)
        return {"shelved": len(keys)}

    def _unshelve(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        keys = _keys(args)
        stations = self._alarm_stations(keys)
        try:
            for k in keys:
                self.service.unshelve(k, user=user)
        except KeyError as e:
            raise Refused("no_alarm", key=str(e.args[0])) from None
        self.on_alarms_changed(stations)
        return {"unshelved": len(keys)}

    def _silence(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        self.service.silence(user=user)
        return {"silenced": True}

    def _note(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        ev = self.service.note(_text(args, "text"), user=user)
        return {"id": ev.id}

    async def _write(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        sid, point = _text(args, "station"), _text(args, "point")
        value = _number(args, "value")
        st = self.service.live.stations.get(sid)
        if st is None:
            raise Refused("foreign_station", station=sid)
        if point not in st.table.index or st.table.defs[st.table.index[point]].access != "RW":
            raise Refused("not_writable", station=sid, point=point)
        return write_outcome(await self.service.write(sid, point, value, user=user))

    def _trend(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        sid, point = _text(args, "station"), _text(args, "point")
        start = _number(args, "start")
        end = _number(args, "end") if args.get("end") is not None else time.time()
        st = self.service.live.stations.get(sid)
        if st is None or point not in st.table.index:
            raise Refused("no_point", station=sid, point=point)
        t, v, q = self.service.trend(sid, point, start, end)
        return {"t": codec.pack_array(t), "v": codec.pack_array(v), "q": codec.pack_array(q)}

    async def _journal(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        if self.journal_path is None:
            raise Refused("no_journal")
        filt = journal_filters(args)
        path = self.journal_path

        def work() -> list[dict[str, Any]]:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
            try:
                return [e.to_row() for e in query(conn, filt)]
            finally:
                conn.close()

        rows = await asyncio.to_thread(work)  # SQLite off the service loop
        return {"rows": rows[:JOURNAL_ROWS], "more": len(rows) > JOURNAL_ROWS}

    # --- files: handover report, export -----------------------------------------------------
    def _open_source(self) -> tuple[JournalSource, str]:
        """The shared journal if this server has one and it answers, else its own file (worker
        thread); the second item says which, for the operator."""
        why = ""
        if self.shared_journal:
            from console.core.journal import postgres  # psycopg only where it is used

            try:
                self.catch_up()  # this server's latest events are in the report too
                return postgres.open_source(self.shared_journal), "the shared journal"
            except JournalReadError as e:
                why = str(e)
        if self.journal_path is None:
            raise Refused("no_journal_shared_down", why=why) if why else Refused("no_journal")
        conn = sqlite3.connect(f"file:{self.journal_path}?mode=ro", uri=True, timeout=5)
        note = f" (the shared journal did not answer: {why})" if why else ""
        return SqliteSource(conn), f"the journal of this server only{note}"

    async def _prepare(
        self, user: str, suffix: str, name: str, write: Callable[[JournalSource, Path], Any]
    ) -> dict[str, Any]:
        def work() -> dict[str, Any]:
            src, source = self._open_source()
            path = self.files.new_path(suffix)
            try:
                summary = write(src, path)
            except BaseException:
                path.unlink(missing_ok=True)
                raise
            finally:
                src.close()
            return {**self.files.offer(path, user, name), "source": source, "summary": summary}

        try:
            return await asyncio.to_thread(work)  # the journal and the disk off the loop
        except (JournalReadError, sqlite3.Error, OSError) as e:
            code = "handover_failed" if suffix == ".html" else "export_failed"
            raise Refused(code, why=str(e)) from None

    async def _handover(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        since, until = _number(args, "since"), _number(args, "until")
        if until <= since:
            raise Refused("handover_period")
        title = _text(args, "title", required=False) or "Shift handover"

        def write(src: JournalSource, path: Path) -> dict[str, Any]:
            r = write_handover(src, path, since, until, title=title)
            return {"raised": len(r.raised), "acknowledged": len(r.acks), "open": len(r.still_open)}

        return await self._prepare(user, ".html", "handover report", write)

    async def _export(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        fmt = args.get("format", "csv")
        if fmt not in ("csv", "json"):
            raise Refused("export_format")
        filt = export_filters(args)
        writer = write_json if fmt == "json" else write_csv

        def write(src: JournalSource, path: Path) -> dict[str, Any]:
            with path.open("w", newline="", encoding="utf-8") as fh:
                n = writer(iter_events(src, filt), BoundedWriter(fh, MAX_FILE_BYTES))  # type: ignore[arg-type]
            return {"records": n}

        return await self._prepare(user, f".{fmt}", "journal export", write)

    def _file_part(self, user: str, args: dict[str, Any]) -> dict[str, Any]:
        token = _text(args, "file")
        offset = args.get("offset", 0)
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise Refused("need_whole_number", name="offset")
        try:
            data, end = self.files.read(token, user, offset)
        except KeyError:
            raise Refused("no_file") from None
        except ValueError as e:
            raise Refused("file_part", why=str(e)) from None
        return {"offset": offset, "data": base64.b64encode(data).decode("ascii"), "end": end}

    def close(self) -> None:
        self.files.close()


def export_filters(f: dict[str, Any]) -> Filters:
    """An export's filters: the journal tab's, the whole range oldest first (as `log`)."""
    try:
        return filters_from_fields(f, limit=None, newest_first=False)
    except (TypeError, ValueError) as e:
        raise Refused("journal_filter", why=str(e)) from None


def journal_filters(f: dict[str, Any]) -> Filters:
    """The journal tab's filters (the same normalisation as `heatconsole log`)."""
    try:
        limit = int(f.get("limit") or 1000)
        return filters_from_fields(
            f,
            limit=max(1, min(limit, JOURNAL_ROWS + 1)),
            newest_first=bool(f.get("newest_first", True)),
        )
    except (TypeError, ValueError) as e:
        raise Refused("journal_filter", why=str(e)) from None
