"""What the plan needs from the network file: each station's plant and transport delay.

The delay is the one the simulator's physics uses and a real network has: the trunk's length
over its water velocity, plus the distribution distance from the trunk's end to the station at
a slower velocity (drivers/simulator/physics/network.py computes the same from the same file).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from station_config.schema import NetworkDef

DIST_VELOCITY_M_S = 0.8  # distribution pipes are slower than the trunk
MIN_DELAY_H = 600.0 / 3600.0


@dataclass(frozen=True)
class StationPlace:
    station: str
    district: str
    trunk: str
    source: str | None  # the plant feeding its trunk; None when the file names none
    delay_h: float  # plant to station
    booster: bool = False  # its district hangs on a booster pump (planner: contingency reserve)


def places(net: NetworkDef) -> dict[str, StationPlace]:
    """Every station's plant and transport delay (h)."""
    trunks = {t.id: t for t in net.trunks}
    booster = {d.id for d in net.districts if d.booster}
    out = {}
    for s in net.stations:
        t = trunks.get(s.trunk)
        if t is None:
            out[s.id] = StationPlace(
                s.id, s.district, s.trunk, None, MIN_DELAY_H, s.district in booster
            )
            continue
        km = sum(math.dist(a, b) for a, b in pairwise(t.route))
        dist_km = math.dist(s.position, t.route[-1])
        delay_s = km * 1000.0 / t.velocity_m_s + dist_km * 1000.0 / DIST_VELOCITY_M_S
        delay_h = max(delay_s / 3600.0, MIN_DELAY_H)
        out[s.id] = StationPlace(s.id, s.district, t.id, t.source, delay_h, s.district in booster)
    return out


def capacities_mw(net: NetworkDef) -> dict[str, float]:
    """Each plant's rated heat output (MW), from the network file."""
    return {s.id: float(s.capacity_mw) for s in net.sources}
