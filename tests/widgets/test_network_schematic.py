from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from console.core.events import Priority
from drivers.samples import Quality
from station_config.loader import load_network
from widgets import colors
from widgets import sample_data as sd
from widgets.network_schematic import NetworkSchematic, Shape, StationItem
from widgets.view_models import StationState

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


def test_one_item_per_station(small) -> None:  # type: ignore[no-untyped-def]
    view, net = small
    items = [i for i in view.scene().items() if isinstance(i, StationItem)]
    assert sorted(i.station_id for i in items) == sorted(s.id for s in net.stations)


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


def test_labels_only_when_zoomed(small) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    item = view.station_item("jx-001")
    view.update_states({"jx-001": good("jx-001")})
    view._set_px_per_km(10)
    narrow = item.boundingRect().width()
    view._set_px_per_km(300)
    assert item.boundingRect().width() > narrow


def test_hit_test_at_point(small) -> None:  # type: ignore[no-untyped-def]
    view, _ = small
    pos = view.mapFromScene(view.station_item("jx-001").pos())
    item = view.station_at(QPointF(pos))
    assert item is not None and item.station_id == "jx-001"
