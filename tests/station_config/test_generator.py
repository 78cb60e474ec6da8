"""generate-network's logic: the full-size city loads, has ~200,000 points, and is reproducible."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drivers.points import build_point_table
from drivers.simulator.physics.design import Q_DESIGN
from station_config.generator import (
    MAX_STATIONS,
    apportion,
    generate_network,
    generate_stations,
    loopback_host,
)
from station_config.loader import DEMO_CONFIG, load_network
from station_config.schema import NetworkDef


@pytest.fixture(scope="module")
def full_city(tmp_path_factory: pytest.TempPathFactory) -> NetworkDef:
    # Written to a bare temp folder: the template must resolve from the package.
    out = tmp_path_factory.mktemp("gen") / "city.yaml"
    out.write_text(generate_network(757, rooms=200, seed=1), encoding="utf-8")
    return load_network(out)


def test_757_stations_load_with_about_200k_points(full_city: NetworkDef) -> None:
    assert len(full_city.stations) == 757
    points = sum(
        len(build_point_table(full_city.templates[s.template], s)) for s in full_city.stations
    )
    assert 190_000 <= points <= 210_000
    area = sum(s.area_m2 for s in full_city.stations)
    assert 50e6 <= area <= 70e6  # the reference city heats 60 million m²


def test_same_city_as_demo(full_city: NetworkDef) -> None:
    demo = load_network(DEMO_CONFIG)
    # The same plants, rated for the full city's design-day load (never below the demo's).
    pairs = list(zip(full_city.sources, demo.sources, strict=True))
    assert [s.model_copy(update={"capacity_mw": d.capacity_mw}) for s, d in pairs] == demo.sources
    assert all(s.capacity_mw >= d.capacity_mw for s, d in pairs)
    feeds = {t.id: t.source for t in full_city.trunks}
    for src in full_city.sources:
        area = sum(s.area_m2 for s in full_city.stations if feeds[s.trunk] == src.id)
        assert src.capacity_mw >= area * Q_DESIGN / 1e6, src.id
    assert full_city.trunks == demo.trunks
    assert full_city.districts == demo.districts


def test_unique_ids_names_endpoints(full_city: NetworkDef) -> None:
    st = full_city.stations
    for attr in ("id", "name", "host", "endpoint"):
        assert len({getattr(s, attr) for s in st}) == len(st), attr
    assert all(re.fullmatch(r"127\.0\.\d+\.\d+", s.host or "") and s.port == 1502 for s in st)
    assert {s.district for s in st} == {d.id for d in full_city.districts}


def test_rooms_within_template(full_city: NetworkDef) -> None:
    rooms = [s.rooms for s in full_city.stations]
    assert max(rooms) <= 240 and min(rooms) >= 10
    assert 190 <= sum(rooms) / len(rooms) <= 205


def test_deterministic_per_seed() -> None:
    a, b = generate_network(50, seed=7), generate_network(50, seed=7)
    assert a == b
    assert generate_network(50, seed=8) != a


def test_thousands_of_stations_get_unique_addresses() -> None:
    city = load_network(DEMO_CONFIG)
    hosts = [s.host for s in generate_stations(city, 5000, rooms=5)]
    assert len(set(hosts)) == 5000
    assert loopback_host(0) == "127.0.100.1" and loopback_host(254) == "127.0.101.1"
    with pytest.raises(ValueError):
        loopback_host(MAX_STATIONS)


def test_small_and_odd_sizes_load(tmp_path: Path) -> None:
    for n, rooms in ((1, 0), (7, 240), (200, 30)):
        f = tmp_path / f"n{n}.yaml"
        f.write_text(generate_network(n, rooms=rooms), encoding="utf-8")
        assert len(load_network(f).stations) == n


def test_bad_arguments() -> None:
    city = load_network(DEMO_CONFIG)
    with pytest.raises(ValueError):
        generate_stations(city, 0)
    with pytest.raises(ValueError):
        generate_stations(city, 10, rooms=241)


def test_apportion_is_exact() -> None:
    parts = apportion(757, {"a": 0.27, "b": 0.22, "c": 0.13, "d": 0.14, "e": 0.24})
    assert sum(parts.values()) == 757
    assert parts == apportion(757, {"a": 0.27, "b": 0.22, "c": 0.13, "d": 0.14, "e": 0.24})
