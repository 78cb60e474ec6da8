"""Shared helpers: the small test network and hand-built StationScans (no network I/O)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from console.core.alarms import AlarmEngine
from drivers.points import build_point_table
from drivers.samples import CommState, Quality, StationScan
from station_config.alarm_rules import RULE_DEFAULTS, AlarmConfig
from station_config.loader import load_network
from station_config.schema import NetworkDef

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "small_network.yaml"

NORMAL = {
    "mode": 1, "control_level": 1, "t3_secondary_supply": 60.0, "t3_setpoint_active": 60.0,
    "t3_dev_high": 5.0, "t3_dev_low": 5.0, "t3_dev_delay": 0, "p3_secondary_supply": 300,
    "p_secondary_low": 150, "p_secondary_high": 600, "p1_primary_supply": 800,
    "p2_primary_return": 400, "dp_primary_low": 100, "makeup_flow": 0.5,
    "makeup_flow_limit": 3.0, "room_low_limit": 18.0, "room_critical_limit": 16.0,
    "heartbeat": 1.7e9, "outdoor_temp": -5.0, "alarm_bits": 0, "sensor_fault_bits": 0,
}  # fmt: skip

# No delays, so each test sets exactly the timing it is about.
FAST = {r: {"on_delay_s": 0, "off_delay_s": 0} for r in RULE_DEFAULTS}


class Station:
    """A station's current values and qualities; `scan(t)` snapshots them."""

    def __init__(self, net: NetworkDef, sid: str) -> None:
        st = net.station(sid)
        self.id = sid
        self.table = build_point_table(net.templates[st.template], st)
        self.v = np.zeros(len(self.table))
        self.q = np.zeros(len(self.table), dtype=np.uint8)
        for k, x in NORMAL.items():
            self.v[self.table.index[k]] = x
        self.v[self.table.indices("room_temp")] = 20.0

    def set(self, name: str, value: float | None = None, quality: Quality = Quality.GOOD):
        i = self.table.index[name]
        if value is not None:
            self.v[i] = value
        self.q[i] = quality
        return self

    def scan(self, t: float, comm: CommState = CommState.OK, frozen: bool = False) -> StationScan:
        return StationScan(
            self.id,
            t,
            self.v.copy(),
            self.q.copy(),
            np.full(len(self.v), t),
            comm=comm,
            heartbeat_frozen=frozen,
        )


def config(**rules: dict) -> AlarmConfig:
    merged = {r: {**FAST[r], **rules.get(r, {})} for r in FAST}
    return AlarmConfig.model_validate({"rules": merged})


@pytest.fixture(scope="session")
def net() -> NetworkDef:
    return load_network(FIXTURE)


@pytest.fixture
def engine(net: NetworkDef) -> AlarmEngine:
    return AlarmEngine(net, config())


@pytest.fixture
def jx1(net: NetworkDef) -> Station:
    return Station(net, "jx-001")


@pytest.fixture
def make_engine(net: NetworkDef):
    """AlarmEngine(net) with zero delays plus the given rule overrides."""

    def make(**rules: dict) -> AlarmEngine:
        return AlarmEngine(net, config(**rules))

    return make


@pytest.fixture(scope="session")
def station(net: NetworkDef):
    return lambda sid: Station(net, sid)


@pytest.fixture(scope="session")
def station_of():
    """Station(net, sid) for another network than the fixture's (a generated city)."""
    return Station


@pytest.fixture(scope="session")
def fast_config() -> AlarmConfig:
    return config()
