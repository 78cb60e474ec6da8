"""The wall display, offscreen at 1920×1080, fed with sample view models: every district's
share, the alarm rows most urgent first, the key figures, the district cycle, labels that never
overlap, no text under 24 px, and no English left under zh_CN."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFontInfo, QTextItem
from PySide6.QtWidgets import QApplication, QWidget

from console.app.adapters import key_figures
from console.core.events import AlarmState, Priority
from console.vocabulary.views import AlarmRow, KeyFigures, StationState
from drivers.samples import Quality
from tests.widgets.test_zh_cn import (
    _TextDevice,
    _TextEngine,
    assert_chinese,
    settle,
    visible_texts,
    zh,  # noqa: F401  (the fixture)
)
from widgets import sample_data as sd
from widgets.locale_format import clock, integer
from widgets.wall_display import MIN_PX, WallDisplay, share_text, urgency, wall_rows

pytestmark = pytest.mark.usefixtures("steady_blink")

T0 = 1_700_000_000.0


def alarm_rows(states: dict[str, StationState]) -> list[AlarmRow]:
    """One alarm per alarmed station, as the adapters hand them over; rooms of the coldest as
    a station group."""
    rows = []
    for i, s in enumerate(states.values()):
        if s.alarm is None:
            continue
        state = AlarmState.UNACK if s.unacked else AlarmState.ACK
        base = dict(station=s.id, station_name=s.name, district=s.district, priority=s.alarm,
                    state=state, message="—", time=T0 - 60 * i)  # fmt: skip
        if s.rooms_below_18:
            kids = tuple(
                AlarmRow(
                    key=f"{s.id}/room_temp[{k}]/room_low",
                    point=f"room_temp[{k}]",
                    rule="room_low",
                    value=17.5 - 0.1 * k,
                    limit=18.0,
                    **base,
                )
                for k in range(min(s.rooms_below_18, 5))
            )
            rows.append(AlarmRow(key=f"{s.id}/rooms/room_low", point="rooms", rule="room_low",
                                 children=kids, **base))  # fmt: skip
        else:
            rows.append(AlarmRow(key=f"{s.id}/pump1/pump1_fault", point="pump1_speed",
                                 rule="pump1_fault", **base))  # fmt: skip
    return rows


def city(n: int = 62, cold_stations: int = 0) -> tuple:
    """(network, states, alarm rows, key figures) of a sample evening; `cold_stations` more
    stations put in alarm with cold rooms (a cold wave)."""
    net = sd.city_network(n)
    states = sd.city_states(net, t=T0)
    ids = [s.id for s in net.stations if states[s.id].alarm is None]
    prios = itertools.cycle([Priority.HIGH, Priority.MEDIUM, Priority.CRITICAL, Priority.LOW])
    for sid in ids[:cold_stations]:
        s = states[sid]
        below = max(1, s.rooms_total // 3)
        states[sid] = dataclasses.replace(
            s, alarm=next(prios), unacked=True, room_min=16.4, rooms_below_18=below
        )
    rows = alarm_rows(states)
    figs = key_figures(states, rows, False, district_names={d.id: d.name for d in net.districts})
    return net, states, rows, figs


def wall(qtbot, n: int = 62, cold_stations: int = 0, chinese: bool = False) -> WallDisplay:  # type: ignore[no-untyped-def]
    net, states, rows, figs = city(n, cold_stations)
    if chinese:  # the data is Chinese as in the field (the network's name is configuration)
        net = net.model_copy(update={"name": "洛阳热网"})
        rows = [dataclasses.replace(r, message="室温低") for r in rows]
    w = WallDisplay(cycle_s=0)
    qtbot.addWidget(w)
    w.set_network(net)
    w.set_states(states)
    w.set_figures(figs)
    w.set_alarms(rows)
    w.set_time(T0)
    w.resize(1920, 1080)
    w.show()
    QApplication.processEvents()
    return w


class _SizedEngine(_TextEngine):
    """Records every painted text with its font's pixel size."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[tuple[str, int]] = []

    def drawTextItem(self, p: QPointF, item: QTextItem) -> None:
        super().drawTextItem(p, item)
        self.sizes.append((item.text(), QFontInfo(item.font()).pixelSize()))


def painted(w: QWidget) -> tuple[list[str], list[tuple[str, int]]]:
    dev = _TextDevice(w.width(), w.height())
    dev.engine = _SizedEngine()
    QWidget.render(w, dev)
    return dev.engine.texts, dev.engine.sizes


def test_every_district_share_is_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = wall(qtbot, cold_stations=6)
    k: KeyFigures = w.tiles.figures
    assert len(k.districts) == len({s.district for s in w.map.net.stations}) >= 5
    assert any(d.below for d in k.districts)
    texts, _ = painted(w.shares)
    joined = " ".join(texts)
    for d in k.districts:
        assert d.name in joined
        assert share_text(d) in texts, (d, texts)


def test_alarm_rows_most_urgent_first_with_id_name_and_since(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = wall(qtbot, cold_stations=2)
    rows = w.alarm_list.rows
    assert rows == sorted(rows, key=urgency) and len(rows) >= 5
    assert rows[0].priority == Priority.CRITICAL and rows[0].state == AlarmState.UNACK
    texts, _ = painted(w.alarm_list)
    shown = w.alarm_list.shown()
    assert shown, "no row fits"
    for r in shown:
        assert r.station in texts  # the id, never elided
        assert any(r.station_name in t for t in texts)
        assert clock(r.time) in texts
    group = next(r for r in shown if r.children)
    assert any(f"{len(group.children)} rooms" in t for t in texts)
    # shelved alarms are not the hall's business
    shelved = dataclasses.replace(rows[0], key="x/y/z", state=AlarmState.SHELVED)
    assert shelved not in wall_rows([*rows, shelved])


def test_key_figures_are_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = wall(qtbot, cold_stations=3)
    k = w.tiles.figures
    texts, sizes = painted(w.tiles)
    assert integer(k.rooms_below_18) in texts
    assert f"{integer(k.stations_in_alarm)} / {integer(k.stations_total)}" in texts
    assert integer(k.unacked_alarms) in texts
    # the values are the big text of the wall
    assert min(px for t, px in sizes if t == integer(k.rooms_below_18)) >= 2 * MIN_PX


def test_cycles_through_districts(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = wall(qtbot, cold_stations=8)
    views = w.views()
    districts = [
        d.id for d in w.map.net.districts if any(s.district == d.id for s in w.map.net.stations)
    ]
    assert views == [None, *districts]
    w.set_cycle(15)
    assert w.cycle_timer.interval() == 15_000 and w.cycle_timer.isActive()
    w.set_cycle(0)
    seen = []
    city_scale = None
    for _ in range(len(views) + 1):
        d = w.current_district()
        seen.append(d)
        QApplication.processEvents()
        painted(w)  # lays the map out
        rows = w.alarm_list.rows
        if d is None:
            city_scale = w.map._scale
            assert len(rows) == len(wall_rows(w._alarms))
        else:
            assert all(r.district == d for r in rows)
            assert rows == wall_rows(w._alarms, d)
            assert w.map._scale > city_scale  # zoomed on the district
            name = next(x.name for x in w.map.net.districts if x.id == d)
            assert name in w.alarm_list.title and name in w.header.view
        w.cycle_timer.timeout.emit()  # what the timer does every N seconds
    assert seen == [*views, None]  # and back to the whole city


def test_no_text_smaller_than_24_px(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = wall(qtbot, cold_stations=10)
    for view in range(len(w.views())):
        w.show_view(view)
        QApplication.processEvents()
        _, sizes = painted(w)
        assert len(sizes) > 40
        small = [(t, px) for t, px in sizes if px < MIN_PX]
        assert not small, small
    w.set_link_problem("server link lost")
    for c in [w, *w.findChildren(QWidget)]:
        assert QFontInfo(c.font()).pixelSize() >= MIN_PX, c


@pytest.mark.parametrize("cold", [0, 120])
def test_station_labels_never_overlap(qtbot, cold: int) -> None:  # type: ignore[no-untyped-def]
    """757 stations; on a cold wave night 120 more in alarm: every label placed is free of
    every other label and of every other alarmed station's symbol; the rest are counted."""
    w = wall(qtbot, n=757, cold_stations=cold)
    for view in range(len(w.views())):
        w.show_view(view)
        painted(w.map)
        labels = w.map.labels
        assert labels
        for (_, a, ka), (_, b, kb) in itertools.combinations(labels, 2):
            assert not a.intersects(b), (ka, kb)
        marked = w.map._marked()
        named = {k for _, _, k in labels} & {s.id for s in marked}
        assert len(named) + w.map.unlabelled == len(marked)
        if w.current_district() is None:
            # the whole city: only the abnormal stations are named
            assert {k for _, _, k in labels if k != "district"} <= {s.id for s in marked}
        pos = {x.id: x.position for x in w.map.net.stations}
        for s in marked:
            c, r = w.map.to_px(*pos[s.id]), w.map._radius(s)
            symbol = QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)
            for _, rect, k in labels:
                assert k == s.id or not rect.intersects(symbol), (k, s.id)
    w.show_view(0)
    # alarmed stations are big: at the city scale an alarm symbol is 3× a healthy dot
    alarmed = next(s for s in w.map.states.values() if s.alarm == Priority.CRITICAL)
    assert w.map._radius(alarmed) >= 3 * w.map._radius(None)


def test_link_banner(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = wall(qtbot)
    assert not w.link_banner.isVisible()
    w.set_link_problem("no server link since 09:12:03")
    assert w.link_banner.isVisible() and "09:12:03" in w.link_banner.text()
    w.set_link_problem("")
    assert not w.link_banner.isVisible()


def test_failed_stations_are_marked_on_the_map(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = wall(qtbot)
    failed = {s.id for s in w.map.states.values() if s.comm == Quality.COMM_FAIL}
    assert failed and failed <= {s.id for s in w.map._marked()}


@pytest.mark.usefixtures("zh")
def test_zh_cn_shows_no_english(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = wall(qtbot, cold_stations=6, chinese=True)
    settle()
    for view in range(len(w.views())):
        w.show_view(view)
        settle()
        assert_chinese(visible_texts(w), f"wall view {view}")


def test_a_grown_network_is_drawn_with_its_new_stations(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A partition joining the control room: the same map gets a network with more stations
    (and their states) and must place them, not paint from the old positions."""
    small, _, _, _ = city(20)
    w = wall(qtbot, n=20)
    w.map.grab()  # the positions of the small city are now cached
    big, states, rows, _ = city(62)
    assert {s.id for s in big.stations} > {s.id for s in small.stations}
    w.set_network(big)  # drawn once before the new stations' states arrive (their server is
    w.map.grab()  # still connecting): the layout is unchanged, the stations are not
    assert set(w.map._positions()) == {s.id for s in big.stations}
    w.set_states(states)
    w.set_alarms(rows)
    w.map.grab()
