"""Weather: the winter daily cycle, per-district and per-station offsets, cold waves."""

from __future__ import annotations

from dataclasses import dataclass

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
