"""One acquisition server: today's service (poller, live store, alarm engine, journal, history)
for one partition of the network, published over MQTT, answering consoles' requests.

It is the only authority for the alarm state of its stations. Everything runs on one asyncio
loop (the service's); paho's network thread only hands messages over to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from console.core.service import ConsoleService
from console.remote import codec, topics
from console.remote.link import BrokerAddress, BrokerLink
from console.server.forecast_publisher import ForecastPublisher
from console.server.partition import Partition
from console.server.publisher import StatePublisher, offline_status
from console.server.requests import May, RequestHandler, RoleOf
from console.server.server_alarms import ServerAlarms
from station_config.schema import NetworkDef

log = logging.getLogger(__name__)

CATCH_UP_S = 5.0  # a report waits at most this long for the forwarder
STATUS_EVERY_S = 2.0  # consoles call a partition lost when its status is older than 5 s


@dataclass
class ServerLogin:
    username: str
    password: str
    ca_file: str | None = None


@dataclass
class Roles:
    """Who may do what: the user store's answer, read when asked (a role change takes effect
    without a restart)."""

    role_of: RoleOf
    why_not: May
    users: Callable[[], dict[str, str]]  # name -> role, published to each user's own topic


class AcquisitionServer:
    def __init__(
        self,
        net: NetworkDef,
        partition: Partition,
        broker: BrokerAddress,
        login: ServerLogin,
        roles: Roles,
        *,
        journal_path: str | Path | None,
        history_path: str | Path | bool | None = None,
        config_file: str | None = None,
        db: str | None = None,
    ) -> None:
        """`db`: the shared journal (postgresql://…), fed from the local journal by
        store-and-forward (console/core/journal/pg_forward.py); DbError for an address that
        would send a password in clear."""
        self.partition = partition
        self.net = partition.select(net)
        self.roles = roles
        self.journal_path = journal_path
        self.forwarder = None
        journal_options: dict = {}
        if db and journal_path is not None:
            from console.core.journal.pg_forward import PgForwarder

            self.forwarder = PgForwarder(journal_path, db, on_status=self._shared_journal)
            # Committed locally: forward now, not at the forwarder's next look.
            journal_options["on_commit"] = lambda _batch: self.forwarder.notify()  # type: ignore[union-attr]
        self.service = ConsoleService(
            self.net,
            journal_path=journal_path,
            history_path=history_path,
            user=f"server:{partition.name}",
            config_file=config_file,
            restore_alarms=True,
            journal_options=journal_options,
        )
        self.link = BrokerLink(
            broker,
            username=login.username,
            password=login.password,
            client_id=f"hc-server-{partition.name}",
            ca_file=login.ca_file,
            will=(topics.status(partition.name), offline_status(partition.name)),
            subscriptions=((topics.server_commands(partition.name), 1),),
            on_state=self._on_link,
        )
        self.publisher = StatePublisher(self.service, self.link, partition.name)
        self.forecast = ForecastPublisher(self.service, self.link, partition.name)
        # Its own alarms (journal, history, shared journal cannot write) for every console.
        self.system = ServerAlarms(
            self.service, self.link, partition.name, shared_journal=self.forwarder is not None,
            status=self.publisher.extra_status, publish_events=self.publisher.publish_events,
            publish_status=self.publisher.publish_status,
        )  # fmt: skip
        self.db = db
        self.handler: RequestHandler | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task] = []
        self.link_changes: list[bool] = []
        self._users_published: dict[str, str] = {}  # name -> role, as the consoles last got it
        self._stopped = False

    # --- life cycle ---------------------------------------------------------------------
    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.handler = RequestHandler(
            self.service,
            self.link,
            self.loop,
            role_of=self.roles.role_of,
            why_not=self.roles.why_not,
            on_alarms_changed=self._alarms_changed,
            journal_path=self.journal_path,
            shared_journal=self.db if self.forwarder is not None else None,
            catch_up=self._catch_up,
            system_keys=self.system.service_keys,
        )
        self.link.on_message = self.handler.on_message
        await self.service.start()
        if self.forwarder is not None:
            self.forwarder.start()
        self.service.listeners.append(self.publisher.on_update)
        self.service.listeners.append(self.system.on_update)
        self.service.listeners.append(self.forecast.on_update)
        # paho's connect waits on its own thread; the loop keeps polling meanwhile.
        await asyncio.to_thread(self.link.start)
        self._tasks.append(asyncio.create_task(self._status_loop(), name="server status"))

    async def stop(self) -> None:
        """Idempotent: the service stops once (journal flushed and closed, stop recorded)."""
        if self.loop is None or self._stopped:
            return
        self._stopped = True
        for t in self._tasks:
            t.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await t
        self._tasks.clear()
        for fn in (self.publisher.on_update, self.system.on_update, self.forecast.on_update):
            if fn in self.service.listeners:
                self.service.listeners.remove(fn)
        await self.service.stop()
        if self.handler is not None:
            self.handler.close()  # prepared files go with the server
        if self.forwarder is not None:  # what the journal committed last goes out too
            await asyncio.to_thread(self.forwarder.flush, 5.0)
            await asyncio.to_thread(self.forwarder.stop)
        self.link.on_state = None  # a clean stop is not a lost link
        if self.link.connected.is_set():
            # A clean stop says so itself (the will is only for a crash).
            self.link.publish(
                topics.status(self.partition.name), offline_status(self.partition.name),
                qos=1, retain=True,
            ).wait_for_publish(2.0)  # fmt: skip
        await asyncio.to_thread(self.link.stop)

    async def __aenter__(self) -> AcquisitionServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- broker link --------------------------------------------------------------------
    def _shared_journal(self, status: object) -> None:
        """The forwarder's thread: its state travels in the server status to every console
        (an outage of PostgreSQL is visible to the operators; nothing is lost meanwhile)."""
        describe = getattr(status, "describe", None)
        self.publisher.extra_status["shared_journal"] = describe() if describe else str(status)
        # The same as data, for a console to word in its own language.
        self.publisher.extra_status["shared_journal_state"] = {
            "state": str(getattr(status, "state", "")),
            "connected": bool(getattr(status, "connected", False)),
            "waiting": int(getattr(status, "backlog", 0)),
            "since": getattr(status, "since", None),
            "error": getattr(status, "last_error", None),
        }
        self.system.forwarder_status(status)  # type: ignore[arg-type]

    def _catch_up(self) -> None:
        """A worker thread, before a report is read from the shared journal: what this server
        committed so far is forwarded (bounded: an outage does not hold the report up long)."""
        if self.forwarder is not None:
            self.forwarder.flush(CATCH_UP_S)

    def _alarms_changed(self, stations: set[str]) -> None:
        """An operator's action (service loop): the stations' lists and the server's own."""
        self.publisher.publish_alarms(stations)
        self.system.publish()

    def _on_link(self, up: bool, reason: str) -> None:
        """paho's thread: the link came (back) or went."""
        self.link_changes.append(up)
        if up and self.loop is not None:
            # Retained messages may be gone (a broker without persistence): all of it again.
            self.loop.call_soon_threadsafe(self._republish)
        elif not up:
            log.warning("broker link lost (%s); retrying", reason)

    def _republish(self) -> None:
        self.publish_users()
        self.publisher.publish_all()
        self.system.publish(force=True)
        self.forecast.publish(force=True)

    def publish_users(self, *, changed_only: bool = False) -> None:
        """Each user's role on its own retained topic (a console hides and explains by it).
        `changed_only`: what `heatconsole users` changed since the last publish — a promotion
        or demotion reaches the open consoles within a status period, not at the next restart.
        (A removed user needs nothing: the broker drops its connection when it reloads.)"""
        users = self.roles.users()
        if not changed_only:
            self._users_published = {}
        for name, role in users.items():
            if self._users_published.get(name) != role:
                doc = codec.dumps({"role": role})
                self.link.publish(topics.user(name), doc, qos=1, retain=True)
        self._users_published = users

    async def _status_loop(self) -> None:
        while True:
            await asyncio.sleep(STATUS_EVERY_S)
            if self.link.connected.is_set():
                try:
                    self.publisher.publish_status()
                    self.publish_users(changed_only=True)
                except Exception:
                    log.exception("publishing the server status failed")
