from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsView, QToolTip

from console.core.events import Priority
from console.vocabulary.views import StationState
from drivers.samples import Quality
from station_config.loader import load_network
from widgets import colors
from widgets import sample_data as sd
from widgets.network_schematic import NetworkSchematic, Shape
from widgets.schematic_layers import StationLayer

pytestmark = pytest.mark.usefixtures("steady_blink")

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "small_network.yaml"


@pytest.fixture
def small(qtbot):  # type: ignore[no-untyped-def]
    net = load_network(FIXTURE)
    view = NetworkSchematic(net)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    view.fit_to_window()
    return view, net


def good(sid: str, name: str = "x", district: str = "jianxi", **kw: object) -> StationState:
    kw.setdefault("comm", Quality.GOOD)
    return StationState(id=sid, name=name, district=district, **kw)  # type: ignore[arg-type]


def test_one_symbol_per_station_one_item_paints_them(small) -> None:  # type: ignore[no-untyped-def]
    view, net = small
    assert sorted(view.station_ids()) == sorted(s.id for s in net.stations)
    layers = [i for i in view.scene().items() if isinstance(i, StationLayer)]
    assert len(layers) == 1
    assert sorted(s.station_id for s in layers[0].symbols) == sorted(view.station_ids())
    # labels of districts and trunks, and the one station layer: no item per station
    assert len(view.scene().items()) == len(net.districts) + len(net.trunks) + 1


def rgb(view: NetworkSchematic) -> np.ndarray:
    """The viewport as the screen shows it after this event-loop turn, rows x cols x RGB.

    Read from the window's backing store (not `grab()`, which repaints everything): a
    symbol that was not scheduled for a repaint keeps its old look here, as on screen."""
    QApplication.processEvents()
    vp = view.viewport()
    o = vp.mapTo(view.window(), QPoint(0, 0))
    shot = view.screen().grabWindow(view.window().winId(), o.x(), o.y(), vp.width(), vp.height())
    img = shot.toImage().convertToFormat(QImage.Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine() // 4, 4)
    return a[: img.height(), : img.width(), 2::-1].astype(int)  # BGRA in memory -> RGB


def at(view: NetworkSchematic, sid: str) -> tuple[int, int]:
    p = view.mapFromScene(view.station_item(sid).pos())
    return p.x(), p.y()


def close_to(px: np.ndarray, c: QColor, tol: int = 6) -> bool:
    return bool(np.abs(px - np.array([c.red(), c.green(), c.blue()])).max() <= tol)


def test_big_network_one_item_each(qtbot) -> None:  # type: ignore[no-untyped-def]
    net = sd.city_network(757)
    view = NetworkSchematic(net)
    qtbot.addWidget(view)
    assert len(view.station_ids()) == 757
    assert view.update_states(sd.city_states(net)) == 757
    # the same states again: nothing changes, nothing repaints
    assert view.update_states(sd.city_states(net)) == 0


def test_state_changes_symbol(small) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    item = view.station_item("jx-001")
    assert item.comm == Quality.NO_DATA
    view.update_states({"jx-001": good("jx-001")})
    assert item.brush().color() == colors.SYMBOL
    assert item.shape_kind == Shape.DOT

    changed = view.update_states({"jx-001": good("jx-001", alarm=Priority.CRITICAL, unacked=True)})
    assert changed == 1
    assert item.brush().color() == colors.PRIORITY_COLOR[Priority.CRITICAL]
    assert item.shape_kind == Shape.SQUARE  # not colour alone
    assert item.blinking

    # a change that does not alter the symbol does not count as a repaint
    s = dataclasses.replace(item.state, room_min=15.2)
    assert view.update_states({"jx-001": s}) == 0
    assert item.state.room_min == 15.2


def test_comm_fail_is_hatched_and_stale_grey(small) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    view.update_states(
        {
            "jx-002": good("jx-002", comm=Quality.COMM_FAIL),
            "xg-001": good("xg-001", comm=Quality.STALE),
        }
    )
    failed = view.station_item("jx-002").brush()
    assert failed.style() == Qt.BrushStyle.BDiagPattern
    assert failed.color() == colors.COMM_FAIL
    assert view.station_item("xg-001").brush().color() == colors.STALE


def test_blink_dims_only_unacked(small, steady_blink) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    view.update_states(
        {
            "jx-001": good("jx-001", alarm=Priority.HIGH, unacked=True),
            "jx-002": good("jx-002", alarm=Priority.HIGH, unacked=False),
        }
    )
    steady_blink.set_phase(False)
    assert view.station_item("jx-001").brush().color() != colors.PRIORITY_COLOR[Priority.HIGH]
    assert view.station_item("jx-002").brush().color() == colors.PRIORITY_COLOR[Priority.HIGH]
    steady_blink.set_phase(True)
    assert view.station_item("jx-001").brush().color() == colors.PRIORITY_COLOR[Priority.HIGH]


def test_tooltip_text(small) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    view.update_states(
        {
            "jx-001": good(
                "jx-001",
                name="涧西一号站",
                room_min=15.5,
                room_mean=18.2,
                rooms_below_18=4,
                rooms_below_16=1,
                rooms_total=12,
                t1=98.0,
                t3=52.5,
                heat_power_kw=1800,
            )
        }
    )
    text = view.tooltip_for("jx-001")
    for part in (
        "涧西一号站",
        "涧西区",
        "good",
        "15.5",
        "18.2",
        "4 of 12",
        "98.0",
        "52.5",
        "1,800",
    ):
        assert part in text

    # a real tooltip event over the symbol shows the same text
    pos = view.mapFromScene(view.station_item("jx-001").pos())
    ev = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    view.viewportEvent(ev)
    assert "涧西一号站" in QToolTip.text()


def test_click_and_double_click_emit(small, qtbot) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    pos = view.mapFromScene(view.station_item("xg-002").pos())
    with qtbot.waitSignal(view.station_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert clicked.args == ["xg-002"]
    with qtbot.waitSignal(view.station_activated) as act:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert act.args == ["xg-002"]
    # clicking empty space emits nothing
    with qtbot.assertNotEmitted(view.station_clicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))


def test_fit_shows_everything_and_zoom(small, qtbot) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    view.zoom_by(8.0)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert not visible.contains(view.content_rect())
    qtbot.keyClick(view, Qt.Key.Key_F)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    r = view.content_rect()
    assert visible.adjusted(-1, -1, 1, 1).contains(r)
    for sid in view.station_ids():
        p = view.mapFromScene(view.station_item(sid).pos())
        assert view.viewport().rect().contains(p)


def test_wheel_zooms_around_cursor(small) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    before = view.px_per_km()
    view.zoom_by(2.0)
    assert view.px_per_km() == pytest.approx(before * 2.0)
    view.zoom_by(1e9)  # clamped
    assert view.px_per_km() == pytest.approx(2000.0)


def test_wheel_keeps_point_under_cursor(small) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    item = view.station_item("xg-002")
    pos = view.mapFromScene(item.pos())
    before = view.px_per_km()
    ev = QWheelEvent(
        QPointF(pos), QPointF(view.viewport().mapToGlobal(pos)), QPoint(0, 0), QPoint(0, 240),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
    QApplication.sendEvent(view.viewport(), ev)
    assert view.px_per_km() == pytest.approx(before * 1.44)
    after = view.mapFromScene(item.pos())
    assert abs(after.x() - pos.x()) <= 2 and abs(after.y() - pos.y()) <= 2


def text_pixels(view: NetworkSchematic, sid: str) -> int:
    """Bright pixels where the station's name goes (right of its symbol)."""
    x, y = at(view, sid)
    region = rgb(view)[y - 6 : y + 7, x + 12 : x + 70]
    return int((region.min(axis=2) >= 0x90).sum())


def test_labels_only_when_zoomed(small, qtbot) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    view.update_states({"jx-001": good("jx-001"), "xg-002": good("xg-002", alarm=Priority.HIGH)})
    view._set_px_per_km(10)
    view.center_on_station("jx-001")
    assert text_pixels(view, "jx-001") == 0
    view.center_on_station("xg-002")
    assert text_pixels(view, "xg-002") > 20  # a station in alarm is named at every zoom
    # zoomed in somewhat: names of abnormal stations only
    view._set_px_per_km(60)
    view.center_on_station("xg-002")
    assert text_pixels(view, "xg-002") > 20
    view.center_on_station("jx-001")
    assert text_pixels(view, "jx-001") == 0
    # zoomed in far: every name
    view._set_px_per_km(300)
    view.center_on_station("jx-001")
    assert text_pixels(view, "jx-001") > 20


def test_symbols_painted_in_state_colours(small, steady_blink) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    view.update_states(
        {
            "jx-001": good("jx-001", alarm=Priority.CRITICAL, unacked=True),
            "jx-002": good("jx-002"),
            "xg-001": good("xg-001", comm=Quality.COMM_FAIL),
            "xg-002": good("xg-002", comm=Quality.STALE),
        }
    )
    img = rgb(view)
    x, y = at(view, "jx-001")
    assert close_to(img[y, x], colors.PRIORITY_COLOR[Priority.CRITICAL])
    x, y = at(view, "jx-002")
    assert close_to(img[y, x], colors.SYMBOL)
    # comm failed: hatched, so the symbol holds both the comm colour and the background
    x, y = at(view, "xg-001")
    sym = img[y - 6 : y + 7, x - 6 : x + 7].reshape(-1, 3)
    assert any(close_to(px, colors.COMM_FAIL, 30) for px in sym)
    assert any(close_to(px, colors.BACKGROUND, 12) for px in sym)
    # stale: grey, with a "?" up and to the right (bright text pixels there)
    x, y = at(view, "xg-002")
    assert close_to(img[y, x], colors.STALE)
    assert int((img[y - 12 : y - 1, x + 4 : x + 15].min(axis=2) >= 0xB0).sum()) >= 3

    # the blink's dim phase repaints the unacknowledged symbol, not the others
    steady_blink.set_phase(False)
    img = rgb(view)
    x, y = at(view, "jx-001")
    assert not close_to(img[y, x], colors.PRIORITY_COLOR[Priority.CRITICAL], 30)
    x, y = at(view, "jx-002")
    assert close_to(img[y, x], colors.SYMBOL)
    steady_blink.set_phase(True)
    x, y = at(view, "jx-001")
    assert close_to(rgb(view)[y, x], colors.PRIORITY_COLOR[Priority.CRITICAL])


def test_selection_ring_painted(small) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    view.update_states({"xg-001": good("xg-001")})
    x, y = at(view, "xg-001")

    def ring_pixels() -> int:
        box = rgb(view)[y - 22 : y + 23, x - 22 : x + 23]  # the ring clears an alarm's halo
        return int((box.min(axis=2) >= 0xC8).sum())  # SELECT is near white

    before = ring_pixels()  # a neighbour's name may reach into the box
    view.select_station("xg-001")
    assert view.selected_station() == "xg-001"
    assert ring_pixels() > before + 10
    view.select_station(None)
    assert ring_pixels() == before


def test_cached_background_matches_a_fresh_paint(small, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Resize, zoom, pan and a new network go through the cached static layer; the result
    must be what an uncached paint shows (nothing stale, nothing shifted)."""
    view, _ = small
    view.update_states({"jx-001": good("jx-001", alarm=Priority.HIGH)})
    view.resize(760, 590)
    rgb(view)
    view.zoom_by(3.0, anchor=QPointF(200, 200))
    rgb(view)  # painted: the cache holds this zoom level
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 37)
    rgb(view)  # the cache is scrolled and only the uncovered strip painted
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() - 23)
    assert_as_fresh(view)
    # another network: the cached background of the first one must not survive
    view.set_network(sd.city_network(40))
    assert_as_fresh(view)


def test_new_network_same_extent_repaints_background(small) -> None:  # type: ignore[no-untyped-def]
    """A station moved inside its district: same extent, same zoom, new branch line."""
    view, net = small
    moved = [
        s.model_copy(update={"position": (-4.0, -0.3)}) if s.id == "jx-001" else s
        for s in net.stations
    ]
    net2 = net.model_copy(update={"stations": moved})
    rgb(view)
    transform = view.transform()
    view.set_network(net2)
    assert view.transform() == transform
    assert_as_fresh(view)


def assert_as_fresh(view: NetworkSchematic) -> None:
    """What the view shows equals a paint without the background cache."""
    cached = rgb(view)
    view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
    view.viewport().update()
    fresh = rgb(view)
    view.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
    assert cached.shape == fresh.shape
    assert int((np.abs(cached - fresh).max(axis=2) > 8).sum()) == 0


def test_hit_test_at_point(small) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    pos = view.mapFromScene(view.station_item("jx-001").pos())
    item = view.station_at(QPointF(pos))
    assert item is not None and item.station_id == "jx-001"
    assert view.station_at(QPointF(3, 3)) is None


def test_hit_test_prefers_the_symbol_on_top(small) -> None:  # type: ignore[no-untyped-def]
    """Zoomed out, two symbols overlap: the alarm is drawn over the healthy dot, and a click
    there opens the alarm; among equals the nearest wins."""
    view, _ = small
    view.update_states({"jx-001": good("jx-001"), "jx-002": good("jx-002")})
    view._set_px_per_km(4)  # jx-001 and jx-002 are 1.4 km apart: under 6 px
    pos = QPointF(view.mapFromScene(view.station_item("jx-001").pos()))
    assert view.station_at(pos).station_id == "jx-001"  # nearest
    view.update_states({"jx-002": good("jx-002", alarm=Priority.MEDIUM)})
    assert view.station_at(pos).station_id == "jx-002"  # drawn on top


def test_alarm_symbol_drawn_over_a_healthy_neighbour(small) -> None:  # type: ignore[no-untyped-def]
    """jx-002 comes later in the network, yet jx-001's alarm square covers its dot."""
    view, _ = small
    view.update_states(
        {"jx-001": good("jx-001", alarm=Priority.CRITICAL), "jx-002": good("jx-002")}
    )
    view._set_px_per_km(4)  # 4 px apart on each axis: the square (±6 px) covers the dot
    view.center_on_station("jx-001")
    x, y = at(view, "jx-002")
    assert close_to(rgb(view)[y, x], colors.PRIORITY_COLOR[Priority.CRITICAL])


def test_crowded_names_do_not_print_over_each_other(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Two stations 30 m apart at the every-name zoom: their names would overlap. An abnormal
    station's name always shows; the healthy neighbour's is left out (its tooltip names it),
    and shows again once the neighbour is normal too (first come, first placed)."""
    net = load_network(FIXTURE)
    stations = [
        s.model_copy(update={"position": (-4.0, 0.53)}) if s.id == "jx-002" else s
        for s in net.stations
    ]
    net = net.model_copy(update={"stations": stations})
    view = NetworkSchematic(net)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    view.update_states({"jx-001": good("jx-001"), "jx-002": good("jx-002", alarm=Priority.LOW)})
    view._set_px_per_km(300)  # every name; the two are 9 px apart vertically
    view.center_on_station("jx-001")
    assert text_pixels(view, "jx-002") > 20  # the alarm's name
    x1, y1 = at(view, "jx-001")
    _, y2 = at(view, "jx-002")
    assert abs(y1 - y2) < 12
    # jx-001's own row, away from jx-002's name box (which ends ~7 px from jx-002's centre)
    below = 1 if y1 > y2 else -1
    row = rgb(view)[y1 + below * 5 : y1 + below * 7, x1 + 12 : x1 + 70]
    assert int((row.min(axis=2) >= 0x90).sum()) == 0  # no healthy name printed over it
    view.update_states({"jx-002": good("jx-002")})
    assert text_pixels(view, "jx-001") > 20  # both healthy: jx-001 comes first and shows


def test_label_grid_claims_free_boxes_only() -> None:
    from widgets.schematic_layers import _LabelGrid

    g = _LabelGrid()
    assert g.claim_if_free((0, 0, 100, 14))
    assert not g.claim_if_free((90, 10, 190, 24))  # overlaps the first
    assert g.claim_if_free((100, 0, 200, 14))  # touches its edge only
    assert g.claim_if_free((0, 14, 100, 28))  # the row below
    assert not g.claim_if_free((150, 5, 160, 6))  # inside the second, across a cell border


# ---- alarms you cannot miss on the 757-station city (issue 11) ------------------------------


def _painted_boxes(view: NetworkSchematic) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every text the viewport paints, with its box in viewport px (a recording paint engine)."""
    from tests.widgets.test_zh_cn import _TextDevice, _TextEngine

    class Boxes(_TextEngine):
        def __init__(self) -> None:
            super().__init__()
            self.boxes: list[list[float]] = []

        def drawTextItem(self, p, item) -> None:  # type: ignore[no-untyped-def]
            # One drawText comes as several items when the font changes inside it (CJK, then
            # digits): an item on the same baseline starting where the last ended continues it.
            top, bottom = p.y() - item.ascent(), p.y() + item.descent()
            last = self.boxes[-1] if self.boxes else None
            if last is not None and abs(p.y() - last[4]) < 0.5 and abs(p.x() - last[2]) < 3:
                self.texts[-1] += item.text()
                last[2] = p.x() + item.width()
            else:
                self.texts.append(item.text())
                self.boxes.append([p.x(), top, p.x() + item.width(), bottom, p.y()])

    vp = view.viewport()
    dev = _TextDevice(vp.width(), vp.height())
    dev.engine = Boxes()
    vp.render(dev)
    rows = zip(dev.engine.texts, dev.engine.boxes, strict=True)
    return [(t, (b[0], b[1], b[2], b[3])) for t, b in rows]


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _city_with_alarms(qtbot, width: int, height: int):  # type: ignore[no-untyped-def]
    """The generated 757-station city with 60 stations in alarm, some in tight clusters."""
    net = sd.city_network(757)
    view = NetworkSchematic(net)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    states = sd.city_states(net)
    prios = [Priority.CRITICAL, Priority.HIGH, Priority.MEDIUM, Priority.LOW]
    alarmed = [s.id for s in net.stations[100:130]] + [s.id for s in net.stations[::25]]
    for n, sid in enumerate(dict.fromkeys(alarmed)):
        states[sid] = dataclasses.replace(
            states[sid], alarm=prios[n % 4], unacked=n % 3 != 0, comm=Quality.GOOD
        )
    view.update_states(states)
    view.fit_to_window()
    return view, net, [sid for sid in dict.fromkeys(alarmed)]


@pytest.mark.parametrize("size", [(1366, 560), (1920, 860)], ids=["1366x768", "1920x1080"])
def test_alarm_names_all_shown_never_overlapping(qtbot, size) -> None:  # type: ignore[no-untyped-def]
    """At the overview zoom every station in alarm is named (beside it, or in the column with a
    leader line), and no two names share a pixel; before, there were no names at all at this
    zoom and at the name zoom they were printed over each other."""
    view, _, alarmed = _city_with_alarms(qtbot, *size)
    assert view.px_per_km() < 40  # the whole city: the zoom where names used to be left out
    layer = next(i for i in view.scene().items() if isinstance(i, StationLayer))
    abnormal = {s.name for s in layer.symbols if s.abnormal}  # alarms and comm trouble
    assert {view.station_item(sid).name for sid in alarmed} <= abnormal
    painted = [(t, b) for t, b in _painted_boxes(view) if t in abnormal or "more" in t]
    placed = layer.place_alarm_names(view.viewportTransform(), view.viewport().rect().toRectF())
    shown = {layer.symbols[i].name for i in placed.shown()}
    assert {t for t, _ in painted} >= shown and len(shown) == len(placed.shown())
    assert len(shown) + placed.more == len(abnormal)  # the rest are counted on the map
    if placed.more:
        assert f"+{placed.more} more in the alarm list" in {t for t, _ in painted}
    # the most severe are the ones named
    assert all(s.name in shown for s in layer.symbols if s.priority is Priority.CRITICAL)
    for n, (_, a) in enumerate(painted):
        for _, b in painted[n + 1 :]:
            assert not _overlap(a, b), (a, b)
    vp = view.viewport().rect()
    for _, b in painted:  # inside the map
        assert b[0] >= 0 and b[2] <= vp.width() and b[1] >= 0 and b[3] <= vp.height()


def test_alarm_symbol_is_large_and_flashes(small, steady_blink) -> None:  # type: ignore[no-untyped-def]
    """Seen from across the room: an alarm symbol covers many times a healthy dot's pixels, and
    an unacknowledged one flashes a ring in its priority colour."""
    view, _ = small
    crit = colors.PRIORITY_COLOR[Priority.CRITICAL]
    view.update_states(
        {"jx-001": good("jx-001", alarm=Priority.CRITICAL, unacked=True), "jx-002": good("jx-002")}
    )

    def pixels(sid: str, c: QColor) -> int:
        x, y = at(view, sid)
        box = rgb(view)[y - 22 : y + 23, x - 22 : x + 23].reshape(-1, 3)
        return sum(close_to(px, c, 30) for px in box)

    on = pixels("jx-001", crit)
    assert on >= 10 * pixels("jx-002", colors.SYMBOL) and on >= 500
    steady_blink.set_phase(False)
    off = pixels("jx-001", crit)
    steady_blink.set_phase(True)
    assert off < on / 2  # the ring and the bright fill go: a flash seen from afar


def test_zooming_in_names_every_station(qtbot) -> None:  # type: ignore[no-untyped-def]
    """In the densest district, zoomed in, every station on screen shows its name."""
    net = sd.city_network(757)
    view = NetworkSchematic(net)
    qtbot.addWidget(view)
    view.resize(1366, 560)
    view.show()
    qtbot.waitExposed(view)
    view.update_states(sd.city_states(net))
    share = {}
    for zoom in (400, 1000):
        view.center_on_station(net.stations[200].id, px_per_km=zoom)
        vp = view.viewport().rect()
        on_screen = set()
        for s in net.stations:
            p = view.mapFromScene(view.station_item(s.id).pos())
            if 0 <= p.x() < vp.width() and 0 <= p.y() < vp.height():
                on_screen.add(view.station_item(s.id).name)
        painted = {t for t, _ in _painted_boxes(view)}
        share[zoom] = len(on_screen & painted) / len(on_screen)
        assert len(on_screen) >= 5
    assert share[400] >= 0.95 and share[1000] == 1.0, share


@pytest.mark.parametrize("height", [500, 515, 530])
def test_a_name_crowded_off_its_sides_stays_by_its_symbol_not_in_the_column(qtbot, height) -> None:  # type: ignore[no-untyped-def]
    """The demo's 西工区 at the overview zoom of a 1366×768 window: 丹城苑 (xg-001) and 汉宫花苑
    (xg-002) sit a symbol apart, so the second name found right, left, above and below taken and
    was drawn in the column at the map's right edge, a leader line across half the city (seen
    in the demo, twice). A corner beside its symbol, or a place one name further out with a
    short leader, is free: it goes there."""
    from station_config.loader import DEMO_CONFIG

    net = load_network(DEMO_CONFIG)
    view = NetworkSchematic(net)
    qtbot.addWidget(view)
    view.resize(1366, height)
    view.show()
    qtbot.waitExposed(view)
    names = {s.id: s.name for s in net.stations}
    alarmed = {"xg-001": Priority.HIGH, "xg-002": Priority.HIGH, "jx-001": Priority.LOW,
               "jx-002": Priority.CRITICAL}  # fmt: skip
    states = {sid: good(sid, name) for sid, name in names.items()}
    states.update({sid: good(sid, names[sid], alarm=p, unacked=True) for sid, p in alarmed.items()})
    view.update_states(states)
    view.fit_to_window()
    layer = next(i for i in view.scene().items() if isinstance(i, StationLayer))
    placed = layer.place_alarm_names(view.viewportTransform(), view.viewport().rect().toRectF())
    assert placed.callouts == [] and placed.more == 0
    near = [*placed.placed, *placed.led]
    assert {layer.symbols[i].station_id for i, _ in near} == set(alarmed)
    boxes = [b for _, b in near]
    for n, a in enumerate(boxes):  # never over each other
        for b in boxes[n + 1 :]:
            assert not _overlap(a, b), (a, b)
    for i, b in near:  # each by its own symbol (beside it, or one name's height further)
        X, Y = placed.anchors[i]
        assert b[0] - 80 <= X <= b[2] + 80 and b[1] - 80 <= Y <= b[3] + 80


def _ink_rows(img: QImage, top: int) -> tuple[int, int]:
    """First and last row at or below `top` with ink (pixels far from the corner's colour)."""
    a = rgb_of(img).astype(int)
    far = np.abs(a[top:] - a[0, 0]).sum(axis=2).max(axis=1) > 150
    rows = np.flatnonzero(far)
    return top + int(rows[0]), top + int(rows[-1])


def rgb_of(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    ptr = img.constBits()
    arr = np.frombuffer(ptr, np.uint8, img.bytesPerLine() * img.height())
    rows = arr.reshape(img.height(), img.bytesPerLine())[:, : img.width() * 3]
    return rows.reshape(img.height(), img.width(), 3).copy()  # the image's buffer goes with it


def test_a_plants_chinese_name_is_drawn_whole(qapp) -> None:  # type: ignore[no-untyped-def]
    """偃师热电 under its plant symbol read "偃师执由": a 14-px box cut the CJK glyphs' tops
    and bottoms. The name's ink is as tall as the same text drawn unbounded in the same font."""
    from PySide6.QtGui import QPainter

    from widgets.schematic_layers import SourceGlyph, StaticLayers

    layers = StaticLayers()
    name = "偃师热电"

    def painted(draw) -> QImage:  # type: ignore[no-untyped-def]
        img = QImage(200, 120, QImage.Format.Format_RGB32)
        img.fill(colors.BACKGROUND)
        p = QPainter(img)
        p.setFont(layers.source_font)
        p.translate(100, 30)
        draw(p)
        p.end()
        return img

    glyph = SourceGlyph(QPointF(0, 0), name, "", 120.0)

    layers_img = painted(lambda p: StaticLayers._paint_source(p, glyph))
    free = painted(lambda p: (p.setPen(colors.TEXT), p.drawText(QPointF(-40, 60), name)))
    top, bottom = _ink_rows(layers_img, 30 + 12)  # below the symbol's box
    ftop, fbottom = _ink_rows(free, 0)
    assert bottom - top >= (fbottom - ftop) - 1, (top, bottom, ftop, fbottom)
