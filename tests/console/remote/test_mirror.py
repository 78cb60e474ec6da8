"""The mirror's alarms over a long run: a station whose list is published again and again (every
scan while its rooms cool) keeps what it holds, and holds a count of objects, not a history."""

from __future__ import annotations

import gc
import sys

from console.app.adapters import SnapshotCache, build_snapshot
from console.core.alarms.summary import AlarmView
from console.remote import codec
from console.remote.mirror import Mirror
from console.vocabulary.alarms import AlarmState, Priority
from station_config.generator import generate_network
from station_config.loader import load_network
from station_config.schema import NetworkDef

ROOMS = 200


def room_views(station: str, n: int, t0: float, acked: frozenset[int] = frozenset()) -> list:
    return [
        AlarmView(
            f"{station}/room_temp[{i}]/room_low",
            station,
            "north",
            f"room_temp[{i}]",
            "room_low",
            Priority.MEDIUM,
            AlarmState.ACK if i in acked else AlarmState.UNACK,
            True,
            17.9 - i / 1000,
            18.0,
            t0 + i,
            t0 + i,
        )
        for i in range(n)
    ]


def message(station: str, views: list, pending: tuple[int, float] | None) -> bytes:
    return codec.encode_alarms(station, views, pending, (18.0, 16.0))


def test_a_list_published_again_with_only_its_pending_rooms_changed_is_kept_as_it_was() -> None:
    m = Mirror()
    views = room_views("jx-001", ROOMS, 1000.0)
    assert m.apply_alarms("jx-001", message("jx-001", views, (3, 990.0)))
    held, rev, rows = m.alarms["jx-001"], m.revision["jx-001"], m.summary_rows()
    assert m.apply_alarms("jx-001", message("jx-001", views, (5, 991.0)))
    assert m.pending["jx-001"] == (5, 991.0)  # the new pending rooms are taken ...
    assert m.alarms["jx-001"] is held  # ... the alarms are the very same objects
    assert m.revision["jx-001"] == rev  # the window's cached group is still good
    assert m.summary_rows()[0] is rows[0]


def test_a_first_list_with_no_alarms_is_held_as_published() -> None:
    """A station (a server's own "server:north") published with nothing wrong is known to
    have nothing wrong: an empty list is an entry, not a station never heard of."""
    m = Mirror()
    assert m.apply_alarms("server:north", message("server:north", [], None))
    assert m.alarms["server:north"] == ()
    assert m.revision["server:north"] == 1


def test_a_changed_alarm_is_new_and_the_unchanged_ones_stay_the_same_objects() -> None:
    m = Mirror()
    m.apply_alarms("jx-001", message("jx-001", room_views("jx-001", ROOMS, 1000.0), None))
    before, rev = m.alarms["jx-001"], m.revision["jx-001"]
    acked = room_views("jx-001", ROOMS, 1000.0, acked=frozenset({7}))
    assert m.apply_alarms("jx-001", message("jx-001", acked, None))
    after = m.alarms["jx-001"]
    assert after[7].state is AlarmState.ACK and after[7] is not before[7]
    assert all(after[i] is before[i] for i in range(ROOMS) if i != 7)
    assert m.revision["jx-001"] == rev + 1


def test_names_every_alarm_repeats_are_one_string_each() -> None:
    m = Mirror()
    m.apply_alarms("jx-001", message("jx-001", room_views("jx-001", 3, 1000.0), None))
    m.apply_alarms("jx-002", message("jx-002", room_views("jx-002", 3, 1000.0), None))
    a, b = m.alarms["jx-001"][1], m.alarms["jx-002"][1]
    assert a.point == b.point and a.point is b.point
    assert a.district is b.district and a.rule is b.rule
    assert m.alarms["jx-001"][0].station is m.alarms["jx-001"][2].station
    assert sys.intern(a.station) is a.station


def test_alarm_views_held_are_bounded_by_the_alarms_not_by_the_messages() -> None:
    m = Mirror()
    stations = [f"jx-{i:03d}" for i in range(5)]

    def views_alive() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if type(o) is AlarmView)

    base = views_alive()
    for scan in range(20):  # 20 scans of 5 stations of 200 cooling rooms, one acknowledged a scan
        for sid in stations:
            data = message(sid, room_views(sid, ROOMS, 1000.0, acked=frozenset(range(scan))),
                           (scan, 990.0))  # fmt: skip
            m.apply_alarms(sid, data)
            m.summary_rows()
    assert views_alive() - base == len(stations) * ROOMS


def small_city(tmp_path) -> bytes:  # type: ignore[no-untyped-def]
    cfg = tmp_path / "city.yaml"
    cfg.write_text(generate_network(6, 8, 1), encoding="utf-8")
    return codec.encode_network(load_network(cfg))


def test_the_same_description_again_is_the_same_network_and_live_store(tmp_path) -> None:
    m = Mirror()
    data = small_city(tmp_path)
    m.apply_network("all", data)
    net, live = m.net, m.live
    m.apply_network("all", bytes(data))  # re-delivered after a reconnect: equal, not identical
    assert m.net is net and m.live is live
    assert m.forget_partition("all")
    m.apply_network("all", data)  # retired, then described again: applied again
    assert m.net is not net and [s.id for s in m.net.stations] == [s.id for s in net.stations]


def test_networks_held_after_many_reconnects_are_bounded_by_the_partitions(tmp_path) -> None:
    m = Mirror()
    data = small_city(tmp_path)
    cache = SnapshotCache()

    def networks_alive() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if type(o) is NetworkDef)

    m.apply_network("all", data)
    build_snapshot(m, cache=cache)
    held = networks_alive()
    for _ in range(12):  # every reconnect delivers the retained description again
        m.apply_network("all", bytes(data))
        build_snapshot(m, cache=cache)
    assert networks_alive() == held
