"""Leak detection by the secondary loop's water balance, vectorised over a network's stations.

Over every interval between two scans of a station the water that left the loop is

    loss = make-up volume + thermal expansion − water stored in the expansion vessel
         = ΔV_makeup + β·V_sys·ΔT_w − Δp/k

(T_w = (T3 + T4)/2, V_sys from the station's heated area, k = the vessel's stiffness in kPa per
m³: a design guess refined by the pressure rise per m³ of make-up while the pump runs). The pump's
cycling cancels out: what it pumps in shows up as pressure. A CUSUM of the loss above the
station's own learned normal rate (plus a drift allowance) raises the leak; a pressure collapse
while the make-up pump runs (a burst beyond its capacity) raises it at once. The leak ends when
the recent excess has fallen below the drift allowance; the alarm rule's off-delay then holds it
until the balance has been normal for a set time (station_config.alarm_rules.LeakConfig).

While the relief valve spills expanding water (pressure at its ceiling, water warming) the
spill is not a leak: such intervals count at most the normal rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from station_config.alarm_rules import LeakConfig
from station_config.schema import StationDef

H = 3600.0
MAX_GAP_S = 3600.0  # a longer silence (link down) starts the balance afresh
K_TAU_S = 2 * 86400.0  # vessel stiffness: the pump runs of about two days
K_PRIOR_PERMILLE = 2.0  # the design stiffness weighs as much as this much make-up (‰ of V)
K_RANGE = 4.0  # the learned stiffness stays within design ÷ / × this
TOP_BAND_KPA = 2.0  # "at the relief ceiling"
P_LOW_GAIN = 0.2  # learning rate of the make-up start pressure, per pump start
MIN_RATE = 0.01  # m³/h shown while a leak is held (the alarm's value is the rate)


@dataclass(frozen=True)
class LeakInputs:
    """One sample per station of a batch (NaN where a point is missing or not GOOD)."""

    makeup_volume: np.ndarray  # m³, the make-up totaliser
    makeup_flow: np.ndarray  # m³/h
    p_return: np.ndarray  # kPa, p4 (pump suction: the static pressure)
    t_supply: np.ndarray  # °C, T3
    t_return: np.ndarray  # °C, T4


class LeakDetector:
    """Per-station balance state; `update` takes one batch of scans (process time)."""

    def __init__(self, volume_m3: np.ndarray, cfg: LeakConfig | None = None) -> None:
        self.cfg = cfg = cfg or LeakConfig()
        v = np.asarray(volume_m3, dtype=np.float64)
        n = self.n = len(v)
        self.volume = v
        self.threshold = cfg.threshold_m3 + cfg.threshold_per_m3 * v  # m³
        self.drift = cfg.drift_m3h + cfg.drift_per_m3 * v  # m³/h
        nan = np.full(n, np.nan)
        self.t_prev, self.v_prev, self.q_prev = nan.copy(), nan.copy(), nan.copy()
        self.p_prev, self.tw_prev = nan.copy(), nan.copy()
        # Normal loss: ~1 % of the water a day until learned.
        self.baseline = 0.01 * v / 24.0
        # Vessel stiffness: the design guess, refined by (Δp, ΔV) of the pump's runs.
        self.k_design = cfg.vessel_kpa_per_permille / (np.maximum(v, 1e-6) * 1e-3)
        self.k_dp = np.zeros(n)
        self.k_dv = np.zeros(n)
        self.p_low = nan.copy()  # pressure at which the make-up pump starts
        self.p_top = nan.copy()  # highest pressure seen: the relief valve's ceiling
        self.cusum = np.zeros(n)
        self.since = nan.copy()  # process time the excess began
        self.episode = np.zeros(n)  # excess m³ since then
        self.recent = np.zeros(n)  # m³/h, excess over the last `recent_tau_s`
        self.active = np.zeros(n, dtype=bool)
        self.burst = np.zeros(n, dtype=bool)
        self.drained = np.zeros(n, dtype=bool)  # the rate shown is a lower bound
        self.now = nan.copy()

    @property
    def stiffness(self) -> np.ndarray:
        """Vessel stiffness (kPa per m³): the design guess weighted with what the pump's runs
        showed, kept within a factor K_RANGE of the design (a run or two mis-sampled by a slow
        scan must not turn the pressure term upside down)."""
        m = K_PRIOR_PERMILLE * 1e-3 * self.volume
        k0 = self.k_design
        k = (np.maximum(self.k_dp, 0.0) + k0 * m) / (np.maximum(self.k_dv, 0.0) + m)
        return np.clip(k, k0 / K_RANGE, k0 * K_RANGE)

    def rate(self, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Estimated leak (m³/h above the normal rate) since `since`; 0 where none is held."""
        with np.errstate(divide="ignore", invalid="ignore"):
            r = self.episode[idx] / np.maximum(self.now[idx] - self.since[idx], 1.0) * H
        return np.where(self.active[idx], np.maximum(r, MIN_RATE), 0.0)

    def update(self, idx: np.ndarray, t: np.ndarray, x: LeakInputs) -> tuple[np.ndarray, ...]:
        """Advance stations `idx` (unique) to process times `t`; returns (rate m³/h, valid)."""
        c = self.cfg
        idx = np.asarray(idx, dtype=np.int64)
        t = np.asarray(t, dtype=np.float64)
        p, q, vol = x.p_return, x.makeup_flow, x.makeup_volume
        tw = (x.t_supply + x.t_return) / 2.0
        ok = np.isfinite(p) & (np.isfinite(q) | np.isfinite(vol))
        dt = t - self.t_prev[idx]
        step = ok & np.isfinite(dt) & (dt > 0) & (dt <= MAX_GAP_S)
        s = idx[step]
        if len(s):
            self._step(s, t[step], dt[step], vol[step], q[step], p[step], tw[step], c)
        # First sample (or after a gap): only remember; learning starts from here.
        fresh = idx[ok & ~step]
        self.p_low[fresh] = np.where(np.isnan(self.p_low[fresh]), p[ok & ~step], self.p_low[fresh])
        self.p_top[fresh] = np.fmax(self.p_top[fresh], p[ok & ~step])
        good = idx[ok]
        self.t_prev[good], self.p_prev[good] = t[ok], p[ok]
        self.q_prev[good], self.v_prev[good] = q[ok], vol[ok]
        self.tw_prev[good] = np.where(np.isfinite(tw[ok]), tw[ok], self.tw_prev[good])
        self.now[good] = t[ok]
        valid = ok & np.isfinite(self.t_prev[idx])
        return self.rate(idx), valid

    def _step(
        self,
        s: np.ndarray,
        t: np.ndarray,
        dt: np.ndarray,
        vol: np.ndarray,
        q: np.ndarray,
        p: np.ndarray,
        tw: np.ndarray,
        c: LeakConfig,
    ) -> None:
        dh = dt / H
        # Make-up volume: the totaliser where it counts forward, else the flow integrated.
        dv_tot = vol - self.v_prev[s]
        q0 = np.nan_to_num(self.q_prev[s])
        q1 = np.nan_to_num(q)
        dv = np.where(np.isfinite(dv_tot) & (dv_tot >= 0), dv_tot, (q0 + q1) / 2.0 * dh)
        expansion = np.nan_to_num(c.beta_per_k * self.volume[s] * (tw - self.tw_prev[s]))
        dp = p - self.p_prev[s]
        stored = dp / self.stiffness[s]
        base = self.baseline[s] * dh
        loss = dv + expansion - stored
        # Warming water spilling over the relief valve is not a leak.
        at_top = (p >= self.p_top[s] - TOP_BAND_KPA) & (expansion > 0)
        loss = np.where(at_top, np.minimum(loss, base), loss)
        self.p_top[s] = np.fmax(self.p_top[s], p)

        excess = loss - base
        quiet = ~self.active[s] & (self.cusum[s] < self.threshold[s] / 2.0)
        # Vessel stiffness from the pump's runs: pressure gained per m³ that went in, over
        # intervals the pump ran throughout (the flow then integrates exactly; the totaliser's
        # 0.01 m³ steps land beside the pressure rise they belong to).
        learn = (q0 > 0) & (q1 > 0) & (dp > 0) & quiet & ~at_top
        decay = np.exp(-dt / K_TAU_S)
        dv_run = (q0 + q1) / 2.0 * dh + expansion - base
        self.k_dp[s] = self.k_dp[s] * decay + np.where(learn, dp, 0.0)
        self.k_dv[s] = self.k_dv[s] * decay + np.where(learn, dv_run, 0.0)
        starts = (q0 <= 0) & (q1 > 0)
        p_low = self.p_low[s]
        self.p_low[s] = np.where(starts, p_low + P_LOW_GAIN * (self.p_prev[s] - p_low), p_low)
        # The station's normal rate, learned while nothing is suspected.
        a = -np.expm1(-dt / c.baseline_tau_s)
        self.baseline[s] += np.where(quiet, (loss / dh - self.baseline[s]) * a, 0.0)
        ar = -np.expm1(-dt / c.recent_tau_s)
        self.recent[s] += (excess / dh - self.recent[s]) * ar

        # CUSUM of the excess; an episode starts where it leaves zero.
        before = self.cusum[s]
        after = np.maximum(before + excess - self.drift[s] * dh, 0.0)
        begins = (before <= 0) & (after > 0) & ~self.active[s]
        self.since[s] = np.where(begins, t - dt, self.since[s])
        self.episode[s] = np.where(begins, 0.0, self.episode[s]) + excess
        self.cusum[s] = after

        drop = p < self.p_low[s] - c.burst_drop_kpa
        burst = (q1 > 0) & drop & (dp <= 0)
        self.burst[s] = burst
        self.drained[s] = drop
        rise = ~self.active[s] & ((after > self.threshold[s]) | burst)
        # A burst seen before the CUSUM moved: it began in this interval.
        self.since[s] = np.where(rise & (after <= 0), t - dt, self.since[s])
        self.episode[s] = np.where(rise & (after <= 0), np.maximum(excess, 0.0), self.episode[s])
        clear = self.active[s] & ~burst & (self.recent[s] < self.drift[s])
        self.active[s] = (self.active[s] | rise) & ~clear
        idle = (~self.active[s] & (after <= 0)) | clear
        self.cusum[s] = np.where(clear, 0.0, self.cusum[s])
        self.episode[s] = np.where(idle, 0.0, self.episode[s])
        self.since[s] = np.where(idle, np.nan, self.since[s])


def station_volumes(stations: Sequence[StationDef], cfg: LeakConfig | None = None) -> np.ndarray:
    """Water in each station's secondary system (m³), from its heated area (design data); a
    station without an area counts 400 m² per room."""
    cfg = cfg or LeakConfig()
    area = np.array([s.area_m2 or max(s.rooms, 1) * 400.0 for s in stations], dtype=np.float64)
    return area * cfg.litres_per_m2 / 1000.0
