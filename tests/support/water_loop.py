"""A synthetic secondary loop for leak tests: an expansion vessel, a make-up pump cycling on its
pressure band (280-300 kPa), a normal loss, a daily swing of the water temperature with the
relief valve spilling at 350 kPa, and a leak; `inputs()` gives what its registers would read."""

from __future__ import annotations

import math

import numpy as np

from console.core.leak.balance import LeakInputs

H = 3600.0


class Loop:
    """One station's secondary loop (the quantities a station reports)."""

    def __init__(self, volume: float = 60.0, normal: float = 0.05, swing_k: float = 10.0):
        self.v = volume
        self.k = 33_333.0 / volume  # kPa per m³ taken in by the vessel
        self.cap = max(1.5, volume / 20.0)  # make-up pump, m³/h
        self.normal, self.swing = normal, swing_k
        self.leak = 0.0
        self.p, self.on, self.total, self.t = 290.0, False, 123.45, 0.0
        self.tw = self._tw(0.0)
        self.starts, self.spilled = 0, 0.0

    def _tw(self, t: float) -> float:
        return 55.0 + self.swing / 2.0 * math.sin(2 * math.pi * t / 86400.0)

    def advance(self, dt: float, sub: float = 10.0) -> None:
        for _ in range(int(dt / sub)):
            on = self.p < 280.0 or (self.on and self.p < 300.0)
            self.starts += on and not self.on
            self.on = on
            q = self.cap if self.on else 0.0
            tw = self._tw(self.t + sub)
            expansion = 4.2e-4 * self.v * (tw - self.tw)
            net = (q - self.leak - self.normal) * sub / H + expansion
            p = self.p + self.k * net
            self.spilled += max(p - 350.0, 0.0) / self.k
            self.p = min(max(p, 0.0), 350.0)  # relief at 350 kPa
            self.total += q * sub / H
            self.tw, self.t = tw, self.t + sub

    def inputs(self) -> LeakInputs:
        q = self.cap if self.on else 0.0
        return LeakInputs(
            makeup_volume=np.array([math.floor(self.total / 0.01) * 0.01]),
            makeup_flow=np.array([round(q, 2)]),
            p_return=np.array([float(round(self.p))]),
            t_supply=np.array([round(self.tw + 8.0, 1)]),
            t_return=np.array([round(self.tw - 8.0, 1)]),
        )
