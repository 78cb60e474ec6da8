"""The poller against the simulator over real TCP on loopback (127.0.77.x, ephemeral ports).

Values are checked against what the simulator holds, passed through the codec (StaticPhysics:
every register is a known constant; its heartbeat advances with a fast tick). Timing claims are
checked as ratios of scan counts over the same window, never against wall-clock thresholds;
every wait is a bounded loop.
"""

from __future__ import annotations

import asyncio
import socket
from collections import defaultdict
from collections.abc import AsyncIterator, Callable

import numpy as np
import pytest

from drivers.codec import decode_image, encode_image
from drivers.poller import Poller, poll_once
from drivers.samples import CommState, Quality, StationScan
from drivers.simulator.runner import Simulator
from drivers.simulator.static_physics import StaticPhysics
from drivers.station_link import default_client_factory
from station_config.schema import NetworkDef, PointDef, ScanGroup

START_EPOCH = 1_700_000_000.0


@pytest.fixture
async def live_sim(small_network: NetworkDef) -> AsyncIterator[Simulator]:
    """Known constant values, heartbeat advancing in real time (tick every 0.2 s)."""
    physics = StaticPhysics(small_network, seed=0, start=START_EPOCH)
    sim = Simulator(small_network, seed=0, port=0, tick_s=0.2, physics=physics)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


class Collector:
    def __init__(self) -> None:
        self.scans: dict[str, list[StationScan]] = defaultdict(list)

    def __call__(self, scan: StationScan) -> None:
        self.scans[scan.station_id].append(scan)

    def count(self, sid: str) -> int:
        return len(self.scans[sid])

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.scans.items()}

    def last(self, sid: str) -> StationScan:
        return self.scans[sid][-1]


async def until(pred: Callable[[], bool], limit_s: float = 10.0, step: float = 0.05) -> None:
    """Wait (bounded) until `pred()` holds; fail the test if it never does."""
    for _ in range(int(limit_s / step)):
        if pred():
            return
        await asyncio.sleep(step)
    raise AssertionError("condition not reached")


def fast_groups(net: NetworkDef) -> NetworkDef:
    """The same network scanned every 0.25 s (timeout 0.2 s), to keep timing tests short."""
    group = ScanGroup(period_s=0.25, timeout_s=0.2, stale_after_scans=3)
    return net.model_copy(update={"scan_groups": {"default": group}})


def expected_values(sim: Simulator, sid: str) -> np.ndarray:
    """What a perfect client decodes from the simulator's current image of `sid`."""
    i = sim.physics.station_ids.index(sid)
    table = sim.physics.tables[i]
    values = sim.physics.values(i)
    order = int(values[table.word_order_index])
    img = encode_image(table, values, order)
    decoded, _ = decode_image(table, img, order)
    return decoded


async def test_values_decoded_equal_what_the_simulator_holds(static_simulator: Simulator) -> None:
    net = static_simulator.network_with_endpoints()
    scans = await poll_once(net)
    assert [s.station_id for s in scans] == [s.id for s in net.stations]
    for scan in scans:
        assert scan.comm == CommState.OK, scan.error
        assert scan.worst_quality == Quality.GOOD
        exp = expected_values(static_simulator, scan.station_id)
        np.testing.assert_array_equal(scan.values, exp)
        assert not np.isnan(scan.value_time).any()
    # f32 meter values come through the device's word order (CDAB by default).
    t = Poller(net).tables["jx-002"]
    assert scans[1].values[t.index["meter_energy"]] == pytest.approx(12345.75)
    assert scans[1].values[t.index["room_temp[199]"]] == pytest.approx(
        expected_values(static_simulator, "jx-002")[t.index["room_temp[199]"]]
    )


async def test_word_order_change_is_followed_in_the_same_scan(static_simulator: Simulator) -> None:
    net = static_simulator.network_with_endpoints()
    p = Poller(net)
    try:
        w = await p.write("jx-001", "float_word_order", 0)  # not connected yet: refused
        assert not w.ok
        await p.scan_once("jx-001")
        assert (await p.write("jx-001", "float_word_order", 0)).ok
        scan = await p.scan_once("jx-001")
        t = p.tables["jx-001"]
        assert scan.values[t.index["meter_power"]] == pytest.approx(1840.5)
        assert scan.values[t.index["float_word_order"]] == 0
    finally:
        await p.stop()


async def test_sensor_sentinel_is_sensor_fault(static_simulator: Simulator) -> None:
    i = static_simulator.physics.station_ids.index("xg-002")
    static_simulator.physics.fault(i, "t1_primary_supply")
    static_simulator.physics.fault(i, "outdoor_temp")
    static_simulator.tick(0.0)  # re-encode the images now
    net = static_simulator.network_with_endpoints()
    scan = (await poll_once(net, stations=["xg-002"]))[0]
    t = Poller(net).tables["xg-002"]
    for name in ("t1_primary_supply", "outdoor_temp"):
        assert scan.quality[t.index[name]] == Quality.SENSOR_FAULT
        assert np.isnan(scan.values[t.index[name]])
    assert scan.quality[t.index["t2_primary_return"]] == Quality.GOOD
    assert scan.comm == CommState.OK


async def test_offline_station_keeps_last_values_and_others_keep_cadence(
    live_sim: Simulator,
) -> None:
    net = fast_groups(live_sim.network_with_endpoints())
    col = Collector()
    p = Poller(net, on_scan=col, backoff_base=0.2, backoff_cap=1.0)
    await p.start()
    try:
        await until(lambda: all(col.count(s.id) >= 2 for s in net.stations))
        good = col.last("jx-002")
        assert good.worst_quality == Quality.GOOD
        live_sim.faults.set("jx-002", offline=True)
        # Let the offline state settle, then count scans over one common window.
        await until(lambda: col.last("jx-002").comm == CommState.FAILED)
        before = col.counts()
        ref = "xg-002"
        await until(lambda: col.count(ref) >= before[ref] + 8, limit_s=15)
        after = col.counts()
        n = {sid: after[sid] - before[sid] for sid in after}
        healthy = [n[s] for s in ("jx-001", "xg-001", "xg-002")]
        assert min(healthy) / max(healthy) >= 0.75  # same cadence among the healthy ones
        # The dead station is scanned on its own cadence too (timeout < period), not slower.
        assert n["jx-002"] / max(healthy) >= 0.75
        for sid in ("jx-001", "xg-001", "xg-002"):
            recent = col.scans[sid][before[sid] :]
            assert all(s.comm == CommState.OK for s in recent), sid
        bad = col.last("jx-002")
        assert bad.comm == CommState.FAILED and bad.error
        assert (bad.quality == Quality.COMM_FAIL).all()
        # Last known values and their times are kept, not cleared.
        np.testing.assert_array_equal(bad.values, good.values)
        assert (bad.value_time <= good.value_time).all()
        assert (bad.value_time >= good.time - 60).all()
        st = p.stats("jx-002")["jx-002"]
        assert st.failures > 0 and not st.connected and st.last_error
    finally:
        await p.stop()


async def test_slow_station_does_not_delay_the_others(live_sim: Simulator) -> None:
    net = fast_groups(live_sim.network_with_endpoints())
    col = Collector()
    # 100 ms per reply (< 200 ms timeout): one scan of jx-002 (9 reads) takes ~0.9 s,
    # almost four times its 0.25 s period.
    live_sim.faults.set("jx-002", latency_ms=100)
    p = Poller(net, on_scan=col)
    await p.start()
    try:
        await until(lambda: col.count("jx-002") >= 1, limit_s=15)
        before = col.counts()
        await until(lambda: col.count("jx-002") >= before["jx-002"] + 2, limit_s=15)
        after = col.counts()
        n = {sid: after[sid] - before[sid] for sid in after}
        others = [n[s] for s in ("jx-001", "xg-001", "xg-002")]
        assert min(others) / max(others) >= 0.75
        assert min(others) >= 3 * n["jx-002"]  # the others ran ~4 scans per slow one
        slow = col.scans["jx-002"][-1]
        assert slow.comm == CommState.OK and slow.worst_quality == Quality.GOOD
        fast = max(s.duration for sid in ("jx-001", "xg-002") for s in col.scans[sid][2:])
        assert fast < slow.duration / 10
        st = p.stats("jx-002")["jx-002"]
        assert st.overruns > 0  # skipped ticks, not a queue of late scans
        assert st.latency_avg > 10 * p.stats("xg-002")["xg-002"].latency_avg
    finally:
        await p.stop()


async def test_dropped_replies_fail_that_scan_then_recover(live_sim: Simulator) -> None:
    net = live_sim.network_with_endpoints()
    col = Collector()
    p = Poller(net, on_scan=col, stations=["jx-001"], backoff_base=0.1, backoff_cap=0.5)
    await p.start()
    try:
        await until(lambda: col.count("jx-001") >= 1 and col.last("jx-001").comm == CommState.OK)
        live_sim.faults.set("jx-001", drop=1.0)
        await until(lambda: col.last("jx-001").comm == CommState.FAILED)
        failed = col.last("jx-001")
        assert "no reply" in failed.error or "connection lost" in failed.error
        assert (failed.quality == Quality.COMM_FAIL).any()
        assert failed.requests == failed.failed_requests == 1  # stopped at the first silence
        live_sim.faults.clear("jx-001")
        await until(lambda: col.last("jx-001").worst_quality == Quality.GOOD)
        assert p.stats()["jx-001"].timeouts >= 1
    finally:
        await p.stop()


async def test_short_reply_is_a_failed_read(static_simulator: Simulator) -> None:
    net = static_simulator.network_with_endpoints()
    static_simulator.faults.set("jx-002", short_reply=1.0)
    p = Poller(net, stations=["jx-002"])
    try:
        scan = await p.scan_once("jx-002")
        t = p.tables["jx-002"]
        assert scan.comm == CommState.FAILED
        assert "short reply" in scan.error
        # Every multi-register block came back short; single-register blocks (the word order)
        # short to 0 registers: nothing may be GOOD, nothing may be decoded from a stub.
        assert (scan.quality == Quality.COMM_FAIL).all()
        assert np.isnan(scan.values[t.index["t1_primary_supply"]])
        assert p.stats()["jx-002"].short_replies == scan.failed_requests == scan.requests
    finally:
        await p.stop()


def with_ghost_point(net: NetworkDef, address: int, block: str) -> NetworkDef:
    """`net` with a point `ghost` at a hole of the register map, read in `block`."""
    tpl = net.templates["substation-v1"]
    ghost = PointDef(name="ghost", address=address, block=block)
    bad_tpl = tpl.model_copy(update={"points": [*tpl.points, ghost]})
    return net.model_copy(update={"templates": {"substation-v1": bad_tpl}})


async def test_exception_reply_is_reported_with_its_code(
    small_network: NetworkDef, static_simulator: Simulator
) -> None:
    # A table with a point in the hole at register 126: the process block 100..126 spans it.
    net = with_ghost_point(static_simulator.network_with_endpoints(), 126, "process")
    p = Poller(net, stations=["xg-001"])
    try:
        scan = await p.scan_once("xg-001")
        t = p.tables["xg-001"]
        assert scan.extra["exceptions"] == [(100, 27, 2)]
        assert "exception 02 (illegal data address)" in scan.error
        assert scan.comm == CommState.OK  # the device answered: the link is fine
        assert scan.quality[t.index["t1_primary_supply"]] == Quality.COMM_FAIL
        assert scan.quality[t.index["ghost"]] == Quality.COMM_FAIL
        assert scan.quality[t.index["heartbeat"]] == Quality.GOOD
        assert p.stats()["xg-001"].exceptions == 1
    finally:
        await p.stop()


async def test_values_wait_for_the_identity_after_a_connect(static_simulator: Simulator) -> None:
    # The identity block (0..11) spans a hole now: answered with exception 02 on every scan,
    # so the device never proves who it is and none of its values is taken.
    net = with_ghost_point(static_simulator.network_with_endpoints(), 10, "identity")
    p = Poller(net, stations=["xg-001"])
    try:
        scan = await p.scan_once("xg-001")
        assert scan.extra["exceptions"] == [(0, 12, 2)]
        assert "identity not confirmed" in scan.error
        assert (scan.quality == Quality.COMM_FAIL).all()
        assert np.isnan(scan.values).all()
    finally:
        await p.stop()


async def test_wrong_device_is_its_own_quality_and_nothing_it_sends_is_used(
    static_simulator: Simulator,
) -> None:
    sim = static_simulator
    net = sim.network_with_endpoints()
    col = Collector()
    p = Poller(net, on_scan=col, stations=["jx-001"])
    try:
        good = await p.scan_once("jx-001")
        assert good.worst_quality == Quality.GOOD
        # Same connection: the device behind it changes (a swapped gateway port).
        sim.faults.set("jx-001", answer_as="xg-002")
        wrong = await p.scan_once("jx-001")
        assert p.link("jx-001").conn.generation == 1  # no reconnect: checked on every scan
        assert wrong.comm == CommState.WRONG_DEVICE
        assert (wrong.quality == Quality.WRONG_DEVICE).all()
        assert wrong.worst_quality == Quality.WRONG_DEVICE
        assert wrong.error.startswith("wrong device: expected station 1, found 4")
        np.testing.assert_array_equal(wrong.values, good.values)  # the right device's, kept
        np.testing.assert_array_equal(wrong.value_time, good.value_time)
        assert p.stats()["jx-001"].last_error.startswith("wrong device")
        w = await p.write("jx-001", "room_setpoint", 20.0)  # never into another's device
        assert not w.sent and "wrong device" in w.message
        assert sim.device("xg-002").writes == 0
        # A reconnect does not make it right either.
        p.link("jx-001").conn.drop()
        again = await p.scan_once("jx-001")
        assert again.comm == CommState.WRONG_DEVICE and p.link("jx-001").conn.generation == 2
        sim.faults.clear("jx-001", "answer_as")
        back = await p.scan_once("jx-001")
        assert back.comm == CommState.OK and back.worst_quality == Quality.GOOD
        np.testing.assert_array_equal(back.values, expected_values(sim, "jx-001"))
    finally:
        await p.stop()


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("station_no", 12, "wrong device: expected station 12, found 2"),
        ("device_type", 311, "wrong device: expected device type 311, found 310"),
    ],
)
async def test_identity_mismatch_from_the_first_connect(
    static_simulator: Simulator, field: str, value: int, reason: str
) -> None:
    net = static_simulator.network_with_endpoints()
    if field == "station_no":
        st = net.station("jx-002").model_copy(update={"station_no": value})
        net = net.model_copy(
            update={"stations": [st if s.id == "jx-002" else s for s in net.stations]}
        )
    else:
        tpl = net.templates["substation-v1"].model_copy(update={"device_type": value})
        net = net.model_copy(update={"templates": {"substation-v1": tpl}})
    p = Poller(net, stations=["jx-002"])
    try:
        scan = await p.scan_once("jx-002")
        assert scan.comm == CommState.WRONG_DEVICE and scan.error == reason
        assert np.isnan(scan.values).all()  # never read from the right device: nothing known
    finally:
        await p.stop()


async def test_frozen_heartbeat_makes_the_station_stale(live_sim: Simulator) -> None:
    net = fast_groups(live_sim.network_with_endpoints())
    col = Collector()
    p = Poller(net, on_scan=col, stations=["xg-001", "jx-001"], heartbeat_min_s=1.5)
    await p.start()
    try:
        await until(lambda: col.count("xg-001") >= 6, limit_s=10)
        assert not any(s.heartbeat_frozen for s in col.scans["xg-001"])
        live_sim.faults.set("xg-001", heartbeat_freeze=True)
        await until(lambda: col.last("xg-001").heartbeat_frozen, limit_s=10)
        stale = col.last("xg-001")
        assert stale.comm == CommState.OK  # it still answers...
        assert (stale.quality == Quality.STALE).all()  # ...but nothing it says is fresh
        assert "heartbeat" in stale.error
        assert not col.last("jx-001").heartbeat_frozen
        live_sim.faults.clear("xg-001")
        await until(lambda: col.last("xg-001").worst_quality == Quality.GOOD, limit_s=10)
    finally:
        await p.stop()


def _free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


async def test_failed_first_connect_is_retried_with_backoff(small_network: NetworkDef) -> None:
    one = small_network.model_copy(update={"stations": [small_network.station("jx-001")]})
    host = one.stations[0].host or ""
    port = _free_port(host)
    net = one.model_copy(update={"stations": [one.stations[0].model_copy(update={"port": port})]})
    col = Collector()
    p = Poller(net, on_scan=col, backoff_base=0.1, backoff_cap=0.4)
    await p.start()
    sim = None
    try:
        await until(lambda: p.stats()["jx-001"].connect_failures >= 3)
        st = p.stats()["jx-001"]
        assert not st.connected and 0 < st.backoff_s <= 0.4
        assert "cannot connect" in st.last_error
        assert col.last("jx-001").comm == CommState.FAILED
        # Nothing listened at first; now the station comes up on that port.
        sim = Simulator(one, seed=0, port=port, tick_s=0.2, physics=StaticPhysics(one))
        await sim.start()
        await until(lambda: col.last("jx-001").worst_quality == Quality.GOOD)
        st = p.stats()["jx-001"]
        assert st.connected and st.backoff_s == 0.0
    finally:
        await p.stop()
        if sim is not None:
            await sim.stop()


async def test_connection_comes_back_after_the_station(live_sim: Simulator) -> None:
    net = live_sim.network_with_endpoints()
    col = Collector()
    p = Poller(net, on_scan=col, stations=["xg-002"], backoff_base=0.1, backoff_cap=0.5)
    await p.start()
    try:
        await until(lambda: col.count("xg-002") >= 1)
        live_sim.faults.set("xg-002", offline=True)
        await until(lambda: p.stats()["xg-002"].backoff_s > 0)  # backing off, not hammering
        mark = col.count("xg-002")
        await until(lambda: col.count("xg-002") >= mark + 3)
        assert all(s.comm == CommState.FAILED for s in col.scans["xg-002"][mark:])
        live_sim.faults.clear("xg-002")
        await until(lambda: col.last("xg-002").worst_quality == Quality.GOOD)
        assert p.stats()["xg-002"].connects >= 2
    finally:
        await p.stop()


async def test_in_flight_caps_per_connection_and_global(live_sim: Simulator) -> None:
    net = live_sim.network_with_endpoints()
    for sid in ("jx-001", "jx-002", "xg-001", "xg-002"):
        live_sim.faults.set(sid, latency_ms=20)
    in_flight: dict[str, int] = defaultdict(int)
    peak: dict[str, int] = defaultdict(int)

    def factory(station, timeout):
        client = default_client_factory(station, timeout)
        real = client.read_holding_registers

        async def tracked(*a, **kw):
            key = station.id
            in_flight[key] += 1
            in_flight["*"] += 1
            peak[key] = max(peak[key], in_flight[key])
            peak["*"] = max(peak["*"], in_flight["*"])
            try:
                return await real(*a, **kw)
            finally:
                in_flight[key] -= 1
                in_flight["*"] -= 1

        client.read_holding_registers = tracked
        return client

    col = Collector()
    p = Poller(net, on_scan=col, max_in_flight=2, client_factory=factory)
    await p.start()
    try:
        await until(lambda: all(col.count(s.id) >= 2 for s in net.stations), limit_s=15)
        # A write in the middle of the scans takes its turn on the station's connection.
        results = await asyncio.gather(
            *(p.write("jx-002", "room_setpoint", 19.0 + k / 10) for k in range(3))
        )
        assert all(r.ok for r in results)
        await until(lambda: all(col.count(s.id) >= 3 for s in net.stations), limit_s=15)
    finally:
        await p.stop()
    assert peak["*"] == 2  # the global cap was reached and never exceeded
    assert all(peak[s.id] == 1 for s in net.stations)


async def test_stop_leaves_no_task_or_socket(live_sim: Simulator) -> None:
    net = live_sim.network_with_endpoints()
    p = Poller(net)
    await p.start()
    await asyncio.sleep(0.3)
    await p.stop()
    await asyncio.sleep(0.05)
    assert all(not sp.link.connected for sp in p.pollers.values())
    names = {t.get_name() for t in asyncio.all_tasks()}
    assert not any(n.startswith("poll ") for n in names)


async def test_first_scan_at_once_then_spread_over_the_period(live_sim: Simulator) -> None:
    """Start-up shows the whole network after one sweep, not after a period of phase ramp;
    later scans keep their spread over the period (no burst of every station each period)."""
    group = ScanGroup(period_s=2.0, timeout_s=0.5, stale_after_scans=3)
    net = live_sim.network_with_endpoints().model_copy(update={"scan_groups": {"default": group}})
    ids = [s.id for s in net.stations]
    col = Collector()
    p = Poller(net, on_scan=col)
    await p.start()
    try:
        await until(lambda: all(col.count(s) >= 1 for s in ids), limit_s=10)
        assert all(col.count(s) == 1 for s in ids)  # every first scan before any second one
        await until(lambda: all(col.count(s) >= 2 for s in ids), limit_s=10)
        first = [col.scans[s][0].time for s in ids]
        second = sorted(col.scans[s][1].time for s in ids)
        assert max(first) < second[0]
        # Four stations on a 2 s grid: second scans at their phases, 0.5 s apart.
        assert second[-1] - second[0] >= group.period_s / 4
        assert all(col.scans[s][1].time - col.scans[s][0].time >= 0.5 for s in ids)
    finally:
        await p.stop()


async def test_sweep_timing_counts_scans_and_the_worst_tick_to_done(live_sim: Simulator) -> None:
    """The poller's own account of its period (a server publishes it): every scan counted, the
    worst time from a tick to its scan's end is a real scan's, and reading it starts it again."""
    net = fast_groups(live_sim.network_with_endpoints())
    ids = [s.id for s in net.stations]
    col = Collector()
    p = Poller(net, on_scan=col)
    await p.start()
    try:
        await until(lambda: all(col.count(s) >= 3 for s in ids), limit_s=15)
        t = p.sweep_timing()
        assert t.stations == len(ids)
        assert t.scans >= sum(col.counts().values())  # counted before each is handed on
        assert t.scans <= sum(col.counts().values()) + len(ids)  # at most one in hand each
        # Tick -> done covers the scan itself: no scan after the first took longer than that.
        longest = max(sc.duration for s in ids for sc in col.scans[s][1:])
        assert t.worst_s >= longest - 1e-3
        assert 0.0 <= t.worst_late_s <= t.worst_s
        again = p.sweep_timing()  # no await between: no scan ended meanwhile
        assert (again.scans, again.worst_s, again.worst_late_s) == (t.scans, 0.0, 0.0)
    finally:
        await p.stop()


async def test_sweep_timing_counts_the_ticks_a_slow_station_misses(live_sim: Simulator) -> None:
    net = fast_groups(live_sim.network_with_endpoints())
    live_sim.faults.set("jx-002", latency_ms=100)  # ~0.9 s per scan on a 0.25 s period
    col = Collector()
    p = Poller(net, on_scan=col)
    await p.start()
    try:
        await until(lambda: col.count("jx-002") >= 3, limit_s=20)
        t = p.sweep_timing()
        assert t.overruns == sum(st.overruns for st in p.stats().values()) > 0
        assert t.worst_s > net.scan_groups["default"].period_s  # past its period: a miss
    finally:
        await p.stop()
