"""District-heating network physics for the simulator, vectorised over every station and room.

One `NetworkPhysics` holds the whole city as flat numpy arrays: per trunk (plant supply
temperature history), per station (controller, heat exchanger, pumps, pressures, heat meter) and
per room (two-node air + building-mass model). `advance(dt)` integrates with two rates: stations
in sub-steps of at most STATION_STEP_S (the valve controller needs them), rooms in steps of at most
ROOM_STEP_S with an implicit (backward-Euler) solve, which is unconditionally stable.

The model, in one paragraph: outdoor temperature = winter daily cycle + per-district offset +
cold-wave events. Each plant's supply temperature follows its (smoothed) outdoor temperature and
reaches a station after a transport delay (trunk length / velocity + distribution distance). The
station's weather curve gives a secondary supply setpoint (T3); a rate-limited PI controller moves
the primary valve; the primary flow follows the valve and the differential pressure left at the
station (which falls with the trunk's total flow, most at the far end). A plant delivers at most
its rating: short of heat, it circulates less, and the far ends of its trunks starve first. A
counter-flow plate heat exchanger (effectiveness-NTU) heats the secondary loop, whose water
(mean temperature T_w) stores heat, and the rooms' radiators (effectiveness per room) draw on it;
when the pumps stop, the radiators emit what the standing water still holds. Rooms lose heat to
outdoors directly (air) and through the building mass, and exchange heat with the rest of their
building. Heat power is the exchanger's, so it equals m·cp·(T3 − T4) of the secondary. The loop's
pressure follows make-up, leaks, normal losses and the water's thermal expansion.

No Qt, no I/O. Deterministic for a given seed and sequence of calls.
"""

from __future__ import annotations

import itertools
import math
import time

import numpy as np

from drivers.points import PointTable, build_point_table
from drivers.simulator.physics.design import (
    BETA_WATER,
    C_AIR,
    C_MASS,
    C_RADIATOR_STEEL,
    CP,
    DIST_VELOCITY_M_S,
    DP_LOSS_DIST_KPA,
    DP_LOSS_TRUNK_KPA,
    DP_SOURCE_KPA,
    DRY_RUN_RESET_KPA,
    DRY_RUN_TRIP_KPA,
    HISTORY_STEP_S,
    HX_MARGIN,
    K_RAD_DESIGN,
    K_VESSEL_KPA_M2,
    KP,
    MAKEUP_AVG_TAU_S,
    MIN_DELAY_S,
    NORMAL_LOSS_M3H_PER_M2,
    PHI_DESIGN,
    PLANT_CAP_TAU_S,
    PLANT_SMOOTH_S,
    PLANT_TRIP_TAU_S,
    PLANT_TRIP_TO_C,
    PUMP_NOMINAL_HZ,
    Q_DESIGN,
    Q_INTERNAL,
    RHO,
    ROOM_STEP_S,
    SCALAR_POINTS,
    SENSORS,
    SETTING_DEFAULTS,
    STATION_STEP_S,
    T1_DESIGN,
    T2_DESIGN,
    T3_DESIGN,
    T3_SENSOR_TAU_S,
    T4_DESIGN,
    TI_S,
    U_AM,
    U_AO,
    U_MO,
    U_NB,
    V_SEC_PER_M2,
    VALVE_MARGIN,
    VALVE_RATE,
)
from drivers.simulator.physics.events import EventsMixin
from drivers.simulator.physics.registers import RegisterImageMixin
from drivers.simulator.physics.station import StationMixin
from drivers.simulator.physics.weather import ColdWave, WeatherMixin
from station_config.schema import NetworkDef


def _polyline_km(route: list[tuple[float, float]]) -> float:
    return float(sum(math.dist(a, b) for a, b in itertools.pairwise(route)))


class NetworkPhysics(WeatherMixin, StationMixin, RegisterImageMixin, EventsMixin):
    """The simulated city: every station and room, advanced together."""

    def __init__(
        self,
        net: NetworkDef,
        *,
        seed: int = 0,
        start: float | None = None,
        room_offline_fraction: float = 0.0,
    ):
        self.net = net
        self.now = time.time() if start is None else float(start)
        self.station_ids: list[str] = [s.id for s in net.stations]
        self.tables: list[PointTable] = [
            build_point_table(net.templates[s.template], s) for s in net.stations
        ]
        self._index = {sid: i for i, sid in enumerate(self.station_ids)}
        rng = np.random.default_rng(seed)
        n = self.n = len(net.stations)

        # --- weather -------------------------------------------------------------------------
        self.base_c = -3.0
        self.amplitude_k = 4.0
        self._district_ids = [d.id for d in net.districts]
        d_off = {d: float(np.clip(rng.normal(0.0, 0.4), -0.8, 0.8)) for d in self._district_ids}
        self._district_of = np.array(
            [
                self._district_ids.index(s.district) if s.district in d_off else -1
                for s in net.stations
            ],
            dtype=np.int64,
        )
        self._to_offset = np.array([d_off.get(s.district, 0.0) for s in net.stations])
        self._to_offset += np.clip(rng.normal(0.0, 0.1, n), -0.3, 0.3)  # local micro-climate
        self._cold_waves: list[ColdWave] = []

        # --- trunks: geometry, delays, plant state, supply history ----------------------------
        trunk_ids = [t.id for t in net.trunks] or ["_default"]
        self._trunk_ids = trunk_ids
        self._trunk_of = np.array(
            [trunk_ids.index(s.trunk) if s.trunk in trunk_ids else 0 for s in net.stations],
            dtype=np.int64,
        )
        n_tr = len(trunk_ids)
        trunk_km = np.zeros(n_tr)
        trunk_v = np.full(n_tr, 1.2)
        trunk_end = [(0.0, 0.0)] * n_tr
        for k, t in enumerate(net.trunks):
            trunk_km[k] = _polyline_km(list(t.route))
            trunk_v[k] = t.velocity_m_s
            trunk_end[k] = tuple(t.route[-1])
        dist_km = np.array(
            [
                math.dist(s.position, trunk_end[self._trunk_of[i]])
                for i, s in enumerate(net.stations)
            ]
        )
        self.delay_s = np.maximum(
            trunk_km[self._trunk_of] * 1000.0 / trunk_v[self._trunk_of]
            + dist_km * 1000.0 / DIST_VELOCITY_M_S,
            MIN_DELAY_S,
        )
        self._path_km = trunk_km[self._trunk_of] + dist_km
        max_dist = np.zeros(n_tr)
        np.maximum.at(max_dist, self._trunk_of, dist_km)
        self._x_far = np.where(
            max_dist[self._trunk_of] > 0, dist_km / np.maximum(max_dist[self._trunk_of], 1e-9), 0.0
        )
        self._trunk_count = np.maximum(np.bincount(self._trunk_of, minlength=n_tr), 1)
        self._trunk_lead = (
            np.bincount(self._trunk_of, self.delay_s, minlength=n_tr) / self._trunk_count
        )
        self._hist_len = (
            math.ceil(float(self.delay_s.max(initial=MIN_DELAY_S)) / HISTORY_STEP_S) + 4
        )
        self._trip_target = np.zeros(n_tr)  # 1 while tripped
        self._trip_level = np.zeros(n_tr)  # 0..1, lagged
        self._trip_to = np.full(n_tr, PLANT_TRIP_TO_C)
        self._plant_sp = np.full(n_tr, np.nan)  # dispatcher's supply setpoint, NaN = curve
        self._plant_raise = np.zeros(n_tr)  # K over the curve (ignored under a setpoint)
        self._plant_off = np.zeros(n_tr)  # the outlet's present offset from its curve

        # --- stations: sizing ----------------------------------------------------------------
        rooms = np.array([s.rooms for s in net.stations], dtype=np.int64)
        area = np.array([s.area_m2 for s in net.stations], dtype=np.float64)
        area = np.where(area > 0, area, np.maximum(rooms, 1) * 400.0)
        self.area = area
        self.rooms_reported = rooms
        q_design = Q_DESIGN * area  # W
        self._m_s_nom = PHI_DESIGN * area  # kg/s at nominal pump speed
        self._dp_design = DP_SOURCE_KPA - DP_LOSS_TRUNK_KPA - DP_LOSS_DIST_KPA * self._x_far
        self._m_p_design = q_design / (CP * (T1_DESIGN - T2_DESIGN))
        self._m_p_max = VALVE_MARGIN * self._m_p_design  # fully open at the design dp
        self._flow_design = np.bincount(self._trunk_of, self._m_p_design, minlength=n_tr)
        lmtd = ((T1_DESIGN - T3_DESIGN) - (T2_DESIGN - T4_DESIGN)) / math.log(
            (T1_DESIGN - T3_DESIGN) / (T2_DESIGN - T4_DESIGN)
        )
        self._ua_hx = HX_MARGIN * q_design / lmtd
        self._v_sys = V_SEC_PER_M2 * area  # m³ of water in the secondary system
        self._k_vessel = K_VESSEL_KPA_M2 / area  # kPa per m³ removed (expansion vessel)
        # Normal make-up (vents, valve glands, residents drawing water) differs by station.
        spread = np.exp(np.clip(rng.normal(0.0, 0.4, n), -0.8, 0.8))
        self._q_normal_loss = NORMAL_LOSS_M3H_PER_M2 * area * spread  # m³/h
        self._makeup_cap = np.maximum(1.5, area / 20_000.0)  # m³/h
        self._c_w = self._v_sys * RHO * CP + C_RADIATOR_STEEL * area  # J/K, loop + radiators

        # --- plants: capacity per source; a plant short of heat throttles its circulation ---
        src_ids = self._src_ids = [s.id for s in net.sources]
        src_of_trunk = np.array(
            [src_ids.index(t.source) if t.source in src_ids else -1 for t in net.trunks] or [-1],
            dtype=np.int64,
        )
        self._src_of = src_of_trunk[self._trunk_of]  # per station; -1 = no known source
        self._src_cap_w = np.array([s.capacity_mw * 1e6 for s in net.sources] or [np.inf])
        self._src_f = np.ones(len(self._src_cap_w))  # source pressure factor 0..1
        self._src_power = np.zeros(len(self._src_cap_w))  # W delivered, last sub-step

        # --- settings (writable registers) ---------------------------------------------------
        self._cfg: dict[str, np.ndarray] = {
            k: np.full(n, float(v)) for k, v in SETTING_DEFAULTS.items()
        }

        # --- rooms: flat arrays, contiguous per station; at least one (hidden) room each -----
        n_model = np.maximum(rooms, 1)
        self._room_start = np.concatenate([[0], np.cumsum(n_model)[:-1]]).astype(np.int64)
        self._n_model = n_model
        nr = int(n_model.sum())
        self._room_station = np.repeat(np.arange(n), n_model)
        local = np.arange(nr) - self._room_start[self._room_station]
        self._room_reported = local < rooms[self._room_station]
        # Spread per room: top floor and corner rooms lose more, insulation varies; radiators
        # were sized for the room's loss, but only partly (0.8), so those rooms run colder.
        top = rng.random(nr) < 0.15
        corner = rng.random(nr) < 0.25
        loss = np.exp(np.clip(rng.normal(0.0, 0.06, nr), -0.12, 0.12))
        loss *= np.where(top, 1.12, 1.0) * np.where(corner, 1.08, 1.0)
        rad = (1.0 + 0.8 * (loss - 1.0)) * np.exp(np.clip(rng.normal(0.0, 0.02, nr), -0.04, 0.04))
        self._k_rad = K_RAD_DESIGN * rad
        self._u_ao = U_AO * loss
        self._u_mo = U_MO * loss
        # Exterior walls add mass as well as loss, so a room's time constant (C/UA) varies
        # much less than its loss: C_mass grows with √loss; what is left varies a few %.
        self._c_air = C_AIR * np.exp(np.clip(rng.normal(0.0, 0.05, nr), -0.1, 0.1))
        self._c_mass = (
            C_MASS * np.sqrt(loss) * np.exp(np.clip(rng.normal(0.0, 0.03, nr), -0.06, 0.06))
        )
        self._room_bias = np.clip(rng.normal(0.0, 0.1, nr), -0.2, 0.2)  # sensor calibration
        self._room_offline = (rng.random(nr) < room_offline_fraction) & self._room_reported
        self._area_per_room = area / n_model
        # Radiators standing still emit by natural convection from the loop's water.
        self._g_nat = np.add.reduceat(self._k_rad, self._room_start) * self._area_per_room
        self._h_nat: np.ndarray | None = None
        self._room_coef: dict[float, tuple[np.ndarray, ...]] = {}

        # --- station state -------------------------------------------------------------------
        self.mode = np.ones(n, dtype=np.int64)
        self.valve = np.zeros(n)  # 0..1
        self._valve_dir = np.zeros(n, dtype=np.int8)
        self._valve_stuck = np.full(n, np.nan)  # stuck position, NaN = free
        self._e_prev = np.zeros(n)
        self._t3_meas = np.zeros(n)
        self._dev_timer = np.zeros(n)
        self._duty = np.zeros(n, dtype=np.int64)  # 0 = pump 1, 1 = pump 2
        self._pump_fault = np.zeros((n, 2), dtype=bool)
        self._dry_trip = np.zeros(n, dtype=bool)
        self._power_fail = np.zeros(n, dtype=bool)
        self._dp_factor = np.ones(n)
        self._sensor_fault = np.zeros((n, len(SENSORS)), dtype=bool)
        self._last_good_to = np.zeros(n)
        self._leak = np.zeros(n)  # m³/h
        self._makeup_on = np.zeros(n, dtype=bool)
        self._makeup_avg = self._q_normal_loss.copy()
        self._pending: list[tuple[float, dict]] = []  # (time, event) for events with a duration

        # Last solved process state (reported)
        self.to = np.zeros(n)
        self.t1 = np.zeros(n)
        self.t2 = np.zeros(n)
        self.t3 = np.zeros(n)
        self.t4 = np.zeros(n)
        self.t3_sp = np.zeros(n)
        self.q = np.zeros(n)  # W
        self.m_p = np.zeros(n)  # kg/s
        self.m_s = np.zeros(n)
        self.dp = np.zeros(n)  # kPa at the station
        self.pump_speed = np.zeros((n, 2))
        self.p_static = self._cfg["static_pressure_setpoint"] - rng.uniform(0.0, 15.0, n)
        self.q_makeup = np.zeros(n)
        self._trunk_flow = self._flow_design * 0.8

        # Heat-meter totals: years of service already on the meter.
        self.energy_gj = area * rng.uniform(0.5, 3.0, n)
        self.primary_m3 = self.energy_gj * rng.uniform(4.0, 5.5, n)
        self.makeup_m3 = area * rng.uniform(0.001, 0.005, n)

        self._settle(rng)
        self._dirty = True
        # What values() reports, in one buffer (scalars row-major, rooms, a 0.0 for points the
        # physics lacks) so that all_values() is a single gather from it.
        n_col = len(SCALAR_POINTS)
        self._reported = np.zeros(n * n_col + nr + 1)
        self._scalars = self._reported[: n * n_col].reshape(n, n_col)
        self._room_disp = self._reported[n * n_col : n * n_col + nr]
        self._layouts: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, bool]] = {}
        self._layout_of = [self._layout(t) for t in self.tables]
        self._all_src = self._all_values_index()

    # ================================================================== integration
    def advance(self, dt: float) -> None:
        """Advance simulated time by dt seconds (sub-stepped; any dt ≥ 0)."""
        if not dt > 0:
            return
        end = self.now + float(dt)
        while self.now < end - 1e-9:
            h = min(ROOM_STEP_S, end - self.now)
            # An event with a duration ends exactly on time: stop the step there.
            if self._pending:
                h = min(h, max(self._pending[0][0] - self.now, 1e-6))
            self._step(h)
            while self._pending and self._pending[0][0] <= self.now + 1e-9:
                _, ev = self._pending.pop(0)
                self.apply_event(ev)
        self._dirty = True

    def _step(self, h: float) -> None:
        n_sub = max(1, math.ceil(h / STATION_STEP_S - 1e-9))
        hs = h / n_sub
        m_s_ref = self.m_s.copy()
        g_r, g0, h0 = self._room_sums(m_s_ref)
        self._h_nat = None  # natural-convection sums: only computed if a loop stands still
        ts_int = np.zeros(self.n)
        ms_int = np.zeros(self.n)
        for _ in range(n_sub):
            self._substep(hs, g0, h0, m_s_ref)
            ts_int += np.where(self.m_s > 0, self.t3, self.t_w) * hs
            ms_int += self.m_s * hs
        ts_mean = ts_int / h
        ms_mean = ms_int / h
        # Rooms: implicit Euler on the two-node model with the step's mean supply and flow;
        # without circulation the radiators emit by natural convection from the loop water.
        if not np.allclose(ms_mean, m_s_ref):
            g_r, _, _ = self._room_sums(ms_mean)
        rs = self._room_station
        if not (ms_mean > 0).all():
            g_r = np.where(ms_mean[rs] > 0, g_r, self._k_rad)
        self._room_step(h, g_r, ts_mean, self.to)

    def plant_load(self) -> dict[str, tuple[float, float]]:
        """Per heat source: (MW its stations draw now, its rating in MW)."""
        return {
            sid: (float(self._src_power[k]) / 1e6, float(self._src_cap_w[k]) / 1e6)
            for k, sid in enumerate(self._src_ids)
        }

    def plant_supply(self) -> dict[str, tuple[float, float]]:
        """Per trunk: (plant outlet temperature now °C, what the plant is asked for °C)."""
        k = math.floor(self.now / HISTORY_STEP_S) % self._hist_len
        want = np.where(
            np.isnan(self._plant_sp),
            self._plant_curve(self._to_smooth) + self._plant_raise,
            self._plant_sp,
        )
        return {
            tid: (float(self._hist[j, k]), float(want[j])) for j, tid in enumerate(self._trunk_ids)
        }

    def _room_coefficients(self, h: float) -> tuple[np.ndarray, ...]:
        """Per-room terms of the implicit step that depend on h alone (cached: h is nearly
        always ROOM_STEP_S, or the runner's tick)."""
        cached = self._room_coef.get(h)
        if cached is None:
            ca_h = self._c_air / h
            cm_h = self._c_mass / h
            cached = (ca_h, cm_h, ca_h + U_AM + self._u_ao + U_NB, cm_h + U_AM + self._u_mo)
            if len(self._room_coef) >= 2:
                self._room_coef.pop(next(iter(self._room_coef)))
            self._room_coef[h] = cached
        return cached

    def _room_step(self, h: float, g: np.ndarray, ts: np.ndarray, to: np.ndarray) -> None:
        """g: radiator conductance per room; ts: supply temperature, to: outdoor, per station."""
        ca_h, cm_h, a11_0, a22 = self._room_coefficients(h)
        rs = self._room_station
        # Neighbours: each room exchanges heat through internal walls and floors with the
        # rest of its building (the station's mean air, taken from the step's start).
        nb = np.add.reduceat(self.t_air, self._room_start) / self._n_model
        to_r = to[rs]
        a11 = a11_0 + g
        b1 = ca_h * self.t_air + g * ts[rs] + self._u_ao * to_r + (Q_INTERNAL + U_NB * nb)[rs]
        b2 = cm_h * self.t_mass + self._u_mo * to_r
        det = a11 * a22 - U_AM * U_AM
        self.t_air = (b1 * a22 + U_AM * b2) / det
        self.t_mass = (a11 * b2 + U_AM * b1) / det

    def _substep(self, hs: float, g0: np.ndarray, h0: np.ndarray, m_s_ref: np.ndarray) -> None:
        t = self.now + hs
        n = self.n
        c = self._cfg
        # Weather and plants
        self.to = self._outdoor(t)
        a = -math.expm1(-hs / PLANT_SMOOTH_S)
        # Plants dispatch on the forecast for when their water arrives (the daily cycle one
        # mean delay ahead); an unforecast cold wave only counts once it is here.
        local = self._trunk_mean(self.to) - self._diurnal(t)
        forecast = self._diurnal(t + self._trunk_lead) + local
        self._to_smooth += (forecast - self._to_smooth) * a
        self._trip_level += (self._trip_target - self._trip_level) * -math.expm1(
            -hs / PLANT_TRIP_TAU_S
        )
        k = math.floor(t / HISTORY_STEP_S)
        self._hist[:, k % self._hist_len] = self._plant_temp(self._to_smooth, hs)
        self.t1 = self._t1_at(t)

        # Controller
        to_ok = ~self._sensor_fault[:, 4]
        self._last_good_to = np.where(to_ok, self.to, self._last_good_to)
        self.t3_sp = self._setpoint(self._last_good_to)
        mode = self.mode
        auto = (mode >= 1) & (mode <= 3)
        e = np.where(auto, self.t3_sp - self._t3_meas, 0.0)
        du = KP * (e - self._e_prev) + KP * hs / TI_S * e
        # A dead T3 sensor: hold the valve (what ECL-class controllers do).
        du = np.where(self._sensor_fault[:, 2], 0.0, du)
        self._e_prev = e
        target = np.where(
            auto,
            self.valve + du,
            np.where(mode == 0, c["manual_valve"] / 100.0, 0.0),
        )
        step = np.clip(np.clip(target, 0.0, 1.0) - self.valve, -VALVE_RATE * hs, VALVE_RATE * hs)
        frozen = ~np.isnan(self._valve_stuck) | self._power_fail
        step = np.where(frozen, 0.0, step)
        self.valve = np.where(
            np.isnan(self._valve_stuck), np.clip(self.valve + step, 0.0, 1.0), self._valve_stuck
        )
        self._valve_dir = np.sign(np.where(np.abs(step) > 1e-6, step, 0.0)).astype(np.int8)

        # Pumps, hydraulics, heat exchange
        self.pump_speed = self._pumps()
        speed = self.pump_speed.sum(axis=1)
        self.m_s = self._m_s_nom * speed / PUMP_NOMINAL_HZ
        self.dp = self._hydraulics(self.valve)
        self.m_p = self._primary_flow(self.valve, self.dp)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(m_s_ref > 0, self.m_s / m_s_ref, 0.0)
        # Rooms' conductance scales ~linearly with a small flow change inside one room step.
        t_w0 = self.t_w
        q, _, t2, self.t3, self.t4 = self._loop(
            hs, self.t1, self.m_p, self.m_s, g0 * scale, h0 * scale
        )
        # No primary flow: the water standing in the exchanger cools towards the loop's.
        decay = -math.expm1(-hs / 1800.0)
        prev2 = np.where(np.isnan(self.t2), self.t_w, self.t2)
        self.t2 = np.where(np.isnan(t2), prev2 + (self.t_w - prev2) * decay, t2)
        self.q = q
        # Plants deliver at most their capacity: short of heat, a plant's circulation falls
        # (an integral loop on its pressure), and the far ends of its trunks starve first.
        if self._src_of.max(initial=-1) >= 0:
            known = self._src_of >= 0
            p_src = np.bincount(self._src_of[known], q[known], minlength=len(self._src_f))
            self._src_power = p_src
            err = (self._src_cap_w - p_src) / self._src_cap_w
            self._src_f = np.clip(self._src_f + hs / PLANT_CAP_TAU_S * err, 0.02, 1.0)
        self._t3_meas += (self.t3 - self._t3_meas) * -math.expm1(-hs / T3_SENSOR_TAU_S)

        # Secondary pressure, make-up water and leaks
        sp_p = c["static_pressure_setpoint"]
        self._makeup_on = (
            np.where(
                self.p_static < sp_p - 20.0,
                True,
                np.where(self.p_static >= sp_p, False, self._makeup_on),
            )
            & ~self._power_fail
        )
        self.q_makeup = np.where(self._makeup_on, self._makeup_cap, 0.0)
        # The loop's water expands as it warms (into the vessel; beyond it the relief valve
        # spills it back to the tank) and contracts as it cools (the make-up pump refills).
        expansion = BETA_WATER * self._v_sys * (self.t_w - t_w0) * 3600.0 / hs  # m³/h
        net_in = self.q_makeup - self._leak - self._q_normal_loss + expansion  # m³/h
        self.p_static = np.clip(
            self.p_static + self._k_vessel * net_in * hs / 3600.0, 0.0, sp_p + 50.0
        )
        self._dry_trip = np.where(
            self.p_static < DRY_RUN_TRIP_KPA,
            True,
            np.where(self.p_static > DRY_RUN_RESET_KPA, False, self._dry_trip),
        )
        self._makeup_avg += (self.q_makeup - self._makeup_avg) * -math.expm1(-hs / MAKEUP_AVG_TAU_S)

        # Meters
        self.energy_gj += self.q * hs / 1e9
        self.primary_m3 += self.m_p / RHO * hs
        self.makeup_m3 += self.q_makeup * hs / 3600.0

        # Supply-temperature deviation timer (auto modes only)
        dev = self.t3 - self.t3_sp
        hi, lo = c["t3_dev_high"], c["t3_dev_low"]
        bad = ((hi > 0) & (dev > hi)) | ((lo > 0) & (-dev > lo))
        bad &= (mode == 1) | (mode == 2)
        self._dev_timer = np.where(bad, self._dev_timer + hs, 0.0)
        del n
        self.now = t

    # ================================================================== initial steady state
    def _settle(self, rng: np.random.Generator) -> None:
        """Start warm: plant history, rooms, mass and valves pre-settled analytically."""
        n_tr = len(self._trunk_ids)
        t0 = self.now
        # Plant history: the smoothed outdoor is about the outdoor 3 h earlier.
        h = self._hist_len
        self._hist = np.zeros((n_tr, h))
        k_now = math.floor(t0 / HISTORY_STEP_S)
        ks = np.arange(k_now - h + 1, k_now + 1)
        tr_off = self._trunk_mean(self._to_offset)
        for k_tr in range(n_tr):
            # The smoothed forecast is about the forecast one smoothing time earlier.
            tk = ks * HISTORY_STEP_S + self._trunk_lead[k_tr] - PLANT_SMOOTH_S
            to_k = self._diurnal(tk) + tr_off[k_tr]
            self._hist[k_tr, ks % h] = self._plant_curve(to_k)
        self._to_smooth = self._diurnal(t0 + self._trunk_lead - PLANT_SMOOTH_S) + tr_off

        self.to = self._outdoor(t0)
        self._last_good_to = self.to.copy()
        self.t1 = self._t1_at(t0)
        to_mean = self.base_c + self._to_offset  # the building mass has seen the daily mean
        sp_now = self._setpoint(self.to)
        sp_mean = self._setpoint(to_mean)

        # Rooms at steady state: mass from the daily mean, air from the current conditions.
        self.m_s = self._m_s_nom.copy()
        self.t_air = np.full(len(self._k_rad), 20.0)
        self.t_mass = self.t_air.copy()
        g_r, _, _ = self._room_sums(self.m_s)
        rs = self._room_station
        ue = U_AM * self._u_mo / (U_AM + self._u_mo)
        tm_o = to_mean[rs]
        # Neighbour coupling: a few fixed-point passes on each station's mean air.
        nb = np.full(self.n, 20.0)
        for _ in range(4):
            ta_mean = (
                g_r * sp_mean[rs] + Q_INTERNAL + (ue + self._u_ao) * tm_o + U_NB * nb[rs]
            ) / (g_r + ue + self._u_ao + U_NB)
            nb = np.add.reduceat(ta_mean, self._room_start) / self._n_model
        self.t_mass = (U_AM * ta_mean + self._u_mo * tm_o) / (U_AM + self._u_mo)
        for _ in range(4):
            self.t_air = (
                g_r * sp_now[rs]
                + Q_INTERNAL
                + U_AM * self.t_mass
                + self._u_ao * self.to[rs]
                + U_NB * nb[rs]
            ) / (g_r + U_AM + self._u_ao + U_NB)
            nb = np.add.reduceat(self.t_air, self._room_start) / self._n_model
        _, g, hh = self._room_sums(self.m_s)

        # Valves: bisection for the opening that holds T3 at its setpoint, with the trunk
        # flows iterated alongside (each station's dp depends on everyone's flow).
        lo = np.zeros(self.n)
        hi = np.ones(self.n)
        self.valve = np.full(self.n, 0.5)
        for it in range(40):
            self.dp = self._hydraulics(self.valve)
            m_p = self._primary_flow(self.valve, self.dp)
            _, _, t3, _ = self._exchange(self.t1, m_p, self.m_s, g, hh)
            high = t3 > sp_now
            hi = np.where(high, self.valve, hi)
            lo = np.where(high, lo, self.valve)
            self.valve = 0.5 * (lo + hi) if it < 39 else self.valve
        self.pump_speed = self._pumps()
        self.m_p = self._primary_flow(self.valve, self.dp)
        self.q, self.t2, self.t3, self.t4 = self._exchange(self.t1, self.m_p, self.m_s, g, hh)
        self.t_w = 0.5 * (self.t3 + self.t4)  # the loop's mean water temperature
        self._t3_meas = self.t3.copy()
        self.t3_sp = sp_now
        self._e_prev = sp_now - self._t3_meas
        del rng
