"""The six-point weather-compensation curve of substation-v1 (registers 205–210): the point
names and the outdoor temperature (°C) each gives T3 for. One table for the forecast model,
the heating-curve view and the energy panel."""

from __future__ import annotations

CURVE_POINTS: tuple[tuple[str, float], ...] = (
    ("curve_t3_at_m10", -10.0),
    ("curve_t3_at_m5", -5.0),
    ("curve_t3_at_0", 0.0),
    ("curve_t3_at_p5", 5.0),
    ("curve_t3_at_p10", 10.0),
    ("curve_t3_at_p15", 15.0),
)
