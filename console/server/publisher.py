"""The server's side of the namespace: the plant's state out to the broker, retained.

Runs on the service thread as a ConsoleService listener, once per batch: the stations scanned in
the batch get a new state message, the stations whose alarms may have changed get their alarm
list again (skipped when its bytes are unchanged), the batch's journal events go out as a QoS 1
stream. A console that joins mid-shift receives every retained message at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from console.core.alarms.pending import pending_rooms
from console.core.events import JournalEvent
from console.core.live_store import StationLive
from console.core.picture import ServicePicture
from console.core.service import ConsoleService, ServiceUpdate
from console.core.status_words import StatusText
from console.remote import codec, topics
from console.remote.link import BrokerLink
from drivers.samples import StationScan

log = logging.getLogger(__name__)

EVENTS_PER_MESSAGE = 2000  # a cold-wave burst goes out in several messages, not one of 10 MB


def scan_of(st: StationLive) -> StationScan:
    """The live store's latest of a station as the scan it came from (what goes on the wire)."""
    return StationScan(
        st.station_id, st.last_scan or 0.0, st.values, st.quality, st.value_time,
        comm=st.comm, error=st.error, duration=st.last_duration,
    )  # fmt: skip


class StatePublisher:
    def __init__(self, service: ConsoleService, link: BrokerLink, partition: str) -> None:
        self.service = service
        self.link = link
        self.partition = partition
        self._alarm_bytes: dict[str, bytes] = {}  # last published alarm list per station
        self.published_states = 0
        self.published_alarms = 0
        self.extra_status: dict[str, Any] = {}  # e.g. the PostgreSQL forwarder's state
        self.picture = ServicePicture(service)
        # Network position of each station: the engine's per-station arrays are in that order.
        self._position = {s.id: i for i, s in enumerate(service.net.stations)}

    # --- whole picture (start, broker back) ---------------------------------------------
    def publish_all(self) -> None:
        """Everything retained again: the description, every station, every alarm list."""
        self.link.publish(
            topics.net(self.partition), codec.encode_network(self.service.net), qos=1, retain=True
        )
        self._alarm_bytes.clear()
        ids = [s.id for s in self.service.net.stations]
        with self.link.batch():
            for sid in ids:
                st = self.service.live.stations[sid]
                if st.scans:
                    self._publish_state(st)
            self.publish_alarms(ids, force=True)
        self.publish_status()

    # --- per batch (service listener) ---------------------------------------------------
    def on_update(self, update: ServiceUpdate) -> None:
        if not self.link.connected.is_set():
            return  # paho would queue them all; the whole picture goes out on reconnect
        live = self.service.live.stations
        with self.link.batch():  # one wake-up of paho's thread for the batch, not one each
            for sid in update.changed:
                self._publish_state(live[sid])
            touched = set(update.changed)
            touched.update(e.station for e in update.events if e.station)
            if touched:
                self.publish_alarms(touched)
            if update.events:
                self.publish_events(update.events)

    def _publish_state(self, st: StationLive) -> None:
        self.link.publish(topics.state(st.station_id), codec.encode_state(scan_of(st)), retain=True)
        self.published_states += 1

    def publish_alarms(self, stations: Iterable[str], force: bool = False) -> None:
        """The shown alarms of these stations (after a batch or an operator's action)."""
        want = [s for s in stations if s in self.service.live.stations]
        if not want:
            return
        eng = self.service.alarms
        by_station: dict[str, list] = {s: [] for s in want}
        # Shelved and out-of-service ones too, as the single seat's list shows them (muted,
        # counted as "Shelved/suppressed").
        for row in eng.summary(stations=want, group_rooms=False, include_hidden=True).rows:
            if row.alarm is not None:
                by_station[row.alarm.station].append(row.alarm)
        pending = pending_rooms(eng)
        # Only these stations' limits (a dict of the whole city per batch cost more than the
        # alarms themselves, measured with py-spy at 757 stations).
        low, crit = eng.room_limits()
        at = [self._position[s] for s in by_station]
        lows, crits = low[at].tolist(), crit[at].tolist()
        for (sid, views), lo, cr in zip(by_station.items(), lows, crits, strict=True):
            limits = (None if lo != lo else lo, None if cr != cr else cr)  # NaN: rule off
            data = codec.encode_alarms(sid, views, pending.get(sid), limits)
            if not force and self._alarm_bytes.get(sid) == data:
                continue
            self._alarm_bytes[sid] = data
            self.link.publish(topics.alarms(sid), data, retain=True)
            self.published_alarms += 1

    def publish_events(self, events: list[JournalEvent]) -> None:
        topic = topics.events(self.partition)
        for i in range(0, len(events), EVENTS_PER_MESSAGE):
            self.link.publish(topic, codec.encode_events(events[i : i + EVENTS_PER_MESSAGE]), qos=1)

    def publish_status(self) -> None:
        svc = self.service
        journal = svc.journal.status().describe() if svc.journal is not None else "journal: off"
        flood = svc.alarms.flood
        doc = {
            "v": codec.VERSION,
            "partition": self.partition,
            "online": True,
            "time": time.time(),
            "stations": len(svc.net.stations),
            "batches": svc.batches,
            "batch_s": svc.last_batch_s,
            "journal": journal,
            "flood": {"active": bool(flood.active), "count": int(flood.count)},
            "time_scale": self.picture.time_scale(),
            "poll": asdict(svc.poller.sweep_timing()),
            **self.extra_status,
        }
        # `stores` in parts with their codes and arguments, for a console to word in its own
        # language (the English stays in `stores` for every other reader).
        stores = doc.get("stores")
        if "stores" in doc:
            doc["stores_words"] = stores.doc() if isinstance(stores, StatusText) else None
        self.link.publish(topics.status(self.partition), codec.dumps(doc), qos=1, retain=True)


def offline_status(partition: str) -> bytes:
    """The server's last will: the broker publishes it when the server vanishes."""
    return codec.dumps({"v": codec.VERSION, "partition": partition, "online": False})
