"""Scenario events and register writes on the network state: selectors (station, stations,
district, trunk, source), faults and their undo after a `duration`, and duration parsing."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from drivers.simulator.physics.design import PLANT_TRIP_TO_C, SENSORS, SETTING_DEFAULTS
from drivers.simulator.physics.weather import ColdWave

# Events that undo another (used for events given a `duration`).
INVERSE_EVENTS = {
    "plant_trip": "plant_restore",
    "plant_supply": "plant_auto",
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


class EventsMixin:
    """Writes and events of NetworkPhysics (state attributes live there)."""

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

    def cold_wave(self, t0: float, ev: dict) -> ColdWave:
        """The cold wave a `cold_wave` event starting at t0 brings (over its selected stations)."""
        mask = None
        if any(k in ev for k in ("station", "stations", "district", "trunk")):
            mask = np.zeros(self.n)
            mask[self._select(ev)] = 1.0
        return ColdWave(
            t0,
            float(ev.get("delta_k", -12.0)),
            max(parse_duration(ev.get("ramp", "3h")), 1.0),
            parse_duration(ev.get("hold", "6h")),
            max(parse_duration(ev.get("recover", "6h")), 1.0),
            mask,
        )

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
            self._cold_waves = [cw for cw in self._cold_waves if not cw.over(self.now)]
            self._cold_waves.append(self.cold_wave(self.now, ev))
        elif kind in ("plant_trip", "plant_restore"):
            tr = self._trunks(ev)
            self._trip_target[tr] = 1.0 if kind == "plant_trip" else 0.0
            if kind == "plant_trip":
                self._trip_to[tr] = float(ev.get("to_c", PLANT_TRIP_TO_C))
        elif kind in ("plant_supply", "plant_auto"):
            self.set_plant_supply(ev, auto=kind == "plant_auto")
        else:
            idx = self._select(ev)
            self._station_event(kind, ev, idx)
        self._dirty = True

    def set_plant_supply(self, ev: dict, *, auto: bool = False) -> None:
        """The plants' supply control (selected by `source` / `trunk`, none = every plant):
        `setpoint_c` (an outlet temperature) or `raise_k` (K over the plant's weather curve);
        `auto` (or neither given) returns them to their curve. The new outlet temperature
        leaves the plant at its ramp rate and reaches each station after its transport delay;
        the plant still delivers at most its rating."""
        tr = self._trunks(ev)
        sp, rk = ev.get("setpoint_c"), ev.get("raise_k")
        for name, v in (("setpoint_c", sp), ("raise_k", rk)):
            if v is not None and not (isinstance(v, int | float) and math.isfinite(v)):
                raise ValueError(f"plant_supply: {name} must be a number, not {v!r}")
        if sp is not None and rk is not None:
            raise ValueError("plant_supply: give setpoint_c or raise_k, not both")
        self._plant_sp[tr] = np.nan if auto or sp is None else float(sp)
        self._plant_raise[tr] = 0.0 if auto or rk is None else float(rk)

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
