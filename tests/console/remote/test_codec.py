"""The wire formats: what a server encodes, a console decodes to the same thing; what does not
fit is a CodecError that names the message, never a crash."""

from __future__ import annotations

import numpy as np
import pytest

from console.core.alarms.summary import AlarmView
from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.remote import codec
from drivers.samples import CommState, StationScan
from station_config.schema import NetworkDef


def _scan(n: int = 5) -> StationScan:
    t = 1_700_000_000.25
    return StationScan(
        "jx-001", t, np.array([1.5, np.nan, -3.25, 1e9, 0.0])[:n],
        np.array([0, 4, 2, 0, 3], np.uint8)[:n], np.array([t - 1, np.nan, t - 7200, t, t])[:n],
        comm=CommState.FAILED, error="timeout — 设备无应答", duration=0.125,
    )  # fmt: skip


def test_state_round_trip_keeps_values_quality_times_and_link_state() -> None:
    sc = _scan()
    back = codec.decode_state("jx-001", codec.encode_state(sc), 5)
    np.testing.assert_array_equal(back.values, sc.values)
    np.testing.assert_array_equal(back.quality, sc.quality)
    np.testing.assert_allclose(back.value_time, sc.value_time, atol=1e-3)
    assert np.isnan(back.value_time[1])
    assert (back.time, back.comm, back.error, back.duration) == (
        sc.time, CommState.FAILED, sc.error, 0.125,
    )  # fmt: skip


def test_state_is_compact_binary() -> None:
    data = codec.encode_state(_scan())
    assert len(data) < 32 + 60 + 13 * 5  # header + error text + 13 bytes a point


@pytest.mark.parametrize(
    "mangle, words",
    [
        (lambda d: d[:10], "shorter than its header"),
        (lambda d: b"XXXX" + d[4:], "not a v1 state"),
        (lambda d: d[:-1], "bytes, expected"),
        (lambda d: d + b"\0", "bytes, expected"),
    ],
)
def test_state_that_does_not_fit_is_refused_by_name(mangle, words) -> None:
    with pytest.raises(codec.CodecError, match=words) as e:
        codec.decode_state("jx-001", mangle(codec.encode_state(_scan())), 5)
    assert "jx-001" in str(e.value)


def test_state_for_another_point_table_is_refused() -> None:
    with pytest.raises(codec.CodecError, match="5 points, its point table has 6"):
        codec.decode_state("jx-001", codec.encode_state(_scan()), 6)


def _view(**kw) -> AlarmView:
    base = dict(
        key="jx-001/room_temp[3]/room_low", station="jx-001", district="jx",
        point="room_temp[3]", rule="room_low", priority=Priority.MEDIUM,
        state=AlarmState.UNACK, condition=True, value=17.2, limit=18.0, time=1.0e9,
        active_since=1.0e9,
    )  # fmt: skip
    base.update(kw)
    return AlarmView(**base)


def test_alarms_round_trip() -> None:
    views = [
        _view(),
        _view(key="jx-001/p3/p3_low", point="p3", rule="p3_low", value=float("nan"),
              state=AlarmState.SHELVED, shelved_by="wang", shelve_reason="维修",
              shelved_until=None, active_since=None),
    ]  # fmt: skip
    data = codec.encode_alarms("jx-001", views, (3, 1.5e9), (20.0, None))
    sid, back, pending, limits = codec.decode_alarms(data)
    assert sid == "jx-001" and pending == (3, 1.5e9) and limits == (20.0, None)
    assert back[0] == views[0]
    assert back[1].value is None and back[1].shelved_by == "wang"
    assert back[1].state is AlarmState.SHELVED


def test_malformed_alarms_are_a_codec_error() -> None:
    with pytest.raises(codec.CodecError, match="alarms"):
        codec.decode_alarms(b'{"station": "x", "alarms": [{"priority": "urgent"}]}')
    with pytest.raises(codec.CodecError, match="not JSON"):
        codec.decode_alarms(b"\xff\xfe")


def test_network_description_hides_device_addresses(small_network: NetworkDef) -> None:
    data = codec.encode_network(small_network)
    assert b"127.0.77" not in data
    back = codec.decode_network(data)
    assert [s.id for s in back.stations] == [s.id for s in small_network.stations]
    assert back.templates.keys() == small_network.templates.keys()
    assert all(s.host == "-" for s in back.stations)


def test_partitions_merge_into_one_city(small_network: NetworkDef) -> None:
    a = small_network.model_copy(update={"stations": small_network.stations[:2]})
    b = small_network.model_copy(update={"stations": small_network.stations[2:]})
    city = codec.merge_networks([codec.decode_network(codec.encode_network(x)) for x in (a, b)])
    assert sorted(s.id for s in city.stations) == sorted(s.id for s in small_network.stations)
    assert [d.id for d in city.districts] == [d.id for d in small_network.districts]


def test_events_round_trip() -> None:
    ev = JournalEvent(Kind.OPERATOR, "wang: note — 巡检", user="wang", action="note",
                      value=float("nan"), details={"a": 1})  # fmt: skip
    rows = codec.decode_events(codec.encode_events([ev]))
    back = codec.event_from_row(rows[0])
    assert back.id == ev.id and back.message == ev.message and back.value is None
    assert back.details == {"a": 1} and back.kind is Kind.OPERATOR


def test_arrays_travel_as_numbers_only() -> None:
    a = np.array([1.0, 2.5, np.nan])
    np.testing.assert_array_equal(codec.unpack_array(codec.pack_array(a)), a)
    with pytest.raises(codec.CodecError, match="refused"):
        codec.unpack_array({"dtype": "|O", "data": ""})
