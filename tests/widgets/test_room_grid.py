from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.core.events import Priority
from console.vocabulary.views import RoomView
from drivers.samples import Quality
from widgets import colors
from widgets.room_grid import OFFLINE_COLOR, RoomGrid

pytestmark = pytest.mark.usefixtures("steady_blink")


def make(qtbot):  # type: ignore[no-untyped-def]
    grid = RoomGrid()
    qtbot.addWidget(grid)
    grid.resize(400, 200)
    temps = [15.2, 17.0, 19.0, 22.0, 25.5]
    rooms = [RoomView(i, t, Quality.GOOD) for i, t in enumerate(temps)]
    rooms.append(RoomView(5, None, Quality.SENSOR_FAULT))
    rooms.append(RoomView(6, 19.5, Quality.STALE))
    grid.set_rooms(rooms)
    grid.show()
    qtbot.waitExposed(grid)
    return grid


def test_band_colours(qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = make(qtbot)
    assert grid.cell_color(0) == colors.PRIORITY_COLOR[Priority.CRITICAL]
    assert grid.cell_color(1) == colors.PRIORITY_COLOR[Priority.MEDIUM]
    assert grid.cell_color(2) == colors.ROOM_BAND_COLORS[2]
    assert grid.cell_color(3) == colors.ROOM_BAND_COLORS[3]
    assert grid.cell_color(4) == colors.ROOM_BAND_COLORS[4]
    assert len({grid.cell_color(i).name() for i in range(5)}) == 5


def test_offline_and_stale_marked(qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = make(qtbot)
    assert grid.is_offline(5)
    assert grid.cell_color(5) == OFFLINE_COLOR
    assert "offline" in grid.tooltip_for(5)
    assert not grid.is_offline(6)
    assert grid.cell_color(6) != colors.ROOM_BAND_COLORS[2]  # stale is dimmed
    assert "stale" in grid.tooltip_for(6)
    assert grid.counts() == (1, 2, 1)


def test_tooltip_and_click(qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = make(qtbot)
    assert "17.0 °C" in grid.tooltip_for(1) and "below 18" in grid.tooltip_for(1)
    center = grid.cell_rect(3).center().toPoint()
    with qtbot.waitSignal(grid.room_clicked) as sig:
        qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=center)
    assert sig.args == [3]


def test_many_rooms_fit(qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = RoomGrid()
    qtbot.addWidget(grid)
    grid.resize(500, 240)
    grid.set_rooms([RoomView(i, 20.0, Quality.GOOD) for i in range(240)])
    last = grid.cell_rect(239)
    assert last.bottom() <= grid.height()


def test_bands_follow_the_station_limits(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A station whose limit register says 20 °C: 19.0 is an alarm band there, as the engine
    has it, and the tooltip names that limit."""
    grid = RoomGrid()
    qtbot.addWidget(grid)
    rooms = [RoomView(i, t, Quality.GOOD, low_limit=20.0, critical_limit=17.0)
             for i, t in enumerate((16.5, 19.0, 20.5))]  # fmt: skip
    grid.set_rooms(rooms)
    assert grid.cell_color(0) == colors.PRIORITY_COLOR[Priority.CRITICAL]
    assert grid.cell_color(1) == colors.PRIORITY_COLOR[Priority.MEDIUM]
    assert grid.cell_color(2) == colors.ROOM_BAND_COLORS[3]  # 20–24 °C: normal
    assert grid.counts() == (1, 2, 0)
    assert "below 20 °C — alarm" in grid.tooltip_for(1)


# ---- every cell keeps a readable number in the station view (issue 11) ----------------------

SCREENS = [(1366, 768), (1920, 1080)]
CHROME = 190  # menu, tabs, alarm banner, key figures and status bar above and below the view


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("screen", SCREENS, ids=["1366x768", "1920x1080"])
@pytest.mark.parametrize("n", [12, 173, 240])
def test_every_cell_keeps_a_readable_number(qtbot, qapp, lang, screen, n) -> None:  # type: ignore[no-untyped-def]
    """The station view with a write's status line above it, at the screens dispatchers use:
    each room's temperature is painted inside its own cell, in a font of at least 11 px."""
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    from console.app import i18n
    from tests.widgets.test_zh_cn import painted_texts
    from widgets import sample_data as sd
    from widgets.locale_format import number
    from widgets.station_view import StationView

    i18n.install(lang)
    try:
        page = QWidget()
        qtbot.addWidget(page)
        box = QVBoxLayout(page)
        box.addWidget(QLabel("Written: T3 setpoint 55.0 → 56.0 °C (xg-002)\nread back 56.0 °C"))
        view = StationView()
        box.addWidget(view, 1)
        page.resize(screen[0], screen[1] - CHROME)
        rooms = sd.station_rooms(n, cold=True)
        view.set_rooms(rooms)
        page.show()
        qtbot.waitExposed(page)
        grid = view.room_grid
        texts = painted_texts(grid)
        temps = [number(r.temp, 1) for r in rooms if r.temp is not None]
        shown = [t for t in texts if t in set(temps)]
        assert len(shown) >= len(temps), (grid.size(), grid.cell_rect(0), len(shown), len(temps))
        assert grid.value_font_px() >= 11
        last = grid.cell_rect(len(rooms) - 1)
        assert last.bottom() <= grid.legend_top() and last.right() <= grid.width()
        cell = grid.cell_rect(0)
        assert cell.width() >= grid.value_text_width() and cell.height() >= grid.value_font_px()
    finally:
        i18n.install("en")


def test_raised_minimum_height_is_given_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A 240-room station makes the grid ask for the rows it needs; a 12-room station after it
    gives the owner's minimum back (the diagram above gets its space again)."""
    grid = RoomGrid()
    qtbot.addWidget(grid)
    grid.setMinimumHeight(110)
    grid.resize(700, 120)
    grid.set_rooms([RoomView(i, 20.0, Quality.GOOD) for i in range(240)])
    assert grid.minimumHeight() > 110
    grid.set_rooms([RoomView(i, 20.0, Quality.GOOD) for i in range(12)])
    assert grid.minimumHeight() == 110
