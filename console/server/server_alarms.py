"""A server's own system alarms, out to every console as a standalone console shows its own.

The service raises them when its journal or history cannot write (console/core/system_alarms.py,
a full disk); a server adds one for its shared journal (PostgreSQL unreachable or refusing the
forwarder). Consoles have no other way to learn of them: they travel retained, as the alarms of
the pseudo-station `server:{partition}` (`hc/v1/alarms/server:north`, the alarms payload), and
the stores' state in words as the status's `stores` field. A console acknowledges them like any
alarm, under that station's keys; the server maps them back to its service's keys.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from console.core.events import JournalEvent
from console.core.service import ConsoleService, ServiceUpdate
from console.core.system_alarms import STATION as SERVICE_STATION
from console.remote import codec, topics
from console.remote.link import BrokerLink

if TYPE_CHECKING:  # psycopg is loaded only by a server that forwards to PostgreSQL
    from console.core.journal.pg_forward import ForwarderStatus

SHARED_RULE = "shared_journal_cannot_write"
# The forwarder's states that mean events are not reaching PostgreSQL (WAITING is a server
# whose local journal is not created yet; STOPPED, its own shutdown).
_SHARED_BAD = ("retrying", "failed")  # ForwarderState values


class ServerAlarms:
    """Runs on the service loop (a service listener); `forwarder_status` may come from any
    thread."""

    def __init__(
        self,
        service: ConsoleService,
        link: BrokerLink,
        partition: str,
        *,
        shared_journal: bool,
        status: dict[str, Any],
        publish_events: Callable[[list[JournalEvent]], None],
        publish_status: Callable[[], None],
    ) -> None:
        self.service = service
        self.link = link
        self.station = topics.system_station(partition)
        self.status = status  # the server status's extra fields: `stores` goes there
        self.publish_events = publish_events
        self.publish_status = publish_status
        self.shared_key = (
            service.system_alarms.define(
                "shared_journal", SHARED_RULE, "shared journal cannot write"
            )
            if shared_journal
            else None
        )
        self._forwarder: ForwarderStatus | None = None
        self._sent: bytes | None = None
        self.published = 0

    # --- conditions -------------------------------------------------------------------------
    def forwarder_status(self, status: ForwarderStatus) -> None:
        """The forwarder's thread: remembered, evaluated at the next batch (service loop)."""
        self._forwarder = status

    def on_update(self, update: ServiceUpdate) -> None:
        events = self._shared_condition(update.time)
        if events:
            if self.service.journal is not None:
                self.service.journal.submit_many(events)
            if self.link.connected.is_set():
                self.publish_events(events)
        stores = self.service.store_text()
        if stores != self.status.get("stores"):
            self.status["stores"] = stores
            if self.link.connected.is_set():  # now, not at the next status round
                self.publish_status()
        self.publish()

    def _shared_condition(self, now: float) -> list[JournalEvent]:
        fs = self._forwarder
        if self.shared_key is None or fs is None:
            return []
        bad = str(fs.state) in _SHARED_BAD
        return self.service.system_alarms.update(self.shared_key, bad, fs.describe(), now)

    # --- out to the consoles ----------------------------------------------------------------
    def views(self) -> list[Any]:
        """The service's shown system alarms, under this server's station."""
        pre = len(SERVICE_STATION)
        return [
            dataclasses.replace(v, key=self.station + v.key[pre:], station=self.station)
            for v in self.service.system_alarms.views()
        ]

    def publish(self, force: bool = False) -> None:
        if not self.link.connected.is_set():
            self._sent = None  # all of it again once the link is back
            return
        data = codec.encode_alarms(self.station, self.views(), None)
        if not force and data == self._sent:
            return
        self._sent = data
        self.link.publish(topics.alarms(self.station), data, qos=1, retain=True)
        self.published += 1

    def service_keys(self, keys: list[str]) -> list[str]:
        """Consoles' keys of these alarms (`server:north/journal/…`) as the service names them
        (`console/journal/…`); other keys unchanged."""
        pre = self.station + "/"
        return [SERVICE_STATION + k[len(self.station) :] if k.startswith(pre) else k for k in keys]
