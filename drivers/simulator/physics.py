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
station (which falls with the trunk's total flow, most at the far end); a counter-flow plate heat
exchanger (effectiveness-NTU) and the rooms' radiators (effectiveness per room) are solved together
for the heat flow, T2, T3 and T4. Rooms lose heat to outdoors directly (air) and through the
building mass. Heat power is the exchanger's, so it equals m·cp·(T3 − T4) of the secondary.

No Qt, no I/O. Deterministic for a given seed and sequence of calls.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from drivers.points import PointTable, build_point_table
from station_config.schema import NetworkDef

# --- physical constants and design basis -------------------------------------------------------
CP = 4186.0  # J/(kg K), water
RHO = 1000.0  # kg/m³; meters here convert volume to mass with a fixed density
LOCAL_UTC_OFFSET_S = 8 * 3600  # Luoyang: the daily cycle runs on China Standard Time

STATION_STEP_S = 10.0  # controller / hydraulics sub-step
ROOM_STEP_S = 60.0  # room model step (implicit, so larger is stable, just less accurate)

# Building, per m² of heated floor area. Loss split: air -> outdoors (ventilation, windows) and
# air -> mass -> outdoors (walls, roof). Total ~1.67 W/(m² K): a 1990s-2000s concrete block.
U_AO = 0.67  # W/(m² K) air -> outdoor
U_AM = 10.0  # W/(m² K) air <-> building mass (internal surfaces)
U_MO = 1.11  # W/(m² K) mass -> outdoor
C_AIR = 30e3  # J/(m² K) air + furniture: ~45 min time constant
C_MASS = 200e3  # J/(m² K) concrete: ~30 h time constant, rooms cool over hours, not minutes
Q_INTERNAL = 3.0  # W/m² people, appliances
U_TOT = U_AO + U_AM * U_MO / (U_AM + U_MO)

# Design point (sizing of radiators, exchangers, valves, pumps): outdoor −10 °C, room 20 °C,
# secondary 67/50 °C, primary 108/56 °C.
TO_DESIGN = -10.0
TA_DESIGN = 20.0
Q_DESIGN = U_TOT * (TA_DESIGN - TO_DESIGN) - Q_INTERNAL  # W/m²
DT_SEC_DESIGN = 17.0
G_RAD_DESIGN = 1.0  # W/(m² K): radiator output per K of (T3 − room air) at design flow
T3_DESIGN = TA_DESIGN + Q_DESIGN / G_RAD_DESIGN
T4_DESIGN = T3_DESIGN - DT_SEC_DESIGN
PHI_DESIGN = Q_DESIGN / (CP * DT_SEC_DESIGN)  # secondary flow, kg/(s m²)
# Radiator conductance that gives G_RAD_DESIGN at PHI_DESIGN: g = φ cp (1 − exp(−K / (φ cp))).
K_RAD_DESIGN = -math.log(1.0 - G_RAD_DESIGN / (PHI_DESIGN * CP)) * PHI_DESIGN * CP
T1_DESIGN, T2_DESIGN = 108.0, 56.0
VALVE_MARGIN = 1.4  # control valves are sized 40 % above the design flow
HX_MARGIN = 1.5  # plate exchangers ~50 % oversized (fouling allowance, growth)
VALVE_RANGEABILITY = 30.0  # equal-percentage characteristic
PUMP_NOMINAL_HZ = 45.0
PUMP_HEAD_KPA = 150.0  # secondary pump head at nominal speed
ROOM_SP_REFERENCE = 19.0  # the default room setpoint the default curve is tuned for
ROOM_SP_GAIN = 1.0 + U_TOT / G_RAD_DESIGN  # K of T3 per K of room setpoint (parallel shift)
FROST_T3 = 15.0  # frost-protection mode holds the secondary at this

# Primary network hydraulics (per trunk): source differential pressure, and the losses at the
# design flow in the common trunk and along the distribution (0 at the trunk end, full at the
# farthest station). Beyond the design flow the far end starves first, as in real networks.
DP_SOURCE_KPA = 700.0
DP_LOSS_TRUNK_KPA = 250.0
DP_LOSS_DIST_KPA = 300.0
P_PRIMARY_RETURN_KPA = 250.0
PLANT_SMOOTH_S = 3600.0  # plants follow a smoothed outdoor (forecast) temperature
PLANT_TRIP_TO_C = 45.0
PLANT_TRIP_TAU_S = 1200.0
TRUNK_LOSS_K_PER_KM = 0.04
DIST_VELOCITY_M_S = 0.8  # distribution pipes are slower than the trunk
MIN_DELAY_S = 600.0
HISTORY_STEP_S = 60.0

# Controller: velocity-form PI on a lagged T3 sensor, actuator travel 120 s for 0..100 %.
KP = 0.006  # valve fraction per K
TI_S = 120.0
VALVE_RATE = 1.0 / 120.0  # fraction per second
T3_SENSOR_TAU_S = 20.0

DRY_RUN_TRIP_KPA = 30.0  # pumps stop below this suction pressure, restart above ...
DRY_RUN_RESET_KPA = 100.0
MAKEUP_AVG_TAU_S = 1800.0

DEFAULT_CURVE = (68.0, 60.0, 51.5, 43.0, 35.0, 26.5)  # T3 at −10/−5/0/+5/+10/+15 °C
CURVE_X = np.array([-10.0, -5.0, 0.0, 5.0, 10.0, 15.0])
CURVE_POINTS = (
    "curve_t3_at_m10",
    "curve_t3_at_m5",
    "curve_t3_at_0",
    "curve_t3_at_p5",
    "curve_t3_at_p10",
    "curve_t3_at_p15",
)

# Writable registers and their defaults (register-map.md where it gives one).
SETTING_DEFAULTS: dict[str, float] = {
    "mode": 1,
    "control_level": 1,
    "room_setpoint": 19.0,
    "t3_fixed_setpoint": 55.0,
    "t3_min": 25.0,
    "t3_max": 80.0,
    "curve_shift": 0.0,
    **dict(zip(CURVE_POINTS, DEFAULT_CURVE, strict=True)),
    "manual_valve": 50.0,
    "manual_pump_speed": PUMP_NOMINAL_HZ,
    "static_pressure_setpoint": 300,
    "t3_dev_high": 10.0,
    "t3_dev_low": 10.0,
    "t3_dev_delay": 30,
    "p_secondary_low": 150,
    "p_secondary_high": 700,
    "dp_primary_low": 50,
    "makeup_flow_limit": 1.0,
    "room_low_limit": 18.0,
    "room_critical_limit": 16.0,
    "float_word_order": 1,
}

SENSORS = ("t1", "t2", "t3", "t4", "outdoor")  # sensor_fault_bits b0..b4

# Scalar point columns produced by the physics (room_temp[i] is handled separately).
SCALAR_POINTS: tuple[str, ...] = (
    "device_type",
    "firmware",
    "station_no",
    "heartbeat",
    "status_bits",
    "alarm_bits",
    "alarm_bits_2",
    "room_count",
    "outdoor_temp",
    "t1_primary_supply",
    "t2_primary_return",
    "t3_secondary_supply",
    "t4_secondary_return",
    "room_temp_mean",
    "room_temp_min",
    "p1_primary_supply",
    "p2_primary_return",
    "p3_secondary_supply",
    "p4_secondary_return",
    "primary_flow",
    "secondary_flow",
    "makeup_flow",
    "valve_position",
    "pump1_speed",
    "pump2_speed",
    "heat_power",
    "heat_energy",
    "primary_volume",
    "makeup_volume",
    "t3_setpoint_active",
    "sensor_fault_bits",
    "meter_flow",
    "meter_power",
    "meter_supply_temp",
    "meter_return_temp",
    "meter_energy",
    "meter_volume",
    *SETTING_DEFAULTS,
)
FIRMWARE = (2 << 8) | 7

# Events that undo another (used for events given a `duration`).
INVERSE_EVENTS = {
    "plant_trip": "plant_restore",
    "leak": "leak_clear",
    "pump_fault": "pump_repair",
    "sensor_fault": "sensor_repair",
    "valve_stuck": "valve_free",
    "power_failure": "power_restore",
}


def parse_duration(v: Any) -> float:
    """Seconds from a number or a string like "90s", "10m", "2h", "1d", "1h30m"."""
    if isinstance(v, bool):
        raise ValueError(f"not a duration: {v!r}")
    if isinstance(v, int | float):
        if not math.isfinite(v) or v < 0:
            raise ValueError(f"a duration must be a finite number ≥ 0, not {v!r}")
        return float(v)
    if not isinstance(v, str) or not v.strip():
        raise ValueError(f"not a duration: {v!r} (use e.g. 30s, 10m, 2h)")
    units = {"s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
    s = v.strip().lower().replace(" ", "")
    total, num, i = 0.0, "", 0
    matched = False
    while i < len(s):
        c = s[i]
        if c.isdigit() or c == ".":
            num += c
            i += 1
            continue
        j = i
        while j < len(s) and s[j].isalpha():
            j += 1
        unit = s[i:j]
        if not num or unit not in units:
            raise ValueError(f"not a duration: {v!r} (use e.g. 30s, 10m, 2h)")
        total += float(num) * units[unit]
        num, i, matched = "", j, True
    if num:  # a bare trailing number counts as seconds
        total += float(num)
        matched = True
    if not matched:
        raise ValueError(f"not a duration: {v!r}")
    return total


def daily_shape(local_hour: np.ndarray | float) -> np.ndarray:
    """−1 at 05:00, +1 at 14:00, half-cosines between (a 9 h rise and a 15 h fall)."""
    h = np.mod(local_hour, 24.0)
    rise = -np.cos(np.pi * (h - 5.0) / 9.0)
    fall = np.cos(np.pi * np.mod(h - 14.0, 24.0) / 15.0)
    return np.where((h >= 5.0) & (h < 14.0), rise, fall)


def _polyline_km(route: list[tuple[float, float]]) -> float:
    return float(sum(math.dist(a, b) for a, b in itertools.pairwise(route)))


@dataclass
class _ColdWave:
    t0: float
    delta: float
    ramp: float
    hold: float
    recover: float
    mask: np.ndarray | None  # stations affected; None = all

    def offset(self, t: float) -> float:
        x = t - self.t0
        if x <= 0:
            return 0.0
        if x < self.ramp:
            return self.delta * x / self.ramp
        x -= self.ramp
        if x < self.hold:
            return self.delta
        x -= self.hold
        if x < self.recover:
            return self.delta * (1.0 - x / self.recover)
        return 0.0

    def over(self, t: float) -> bool:
        return t >= self.t0 + self.ramp + self.hold + self.recover


class NetworkPhysics:
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
        self._cold_waves: list[_ColdWave] = []

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
        self._v_sys = 0.0015 * area  # m³ of water in the secondary system
        self._k_vessel = 50_000.0 / self._v_sys  # kPa per m³ removed (expansion vessel)
        self._q_normal_loss = 0.0005 * self._v_sys  # m³/h, normal make-up
        self._makeup_cap = np.maximum(1.5, self._v_sys / 30.0)  # m³/h

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
        self._c_air = C_AIR * np.exp(np.clip(rng.normal(0.0, 0.1, nr), -0.2, 0.2))
        self._c_mass = C_MASS * np.exp(np.clip(rng.normal(0.0, 0.1, nr), -0.2, 0.2))
        self._room_bias = np.clip(rng.normal(0.0, 0.1, nr), -0.2, 0.2)  # sensor calibration
        self._room_offline = (rng.random(nr) < room_offline_fraction) & self._room_reported
        self._area_per_room = area / n_model

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

    # ================================================================== weather and plants
    def _outdoor(self, t: float) -> np.ndarray:
        hour = ((t + LOCAL_UTC_OFFSET_S) % 86400.0) / 3600.0
        to = self.base_c + self.amplitude_k * float(daily_shape(hour)) + self._to_offset
        for cw in self._cold_waves:
            off = cw.offset(t)
            if off:
                to = to + (off if cw.mask is None else off * cw.mask)
        return to

    def _diurnal(self, t: float | np.ndarray) -> np.ndarray:
        hour = ((np.asarray(t) + LOCAL_UTC_OFFSET_S) % 86400.0) / 3600.0
        return self.base_c + self.amplitude_k * daily_shape(hour)

    def _plant_temp(self, to_smooth: np.ndarray) -> np.ndarray:
        base = np.clip(90.0 - 2.0 * to_smooth, 70.0, 120.0)  # 110 °C at −10, 70 °C at +10
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
        """Differential pressure at each station; damped fixed point on each trunk's flow."""
        fd = self._flow_design[self._trunk_of]
        flow = self._trunk_flow
        dp = self.dp
        for _ in range(3):
            r = (flow[self._trunk_of] / fd) ** 2
            dp = DP_SOURCE_KPA - (DP_LOSS_TRUNK_KPA + DP_LOSS_DIST_KPA * self._x_far) * r
            dp = np.maximum(dp, 5.0) * self._dp_factor
            m = self._primary_flow(valve, dp)
            new = np.bincount(self._trunk_of, m, minlength=len(self._trunk_ids))
            flow = 0.5 * flow + 0.5 * new
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
        t3_int = np.zeros(self.n)
        ms_int = np.zeros(self.n)
        for _ in range(n_sub):
            self._substep(hs, g0, h0, m_s_ref)
            t3v = np.where(np.isnan(self.t3), 0.0, self.t3)
            t3_int += t3v * hs
            ms_int += self.m_s * hs
        t3_mean = t3_int / h
        ms_mean = ms_int / h
        # Rooms: implicit Euler on the two-node model with the step's mean T3 and flow.
        if not np.allclose(ms_mean, m_s_ref):
            g_r, _, _ = self._room_sums(ms_mean)
        self._room_step(h, g_r, t3_mean[self._room_station], self.to[self._room_station])

    def _room_step(self, h: float, g: np.ndarray, t3: np.ndarray, to: np.ndarray) -> None:
        ca_h = self._c_air / h
        cm_h = self._c_mass / h
        a11 = ca_h + g + U_AM + self._u_ao
        a22 = cm_h + U_AM + self._u_mo
        b1 = ca_h * self.t_air + g * t3 + Q_INTERNAL + self._u_ao * to
        b2 = cm_h * self.t_mass + self._u_mo * to
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
        self._hist[:, k % self._hist_len] = self._plant_temp(self._to_smooth)
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
        q, t2, t3, t4 = self._exchange(self.t1, self.m_p, self.m_s, g0 * scale, h0 * scale)
        # No circulation: the secondary water cools towards the rooms; no primary flow: T2 too.
        room_mean = np.add.reduceat(self.t_air, self._room_start) / self._n_model
        decay = -math.expm1(-hs / 1800.0)
        prev3 = np.where(np.isnan(self.t3), room_mean, self.t3)
        prev4 = np.where(np.isnan(self.t4), room_mean, self.t4)
        prev2 = np.where(np.isnan(self.t2), room_mean, self.t2)
        self.t3 = np.where(np.isnan(t3), prev3 + (room_mean - prev3) * decay, t3)
        self.t4 = np.where(np.isnan(t4), prev4 + (room_mean - prev4) * decay, t4)
        self.t2 = np.where(np.isnan(t2), prev2 + (room_mean - prev2) * decay, t2)
        self.q = q
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
        net_in = self.q_makeup - self._leak - self._q_normal_loss  # m³/h
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
            self._hist[k_tr, ks % h] = np.clip(90.0 - 2.0 * to_k, 70.0, 120.0)
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
        ta_mean = (g_r * sp_mean[rs] + Q_INTERNAL + (ue + self._u_ao) * tm_o) / (
            g_r + ue + self._u_ao
        )
        self.t_mass = (U_AM * ta_mean + self._u_mo * tm_o) / (U_AM + self._u_mo)
        self.t_air = (
            g_r * sp_now[rs] + Q_INTERNAL + U_AM * self.t_mass + self._u_ao * self.to[rs]
        ) / (g_r + U_AM + self._u_ao)
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
        self._t3_meas = self.t3.copy()
        self.t3_sp = sp_now
        self._e_prev = sp_now - self._t3_meas
        del rng

    # ================================================================== outputs
    def _layout(self, table: PointTable) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        cols = {name: j for j, name in enumerate(SCALAR_POINTS)}
        pos, col, room_pos = [], [], []
        for k, (name, p) in enumerate(zip(table.names, table.defs, strict=True)):
            if p.count_from is not None:
                if p.name == "room_temp":
                    room_pos.append(k)
                continue
            if name in cols:
                pos.append(k)
                col.append(cols[name])
        pos_a = np.array(pos, dtype=np.int64)
        col_a = np.array(col, dtype=np.int64)
        room_a = np.array(room_pos, dtype=np.int64)
        # Fast path when the table is scalars then rooms (substation-v1); else a general scatter.
        contiguous = bool(
            len(pos_a) + len(room_a) == len(table)
            and np.array_equal(pos_a, np.arange(len(pos_a)))
            and np.array_equal(room_a, np.arange(len(pos_a), len(table)))
        )
        return pos_a, col_a, room_a, contiguous

    def _refresh(self) -> None:
        """Recompute every station's scalar points and displayed room temperatures."""
        n = self.n
        c = self._cfg
        s: dict[str, np.ndarray | float] = {}
        sf = self._sensor_fault
        fault_bits = (sf * (1 << np.arange(len(SENSORS)))).sum(axis=1)

        def sensed(x: np.ndarray, k: int) -> np.ndarray:
            return np.where(sf[:, k], np.nan, x)

        # Rooms: displayed = air + calibration bias; offline sensors NaN; stats over online.
        disp = self.t_air + self._room_bias
        online = self._room_reported & ~self._room_offline
        self._room_disp[:] = disp
        self._room_disp[self._room_offline] = np.nan
        cnt = np.add.reduceat(online.astype(np.float64), self._room_start)
        tot = np.add.reduceat(np.where(online, disp, 0.0), self._room_start)
        mn = np.minimum.reduceat(np.where(online, disp, np.inf), self._room_start)
        with np.errstate(invalid="ignore", divide="ignore"):
            room_mean = np.where(cnt > 0, tot / cnt, np.nan)
        room_min = np.where(cnt > 0, mn, np.nan)

        speed = self.pump_speed
        running = speed > 0
        mode = self.mode
        alarm = np.zeros(n, dtype=np.int64)
        delay = c["t3_dev_delay"] * 60.0
        alarm |= ((self._dev_timer > 0) & (self._dev_timer >= delay)).astype(np.int64) << 0
        p4 = self.p_static
        p3 = p4 + PUMP_HEAD_KPA * (speed.sum(axis=1) / PUMP_NOMINAL_HZ) ** 2
        alarm |= (p4 < c["p_secondary_low"]).astype(np.int64) << 1
        alarm |= (p3 > c["p_secondary_high"]).astype(np.int64) << 2
        p2 = np.full(n, P_PRIMARY_RETURN_KPA)
        p1 = p2 + self.dp
        alarm |= (self.dp < c["dp_primary_low"]).astype(np.int64) << 3
        alarm |= (self._makeup_avg > c["makeup_flow_limit"]).astype(np.int64) << 4
        alarm |= self._pump_fault[:, 0].astype(np.int64) << 5
        alarm |= self._pump_fault[:, 1].astype(np.int64) << 6
        alarm |= (fault_bits > 0).astype(np.int64) << 7
        alarm |= self._power_fail.astype(np.int64) << 8
        status = np.zeros(n, dtype=np.int64)
        status |= running[:, 0].astype(np.int64) << 0
        status |= running[:, 1].astype(np.int64) << 1
        status |= self._makeup_on.astype(np.int64) << 2
        status |= (self._valve_dir > 0).astype(np.int64) << 3
        status |= (self._valve_dir < 0).astype(np.int64) << 4
        status |= (c["control_level"] >= 1).astype(np.int64) << 5
        status |= (mode == 0).astype(np.int64) << 6
        general = (
            self._pump_fault.any(axis=1) | (fault_bits > 0) | self._power_fail | self._dry_trip
        )
        status |= general.astype(np.int64) << 7

        m3h_p = self.m_p / RHO * 3600.0
        kw = self.q / 1000.0
        s.update(
            device_type=310.0,
            firmware=float(FIRMWARE),
            station_no=np.arange(1, n + 1, dtype=np.float64),
            heartbeat=float(int(self.now)),
            status_bits=status.astype(np.float64),
            alarm_bits=alarm.astype(np.float64),
            alarm_bits_2=0.0,
            room_count=self.rooms_reported.astype(np.float64),
            outdoor_temp=sensed(self.to, 4),
            t1_primary_supply=sensed(self.t1, 0),
            t2_primary_return=sensed(self.t2, 1),
            t3_secondary_supply=sensed(self.t3, 2),
            t4_secondary_return=sensed(self.t4, 3),
            room_temp_mean=room_mean,
            room_temp_min=room_min,
            p1_primary_supply=p1,
            p2_primary_return=p2,
            p3_secondary_supply=p3,
            p4_secondary_return=p4,
            primary_flow=m3h_p,
            secondary_flow=self.m_s / RHO * 3600.0,
            makeup_flow=self.q_makeup,
            valve_position=self.valve * 100.0,
            pump1_speed=speed[:, 0],
            pump2_speed=speed[:, 1],
            heat_power=kw,
            heat_energy=self.energy_gj,
            primary_volume=self.primary_m3,
            makeup_volume=self.makeup_m3,
            t3_setpoint_active=np.where(np.isnan(self.t3_sp), 0.0, self.t3_sp),
            sensor_fault_bits=fault_bits.astype(np.float64),
            meter_flow=m3h_p,
            meter_power=kw,
            meter_supply_temp=sensed(self.t1, 0),
            meter_return_temp=sensed(self.t2, 1),
            meter_energy=self.energy_gj,
            meter_volume=self.primary_m3,
        )
        for k in SETTING_DEFAULTS:
            s[k] = c[k]
        s["mode"] = mode.astype(np.float64)
        out = self._scalars
        for j, name in enumerate(SCALAR_POINTS):
            out[:, j] = s[name]
        # Keep every reading inside what its register can carry (e.g. pressures ≥ 0).
        np.clip(out, self._col_lo, self._col_hi, out=out)
        self._dirty = False

    @property
    def _col_lo(self) -> np.ndarray:
        return self._col_limits()[0]

    @property
    def _col_hi(self) -> np.ndarray:
        return self._col_limits()[1]

    def _col_limits(self) -> tuple[np.ndarray, np.ndarray]:
        lim = getattr(self, "_limits", None)
        if lim is None:
            tpl = self.net.templates[self.net.stations[0].template] if self.n else None
            lo = np.full(len(SCALAR_POINTS), -np.inf)
            hi = np.full(len(SCALAR_POINTS), np.inf)
            raw = {"u16": (0, 0xFFFF), "i16": (-0x8000, 0x7FFE), "u32": (0, 0xFFFF_FFFF)}
            for j, name in enumerate(SCALAR_POINTS):
                try:
                    p = tpl.point(name) if tpl is not None else None
                except KeyError:
                    p = None
                if p is not None and p.type in raw:
                    lo[j] = raw[p.type][0] * p.scale
                    hi[j] = raw[p.type][1] * p.scale
            lim = self._limits = (lo, hi)
        return lim

    def values(self, i: int) -> np.ndarray:
        """Every point of station i, aligned with tables[i] (NaN = sensor fault)."""
        if self._dirty:
            self._refresh()
        pos, col, room_pos, contiguous = self._layout_of[i]
        r0 = int(self._room_start[i])
        rooms = self._room_disp[r0 : r0 + len(room_pos)]
        if contiguous:
            return np.concatenate((self._scalars[i, col], rooms))
        v = np.zeros(len(self.tables[i]))
        v[pos] = self._scalars[i, col]
        v[room_pos] = rooms
        return v

    def all_values(self) -> np.ndarray:
        """Every station's values(i), concatenated: one gather for the whole city."""
        if self._dirty:
            self._refresh()
        return self._reported[self._all_src]

    def _all_values_index(self) -> np.ndarray:
        """For each point of the city (stations in order), its place in `_reported`."""
        n_col = len(SCALAR_POINTS)
        rooms0 = self.n * n_col
        zero = rooms0 + len(self._room_disp)
        parts = []
        for i, (pos, col, room_pos, _) in enumerate(self._layout_of):
            idx = np.full(len(self.tables[i]), zero, dtype=np.int64)
            idx[pos] = i * n_col + col
            idx[room_pos] = rooms0 + int(self._room_start[i]) + np.arange(len(room_pos))
            parts.append(idx)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    # ================================================================== writes and events
    def write(self, i: int, point: str, value: float) -> None:
        """An accepted register write (range and control level checked by the server)."""
        if point not in SETTING_DEFAULTS:
            raise KeyError(f"{point!r} is not a writable point of the simulated substation")
        self._cfg[point][i] = float(value)
        if point == "mode":
            self.mode[i] = int(value)
            self._e_prev[i] = 0.0
        self._dirty = True

    def room_temps(self, i: int) -> np.ndarray:
        """The true air temperature of station i's reported rooms (tests, diagnostics)."""
        r0 = int(self._room_start[i])
        return self.t_air[r0 : r0 + int(self.rooms_reported[i])].copy()

    def _select(self, ev: dict) -> np.ndarray:
        """Station indices an event addresses: station / stations / district / trunk / all."""
        if "station" in ev:
            return np.array([self._station_index(ev["station"])], dtype=np.int64)
        if "stations" in ev:
            return np.array([self._station_index(s) for s in ev["stations"]], dtype=np.int64)
        mask = np.ones(self.n, dtype=bool)
        if "district" in ev:
            mask &= np.array([s.district == ev["district"] for s in self.net.stations])
        if "trunk" in ev:
            mask &= np.array([s.trunk == ev["trunk"] for s in self.net.stations])
        return np.flatnonzero(mask)

    def _station_index(self, sid: str) -> int:
        try:
            return self._index[sid]
        except KeyError:
            raise KeyError(f"no station {sid!r} in the network") from None

    def _trunks(self, ev: dict) -> np.ndarray:
        if "trunk" in ev:
            return np.array([self._trunk_ids.index(ev["trunk"])])
        if "source" in ev:
            return np.array(
                [k for k, t in enumerate(self.net.trunks) if t.source == ev["source"]],
                dtype=np.int64,
            )
        return np.arange(len(self._trunk_ids))

    def apply_event(self, event: dict) -> None:
        """A physics scenario event (see drivers.simulator.scenarios for the format)."""
        kind = event.get("type")
        ev = event
        dur = ev.get("duration_s", ev.get("duration"))
        if dur is not None and kind in INVERSE_EVENTS:
            undo = {
                k: v for k, v in ev.items() if k not in ("duration", "duration_s", "type", "at")
            }
            undo["type"] = INVERSE_EVENTS[kind]
            self._pending.append((self.now + parse_duration(dur), undo))
            self._pending.sort(key=lambda p: p[0])
        if kind == "weather":
            if "base_c" in ev:
                self.base_c = float(ev["base_c"])
            if "amplitude_k" in ev:
                self.amplitude_k = float(ev["amplitude_k"])
        elif kind == "cold_wave":
            sel = "station" in ev or "stations" in ev or "district" in ev or "trunk" in ev
            mask = None
            if sel:
                mask = np.zeros(self.n)
                mask[self._select(ev)] = 1.0
            self._cold_waves = [cw for cw in self._cold_waves if not cw.over(self.now)]
            self._cold_waves.append(
                _ColdWave(
                    self.now,
                    float(ev.get("delta_k", -12.0)),
                    max(parse_duration(ev.get("ramp", "3h")), 1.0),
                    parse_duration(ev.get("hold", "6h")),
                    max(parse_duration(ev.get("recover", "6h")), 1.0),
                    mask,
                )
            )
        elif kind in ("plant_trip", "plant_restore"):
            tr = self._trunks(ev)
            self._trip_target[tr] = 1.0 if kind == "plant_trip" else 0.0
            if kind == "plant_trip":
                self._trip_to[tr] = float(ev.get("to_c", PLANT_TRIP_TO_C))
        else:
            idx = self._select(ev)
            self._station_event(kind, ev, idx)
        self._dirty = True

    def _station_event(self, kind: Any, ev: dict, idx: np.ndarray) -> None:
        if kind == "leak":
            self._leak[idx] = float(ev.get("flow_m3h", 1.5))
        elif kind == "leak_clear":
            self._leak[idx] = 0.0
        elif kind in ("pump_fault", "pump_repair"):
            which = ev.get("pump", 1)
            cols = [0, 1] if which == "both" else [int(which) - 1]
            for col in cols:
                self._pump_fault[idx, col] = kind == "pump_fault"
        elif kind in ("sensor_fault", "sensor_repair"):
            on = kind == "sensor_fault"
            sensor = str(ev.get("sensor", "t3"))
            if sensor == "room":
                rooms = ev.get("rooms", "all")
                for i in idx:
                    r0, nr = int(self._room_start[i]), int(self.rooms_reported[i])
                    sel = (
                        np.arange(nr)
                        if rooms == "all"
                        else np.array(
                            [r for r in np.atleast_1d(rooms) if 0 <= int(r) < nr], dtype=np.int64
                        )
                    )
                    self._room_offline[r0 + sel] = on
            else:
                self._sensor_fault[idx, SENSORS.index(sensor)] = on
        elif kind == "valve_stuck":
            pos = ev.get("position_pct")
            self._valve_stuck[idx] = self.valve[idx] if pos is None else float(pos) / 100.0
            self.valve[idx] = self._valve_stuck[idx]
        elif kind == "valve_free":
            self._valve_stuck[idx] = np.nan
        elif kind == "dp_limit":
            self._dp_factor[idx] = float(ev.get("factor", 1.0))
        elif kind == "power_failure":
            self._power_fail[idx] = True
        elif kind == "power_restore":
            self._power_fail[idx] = False
        elif kind == "set":
            for i in idx:
                self.write(int(i), str(ev["point"]), float(ev["value"]))
        else:
            raise ValueError(f"unknown physics event type {kind!r}")
