"""What a station's supply can reach: the primary water that arrives, with its valve wide open.

A station's controller holds its secondary supply (T3) on the weather curve only while its
primary side can deliver the heat: when a cold spell comes faster than its plant follows, every
valve on the trunk opens at once, the trunk's flow rises, the differential pressure at the far
ends falls and the primary water (T1) is still the warmer weather's (the plant runs on a
smoothed outdoor temperature and its water takes hours to arrive). With the valve wide open,
T3 is what that water and that pressure can give: on the simulated city as on a real one, close
to a straight line in T1 (e.g. 6.5 + 0.58·T1 at one far station, within 0.6 K), however high
the curve asks.

So the supply ahead is the curve, capped by that line applied to the T1 expected at each hour:
`PrimaryLaw` (T1 against the outdoor temperature now and a smoothed, delayed outdoor: the
plant's own curve seen through its smoothing and the trunk's transport delay, picked by fit
among a few) and `SupplyCap` (T3 against T1 in the hours its valve was wide open), both learned
from the station's own polled history (T1 register 101, valve register 114) — no plant rating,
trunk model or simulator internals, and a station whose history shows neither gets no cap. Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

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


@dataclass
class PrimaryLaw:
    """T1 at the station = a + b·outdoor + c·(outdoor smoothed over `tau_h`, `delay_h` earlier)."""

    tau_h: int
    delay_h: int
    coef: np.ndarray  # b, c, a

    def __call__(self, outdoor: np.ndarray, head: np.ndarray | None = None) -> np.ndarray:
        """Per hour of `outdoor` (a whole hourly series: the delay looks back along it); `head`
        as for `smoothed`."""
        to = np.asarray(outdoor, dtype=np.float64)
        lag = _lagged(smoothed(to, self.tau_h, head), self.delay_h)
        return self.coef[0] * to + self.coef[1] * lag + self.coef[2]

    @classmethod
    def fitted(cls, outdoor: np.ndarray, primary: np.ndarray) -> PrimaryLaw | None:
        best: tuple[float, PrimaryLaw] | None = None
        for tau in PRIMARY_SMOOTH_H:
            sm = smoothed(outdoor, tau)
            for d in PRIMARY_DELAY_H:
                x = np.column_stack([outdoor, _lagged(sm, d), np.ones(len(outdoor))])
                ok = np.isfinite(x).all(axis=1) & np.isfinite(primary)
                if ok.sum() < PRIMARY_MIN_HOURS:
                    continue
                c, *_ = np.linalg.lstsq(x[ok], primary[ok], rcond=None)
                sse = float(np.sum((primary[ok] - x[ok] @ c) ** 2))
                if best is None or sse < best[0]:
                    best = (sse, cls(tau, d, c))
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
    # The last history smoothed (outdoor, smoothed): forecasts and the model's free runs over
    # the same history smooth only their new hours.
    _memo: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @classmethod
    def fitted(
        cls,
        outdoor: np.ndarray,
        supply: np.ndarray,
        primary: np.ndarray | None,
        valve: np.ndarray | None,
    ) -> SupplyLimit | None:
        """None without a T1 and valve history that shows the limit."""
        if primary is None or valve is None:
            return None
        cap = SupplyCap.fitted(supply, primary, valve)
        law = cap and PrimaryLaw.fitted(outdoor, primary)
        return cls(law, cap) if cap and law else None

    def ceiling(self, outdoor: np.ndarray, primary: np.ndarray, k: int) -> np.ndarray:
        """The highest T3 each hour of `outdoor` (history to hour k, then the forecast) allows:
        up to hour k from the measured T1 (the law where it is unknown), after it from the law
        plus today's gap between the measured T1 and the law, fading."""
        outdoor = np.asarray(outdoor, dtype=np.float64)
        head = None
        if self._memo is not None:
            seen_to, seen_sm = self._memo
            p = min(k + 1, len(seen_to))
            if np.array_equal(outdoor[:p], seen_to[:p], equal_nan=True):
                head = seen_sm[:p]
        law = self.primary(outdoor, head)
        if head is None or len(head) < k + 1:
            sm = smoothed(outdoor[: k + 1], self.primary.tau_h, head)
            self._memo = (outdoor[: k + 1].copy(), sm)
        t1 = law.copy()
        seen = np.asarray(primary[: k + 1], dtype=np.float64)
        t1[: k + 1] = np.where(np.isfinite(seen), seen, law[: k + 1])
        if np.isfinite(seen[-1]) and np.isfinite(law[k]):
            ahead = np.arange(1, len(outdoor) - k) / PRIMARY_GAP_TAU_H
            t1[k + 1 :] += (seen[-1] - law[k]) * np.exp(-ahead)
        return np.where(np.isfinite(t1), self.cap(t1), np.inf)
