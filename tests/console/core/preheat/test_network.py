"""Each station's plant and transport delay from the network file, as the physics has them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from console.core.preheat.network import capacities_mw, places
from drivers.simulator.physics import NetworkPhysics
from station_config.loader import load_network

ROOT = Path(__file__).resolve().parents[4]


def test_delays_and_plants_match_the_simulated_network() -> None:
    net = load_network(ROOT / "station_config/demo.yaml")
    ph = NetworkPhysics(net, seed=0, start=1_767_225_600.0)
    got = places(net)
    delays = np.array([got[s.id].delay_h for s in net.stations])
    np.testing.assert_allclose(delays, ph.delay_s / 3600.0, rtol=1e-9)
    trunk_source = {t.id: t.source for t in net.trunks}
    for s in net.stations:
        p = got[s.id]
        assert (p.district, p.trunk, p.source) == (s.district, s.trunk, trunk_source[s.trunk])
    # Long trunks take hours: the far west (新安) stations wait longer than the near north.
    assert delays.max() > 6.0 and delays.min() < 2.5
    assert capacities_mw(net) == {s.id: s.capacity_mw for s in net.sources}
