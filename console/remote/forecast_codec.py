"""The room forecaster's picture on the wire: `hc/v1/forecast/{partition}` (docs/mqtt-namespace.md).

A server's forecaster makes a new ForecastPicture every cycle (minutes); a thin console needs
the same picture for the trend's forecast band, the fits and the advisory rows, and the outdoor
forecast itself for the pre-heating plan. One JSON message per partition and cycle: the
per-station series travel as 2-D arrays (stations × hours, float32 for temperatures, base64 of
the raw little-endian bytes), not as JSON numbers per hour — 757 stations × 48 h is ~1 MB, not
~5 MB. Qt-free.
"""

from __future__ import annotations

import math
from dataclasses import asdict, fields
from typing import Any

import numpy as np

from console.core.forecast.model import FitReport, RoomForecast
from console.core.forecast.source import Forecast
from console.core.forecast.view import Advisory, ForecastPicture, StationForecast
from console.remote.codec import VERSION, CodecError, _clean, dumps, loads, pack_array, unpack_array

# RoomForecast's hourly series; `times` and the wall times are float64, the rest float32 (°C).
_SERIES = ("mean", "mean_lo", "mean_hi", "coldest", "coldest_lo", "coldest_hi", "outdoor")
_FIT = tuple(f.name for f in fields(FitReport))


def _num(v: Any) -> float:
    return math.nan if v is None else float(v)


def _opt(v: Any) -> float | None:
    return None if v is None else float(v)


def _block(rows: list[np.ndarray], width: int, dtype: str) -> dict[str, Any]:
    """Rows of unequal length as one stations × width array, NaN-padded."""
    out = np.full((len(rows), width), np.nan, dtype)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return pack_array(out.ravel())


def encode_forecast(picture: ForecastPicture, outdoor: Forecast | None) -> bytes:
    """`outdoor`: the outdoor forecast the server's source loaded (None: none usable)."""
    series = [
        (sid, st) for sid, st in picture.stations.items()
        if st.forecast is not None and st.wall_times is not None
    ]  # fmt: skip
    lengths = [len(st.forecast.times) for _, st in series]  # type: ignore[union-attr]
    width = max(lengths, default=0)
    block: dict[str, Any] = {
        "stations": [sid for sid, _ in series],
        "lengths": lengths,
        "issued_at": [st.forecast.issued_at for _, st in series],  # type: ignore[union-attr]
        "times": _block([st.forecast.times for _, st in series], width, "<f8"),  # type: ignore[union-attr]
        "wall_times": _block([st.wall_times for _, st in series], width, "<f8"),  # type: ignore[misc]
    }
    for name in _SERIES:
        block[name] = _block([getattr(st.forecast, name) for _, st in series], width, "<f4")
    doc = {
        "v": VERSION,
        "state": picture.state,
        "message": picture.message,
        "issued_at": _clean(picture.issued_at),
        "now": picture.now,
        "threshold": picture.threshold,
        "stations": [
            {
                "station": sid,
                "fit": None if st.fit is None
                else {k: _clean(v) for k, v in asdict(st.fit).items()},
                "fitted_at": _clean(st.fitted_at),
                "history_h": st.history_h,
            }
            for sid, st in picture.stations.items()
        ],
        "series": block,
        "advisories": [{k: _clean(v) for k, v in asdict(a).items()}
                       for a in picture.advisories.values()],
        "outdoor": None if outdoor is None else {
            "issued_at": outdoor.issued_at, "origin": outdoor.origin, "source": outdoor.source,
            "times": pack_array(np.asarray(outdoor.times, "<f8")),
            "outdoor_c": pack_array(np.asarray(outdoor.outdoor_c, "<f4")),
        },
    }  # fmt: skip
    return dumps(doc)


def decode_forecast(data: bytes) -> tuple[ForecastPicture, Forecast | None]:
    msg = loads(data, "forecast")
    try:
        if msg.get("v") != VERSION:
            raise CodecError(f"forecast: version {msg.get('v')!r}, this console reads {VERSION}")
        block = msg["series"]
        ids, lengths = list(block["stations"]), [int(n) for n in block["lengths"]]
        n, width = len(ids), max(lengths, default=0)
        arrays = {
            k: unpack_array(block[k]).astype(np.float64).reshape(n, width)
            for k in ("times", "wall_times", *_SERIES)
        }
        forecasts: dict[str, tuple[RoomForecast, np.ndarray]] = {}
        for i, (sid, h) in enumerate(zip(ids, lengths, strict=True)):
            rf = RoomForecast(
                arrays["times"][i, :h], *(arrays[k][i, :h] for k in _SERIES),
                issued_at=float(block["issued_at"][i]),
            )  # fmt: skip
            forecasts[sid] = (rf, arrays["wall_times"][i, :h])
        stations = {}
        for s in msg["stations"]:
            sid = str(s["station"])
            fit = s.get("fit")
            rf, wall = forecasts.get(sid, (None, None))
            stations[sid] = StationForecast(
                sid, rf,
                None if fit is None else FitReport(**{k: _num(fit[k]) for k in _FIT}),
                _opt(s.get("fitted_at")), int(s["history_h"]), wall,
            )  # fmt: skip
        advisories = {}
        for a in msg["advisories"]:
            sid = str(a["station"])
            advisories[sid] = Advisory(
                sid, float(a["at"]), float(a["lead_h"]), _num(a["low"]), str(a["text"]),
                _opt(a.get("raised_at")),
            )  # fmt: skip
        picture = ForecastPicture(
            str(msg["state"]), str(msg["message"]), _opt(msg.get("issued_at")),
            float(msg["now"]), float(msg["threshold"]), stations, advisories,
        )  # fmt: skip
        out = msg.get("outdoor")
        outdoor = None
        if out is not None:
            outdoor = Forecast(
                float(out["issued_at"]), unpack_array(out["times"]).astype(np.float64),
                unpack_array(out["outdoor_c"]).astype(np.float64), str(out["origin"]),
                str(out.get("source") or ""),
            )  # fmt: skip
            if len(outdoor.times) != len(outdoor.outdoor_c):
                raise CodecError("forecast: outdoor times and temperatures differ in length")
        return picture, outdoor
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        if isinstance(e, CodecError):
            raise
        raise CodecError(f"forecast: malformed message ({e!r})") from None


def merge_pictures(parts: list[ForecastPicture]) -> ForecastPicture | None:
    """Several partitions' pictures as one city (the first says the outdoor forecast's state)."""
    if len(parts) <= 1:
        return parts[0] if parts else None
    first = parts[0]
    stations: dict[str, StationForecast] = {}
    advisories: dict[str, Advisory] = {}
    for p in parts:
        for k, v in p.stations.items():
            stations.setdefault(k, v)
        for k, a in p.advisories.items():
            advisories.setdefault(k, a)
    return ForecastPicture(
        first.state, first.message, first.issued_at, first.now, first.threshold, stations,
        advisories,
    )  # fmt: skip
