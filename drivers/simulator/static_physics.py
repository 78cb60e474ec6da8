"""A trivial stand-in for NetworkPhysics: plausible constant values, writes kept, clock advances.

Tests of the Modbus side use it to know every register's value exactly (no physics in the
loop), and `fault()` makes a sensor report its sentinel on demand. Same interface as
drivers.simulator.physics.NetworkPhysics.
"""

from __future__ import annotations

import time

import numpy as np

from drivers.points import PointTable, build_point_table
from station_config.schema import NetworkDef

# Values a healthy substation on a cold evening might show (engineering units).
DEFAULTS: dict[str, float] = {
    "device_type": 310,
    "firmware": (2 << 8) | 7,
    "mode": 1,
    "control_level": 1,
    "outdoor_temp": -3.5,
    "t1_primary_supply": 95.2,
    "t2_primary_return": 48.3,
    "t3_secondary_supply": 55.1,
    "t4_secondary_return": 41.7,
    "room_temp_mean": 19.6,
    "room_temp_min": 18.4,
    "p1_primary_supply": 620,
    "p2_primary_return": 380,
    "p3_secondary_supply": 420,
    "p4_secondary_return": 300,
    "primary_flow": 35.2,
    "secondary_flow": 60.4,
    "makeup_flow": 0.12,
    "valve_position": 47.5,
    "pump1_speed": 41.5,
    "heat_power": 1840,
    "heat_energy": 12345.67,
    "primary_volume": 456789.1,
    "makeup_volume": 321.09,
    "t3_setpoint_active": 55.0,
    "room_setpoint": 19.0,
    "t3_fixed_setpoint": 55.0,
    "t3_min": 30.0,
    "t3_max": 80.0,
    "curve_t3_at_m10": 70.0,
    "curve_t3_at_m5": 62.0,
    "curve_t3_at_0": 55.0,
    "curve_t3_at_p5": 47.0,
    "curve_t3_at_p10": 40.0,
    "curve_t3_at_p15": 33.0,
    "manual_valve": 50.0,
    "manual_pump_speed": 40.0,
    "static_pressure_setpoint": 300,
    "t3_dev_high": 5.0,
    "t3_dev_low": 5.0,
    "t3_dev_delay": 15,
    "p_secondary_low": 150,
    "p_secondary_high": 800,
    "dp_primary_low": 50,
    "makeup_flow_limit": 2.0,
    "room_low_limit": 18.0,
    "room_critical_limit": 16.0,
    "meter_flow": 35.25,
    "meter_power": 1840.5,
    "meter_supply_temp": 95.25,
    "meter_return_temp": 48.5,
    "meter_energy": 12345.75,
    "meter_volume": 456789.0,
    "float_word_order": 1,
}


class StaticPhysics:
    def __init__(self, net: NetworkDef, *, seed: int = 0, start: float | None = None):
        self.station_ids = [s.id for s in net.stations]
        self.tables: list[PointTable] = [
            build_point_table(net.templates[s.template], s) for s in net.stations
        ]
        self.now = time.time() if start is None else float(start)
        rng = np.random.default_rng(seed)
        # Every station's values end to end; _values[i] are views on it, so writes and faults
        # reach both values(i) and all_values().
        lens = [len(t) for t in self.tables]
        self._all = np.zeros(sum(lens))
        starts = np.cumsum([0, *lens])
        self._values: list[np.ndarray] = []
        heartbeats = []
        for i, (st, t) in enumerate(zip(net.stations, self.tables, strict=True)):
            v = self._all[starts[i] : starts[i + 1]]
            v[:] = [DEFAULTS.get(n, 0.0) for n in t.names]
            v[t.index["station_no"]] = i + 1 if "station_no" in t.index else 0
            if "room_count" in t.index:
                v[t.index["room_count"]] = st.rooms
            rooms = t.indices("room_temp")
            v[rooms] = np.round(19.5 + rng.normal(0.0, 0.6, len(rooms)), 1)
            self._values.append(v)
            if "heartbeat" in t.index:
                heartbeats.append(starts[i] + t.index["heartbeat"])
        self._heartbeats = np.array(heartbeats, dtype=np.int64)
        self.writes: list[tuple[int, str, float]] = []
        self.events: list[dict] = []

    def advance(self, dt: float) -> None:
        self.now += dt

    def values(self, i: int) -> np.ndarray:
        v = self._values[i].copy()
        t = self.tables[i]
        if "heartbeat" in t.index:
            v[t.index["heartbeat"]] = int(self.now)
        return v

    def all_values(self) -> np.ndarray:
        v = self._all.copy()
        v[self._heartbeats] = int(self.now)
        return v

    def write(self, i: int, point: str, value: float) -> None:
        self.writes.append((i, point, value))
        self._values[i][self.tables[i].index[point]] = value

    def apply_event(self, event: dict) -> None:
        self.events.append(event)

    def fault(self, i: int, point: str, faulted: bool = True) -> None:
        """Make a sensor report its sentinel (NaN) — or a constant again."""
        t = self.tables[i]
        self._values[i][t.index[point]] = np.nan if faulted else DEFAULTS.get(point, 19.5)
