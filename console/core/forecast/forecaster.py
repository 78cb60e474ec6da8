"""The console's room forecaster: model refits, 48 h forecasts and advisories, off the hot path.

A daemon thread wakes every `period_s` (15 min by default: the models are hourly, so more often buys
nothing) and, for each station: reads its history (outdoor, T3, room mean, coldest room, T1, valve
position), refits its model when an hour of new history has arrived, forecasts with the newest
usable outdoor forecast and updates the advisories. Journal events go to `record` (the service hands
`JournalWriter.submit_many`); the latest forecast and fit per station are kept for the GUI to read
(`latest`, and `picture()`: everything a view shows, immutable). Its own CPU time per cycle is
measured (`status`), so the cost on a shared machine is known. Blocking I/O (history file, forecast
folder/URL) happens only here, never on the poller's loop or the GUI thread. Qt-free.

Time: the model, the outdoor forecast and the advisories live in process time (what the plant
lives in); the history and the trend view in wall time. On a real network they are the same;
the demo's simulator runs `scale` times faster from `origin` (`clock`, station_config's
ProcessClock), so the history is read through it and the picture's times are converted back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

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
from console.core.forecast.view import ForecastPicture, StationForecast, build_picture

log = logging.getLogger(__name__)

# In StationSeries' order: outdoor, supply, rooms, then the primary side (T1, valve %).
POINTS = (
    "outdoor_temp",
    "t3_secondary_supply",
    "room_temp_mean",
    "room_temp_min",
    "t1_primary_supply",
    "valve_position",
)
SERIES_COLUMNS = ("outdoor", "supply", "room_mean", "room_min", "primary", "valve", "heat")
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


def station_series(
    query: QueryFn,
    station: str,
    now: float,
    days: int,
    hold_s: float = HOLD_S,
    prior: StationSeries | None = None,
) -> StationSeries:
    """The station's last `days` days from the history, on the hourly grid ending at the last
    full hour before `now`; hours the history lacks are taken from `prior` where it has them."""
    end = np.floor(now / HOUR) * HOUR
    n = days * 24
    start = end - n * HOUR
    cols = []
    for p in POINTS:
        t, v, q = query(station, p, start - hold_s, end)
        good = np.asarray(q) == 0
        cols.append(hourly_held(np.asarray(t)[good], np.asarray(v)[good], start, n, hold_s))
    s = StationSeries(start, *cols)
    return s if prior is None else fill_from(s, prior)


def fill_from(s: StationSeries, prior: StationSeries) -> StationSeries:
    """`s` with its missing hours taken from `prior` (hours aligned by their start times)."""
    off = round((prior.start - s.start) / HOUR)
    lo, hi = max(off, 0), min(len(s), off + len(prior))
    if hi <= lo:
        return s
    cols = []
    for name in SERIES_COLUMNS:
        mine, theirs = getattr(s, name), getattr(prior, name)
        if theirs is None:
            cols.append(mine)
            continue
        if mine is None:  # a column only the prior has (heat): its hours, the rest unknown
            mine = np.full(len(s), np.nan)
        mine = mine.copy()
        theirs = theirs[lo - off : hi - off]
        seg = mine[lo:hi]
        mine[lo:hi] = np.where(np.isfinite(seg), seg, theirs)
        cols.append(mine)
    return StationSeries(s.start, *cols)


class WallClock:
    """Process time = wall time (a real network); the demo hands a ProcessClock instead."""

    scale = 1.0
    origin = 0.0

    def process_time(self, wall: float) -> float:
        return wall


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
        clock: ProcessClockLike | None = None,
        prior: Callable[[float], dict[str, StationSeries]] | None = None,
        max_interval_s: float = 900.0,
    ) -> None:
        """`clock`: process time against the wall (the demo's accelerated simulator; default
        the same). `prior(now)`: hourly series of the stations' past where the history has none
        yet (the demo's simulated past), asked once. `max_interval_s`: the history's heartbeat
        (wall s): a stored sample stands at most that long."""
        self.stations = list(stations)
        self.source = source
        self.record = record
        self.curve_of = curve_of
        self.period_s = period_s
        self.history_days = history_days
        self.tracker = AdvisoryTracker(threshold)
        self.clock: ProcessClockLike = clock or WallClock()
        self.query = query if self.clock.scale == 1.0 else self._process_query(query)
        # A sample stands for its heartbeat interval, in process seconds.
        self.hold_s = max(HOLD_S, (max_interval_s + 60.0) * self.clock.scale)
        self._prior_fn = prior
        self._prior: dict[str, StationSeries] | None = None
        self.models: dict[str, ThermalModel] = {}
        self._fitted_hour: dict[str, float] = {}
        self._fitted_at: dict[str, float] = {}
        self._history_h: dict[str, int] = {}
        self._latest: dict[str, tuple[RoomForecast | None, FitReport | None]] = {}
        self._picture: ForecastPicture | None = None
        self._raised: dict[str, float] = {}  # station -> wall time its advisory was raised
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

    def picture(self) -> ForecastPicture | None:
        """What the views show (None before the first cycle): immutable, any thread."""
        with self._lock:
            return self._picture

    def _process_query(self, query: QueryFn) -> QueryFn:
        c = self.clock

        def in_process_time(station: str, point: str, start: float, end: float) -> tuple:
            t, v, q = query(station, point, self.to_wall(start), self.to_wall(end))
            return c.origin + (np.asarray(t, dtype=np.float64) - c.origin) * c.scale, v, q

        return in_process_time

    def to_wall(self, t: float | np.ndarray) -> float | np.ndarray:
        c = self.clock
        return c.origin + (t - c.origin) / c.scale

    # ---- the work -----------------------------------------------------------------------------
    def cycle(self, now: float | None = None) -> list[JournalEvent]:
        """One pass over every station; `now` in process time (default: the clock's now)."""
        now = self.clock.process_time(time.time()) if now is None else now
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        if self._prior is None and self._prior_fn is not None:
            try:
                self._prior = self._prior_fn(now)
            except Exception:  # no simulated past: the model waits for real history
                log.exception("the forecaster's prior history failed")
                self._prior = {}
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
        if self.clock.scale != 1.0:
            # The journal is on the wall clock (its rows sort with every other record; in the
            # demo the plant's clock runs ahead); the message keeps the plant's "≈ HH:MM".
            events = [replace(ev, time=float(self.to_wall(ev.time)), id="") for ev in events]
        for ev in events:
            if ev.action == "raise" and ev.station:
                self._raised[ev.station] = time.time()  # wall: the alarm list's time column
        if events:
            self.record(events)
        status = ForecasterStatus(
            self._status.cycles + 1,
            time.thread_time() - cpu0,
            time.perf_counter() - wall0,
            len(self.stations),
            fitted,
            fs,
        )
        views = self._station_views(now)
        picture = build_picture(views, fs, self.tracker, now, self.to_wall, self._raised)
        with self._lock:
            self._status = status
            self._picture = picture
        return events

    def _station_views(self, now: float) -> dict[str, StationForecast]:
        out = {}
        for sid, _district in self.stations:
            fc, report = self.latest(sid)
            out[sid] = StationForecast(
                sid, fc, report, self._fitted_at.get(sid), self._history_h.get(sid, 0)
            )
        return out

    def _station(
        self, sid: str, district: str | None, now: float, fs: ForecastStatus, fc_in: Forecast | None
    ) -> list[JournalEvent]:
        prior = (self._prior or {}).get(sid)
        s = station_series(self.query, sid, now, self.history_days, self.hold_s, prior)
        m = self.models.get(sid)
        if m is None:
            m = self.models[sid] = ThermalModel(curve=self.curve_of(sid))
        if m.curve is None:  # the curve's registers may not have been read at the first cycle
            m.curve = self.curve_of(sid)
        if self._fitted_hour.get(sid) != s.start:  # an hour of new history: refit
            self._history_h[sid] = int(np.isfinite(s.room_mean).sum())
            before = m.report
            if m.fit(s) is not before:  # a new fit (a too short history keeps the old one)
                self._fitted_at[sid] = now
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


class ProcessClockLike(Protocol):
    scale: float
    origin: float

    def process_time(self, wall: float) -> float: ...


def stations_of(items: Iterable[object]) -> list[tuple[str, str | None]]:
    """(id, district) of station definitions (station_config.schema.StationDef)."""
    return [(s.id, getattr(s, "district", None)) for s in items]  # type: ignore[attr-defined]
