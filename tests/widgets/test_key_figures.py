from __future__ import annotations

import dataclasses

import pytest

from console.core.events import Priority
from console.vocabulary.views import DistrictRooms, KeyFigures
from widgets import colors
from widgets import sample_data as sd
from widgets.key_figures import KeyFiguresStrip, on_delay_text

pytestmark = pytest.mark.usefixtures("steady_blink")


def test_normal_figures_are_grey(qtbot) -> None:  # type: ignore[no-untyped-def]
    strip = KeyFiguresStrip()
    qtbot.addWidget(strip)
    strip.set_figures(
        KeyFigures(outdoor=-3.0, stations_total=757, comm_good_pct=100.0, heat_power_mw=1234.5)
    )
    assert not any(t.abnormal for t in strip.tiles)
    assert strip.power.value == "1,234.5 MW"
    assert strip.outdoor.value == "-3.0 °C"


def test_abnormal_figures_coloured(qtbot) -> None:  # type: ignore[no-untyped-def]
    strip = KeyFiguresStrip()
    qtbot.addWidget(strip)
    k = KeyFigures(
        outdoor=-8.0, rooms_below_18=42, rooms_below_16=3, coldest_room=14.6,
        coldest_station="涧西一号站", stations_in_alarm=7, stations_total=757,
        comm_good_pct=98.7, heat_power_mw=900.0,
        unacked_alarms=3, flood=True, worst_priority=Priority.CRITICAL,
        unacked_priority=Priority.HIGH, stations_stale=2, stations_failed=8,
    )  # fmt: skip
    strip.set_figures(k)
    assert strip.rooms.color == colors.PRIORITY_COLOR[Priority.CRITICAL]  # rooms < their floor
    assert "涧西一号站" in strip.rooms.detail
    assert strip.alarms.color == colors.PRIORITY_COLOR[Priority.CRITICAL]
    assert strip.comm.color == colors.COMM_FAIL and "8 failed" in strip.comm.detail
    assert strip.unacked.blinks and strip.unacked.color == colors.PRIORITY_COLOR[Priority.HIGH]
    assert strip.flood.value == "FLOOD"
    assert not strip.outdoor.abnormal and not strip.power.abnormal
    strip.grab()


def test_from_sample_city(qtbot) -> None:  # type: ignore[no-untyped-def]
    net = sd.city_network(100)
    k = sd.key_figures(sd.city_states(net))
    strip = KeyFiguresStrip()
    qtbot.addWidget(strip)
    strip.set_figures(k)
    assert strip.figures() == k
    assert k.stations_failed == 1 and k.stations_stale == 1


def test_rooms_tile_names_the_limit_and_the_districts_share(qtbot) -> None:  # type: ignore[no-untyped-def]
    strip = KeyFiguresStrip()
    qtbot.addWidget(strip)
    districts = (
        DistrictRooms("jianxi", "涧西区", 400, 12),
        DistrictRooms("xigong", "西工区", 200, 50),
        DistrictRooms("laocheng", "老城区", 100, 0),
    )
    k = KeyFigures(rooms_below_18=62, rooms_in_alarm=62, coldest_room=16.8, districts=districts,
                   room_low_limit=20.0)  # fmt: skip
    strip.set_figures(k)
    assert strip.rooms.caption == "Rooms below 20 °C"
    assert strip.rooms.detail.startswith("西工区 25%")  # the coldest district's share first
    assert "涧西区 3%" in strip.rooms.toolTip() and "老城区" not in strip.rooms.toolTip()
    strip.set_figures(dataclasses.replace(k, room_low_limit=None))  # stations differ
    assert strip.rooms.caption == "Rooms below their limit"
    # Four cold rooms of 2,000 are not "0%".
    few = (DistrictRooms("xigong", "西工区", 2000, 4),)
    strip.set_figures(dataclasses.replace(k, rooms_below_18=4, districts=few))
    assert strip.rooms.detail.startswith("西工区 <1%")


def test_on_delay_estimate_in_process_minutes() -> None:
    # 5 wall seconds before the alarm at 60x are 5 simulated minutes; real time says minutes.
    assert on_delay_text(105.0, now=100.0, scale=60.0) == "alarm after on-delay (≈ 5 min, time ×60)"
    assert on_delay_text(105.0, now=104.5, scale=60.0) == "alarm after on-delay (< 1 min, time ×60)"
    assert on_delay_text(400.0, now=100.0) == "alarm after on-delay (≈ 5 min)"


def test_alarm_rate_tile_says_simulated_time(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The demo runs ×60: the rate is per simulated hour (the flood window runs on the alarm
    timers' process clock) and the tile says so; at ×1 it is per hour."""
    strip = KeyFiguresStrip()
    qtbot.addWidget(strip)
    strip.set_figures(KeyFigures(flood_count=2, time_scale=60.0))
    assert strip.flood.value == "normal" and strip.flood.detail == "12 new / simulated h"
    assert not strip.flood.abnormal and "×60" in strip.flood.toolTip()
    strip.set_figures(KeyFigures(flood_count=2))
    assert strip.flood.detail == "12 new / h" and "×" not in strip.flood.toolTip()
    strip.set_figures(KeyFigures(flood=True, flood_count=14, time_scale=60.0))
    assert strip.flood.value == "FLOOD" and strip.flood.detail == "14 new in 10 simulated min"
    assert strip.flood.color == colors.PRIORITY_COLOR[Priority.HIGH]
