"""EEMUA 191 alarm-flood detection and first-out marking.

Flood: 10 or more new (annunciated) alarms within 10 minutes for one operator's console. The
flood ends when the window holds fewer than `end_below` new alarms (hysteresis, so a rate
hovering at the threshold does not flap). Begin and end are journalled as SYSTEM events. The
engine adds a station's room alarms once per episode (AlarmEngine._count_new): 60 rooms of one
station going cold together are one event for the operator, not a flood.

The window runs on the process clock the alarm timers run on (station_config ProcessClock):
on a real network that is the wall clock; in the demo, whose simulator runs 60x faster, the
10-minute window is 10 simulated minutes (10 wall seconds). With the window on the wall clock
the demo's incidents, arriving 60x faster than any real night's, read as a flood within two
minutes: the count must state what a dispatcher would see at the simulated rate. Rates are
then per simulated hour (`per_hour`), and the journal's texts say so.

First-out: the first alarm of a burst at a station is marked, so the dispatcher sees the cause
(pump trip) rather than the consequences (cold rooms). A burst begins when an alarm activates
at a station with no other active or unacknowledged alarm, and ends when the station is quiet
again. Among alarms activating in the same scan, the one whose condition was seen first wins,
then the higher priority.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from console.core.events import JournalEvent, Kind
from station_config.alarm_rules import FloodConfig, ProcessClock


class FloodDetector:
    def __init__(self, cfg: FloodConfig, clock: ProcessClock | None = None) -> None:
        self.cfg = cfg
        self.clock = clock or ProcessClock()
        self._window: deque[tuple[float, int]] = deque()  # (time, new alarms at that time)
        self._count = 0
        self.active = False
        self.began: float | None = None
        self.peak = 0

    @property
    def count(self) -> int:
        """New alarms inside the window (as of the last update)."""
        return self._count

    @property
    def per_hour(self) -> float:
        """New alarms per hour of process time, from the window (EEMUA 191's average rate;
        per simulated hour when the process runs faster than the wall clock)."""
        return self._count * 3600.0 / self.cfg.window_s

    def add(self, t: float, n: int) -> None:
        if n > 0:
            self._window.append((t, n))
            self._count += n

    def update(self, now: float) -> list[JournalEvent]:
        # Times are wall epochs (what the journal records); the window is process time.
        cutoff = now - self.clock.wall_s(self.cfg.window_s)
        while self._window and self._window[0][0] <= cutoff:
            self._count -= self._window.popleft()[1]
        minutes = self.cfg.window_s / 60
        sim = " simulated" if self.clock.accelerated else ""
        if not self.active and self._count >= self.cfg.threshold:
            self.active, self.began, self.peak = True, now, self._count
            msg = f"alarm flood begins: {self._count} new alarms in {minutes:g}{sim} min"
            return [
                JournalEvent(
                    Kind.SYSTEM, msg, time=now, action="flood_begin", details={"count": self._count}
                )
            ]
        if self.active:
            self.peak = max(self.peak, self._count)
            if self._count < self.cfg.end_below:
                self.active = False
                began, self.began = self.began, None
                lasted = (now - (began or now)) * self.clock.scale / 60
                msg = f"alarm flood ends after {lasted:.1f}{sim} min"
                return [
                    JournalEvent(
                        Kind.SYSTEM,
                        msg,
                        time=now,
                        action="flood_end",
                        details={"peak": self.peak, "began": began},
                    )
                ]
        return []


class FirstOut:
    """First-out alarm per station (global slot index) for the current burst."""

    def __init__(self) -> None:
        self.by_station: dict[int, int] = {}

    def on_rises(
        self, stations: np.ndarray, slots: np.ndarray, starts: np.ndarray, prio: np.ndarray
    ) -> list[int]:
        """Record this scan's activations; return the slots newly marked first-out."""
        if len(slots) == 0:
            return []
        # Sort by station, condition start, priority rank: the first row per station wins.
        order = np.lexsort((prio, np.nan_to_num(starts, nan=np.inf), stations))
        st_sorted = stations[order]
        first = order[np.r_[True, st_sorted[1:] != st_sorted[:-1]]]
        marked = []
        for st, g in zip(stations[first].tolist(), slots[first].tolist(), strict=True):
            if st not in self.by_station:
                self.by_station[st] = g
                marked.append(g)
        return marked

    def release(self, station: int) -> None:
        self.by_station.pop(station, None)

    def is_first_out(self, station: int, slot: int) -> bool:
        return self.by_station.get(station) == slot
