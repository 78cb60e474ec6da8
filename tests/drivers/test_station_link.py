"""Reply checks of `drivers.station_link` over real TCP against the simulator's `bad_reply`
faults: every reply that is not the answer to the request asked (another transaction, unit or
function, a register count or byte count that disagrees) is a failed read with a short reason,
never GOOD, never a library traceback."""

from __future__ import annotations

import asyncio
import logging

import pytest

from drivers.poller import Poller
from drivers.samples import CommState, Quality
from drivers.simulator.faults import BAD_REPLY_MODES
from drivers.simulator.runner import Simulator
from drivers.station_link import ReplyKind, route_pymodbus_logging

REASONS = {  # what the console says about each simulator bad_reply mode
    "tid": "reply to transaction",
    "tid_zero": "reply to transaction 0",
    "unit": "reply from unit",
    "function": "function 4, asked 3",
    "count": "long reply",
    "byte_count": "byte count",
    "echo": "write echo names register 201, written 200",
}
WRITE_ONLY = {"echo"}  # corrupts FC06 echoes only


def test_every_bad_reply_mode_has_an_expected_reason() -> None:
    assert set(REASONS) == set(BAD_REPLY_MODES)


@pytest.mark.parametrize("mode", sorted(set(BAD_REPLY_MODES) - WRITE_ONLY))
async def test_every_mismatched_reply_is_a_failed_read(
    static_simulator: Simulator, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    net = static_simulator.network_with_endpoints()
    p = Poller(net, stations=["jx-001", "jx-002"])
    static_simulator.faults.set("jx-001", bad_reply=mode)
    try:
        with caplog.at_level(logging.DEBUG):
            bad = await p.scan_once("jx-001")
            good = await p.scan_once("jx-002")
        assert bad.comm == CommState.FAILED
        assert (bad.quality == Quality.COMM_FAIL).all()
        assert REASONS[mode] in bad.error
        assert good.comm == CommState.OK and good.worst_quality == Quality.GOOD
        # The library's complaint is one line of ours at most, never a traceback.
        assert not any(r.exc_info for r in caplog.records)
        assert "Traceback" not in caplog.text
        # The device is fine again: the next scan is GOOD (reconnect after a dropped link).
        static_simulator.faults.clear("jx-001")
        again = await p.scan_once("jx-001")
        assert again.comm == CommState.OK and again.worst_quality == Quality.GOOD, again.error
    finally:
        await p.stop()


@pytest.mark.parametrize("mode", ["tid_zero", "unit", "echo"])
async def test_a_mismatched_write_echo_is_never_done(
    static_simulator: Simulator, mode: str
) -> None:
    net = static_simulator.network_with_endpoints()
    p = Poller(net, stations=["xg-001"])
    try:
        assert (await p.scan_once("xg-001")).worst_quality == Quality.GOOD  # connected
        static_simulator.faults.set("xg-001", bad_reply=mode)
        w = await p.write("xg-001", "room_setpoint", 20.5)  # register 200
        assert not w.ok and w.sent and REASONS[mode] in w.message, w
        static_simulator.faults.clear("xg-001")
        await p.scan_once("xg-001")  # reconnect after the dropped link
        assert (await p.write("xg-001", "room_setpoint", 21.0)).ok
    finally:
        await p.stop()


async def test_bad_reply_is_counted_and_not_proof_of_a_working_link(
    static_simulator: Simulator,
) -> None:
    net = static_simulator.network_with_endpoints()
    p = Poller(net, stations=["xg-002"], backoff_base=0.2, backoff_cap=1.0)
    static_simulator.faults.set("xg-002", bad_reply="tid_zero")
    try:
        link = p.link("xg-002")
        assert await link.ensure_connected()
        reply = await link.read(0, 12)
        assert reply.kind == ReplyKind.SHORT and "transaction 0" in reply.error
        st = p.stats()["xg-002"]
        assert st.bad_replies == 1 and st.failures == 1
        # The socket was dropped to resynchronise, and the link backs off like a failed connect.
        assert not link.connected and link.conn.reconnect_in() > 0
    finally:
        await p.stop()


def test_pymodbus_log_is_routed_into_ours(caplog: pytest.LogCaptureFixture) -> None:
    route_pymodbus_logging()
    lg = logging.getLogger("pymodbus.logging")
    with caplog.at_level(logging.DEBUG, logger="drivers.station_link"):
        try:
            raise ValueError("boom")
        except ValueError:
            lg.error("Fatal thing\nsecond line", exc_info=True)
    recs = [r for r in caplog.records if r.name == "drivers.station_link"]
    assert [r.getMessage() for r in recs] == ["pymodbus: Fatal thing ValueError: boom"]
    assert recs[0].levelno == logging.DEBUG and not recs[0].exc_info
    assert not logging.getLogger("pymodbus").propagate


def _pymodbus_error() -> Exception:
    """A real exception raised inside pymodbus: a register reply whose byte count (9) claims
    more than the frame carries."""
    from pymodbus.pdu.register_message import ReadHoldingRegistersResponse

    try:
        ReadHoldingRegistersResponse().decode(b"\x09\x00\x01")
    except Exception as e:
        return e
    raise AssertionError("pymodbus accepted a byte count larger than the frame")


async def test_a_pymodbus_exception_reaching_asyncio_is_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The path of the original defect: an exception out of a protocol callback is logged by
    # asyncio's default handler with the traceback ("Fatal error: protocol.data_received()").
    route_pymodbus_logging()
    loop = asyncio.get_running_loop()
    with caplog.at_level(logging.DEBUG):
        loop.call_exception_handler(
            {"message": "Fatal error: protocol.data_received() call failed.",
             "exception": _pymodbus_error()}
        )  # fmt: skip
        loop.call_exception_handler({"message": "ours", "exception": ValueError("kept")})
    assert [r.name for r in caplog.records if r.exc_info] == ["asyncio"]  # only the foreign one
    ours = [r.getMessage() for r in caplog.records if r.name == "drivers.station_link"]
    assert len(ours) == 1 and ours[0].startswith("pymodbus: Fatal error: protocol.data_received")
    assert "ModbusIOException" in ours[0] and "byte_count 9" in ours[0]
