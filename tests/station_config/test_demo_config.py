"""The demo city (station_config/demo.yaml) loads cleanly and looks like Luoyang."""

from __future__ import annotations

import math
import re

import pytest

from station_config.loader import DEMO_CONFIG, load_network
from station_config.schema import NetworkDef


@pytest.fixture(scope="module")
def demo() -> NetworkDef:
    return load_network(DEMO_CONFIG)


def test_demo_size(demo: NetworkDef) -> None:
    assert len(demo.stations) >= 60
    assert {s.id for s in demo.sources} == {"yanshi_chp", "mengjin_chp", "xinan_chp"}
    assert {d.id for d in demo.districts} == {"jianxi", "xigong", "laocheng", "chanhe", "yibin"}
    assert demo.scan_groups["default"].period_s == 5.0


def test_every_district_has_stations(demo: NetworkDef) -> None:
    used = {s.district for s in demo.stations}
    assert used == {d.id for d in demo.districts}


def test_endpoints_unique_loopback_unprivileged(demo: NetworkDef) -> None:
    endpoints = [s.endpoint for s in demo.stations]
    assert len(set(endpoints)) == len(endpoints)
    assert len({s.host for s in demo.stations}) == len(demo.stations)  # one address each
    for s in demo.stations:
        assert re.fullmatch(r"127\.0\.1\.\d{1,3}", s.host or "")
        assert s.port == 1502


def test_station_ids_and_names(demo: NetworkDef) -> None:
    names = {d.id: d.name for d in demo.districts}
    for s in demo.stations:
        assert re.fullmatch(r"[a-z]{2}-\d{3}", s.id)
        assert s.name.startswith(names[s.district] + "·") and s.name.endswith("站")
    assert len({s.name for s in demo.stations}) == len(demo.stations)


def test_rooms_and_areas_realistic(demo: NetworkDef) -> None:
    for s in demo.stations:
        assert 10 <= s.rooms <= 240
        assert 20_000 <= s.area_m2 <= 200_000


def test_stations_near_their_district(demo: NetworkDef) -> None:
    centres = {d.id: d for d in demo.districts}
    for s in demo.stations:
        d = centres[s.district]
        assert math.dist(s.position, d.center) <= d.radius_km * 1.5, s.id


def test_trunks_are_long_and_reach_their_districts(demo: NetworkDef) -> None:
    sources = {s.id: s for s in demo.sources}
    for t in demo.trunks:
        assert t.source in sources
    mains = [t for t in demo.trunks if tuple(t.route[0]) == tuple(sources[t.source].position)]
    assert {t.source for t in mains} == set(sources)  # each plant has a trunk leaving it
    for t in mains:
        length = sum(math.dist(a, b) for a, b in zip(t.route, t.route[1:], strict=False))
        assert 15 <= length <= 60, (t.id, length)
    # Plants east, north and west of the city centre.
    pos = {s.id: s.position for s in demo.sources}
    assert pos["yanshi_chp"][0] > 20 and pos["mengjin_chp"][1] > 10 and pos["xinan_chp"][0] < -20


def test_only_jianxi_hangs_on_a_booster_pump(demo: NetworkDef) -> None:
    # cold_wave's dp_limit (the booster trip) acts on 涧西: the pre-heating plan's reserve.
    assert {d.id for d in demo.districts if d.booster} == {"jianxi"}
