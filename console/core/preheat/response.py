"""What a curve shift does to a station's rooms and heat, from its identified ThermalModel.

The forecast model (console/core/forecast/model.py) predicts the rooms from the outdoor forecast
and the supply its weather curve will give. A curve shift adds to that supply from the hour it
is applied: the station's controller reaches the new T3 within minutes, so the shift enters the
model's supply input like any supply change, through the model's own fitted delay and gains,
and never above the station's T3 maximum (the controller clips there). The model is linear in
its inputs, so one call of its free run per candidate shift is all a sweep costs.

Heat: a radiator network gives off G·(T3 − room) (W per K of difference at the design flow);
G is fitted per station through the origin on its own history of heat power against
T3 − room mean, so the plan's extra heat is G·(extra T3 − extra room) summed over its hours.

Wraps two things the forecast model does not publish (its fitted delay and future-supply rule,
`delay_h_fitted` and `_future_supply`): kept here so that model stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from console.core.forecast.model import HOUR, StationSeries, ThermalModel

GJ_PER_KWH = 3.6e-3
# K of primary supply (T1) per K of secondary supply (T3) once the valve is wide open: the
# exchanger's heat Q = A·(T1 − T4) and the radiators' Q ∝ (T3 − room) give
# ΔT1 = ΔT3·(1 + (T1 − T3)/(T3 − room)), ≈ 1.9 at the design point (T1 108, T3 67, room 20).
T1_PER_T3 = 2.0
LOAD_SLACK_K = 1.0  # T3 this far above today's still counts as today's load


def fit_heat_gain(s: StationSeries, heat_kw: np.ndarray) -> float:
    """G (kW/K) with heat ≈ G·(T3 − room mean); NaN without enough heat history."""
    x = np.asarray(s.supply, dtype=np.float64) - np.asarray(s.room_mean, dtype=np.float64)
    y = np.asarray(heat_kw, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y) & (x > 5.0)
    if ok.sum() < 24:
        return float("nan")
    return float(np.dot(x[ok], y[ok]) / np.dot(x[ok], x[ok]))


@dataclass
class StationResponse:
    """A station's next `hours` hours after history hour `k`, and what a shift does to them.

    Index j = 1..hours of every path is the hour k + j (its middle at `times[j − 1]`)."""

    model: ThermalModel
    series: StationSeries
    k: int
    hours: int
    times: np.ndarray  # epoch s, middles of the forecast hours
    outdoor: np.ndarray  # forecast outdoor per hour
    to_all: np.ndarray  # model input: outdoor from hour k
    ts_d: np.ndarray  # model input: delayed supply from hour k, without a plan
    t3: np.ndarray  # the station's T3 per forecast hour without a plan (undelayed)
    t3_max: float
    gain_kw_k: float  # G of fit_heat_gain

    @classmethod
    def build(
        cls,
        model: ThermalModel,
        s: StationSeries,
        fc_times: np.ndarray,
        fc_outdoor: np.ndarray,
        *,
        k: int | None = None,
        hours: int = 48,
        t3_max: float = np.inf,
        gain_kw_k: float = np.nan,
    ) -> StationResponse | None:
        """None when the model is not fitted, the history ends in a gap or the forecast is
        too short."""
        if not model.ready or model.min_model is None:
            return None
        k = len(s) - 1 if k is None else k
        d = int(model.delay_h_fitted)
        if k < max(d, 1) + 1 or not np.isfinite(s.room_min[k - 1 : k + 1]).all():
            return None
        if not np.isfinite(s.room_mean[k - 1 : k + 1]).all():
            return None
        n = hours + d  # d more hours so the undelayed supply of the last hours is known
        mids = s.start + HOUR * (np.arange(k + 1, k + 1 + n) + 0.5)
        ft = np.asarray(fc_times, dtype=np.float64)
        fv = np.asarray(fc_outdoor, dtype=np.float64)
        if len(ft) < 2 or ft[0] > mids[0] + 3 * HOUR or ft[-1] < mids[hours - 1] - 3 * HOUR:
            return None
        to_f = np.interp(mids, ft, fv)
        ts_long = model._future_supply(s, k, to_f, shortfall=False)
        if ts_long is None:
            return None
        to0 = s.outdoor[k] if np.isfinite(s.outdoor[k]) else to_f[0]
        to_all = np.concatenate([[to0], to_f[:hours]])
        t3 = ts_long[d + 1 : d + 1 + hours]
        return cls(
            model, s, k, hours, mids[:hours], to_f[:hours], to_all, ts_long[: hours + 1],
            t3, float(t3_max), float(gain_kw_k),
        )  # fmt: skip

    def effective(self, shift: np.ndarray, supply_k: np.ndarray | None = None) -> np.ndarray:
        """The T3 rise a requested shift per hour (index j − 1) gives, under T3 max and, when
        `supply_k` is given (the plant's supply raise that has reached the station by each
        hour, K of T1), under what that hotter primary water can carry: the achievable supply,
        not the requested one (a shift asks the valve for heat the trunk does not yet carry)."""
        room = np.maximum(self.t3_max - self.t3, 0.0)
        eff = np.clip(np.asarray(shift, dtype=np.float64), 0.0, room)
        if supply_k is not None:
            # Up to today's load the valve has room (valves are sized for the design day, and
            # today it held T3 on its curve); beyond it, only the hotter water carries a shift.
            now = self.series.supply[self.k]
            busy = self.t3 > (now if np.isfinite(now) else self.t3[0]) + LOAD_SLACK_K
            cap = np.maximum(np.asarray(supply_k, dtype=np.float64), 0.0) / T1_PER_T3
            eff = np.where(busy, np.minimum(eff, cap), eff)
        return eff

    def _delayed(self, eff: np.ndarray) -> np.ndarray:
        d = int(self.model.delay_h_fitted)
        out = np.zeros(self.hours + 1)
        out[1 + d :] = eff[: self.hours - d] if d else eff
        return out

    def rooms(
        self, shift: np.ndarray | float = 0.0, supply_k: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(room mean, coldest room) per forecast hour with `shift` K on T3 (per hour or one
        value for every hour), achievable under `supply_k` (see `effective`) when given."""
        sh = np.broadcast_to(np.asarray(shift, dtype=np.float64), (self.hours,))
        ts = self.ts_d + self._delayed(self.effective(sh, supply_k))
        s, k = self.series, self.k
        mean = self.model.mean_model.run(s.room_mean[k - 1], s.room_mean[k], self.to_all, ts)  # type: ignore[union-attr]
        low = self.model.min_model.run(s.room_min[k - 1], s.room_min[k], self.to_all, ts)  # type: ignore[union-attr]
        return mean, low

    def heat_kw(
        self, shift: np.ndarray | float = 0.0, supply_k: np.ndarray | None = None
    ) -> np.ndarray:
        """The station's heat power (kW) per forecast hour with `shift`."""
        sh = np.broadcast_to(np.asarray(shift, dtype=np.float64), (self.hours,))
        mean, _ = self.rooms(sh, supply_k)
        return self.gain_kw_k * np.maximum(self.t3 + self.effective(sh, supply_k) - mean, 0.0)

    def extra_gj(self, shift: np.ndarray | float, supply_k: np.ndarray | None = None) -> float:
        extra = self.heat_kw(shift, supply_k) - self.heat_kw(0.0)
        return float(np.sum(extra) * GJ_PER_KWH)
