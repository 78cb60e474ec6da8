"""Fault injection: deterministic decisions, expiry, and what a client sees over TCP."""

from __future__ import annotations

import asyncio
import struct

import pytest

from drivers.simulator.faults import FaultInjector, StationFaults
from drivers.simulator.runner import Simulator


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def decisions(f: StationFaults, n: int = 200) -> list[tuple[float | None, int]]:
    return [(f.reply_delay(), f.short_count(10)) for _ in range(n)]


def test_same_seed_same_decisions() -> None:
    kw = {"latency_ms": 20.0, "jitter": 0.5, "drop": 0.3, "short_reply": 0.2}
    a, b, c = (StationFaults("jx-001", seed) for seed in (1, 1, 2))
    for f in (a, b, c):
        f.set(**kw)
    da, db, dc = decisions(a), decisions(b), decisions(c)
    assert da == db
    assert da != dc
    delays = [d for d, _ in da if d is not None]
    assert all(0.010 <= d <= 0.030 for d in delays)  # 20 ms ± 50 %
    assert 20 < sum(d is None for d, _ in da) < 100  # about 30 % dropped
    assert any(n < 10 for _, n in da) and all(0 < n <= 10 for _, n in da)


def test_no_fault_is_inactive_and_immediate() -> None:
    f = StationFaults("x", 0)
    assert not f.active
    assert f.reply_delay() == 0.0 and f.short_count(7) == 7


def test_duration_expires_and_clear() -> None:
    clock = FakeClock()
    inj = FaultInjector(["a", "b"], seed=0, clock=clock)
    inj.set("a", offline=True, duration_s=10)
    inj.set("a", drop=0.5)  # no duration: until cleared
    inj.set("b", heartbeat_freeze=True)
    assert set(inj.active()) == {"a", "b"}
    assert inj["a"].reply_delay() is None
    clock.t += 10
    assert not inj.get("a").offline and inj.get("a").drop == 0.5
    inj.clear("a")
    assert set(inj.active()) == {"b"}
    inj.clear()
    assert inj.active() == {}


def test_bad_values_are_refused() -> None:
    inj = FaultInjector(["a"])
    with pytest.raises(ValueError):
        inj.set("a", drop=1.5)
    with pytest.raises(ValueError):
        inj.set("a", jitter=-0.1)
    with pytest.raises(KeyError):
        inj.set("nope", drop=0.1)
    with pytest.raises(ValueError):
        inj.clear("a", "bogus")


# --- over TCP -----------------------------------------------------------------------------------
def frame(tid: int, fc: int, a: int, b: int) -> bytes:
    return struct.pack(">HHHBBHH", tid, 0, 6, 1, fc, a, b)


async def exchange(sim: Simulator, sid: str, tid: int, a: int, n: int, timeout: float = 5.0):
    """One FC03 on a fresh connection -> (pdu | None on timeout/EOF)."""
    host, port = sim.endpoints[sid]
    r, w = await asyncio.open_connection(host, port)
    try:
        w.write(frame(tid, 3, a, n))
        head = await asyncio.wait_for(r.readexactly(7), timeout)
        length = struct.unpack(">HHHB", head)[2]
        return await asyncio.wait_for(r.readexactly(length - 1), timeout)
    except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
        return None
    finally:
        w.close()


async def test_drop_swallows_requests(static_simulator: Simulator) -> None:
    sim = static_simulator
    sim.faults.set("jx-001", drop=1.0)
    assert await exchange(sim, "jx-001", 1, 0, 1, timeout=0.3) is None
    assert await exchange(sim, "jx-002", 1, 0, 1) is not None  # other stations unaffected
    sim.faults.clear("jx-001")
    assert await exchange(sim, "jx-001", 2, 0, 1) == bytes([3, 2, 0x01, 0x36])


async def test_offline_closes_new_connections_and_silences_old(static_simulator: Simulator) -> None:
    sim = static_simulator
    host, port = sim.endpoints["xg-001"]
    r_old, w_old = await asyncio.open_connection(host, port)
    sim.faults.set("xg-001", offline=True)
    # A new connection is closed at once.
    r, w = await asyncio.open_connection(host, port)
    assert await asyncio.wait_for(r.read(), 5) == b""
    w.close()
    # The old one stays open but gets no answer.
    w_old.write(frame(1, 3, 0, 1))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(r_old.readexactly(7), 0.3)
    sim.faults.clear("xg-001", "offline")
    w_old.write(frame(2, 3, 0, 1))
    head = await asyncio.wait_for(r_old.readexactly(9), 5)
    assert struct.unpack(">H", head[:2])[0] == 2  # the swallowed tid 1 never comes
    w_old.close()


async def test_latency_still_answers(static_simulator: Simulator) -> None:
    sim = static_simulator
    sim.faults.set("jx-002", latency_ms=30, jitter=0.5)
    assert await exchange(sim, "jx-002", 7, 11, 1) == bytes([3, 2, 0, 200])


async def test_short_reply_over_tcp(static_simulator: Simulator) -> None:
    sim = static_simulator
    sim.faults.set("xg-002", short_reply=1.0)
    pdu = await exchange(sim, "xg-002", 3, 400, 100)
    assert pdu is not None and pdu[0] == 3
    assert pdu[1] < 200 and len(pdu) == 2 + pdu[1]  # fewer registers, consistent byte count
    sim.faults.clear("xg-002")
    pdu = await exchange(sim, "xg-002", 4, 400, 100)
    assert pdu[1] == 200


async def test_heartbeat_freeze(static_simulator: Simulator) -> None:
    sim = static_simulator

    async def heartbeat() -> int:
        pdu = await exchange(sim, "jx-001", 1, 3, 2)
        return struct.unpack(">I", pdu[2:6])[0]

    sim.tick(1.0)
    h0 = await heartbeat()
    sim.faults.set("jx-001", heartbeat_freeze=True)
    sim.tick(5.0)
    assert await heartbeat() == h0  # frozen...
    assert (await exchange(sim, "jx-002", 1, 3, 2))[2:6] != (h0).to_bytes(4, "big")
    sim.faults.clear("jx-001")
    sim.tick(1.0)
    assert await heartbeat() == h0 + 6  # ...and the device clock went on underneath


async def exchange_frame(sim: Simulator, sid: str, tid: int, a: int, n: int) -> tuple:
    """One FC03 on a fresh connection -> (tid, unit, pdu) as the device framed them."""
    host, port = sim.endpoints[sid]
    r, w = await asyncio.open_connection(host, port)
    try:
        w.write(frame(tid, 3, a, n))
        head = await asyncio.wait_for(r.readexactly(7), 5)
        rtid, _, length, unit = struct.unpack(">HHHB", head)
        return rtid, unit, await asyncio.wait_for(r.readexactly(length - 1), 5)
    finally:
        w.close()


ID_WORDS = bytes([0x01, 0x36, 0x02, 0x07])  # device_type 310, firmware 2.7
CLEAN = (7, 1, bytes([3, 4]) + ID_WORDS)


@pytest.mark.parametrize(
    ("mode", "expect"),
    [
        ("tid", (8, 1, CLEAN[2])),
        ("tid_zero", (0, 1, CLEAN[2])),
        ("unit", (7, 2, CLEAN[2])),
        ("function", (7, 1, bytes([4, 4]) + ID_WORDS)),
        ("count", (7, 1, bytes([3, 6]) + ID_WORDS + bytes(2))),
        ("byte_count", (7, 1, bytes([3, 6]) + ID_WORDS)),  # claims 6 bytes, carries 4
    ],
)
async def test_bad_reply_modes_over_tcp(static_simulator: Simulator, mode: str, expect) -> None:
    sim = static_simulator
    assert await exchange_frame(sim, "jx-001", 7, 0, 2) == CLEAN
    sim.faults.set("jx-001", bad_reply=mode)
    assert sim.faults.get("jx-001").bad_reply == mode
    assert await exchange_frame(sim, "jx-001", 7, 0, 2) == expect
    assert await exchange_frame(sim, "jx-002", 7, 0, 2) == CLEAN  # others unaffected
    sim.faults.clear("jx-001", "bad_reply")
    assert await exchange_frame(sim, "jx-001", 7, 0, 2) == CLEAN


async def test_answer_as_serves_the_other_stations_registers(static_simulator: Simulator) -> None:
    sim = static_simulator
    own = await exchange(sim, "jx-001", 1, 0, 3)  # device_type, firmware, station_no
    other = await exchange(sim, "xg-002", 1, 0, 3)
    assert own is not None and other is not None and own != other
    assert own[-2:] == bytes([0, 1]) and other[-2:] == bytes([0, 4])
    sim.faults.set("jx-001", answer_as="xg-002")
    assert await exchange(sim, "jx-001", 2, 0, 3) == other
    # Its rooms too: xg-002 has 240 rooms where jx-001 serves 12.
    assert await exchange(sim, "jx-001", 3, 400 + 200, 10) is not None
    sim.faults.clear("jx-001", "answer_as")
    assert await exchange(sim, "jx-001", 4, 0, 3) == own


def test_new_fault_values_are_checked() -> None:
    inj = FaultInjector(["a", "b"])
    with pytest.raises(ValueError, match="bad_reply='nonsense' is not one of"):
        inj.set("a", bad_reply="nonsense")
    with pytest.raises(KeyError, match="no station 'zz'"):
        inj.set("a", answer_as="zz")
    inj.set("a", answer_as="b", duration_s=5)
    assert inj.get("a").answer_as == "b" and inj.get("a").any
    inj.clear("a")
    assert not inj.get("a").any


async def test_echo_mode_names_another_register(static_simulator: Simulator) -> None:
    sim = static_simulator
    sim.faults.set("xg-001", bad_reply="echo")
    host, port = sim.endpoints["xg-001"]
    r, w = await asyncio.open_connection(host, port)
    try:
        w.write(frame(5, 6, 200, 205))  # room_setpoint := 20.5 °C
        head = await asyncio.wait_for(r.readexactly(7), 5)
        pdu = await asyncio.wait_for(r.readexactly(struct.unpack(">HHHB", head)[2] - 1), 5)
    finally:
        w.close()
    assert pdu == struct.pack(">BHH", 6, 201, 205)  # the write happened; the echo lies
    assert sim.device("xg-001").word(200) == 205
