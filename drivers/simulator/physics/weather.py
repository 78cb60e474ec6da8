"""Weather: the winter daily cycle, per-district and per-station offsets, cold waves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from drivers.simulator.physics.design import LOCAL_UTC_OFFSET_S


def daily_shape(local_hour: np.ndarray | float) -> np.ndarray:
    """−1 at 05:00, +1 at 14:00, half-cosines between (a 9 h rise and a 15 h fall)."""
    h = np.mod(local_hour, 24.0)
    rise = -np.cos(np.pi * (h - 5.0) / 9.0)
    fall = np.cos(np.pi * np.mod(h - 14.0, 24.0) / 15.0)
    return np.where((h >= 5.0) & (h < 14.0), rise, fall)


@dataclass
class ColdWave:
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


class WeatherMixin:
    """Outdoor temperature of NetworkPhysics (state attributes live there)."""

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

    def outlook(
        self,
        times: np.ndarray,
        scheduled: Sequence[tuple[float, dict]] = (),
        wave: Callable[[ColdWave], ColdWave] | None = None,
    ) -> np.ndarray:
        """The city's mean outdoor temperature at future `times` (epoch s), as the simulator
        will make it: today's weather, the cold waves under way and the `scheduled` weather and
        cold_wave events (absolute time, event) still to come. `wave` may alter each cold wave
        (a forecast's timing and depth errors)."""
        t = np.asarray(times, dtype=np.float64)
        base = np.full(t.shape, float(self.base_c))
        amp = np.full(t.shape, float(self.amplitude_k))
        waves = list(self._cold_waves)
        for t0, ev in sorted(scheduled, key=lambda x: x[0]):
            if ev.get("type") == "weather":
                later = t >= t0
                if "base_c" in ev:
                    base = np.where(later, float(ev["base_c"]), base)
                if "amplitude_k" in ev:
                    amp = np.where(later, float(ev["amplitude_k"]), amp)
            elif ev.get("type") == "cold_wave":
                waves.append(self.cold_wave(t0, ev))
        hour = ((t + LOCAL_UTC_OFFSET_S) % 86400.0) / 3600.0
        local = float(np.mean(self._to_offset)) if len(self._to_offset) else 0.0
        out = base + amp * daily_shape(hour) + local
        for cw in waves:
            share = 1.0 if cw.mask is None else float(np.mean(cw.mask))
            cw = wave(cw) if wave is not None else cw
            out += share * np.array([cw.offset(float(x)) for x in t])
        return out


def shifted(cw: ColdWave, dt: float, depth: float) -> ColdWave:
    """`cw` arriving dt seconds later, `depth` times as deep."""
    return replace(cw, t0=cw.t0 + dt, delta=cw.delta * depth)
