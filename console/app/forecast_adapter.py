"""The room forecaster's picture -> the trend's ForecastView and the alarm list's advisory rows.

Runs on the service thread inside the snapshot build (console/app/adapters.py), like the other
adapters: plain immutable data out, worded in the interface language with
`QCoreApplication.translate("forecast", ...)`. An advisory is a row below every alarm: priority
INFO and state ACK, so it neither sounds, blinks, counts as unacknowledged nor reaches the
banner; double-clicking it opens its station's rooms with the forecast (widgets/trend_forecast).
"""

from __future__ import annotations

import math
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.core.forecast.view import ForecastPicture, StationForecast
from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.views import AlarmRow
from station_config.schema import NetworkDef
from widgets.locale_format import date_clock, number
from widgets.trend_forecast import ADVISORY_RULE, ForecastView, PlantClock, StationForecastView

WORDS = {
    "ok": QT_TRANSLATE_NOOP("forecast", "Outdoor forecast issued {time} ({age} h ago) · band 90 %"),
    "stale": QT_TRANSLATE_NOOP(
        "forecast", "Outdoor forecast STALE, issued {time} ({age} h ago): room forecasts not shown"
    ),
    "missing": QT_TRANSLATE_NOOP(
        "forecast", "NO outdoor forecast ({why}): room forecasts not shown"
    ),
    "invalid": QT_TRANSLATE_NOOP(
        "forecast", "Outdoor forecast INVALID ({why}): room forecasts not shown"
    ),
    "preparing": QT_TRANSLATE_NOOP("forecast", "Room forecast: starting (fitting the models)…"),
    "fit": QT_TRANSLATE_NOOP(
        "forecast",
        "model R² {r2} · error at 6 h {e6} °C · fitted on {h} h of history, {age} h ago",
    ),
    "unfitted": QT_TRANSLATE_NOOP(
        "forecast", "model not fitted yet: {have} of {need} h of history"
    ),
    "no_recent": QT_TRANSLATE_NOOP("forecast", " · no forecast: recent room data missing"),
    "advisory": QT_TRANSLATE_NOOP(
        "forecast", "Forecast: coldest rooms below {limit} °C in ~{hours} h (≈ {clock})"
    ),
}


def _w(key: str) -> str:
    return QCoreApplication.translate("forecast", WORDS[key])


def _status_text(p: ForecastPicture) -> str:
    if p.state in ("ok", "stale") and p.issued_at is not None:
        age = number(max(p.age_h or 0.0, 0.0), 1)
        return _w(p.state).format(time=date_clock(p.issued_at), age=age)
    return _w(p.state if p.state in WORDS else "missing").format(why=p.message)


def _fit_text(st: StationForecast, now: float, usable: bool) -> str:
    rep = st.fit
    if rep is None:
        return _w("unfitted").format(have=st.history_h, need=st.history_h + st.needs_history_h)
    age = (now - st.fitted_at) / 3600.0 if st.fitted_at is not None else math.nan
    text = _w("fit").format(
        r2=number(rep.r2, 3),
        e6=number(rep.rmse_6h, 2),
        h=rep.samples,
        age=number(max(age, 0.0), 1) if math.isfinite(age) else "?",
    )
    if usable and st.forecast is None:
        text += _w("no_recent")
    return text


# The last view built, for the picture it was built from, in the language it was worded in: the
# forecaster makes a new picture every cycle (minutes), snapshots are built 4 times a second.
_memo: list = [None, "", None]


def forecast_view(picture: ForecastPicture | None, configured: bool) -> ForecastView | None:
    """The trend's view of the forecast (None: no forecast configured)."""
    if picture is None:
        return ForecastView("preparing", _w("preparing")) if configured else None
    words = _w("ok")
    if _memo[0] is picture and _memo[1] == words:
        return _memo[2]
    view = _build_view(picture)
    _memo[:] = [picture, words, view]
    return view


def _build_view(picture: ForecastPicture) -> ForecastView:
    adv = advisory_texts(picture)
    stations = {}
    clock = None
    for sid, st in picture.stations.items():
        fc, rep = st.forecast, st.fit
        arrays = {}
        if fc is not None and st.wall_times is not None and len(st.wall_times):
            # Any forecast's plant and wall times give the clock the past is put on.
            clock = clock or PlantClock.from_pairs(fc.times, st.wall_times)
        if fc is not None and picture.usable:
            arrays = {
                "t": fc.times,  # the plant's clock: the chart's axis
                "mean": fc.mean,
                "mean_lo": fc.mean_lo,
                "mean_hi": fc.mean_hi,
                "coldest": fc.coldest,
                "coldest_lo": fc.coldest_lo,
                "coldest_hi": fc.coldest_hi,
                "outdoor": fc.outdoor,
            }
        stations[sid] = StationForecastView(
            sid,
            **arrays,
            fit_text=_fit_text(st, picture.now, picture.usable),
            r2=None if rep is None else rep.r2,
            error_6h=None if rep is None else rep.rmse_6h,
            samples=0 if rep is None else rep.samples,
            fit_age_h=None if st.fitted_at is None else (picture.now - st.fitted_at) / 3600.0,
            advisory=adv.get(sid, ""),
        )
    return ForecastView(picture.state, _status_text(picture), stations, picture.threshold, clock)


def advisory_texts(picture: ForecastPicture) -> dict[str, str]:
    out = {}
    for sid, a in picture.advisories.items():
        out[sid] = _w("advisory").format(
            limit=f"{picture.threshold:g}",
            hours=round(a.lead_h),
            clock=datetime.fromtimestamp(a.at).strftime("%H:%M"),
        )
    return out


def advisory_rows(
    picture: ForecastPicture | None,
    names: dict[str, str],
    districts: dict[str, str],
    net: NetworkDef,
) -> list[AlarmRow]:
    """The active advisories as alarm-list rows, below every alarm (INFO, never unacked).
    `districts`: district id -> name."""
    if picture is None or not picture.advisories:
        return []
    texts = advisory_texts(picture)
    district_of = {s.id: s.district for s in net.stations}
    rows = []
    for sid, a in picture.advisories.items():
        district = district_of.get(sid, "")
        rows.append(
            AlarmRow(
                key=f"{sid}/room_temp_min/{ADVISORY_RULE}",
                station=sid,
                station_name=names.get(sid, sid),
                district=districts.get(district, district),
                point="room_temp_min",
                rule=ADVISORY_RULE,
                priority=Priority.INFO,
                state=AlarmState.ACK,  # nothing to acknowledge: it neither blinks nor counts
                message=texts[sid],
                time=a.raised_at or picture.now,
                value=round(a.low, 1),
                limit=picture.threshold,
            )
        )
    return rows
