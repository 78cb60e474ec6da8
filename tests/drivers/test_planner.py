"""Block planner: fewest reads of <= 125 registers that never touch an unserved address."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from drivers.planner import MAX_REGISTERS, plan_blocks, points_in_blocks
from drivers.points import build_point_table
from station_config.schema import PointDef, StationDef, TemplateDef


def station(rooms: int) -> StationDef:
    return StationDef(id="s", name="n", district="d", template="substation-v1", trunk="t",
                      host="127.0.0.1", rooms=rooms, position=(0, 0))  # fmt: skip


def test_substation_plan_matches_register_map(substation_template):
    blocks = plan_blocks(build_point_table(substation_template, station(200)))
    assert [(b.start, b.count) for b in blocks] == [
        (0, 10), (11, 1), (100, 26), (200, 14), (230, 9), (300, 12), (350, 1),
        (400, 125), (525, 75),
    ]  # fmt: skip


def test_no_rooms_no_room_reads(substation_template):
    blocks = plan_blocks(build_point_table(substation_template, station(0)))
    assert all(b.start < 400 for b in blocks)


@st.composite
def templates(draw):
    """Random register maps: points at random addresses with holes, 1- and 2-word types."""
    n = draw(st.integers(1, 60))
    addr = 0
    points = []
    for i in range(n):
        addr += draw(st.integers(0, 3))  # 0 = contiguous, else a hole
        typ = draw(st.sampled_from(["u16", "i16", "u32", "f32"]))
        group = draw(st.sampled_from(["a", "b"]))
        points.append(PointDef(name=f"p{i}", address=addr, type=typ, block=group))
        addr += 2 if typ in ("u32", "f32") else 1
    return TemplateDef(template="t", points=points)


@given(templates(), st.integers(2, MAX_REGISTERS))
def test_plan_is_sound(tpl, limit):
    table = build_point_table(tpl)
    served = set(table.served_addresses().tolist())
    blocks = plan_blocks(table, max_registers=limit)
    covered = []
    for b, idx in zip(blocks, points_in_blocks(table, blocks), strict=True):
        assert 1 <= b.count <= limit
        # Never touches a hole.
        assert set(range(b.start, b.end)) <= served
        # One read group per block.
        assert {table.block[i] for i in idx} == {b.group}
        covered.extend(idx.tolist())
    # Every point is read exactly once, whole.
    assert sorted(covered) == list(range(len(table)))
    # Fewest reads: adjacent blocks could not have been merged.
    for a, b in itertools.pairwise(blocks):
        assert not (a.end == b.start and a.group == b.group and b.end - a.start <= limit)


def test_points_table_room_addresses(substation_template):
    t = build_point_table(substation_template, station(5))
    rooms = t.indices("room_temp")
    assert t.address[rooms].tolist() == [400, 401, 402, 403, 404]
    assert np.all(t.sentinel[rooms] == 32767)
