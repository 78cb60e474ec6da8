"""What a view of the room forecast shows, built by the forecaster after each cycle.

Immutable plain data (numpy arrays never written after they are made), handed to the GUI through
the service's PlantPicture and the snapshot: the window never calls the forecaster. Forecast
times are given in wall time (what the trend's axis is), the rest in process time. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from console.core.forecast.advisory import AdvisoryTracker, message
from console.core.forecast.model import HOUR, MIN_HISTORY_H, FitReport, RoomForecast
from console.core.forecast.source import ForecastStatus


@dataclass(frozen=True)
class StationForecast:
    """One station's model and its latest room forecast (None: not fitted, or no usable
    outdoor forecast)."""

    station: str
    forecast: RoomForecast | None
    fit: FitReport | None
    fitted_at: float | None  # process time of the last fit
    history_h: int  # hourly samples of history the last fit could use
    wall_times: np.ndarray | None = None  # the forecast's times on the wall clock

    @property
    def needs_history_h(self) -> int:
        return max(MIN_HISTORY_H - self.history_h, 0)


@dataclass(frozen=True)
class Advisory:
    station: str
    at: float  # process time the coldest room is forecast to cross the limit
    lead_h: float
    low: float  # the forecast coldest room's lowest value
    text: str  # as journalled: "xg-002: coldest rooms forecast below 18 °C in ~3 h (≈ 02:00)"
    raised_at: float | None = None  # wall time it was raised


@dataclass(frozen=True)
class ForecastPicture:
    state: str  # the outdoor forecast: ok / stale / missing / invalid (source.State)
    message: str  # why, in words (English; the adapters word the states)
    issued_at: float | None  # the outdoor forecast's issue (process time)
    now: float  # process time of the cycle
    threshold: float
    stations: dict[str, StationForecast] = field(default_factory=dict)
    advisories: dict[str, Advisory] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.state == "ok"

    @property
    def age_h(self) -> float | None:
        return None if self.issued_at is None else (self.now - self.issued_at) / HOUR


def build_picture(
    stations: dict[str, StationForecast],
    fs: ForecastStatus,
    tracker: AdvisoryTracker,
    now: float,
    to_wall: Callable[[np.ndarray], np.ndarray],
    raised: dict[str, float] | None = None,
) -> ForecastPicture:
    views = {
        sid: StationForecast(
            v.station,
            v.forecast,
            v.fit,
            v.fitted_at,
            v.history_h,
            None if v.forecast is None else np.asarray(to_wall(v.forecast.times)),
        )
        for sid, v in stations.items()
    }
    advisories = {
        sid: Advisory(
            sid,
            c.at,
            c.lead_h,
            c.low,
            message(sid, tracker.threshold, c, tracker.tz),
            (raised or {}).get(sid),
        )
        for sid, c in tracker.active.items()
    }
    return ForecastPicture(
        str(fs.state),
        fs.message,
        fs.forecast.issued_at if fs.forecast is not None else None,
        now,
        tracker.threshold,
        views,
        advisories,
    )
