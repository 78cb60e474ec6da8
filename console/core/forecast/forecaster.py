"""The console's room forecaster: model refits, 48 h forecasts and advisories, off the hot path.

A daemon thread wakes every `period_s` (15 min by default: the models are hourly, so more often
buys nothing) and, for each station: reads its history (outdoor, T3, room mean, coldest room),
refits its model when an hour of new history has arrived, forecasts with the newest usable
outdoor forecast and updates the advisories. Journal events go to `record` (the service hands
`JournalWriter.submit_many`); the latest forecast and fit per station are kept for the GUI to
read (`latest`). Its own CPU time per cycle is measured (`status`), so the cost on a shared
machine is known. Blocking I/O (history file, forecast folder/URL) happens only here, never on
the poller's loop or the GUI thread. Qt-free.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from console.core.events import JournalEvent
from console.core.forecast.advisory import AdvisoryTracker
from console.core.forecast.model import (
    HOUR,
    FitReport,
    RoomForecast,
    StationSeries,
    SupplyLaw,
    ThermalModel,
)
from console.core.forecast.source import Forecast, ForecastSource, ForecastStatus

log = logging.getLogger(__name__)

POINTS = ("outdoor_temp", "t3_secondary_supply", "room_temp_mean", "room_temp_min")
HISTORY_DAYS = 21  # what a fit looks at: three weeks of hours, recent enough to track the season
HOLD_S = 1800.0  # a compressed history sample stands for at most this long


# What the forecaster reads: console.core.history.History.query (station, point, start, end).
QueryFn = Callable[[str, str, float, float], tuple[np.ndarray, np.ndarray, np.ndarray]]


def hourly_held(
    t: np.ndarray, v: np.ndarray, start: float, n: int, hold_s: float = HOLD_S
) -> np.ndarray:
    """Hourly means of a sample-and-hold signal (the history stores a sample on change, and at
    least every max interval), evaluated every 5 min; NaN where nothing holds."""
    grid = start + 300.0 * np.arange(12 * n) + 150.0
    t = np.asarray(t, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    if not len(t):
        return np.full(n, np.nan)
    i = np.searchsorted(t, grid, side="right") - 1
    ok = (i >= 0) & (grid - t[np.maximum(i, 0)] <= hold_s)
    held = np.where(ok, v[np.maximum(i, 0)], np.nan).reshape(n, 12)
    cnt = np.isfinite(held).sum(axis=1)
    tot = np.nansum(held, axis=1)
    return np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)


def station_series(query: QueryFn, station: str, now: float, days: int) -> StationSeries:
    """The station's last `days` days from the history, on the hourly grid ending at the last
    full hour before `now`."""
    end = np.floor(now / HOUR) * HOUR
    n = days * 24
    start = end - n * HOUR
    cols = []
    for p in POINTS:
        t, v, q = query(station, p, start - HOLD_S, end)
        good = np.asarray(q) == 0
        cols.append(hourly_held(np.asarray(t)[good], np.asarray(v)[good], start, n))
    return StationSeries(start, *cols)


@dataclass(frozen=True)
class ForecasterStatus:
    cycles: int
    last_cycle_cpu_s: float  # this thread's CPU time for the last cycle
    last_cycle_wall_s: float
    stations: int
    fitted: int
    forecast: ForecastStatus | None


class RoomForecaster:
    """Refits, forecasts and advises for `stations` on its own thread (`start`/`stop`), or one
    cycle at a time (`cycle(now)`, what the thread runs and what tests call)."""

    def __init__(
        self,
        stations: Sequence[tuple[str, str | None]],  # (station id, district id)
        query: QueryFn,
        source: ForecastSource,
        record: Callable[[list[JournalEvent]], None],
        *,
        curve_of: Callable[[str], SupplyLaw | None] = lambda _sid: None,
        period_s: float = 900.0,
        history_days: int = HISTORY_DAYS,
        threshold: float = 18.0,
    ) -> None:
        self.stations = list(stations)
        self.query = query
        self.source = source
        self.record = record
        self.curve_of = curve_of
        self.period_s = period_s
        self.history_days = history_days
        self.tracker = AdvisoryTracker(threshold)
        self.models: dict[str, ThermalModel] = {}
        self._fitted_hour: dict[str, float] = {}
        self._latest: dict[str, tuple[RoomForecast | None, FitReport | None]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = ForecasterStatus(0, 0.0, 0.0, len(self.stations), 0, None)

    # ---- what the GUI reads (any thread) ------------------------------------------------------
    def latest(self, station: str) -> tuple[RoomForecast | None, FitReport | None]:
        with self._lock:
            return self._latest.get(station, (None, None))

    def status(self) -> ForecasterStatus:
        with self._lock:
            return self._status

    # ---- the work -----------------------------------------------------------------------------
    def cycle(self, now: float | None = None) -> list[JournalEvent]:
        now = time.time() if now is None else now
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        fs = self.source.load(now)
        events = self.tracker.forecast_state(str(fs.state), fs.message, now)
        fc_in = fs.forecast if fs.usable else None
        fitted = 0
        for sid, district in self.stations:
            try:
                events += self._station(sid, district, now, fs, fc_in)
            except Exception:  # one station's bad data must not stop the others
                log.exception("room forecast for %s failed", sid)
            fitted += self.models.get(sid) is not None and self.models[sid].ready
        if events:
            self.record(events)
        with self._lock:
            self._status = ForecasterStatus(
                self._status.cycles + 1,
                time.thread_time() - cpu0,
                time.perf_counter() - wall0,
                len(self.stations),
                fitted,
                fs,
            )
        return events

    def _station(
        self, sid: str, district: str | None, now: float, fs: ForecastStatus, fc_in: Forecast | None
    ) -> list[JournalEvent]:
        s = station_series(self.query, sid, now, self.history_days)
        m = self.models.get(sid)
        if m is None:
            m = self.models[sid] = ThermalModel(curve=self.curve_of(sid))
        if self._fitted_hour.get(sid) != s.start:  # an hour of new history: refit
            m.fit(s)
            self._fitted_hour[sid] = s.start
        fc = None
        if fc_in is not None and m.ready:
            fc = m.forecast(s, fc_in.times, fc_in.outdoor_c, issued_at=fc_in.issued_at)
        with self._lock:
            self._latest[sid] = (fc, m.report)
        coldest = s.room_min[-1] if len(s) else np.nan
        return self.tracker.update(sid, fc, str(fs.state), now, float(coldest), district)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="room-forecaster", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.cycle()
            except Exception:
                log.exception("room forecaster cycle failed")
            self._stop.wait(self.period_s)


def stations_of(items: Iterable[object]) -> list[tuple[str, str | None]]:
    """(id, district) of station definitions (station_config.schema.StationDef)."""
    return [(s.id, getattr(s, "district", None)) for s in items]  # type: ignore[attr-defined]
