"""Every widget in Simplified Chinese: no visible English left, and a live language switch.

Each widget is built offscreen with sample data (widgets/sample_data.py) while zh_CN is
installed, then everything a dispatcher can read is collected: what the widget *paints* (it is
rendered into a paint device whose engine records every text item, so hand-painted captions and
legends count too), window titles, tooltips, placeholders, combo-box items, button and action
texts, and the headers and cells of item views. A text fails when, after removing what is
allowed to stay Latin (units, station ids, point tags T1-T4/P1-P4, SCADA, numbers), a Latin
letter is left. The data handed in (station names, alarm messages) is Chinese, as in the field,
so what remains English can only come from the widgets.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QPaintDevice, QPaintEngine, QTextItem
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.app import i18n
from console.core.events import AlarmState, Kind, Priority
from console.vocabulary.views import AlarmRow, KeyFigures, PointView, StationState
from drivers.samples import Quality
from widgets import sample_data as sd
from widgets.alarm_banner import AlarmBanner
from widgets.alarm_summary import AlarmSummary, ShelveDialog
from widgets.analog_indicator import AnalogIndicator
from widgets.journal_viewer import JournalViewer
from widgets.key_figures import KeyFiguresStrip
from widgets.network_schematic import NetworkSchematic
from widgets.room_grid import RoomGrid
from widgets.setpoint_dialog import SetpointDialog
from widgets.station_view import StationView
from widgets.trend_plot import TrendPlot
from widgets.words import POINT_LABEL

pytestmark = pytest.mark.usefixtures("steady_blink")

T0 = 1_700_000_000.0

# What may stay Latin in a Chinese interface: markup, units, ids, tags, numbers.
_A, _Z = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"  # word edges that Chinese text does not blur
_ALLOWED = [
    r"<[^>]+>",  # rich-text markup of tooltips and labels
    rf"{_A}[a-z]{{2}}-\d{{3}}(?:/\S+)?",  # station ids and alarm keys: xg-002/rooms/room_low
    rf"{_A}[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\[\d+\])?",  # point and rule names: room_temp[3]
    rf"°C|m³/h|m³|{_A}(?:kPa|MW|GJ|kW|Hz|km|K){_Z}",  # units
    rf"{_A}[TP][1-4]{_Z}",  # T1…T4 temperatures, P1…P4 pressures
    rf"{_A}(?:SCADA|FC06|CSV|JSON|Shift\+F9|Shift\+F8|F8|F9|F10){_Z}",  # used as they are
]
_ALLOWED_RE = re.compile("|".join(_ALLOWED))
_LATIN = re.compile(r"[A-Za-z]")


# A register's own name shown as its id (the setpoint dialog's caption: "mode").
_POINT_NAMES = frozenset(POINT_LABEL)


def untranslated(text: str) -> bool:
    return text not in _POINT_NAMES and bool(_LATIN.search(_ALLOWED_RE.sub(" ", text)))


class _TextEngine(QPaintEngine):
    """A paint engine that draws nothing and remembers every text it is asked to draw."""

    def __init__(self) -> None:
        super().__init__(QPaintEngine.PaintEngineFeature.AllFeatures)
        self.texts: list[str] = []
        self._end: tuple[float, float] | None = None  # where the last text item ended

    def begin(self, device: QPaintDevice) -> bool:
        return True

    def end(self) -> bool:
        return True

    def updateState(self, state: object) -> None:
        pass

    def drawTextItem(self, p: QPointF, item: QTextItem) -> None:
        # One drawText comes as several items when fonts change inside it (Chinese, then
        # "18 °", then "C"): an item that starts where the last one ended continues it.
        end = self._end
        if end is not None and abs(p.y() - end[1]) < 0.5 and abs(p.x() - end[0]) < 1.0:
            self.texts[-1] += item.text()
        else:
            self.texts.append(item.text())
        self._end = (p.x() + item.width(), p.y())

    def _ignore(self, *args: object) -> None:
        pass

    # Shapes and images are not text: drawn nowhere.
    drawPixmap = drawImage = drawTiledPixmap = drawPath = drawPolygon = _ignore
    drawRects = drawLines = drawEllipse = drawPoints = _ignore

    def type(self) -> QPaintEngine.Type:
        return QPaintEngine.Type.User


class _TextDevice(QPaintDevice):
    def __init__(self, w: int, h: int) -> None:
        super().__init__()
        self.engine = _TextEngine()
        self._w, self._h = w, h

    def paintEngine(self) -> QPaintEngine:
        return self.engine

    def metric(self, m: QPaintDevice.PaintDeviceMetric) -> int:
        M = QPaintDevice.PaintDeviceMetric
        return {
            M.PdmWidth: self._w,
            M.PdmHeight: self._h,
            M.PdmWidthMM: self._w // 4,
            M.PdmHeightMM: self._h // 4,
            M.PdmNumColors: 1 << 24,
            M.PdmDepth: 32,
            M.PdmDpiX: 96,
            M.PdmDpiY: 96,
            M.PdmPhysicalDpiX: 96,
            M.PdmPhysicalDpiY: 96,
            M.PdmDevicePixelRatio: 1,
            M.PdmDevicePixelRatioScaled: int(QPaintDevice.devicePixelRatioFScale()),
        }.get(m, 0)


def painted_texts(w: QWidget) -> list[str]:
    dev = _TextDevice(max(1, w.width()), max(1, w.height()))
    QWidget.render(w, dev)  # QGraphicsView hides the QWidget overload
    return dev.engine.texts


def _model_texts(view: QAbstractItemView) -> list[str]:
    m = view.model()
    out = [
        str(m.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        for c in range(m.columnCount())
    ]
    stack = [QModelIndex()]
    while stack:
        parent = stack.pop()
        for r in range(m.rowCount(parent)):
            for c in range(m.columnCount(parent)):
                idx = m.index(r, c, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    v = idx.data(role)
                    if isinstance(v, str):
                        out.append(v)
            stack.append(m.index(r, 0, parent))
    return out


def visible_texts(w: QWidget) -> list[str]:
    """What the operator can read on `w`: painted, in tooltips, menus, lists and headers."""
    texts = painted_texts(w)
    for c in [w, *w.findChildren(QWidget)]:
        if c.windowType() == Qt.WindowType.ToolTip:
            # Qt's own tooltip popup, parented to the hovered widget when a mouse move lingers
            # past the wake-up delay (a loaded machine): a copy of a toolTip() read below.
            continue
        if c.isWindow():
            texts.append(c.windowTitle())
        texts.append(c.toolTip())
        if isinstance(c, QLineEdit):
            texts.append(c.placeholderText())
        if isinstance(c, QComboBox):
            texts += [c.itemText(i) for i in range(c.count())]
        if isinstance(c, QAbstractButton | QLabel):
            texts.append(c.text())
        if isinstance(c, QAbstractItemView) and c.model() is not None:
            texts += _model_texts(c)
    for a in w.findChildren(QAction):
        texts += [a.text(), a.toolTip()]
    return [t for t in texts if t]


def assert_chinese(texts: list[str], where: str) -> None:
    bad = sorted({t for t in texts if untranslated(t)})
    assert not bad, f"{where}: English left in the zh_CN interface: {bad}"


@pytest.fixture
def zh(qapp):  # type: ignore[no-untyped-def]
    locale = QLocale()
    assert i18n.install(i18n.CHINESE, qapp) == i18n.CHINESE
    QApplication.processEvents()
    yield
    i18n.install(i18n.ENGLISH, qapp)
    QLocale.setDefault(locale)
    QApplication.processEvents()


def settle() -> None:
    """Let the language change and the re-layouts it posts run (new words, new widths)."""
    for _ in range(4):
        QApplication.processEvents()


def shown(qtbot, w: QWidget, width: int, height: int) -> QWidget:  # type: ignore[no-untyped-def]
    qtbot.addWidget(w)
    w.resize(width, height)
    w.show()
    QApplication.processEvents()
    return w


def row(key: str, priority: Priority, state: AlarmState, children=(), **kw) -> AlarmRow:  # type: ignore[no-untyped-def]
    station = key.split("/")[0]
    base = dict(station=station, station_name=f"{station}号站", district="西工区", point="p",
                rule="room_low", message="室温低于 18 °C", time=T0, value=17.2,
                limit=18.0)  # fmt: skip
    base.update(kw)
    return AlarmRow(key=key, priority=priority, state=state, children=children, **base)  # type: ignore[arg-type]


def sample_rows() -> list[AlarmRow]:
    rooms = tuple(
        row(f"jx-001/room_temp[{i}]/room_low", Priority.MEDIUM, AlarmState.UNACK, time=T0 + i)
        for i in range(3)
    )
    return [
        row("xg-002/makeup_flow/makeup_high", Priority.CRITICAL, AlarmState.UNACK, first_out=True),
        row("xg-001/pump1/pump1_fault", Priority.HIGH, AlarmState.ACK),
        row("lc-001/comm/comm_fail", Priority.HIGH, AlarmState.RTN_UNACK, rule="comm_fail"),
        row("lc-002/p/r", Priority.LOW, AlarmState.SHELVED, shelved_by="值班员"),
        row("ch-001/p/r", Priority.INFO, AlarmState.SUPPRESSED),
        row("jx-001/rooms/room_low", Priority.MEDIUM, AlarmState.UNACK, children=rooms),
    ]


def test_untranslated_tells_english_from_allowed_latin() -> None:
    assert untranslated("Rooms below 18 °C")
    assert untranslated("紧急 (critical)")
    assert not untranslated("T3 二次供水温度 55.0 °C")
    assert not untranslated("<b>涧西1号站</b><br>xg-002 · 补水流量 0.35 m³/h")
    assert not untranslated("room_temp[3] · P3 402 kPa · 远程（SCADA）")


# --- scenes: a widget with sample data, and everything it lets the operator read ------------
# Each builder returns the widget and a function that reads its texts now, including those
# made on demand (a schematic station's tooltip, a value box's hover text, a room's tooltip).

Scene = tuple[QWidget, Callable[[], list[str]]]


def _city() -> tuple[object, dict[str, StationState]]:
    net = sd.city_network(60)
    states = sd.city_states(net)
    for s in list(states.values()):  # what the poller reports, in the field's language
        if s.comm == Quality.COMM_FAIL:
            states[s.id] = dataclasses.replace(s, error="连接被拒绝（10 秒）")
        elif s.comm == Quality.STALE:
            states[s.id] = dataclasses.replace(s, error="心跳停止")
    return net, states


def key_figures_scene(qtbot, variant: int) -> Scene:  # type: ignore[no-untyped-def]
    _, states = _city()
    figures = sd.key_figures(states)
    k = [
        figures,
        KeyFigures(),
        dataclasses.replace(figures, flood=True, rooms_pending=5, pending_until=T0 + 300),
        dataclasses.replace(figures, rooms_in_alarm=3, rooms_pending=2, comm_good_pct=100.0,
                            stations_failed=0, stations_stale=0),
    ][variant]  # fmt: skip
    strip = shown(qtbot, KeyFiguresStrip(), 1366, 66)
    strip.set_figures(k)

    def read() -> list[str]:
        tiles = strip.tiles
        return [*visible_texts(strip), *(t.caption for t in tiles), *(t.detail for t in tiles)]

    return strip, read


def schematic_scene(qtbot) -> Scene:  # type: ignore[no-untyped-def]
    net, states = _city()
    schem = shown(qtbot, NetworkSchematic(net), 900, 600)
    schem.update_states(states)
    schem.fit_to_window()
    return schem, lambda: visible_texts(schem) + [schem.tooltip_for(sid) for sid in states]


def banner_scene(qtbot, sounding: bool) -> Scene:  # type: ignore[no-untyped-def]
    banner = shown(qtbot, AlarmBanner(), 1366, 80)
    banner.set_rows(sample_rows())
    banner.set_sound_state(sounding, sounding)
    return banner, lambda: visible_texts(banner)


def station_scene(qtbot, local: bool) -> Scene:  # type: ignore[no-untyped-def]
    _, states = _city()
    if local:
        st = next(s for s in states.values() if s.local_control)
        points, rooms = sd.station_points(local=True), sd.station_rooms(40)
    else:
        st = next(s for s in states.values() if s.rooms_below_16)
        st = dataclasses.replace(st, rooms_pending=4, pending_until=T0 + 200, rooms_in_alarm=2)
        points, rooms = sd.station_points(cold=True), sd.station_rooms(120, cold=True)
    # The district as the window hands it over: its name (sample data carries the id).
    st = dataclasses.replace(st, district="老城区")
    view = shown(qtbot, StationView(), 1366, 700)
    view.set_station(st, points)
    view.set_rooms(rooms)
    QApplication.processEvents()

    def read() -> list[str]:
        QTest.mouseMove(view.diagram, QPoint(1, 1))  # over no value box: no hover text yet
        texts = visible_texts(view)
        for name in view.diagram.hit_points():  # the hover text of every value box
            QTest.mouseMove(view.diagram, view.diagram.box_center(name).toPoint())
            texts.append(view.diagram.toolTip())
        grid = view.room_grid
        return texts + [grid.tooltip_for(i) for i in range(len(grid.rooms()))]

    return view, read


def indicators_scene(qtbot) -> Scene:  # type: ignore[no-untyped-def]
    panel = shown(qtbot, QWidget(), 300, 600)
    lay = QVBoxLayout(panel)
    for pv in sd.station_points(cold=True).values():
        lay.addWidget(AnalogIndicator(dataclasses.replace(pv, label="测点", time=T0)))
    QApplication.processEvents()
    return panel, lambda: visible_texts(panel)


def room_grid_scene(qtbot) -> Scene:  # type: ignore[no-untyped-def]
    grid = shown(qtbot, RoomGrid(), 520, 250)
    grid.set_rooms(sd.station_rooms(60, cold=True))
    return grid, lambda: visible_texts(grid) + [grid.tooltip_for(i) for i in range(60)]


SETPOINT_CASES = [
    ("room_setpoint", {}, False, "26"),  # out of range
    ("room_setpoint", {}, False, "二十"),  # not a number
    ("room_setpoint", {}, False, "19"),  # the current value
    ("room_setpoint", {}, True, ""),  # refused: local control
    ("mode", {}, False, ""),  # an enumerated point
    ("control_level", {}, True, ""),  # allowed in local control
    ("room_setpoint", {"quality": Quality.STALE}, False, ""),
    ("room_setpoint", {"write_min": None}, False, ""),
    ("heat_power", {}, False, ""),  # read-only
]


def setpoint_scene(qtbot, case: int) -> Scene:  # type: ignore[no-untyped-def]
    name, changes, local, typed = SETPOINT_CASES[case]
    pv = dataclasses.replace(sd.station_points()[name], **changes)
    dlg = shown(qtbot, SetpointDialog(pv, station_name="涧西1号站", local_control=local), 0, 0)
    dlg.set_text(typed)
    return dlg, lambda: visible_texts(dlg)


def shelve_scene(qtbot, n: int) -> Scene:  # type: ignore[no-untyped-def]
    dlg = shown(qtbot, ShelveDialog(n), 0, 0)
    return dlg, lambda: visible_texts(dlg)


def summary_scene(qtbot) -> Scene:  # type: ignore[no-untyped-def]
    summary = shown(qtbot, AlarmSummary(), 1366, 500)
    summary.set_rows(sample_rows())
    summary.set_flood(14)
    summary.view.expandAll()
    return summary, lambda: visible_texts(summary)


def trend_scene(qtbot) -> Scene:  # type: ignore[no-untyped-def]
    trend = shown(qtbot, TrendPlot(), 1000, 600)
    t = T0 + np.arange(0, 3600, 10.0)
    q = np.zeros(len(t), dtype=np.uint8)
    q[100:120] = int(Quality.STALE)
    trend.set_series(
        "jx-001/t3_secondary_supply", "涧西1号站 T3 二次供水温度", "°C", t, 50 + t % 7, q
    )
    trend.set_series("jx-001/status_bits", "涧西1号站 状态字", "", t, t % 3)
    trend.set_follow(False)  # a fixed hour: the wall clock must not move the axis
    trend.set_time_range(T0, T0 + 3600)
    trend.set_cursor(T0 + 1100)
    QApplication.processEvents()
    return trend, lambda: visible_texts(trend)


def journal_scene(qtbot) -> Scene:  # type: ignore[no-untyped-def]
    journal = shown(qtbot, JournalViewer(now=lambda: T0), 1366, 500)
    journal.set_districts(["西工区", "涧西区"])
    base = {"station": "xg-002", "district": "西工区", "point": "makeup_flow", "value": 2.4,
            "limit": 2.0, "user": "值班员", "action": "", "comment": "现场已确认泄漏"}  # fmt: skip
    journal.set_rows(
        [
            {
                **base,
                "time": T0,
                "kind": Kind.ALARM.value,
                "priority": "critical",
                "state": AlarmState.UNACK.value,
                "message": "补水流量高（疑似泄漏）",
            },
            {
                **base,
                "time": T0 + 5,
                "kind": Kind.OPERATOR.value,
                "priority": None,
                "state": AlarmState.ACK.value,
                "message": "确认",
            },
            {
                **base,
                "time": T0 + 9,
                "kind": Kind.COMM.value,
                "priority": "high",
                "state": None,
                "message": "通讯故障",
            },
        ],
        has_more=True,
    )
    return journal, lambda: visible_texts(journal)


SCENES: dict[str, Callable[..., Scene]] = {
    **{f"key_figures_{i}": functools.partial(key_figures_scene, variant=i) for i in range(4)},
    "schematic": schematic_scene,
    "banner_sounding": functools.partial(banner_scene, sounding=True),
    "banner_no_audio": functools.partial(banner_scene, sounding=False),
    "station_cold": functools.partial(station_scene, local=False),
    "station_local": functools.partial(station_scene, local=True),
    "indicators": indicators_scene,
    "room_grid": room_grid_scene,
    **{f"setpoint_{i}": functools.partial(setpoint_scene, case=i) for i in range(9)},
    "shelve_1": functools.partial(shelve_scene, n=1),
    "shelve_7": functools.partial(shelve_scene, n=7),
    "alarm_summary": summary_scene,
    "trend": trend_scene,
    "journal": journal_scene,
}


@pytest.mark.usefixtures("zh")
@pytest.mark.parametrize("scene", SCENES)
def test_built_in_chinese(qtbot, scene: str) -> None:  # type: ignore[no-untyped-def]
    _, read = SCENES[scene](qtbot)
    assert_chinese(read(), scene)


@pytest.mark.parametrize("scene", SCENES)
def test_switched_live_and_back(qtbot, qapp, scene: str) -> None:  # type: ignore[no-untyped-def]
    """Built in English, shown; switched to Chinese: no English left; switched back: the very
    texts it started with (every text is rebuilt by retranslate(), none only at construction)."""
    _, read = SCENES[scene](qtbot)
    english = sorted(read())
    assert any(untranslated(t) for t in english), "the scene shows no words to translate"
    locale = QLocale()
    try:
        i18n.install(i18n.CHINESE, qapp)
        settle()
        assert_chinese(read(), f"{scene} after the switch")
    finally:
        i18n.install(i18n.ENGLISH, qapp)
        QLocale.setDefault(locale)
    settle()
    again = Counter(read())
    lost, gained = Counter(english) - again, again - Counter(english)
    assert not lost and not gained, f"{scene}: lost {sorted(lost)}, gained {sorted(gained)}"


def test_language_switch_keeps_what_the_operator_set(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    summary = shown(qtbot, AlarmSummary(), 1200, 400)
    summary.set_rows(sample_rows())
    summary.set_filter(priorities=[Priority.CRITICAL, Priority.MEDIUM], state_preset=1)
    summary.view.expand(summary.proxy.index(1, 0))
    dlg = shown(qtbot, SetpointDialog(sd.station_points()["room_setpoint"]), 0, 0)
    dlg.set_text("20.5")
    locale = QLocale()
    try:
        i18n.install(i18n.CHINESE, qapp)
        QApplication.processEvents()
        assert summary.state_combo.currentText() == "未确认"
        assert [p for p, b in summary.priority_buttons.items() if b.isChecked()] == [
            Priority.CRITICAL,
            Priority.MEDIUM,
        ]
        assert summary.view.isExpanded(summary.proxy.index(1, 0))
        assert summary.proxy.index(0, 1).data() == "紧急 ★"
        assert dlg.edit is not None and dlg.edit.text() == "20.5" and dlg.value() == 20.5
        assert dlg.ok_button.text() == "下发"
    finally:
        i18n.install(i18n.ENGLISH, qapp)
        QLocale.setDefault(locale)


def test_point_labels_come_from_the_point_name(zh) -> None:  # type: ignore[no-untyped-def]
    from widgets.words import point_label, room_label

    assert point_label("t1_primary_supply", "whatever the config said") == "T1 一次供水温度"
    assert point_label("makeup_flow") == "补水流量"
    assert point_label("room_temp[7]") == room_label(7) == "房间 7"
    assert point_label("vendor_extra", "Vendor extra") == "Vendor extra"  # unknown: as given
    assert QCoreApplication.translate("Priority", "critical") == "紧急"


def test_chinese_numbers_and_dates(zh) -> None:  # type: ignore[no-untyped-def]
    from widgets.locale_format import date_clock, integer, number

    assert QLocale().name() == "zh_CN"
    assert integer(1914) == "1,914" and number(1234.56, 1, group=True) == "1,234.6"
    assert re.fullmatch(r"\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d", date_clock(T0))


def test_units_stay_as_they_are(zh, qtbot) -> None:  # type: ignore[no-untyped-def]
    pv = PointView("makeup_flow", "补水流量", 0.35, "m³/h", Quality.GOOD, decimals=2)
    ind = shown(qtbot, AnalogIndicator(pv), 300, 40)
    assert {"0.35", "m³/h"} <= set(painted_texts(ind))


def test_trend_date_ticks_in_the_language(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    from pyqtgraph.graphicsItems.DateAxisItem import DAY_SPACING, MONTH_SPACING

    trend = shown(qtbot, TrendPlot(), 800, 400)
    axis = trend.axis_time
    t = 1_765_152_000.0  # 2025-12-08 (a Monday) 00:00 UTC; noon anywhere from UTC-11 to +11
    noon = [t + 12 * 3600 - axis.offset]
    assert axis.tickStrings(noon, 1.0, DAY_SPACING) == ["Mon 8"]
    assert axis.tickStrings(noon, 1.0, MONTH_SPACING) == ["Dec"]
    locale = QLocale()
    try:
        i18n.install(i18n.CHINESE, qapp)
        assert axis.tickStrings(noon, 1.0, DAY_SPACING) == ["8日 周一"]
        assert axis.tickStrings(noon, 1.0, MONTH_SPACING) == ["12月"]
    finally:
        i18n.install(i18n.ENGLISH, qapp)
        QLocale.setDefault(locale)


def test_numbers_follow_the_installed_locale(qapp) -> None:  # type: ignore[no-untyped-def]
    from widgets.locale_format import integer, number, use_locale

    locale = QLocale()
    try:
        use_locale(QLocale("de_DE"))  # not a language of the console: proves where it comes from
        assert number(1234.5, 1, group=True) == "1.234,5" and integer(1914) == "1.914"
    finally:
        i18n.install(i18n.ENGLISH, qapp)
        QLocale.setDefault(locale)
    assert number(1234.5, 1, group=True) == "1,234.5"
