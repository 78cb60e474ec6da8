"""Predictive advisories: "xg-002: coldest rooms forecast below 18 °C in ~3 h (≈ 02:00)".

An advisory is not an alarm: it is journalled as its own kind (Kind.ADVISORY) at the lowest
priority (INFO), below every alarm, so alarm counts, floods and annunciation ignore it. One is
raised when a station's forecast coldest room (by default its centre plus one σ of its band:
the forecast is fairly sure of it) crosses the limit within the horizon while the room is still
above it (once it is below, the room_low alarm speaks); it clears when a later forecast no
longer crosses (with a little hysteresis) or the alarm has taken over. From a stale, missing or
invalid outdoor forecast nothing is raised: the tracker says so once instead.
Qt-free, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

import numpy as np

from console.core.events import JournalEvent, Kind, Priority
from console.core.forecast.model import HOUR, Z90, RoomForecast

CLEAR_MARGIN_K = 0.2  # a raised advisory clears once the forecast low is this far above the limit
DEFAULT_Z = 1.0  # raise when the forecast is 1 σ of its own band below the limit (see below)


@dataclass(frozen=True)
class Crossing:
    at: float  # epoch s of the first forecast hour below the limit
    lead_h: float
    low: float  # the forecast coldest room's lowest value in the horizon


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
    ):
        """How sure the forecast must be (`z`, σ of its band below the limit; `sure`: True =
        the band's top, Z90; False = the centre). Default DEFAULT_Z, measured (bench_forecast,
        10 normal days × 62 stations of the demo city, and `cold_wave_ahead`): the centre raised
        44 advisories, 40 false; z 0.5: 3, 1 false; z 1: 1, none false; the band's top none
        (and missed the few shallow real dips); ahead of a forecast cold wave z 1 warned
        28–47 h before room_low (median 38.5 h), the band's top 28–33 h."""
        self.threshold = threshold
        if z is None:
            z = DEFAULT_Z if sure is None else (Z90 if sure else 0.0)
        self.z = z  # first_crossing's confidence
        self.sure = z >= Z90
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
        low = float(np.nanmin(fc.coldest)) if np.isfinite(fc.coldest).any() else np.inf
        if room_below or low >= self.threshold + CLEAR_MARGIN_K:
            del self.active[station]
            why = "room below the limit (alarm)" if room_below else "no longer forecast"
            text = f"{station}: cold-room advisory cleared: {why}"
            return [self._event(station, district, now, c or was, "clear", text, fc)]
        if c is not None:
            self.active[station] = c
        return []

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
                "issued_at": fc.issued_at,
                "start": float(fc.times[0]),
                "coldest": [round(float(v), 2) for v in fc.coldest],
                "coldest_lo": [round(float(v), 2) for v in fc.coldest_lo],
                "mean": [round(float(v), 2) for v in fc.mean],
            },
        )
