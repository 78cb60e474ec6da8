"""A station's thermal model, identified from its own history, and its 48-hour room forecast.

Grey-box, in discrete time on an hourly grid: a two-state RC building (air + mass) sampled at
1 h is a second-order ARX model, so each room quantity y (the mean room, the coldest room) is

    y[k+1] = a1·y[k] + a2·y[k−1] + b0·To[k+1] + b1·To[k] + c0·Ts[k+1−d] + c1·Ts[k−d] + e

with To the outdoor temperature, Ts the secondary supply (T3) and d the station's transport
delay in hours (picked by fit among a few). It is linear in its parameters, so the fit is one
`numpy.linalg.lstsq` call: fast enough to refit every station every hour as history grows,
no iteration that may not converge, and no heavier dependency (statsmodels' ARX/state-space
would add a large package for the same least squares, and its Kalman machinery is not needed
on a 1 h grid with a dense history).

The future supply follows the station's weather curve applied to the forecast outdoor
temperature (the curve points are registers the console polls; without them, a straight line
fitted to the history, held flat beyond the range it saw), capped by what the station's primary
side can give (supply.SupplyLimit: with its valve wide open, T3 follows the primary water T1,
and T1 ahead follows the plant's lagging response to the outdoor, both learned from the
station's polled history: when a cold spell comes faster than the plant, every curve asks for
more at once, the far ends of the trunks lose pressure and the hotter water is hours away),
less what the station's own history still shows after fast falls of the outdoor beyond that
(`Shortfall`), corrected by today's gap between the measured supply and that, which fades over
a few hours.

The uncertainty band combines the model's own multi-step error with the outdoor forecast's error
growth passed through the model's gain from outdoor to room at that lead. The model's own error
is measured by lead on free runs over the history made the way a forecast is made (the supply
from the law, the shortfall and the fading gap, not the supply that was measured), so the band
holds the supply's surprises too and its probabilities mean what they say (the advisory reads
them). Qt-free, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from console.core.forecast.supply import SupplyLimit
from console.vocabulary.curve import CURVE_POINTS

HOUR = 3600.0
HORIZON_H = 48
DELAYS_H = (0, 1, 2, 3)  # candidate transport delays of the supply input (h)
MIN_HISTORY_H = 72  # fewer hourly samples than this: no fit (three daily cycles)
Z90 = 1.645  # two-sided 90 % band
# The slowest pole a fit may have (per hour): a room's time constant is tens to a few hundred
# hours; a pole at or past 1 is a model that runs away in a free run (seen in the demo: a
# station whose valve stuck shut for 3 h forecast its coldest room at −5.8e14 °C).
MAX_POLE = 0.999
# A forecast beyond this (°C, either sign) is not a room: the model is not used.
PLAUSIBLE_ROOM_C = 100.0
SUPPLY_GAP_TAU_H = 4.0  # the measured-minus-law supply gap fades with this time constant
SHORTFALL_MIN_GAIN = 0.1  # the shortfall must explain this share of the supply's departures
FALL_THRESHOLDS_K_H = (0.5, 1.0, 1.5, 2.0)  # candidate outdoor falls a plant absorbs (K/h)
FALL_MEMORY_H = 12  # hours a fast fall's shortfall can last (the plant's catch-up)
FALL_COLD_SCALE_K = 5.0  # a fall costs one more time its own for each this many K below 0 °C


def forecast_error_sigma(lead_h: np.ndarray) -> np.ndarray:
    """σ of the outdoor forecast error (K) at a lead (h): noise σ = 0.4 + 0.025·L and a drift of
    0.35 K per day of lead, the figures of docs/forecast-format.md for the simulator's forecast
    and the order of operational forecasts (≈ 1 K a day ahead)."""
    lead = np.asarray(lead_h, dtype=np.float64)
    return np.sqrt((0.4 + 0.025 * lead) ** 2 + (0.35 * lead / 24.0) ** 2)


def hourly(times: np.ndarray, values: np.ndarray, start: float, n: int) -> np.ndarray:
    """Mean of `values` in each hour [start + k h, start + (k+1) h), NaN where none; the
    console's history is irregular (every poll, decimated), the model works on hours."""
    t = np.asarray(times, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    k = np.floor((t - start) / HOUR).astype(np.int64)
    ok = (k >= 0) & (k < n) & np.isfinite(v)
    tot = np.bincount(k[ok], v[ok], minlength=n)[:n]
    cnt = np.bincount(k[ok], minlength=n)[:n]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)


@dataclass
class StationSeries:
    """A station's history on an hourly grid: sample k is the hour starting at start + k h."""

    start: float
    outdoor: np.ndarray
    supply: np.ndarray  # T3, °C
    room_mean: np.ndarray
    room_min: np.ndarray
    # The primary side, where the history has it (supply.SupplyLimit learns from them):
    primary: np.ndarray | None = None  # T1, °C
    valve: np.ndarray | None = None  # valve position, %
    # Heat power (kW), where the series carries it (the demo's simulated past: the pre-heating
    # plan's heat figures read it; the model does not).
    heat: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.outdoor)


@dataclass
class SupplyLaw:
    """Supply temperature as a function of outdoor: the weather curve (xs ascending, ys), flat
    beyond its ends, as the station's controller applies it."""

    xs: np.ndarray
    ys: np.ndarray

    def __call__(self, outdoor: np.ndarray) -> np.ndarray:
        return np.interp(outdoor, self.xs, self.ys)

    @classmethod
    def fitted(cls, outdoor: np.ndarray, supply: np.ndarray) -> SupplyLaw | None:
        """A straight line through the history, flat beyond the outdoor range it covers (no
        extrapolation the controller may not make: curves flatten at the design day)."""
        ok = np.isfinite(outdoor) & np.isfinite(supply)
        if ok.sum() < 12 or np.ptp(outdoor[ok]) < 1.0:
            return None
        p = np.polyfit(outdoor[ok], supply[ok], 1)
        lo, hi = float(outdoor[ok].min()), float(outdoor[ok].max())
        return cls(np.array([lo, hi]), np.polyval(p, [lo, hi]))


def curve_from_points(value: Callable[[str], float]) -> SupplyLaw | None:
    """The station's curve from its polled points (`value(name)`, NaN when unknown), shifted by
    `curve_shift`; None if any point is unknown (then the model learns a law from history)."""
    ys = np.array([value(name) for name, _ in CURVE_POINTS], dtype=np.float64)
    shift = value("curve_shift")
    if not np.isfinite(ys).all():
        return None
    xs = np.array([x for _, x in CURVE_POINTS])
    return SupplyLaw(xs, ys + (shift if np.isfinite(shift) else 0.0))


@dataclass
class Shortfall:
    """How far the supply falls below its law in the hours after the outdoor falls fast: when
    every station's curve asks for more at once, a plant at its rating cannot deliver the surge
    (and the far ends of its trunks run out of differential pressure) until its own supply
    temperature has caught up, hours later. A fall of f K in an hour beyond `threshold` costs
    `weights[j]`·(f − threshold) K of supply j hours later (j < FALL_MEMORY_H).

    Learned from the station's own history (it shows each such shortfall after a change of
    weather), by least squares with non-negative weights, the threshold picked by fit among a
    few; so it needs no plant rating or network model and holds whatever limits the station.
    A steady cold the plant can carry costs nothing: the station's history shows its supply on
    the curve there."""

    threshold: float  # K/h of outdoor fall the plant absorbs
    weights: np.ndarray  # K of supply lost j h after each K/h of fall beyond the threshold

    def __call__(self, outdoor: np.ndarray) -> np.ndarray:
        return -(_falls(np.asarray(outdoor, dtype=np.float64), self.threshold) @ self.weights)

    @classmethod
    def fitted(cls, outdoor: np.ndarray, gap: np.ndarray) -> Shortfall | None:
        """The fall response that best explains `gap` (measured supply − law); None if the
        history shows none worth the name (it explains under SHORTFALL_MIN_GAIN of the gap's
        square)."""
        ok = np.isfinite(gap)
        if ok.sum() < MIN_HISTORY_H // 2:
            return None
        g = gap[ok]
        best: tuple[float, float, np.ndarray] | None = None
        for thr in FALL_THRESHOLDS_K_H:
            x = _falls(outdoor, thr)[ok]
            if np.count_nonzero(x[:, 0]) < 2:
                continue
            w = _nonneg_lstsq(x, -g)
            sse = float(np.sum((g + x @ w) ** 2))
            if w.any() and (best is None or sse < best[0]):
                best = (sse, thr, w)
        if best is None or best[0] > (1.0 - SHORTFALL_MIN_GAIN) * float(np.sum(g**2)):
            return None
        return cls(best[1], best[2])


def _falls(outdoor: np.ndarray, threshold: float) -> np.ndarray:
    """Rows k, columns j: the outdoor's fall in hour k − j beyond `threshold` (K/h, ≥ 0; 0
    where unknown), weighed by how cold hour k is (1 + K below 0 °C / FALL_COLD_SCALE_K: the
    colder, the less reserve the plant has left for the surge)."""
    fall = np.zeros(len(outdoor))
    fall[1:] = np.nan_to_num(np.maximum(outdoor[:-1] - outdoor[1:] - threshold, 0.0))
    x = np.zeros((len(outdoor), FALL_MEMORY_H))
    for j in range(FALL_MEMORY_H):
        x[j:, j] = fall[: len(fall) - j]
    cold = 1.0 + np.nan_to_num(np.maximum(-outdoor, 0.0)) / FALL_COLD_SCALE_K
    return x * cold[:, None]


def _nonneg_lstsq(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least squares with the coefficients held ≥ 0 (the negative ones dropped and the rest
    refitted, a few rounds: enough for a dozen smooth weights, no scipy for one call)."""
    w = np.zeros(x.shape[1])
    free = np.ones(x.shape[1], dtype=bool)
    for _ in range(x.shape[1]):
        c, *_ = np.linalg.lstsq(x[:, free], y, rcond=None)
        w[:] = 0.0
        w[free] = c
        if (c >= 0).all():
            break
        free[free] = c > 0
        if not free.any():
            return np.zeros(x.shape[1])
    return np.maximum(w, 0.0)


@dataclass
class FitReport:
    """How well the model explains the history it was fitted on (shown to the dispatcher)."""

    samples: int  # hourly samples used
    delay_h: int
    rmse_1h: float  # one-step residual, °C (room mean)
    rmse_6h: float  # free-run error at 6 h / 24 h lead over the history, °C (room mean)
    rmse_24h: float
    r2: float  # of the one-step fit (room mean)
    stable: bool

    def summary(self) -> str:
        return (
            f"fit on {self.samples} h, delay {self.delay_h} h: "
            f"1 h {self.rmse_1h:.2f} °C, 6 h {self.rmse_6h:.2f} °C, 24 h {self.rmse_24h:.2f} °C"
        )


@dataclass
class RoomForecast:
    """The next `len(times)` hours of a station's rooms, with a 90 % band."""

    times: np.ndarray  # epoch s, the middle of each forecast hour
    mean: np.ndarray
    mean_lo: np.ndarray
    mean_hi: np.ndarray
    coldest: np.ndarray
    coldest_lo: np.ndarray
    coldest_hi: np.ndarray
    outdoor: np.ndarray  # the outdoor forecast used
    issued_at: float


@dataclass
class Arx:
    theta: np.ndarray  # a1, a2, b0, b1, c0, c1, e
    sigma_lead: np.ndarray = field(default_factory=lambda: np.zeros(HORIZON_H + 1))

    @property
    def stable(self) -> bool:
        """Both poles inside MAX_POLE: a free run settles instead of running away."""
        if not np.isfinite(self.theta).all():
            return False
        roots = np.roots([1.0, -self.theta[0], -self.theta[1]])
        return bool(np.all(np.abs(roots) < MAX_POLE))

    def run(self, y0: float, y1: float, to: np.ndarray, ts: np.ndarray) -> np.ndarray:
        """Free run: y1 = y[k], y0 = y[k−1]; to, ts: inputs from k (index 0) on, ts already
        delayed. Returns y[k+1 .. k+len(to)−1]."""
        a1, a2, b0, b1, c0, c1, e = self.theta
        n = len(to) - 1
        out = np.empty(n)
        yp, yc = y0, y1
        for j in range(n):
            yn = a1 * yc + a2 * yp + b0 * to[j + 1] + b1 * to[j] + c0 * ts[j + 1] + c1 * ts[j] + e
            out[j] = yn
            yp, yc = yc, yn
        return out


def _design(y: np.ndarray, to: np.ndarray, ts_d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Regressors and targets of the ARX equation for k = 1 .. n−2 (rows with a NaN dropped)."""
    x = np.column_stack(
        [y[1:-1], y[:-2], to[2:], to[1:-1], ts_d[2:], ts_d[1:-1], np.ones(len(y) - 2)]
    )
    t = y[2:]
    ok = np.isfinite(x).all(axis=1) & np.isfinite(t)
    return x[ok], t[ok]


def _delayed(x: np.ndarray, d: int) -> np.ndarray:
    if d == 0:
        return x
    return np.concatenate([np.full(d, np.nan), x[:-d]])


class ThermalModel:
    """Per station: fit on history (`fit`), then forecast the rooms from an outdoor forecast.

    `curve`: the station's weather curve (outdoor xs, supply ys) if known; otherwise a line
    fitted to the history. `delay_h`: fix the transport delay instead of picking it by fit.
    """

    def __init__(self, curve: SupplyLaw | None = None, delay_h: int | None = None):
        self.curve = curve
        self.delay_h = delay_h
        self.law: SupplyLaw | None = curve
        self.shortfall: Shortfall | None = None
        self.limit: SupplyLimit | None = None
        self.mean_model: Arx | None = None
        self.min_model: Arx | None = None
        self.report: FitReport | None = None
        self.fitted_len = 0

    @property
    def ready(self) -> bool:
        return self.mean_model is not None

    def fit(self, s: StationSeries) -> FitReport | None:
        """Identify from the whole series. Too short a history, or one whose only fits run
        away (a pole at or past MAX_POLE, mean or coldest room), keeps the previous fit (None
        before the first)."""
        if np.isfinite(s.room_mean).sum() < MIN_HISTORY_H:
            return self.report
        best: tuple[float, int, Arx] | None = None
        for d in DELAYS_H if self.delay_h is None else (self.delay_h,):
            arx, rss, _ = self._fit_one(s.room_mean, s.outdoor, _delayed(s.supply, d))
            if arx is not None and arx.stable and (best is None or rss < best[0]):
                best = (rss, d, arx)
        if best is None:  # too little usable history, or only fits that run away
            return self.report
        _, d, mean_arx = best
        ts_d = _delayed(s.supply, d)
        min_arx, _, _ = self._fit_one(s.room_min, s.outdoor, ts_d)
        if min_arx is not None and not min_arx.stable:
            return self.report  # the previous fit (if any) is kept whole: mean and coldest
        x, t = _design(s.room_mean, s.outdoor, ts_d)
        resid = t - x @ mean_arx.theta
        self.delay_h_fitted = d
        self.law = self.curve or SupplyLaw.fitted(s.outdoor, s.supply)
        law = self.law
        self.limit = SupplyLimit.fitted(s.outdoor, s.supply, s.primary, s.valve, s.start)
        if law is not None:
            # The shortfall learns only what the primary-side limit leaves unexplained.
            asked = self._limited(law(s.outdoor), s, s.outdoor, len(s) - 1)
            self.shortfall = Shortfall.fitted(s.outdoor, s.supply - asked)
        else:
            self.shortfall = None
        mean_arx.sigma_lead = self._free_run_sigma(mean_arx, s.room_mean, s)
        if min_arx is not None:
            min_arx.sigma_lead = self._free_run_sigma(min_arx, s.room_min, s)
        self.mean_model, self.min_model = mean_arx, min_arx
        var = float(np.var(t)) or 1e-12
        self.report = FitReport(
            samples=len(t),
            delay_h=d,
            rmse_1h=float(np.sqrt(np.mean(resid**2))),
            rmse_6h=float(mean_arx.sigma_lead[6]),
            rmse_24h=float(mean_arx.sigma_lead[24]),
            r2=float(1.0 - np.mean(resid**2) / var),
            stable=mean_arx.stable,
        )
        self.fitted_len = len(s)
        return self.report

    @staticmethod
    def _fit_one(y: np.ndarray, to: np.ndarray, ts_d: np.ndarray) -> tuple[Arx | None, float, int]:
        """Least squares under the building's physics: at steady state a room is a weighted
        mean of its supply and the outdoor temperature (plus internal gains, in e), so the
        gains add up to one: b0 + b1 + c0 + c1 = 1 − a1 − a2. Substituting c1 keeps the fit
        linear: y[k+1] − Ts[k] = a1(y[k] − Ts[k]) + a2(y[k−1] − Ts[k]) + b0(To[k+1] − Ts[k])
        + b1(To[k] − Ts[k]) + c0(Ts[k+1] − Ts[k]) + e. Without it, history under weather control
        (the supply moving against the outdoor along the curve) tells only the difference of
        the two gains, and a forecast below the design day, where the curve goes flat, would
        extrapolate a guess."""
        x, t = _design(y, to, ts_d)
        if len(t) < MIN_HISTORY_H // 2:
            return None, math.inf, 0
        ts_k = x[:, 5:6]
        xr = np.column_stack([x[:, :5] - ts_k, x[:, 6]])
        coef, *_ = np.linalg.lstsq(xr, t - ts_k[:, 0], rcond=None)
        a1, a2, b0, b1, c0, e = coef
        theta = np.array([a1, a2, b0, b1, c0, 1.0 - a1 - a2 - b0 - b1 - c0, e])
        rss = float(np.sum((t - x @ theta) ** 2))
        return Arx(theta), rss, len(t)

    def forecast(
        self,
        s: StationSeries,
        outdoor_times: np.ndarray,
        outdoor_c: np.ndarray,
        *,
        now_index: int | None = None,
        issued_at: float | None = None,
        hours: int = HORIZON_H,
    ) -> RoomForecast | None:
        """The rooms for `hours` hours after history hour `now_index` (default: the last),
        given an outdoor forecast (epoch s, °C). None before a fit or without recent data."""
        if self.mean_model is None:
            return None
        k = len(s) - 1 if now_index is None else now_index
        if k < max(self.delay_h_fitted, 1) + 1:
            return None
        t_now = s.start + (k + 1) * HOUR  # the end of the last hour of history
        fut_t = s.start + HOUR * (np.arange(k + 1, k + 1 + hours) + 0.5)  # mid-hours ahead
        ft = np.asarray(outdoor_times, dtype=np.float64)
        fv = np.asarray(outdoor_c, dtype=np.float64)
        if len(ft) < 2 or ft[-1] < fut_t[-1] - 3 * HOUR:
            return None
        # The city forecast is used as is: a station's steady micro-climate offset (a few
        # tenths) moves its rooms by hundredths under weather control.
        to_f = np.interp(fut_t, ft, fv)
        to_all = np.concatenate([s.outdoor[k : k + 1], to_f])
        if not np.isfinite(to_all[0]):
            to_all[0] = to_f[0]
        ts_d = self._future_supply(s, k, to_f)
        # What a 1 K outdoor forecast error does at each lead, through the curve (where the
        # curve compensates, little; below the design day, where it is flat, a lot).
        ts_d_plus = self._future_supply(s, k, to_f + 1.0)
        if ts_d is None or ts_d_plus is None:
            return None
        to_plus = to_all.copy()
        to_plus[1:] += 1.0
        lead = np.arange(1, hours + 1)
        fc_sigma = forecast_error_sigma(lead)
        out = []
        for arx, y in ((self.mean_model, s.room_mean), (self.min_model, s.room_min)):
            if arx is None or not np.isfinite(y[k - 1 : k + 1]).all():
                out.append((np.full(hours, np.nan),) * 3)
                continue
            path = arx.run(float(y[k - 1]), float(y[k]), to_all, ts_d)
            g = arx.run(float(y[k - 1]), float(y[k]), to_plus, ts_d_plus) - path
            sig = np.sqrt(arx.sigma_lead[np.minimum(lead, HORIZON_H)] ** 2 + (g * fc_sigma) ** 2)
            # Never narrower than at a shorter lead: where the curve compensates an outdoor
            # error the response dips back, but the dispatcher's band should not pinch.
            sig = np.maximum.accumulate(sig)
            out.append((path, path - Z90 * sig, path + Z90 * sig))
        (m, m_lo, m_hi), (c, c_lo, c_hi) = out
        with np.errstate(invalid="ignore"):
            if np.any(np.abs(np.concatenate([m_lo, m_hi, c_lo, c_hi])) > PLAUSIBLE_ROOM_C):
                return None  # not a room: never shown, planned on or warned of
        return RoomForecast(
            fut_t, m, m_lo, m_hi, c, c_lo, c_hi, to_f, t_now if issued_at is None else issued_at
        )

    def _free_run_sigma(self, arx: Arx, y: np.ndarray, s: StationSeries) -> np.ndarray:
        """RMS error by lead 0..HORIZON_H of free runs from every 6th hour of the history, each
        made as a forecast is (the supply ahead from the law, shortfall and fading gap: what
        `forecast` will feed the model) with the outdoor that came (the outdoor forecast's own
        error is added in `forecast`)."""
        n = len(y)
        sq = np.zeros(HORIZON_H + 1)
        cnt = np.zeros(HORIZON_H + 1)
        for k in range(max(1, (n - 1) % 6 or 6), n - 1, 6):
            m = min(HORIZON_H, n - 1 - k)
            if m < 1 or not (
                np.isfinite(y[k - 1 : k + 1]).all() and np.isfinite(s.outdoor[k : k + m + 1]).all()
            ):
                continue
            ts_d = self._future_supply(s, k, s.outdoor[k + 1 : k + m + 1])
            if ts_d is None:
                continue
            err = arx.run(y[k - 1], y[k], s.outdoor[k : k + m + 1], ts_d) - y[k + 1 : k + m + 1]
            good = np.isfinite(err)
            lead = np.arange(1, m + 1)[good]
            sq[lead] += err[good] ** 2
            cnt[lead] += 1
        with np.errstate(invalid="ignore", divide="ignore"):
            sig = np.sqrt(sq / cnt)
        # Leads the history is too short for: the last known value (errors only grow with lead).
        sig[0] = 0.0
        return np.maximum.accumulate(np.nan_to_num(sig, nan=0.0))

    def _future_supply(
        self, s: StationSeries, k: int, to_f: np.ndarray, *, shortfall: bool = True
    ) -> np.ndarray | None:
        """The delayed supply input from hour k on: measured until the delay has passed, then
        the law under the primary-side ceiling, less the learned shortfall, on the forecast
        outdoor, plus today's gap between the measured supply and that, fading over a few hours.
        `shortfall=False` leaves both the ceiling and the shortfall out: a pre-heating plan
        raises the plant so the supply follows the law, and judges what the raise achieves
        itself."""
        hours = len(to_f)
        d = self.delay_h_fitted
        ts_all = np.concatenate([s.supply[: k + 1], np.full(hours, np.nan)])
        law = self.law
        if law is not None:
            to_all = np.concatenate([s.outdoor[: k + 1], to_f])
            pred = law(to_all)
            if shortfall:
                pred = self._limited(pred, s, to_all, k)
            if shortfall and self.shortfall is not None:
                # The forecast continued from the measured outdoor: its offset from the
                # station's thermometer is not a fall.
                seam = s.outdoor[k] - to_f[0] if np.isfinite(s.outdoor[k]) else 0.0
                pred = pred + self.shortfall(np.concatenate([s.outdoor[: k + 1], to_f + seam]))
            last = ts_all[k]
            gap = last - pred[k] if np.isfinite(last) else 0.0
            decay = np.exp(-np.arange(1, hours + 1) / SUPPLY_GAP_TAU_H)
            ts_all[k + 1 :] = pred[k + 1 :] + gap * decay
        else:
            last = s.supply[k] if np.isfinite(s.supply[k]) else np.nanmean(s.supply[: k + 1])
            ts_all[k + 1 :] = last
        ts_d = _delayed(ts_all, d)[k:]
        return ts_d if np.isfinite(ts_d).all() else None

    def _limited(
        self, asked: np.ndarray, s: StationSeries, to_all: np.ndarray, k: int
    ) -> np.ndarray:
        """`asked` (the law over `to_all`: history to hour k, then the forecast) under the
        station's primary-side ceiling (supply.SupplyLimit), where it has learned one."""
        if self.limit is None or s.primary is None:
            return asked
        return np.minimum(asked, self.limit.ceiling(to_all, s.primary, k, s.start))
