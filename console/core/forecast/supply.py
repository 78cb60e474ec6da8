"""What a station's supply can reach: the primary water that arrives, with its valve wide open.

A station's controller holds its secondary supply (T3) on the weather curve only while its
primary side can deliver the heat: when a cold spell comes faster than its plant follows, every
valve on the trunk opens at once, the trunk's flow rises, the differential pressure at the far
ends falls and the primary water (T1) is still the warmer weather's (the plant runs on a
smoothed outdoor temperature and its water takes hours to arrive). With the valve wide open,
T3 is what that water and that pressure can give: on the simulated demo city close to a straight
line in T1 (e.g. 6.5 + 0.58·T1 at a far 西工 station, within 0.6 K over its wide-open hours),
however high the curve asks.

So the supply ahead is the curve, capped by that line applied to the T1 expected at each hour:
`PrimaryLaw` (T1 against the outdoor's daily cycle, which a plant dispatches on in time, and the
rest of the outdoor smoothed and delayed: the plant's response to a change of weather seen
through its smoothing and the trunk's transport delay, picked by fit among a few) and
`SupplyCap` (T3 against T1 in the hours the valve was wide open), both learned from the
station's own polled history (T1 register 101, valve register 114) — no plant rating, trunk
model or simulator internals; a station whose history shows neither gets no cap. Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

HOUR = 3600.0
VALVE_OPEN_PCT = 97.0  # an hour with the valve at least this open is limited by its primary side
CAP_MIN_HOURS = 6  # wide-open hours a cap needs
CAP_MIN_SPREAD_K = 4.0  # …over at least this range of T1 (else the slope is a guess)
CAP_SLOPE_RANGE = (0.2, 1.0)  # K of T3 per K of T1 an exchanger can give (beyond: not believed)
PRIMARY_SMOOTH_H = (0, 1, 2, 3)  # candidate smoothing of the outdoor a plant follows (h)
PRIMARY_DELAY_H = tuple(range(7))  # candidate transport delays plant → station (h)
PRIMARY_MIN_HOURS = 48
PRIMARY_GAP_TAU_H = 4.0  # today's T1 minus the law fades with this time constant


def smoothed(x: np.ndarray, tau_h: float, head: np.ndarray | None = None) -> np.ndarray:
    """First-order smoothing on an hourly grid (time constant tau_h; 0: none); an unknown hour
    holds the smoothed value. `head`: the smoothed values of x's first hours, already known
    (the recursion goes on from its end)."""
    x = np.asarray(x, dtype=np.float64)
    if tau_h <= 0:
        return x.copy()
    a = -np.expm1(-1.0 / tau_h)
    out = np.empty(len(x))
    p = 0 if head is None else len(head)
    out[:p] = head if head is not None else []
    if p:
        s = float(head[-1])  # type: ignore[index]
    else:
        ok = np.flatnonzero(np.isfinite(x))
        s = float(x[ok[0]]) if len(ok) else np.nan
    for k in range(p, len(x)):
        v = x[k]
        if v == v:  # not NaN
            s += (v - s) * a
        out[k] = s
    return out


def _lagged(x: np.ndarray, d: int) -> np.ndarray:
    return x if d == 0 else np.concatenate([np.full(d, np.nan), x[:-d]])


def daily_cycle(outdoor: np.ndarray, start: float) -> np.ndarray:
    """The outdoor's mean daily cycle in a history starting at `start` (epoch s of hour 0): per
    hour of the day (UTC), its mean departure from the day's centred 24-hour mean (0 where
    unknown, all 0 under two days)."""
    to = np.asarray(outdoor, dtype=np.float64)
    if len(to) < 48:  # not two days: no cycle to tell
        return np.zeros(24)
    ok = np.isfinite(to)
    win = np.ones(24)
    tot = np.convolve(np.where(ok, to, 0.0), win, mode="same")
    cnt = np.convolve(ok.astype(np.float64), win, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        dev = np.where(ok & (cnt >= 20), to - tot / cnt, np.nan)
    hod = _hour_of_day(start, len(to))
    prof = np.zeros(24)
    for h in range(24):
        v = dev[hod == h]
        v = v[np.isfinite(v)]
        prof[h] = float(v.mean()) if len(v) else 0.0
    return prof


def _hour_of_day(start: float, n: int) -> np.ndarray:
    return ((np.floor(start / HOUR) + np.arange(n)) % 24).astype(np.int64)


@dataclass
class PrimaryLaw:
    """T1 at the station = a + b·P + c·(R smoothed over `tau_h`, `delay_h` earlier), with the
    outdoor split into its daily cycle P (`profile`, per hour of the day) and the rest R: a
    plant dispatches on the daily cycle it expects, so its water follows that in time, while a
    change of weather reaches the station only after its smoothing and the trunk's delay."""

    tau_h: int
    delay_h: int
    coef: np.ndarray  # b, c, a
    profile: np.ndarray  # 24 values, K

    def _parts(self, outdoor: np.ndarray, start: float) -> tuple[np.ndarray, np.ndarray]:
        p = self.profile[_hour_of_day(start, len(outdoor))]
        return p, np.asarray(outdoor, dtype=np.float64) - p

    def rest(self, outdoor: np.ndarray, start: float) -> np.ndarray:
        """R: the outdoor less its daily cycle (what `smoothed` runs on)."""
        return self._parts(outdoor, start)[1]

    def __call__(
        self, outdoor: np.ndarray, start: float, head: np.ndarray | None = None
    ) -> np.ndarray:
        """Per hour of `outdoor` (a whole hourly series from `start`: the delay looks back
        along it); `head`: R smoothed over its first hours, already known (see `smoothed`)."""
        p, r = self._parts(outdoor, start)
        lag = _lagged(smoothed(r, self.tau_h, head), self.delay_h)
        return self.coef[0] * p + self.coef[1] * lag + self.coef[2]

    @classmethod
    def fitted(cls, outdoor: np.ndarray, primary: np.ndarray, start: float) -> PrimaryLaw | None:
        prof = daily_cycle(outdoor, start)
        best: tuple[float, PrimaryLaw] | None = None
        for tau in PRIMARY_SMOOTH_H:
            law = cls(tau, 0, np.zeros(3), prof)
            p, r = law._parts(outdoor, start)
            sm = smoothed(r, tau)
            for d in PRIMARY_DELAY_H:
                x = np.column_stack([p, _lagged(sm, d), np.ones(len(outdoor))])
                ok = np.isfinite(x).all(axis=1) & np.isfinite(primary)
                if ok.sum() < PRIMARY_MIN_HOURS:
                    continue
                c, *_ = np.linalg.lstsq(x[ok], primary[ok], rcond=None)
                sse = float(np.sum((primary[ok] - x[ok] @ c) ** 2))
                if best is None or sse < best[0]:
                    best = (sse, cls(tau, d, c, prof))
        return None if best is None else best[1]


@dataclass
class SupplyCap:
    """The T3 a wide-open valve gives: c0 + c1·T1."""

    c0: float
    c1: float

    def __call__(self, primary: np.ndarray) -> np.ndarray:
        return self.c0 + self.c1 * np.asarray(primary, dtype=np.float64)

    @classmethod
    def fitted(cls, supply: np.ndarray, primary: np.ndarray, valve: np.ndarray) -> SupplyCap | None:
        with np.errstate(invalid="ignore"):
            ok = (valve >= VALVE_OPEN_PCT) & np.isfinite(supply) & np.isfinite(primary)
        if ok.sum() < CAP_MIN_HOURS or np.ptp(primary[ok]) < CAP_MIN_SPREAD_K:
            return None
        c1, c0 = np.polyfit(primary[ok], supply[ok], 1)
        lo, hi = CAP_SLOPE_RANGE
        return cls(float(c0), float(c1)) if lo <= c1 <= hi else None


@dataclass
class SupplyLimit:
    """The station's primary-side limit on its supply: T1 ahead from `primary`, T3 under `cap`."""

    primary: PrimaryLaw
    cap: SupplyCap
    # The last history smoothed (start, outdoor, smoothed R): forecasts and the model's free
    # runs over the same history smooth only their new hours.
    _memo: tuple[float, np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @classmethod
    def fitted(
        cls,
        outdoor: np.ndarray,
        supply: np.ndarray,
        primary: np.ndarray | None,
        valve: np.ndarray | None,
        start: float,
    ) -> SupplyLimit | None:
        """None without a T1 and valve history that shows the limit (`start`: epoch s of the
        series' first hour)."""
        if primary is None or valve is None:
            return None
        cap = SupplyCap.fitted(supply, primary, valve)
        law = cap and PrimaryLaw.fitted(outdoor, primary, start)
        return cls(law, cap) if cap and law else None

    def ceiling(self, outdoor: np.ndarray, primary: np.ndarray, k: int, start: float) -> np.ndarray:
        """The highest T3 each hour of `outdoor` (history from `start` to hour k, then the
        forecast) allows: up to hour k from the measured T1 (the law where it is unknown), after
        it from the law plus today's gap between the measured T1 and the law, fading."""
        outdoor = np.asarray(outdoor, dtype=np.float64)
        head = None
        if self._memo is not None and self._memo[0] == start:
            _, seen_to, seen_sm = self._memo
            p = min(k + 1, len(seen_to))
            if np.array_equal(outdoor[:p], seen_to[:p], equal_nan=True):
                head = seen_sm[:p]
        law = self.primary(outdoor, start, head)
        if head is None or len(head) < k + 1:
            rest = self.primary.rest(outdoor[: k + 1], start)
            sm = smoothed(rest, self.primary.tau_h, head)
            self._memo = (start, outdoor[: k + 1].copy(), sm)
        t1 = law.copy()
        seen = np.asarray(primary[: k + 1], dtype=np.float64)
        t1[: k + 1] = np.where(np.isfinite(seen), seen, law[: k + 1])
        if np.isfinite(seen[-1]) and np.isfinite(law[k]):
            ahead = np.arange(1, len(outdoor) - k) / PRIMARY_GAP_TAU_H
            t1[k + 1 :] += (seen[-1] - law[k]) * np.exp(-ahead)
        return np.where(np.isfinite(t1), self.cap(t1), np.inf)
