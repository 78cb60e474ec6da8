"""A thin console's link to the control room: the mirror, fed from the broker, and requests.

Threads: paho's network thread receives messages and only queues them to the session's own
asyncio loop (one thread, like the single seat's service thread), which applies them to the
mirror and, at most every `tick` seconds when something changed, tells its listeners — the same
listener contract as ConsoleService, so the GUI's bridge works unchanged on either.

Requests: MQTT v5 request/response, QoS 0 (at most once: a request is never re-sent by the
client library after a reconnect, and never by us); no answer within the timeout is an
outcome of its own, "no reply — unknown", which the operator sees.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt

from console.core.service import ServiceUpdate
from console.remote import codec, topics
from console.remote.link import BrokerAddress, BrokerLink, request_properties
from console.remote.mirror import Mirror
from console.remote.reasons import Reason
from console.remote.topics import Topic
from station_config.schema import NetworkDef

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 10.0
# The journal stream's newest events kept for `take_events`. Nothing in the window reads it
# yet, and each one kept costs ~1.4 KB: the 8,000 room alarms of the control-room bench's hold
# (its failed pumps' rooms cooling) would fill 10,000 (~14 MB) and keep them. A count bounds it.
EVENTS_KEPT = 500
# Kinds whose message is the whole present state of its subject (retained): a newer one makes
# the older useless. While the session's loop is behind (a cold-room onset republishes 60 KB
# alarm lists every scan; a busy GUI thread holds the GIL), each topic waits at most once, the
# newest: the backlog is bounded by the topics, not by how far behind the loop is (it held
# 719 messages, 9.5 MB, in a traced run). Events and replies are each their own: queued in order.
LATEST_WINS = frozenset({"net", "state", "alarms", "status", "forecast", "user"})
# An alarm change (another seat's acknowledgement, a new alarm) reaches the listeners at once,
# at most every URGENT_GAP_S; everything else at the tick.
URGENT_GAP_S = 0.05


class RequestFailed(Reason):
    """The server refused the request, with its reason (code, arguments, English text)."""


class NoReply(Reason):
    """No answer in time: the request may or may not have been executed (never re-sent)."""


def refusal(doc: object) -> RequestFailed:
    """A refusal answer as an exception: its English text, and its code and arguments when the
    server sent them (an older server, or another tool answering, sends the text only)."""
    if not isinstance(doc, dict):
        return RequestFailed("refused", "refused", why="")
    text = str(doc.get("error") or "refused")
    code, args = doc.get("code"), doc.get("args")
    if not isinstance(code, str) or not isinstance(args, dict):
        return RequestFailed("refused", text, why=text)
    return RequestFailed(code, text, **{str(k): v for k, v in args.items()})


class RemoteSession:
    def __init__(
        self,
        address: BrokerAddress,
        username: str,
        password: str,
        *,
        ca_file: str | None = None,
        tick: float = 0.25,
    ) -> None:
        self.user = username
        self.mirror = Mirror()
        self.mirror.user = username
        self.net = self.mirror.net
        self.tick = tick
        self.role: str | None = None
        self.listeners: list[Callable[[ServiceUpdate], None]] = []
        # Told (on the session's loop) when the merged network's stations change.
        self.network_listeners: list[Callable[[NetworkDef], None]] = []
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="heatconsole-remote", daemon=True)
        self._ready = threading.Event()
        self._urgent: asyncio.Event | None = None  # created on the session's loop
        # The journal stream, newest last (bounded: nobody may be reading it).
        self._events: deque[dict[str, Any]] = deque(maxlen=EVENTS_KEPT)
        self._pending: dict[bytes, concurrent.futures.Future] = {}
        # Messages of LATEST_WINS kinds not yet applied, newest per topic (paho thread -> loop).
        self._inbox: dict[str, bytes] = {}
        self._inbox_lock = threading.Lock()
        self.link_up = False
        self.link_lost_at: float | None = None
        self.batches = 0
        self.events_received = 0
        client_id = f"hc-{username}-{uuid.uuid4().hex[:8]}"
        self.reply_topic = topics.reply(username, client_id)
        self.link = BrokerLink(
            address,
            username=username,
            password=password,
            client_id=client_id,
            ca_file=ca_file,
            on_message=self._on_message,
            on_state=self._on_state,
            subscriptions=(
                *((t, 1) for t in topics.CONSOLE_SUBSCRIPTIONS),
                (topics.user(username), 1),
                (self.reply_topic, 1),
            ),
        )

    # --- life cycle ---------------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        self._ready.wait(5)
        self.link.start(timeout)  # LinkError (refused login, no broker) reaches the caller

    def stop(self) -> None:
        self.link.on_state = None  # a clean stop is not a lost link
        self.link.stop()
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(5)
        for fut in self._pending.values():
            if not fut.done():
                fut.set_exception(NoReply("console_closed"))

    @property
    def picture(self) -> Mirror:
        return self.mirror

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._ready.set)
        ticker = self.loop.create_task(self._ticker())
        self.loop.run_forever()
        ticker.cancel()
        self.loop.run_until_complete(asyncio.gather(ticker, return_exceptions=True))
        self.loop.close()

    def wait_complete(self, timeout: float) -> bool:
        """True once every published station has a state (tests, the join benchmark)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.call(self.mirror.complete).result(timeout):
                return True
            time.sleep(0.02)
        return False

    def call(self, fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future:
        """Run `fn` on the session's loop (the mirror's owner)."""

        async def run() -> Any:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self.loop)

    # --- incoming (paho thread -> session loop) ------------------------------------------
    def _on_message(self, msg: mqtt.MQTTMessage) -> None:
        topic, payload = msg.topic, bytes(msg.payload)
        parts = topic.split("/", 3)
        if len(parts) > 2 and parts[2] in LATEST_WINS:
            with self._inbox_lock:
                wake = not self._inbox
                self._inbox[topic] = payload  # a newer one replaces it where it waits
            if wake:
                self.loop.call_soon_threadsafe(self._drain)
            return
        props = getattr(msg, "properties", None)
        corr = getattr(props, "CorrelationData", None)
        self.loop.call_soon_threadsafe(self._apply, topic, payload, corr)

    def _drain(self) -> None:
        """Apply what waits in the inbox, oldest topic first (session loop)."""
        with self._inbox_lock:
            inbox, self._inbox = self._inbox, {}
        for topic, payload in inbox.items():
            try:
                self._apply(topic, payload, None)
            except Exception:  # one bad message must not drop the others drained with it
                log.exception("applying a message on %s failed", topic)

    def _on_state(self, up: bool, reason: str) -> None:
        self.loop.call_soon_threadsafe(self._link_changed, up, reason)

    def _link_changed(self, up: bool, reason: str) -> None:
        self.link_up = up
        self.mirror.link_lost_at = None if up else time.time()
        if up:
            self.link_lost_at = None  # the retained messages resynchronise everything
        else:
            self.link_lost_at = time.time()
            self.mirror.mark_stale()
            for corr, fut in list(self._pending.items()):
                if not fut.done():
                    fut.set_exception(NoReply("link_lost"))
                self._pending.pop(corr, None)

    def _apply(self, topic: str, payload: bytes, corr: bytes | None) -> None:
        t = Topic.parse(topic)
        if t is None:
            return
        m = self.mirror
        try:
            if t.kind == "state":
                m.apply_state(t.name, payload)
            elif t.kind == "alarms":
                if payload and m.apply_alarms(t.name, payload) and self._urgent is not None:
                    self._urgent.set()
            elif t.kind in ("net", "status"):
                before = [(s.id, s.template, s.rooms) for s in m.net.stations]
                if t.kind == "status":
                    m.apply_status(t.name, payload)
                elif payload:
                    m.apply_network(t.name, payload)
                else:  # the retained description cleared: the partition was retired
                    m.forget_partition(t.name)
                self.net = m.net
                if [(s.id, s.template, s.rooms) for s in m.net.stations] != before:
                    self._network_changed()
            elif t.kind == "forecast":
                m.apply_forecast(t.name, payload)
            elif t.kind == "events":
                rows = codec.decode_events(payload)
                self.events_received += len(rows)
                self._events.extend(rows)
            elif t.kind == "user" and t.name == self.user:
                doc = codec.loads(payload, "user") if payload else {}
                self.role = doc.get("role") if isinstance(doc, dict) else None
            elif t.kind == "reply":
                self._answer(corr, payload)
        except codec.CodecError as e:
            m._reject(str(e))
            return

    def _network_changed(self) -> None:
        """Another partition's server joined (or one's description changed): its stations,
        districts and geometry are added to the window without a restart."""
        for fn in list(self.network_listeners):
            try:
                fn(self.net)
            except Exception:
                log.exception("network listener failed")

    def _answer(self, corr: bytes | None, payload: bytes) -> None:
        fut = self._pending.pop(corr, None) if corr is not None else None
        if fut is None or fut.done():
            return  # an answer to a request that already timed out: the operator was told
        try:
            doc = codec.loads(payload, "reply")
        except codec.CodecError as e:
            fut.set_exception(RequestFailed("bad_reply", why=str(e)))
            return
        if isinstance(doc, dict) and doc.get("ok"):
            fut.set_result(doc.get("result"))
        else:
            fut.set_exception(refusal(doc))

    async def _ticker(self) -> None:
        self._urgent = urgent = asyncio.Event()
        last = 0.0
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(urgent.wait(), self.tick)
            gap = URGENT_GAP_S - (time.monotonic() - last)
            if gap > 0:
                await asyncio.sleep(gap)
            was_urgent = urgent.is_set()
            urgent.clear()
            last = time.monotonic()
            for p in self.mirror.lost_partitions():
                self.mirror.mark_stale(self.mirror.stations_of(p))
            # Every tick, like the single seat's batches: a listener that skipped a build for
            # its rate limit gets the next chance without waiting for new messages.
            self.batches += 1
            self.mirror.batches = self.batches
            update = ServiceUpdate(time.time(), set(), [], 0, None, {"urgent": was_urgent})
            for fn in list(self.listeners):
                try:
                    fn(update)
                except Exception:
                    log.exception("session listener failed")

    def take_events(self) -> list[dict[str, Any]]:
        """Journal events received since the last call, the newest EVENTS_KEPT of them
        (session loop); `events_received` counts them all."""
        out = list(self._events)
        self._events.clear()
        return out

    # --- requests -----------------------------------------------------------------------
    def partition_of(self, station: str) -> str | None:
        """The partition whose server owns this station (or these system alarms)."""
        own = topics.system_partition(station)
        if own is not None:
            return own if own in self.mirror.partitions else None
        # A live server before an old description still retained (a re-drawn network).
        for p in sorted(self.mirror.partitions.values(), key=lambda p: (not p.online, p.name)):
            if any(s.id == station for s in p.net.stations):
                return p.name
        return None

    def request(
        self,
        verb: str,
        args: dict[str, Any],
        partition: str,
        timeout: float = REQUEST_TIMEOUT_S,
    ) -> concurrent.futures.Future:
        """Send one request; the future gets the result, RequestFailed or NoReply."""
        fut: concurrent.futures.Future = concurrent.futures.Future()
        if not self.link.connected.is_set():
            fut.set_exception(NoReply("no_link"))
            return fut
        corr = uuid.uuid4().bytes

        def send() -> None:
            self._pending[corr] = fut
            info = self.link.publish(
                topics.cmd(self.user, partition),
                codec.dumps({"verb": verb, "args": args}),
                qos=0,
                properties=request_properties(self.reply_topic, corr),
            )
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                self._pending.pop(corr, None)
                fut.set_exception(NoReply("not_sent", why=mqtt.error_string(info.rc)))
                return
            self.loop.call_later(timeout, self._expire, corr)

        self.loop.call_soon_threadsafe(send)
        return fut

    def _expire(self, corr: bytes) -> None:
        fut = self._pending.pop(corr, None)
        if fut is not None and not fut.done():
            fut.set_exception(NoReply("no_reply"))
