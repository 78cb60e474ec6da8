"""The register image: every station's scalar points and room temperatures in one buffer, so a
station's values(i) is a slice and the city's all_values() one gather."""

from __future__ import annotations

import numpy as np

from drivers.points import PointTable
from drivers.simulator.physics.design import (
    FIRMWARE,
    P_PRIMARY_RETURN_KPA,
    PUMP_HEAD_KPA,
    PUMP_NOMINAL_HZ,
    RHO,
    SCALAR_POINTS,
    SENSORS,
    SETTING_DEFAULTS,
)


class RegisterImageMixin:
    """Outputs of NetworkPhysics (state attributes live there)."""

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
