"""Design basis and register vocabulary of the simulated network: physical constants, the
building, exchanger, valve and pump sizing, the controller tuning, writable settings and the
scalar points the physics reports. Numbers only; no state."""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "BETA_WATER",
    "CP",
    "CURVE_POINTS",
    "CURVE_X",
    "C_AIR",
    "C_MASS",
    "C_RADIATOR_STEEL",
    "DEFAULT_CURVE",
    "DIST_VELOCITY_M_S",
    "DP_LOSS_DIST_KPA",
    "DP_LOSS_TRUNK_KPA",
    "DP_SOURCE_KPA",
    "DRY_RUN_RESET_KPA",
    "DRY_RUN_TRIP_KPA",
    "DT_SEC_DESIGN",
    "FIRMWARE",
    "FROST_T3",
    "G_RAD_DESIGN",
    "HISTORY_STEP_S",
    "HX_MARGIN",
    "KP",
    "K_RAD_DESIGN",
    "K_VESSEL_KPA_M2",
    "LOCAL_UTC_OFFSET_S",
    "MAKEUP_AVG_TAU_S",
    "MIN_DELAY_S",
    "NORMAL_LOSS_M3H_PER_M2",
    "PHI_DESIGN",
    "PLANT_CAP_TAU_S",
    "PLANT_SMOOTH_S",
    "PLANT_SUPPLY_MAX_C",
    "PLANT_SUPPLY_MIN_C",
    "PLANT_SUPPLY_RATE_K_S",
    "PLANT_TRIP_TAU_S",
    "PLANT_TRIP_TO_C",
    "PUMP_HEAD_KPA",
    "PUMP_NOMINAL_HZ",
    "P_PRIMARY_RETURN_KPA",
    "Q_DESIGN",
    "Q_INTERNAL",
    "RHO",
    "ROOM_SP_GAIN",
    "ROOM_SP_REFERENCE",
    "ROOM_STEP_S",
    "SCALAR_POINTS",
    "SENSORS",
    "SETTING_DEFAULTS",
    "STATION_STEP_S",
    "T1_DESIGN",
    "T2_DESIGN",
    "T3_DESIGN",
    "T3_SENSOR_TAU_S",
    "T4_DESIGN",
    "TA_DESIGN",
    "TI_S",
    "TO_DESIGN",
    "TRUNK_LOSS_K_PER_KM",
    "U_AM",
    "U_AO",
    "U_MO",
    "U_NB",
    "U_TOT",
    "VALVE_MARGIN",
    "VALVE_RANGEABILITY",
    "VALVE_RATE",
    "V_SEC_PER_M2",
]

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
# Mass: with the loop's stored heat, an unheated block falls from 19 to 16 °C in ~3–4 h on a
# winter night (published: 2.5–4 h).
C_MASS = 100e3  # J/(m² K) concrete: ~17 h time constant, rooms cool over hours, not minutes
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
# A dispatcher's supply setpoint or raise over the plant's own curve (`plant_supply`): the
# plant's outlet moves towards it at a boiler's ramp rate, never above the network's design
# limit (130 °C primaries) nor below the curve's floor.
PLANT_SUPPLY_MAX_C = 130.0
PLANT_SUPPLY_MIN_C = 70.0
PLANT_SUPPLY_RATE_K_S = 20.0 / 3600.0  # 20 K per hour
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

# Secondary loop: water content, expansion vessel, normal losses (per m² of heated floor).
V_SEC_PER_M2 = 0.001  # m³/m²: 1 L per m², a 60,000 m² station holds ~60 m³
C_RADIATOR_STEEL = 500.0  # J/(m² K): radiators and pipes, beside the water
K_VESSEL_KPA_M2 = 50_000.0 / 0.0015  # vessel stiffness × area: kPa per m³ taken out
NORMAL_LOSS_M3H_PER_M2 = 7.5e-7  # m³/h per m²: ~1 % of the water a day (valves, vents)
BETA_WATER = 4.2e-4  # 1/K, water at 40–70 °C: 10 K on 60 m³ moves ~0.25 m³
U_NB = 3.0  # W/(m² K): a room to the rest of its building (internal walls, floors)
PLANT_CAP_TAU_S = 600.0  # how fast a plant short of heat throttles its circulation
