from __future__ import annotations

import pytest

from console.server.partition import Partition, PartitionError
from station_config.schema import NetworkDef


def test_default_is_the_whole_network(small_network: NetworkDef) -> None:
    p = Partition.parse(None)
    assert p.name == "all" and p.select(small_network) is small_network


def test_by_district_and_by_station_list(small_network: NetworkDef) -> None:
    north = Partition.parse("north=district:jianxi")
    assert north.name == "north"
    assert {s.district for s in north.select(small_network).stations} == {"jianxi"}
    one = Partition.parse("stations:xg-001")
    assert [s.id for s in one.select(small_network).stations] == ["xg-001"]
    # Districts, trunks and sources stay whole: the schematic draws the city around them.
    assert len(one.select(small_network).districts) == len(small_network.districts)


@pytest.mark.parametrize(
    "spec, words",
    [
        ("district:", "use all"),
        ("zone:a", "use all"),
        ("Bad Name=district:jx", "lower-case"),
    ],
)
def test_bad_specs_say_how(spec: str, words: str) -> None:
    with pytest.raises(PartitionError, match=words):
        Partition.parse(spec)


def test_unknown_ids_are_named(small_network: NetworkDef) -> None:
    with pytest.raises(PartitionError, match="not in the network: nowhere"):
        Partition.parse("district:nowhere").select(small_network)


def test_a_partition_keeps_each_station_s_identity(small_network: NetworkDef) -> None:
    """The device's station number defaults to its place in the whole network file."""
    south = Partition.parse("district:xigong").select(small_network)
    assert [(s.id, s.station_no) for s in south.stations] == [("xg-001", 3), ("xg-002", 4)]
