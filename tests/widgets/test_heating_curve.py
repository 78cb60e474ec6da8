"""The heating-curve widget offscreen: six points and the operating point plotted where they
belong, a drag emits the edit intent, refusals are shown, Chinese has no English left."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from widgets.heating_curve import CURVE_POINTS, CurveView, HeatingCurve, curve_value

from .test_zh_cn import assert_chinese, settle, visible_texts, zh  # noqa: F401

VIEW = CurveView(
    station="xg-002 西工二号站",
    points=(75.0, 68.0, 60.0, 52.0, 45.0, 38.0),
    shift=2.0,
    outdoor=-3.0,
    setpoint=66.4,
    actual=64.0,
    t3_min=35.0,
    t3_max=90.0,
)


def shown(qtbot, view: CurveView | None = VIEW) -> HeatingCurve:  # type: ignore[no-untyped-def]
    w = HeatingCurve()
    qtbot.addWidget(w)
    w.resize(640, 420)
    w.set_curve(view)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_curve_value_interpolates_shifts_and_clamps() -> None:
    assert curve_value(VIEW, -3.0, applied=False) == pytest.approx(68.0 - 8.0 * 2 / 5)
    assert curve_value(VIEW, -3.0) == pytest.approx(68.0 - 3.2 + 2.0)
    assert curve_value(VIEW, -30.0) == pytest.approx(77.0)  # flat beyond the end point
    hot = CurveView("x", (95.0, 95.0, 95.0, 60.0, 50.0, 40.0), shift=5.0, t3_max=90.0)
    assert curve_value(hot, -10.0) == 90.0  # T3 max holds


def _pixel(w: HeatingCurve, p: QPointF) -> QColor:
    img = QImage(w.size(), QImage.Format.Format_ARGB32)
    w.render(img)
    return img.pixelColor(p.toPoint())


def test_points_and_operating_point_are_drawn_where_they_belong(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = shown(qtbot)
    xs = [w.point_position(i).x() for i in range(6)]
    ys = [w.point_position(i).y() for i in range(6)]
    assert xs == sorted(xs) and ys == sorted(ys)  # colder outdoors: hotter supply (higher)
    for i, (_, x) in enumerate(CURVE_POINTS):
        assert w.value_at_y(ys[i]) == pytest.approx(VIEW.points[i], abs=0.5)
        c = _pixel(w, w.point_position(i))  # a filled curve marker at each point
        assert c.lightness() > 150, (i, x, c.name())  # light on the dark background
    # The actual T3 ring: blue, at the outdoor temperature and T3's height.
    ring = w._to_px(VIEW.outdoor, VIEW.actual) + QPointF(7, 0)  # on its circle
    c = _pixel(w, ring)
    assert c.blue() > c.red() + 50, c.name()
    sp = _pixel(w, w._to_px(VIEW.outdoor, VIEW.setpoint))  # the setpoint diamond: white
    assert sp.lightness() > 200, sp.name()
    empty = _pixel(w, w._to_px(12.0, 85.0))  # nothing drawn there: the background
    assert empty.lightness() < 80


def test_drag_emits_the_intent_and_writes_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = shown(qtbot)
    got: list[tuple[str, float]] = []
    w.edit_intent.connect(lambda name, v: got.append((name, v)))
    start = w.point_position(2).toPoint()
    target = w._to_px(0.0, 63.0).toPoint()
    QTest.mousePress(w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(w, QPoint(start.x(), (start.y() + target.y()) // 2))
    QTest.mouseMove(w, target)
    QTest.mouseRelease(w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)
    assert len(got) == 1 and got[0][0] == "curve_t3_at_0"
    assert got[0][1] == pytest.approx(63.0, abs=0.5) and got[0][1] * 2 == round(got[0][1] * 2)
    assert w.curve() is VIEW  # the widget shows the device's curve until it changes
    QTest.mouseDClick(w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      w.point_position(5).toPoint())  # fmt: skip
    assert got[-1] == ("curve_t3_at_p15", 38.0)


def test_refused_edit_emits_nothing_and_says_why(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = shown(qtbot)
    got: list[object] = []
    w.edit_intent.connect(lambda *a: got.append(a))
    w.set_editable("needs the engineer role; you are operator")
    p = w.point_position(0).toPoint()
    QTest.mousePress(w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)
    QTest.mouseMove(w, p + QPoint(0, 40))
    QTest.mouseRelease(
        w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p + QPoint(0, 40)
    )
    QTest.mouseDClick(w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)
    assert got == [] and "engineer" in w.toolTip()
    assert any("engineer" in t for t in visible_texts(w))


def test_no_station_says_so(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = shown(qtbot, None)
    assert any("Open a station" in t for t in visible_texts(w))


@pytest.mark.parametrize("view", [VIEW, None])
@pytest.mark.usefixtures("zh")
def test_chinese(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    w = shown(qtbot, view)
    settle()
    texts = visible_texts(w)
    assert any("供热曲线" in t for t in texts)
    assert_chinese(texts, "heating curve")
