"""The bridge's snapshot cache: unchanged stations keep the very same objects (the GUI's diff
then skips them by identity); a new scan rebuilds only that station."""

from __future__ import annotations

import dataclasses
import gc
import time

import numpy as np

from console.app.adapters import SnapshotCache, build_snapshot
from console.core.service import ConsoleService
from drivers.samples import CommState, Quality, StationScan
from station_config.alarm_rules import AlarmConfig
from station_config.schema import NetworkDef


def test_unchanged_stations_are_reused_and_a_scanned_one_rebuilt(small_network: NetworkDef):
    svc = ConsoleService(small_network, journal_path=None, history_path=False)
    cache = SnapshotCache()
    first = build_snapshot(svc, cache=cache)
    second = build_snapshot(svc, cache=cache)
    assert all(second.states[k] is first.states[k] for k in first.states)
    sid = small_network.stations[0].id
    st = svc.live.stations[sid]
    scan = StationScan(sid, 1.0, st.values.copy(), st.quality.copy(), st.value_time.copy())
    scan.comm = CommState.OK
    svc.live.update(scan)
    third = build_snapshot(svc, cache=cache)
    assert third.states[sid] is not second.states[sid]
    assert third.states[sid].last_update == 1.0
    others = [k for k in first.states if k != sid]
    assert all(third.states[k] is second.states[k] for k in others)
    assert build_snapshot(svc).states[sid] == third.states[sid]  # same content without cache


def _scan(svc: ConsoleService, sid: str, room_c: float) -> None:
    table = svc.poller.tables[sid]
    now = time.time()
    v = np.full(len(table), 20.0)
    v[table.indices("room_temp")] = room_c + 0.01 * np.arange(len(table.indices("room_temp")))
    scan = StationScan(sid, now, v, np.full(len(table), Quality.GOOD, np.uint8),
                       np.full(len(table), now))  # fmt: skip
    scan.comm = CommState.OK
    svc._on_scan(scan)
    svc.process_pending(now)


def _instant_rooms(net: NetworkDef) -> ConsoleService:
    """A service whose room alarms rise on the first cold scan (no on-delay)."""
    rules = {"room_low": {"on_delay_s": 0}, "room_critical": {"on_delay_s": 0}}
    alarms = AlarmConfig.model_validate({**net.alarms.model_dump(), "rules": rules})
    return ConsoleService(
        net.model_copy(update={"alarms": alarms}), journal_path=None, history_path=False
    )


def test_room_group_reused_until_its_alarms_change(small_network: NetworkDef):
    svc = _instant_rooms(small_network)
    sid = small_network.stations[0].id
    _scan(svc, sid, 17.0)
    cache = SnapshotCache()
    first = build_snapshot(svc, cache=cache)
    groups = [r for r in first.alarms if r.is_group and r.station == sid]
    assert groups and groups[0].children
    again = build_snapshot(svc, cache=cache)
    assert next(r for r in again.alarms if r.key == groups[0].key) is groups[0]
    _scan(svc, sid, 16.9)  # colder: the group's rooms carry new values
    third = build_snapshot(svc, cache=cache)
    new = next(r for r in third.alarms if r.key == groups[0].key)
    assert new is not groups[0]
    assert min(c.value for c in new.children if c.value is not None) < 17.0
    assert third.alarms == build_snapshot(svc).alarms  # the cache never changes the content


def test_cached_alarm_index_matches_a_fresh_one(small_network: NetworkDef):
    """Station states read the alarm index; the cache merges unchanged groups' shares of it."""
    svc = _instant_rooms(small_network)
    a, b = small_network.stations[0].id, small_network.stations[1].id
    _scan(svc, a, 17.0)
    _scan(svc, b, 15.0)  # critical rooms
    cache = SnapshotCache()
    build_snapshot(svc, cache=cache)
    _scan(svc, a, 16.5)  # one group changes, the other is reused
    cached = build_snapshot(svc, cache=cache)
    fresh = build_snapshot(svc)
    assert cached.states == fresh.states
    assert cached.states[a].alarm is not None and cached.states[b].alarm is not None
    assert cached.status.sounding == fresh.status.sounding == bool(svc.alarms.sounding())


def test_room_group_message_names_what_it_holds():
    """Sensor faults in a station's room group are never worded as cold rooms."""
    from console.app.adapters import group_message
    from console.core.events import AlarmState, Priority
    from console.vocabulary.views import AlarmRow

    def kid(i: int, rule: str, limit: float | None) -> AlarmRow:
        return AlarmRow(
            key=f"s/room_temp[{i}]/{rule}", station="s", station_name="站", district="d",
            point=f"room_temp[{i}]", rule=rule, priority=Priority.MEDIUM,
            state=AlarmState.UNACK, message="", time=0.0, limit=limit,
        )  # fmt: skip

    faults = (kid(0, "sensor_fault", None), kid(3, "sensor_fault", None))
    assert group_message(faults, None) == "2 rooms: 2 sensor faults"
    mixed = (kid(1, "room_low", 18.0), kid(2, "room_low", 18.0), kid(2, "room_critical", 16.0))
    assert group_message(mixed + faults[:1], 15.4) == (
        "3 rooms: 1 below 16 °C, 2 below 18 °C, 1 sensor fault · coldest 15.4 °C"
    )
    # Returned to normal, not yet acknowledged: not "below" (the demo said "126 below 18 °C ·
    # coldest 18.3 °C" of rooms all back above it).
    back = tuple(dataclasses.replace(k, state=AlarmState.RTN_UNACK) for k in mixed[:2])
    assert group_message(back, 18.3) == "2 rooms: 2 back above 18 °C · coldest now 18.3 °C"
    assert group_message(back + mixed[2:], 15.9) == (
        "2 rooms: 1 below 16 °C, 2 back above 18 °C · coldest 15.9 °C"
    )


def test_room_limits_follow_the_limit_register_through_the_cache(small_network: NetworkDef):
    """The cache keeps one picture of the service and its room limits while they hold; a
    station's own limit register read anew shows at once."""
    svc = ConsoleService(small_network, journal_path=None, history_path=False)
    cache = SnapshotCache()
    sid = small_network.stations[0].id
    table = svc.poller.tables[sid]

    def scan(low: float) -> None:
        now = time.time()
        v = np.full(len(table), 21.0)
        v[table.index["room_low_limit"]] = low
        v[table.index["room_critical_limit"]] = 15.0
        sc = StationScan(sid, now, v, np.zeros(len(table), np.uint8), np.full(len(table), now))
        sc.comm = CommState.OK
        svc._on_scan(sc)
        svc.process_pending(now)

    scan(19.0)
    first = build_snapshot(svc, cache=cache)
    assert first.states[sid].room_low_limit == 19.0
    again = build_snapshot(svc, cache=cache)
    assert again.states[sid].room_low_limit == 19.0
    scan(20.5)
    third = build_snapshot(svc, cache=cache)
    assert (third.states[sid].room_low_limit, third.states[sid].room_critical_limit) == (20.5, 15.0)
    assert third.states == build_snapshot(svc).states  # the same as without a cache


def test_a_reused_group_leaves_its_rows_in_the_cache_by_key(small_network: NetworkDef):
    """After a build that reused a room group whole, the cache still has each room's view and
    row under its own key: a later rebuild of the group (its signature changed, its rooms not)
    reuses every room's row, and the content equals a build without cache."""
    svc = _instant_rooms(small_network)
    a, b = small_network.stations[0].id, small_network.stations[1].id
    _scan(svc, a, 17.0)
    _scan(svc, b, 15.5)
    cache = SnapshotCache()
    build_snapshot(svc, cache=cache)
    reused = build_snapshot(svc, cache=cache)  # both groups unchanged: reused whole
    group = next(r for r in reused.alarms if r.is_group and r.station == a)
    cache.group_sigs.clear()  # as if something behind the groups changed
    rebuilt = build_snapshot(svc, cache=cache)
    again = next(r for r in rebuilt.alarms if r.key == group.key)
    assert len(again.children) == len(group.children) > 1
    assert all(x is y for x, y in zip(again.children, group.children, strict=True))
    assert rebuilt.alarms == build_snapshot(svc).alarms


def test_rows_carry_no_instance_dict(small_network: NetworkDef):
    """Alarm rows are built without a materialized __dict__: one gc-tracked object per row, not
    two (console/vocabulary/records.py)."""
    svc = _instant_rooms(small_network)
    _scan(svc, small_network.stations[0].id, 17.0)
    snap = build_snapshot(svc, cache=SnapshotCache())
    leaves = [c for r in snap.alarms for c in (r.children or (r,))]
    assert len(leaves) > 1
    assert not any(type(x) is dict for row in leaves for x in gc.get_referents(row))
