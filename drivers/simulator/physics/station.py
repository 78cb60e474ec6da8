"""One substation's pieces, vectorised over all stations: weather-curve setpoint, primary valve
flow and network hydraulics, the exchanger and radiators solved together, pumps, and the plant
supply temperature that reaches each station after its transport delay."""

from __future__ import annotations

import numpy as np

from drivers.simulator.physics.design import (
    CP,
    CURVE_POINTS,
    CURVE_X,
    DP_LOSS_DIST_KPA,
    DP_LOSS_TRUNK_KPA,
    DP_SOURCE_KPA,
    FROST_T3,
    HISTORY_STEP_S,
    PLANT_SUPPLY_MAX_C,
    PLANT_SUPPLY_MIN_C,
    PLANT_SUPPLY_RATE_K_S,
    PUMP_NOMINAL_HZ,
    ROOM_SP_GAIN,
    ROOM_SP_REFERENCE,
    TRUNK_LOSS_K_PER_KM,
    VALVE_RANGEABILITY,
)


class StationMixin:
    """Station and plant pieces of NetworkPhysics (state attributes live there)."""

    def _plant_curve(self, to_smooth: np.ndarray) -> np.ndarray:
        return np.clip(90.0 - 2.0 * to_smooth, 70.0, 120.0)  # 110 °C at −10, 70 °C at +10

    def _plant_temp(self, to_smooth: np.ndarray, hs: float = 0.0) -> np.ndarray:
        """Each trunk's plant outlet temperature: its curve on the smoothed (forecast) outdoor,
        or the dispatcher's setpoint / raise reached at the ramp rate; a trip pulls it down."""
        curve = self._plant_curve(to_smooth)
        want = np.where(np.isnan(self._plant_sp), curve + self._plant_raise, self._plant_sp)
        want = np.clip(want, PLANT_SUPPLY_MIN_C, PLANT_SUPPLY_MAX_C)
        # The outlet's offset from the curve ramps (a boiler cannot jump 20 K); with no
        # setpoint it is 0 and the plant is exactly on its curve, as before.
        step = PLANT_SUPPLY_RATE_K_S * hs
        self._plant_off += np.clip(want - curve - self._plant_off, -step, step)
        base = curve + self._plant_off
        return base - self._trip_level * (base - self._trip_to)

    def _trunk_mean(self, x: np.ndarray) -> np.ndarray:
        return np.bincount(self._trunk_of, x, minlength=len(self._trunk_ids)) / self._trunk_count

    def _t1_at(self, t: float) -> np.ndarray:
        kq = (t - self.delay_s) / HISTORY_STEP_S
        k0 = np.floor(kq)
        w = kq - k0
        k0 = k0.astype(np.int64)
        h = self._hist_len
        a = self._hist[self._trunk_of, k0 % h]
        b = self._hist[self._trunk_of, (k0 + 1) % h]
        return a + (b - a) * w - TRUNK_LOSS_K_PER_KM * self._path_km

    # ================================================================== station pieces
    def _setpoint(self, to_ctrl: np.ndarray) -> np.ndarray:
        c = self._cfg
        curve = np.stack([c[p] for p in CURVE_POINTS], axis=1)
        # Piecewise linear in outdoor temperature, extrapolated flat beyond −10 / +15.
        x = np.clip(to_ctrl, CURVE_X[0], CURVE_X[-1])
        j = np.clip(np.searchsorted(CURVE_X, x, side="right") - 1, 0, len(CURVE_X) - 2)
        x0, x1 = CURVE_X[j], CURVE_X[j + 1]
        rows = np.arange(self.n)
        y0, y1 = curve[rows, j], curve[rows, j + 1]
        weather = y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        weather = (
            weather + c["curve_shift"] + ROOM_SP_GAIN * (c["room_setpoint"] - ROOM_SP_REFERENCE)
        )
        lo, hi = c["t3_min"], np.maximum(c["t3_max"], c["t3_min"])
        mode = self.mode
        sp = np.where(mode == 1, np.clip(weather, lo, hi), np.nan)
        sp = np.where(mode == 2, np.clip(c["t3_fixed_setpoint"], lo, hi), sp)
        return np.where(mode == 3, FROST_T3, sp)

    def _primary_flow(self, valve: np.ndarray, dp: np.ndarray) -> np.ndarray:
        f = (VALVE_RANGEABILITY**valve - 1.0) / (VALVE_RANGEABILITY - 1.0)
        return self._m_p_max * f * np.sqrt(np.maximum(dp, 0.0) / self._dp_design)

    def _hydraulics(self, valve: np.ndarray) -> np.ndarray:
        """Differential pressure at each station: each trunk's flow F solves F = Σ m_i(F).

        dp_i = S − L_i·(F/F_design)², m_i = m_max,i·f(valve)·√(dp_i/dp_design,i). Newton from
        the last flow (Σ m_i(F) falls with F, so it converges in a few steps; a plain damped
        iteration oscillates once a throttled plant leaves little pressure at the far end).
        """
        n_tr = len(self._trunk_ids)
        fd = self._flow_design[self._trunk_of]
        f = np.where(self._src_of >= 0, self._src_f[np.maximum(self._src_of, 0)], 1.0)
        src = DP_SOURCE_KPA * f  # a plant short of heat circulates less
        loss = DP_LOSS_TRUNK_KPA + DP_LOSS_DIST_KPA * self._x_far
        open_ = (VALVE_RANGEABILITY**valve - 1.0) / (VALVE_RANGEABILITY - 1.0)
        k = self._m_p_max * open_ / np.sqrt(self._dp_design) * np.sqrt(self._dp_factor)
        flow = self._trunk_flow
        for _ in range(3):
            x = flow[self._trunk_of] / fd
            dp0 = src - loss * x * x
            live = dp0 > 5.0
            dp = np.where(live, dp0, 5.0)
            m = k * np.sqrt(dp)
            dm = np.where(live, -m * loss * x / (fd * dp), 0.0)  # ∂m_i/∂F
            g = np.bincount(self._trunk_of, m, minlength=n_tr)
            dg = np.bincount(self._trunk_of, dm, minlength=n_tr)
            flow = np.maximum(flow - (flow - g) / (1.0 - dg), 0.0)
        x = flow[self._trunk_of] / fd
        dp = np.maximum(src - loss * x * x, 5.0) * self._dp_factor
        self._trunk_flow = flow
        return dp

    def _exchange(
        self, t1: np.ndarray, m_p: np.ndarray, m_s: np.ndarray, g: np.ndarray, h: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        """Exchanger + radiators solved together: Q, T2, T3, T4 (rooms' G, H frozen).

        Rooms take Q = G·T3 − H (G = Σ radiator conductance·area, H = Σ G_r·T_air_r); the
        exchanger gives Q = ε·Cmin·(T1 − T4) with T3 = T4 + Q/Cs.
        """
        c_p = m_p * CP
        c_s = m_s * CP
        c_min = np.minimum(c_p, c_s)
        c_max = np.maximum(c_p, c_s)
        with np.errstate(divide="ignore", invalid="ignore"):
            cr = np.where(c_max > 0, np.minimum(c_min / c_max, 0.999), 0.0)
            ntu = np.where(c_min > 0, self._ua_hx / c_min, 0.0)
            ex = np.exp(-ntu * (1.0 - cr))
            eps = (1.0 - ex) / (1.0 - cr * ex)
            a = np.where(c_min > 0, eps * c_min, 0.0)
            den = a * (1.0 - np.where(c_s > 0, g / c_s, 0.0)) + g
            q = np.where(den > 0, a * (g * t1 - h) / den, 0.0)
            q = np.maximum(q, 0.0)
            flowing = (g > 0) & (c_s > 0)
            t3 = np.where(flowing, (q + h) / g, np.nan)
            t4 = np.where(flowing, t3 - q / c_s, np.nan)
            t2 = np.where(c_p > 0, t1 - q / c_p, np.nan)
        return q, t2, t3, t4

    def _loop(
        self,
        hs: float,
        t1: np.ndarray,
        m_p: np.ndarray,
        m_s: np.ndarray,
        g: np.ndarray,
        h: np.ndarray,
    ) -> tuple[np.ndarray, ...]:
        """One implicit step of the secondary loop's water (mean temperature T_w, capacity C_w):
        Q_hx, Q_rad, T2, T3, T4 after it. The loop stores heat, so after a primary stop or a
        pump stop the radiators keep warming the rooms for an hour or two, as real ones do.

        Circulating: the exchanger gives Q_hx = ε·Cmin·(T1 − T4), T3 = T4 + Q_hx/Cs with
        T_w = (T3 + T4)/2; the rooms take Q_rad = G·T3 − H. Standing still: no exchange, the
        radiators emit by natural convection, Q_rad = G_nat·T_w − H_nat. Both are linear in
        T_w, so backward Euler is one division.
        """
        c_p, c_s = m_p * CP, m_s * CP
        c_min, c_max = np.minimum(c_p, c_s), np.maximum(c_p, c_s)
        flowing = (g > 0) & (c_s > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            cr = np.where(c_max > 0, np.minimum(c_min / c_max, 0.999), 0.0)
            ntu = np.where(c_min > 0, self._ua_hx / c_min, 0.0)
            ex = np.exp(-ntu * (1.0 - cr))
            a = np.where(c_min > 0, (1.0 - ex) / (1.0 - cr * ex) * c_min, 0.0)
            a = np.where(flowing & (t1 > self.t_w), a, 0.0)  # no reverse heating of the loop
            b = np.where(flowing, a / (2.0 * c_s), 0.0)
            inv_cs = np.where(flowing, 1.0 / c_s, 0.0)
            # T4 = u·T_w + v; Q_hx = a(T1 − T4); T3 = T4 + Q_hx/Cs; Q_rad = G·T3 − H.
            u = 1.0 / (1.0 - b)
            v = -b * t1 * u
            qx1, qx0 = -a * u, a * (t1 - v)
            t31, t30 = u + qx1 * inv_cs, v + qx0 * inv_cs
            gg = np.where(flowing, g, self._g_nat)
            if flowing.all():
                hh = h
            else:
                if self._h_nat is None:  # Σ K_rad·T_air per station, once per room step
                    hk = np.add.reduceat(self._k_rad * self.t_air, self._room_start)
                    self._h_nat = hk * self._area_per_room
                hh = np.where(flowing, h, self._h_nat)
            qr1 = np.where(flowing, gg * t31, gg)
            qr0 = np.where(flowing, gg * t30 - hh, -hh)
            k = hs / self._c_w
            self.t_w = (self.t_w + k * (qx0 - qr0)) / (1.0 - k * (qx1 - qr1))
            q_hx = np.maximum(qx1 * self.t_w + qx0, 0.0)
            q_rad = qr1 * self.t_w + qr0
            t3 = np.where(flowing, t31 * self.t_w + t30, self.t_w)
            t4 = np.where(flowing, u * self.t_w + v, self.t_w)
            t2 = np.where(c_p > 0, t1 - q_hx / c_p, np.nan)
        return q_hx, q_rad, t2, t3, t4

    def _room_sums(self, m_s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-room radiator conductance g_r (W/(m² K)) and per-station G (W/K), H (W)."""
        phi = (m_s / self.area)[self._room_station] * CP
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            g_r = np.where(phi > 0, phi * -np.expm1(-self._k_rad / phi), 0.0)
        g = np.add.reduceat(g_r, self._room_start) * self._area_per_room
        h = np.add.reduceat(g_r * self.t_air, self._room_start) * self._area_per_room
        return g_r, g, h

    def _pumps(self) -> np.ndarray:
        """Pump speeds (n, 2) after duty changeover, faults, dry-run and power."""
        duty_bad = self._pump_fault[np.arange(self.n), self._duty]
        other_ok = ~self._pump_fault[np.arange(self.n), 1 - self._duty]
        self._duty = np.where(duty_bad & other_ok, 1 - self._duty, self._duty)
        cmd = np.where(
            self.mode == 0,
            self._cfg["manual_pump_speed"],
            np.where(self.mode == 4, 0.0, PUMP_NOMINAL_HZ),
        )
        ok = ~self._pump_fault[np.arange(self.n), self._duty] & ~self._power_fail & ~self._dry_trip
        speed = np.zeros((self.n, 2))
        speed[np.arange(self.n), self._duty] = np.where(ok, cmd, 0.0)
        return speed
