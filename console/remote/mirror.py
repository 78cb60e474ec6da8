"""A thin console's copy of the city, rebuilt from the servers' retained messages.

No poller, no alarm engine: the live store is filled with the StationScans the servers publish
(so the ring buffers give live trends from the moment of joining), and each station's alarms
are the list its server published. Owned by one thread (the session's loop); the snapshot is
built there too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from console.core.alarms.summary import AlarmView, SummaryRow
from console.core.alarms.view_summary import sort_rows, station_rows
from console.core.forecast.source import Forecast
from console.core.forecast.view import ForecastPicture
from console.core.live_store import LiveStore
from console.core.picture import RoomLimits
from console.remote import codec, topics
from console.remote.forecast_codec import decode_forecast, merge_pictures
from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.quality import Quality
from drivers.points import build_point_tables
from station_config.schema import NetworkDef

STATUS_LOST_S = 5.0  # a partition whose server said nothing for this long is lost
# The live trend ring of a thin console: a few hours at full city. Older data is the servers'
# history (trend_query); the single seat's 256 MB ring is its only past.
RING_BUDGET_BYTES = 48 * 1024 * 1024
_SOUNDING = (AlarmState.UNACK, AlarmState.RTN_UNACK)
# (status, its stores' text, its shared journal's text) -> the two texts in the interface's
# language, from the codes the status carries beside them (server_texts.py `partition_words`).
StatusWords = Callable[[dict[str, Any], str, "str | None"], tuple[str, "str | None"]]


@dataclass
class PartitionState:
    name: str
    net: NetworkDef
    status: dict[str, Any] = field(default_factory=dict)
    seen: float = 0.0  # monotonic time of its last status message

    @property
    def online(self) -> bool:
        return bool(self.status.get("online", False))


def reuse_views(old: tuple[AlarmView, ...], new: list[AlarmView]) -> tuple[AlarmView, ...]:
    """`new` with each alarm that did not change replaced by its view from `old`: what the
    mirror holds of a station stays the objects it already had, and the freshly decoded copies
    are freed at once (a station of 200 cold rooms is published again every scan)."""
    if not old:
        return tuple(new)
    was = {a.key: a for a in old}
    out = []
    for a in new:
        b = was.get(a.key)
        out.append(b if b is not None and b == a else a)
    return tuple(out)


class Mirror:
    def __init__(self) -> None:
        self.partitions: dict[str, PartitionState] = {}
        self._descriptions: dict[str, bytes] = {}  # per partition: the description applied
        self.net = NetworkDef(name="(waiting for the servers)")
        self.live = LiveStore({}, RING_BUDGET_BYTES)
        self.alarms: dict[str, tuple[AlarmView, ...]] = {}
        self.pending: dict[str, tuple[int, float]] = {}
        self.limits: dict[str, RoomLimits] = {}
        self.revision: dict[str, int] = {}  # per station: bumped with each alarm message
        self._rows: dict[str, list[SummaryRow]] = {}
        self.silenced_at = 0.0  # this seat's horn: alarms older than this do not sound
        self.stale: set[str] = set()  # stations whose server (or the broker) is lost
        self.messages = 0
        self.rejected: list[str] = []  # why messages were refused (last few, for the status)
        self._early: dict[str, bytes] = {}  # states that came before their description
        self.user = ""
        self.batches = 0
        self.link_lost_at: float | None = None  # epoch s: the broker link went down
        # Per partition: its forecaster's picture and the outdoor forecast it used.
        self._forecasts: dict[str, tuple[ForecastPicture, Forecast | None]] = {}
        # The city's picture, one object until a message changes it (the adapter memoises on it).
        self._forecast: ForecastPicture | None = None
        # The newest outdoor forecast (the pre-heating panel's worker reads it: one attribute).
        self.outdoor: Forecast | None = None
        # The window's wording of the servers' status texts (None: English as they came).
        self.words: StatusWords | None = None

    # --- messages -----------------------------------------------------------------------
    def apply_network(self, partition: str, data: bytes) -> None:
        if self._descriptions.get(partition) == data:
            # The retained description again (every reconnect of this console or of the
            # server): the same network, so the same objects — no second NetworkDef for the
            # window's memos to keep, no rebuilt live store (a full city's rings are 48 MB).
            return
        net = codec.decode_network(data)
        self._descriptions[partition] = data
        old = self.partitions.get(partition)
        self.partitions[partition] = PartitionState(
            partition, net, old.status if old else {}, old.seen if old else 0.0
        )
        self._rebuild()

    def forget_partition(self, partition: str) -> bool:
        """A retired partition (its retained description cleared, `server --retire`): its
        stations leave the city unless a live partition describes them."""
        self._descriptions.pop(partition, None)
        if self.partitions.pop(partition, None) is None:
            return False
        if self._forecasts.pop(partition, None) is not None:
            self._merge_forecasts()
        self._rebuild()
        return True

    def _rebuild(self) -> None:
        # Online partitions first: on a station both describe (a network re-partitioned while an
        # old description is still retained), the server that runs it now wins.
        order = sorted(self.partitions.values(), key=lambda p: (not p.online, p.name))
        nets = [p.net for p in order]
        self.net = codec.merge_networks(nets) if nets else self.net
        tables = build_point_tables(self.net)
        old = self.live.stations
        self.live = LiveStore(tables, RING_BUDGET_BYTES)
        for sid, st in old.items():  # keep what was received (a second server joining)
            if sid in self.live.stations and len(st.table) == len(tables[sid]):
                self.live.stations[sid] = st
        for sid, data in list(self._early.items()):
            if sid in self.live.stations:
                del self._early[sid]
                self.apply_state(sid, data)

    def apply_state(self, station: str, data: bytes) -> bool:
        st = self.live.stations.get(station)
        if st is None:
            self._early[station] = data  # its server's description is on its way
            return False
        try:
            scan = codec.decode_state(station, data, len(st.table))
        except codec.CodecError as e:
            self._reject(str(e))
            return False
        self.live.update(scan)
        self.stale.discard(station)
        self.messages += 1
        return True

    def apply_alarms(self, station: str, data: bytes) -> bool:
        try:
            sid, views, pending, limits = codec.decode_alarms(data)
        except codec.CodecError as e:
            self._reject(str(e))
            return False
        if sid != station:
            self._reject(f"alarms of {sid} published under {station}")
            return False
        self.limits[station] = limits
        if pending:
            self.pending[station] = pending
        else:
            self.pending.pop(station, None)
        self.messages += 1
        old = self.alarms.get(station)
        kept = reuse_views(old or (), views)
        if old is not None and kept == old:
            # Only the rooms waiting for their on-delay changed (a station's list is published
            # again each scan while rooms cool): the summary's rows of the station stay as built.
            return True
        self.alarms[station] = kept
        self.revision[station] = self.revision.get(station, 0) + 1
        self._rows.pop(station, None)
        return True

    def apply_forecast(self, partition: str, data: bytes) -> bool:
        """A partition's forecaster picture (empty: cleared with a retired partition)."""
        if not data:
            self._forecasts.pop(partition, None)
        else:
            try:
                self._forecasts[partition] = decode_forecast(data)
            except codec.CodecError as e:
                self._reject(str(e))
                return False
        self._merge_forecasts()
        self.messages += 1
        return True

    def _merge_forecasts(self) -> None:
        parts = [self._forecasts[k] for k in sorted(self._forecasts)]
        self._forecast = merge_pictures([p for p, _ in parts])
        outdoor = [o for _, o in parts if o is not None]
        self.outdoor = max(outdoor, key=lambda o: o.issued_at) if outdoor else None

    def apply_status(self, partition: str, data: bytes) -> None:
        if not data:
            return  # cleared with its description (a retired partition)
        try:
            doc = codec.loads(data, "status")
        except codec.CodecError as e:
            self._reject(str(e))
            return
        if not isinstance(doc, dict):
            return
        p = self.partitions.get(partition)
        if p is None:
            return  # its description arrives first (retained, same server)
        was = p.online
        p.status = doc
        p.seen = time.monotonic()
        if p.online != was and len(self.partitions) > 1:
            self._rebuild()  # which description wins may have changed

    def _reject(self, why: str) -> None:
        self.rejected = [*self.rejected[-9:], why]

    # --- staleness ----------------------------------------------------------------------
    def lost_partitions(self, now: float | None = None) -> list[str]:
        now = time.monotonic() if now is None else now
        return [
            p.name for p in self.partitions.values()
            if not p.online or now - p.seen > STATUS_LOST_S
        ]  # fmt: skip

    def mark_stale(self, stations: list[str] | None = None) -> None:
        """Every value of these stations (all: the broker is gone) is no longer live."""
        ids = list(self.live.stations) if stations is None else stations
        for sid in ids:
            st = self.live.stations.get(sid)
            if st is None or sid in self.stale:
                continue
            q = st.quality.copy()
            q[q == Quality.GOOD] = Quality.STALE
            st.quality = q
            self.stale.add(sid)

    def stations_of(self, partition: str) -> list[str]:
        p = self.partitions.get(partition)
        return [s.id for s in p.net.stations] if p else []

    # --- what the snapshot reads (the same questions the single seat's service answers) ---
    def summary_rows(self) -> list[SummaryRow]:
        rows: list[SummaryRow] = []
        districts = {s.id: s.district for s in self.net.stations}
        for sid, views in self.alarms.items():
            if not views:
                continue
            cached = self._rows.get(sid)
            if cached is None:
                cached = station_rows(sid, districts.get(sid, ""), views)
                self._rows[sid] = cached
            rows.extend(cached)
        return sort_rows(rows)

    def group_signature(self, row: SummaryRow) -> tuple:
        return (row.station, self.revision.get(row.station, 0))

    def tone(self) -> Priority | None:
        best: Priority | None = None
        for sid, views in self.alarms.items():
            if topics.system_partition(sid) is not None:
                continue  # a server's own alarms do not sound, as a single seat's do not
            for a in views:
                fresh = a.state in _SOUNDING and a.time > self.silenced_at
                if fresh and (best is None or a.priority.rank < best.rank):
                    best = a.priority
        return best

    def flood(self) -> tuple[bool, int]:
        floods = [p.status.get("flood") or {} for p in self.partitions.values()]
        return any(f.get("active") for f in floods), sum(int(f.get("count", 0)) for f in floods)

    def pending_rooms(self) -> dict[str, tuple[int, float]]:
        return self.pending

    def room_limits(self) -> dict[str, RoomLimits]:
        return {s.id: self.limits.get(s.id, (None, None)) for s in self.net.stations}

    def time_scale(self) -> float:
        scales = [float(p.status.get("time_scale") or 1.0) for p in self.partitions.values()]
        return max(scales, default=1.0)

    def forecast(self) -> ForecastPicture | None:
        """The servers' room forecasts, fits and advisories (None: none published yet)."""
        return self._forecast

    def link_problem(self) -> str:
        if self.link_lost_at is not None:
            since = time.strftime("%H:%M:%S", time.localtime(self.link_lost_at))
            return f"SERVER LINK LOST since {since} — values are stale, actions are not sent"
        lost = self.lost_partitions()
        if lost:
            return f"server of {', '.join(sorted(lost))} not answering — its stations are stale"
        if not self.partitions:
            return "waiting for the servers' description of the network…"
        return ""

    def journal_text(self) -> str:
        parts = []
        for p in self.partitions.values():
            # The server's stores in words while one is in trouble (as a single seat's status
            # says of its own), else its journal's state.
            journal = p.status.get("stores") or p.status.get("journal", "?")
            shared = p.status.get("shared_journal")
            if self.words is not None:
                journal, shared = self.words(p.status, str(journal), shared)
            parts.append(f"{p.name}: {journal}" + (f" · {shared}" if shared else ""))
        return " · ".join(parts) if parts else "journal: on the server"

    def complete(self) -> bool:
        return bool(self.live.stations) and all(st.scans > 0 for st in self.live.stations.values())
