"""The Modbus TCP server: PDU rules on a bare StationDevice, MBAP framing over real sockets."""

from __future__ import annotations

import asyncio
import struct

import pytest

from drivers.points import build_point_table
from drivers.simulator.modbus_server import StationDevice
from drivers.simulator.runner import Simulator
from station_config.schema import NetworkDef


def req(fc: int, a: int, b: int) -> bytes:
    return struct.pack(">BHH", fc, a, b)


def frame(tid: int, pdu: bytes, unit: int = 1, pid: int = 0) -> bytes:
    return struct.pack(">HHHB", tid, pid, len(pdu) + 1, unit) + pdu


@pytest.fixture
def device(small_network: NetworkDef) -> StationDevice:
    st = small_network.station("jx-001")  # 12 rooms
    dev = StationDevice(0, st.id, build_point_table(small_network.templates[st.template], st))
    dev.patch(9, 1)  # SCADA control
    return dev


def test_read_returns_image_words(device: StationDevice) -> None:
    device.patch(100, 0xFFCE)  # -5.0 °C
    device.patch(101, 952)
    assert device.handle(1, req(3, 100, 2)) == bytes([3, 4, 0xFF, 0xCE, 0x03, 0xB8])


@pytest.mark.parametrize(
    ("pdu", "code"),
    [
        (req(3, 0, 0), 3),
        (req(3, 400, 126), 3),
        (req(3, 10, 1), 2),
        (req(3, 9, 2), 2),
        (req(3, 412, 1), 2),  # room 12 of a 12-room station
        (req(3, 65535, 1), 2),
        (req(3, 65000, 125), 2),
        (req(4, 0, 1), 1),
        (req(16, 200, 1) + b"\x02\x00\xbe", 1),
        (bytes([0x2B, 0x0E, 0x01, 0x00]), 1),  # read device identification: not served
        (req(3, 0, 1)[:3], 3),  # truncated PDU
        (req(6, 0, 310), 2),  # device_type is read-only
        (req(6, 10, 0), 2),  # a hole
        (req(6, 200, 159), 3),
        (req(6, 204, 0xFF9B), 3),  # -101 = -10.1 K, below -10.0
    ],
)
def test_exceptions(device: StationDevice, pdu: bytes, code: int) -> None:
    assert device.handle(1, pdu) == bytes([(pdu[0] | 0x80) & 0xFF, code])


def test_write_patches_image_and_calls_hook(device: StationDevice) -> None:
    seen: list[tuple[int, str, float]] = []
    device.on_write = lambda i, name, v: seen.append((i, name, v))
    assert device.handle(1, req(6, 204, 0xFF9C)) == req(6, 204, 0xFF9C)  # echo
    assert device.word(204) == 0xFF9C
    assert seen == [(0, "curve_shift", pytest.approx(-10.0))]


def test_local_control_blocks_all_writes_but_register_9(device: StationDevice) -> None:
    assert device.handle(1, req(6, 9, 0)) == req(6, 9, 0)
    assert device.handle(1, req(6, 200, 190)) == bytes([0x86, 4])
    assert device.handle(1, req(6, 9, 1)) == req(6, 9, 1)
    assert device.handle(1, req(6, 200, 190)) == req(6, 200, 190)


def test_unit_mismatch_is_gateway_exception(device: StationDevice) -> None:
    assert device.handle(2, req(3, 0, 1)) == bytes([0x83, 0x0B])


def test_short_reply_is_correctly_framed(device: StationDevice) -> None:
    resp = device.handle(1, req(3, 400, 12), short=lambda n: n - 5)
    assert resp[:2] == bytes([3, 14]) and len(resp) == 16


# --- over TCP -----------------------------------------------------------------------------------
async def open_station(sim: Simulator, sid: str):
    host, port = sim.endpoints[sid]
    return await asyncio.open_connection(host, port)


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, int, bytes]:
    head = await asyncio.wait_for(reader.readexactly(7), 5)
    tid, pid, length, unit = struct.unpack(">HHHB", head)
    assert pid == 0
    return tid, unit, await asyncio.wait_for(reader.readexactly(length - 1), 5)


async def test_split_and_coalesced_frames(static_simulator: Simulator) -> None:
    r, w = await open_station(static_simulator, "jx-002")
    data = frame(1, req(3, 0, 1)) + frame(2, req(3, 11, 1)) + frame(3, req(3, 10, 1))
    # One byte at a time for the first frame, then the rest in one segment.
    for k in range(12):
        w.write(data[k : k + 1])
        await w.drain()
        await asyncio.sleep(0)
    w.write(data[12:])
    got = [await read_frame(r) for _ in range(3)]
    assert got == [
        (1, 1, bytes([3, 2, 0x01, 0x36])),  # 310
        (2, 1, bytes([3, 2, 0, 200])),  # 200 rooms
        (3, 1, bytes([0x83, 2])),
    ]
    w.close()


@pytest.mark.parametrize(
    "garbage",
    [
        frame(1, req(3, 0, 1), pid=1),  # bad protocol id
        struct.pack(">HHHB", 1, 0, 0, 1) + b"\x03",  # length 0
        struct.pack(">HHHB", 1, 0, 300, 1) + b"\x03" * 8,  # length > 254
        b"GET / HTTP/1.1\r\n\r\n",
    ],
)
async def test_garbage_closes_the_connection(static_simulator: Simulator, garbage: bytes) -> None:
    r, w = await open_station(static_simulator, "jx-001")
    w.write(garbage)
    assert await asyncio.wait_for(r.read(), 5) == b""  # EOF: the server closed
    w.close()
    # The station still serves new connections.
    r, w = await open_station(static_simulator, "jx-001")
    w.write(frame(9, req(3, 0, 1)))
    assert await read_frame(r) == (9, 1, bytes([3, 2, 0x01, 0x36]))
    w.close()


async def test_wrong_unit_over_tcp(static_simulator: Simulator) -> None:
    r, w = await open_station(static_simulator, "xg-001")
    w.write(frame(5, req(3, 0, 1), unit=3))
    assert await read_frame(r) == (5, 3, bytes([0x83, 0x0B]))
    w.close()


async def test_each_station_has_its_own_loopback_host(static_simulator: Simulator) -> None:
    hosts = {sid: ep[0] for sid, ep in static_simulator.endpoints.items()}
    assert hosts == {"jx-001": "127.0.77.1", "jx-002": "127.0.77.2", "xg-001": "127.0.77.3",
                     "xg-002": "127.0.77.4"}  # fmt: skip
    r, w = await open_station(static_simulator, "xg-002")
    w.write(frame(1, req(3, 11, 1)))
    assert (await read_frame(r))[2] == bytes([3, 2, 0, 240])
    w.close()
