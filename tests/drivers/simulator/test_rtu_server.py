"""Modbus RTU end to end: the console's serial path (pymodbus AsyncModbusSerialClient) against
the simulator's devices served over RTU framing on a pseudo-terminal — a field engineer's USB
serial adapter without the hardware."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from drivers.codec import decode_image
from drivers.planner import plan_blocks
from drivers.poller import Poller
from drivers.samples import CommState, Quality
from drivers.simulator.rtu_server import RtuLine, crc16, frame, open_pty, request_length
from drivers.simulator.runner import Simulator
from drivers.simulator.static_physics import StaticPhysics
from drivers.writes import WriteStatus
from station_config.schema import NetworkDef

START = 1_700_000_000.0


def test_crc16_known_vector():
    # Read 2 holding registers from 0 at unit 1: the classic example frame 01 03 00 00 00 02 C4 0B
    body = bytes.fromhex("010300000002")
    assert struct.pack("<H", crc16(body)) == bytes.fromhex("C40B")
    assert frame(1, body[1:]) == bytes.fromhex("010300000002C40B")


def test_request_length_by_function_code():
    assert request_length(b"\x01") is None
    assert request_length(bytes.fromhex("0103")) == 8
    assert request_length(bytes.fromhex("0110000000")) is None
    assert request_length(bytes.fromhex("01100000000204")) == 13


@pytest.fixture
def rtu_network(small_network: NetworkDef):
    """jx-001 (unit 1) and xg-001 (unit 2) behind one serial line on a pty."""
    physics = StaticPhysics(small_network, seed=0, start=START)
    sim = Simulator(small_network, seed=0, port=0, physics=physics)
    sim.build()
    pty = open_pty()
    a, b = sim.device("jx-001"), sim.device("xg-001")
    a.unit, b.unit = 1, 2
    stations = []
    for s in small_network.stations:
        if s.id in ("jx-001", "xg-001"):
            unit = 1 if s.id == "jx-001" else 2
            s = s.model_copy(update={"host": None, "serial": pty.path, "unit": unit})
        stations.append(s)
    net = small_network.model_copy(update={"stations": stations})
    line = RtuLine(pty.master, {1: a, 2: b})
    yield net, line, sim
    line.stop()
    pty.close()


async def test_poller_reads_two_units_over_one_serial_line(rtu_network):
    net, line, sim = rtu_network
    line.start()
    poller = Poller(net, stations=["jx-001", "xg-001"])
    try:
        for sid in ("jx-001", "xg-001"):
            scan = await poller.scan_once(sid)
            assert scan.comm == CommState.OK, scan.error
            dev = sim.device(sid)
            want, _ = decode_image(dev.table, dev.image.astype(np.uint16), 1)
            good = scan.quality == Quality.GOOD
            assert good.sum() > 0.9 * len(good)
            np.testing.assert_allclose(scan.values[good], want[good])
        # Both stations share the line: one connection, one request in flight.
        assert len(poller._connections) == 1
        result = await poller.write("xg-001", "room_setpoint", 20.5)
        assert result.status == WriteStatus.DONE and result.readback == pytest.approx(20.5)
    finally:
        await poller.stop()
    # Every planned block read of both stations, the write and its read-back; no noise.
    reads = sum(len(plan_blocks(sim.device(s).table)) for s in ("jx-001", "xg-001"))
    assert line.frames == reads + 2 and line.crc_errors == 0


async def test_unit_nobody_has_gets_no_reply(rtu_network):
    net, line, _ = rtu_network
    line.start()
    ghost = net.station("jx-001").model_copy(update={"id": "ghost", "unit": 9})
    net = net.model_copy(update={"stations": [ghost]})
    poller = Poller(net)
    try:
        scan = await poller.scan_once("ghost")
    finally:
        await poller.stop()
    assert scan.comm == CommState.FAILED
    assert (scan.quality == Quality.COMM_FAIL).all()
