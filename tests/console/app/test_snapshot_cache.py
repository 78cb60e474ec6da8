"""The bridge's snapshot cache: unchanged stations keep the very same objects (the GUI's diff
then skips them by identity); a new scan rebuilds only that station."""

from __future__ import annotations

from console.app.adapters import SnapshotCache, build_snapshot
from console.core.service import ConsoleService
from drivers.samples import CommState, StationScan
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
