"""Predictive advisories: "xg-002: coldest rooms forecast below 18 °C in ~3 h (≈ 02:00)".

An advisory is not an alarm: it is journalled as its own kind (Kind.ADVISORY) at the lowest
priority (INFO), below every alarm, so alarm counts, floods and annunciation ignore it. One is
raised while the room is still above the limit (once it is below, the room_low alarm speaks) when
the forecast makes it probable that the coldest room goes below it: the probability, hour by
hour, that the coldest room is at least DEPTH_K below the limit, read from the forecast's band
(whose σ the model calibrates on the station's own free-run errors by lead, plus the outdoor
forecast's error), must reach P_RAISE for MIN_HOURS hours in a row. It clears only when no hour
is even P_CLEAR likely below the limit itself (hysteresis: a near miss that hovers around the
threshold does not raise and clear every issue), or when the alarm has taken over. From a
stale, missing or invalid outdoor forecast nothing is raised: the tracker says so once instead.
The older criterion (the centre, or the centre plus z σ of the band, crosses the limit) is kept
for comparison (`AdvisoryTracker(z=...)`, bench/bench_forecast.py). Qt-free, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, tzinfo

import numpy as np

from console.core.events import JournalEvent, Kind, Priority
from console.core.forecast.model import HOUR, Z90, RoomForecast

CLEAR_MARGIN_K = 0.2  # z criterion: a raised advisory clears once the low is this far above
# The probability criterion (the default). P_RAISE is the precision asked of advisories (≥ 70 %
# true): with a calibrated band, an hour forecast P_RAISE likely below the limit is below it that
# often. Not tuned on bench_forecast's test days: the bench chooses a threshold on its training
# days instead ("p_train"), and keeps this one when they hold too few advisories to judge. 0.9:
# what the training days chose once the supply ahead is capped by the primary side (sixth
# session; at 0.7, 9 of 13 advisories in normal weather were false — the band is narrower than
# the capped supply's error).
P_RAISE = 0.9
P_CLEAR = 0.3  # clear once no hour is this likely below the limit (hysteresis)
DEPTH_K = 0.1  # how far below the limit counts (a dip of hundredths is a near miss)
MIN_HOURS = 2  # hours in a row the raise probability must hold (a one-hour blip does not)
SIGMA_FLOOR_K = 0.05  # a band narrower than this is not believed (sensor resolution, rounding)


@dataclass(frozen=True)
class Crossing:
    at: float  # epoch s of the first forecast hour below the limit
    lead_h: float
    low: float  # the forecast coldest room's lowest value in the horizon
    probability: float = math.nan  # the highest hourly probability below the limit (p criterion)


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    return np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in np.ravel(x)]).reshape(x.shape)


def cold_probability(fc: RoomForecast, limit: float) -> np.ndarray:
    """Per forecast hour, the probability that the coldest room is below `limit`: normal
    about the centre with the σ of its 90 % band (never below SIGMA_FLOOR_K); 0 where unknown."""
    sigma = np.maximum((fc.coldest_hi - fc.coldest) / Z90, SIGMA_FLOOR_K)
    z = np.nan_to_num((limit - fc.coldest) / sigma, nan=-np.inf)
    return _normal_cdf(z)


def probable_crossing(
    fc: RoomForecast,
    threshold: float,
    now: float,
    p: float = P_RAISE,
    depth_k: float = DEPTH_K,
    min_hours: int = MIN_HOURS,
) -> Crossing | None:
    """The first forecast hour that starts `min_hours` hours in a row each at least `p` likely
    to be `depth_k` or more below `threshold`; None if there is none."""
    likely = cold_probability(fc, threshold - depth_k) >= p
    n = max(int(min_hours), 1)
    runs = np.convolve(likely.astype(np.int64), np.ones(n, dtype=np.int64), "valid")
    start = np.flatnonzero(runs >= n)
    if len(start) == 0:
        return None
    at = float(fc.times[start[0]])
    prob = float(cold_probability(fc, threshold).max())
    return Crossing(at, max((at - now) / HOUR, 0.0), float(np.nanmin(fc.coldest)), prob)


def first_crossing(
    fc: RoomForecast, threshold: float, now: float, sure: bool = False, z: float | None = None
) -> Crossing | None:
    """When the forecast coldest room first falls below `threshold`, if it does (`sure`: when
    even the top of its 90 % band does). `z`: how many σ of the forecast's own band the centre
    must be below the limit (0 = the centre crosses, Z90 = the band's top: `sure`)."""
    if z is None:
        z = Z90 if sure else 0.0
    path = fc.coldest + z * (fc.coldest_hi - fc.coldest) / Z90
    below = np.flatnonzero(np.nan_to_num(path, nan=np.inf) < threshold)
    if len(below) == 0:
        return None
    at = float(fc.times[below[0]])
    return Crossing(at, max((at - now) / HOUR, 0.0), float(np.nanmin(fc.coldest)))


def message(station: str, threshold: float, c: Crossing, tz: tzinfo | None = None) -> str:
    clock = datetime.fromtimestamp(c.at, tz).strftime("%H:%M")
    return (
        f"{station}: coldest rooms forecast below {threshold:g} °C "
        f"in ~{round(c.lead_h):d} h (≈ {clock})"
    )


class AdvisoryTracker:
    """Per-station advisory state; `update` returns the journal events a new forecast causes
    (field `action`: "raise" or "clear"; `paused` when the outdoor forecast cannot be used)."""

    def __init__(
        self,
        threshold: float = 18.0,
        tz: tzinfo | None = None,
        sure: bool | None = None,
        z: float | None = None,
        *,
        p: float = P_RAISE,
        p_clear: float = P_CLEAR,
        depth_k: float = DEPTH_K,
        min_hours: int = MIN_HOURS,
    ):
        """Default: the probability criterion (`p`, `p_clear`, `depth_k`, `min_hours`; see the
        module). `z` or `sure` select the older one instead: the centre plus `z` σ of the band
        crosses the limit (`sure`: True = the band's top, Z90; False = the centre). Measured in
        bench_forecast (10 normal days × 62 stations, 4 spells below 18 °C): the probability
        criterion raised 6 advisories, 1 false, and announced 3 of the 4 spells; the centre 59,
        53 false."""
        self.threshold = threshold
        if z is None and sure is not None:
            z = Z90 if sure else 0.0
        self.z = z  # first_crossing's confidence; None: the probability criterion
        self.sure = z is not None and z >= Z90
        self.p, self.p_clear, self.depth_k, self.min_hours = p, p_clear, depth_k, min_hours
        self.tz = tz
        self.active: dict[str, Crossing] = {}
        self.forecast_status = "ok"

    def forecast_state(self, status: str, detail: str, now: float) -> list[JournalEvent]:
        """The outdoor forecast's state (ForecastSource: ok/stale/missing/invalid). A change away
        from ok is journalled once: advisories are off until it is usable again."""
        if status == self.forecast_status:
            return []
        self.forecast_status = status
        if status == "ok":
            text = "room forecast advisories resumed: outdoor forecast usable again"
        else:
            text = f"room forecast advisories paused: outdoor forecast {status} ({detail})"
        return [
            JournalEvent(
                Kind.ADVISORY,
                text,
                time=now,
                priority=Priority.INFO,
                action="resumed" if status == "ok" else "paused",
                details={"forecast_status": status},
            )
        ]

    def update(
        self,
        station: str,
        fc: RoomForecast | None,
        status: str,
        now: float,
        coldest_now: float,
        district: str | None = None,
    ) -> list[JournalEvent]:
        if status != "ok" or fc is None:
            return []  # never from a stale/missing/invalid forecast (forecast_state says so)
        if self.z is None:
            c = probable_crossing(fc, self.threshold, now, self.p, self.depth_k, self.min_hours)
        else:
            c = first_crossing(fc, self.threshold, now, z=self.z)
        was = self.active.get(station)
        room_below = np.isfinite(coldest_now) and coldest_now < self.threshold
        if was is None:
            if c is None or room_below:
                return []
            self.active[station] = c
            return [
                self._event(
                    station,
                    district,
                    now,
                    c,
                    "raise",
                    message(station, self.threshold, c, self.tz),
                    fc,
                )
            ]
        if room_below or self._gone(fc):
            del self.active[station]
            why = "room below the limit (alarm)" if room_below else "no longer forecast"
            text = f"{station}: cold-room advisory cleared: {why}"
            ev = self._event(station, district, now, c or was, "clear", text, fc)
            ev.details["why"] = "alarm" if room_below else "gone"  # worded by its readers
            return [ev]
        if c is not None:
            self.active[station] = c
        return []

    def _gone(self, fc: RoomForecast) -> bool:
        """Whether a raised advisory's cold is no longer forecast (with hysteresis)."""
        if self.z is None:
            return bool(cold_probability(fc, self.threshold).max() < self.p_clear)
        low = float(np.nanmin(fc.coldest)) if np.isfinite(fc.coldest).any() else np.inf
        return low >= self.threshold + CLEAR_MARGIN_K

    def _event(
        self,
        station: str,
        district: str | None,
        now: float,
        c: Crossing,
        action: str,
        text: str,
        fc: RoomForecast,
    ) -> JournalEvent:
        # The forecast itself rides along, so clicking the advisory can show it.
        return JournalEvent(
            Kind.ADVISORY,
            text,
            time=now,
            station=station,
            district=district,
            point="room_temp_min",
            priority=Priority.INFO,
            value=round(c.low, 2),
            limit=self.threshold,
            action=action,
            details={
                "crossing_at": c.at,
                "lead_h": round(c.lead_h, 1),
                **({} if math.isnan(c.probability) else {"probability": round(c.probability, 3)}),
                "issued_at": fc.issued_at,
                "start": float(fc.times[0]),
                "coldest": [round(float(v), 2) for v in fc.coldest],
                "coldest_lo": [round(float(v), 2) for v in fc.coldest_lo],
                "mean": [round(float(v), 2) for v in fc.mean],
            },
        )
