"""A heat meter's energy counter as a continuous cumulative curve: rollover and replacement.

A counter register only grows, except when
- it rolls over: a u32 of 0.01 GJ wraps after 2^32 * 0.01 GJ; the step back then equals the
  counter's range minus what was consumed, so `range - previous + current` is a plausible
  consumption for the time between the two readings;
- the meter is replaced: the new meter starts near zero. What the old meter counted up to its
  last reading and what the new one counted since zero are both consumption; the change is
  recorded (time, old reading, new reading) so the operator can check it against the work order;
- anything else (a step back that is neither): recorded, not counted, and the count continues
  from the new reading — a wrong figure would be worse than a missing one.
A forward step larger than the plant could deliver in the time between readings is recorded as
a jump and not counted. Readings of bad quality are left out; a gap between good readings is
bridged (the counter kept counting while the link was down).

Consumption between two times is then the difference of the unwrapped curve, linearly
interpolated between readings (the history stores a counter every 15 minutes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from console.vocabulary.metering import CounterEvent
from drivers.samples import Quality
from station_config.schema import PointDef

_WIDTH_BITS = {"u16": 16, "i16": 16, "u32": 32, "i32": 32}
DEFAULT_MAX_GJ_PER_H = 500.0  # ≈ 140 MW: more than any substation draws; a bigger step is a glitch
DEFAULT_NEAR_ZERO_GJ = 5.0  # a replaced meter's first reading is below this (plus what it counted)


@dataclass(frozen=True)
class CounterSpec:
    """What the template says about the counter register, and the plausibility limits."""

    modulus: float | None  # engineering units at which the register wraps (None: no wrap, f32)
    max_gj_per_h: float = DEFAULT_MAX_GJ_PER_H
    near_zero_gj: float = DEFAULT_NEAR_ZERO_GJ

    @classmethod
    def from_point(cls, p: PointDef, **limits: float) -> CounterSpec:
        bits = _WIDTH_BITS.get(p.type)
        modulus = None if bits is None else float(2**bits) * p.scale
        return cls(modulus, **limits)


@dataclass(frozen=True)
class Unwrapped:
    """The counter's good readings as one cumulative curve starting at 0."""

    t: np.ndarray
    cum: np.ndarray  # GJ consumed since t[0]
    events: tuple[CounterEvent, ...]

    def between(self, start: float, end: float) -> tuple[float | None, float]:
        """(GJ consumed in [start, end], fraction of it covered by readings); None = no data."""
        if len(self.t) == 0 or end <= start:
            return None, 0.0
        a, b = max(start, float(self.t[0])), min(end, float(self.t[-1]))
        if b < a:
            return None, 0.0
        lo, hi = np.interp([a, b], self.t, self.cum)
        return float(hi - lo), (b - a) / (end - start)


def _wrapped(modulus: float, prev: float, cur: float, lim: float) -> bool:
    """Was `prev` just below the counter's range and `cur` just above zero? The history keeps
    values as float32 offsets within an hour: a wrap's readings are only that exact."""
    slack = modulus * 2.0**-23 + 0.01
    return modulus - prev <= lim + slack and -slack <= cur <= lim + slack


def unwrap_counter(
    t: np.ndarray, v: np.ndarray, q: np.ndarray | None, spec: CounterSpec
) -> Unwrapped:
    """The cumulative consumption curve of a counter's readings (oldest first)."""
    t = np.asarray(t, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    good = np.isfinite(v) & np.isfinite(t)
    if q is not None:
        good &= np.asarray(q) == Quality.GOOD
    t, v = t[good], v[good]
    if len(t) == 0:
        return Unwrapped(t, v, ())
    t, first = np.unique(t, return_index=True)  # one reading per time, sorted
    v = v[first]
    d = np.diff(v)
    limit = spec.max_gj_per_h * np.diff(t) / 3600.0 + 0.01  # 0.01: one register step
    step = np.where((d >= 0) & (d <= limit), d, 0.0)
    events: list[CounterEvent] = []
    for i in np.flatnonzero((d < 0) | (d > limit)):  # rare: a Python loop is fine
        prev, cur, lim = float(v[i]), float(v[i + 1]), float(limit[i])
        if d[i] > 0:
            kind, counted = "jump", 0.0
        elif spec.modulus is not None and _wrapped(spec.modulus, prev, cur, lim):
            kind, counted = "rollover", max(0.0, spec.modulus - prev + cur)
        elif 0 <= cur <= spec.near_zero_gj + lim:
            kind, counted = "replacement", cur  # the new meter counted from zero
        else:
            kind, counted = "step_back", 0.0
        step[i] = counted
        events.append(CounterEvent(kind, float(t[i + 1]), prev, cur, counted))
    cum = np.concatenate([[0.0], np.cumsum(step)])
    return Unwrapped(t, cum, tuple(events))
