"""Alarm banner: newest highest-priority unacknowledged first, calm when empty, clickable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent

from console.core.events import AlarmState, Priority
from console.vocabulary.views import AlarmRow
from widgets.alarm_banner import AlarmBanner, count_unacked, pick_banner_rows
from widgets.colors import BlinkClock

T0 = 1_700_000_000.0


def alarm(key, priority=Priority.MEDIUM, state=AlarmState.UNACK, t=T0, children=()):
    st = key.split("/")[0]
    return AlarmRow(key=key, station=st, station_name=f"站{st}", district="涧西", point="p",
                    rule=key.split("/")[-1], priority=priority, state=state, message="msg",
                    time=t, children=children)  # fmt: skip


@pytest.fixture
def banner(qtbot):
    clock = BlinkClock()
    clock.stop()
    b = AlarmBanner(blink=clock)
    qtbot.addWidget(b)
    b.resize(900, 90)
    return b


ROWS = [
    alarm("a/p/r", Priority.MEDIUM, t=T0 + 100),
    alarm("b/p/r", Priority.CRITICAL, AlarmState.ACK, t=T0 + 200),  # acked: not in banner
    alarm("c/p/r", Priority.HIGH, t=T0 + 10),
    alarm("d/p/r", Priority.HIGH, t=T0 + 50),
    alarm("e/p/r", Priority.HIGH, AlarmState.RTN_UNACK, t=T0 + 90),
    alarm("f/p/r", Priority.LOW, AlarmState.SHELVED, t=T0 + 300),
]


def test_picks_newest_highest_priority_unacked():
    assert [r.key for r in pick_banner_rows(ROWS, 3)] == ["d/p/r", "c/p/r", "e/p/r"]
    assert [r.key for r in pick_banner_rows(ROWS, 1)] == ["d/p/r"]


def test_banner_lines_and_more_count(banner):
    banner.set_rows(ROWS)
    assert [line.row.key for line in banner.lines if not line.isHidden()] == [
        "d/p/r",
        "c/p/r",
        "e/p/r",
    ]
    assert banner.calm.isHidden()
    assert banner.more.text() == "+1 more unacknowledged"
    assert banner.highest_priority == Priority.HIGH


def test_group_is_one_line_counting_its_alarms(banner):
    kids = tuple(alarm(f"g/room[{i}]/r", t=T0 + i) for i in range(5))
    banner.set_rows([alarm("g/rooms/r", children=kids, t=T0 + 5)])
    assert "(5 alarms)" in banner.lines[0].text.text()
    assert banner.more.text() == ""


def test_more_counts_a_room_group_once_like_the_key_figure(banner):
    kids = tuple(alarm(f"g/room[{i}]/r", t=T0 + i) for i in range(12))
    rows = [alarm("g/rooms/r", children=kids, t=T0 + 20)]
    rows += [alarm(f"s{i}/p/r", Priority.LOW, t=T0 + i) for i in range(4)]
    banner.set_rows(rows)
    shown = sum(1 for line in banner.lines if not line.isHidden())
    assert banner.more.text() == f"+{5 - shown} more unacknowledged"
    # rooms low and rooms below the legal floor of one station: two events, as the key figure
    crit = tuple(alarm(f"g/room[{i}]/room_critical", Priority.CRITICAL, t=T0 + i) for i in range(3))
    rows[0] = alarm("g/rooms/r", children=kids + crit, t=T0 + 20)
    banner.set_rows(rows)
    assert count_unacked(rows) == 6
    assert banner.more.text() == f"+{6 - 2 - (shown - 1)} more unacknowledged"  # group: 2


def test_calm_when_nothing_unacked(banner):
    banner.set_rows([alarm("b/p/r", Priority.CRITICAL, AlarmState.ACK)])
    assert not banner.calm.isHidden()
    assert banner.calm.text() == "No unacknowledged alarms"
    assert all(line.isHidden() for line in banner.lines)
    assert banner.highest_priority is None


def test_click_opens_station_and_silence(banner, qtbot):
    banner.set_rows(ROWS)
    line = banner.lines[0]
    ev = QMouseEvent(
        QMouseEvent.Type.MouseButtonRelease,
        QPointF(5, 5),
        QPointF(5, 5),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(banner.station_requested) as sig:
        line.mouseReleaseEvent(ev)
    assert sig.args == ["d"]
    banner.set_sound_state(True, True)
    with qtbot.waitSignal(banner.silence_requested):
        banner.silence_button.click()


def test_sound_state_says_visual_only(banner):
    banner.set_sound_state(True, False)
    assert "visual alarms only" in banner.sound_state.text()


def test_silence_says_when_only_this_consoles_horn_stops(qtbot) -> None:  # type: ignore[no-untyped-def]
    from widgets.alarm_banner import AlarmBanner

    b = AlarmBanner()
    qtbot.addWidget(b)
    b.set_sound_state(True, True)
    reason = "needs the operator role; you are viewer"
    b.set_allowed(lambda verb: reason)
    assert b.silence_button.isEnabled() and reason in b.silence_button.toolTip()
    b.set_allowed(lambda verb: None)
    assert reason not in b.silence_button.toolTip()
