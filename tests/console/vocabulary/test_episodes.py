"""One count of an alarm line's events for the operator (key figures, tab title, banner)."""

from __future__ import annotations

import dataclasses

from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.episodes import LineMemo, line_episodes, room_episodes, unacked_episodes
from console.vocabulary.views import AlarmRow


def _row(point: str, rule: str, state: AlarmState, station: str = "xg-002") -> AlarmRow:
    return AlarmRow(
        key=f"{station}/{point}/{rule}", station=station, station_name=station, district="d",
        point=point, rule=rule, priority=Priority.MEDIUM, state=state, message="", time=0.0,
    )  # fmt: skip


def _group(kids: list[AlarmRow]) -> AlarmRow:
    return dataclasses.replace(kids[0], key=f"{kids[0].station}/room_temp[*]", children=tuple(kids))


def test_a_stations_cold_rooms_are_one_episode_per_room_rule():
    kids = [_row(f"room_temp[{i}]", "room_low", AlarmState.UNACK) for i in range(40)]
    kids += [_row(f"room_temp[{i}]", "room_critical", AlarmState.ACK) for i in range(5)]
    kids.append(_row("room_temp[7]", "room_low", AlarmState.RTN_UNACK))
    group = _group(kids)
    assert line_episodes(group) == (2, 1)  # low and critical open; only low unacknowledged
    assert unacked_episodes(group) == 1


def test_other_alarms_count_each_and_cleared_rooms_are_not_open():
    pump = _row("alarm_bits", "pump1_fault", AlarmState.UNACK)
    door = _row("alarm_bits", "door_open", AlarmState.RTN_UNACK)
    gone = _row("room_temp[2]", "room_low", AlarmState.RTN_UNACK, station="jx-001")
    shelved = _row("room_temp[3]", "room_low", AlarmState.SHELVED, station="jx-003")
    assert [line_episodes(r) for r in (pump, door, gone, shelved)] == [
        (0, 1), (0, 1), (1, 1), (0, 0)
    ]  # fmt: skip
    assert room_episodes([pump, door, gone, shelved]) == (1, 3)


def test_the_banner_and_the_key_figures_agree():
    from console.app.adapters import key_figures
    from widgets.alarm_banner import count_unacked

    rows = [
        _group([_row(f"room_temp[{i}]", "room_low", AlarmState.UNACK) for i in range(9)]),
        _row("alarm_bits", "pump1_fault", AlarmState.UNACK),
        _group([_row("room_temp[1]", "room_critical", AlarmState.ACK, station="jx-001")]),
    ]
    k = key_figures({}, rows, False)
    assert (k.room_episodes, k.unacked_alarms) == room_episodes(rows) == (2, 2)
    assert count_unacked(rows) == k.unacked_alarms


def test_line_memo_walks_only_lines_it_has_not_seen():
    walked: list[str] = []

    def of(row: AlarmRow) -> tuple[int, int]:
        walked.append(row.key)
        return line_episodes(row)

    memo = LineMemo(of)
    group = _group([_row(f"room_temp[{i}]", "room_low", AlarmState.UNACK) for i in range(50)])
    pump = _row("alarm_bits", "pump1_fault", AlarmState.UNACK)
    assert memo.lines([group, pump]) == [(1, 1), (0, 1)] and len(walked) == 2
    acked = dataclasses.replace(pump, state=AlarmState.ACK)  # a new object: walked again
    assert memo.lines([group, acked]) == [(1, 1), (0, 0)]
    assert walked == [group.key, pump.key, acked.key]
    equal = dataclasses.replace(group)  # equal, but not the same object: no identity hit
    assert memo.lines([equal]) == [(1, 1)] and len(walked) == 4
    assert memo.line(equal) == (1, 1) and len(walked) == 4  # remembered by the last call
