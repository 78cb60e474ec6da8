"""The simulator against /work/shared/register-map.md *as written*, with an independent client.

The client is pyModbusTCP (not pymodbus, not our codec) over real TCP on 127.0.0.0/8. Every
expectation below is copied from the markdown, not read from our template, so a drift between
template, simulator and the contract fails here.
"""

from __future__ import annotations

import asyncio
import importlib.util
import struct
from collections.abc import AsyncIterator

import pytest
from pyModbusTCP.client import ModbusClient
from pyModbusTCP.constants import (
    EXP_DATA_ADDRESS,
    EXP_DATA_VALUE,
    EXP_GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND,
    EXP_ILLEGAL_FUNCTION,
    EXP_SLAVE_DEVICE_FAILURE,
)

from drivers.simulator.runner import Simulator
from drivers.simulator.static_physics import StaticPhysics
from station_config.schema import NetworkDef

# --- register-map.md, transcribed -------------------------------------------------------------
DEVICE_TYPE = 310
SENTINEL = 32767
# Served single/multi-register points: address -> registers (u32/f32 = 2).
SERVED: dict[int, int] = {a: 1 for a in (0, 1, 2, 5, 6, 7, 8, 9, 11)}
SERVED |= {3: 2}
SERVED |= {a: 1 for a in range(100, 118)} | {118: 2, 120: 2, 122: 2, 124: 1, 125: 1}
SERVED |= {a: 1 for a in range(200, 214)} | {a: 1 for a in range(230, 239)}
SERVED |= {a: 2 for a in range(300, 312, 2)} | {350: 1}
ROOM_BASE, ROOM_MAX = 400, 240
# RW registers and their raw ranges (engineering range / scale), as the markdown gives them.
RW_RANGES: dict[int, tuple[int, int]] = {
    8: (0, 4),
    9: (0, 1),
    200: (160, 240),
    201: (200, 950),
    202: (100, 600),
    203: (300, 950),
    204: (-100, 100),
    **{a: (200, 950) for a in range(205, 211)},
    211: (0, 1000),
    212: (0, 500),
    213: (100, 600),
    230: (0, 300),
    231: (0, 300),
    232: (0, 240),
    233: (0, 1000),
    234: (0, 1600),
    235: (0, 1000),
    236: (0, 10000),
    237: (100, 250),
    238: (80, 200),
    350: (0, 1),
}
# Temperatures that carry the 0x7FFF sentinel (i16, 0.1 °C).
T1_PRIMARY_SUPPLY = 101
# Station rooms in tests/fixtures/small_network.yaml.
ROOMS = {"jx-001": 12, "jx-002": 200, "xg-001": 0, "xg-002": 240}


def served_set(rooms: int) -> set[int]:
    out = {a + k for a, n in SERVED.items() for k in range(n)}
    return out | set(range(ROOM_BASE, ROOM_BASE + rooms))


def physics_kinds() -> list[str]:
    # The real physics is written in parallel; run against it whenever it is there.
    have = importlib.util.find_spec("drivers.simulator.physics") is not None
    return ["static", "real"] if have else ["static"]


@pytest.fixture(params=physics_kinds())
async def sim(
    request: pytest.FixtureRequest, small_network: NetworkDef
) -> AsyncIterator[Simulator]:
    physics = None
    if request.param == "static":
        physics = StaticPhysics(small_network, start=1_700_000_000.0)
    # A long tick period: the test steps time itself with sim.tick(), nothing moves behind it.
    async with Simulator(small_network, port=0, tick_s=3600.0, physics=physics) as s:
        yield s


def client(sim: Simulator, station: str, unit: int = 1) -> ModbusClient:
    host, port = sim.endpoints[station]
    assert host.startswith("127.")
    return ModbusClient(host=host, port=port, unit_id=unit, timeout=5.0, auto_open=True)


async def run(fn, *args):
    # pyModbusTCP is blocking; the simulator lives in this test's event loop.
    return await asyncio.to_thread(fn, *args)


def to_i16(w: int) -> int:
    return w - 0x10000 if w >= 0x8000 else w


def i16_word(v: int) -> int:
    return v & 0xFFFF


# --- identity -----------------------------------------------------------------------------------
async def test_identity(sim: Simulator) -> None:
    def check():
        for sid, rooms in ROOMS.items():
            c = client(sim, sid)
            regs = c.read_holding_registers(0, 10)
            assert regs is not None, c.last_error_as_txt
            assert regs[0] == DEVICE_TYPE
            assert regs[7] == 0  # alarm_bits_2 reserved
            assert 0 <= regs[8] <= 4 and regs[9] in (0, 1)
            assert c.read_holding_registers(11, 1) == [rooms]
            c.close()

    await run(check)


# --- holes ------------------------------------------------------------------------------------
@pytest.mark.parametrize("station", list(ROOMS))
async def test_every_address_up_to_700_is_served_or_a_hole(sim: Simulator, station: str) -> None:
    served = served_set(ROOMS[station])

    def check():
        c = client(sim, station)
        bad = []
        for a in range(700):
            r = c.read_holding_registers(a, 1)
            if a in served:
                if r is None or len(r) != 1:
                    bad.append((a, "not served", c.last_except_as_txt))
            elif r is not None or c.last_except != EXP_DATA_ADDRESS:
                bad.append((a, "hole answered", r, c.last_except))
        c.close()
        return bad

    assert await run(check) == []


async def test_block_reads_across_holes_answer_02(sim: Simulator) -> None:
    def check():
        c = client(sim, "jx-001")  # 12 rooms
        for start, count in [(0, 12), (9, 3), (100, 27), (199, 2), (205, 10), (213, 2), (229, 2)]:
            assert c.read_holding_registers(start, count) is None, (start, count)
            assert c.last_except == EXP_DATA_ADDRESS
        for start, count in [(238, 2), (311, 2), (349, 2), (350, 2), (400, 13), (411, 2)]:
            assert c.read_holding_registers(start, count) is None, (start, count)
            assert c.last_except == EXP_DATA_ADDRESS
        # Runs that lie wholly inside served registers answer.
        for start, count in [(0, 10), (100, 26), (200, 14), (230, 9), (300, 12), (400, 12)]:
            r = c.read_holding_registers(start, count)
            assert r is not None and len(r) == count, (start, count, c.last_except_as_txt)
        c.close()
        c = client(sim, "xg-002")  # 240 rooms: 400..639, 125 max per read
        assert len(c.read_holding_registers(400, 125)) == 125
        assert len(c.read_holding_registers(525, 115)) == 115
        assert c.read_holding_registers(525, 116) is None and c.last_except == EXP_DATA_ADDRESS
        c.close()

    await run(check)


async def test_count_limits(sim: Simulator) -> None:
    def check():
        c = client(sim, "xg-002")
        assert c.read_holding_registers(400, 125) is not None
        # pyModbusTCP refuses count > 125 itself; send the raw frame for 126 and 0.
        for count in (0, 126):
            assert c.custom_request(struct.pack(">BHH", 3, 400, count)) is None, count
            assert c.last_except == EXP_DATA_VALUE, count
        c.close()

    await run(check)


# --- functions ----------------------------------------------------------------------------------
async def test_fc04_and_fc16_are_illegal_functions(sim: Simulator) -> None:
    def check():
        c = client(sim, "jx-001")
        assert c.read_input_registers(0, 1) is None
        assert c.last_except == EXP_ILLEGAL_FUNCTION
        assert not c.write_multiple_registers(200, [190])
        assert c.last_except == EXP_ILLEGAL_FUNCTION
        assert c.read_coils(0, 1) is None and c.last_except == EXP_ILLEGAL_FUNCTION
        c.close()

    await run(check)


async def test_write_read_back_and_ranges(sim: Simulator) -> None:
    def check():
        c = client(sim, "jx-002")
        assert c.write_single_register(9, 1)  # SCADA control
        for addr, (lo, hi) in RW_RANGES.items():
            if addr == 9:
                continue
            for v in (lo, hi):
                assert c.write_single_register(addr, i16_word(v)), (addr, v, c.last_except_as_txt)
                assert to_i16(c.read_holding_registers(addr, 1)[0]) == v, (addr, v)
            for v in (lo - 1, hi + 1):
                if not -0x8000 <= v <= 0xFFFF:
                    continue
                assert not c.write_single_register(addr, i16_word(v)), (addr, v)
                assert c.last_except == EXP_DATA_VALUE, (addr, v)
        assert c.write_single_register(200, 215)
        assert c.read_holding_registers(200, 1) == [215]
        c.close()

    await run(check)


async def test_local_control_locks_writes_with_04(sim: Simulator) -> None:
    def check():
        c = client(sim, "jx-001")
        assert c.write_single_register(9, 1)
        assert c.write_single_register(200, 200)
        assert c.write_single_register(9, 0)  # a field engineer takes local control
        assert c.read_holding_registers(9, 1) == [0]
        for addr, v in [(200, 190), (8, 1), (350, 0), (211, 500)]:
            assert not c.write_single_register(addr, v)
            assert c.last_except == EXP_SLAVE_DEVICE_FAILURE, addr
        assert c.read_holding_registers(200, 1) == [200]  # unchanged
        assert not c.write_single_register(9, 2)  # register 9 itself: still range-checked
        assert c.last_except == EXP_DATA_VALUE
        assert c.write_single_register(9, 1)
        assert c.write_single_register(200, 190)
        c.close()

    await run(check)


async def test_unit_id_mismatch_answers_gateway_exception(sim: Simulator) -> None:
    def check():
        c = client(sim, "jx-001", unit=7)
        assert c.read_holding_registers(0, 1) is None
        assert c.last_except == EXP_GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND
        c.close()

    await run(check)


# --- encodings ----------------------------------------------------------------------------------
async def test_u32_high_word_first(sim: Simulator) -> None:
    def check():
        c = client(sim, "jx-001")
        hb = c.read_holding_registers(3, 2)
        meters = c.read_holding_registers(118, 6)
        c.close()
        return hb, meters

    hb, meters = await run(check)
    heartbeat = (hb[0] << 16) | hb[1]
    assert heartbeat == int(sim.physics.now)  # epoch seconds, high word first
    assert 1_000_000_000 < heartbeat < 4_000_000_000
    if isinstance(sim.physics, StaticPhysics):  # known values: 12345.67 GJ, 456789.1 m³, 321.09
        assert meters == [
            1234567 >> 16,
            1234567 & 0xFFFF,
            4567891 >> 16,
            4567891 & 0xFFFF,
            0,
            32109,
        ]


async def test_heartbeat_advances_every_second(static_simulator: Simulator) -> None:
    sim = static_simulator

    def read():
        c = client(sim, "xg-001")
        hb = c.read_holding_registers(3, 2)
        c.close()
        return (hb[0] << 16) | hb[1]

    first = await run(read)
    sim.tick(1.0)
    assert await run(read) == first + 1


async def test_f32_word_order_follows_register_350(sim: Simulator) -> None:
    def check():
        c = client(sim, "jx-002")
        assert c.write_single_register(9, 1)
        assert c.read_holding_registers(350, 1) == [1]  # the simulator defaults to CDAB
        cdab = c.read_holding_registers(300, 12)
        assert c.write_single_register(350, 0)
        abcd = c.read_holding_registers(300, 12)
        assert c.write_single_register(350, 1)
        c.close()
        return cdab, abcd

    cdab, abcd = await run(check)
    for k in range(0, 12, 2):
        a = struct.unpack(">f", struct.pack(">HH", abcd[k], abcd[k + 1]))[0]
        b = struct.unpack(">f", struct.pack(">HH", cdab[k + 1], cdab[k]))[0]
        # The same physical value both ways (the tick may move it by a float step in between).
        assert a == pytest.approx(b, rel=1e-3, abs=1e-3), k
        assert -1e3 < a < 1e8, (k, a)  # a sane meter value, not a byte-swapped one


async def test_sentinel_for_a_faulted_sensor(static_simulator: Simulator) -> None:
    sim = static_simulator
    i = sim.physics.station_ids.index("jx-001")
    sim.physics.fault(i, "t1_primary_supply")
    sim.physics.fault(i, "room_temp[3]")
    sim.tick(1.0)

    def check():
        c = client(sim, "jx-001")
        t = c.read_holding_registers(100, 7)
        rooms = c.read_holding_registers(400, 12)
        c.close()
        return t, rooms

    t, rooms = await run(check)
    assert t[T1_PRIMARY_SUPPLY - 100] == SENTINEL
    assert rooms[3] == SENTINEL
    assert all(
        to_i16(w) != SENTINEL and 100 <= to_i16(w) <= 300 for k, w in enumerate(rooms) if k != 3
    )
