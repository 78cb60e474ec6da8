from __future__ import annotations

import dataclasses
import math

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPaintEngine, QPaintEngineState, QPolygonF, QTextItem, QTransform
from PySide6.QtWidgets import QWidget

from console.core.events import Priority
from console.vocabulary.views import StationState
from drivers.samples import Quality
from tests.widgets.test_zh_cn import _TextDevice, _TextEngine
from widgets import sample_data as sd
from widgets.station_view import StationView, with_bands

pytestmark = pytest.mark.usefixtures("steady_blink")

STATE = StationState(
    id="jx-001", name="涧西一号站", district="jianxi", comm=Quality.GOOD, t3_setpoint=55.0,
    rooms_total=120, rooms_below_18=37, rooms_below_16=9, room_min=14.6,
)  # fmt: skip


def make(qtbot, state: StationState = STATE, **kw: bool) -> StationView:  # type: ignore[no-untyped-def]
    view = StationView()
    qtbot.addWidget(view)
    view.resize(1366, 640)
    view.set_station(state, sd.station_points(**kw))
    view.set_rooms(sd.station_rooms(120, cold=kw.get("cold", False)))
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # paint once so the diagram's value boxes are laid out
    return view


def test_values_on_diagram_and_click(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make(qtbot, cold=True)
    hits = view.diagram.hit_points()
    for name in (
        "t1_primary_supply", "t2_primary_return", "t3_secondary_supply", "t4_secondary_return",
        "p1_primary_supply", "p3_secondary_supply", "primary_flow", "secondary_flow",
        "valve_position", "makeup_flow", "heat_power", "pump1_speed", "pump2_speed",
    ):  # fmt: skip
        assert name in hits, name
    pos = view.diagram.box_center("t3_secondary_supply").toPoint()
    with qtbot.waitSignal(view.point_activated) as sig:
        qtbot.mouseClick(view.diagram, Qt.MouseButton.LeftButton, pos=pos)
    assert sig.args == ["t3_secondary_supply"]


def test_indicators_get_bands(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make(qtbot, cold=True)
    t3 = view.indicators["t3_secondary_supply"].point()
    assert t3 is not None and t3.setpoint == 55.0
    assert t3.normal_low == 50.0 and t3.normal_high == 60.0
    p3 = view.indicators["p3_secondary_supply"].point()
    assert p3 is not None and (p3.alarm_low, p3.alarm_high) == (250, 600)
    rmin = view.indicators["room_temp_min"].point()
    assert rmin is not None and rmin.alarm == Priority.CRITICAL and rmin.alarm_low == 16.0
    assert view.indicators["room_temp_min"].alarm() == Priority.CRITICAL


def test_write_requested_and_local_indicator(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make(qtbot, dataclasses.replace(STATE, local_control=True), local=True)
    assert "LOCAL" in view.control_badge.text()
    assert "weather curve" in view.mode_badge.text()
    _, _, btn = view.setpoint_rows["room_setpoint"]
    with qtbot.waitSignal(view.write_requested) as sig:
        btn.click()
    assert sig.args == ["room_setpoint"]


def test_bad_quality_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    state = dataclasses.replace(STATE, comm=Quality.COMM_FAIL, error="timeout")
    view = make(qtbot, state)
    assert "COMMUNICATION FAILED" in view.comm_badge.text()
    assert view.comm_badge.property("quality") == "comm"


def test_rooms_caption_and_click(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make(qtbot, cold=True)
    assert "120 sensors" in view.rooms_caption.text()
    pos = view.room_grid.cell_rect(4).center().toPoint()
    with qtbot.waitSignal(view.room_clicked) as sig:
        qtbot.mouseClick(view.room_grid, Qt.MouseButton.LeftButton, pos=pos)
    assert sig.args == [4]


def test_with_bands_keeps_given_limits() -> None:
    pts = sd.station_points()
    pts["room_temp_min"] = dataclasses.replace(pts["room_temp_min"], normal_low=17.0)
    out = with_bands(pts, STATE)
    assert out["room_temp_min"].normal_low == 17.0
    assert out["room_temp_min"].normal_high == 24.0


def test_change_buttons_follow_the_role(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A role that may not write: every "Change…" disabled, the reason on hover; it holds
    across the next live update and goes when the role allows."""
    view = make(qtbot)
    reason = "needs the engineer role; you are operator"
    view.set_allowed(lambda verb: reason if verb == "write" else None)
    view.set_station(STATE, sd.station_points())  # the next live update keeps it
    for _lab, _val, btn in view.setpoint_rows.values():
        assert not btn.isEnabled() and reason in btn.toolTip()
    view.set_allowed(lambda verb: None)
    writable = [b for n, (_l, _v, b) in view.setpoint_rows.items() if view.points()[n].writable]
    assert writable and all(b.isEnabled() and reason not in b.toolTip() for b in writable)


# --- issue 11: a diagram readable from a metre, over the width it has --------------------------


class _Recorder(_TextEngine):
    """Draws nothing; records every text item with its effective pixel size and its rectangle
    in device pixels (the painter's transform applied), and the extent of every shape."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, float, QRectF]] = []
        self.extent = QRectF()
        self._xf = QTransform()
        self._end: tuple[float, float] | None = None  # where the last text item ended

    def updateState(self, state: QPaintEngineState) -> None:
        if state.state() & QPaintEngine.DirtyFlag.DirtyTransform:
            self._xf = state.transform()

    def drawTextItem(self, p: QPointF, item: QTextItem) -> None:
        font = item.font()
        px = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
        scale = math.sqrt(abs(self._xf.determinant()))
        rect = QRectF(p.x(), p.y() - item.ascent(), item.width(), item.ascent() + item.descent())
        rect = self._xf.mapRect(rect)
        base = self._xf.map(p)
        end = self._end
        self._end = (base.x() + item.width() * scale, base.y())
        if self.items and end and abs(base.y() - end[1]) < 0.5 and abs(base.x() - end[0]) < 1.0:
            # One text drawn as several items (a fallback font for some characters): one label.
            text, size, prev = self.items[-1]
            self.items[-1] = (text + item.text(), min(size, px * scale), prev.united(rect))
        elif item.text().strip():
            self.items.append((item.text(), px * scale, rect))
        self.extent = self.extent.united(rect)

    def _shape(self, rect: QRectF) -> None:
        self.extent = self.extent.united(self._xf.mapRect(rect))

    def drawLines(self, lines, count=None) -> None:  # type: ignore[no-untyped-def]
        for ln in lines if isinstance(lines, list) else [lines]:
            self._shape(QRectF(ln.p1(), ln.p2()).normalized())

    def drawRects(self, rects, count=None) -> None:  # type: ignore[no-untyped-def]
        for r in rects if isinstance(rects, list) else [rects]:
            self._shape(QRectF(r))

    def drawPath(self, path) -> None:  # type: ignore[no-untyped-def]
        self._shape(path.boundingRect())

    def drawPolygon(self, points, count=None, mode=None) -> None:  # type: ignore[no-untyped-def]
        self._shape(QPolygonF(points).boundingRect() if isinstance(points, list) else QRectF())

    def drawEllipse(self, r) -> None:  # type: ignore[no-untyped-def]
        self._shape(QRectF(r))


def painted(widget: QWidget) -> _Recorder:
    dev = _TextDevice(widget.width(), widget.height())
    dev.engine = _Recorder()
    QWidget.render(widget, dev)
    return dev.engine


@pytest.mark.parametrize("height", [768, 480, 360])  # alone; the window's tab; 1366x768 zh
@pytest.mark.parametrize("kind", ["cold", "faults"])
def test_diagram_readable_and_wide(qtbot, lang: str, height: int, kind: str) -> None:  # type: ignore[no-untyped-def]
    """At 1366 wide: every label >= 12 px, no two labels overlap, the diagram spans >= 80 %
    of its width, and the words are the dispatcher's (T1 一次供水温度, 设定 …)."""
    view = StationView()
    qtbot.addWidget(view)
    view.resize(1366, height)
    pts = sd.station_points(cold=True)
    if kind == "faults":  # quality markers and alarm tags beside the boxes
        pts = {
            **pts,
            "t1_primary_supply": dataclasses.replace(
                pts["t1_primary_supply"], quality=Quality.COMM_FAIL
            ),
            "makeup_flow": dataclasses.replace(
                pts["makeup_flow"], quality=Quality.STALE, alarm=Priority.HIGH
            ),
        }
    view.set_station(STATE, pts)
    view.set_rooms(sd.station_rooms(120, cold=True))
    view.show()
    qtbot.waitExposed(view)
    diagram = view.diagram
    eng = painted(diagram)
    texts = [t for t, _, _ in eng.items]
    assert len(texts) >= 25, texts
    small = [(t, round(px, 1)) for t, px, _ in eng.items if px < 12.0]
    assert not small, small
    for i, (a, _, ra) in enumerate(eng.items):
        for b, _, rb in eng.items[i + 1 :]:
            inner = ra.adjusted(0.5, 0.5, -0.5, -0.5)
            assert not inner.intersects(rb.adjusted(0.5, 0.5, -0.5, -0.5)), (a, b, ra, rb)
    assert eng.extent.width() >= 0.8 * diagram.width(), (eng.extent, diagram.width())
    # nothing drawn below the diagram's edge (squeezed, the 2nd pump's label was cut off)
    assert eng.extent.bottom() <= diagram.height() + 0.5, (eng.extent, diagram.height())
    joined = " | ".join(texts)
    if lang == "zh_CN":
        for words in ("T1 一次供水温度", "T3 二次供水温度", "补水流量", "设定"):
            assert words in joined, (words, joined)
    else:
        for words in ("T1 primary supply", "Make-up flow", "setpoint"):
            assert words in joined, (words, joined)
    assert not any(t in ("T1", "p1", "P1") for t in texts)  # no bare tags


def test_many_rooms_scroll_instead_of_raising_the_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A 330-room station needs ~350 px of numbered cells: the grid scrolls, the view's minimum
    stays what a 60-room station asks (the window must fit 1366x768 in both languages)."""
    view = make(qtbot)
    view.set_rooms(sd.station_rooms(60))
    view.grab()
    few = view.minimumSizeHint().height()
    view.set_rooms(sd.station_rooms(330))
    view.grab()
    assert view.minimumSizeHint().height() <= few
    bar = view.room_scroll.verticalScrollBar()
    view.resize(1366, 520)
    view.grab()
    assert view.room_grid.height() > view.room_scroll.viewport().height()  # rows below: scroll
    assert bar.maximum() > 0
    grid = view.room_grid
    assert grid.cell_rect(329).height() >= grid.value_font_px()  # the cells keep their numbers


def test_no_station_no_change_buttons(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Before a station is opened every "Change…" is disabled and says why (a dispatcher
    clicking one got nothing); a role's reason wins; opening a station enables them."""
    view = StationView()
    qtbot.addWidget(view)
    for _lab, _val, btn in view.setpoint_rows.values():
        assert not btn.isEnabled() and "Open a station" in btn.toolTip()
    reason = "needs the engineer role; you are viewer"
    view.set_allowed(lambda verb: reason if verb == "write" else None)
    assert all(b.toolTip() == reason for _l, _v, b in view.setpoint_rows.values())
    view.set_allowed(lambda verb: None)
    assert not any(b.isEnabled() for _l, _v, b in view.setpoint_rows.values())
    view.set_station(STATE, sd.station_points())
    writable = [b for n, (_l, _v, b) in view.setpoint_rows.items() if view.points()[n].writable]
    assert writable and all(b.isEnabled() for b in writable)
