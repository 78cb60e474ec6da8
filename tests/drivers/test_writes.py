"""Operator writes over loopback TCP: done + read-back, local rejection with nothing sent,
refusal by the device (local control, exception 04), and link down (no reply, never queued)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from drivers.poller import Poller
from drivers.simulator.runner import Simulator
from drivers.writes import WriteStatus


async def until(pred: Callable[[], bool], limit_s: float = 10.0, step: float = 0.05) -> None:
    for _ in range(int(limit_s / step)):
        if pred():
            return
        await asyncio.sleep(step)
    raise AssertionError("condition not reached")


@pytest.fixture
async def poller(static_simulator: Simulator):
    p = Poller(static_simulator.network_with_endpoints(), stations=["jx-001"])
    await p.scan_once("jx-001")  # connects
    try:
        yield p
    finally:
        await p.stop()


def device_value(sim: Simulator, sid: str, point: str) -> int:
    dev = sim.device(sid)
    return dev.word(int(dev.table.address[dev.table.index[point]]))


async def test_write_done_with_read_back(static_simulator: Simulator, poller: Poller) -> None:
    r = await poller.write("jx-001", "room_setpoint", 20.5)
    assert r.status == WriteStatus.DONE and r.ok and r.sent
    assert r.readback == pytest.approx(20.5)
    assert device_value(static_simulator, "jx-001", "room_setpoint") == 205
    assert static_simulator.physics.writes[-1] == (0, "room_setpoint", pytest.approx(20.5))
    # Signed values go out in two's complement and read back signed.
    r = await poller.write("jx-001", "curve_shift", -2.5)
    assert r.ok and r.readback == pytest.approx(-2.5)


@pytest.mark.parametrize(
    ("point", "value", "why"),
    [
        ("room_setpoint", 30.0, "outside the allowed range 16…24"),
        ("room_setpoint", 15.9, "outside the allowed range"),
        ("room_setpoint", 19.05, "not a multiple of the resolution 0.1"),
        ("room_setpoint", float("nan"), "not a finite number"),
        ("outdoor_temp", 10.0, "read-only"),
        ("heat_energy", 1.0, "read-only"),
        ("no_such_point", 1.0, "no point"),
        ("mode", 1.5, "not a multiple"),
    ],
)
async def test_rejected_locally_with_nothing_sent(
    static_simulator: Simulator, poller: Poller, point: str, value: float, why: str
) -> None:
    dev = static_simulator.device("jx-001")
    requests, writes = dev.requests, dev.writes
    r = await poller.write("jx-001", point, value)
    assert r.status == WriteStatus.REJECTED and not r.sent
    assert why in r.message
    assert (dev.requests, dev.writes) == (requests, writes)  # not one byte on the wire


async def test_local_control_refuses_with_code_04(
    static_simulator: Simulator, poller: Poller
) -> None:
    assert (await poller.write("jx-001", "control_level", 0)).ok  # the engineer takes over
    before = device_value(static_simulator, "jx-001", "room_setpoint")
    r = await poller.write("jx-001", "room_setpoint", 21.0)
    assert r.status == WriteStatus.REFUSED and r.exception_code == 4
    assert "local control" in r.message
    assert device_value(static_simulator, "jx-001", "room_setpoint") == before
    # Handing control back makes the same write go through.
    assert (await poller.write("jx-001", "control_level", 1)).ok
    assert (await poller.write("jx-001", "room_setpoint", 21.0)).ok


async def test_link_down_is_no_reply_and_never_queued(static_simulator: Simulator) -> None:
    net = static_simulator.network_with_endpoints()
    p = Poller(net, stations=["jx-002"], backoff_base=0.1, backoff_cap=0.3)
    dev = static_simulator.device("jx-002")
    try:
        await p.start()
        await until(lambda: p.stats()["jx-002"].connected)
        static_simulator.faults.set("jx-002", offline=True)
        await until(lambda: not p.stats()["jx-002"].connected)
        writes = dev.writes
        r = await p.write("jx-002", "room_setpoint", 22.0)
        assert r.status == WriteStatus.NO_REPLY and not r.sent
        assert "never queued" in r.message
        # The station comes back and is polled again: the write must not appear by itself.
        static_simulator.faults.clear("jx-002")
        await until(lambda: p.stats()["jx-002"].connected)
        mark = p.stats()["jx-002"].scans
        await until(lambda: p.stats()["jx-002"].scans >= mark + 2)
        assert dev.writes == writes
        assert device_value(static_simulator, "jx-002", "room_setpoint") == 190
    finally:
        await p.stop()


async def test_write_without_reply_is_reported_as_such(static_simulator: Simulator) -> None:
    net = static_simulator.network_with_endpoints()
    p = Poller(net, stations=["xg-001"])
    try:
        await p.scan_once("xg-001")
        static_simulator.faults.set("xg-001", drop=1.0)
        r = await p.write("xg-001", "t3_fixed_setpoint", 60.0)
        assert r.status == WriteStatus.NO_REPLY and r.sent
        assert "may or may not" in r.message
    finally:
        await p.stop()
