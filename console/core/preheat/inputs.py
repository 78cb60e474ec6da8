"""A station's plan input from its history: hourly series (with heat power), fitted model,
response to a shift. What the console's panel and the benchmark both build."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from console.core.forecast.forecaster import HISTORY_DAYS, QueryFn, hourly_held, station_series
from console.core.forecast.model import HOUR, StationSeries, SupplyLaw, ThermalModel
from console.core.preheat.network import StationPlace
from console.core.preheat.planner import StationInput
from console.core.preheat.response import StationResponse, fit_heat_gain

HEAT_POINT = "heat_power"  # kW, register 117
HISTORY_POINTS = (
    "outdoor_temp",
    "t3_secondary_supply",
    "room_temp_mean",
    "room_temp_min",
    HEAT_POINT,
)


def heat_series(query: QueryFn, station: str, s: StationSeries) -> np.ndarray:
    """The station's heat power (kW) on the series' hourly grid; hours the history lacks from
    the series' own heat where it carries one (the demo's simulated past)."""
    n = len(s)
    t, v, q = query(station, HEAT_POINT, s.start - 1800.0, s.start + n * HOUR)
    good = np.asarray(q) == 0
    out = hourly_held(np.asarray(t)[good], np.asarray(v)[good], s.start, n)
    return out if s.heat is None else np.where(np.isfinite(out), out, s.heat)


def station_input(
    place: StationPlace,
    series: StationSeries,
    heat_kw: np.ndarray,
    fc_times: np.ndarray,
    fc_outdoor: np.ndarray,
    *,
    current_shift: float,
    t3_max: float = np.inf,
    curve: SupplyLaw | None = None,
    model: ThermalModel | None = None,
    hours: int = 48,
) -> StationInput:
    """Fit the station's model (unless a fitted one is given) and build its response."""
    if model is None:
        model = ThermalModel(curve=curve)
        model.fit(series)
    resp = StationResponse.build(
        model, series, fc_times, fc_outdoor, hours=hours, t3_max=t3_max,
        gain_kw_k=fit_heat_gain(series, heat_kw),
    )  # fmt: skip
    shift = current_shift if np.isfinite(current_shift) else 0.0
    return StationInput(place, resp, float(shift))


def inputs_from_history(
    places: dict[str, StationPlace],
    query: QueryFn,
    now: float,
    fc_times: np.ndarray,
    fc_outdoor: np.ndarray,
    value: Callable[[str, str], float],
    curve_of: Callable[[str], SupplyLaw | None],
    *,
    days: int = HISTORY_DAYS,
) -> list[StationInput]:
    """Every station's input from the console's history (`query`, as the forecaster reads it)
    and its live values (`value(station, point)`, NaN when unknown)."""
    out = []
    for sid, place in places.items():
        s = station_series(query, sid, now, days)
        heat = heat_series(query, sid, s)
        t3_max = value(sid, "t3_max")
        out.append(
            station_input(
                place,
                s,
                heat,
                fc_times,
                fc_outdoor,
                current_shift=value(sid, "curve_shift"),
                t3_max=t3_max if np.isfinite(t3_max) else np.inf,
                curve=curve_of(sid),
            )
        )
    return out
