"""The station view (L2): one substation's process diagram, indicators, setpoints and rooms.

    primary supply ─T1─p1──⋈ valve──┐        ┌──T3─p3─ secondary supply ─┐
                                    │  HX    │                          buildings
    primary return ─T2─p2── meter ──┘        └─ pumps ── make-up ─T4─p4─┘

Input is `set_station(StationState, {point name: PointView})` (+ `set_rooms` for the grid).
Clicking a value emits `point_activated(name)`; "Change…" on a setpoint emits
`write_requested(name)` — the caller opens `SetpointDialog`, which also explains refusals.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QMimeData,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QDrag,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.vocabulary.alarms import Priority
from console.vocabulary.quality import Quality
from console.vocabulary.views import PointView, RoomView, StationState
from widgets import colors
from widgets.analog_indicator import AnalogIndicator, format_value, value_alarm
from widgets.dnd import DragGesture, point_mime
from widgets.key_figures import on_delay_text
from widgets.locale_format import integer
from widgets.locale_format import limit as limit_text
from widgets.room_grid import RoomGrid
from widgets.setpoint_dialog import CONTROL_LEVEL_POINT
from widgets.theme import set_quality, set_severity, ui_font
from widgets.words import enum_text, point_label, quality_marker, quality_text

# Virtual canvas of the diagram; it is scaled uniformly into the widget.
CANVAS_W, CANVAS_H = 900.0, 430.0
Y_SUP, Y_RET = 105.0, 315.0
X_HX0, X_HX1 = 370.0, 440.0
X_BLD = 800.0

SETPOINT_POINTS = ("room_setpoint", "t3_fixed_setpoint", "curve_shift", "mode", "control_level")
PRIORITY_TAG = {
    Priority.CRITICAL: "1",
    Priority.HIGH: "2",
    Priority.MEDIUM: "3",
    Priority.LOW: "4",
    Priority.INFO: "i",
}
_BOX_FILL = colors.mix(colors.BACKGROUND, colors.PANEL, 0.2)  # value boxes sit slightly raised
# The key values beside the diagram: point name, then the caption (English source text).
INDICATORS = (
    ("t3_secondary_supply", QT_TRANSLATE_NOOP("StationView", "T3 supply vs setpoint band")),
    ("p3_secondary_supply", QT_TRANSLATE_NOOP("StationView", "P3 secondary pressure")),
    ("room_temp_min", QT_TRANSLATE_NOOP("StationView", "Room temperature, min")),
    ("room_temp_mean", QT_TRANSLATE_NOOP("StationView", "Room temperature, mean")),
)


def mode_text(raw: int) -> str:
    return enum_text("mode", raw) or "?"


def _bit(points: Mapping[str, PointView], name: str, bit: int) -> bool | None:
    """A status bit, or None when the word is missing or not GOOD (state unknown)."""
    pv = points.get(name)
    if pv is None or pv.value is None or math.isnan(pv.value) or pv.quality != Quality.GOOD:
        return None
    return bool(int(pv.value) >> bit & 1)


def _val(points: Mapping[str, PointView], name: str) -> float | None:
    pv = points.get(name)
    if pv is None or pv.value is None or math.isnan(pv.value) or pv.quality != Quality.GOOD:
        return None
    return pv.value


class ProcessDiagram(QWidget):
    """The substation's piping drawn with QPainter; value boxes are clickable."""

    point_activated = Signal(str)
    drag_started = Signal(str)  # point name of the value box being dragged

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: StationState | None = None
        self._points: dict[str, PointView] = {}
        self._gesture = DragGesture()
        self._hits: list[tuple[QRectF, str]] = []  # canvas rect → point name (built per paint)
        self._hover: str | None = None  # the value box under the mouse
        self._xf = (1.0, 0.0, 0.0)  # scale, dx, dy of the last paint
        self._caption = ui_font(8)
        self._value = ui_font(9.5)
        self._value.setBold(True)
        self._tag = ui_font(7)
        self._tag.setBold(True)
        self._title = ui_font(9)
        self.setMinimumSize(480, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def set_data(self, state: StationState, points: Mapping[str, PointView]) -> None:
        self._state = state
        self._points = dict(points)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, 430)

    def hit_points(self) -> list[str]:
        """Point names with a clickable value box (after a paint)."""
        return [n for _, n in self._hits]

    def point_at(self, pos: QPointF) -> str | None:
        s, dx, dy = self._xf
        c = QPointF((pos.x() - dx) / s, (pos.y() - dy) / s)
        for rect, name in self._hits:
            if rect.contains(c):
                return name
        return None

    def box_center(self, name: str) -> QPointF:
        """Widget coordinates of a value box's centre (tests, tooltips)."""
        s, dx, dy = self._xf
        for rect, n in self._hits:
            if n == name:
                return QPointF(rect.center().x() * s + dx, rect.center().y() * s + dy)
        raise KeyError(name)

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self._gesture.press(e, self.point_at(e.position()))

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        dragged = self._gesture.move(e)
        if dragged is not None:
            self.drag_started.emit(str(dragged))
            return
        name = self.point_at(e.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if name else Qt.CursorShape.ArrowCursor)
        self._hover = name
        self._hover_tip()

    def _hover_tip(self) -> None:
        pv = self._points.get(self._hover) if self._hover else None
        self.setToolTip(
            self.tr("{point}: {value} {unit} ({quality}) — click for trend").format(
                point=point_label(pv.name, pv.label),
                value=format_value(pv.value, pv.decimals),
                unit=pv.unit,
                quality=quality_text(pv.quality),
            )
            if pv
            else ""
        )

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self._hover_tip()  # the value box under the mouse, re-worded
            self.update()  # every caption is worded at paint time
        super().changeEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if self._gesture.release():
            return
        if e.button() == Qt.MouseButton.LeftButton:
            name = self.point_at(e.position())
            if name:
                self.point_activated.emit(name)

    # --- drawing -------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        s = min(self.width() / CANVAS_W, self.height() / CANVAS_H)
        dx, dy = (self.width() - CANVAS_W * s) / 2, (self.height() - CANVAS_H * s) / 2
        self._xf = (s, dx, dy)
        p.translate(dx, dy)
        p.scale(s, s)
        self._hits = []
        sup_pen = QPen(colors.LINE, 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        ret_pen = QPen(colors.LINE_DIM, 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)

        # section titles
        p.setFont(self._title)
        p.setPen(colors.TEXT_FAINT)
        p.drawText(
            QRectF(10, 8, 340, 18),
            Qt.AlignmentFlag.AlignLeft,
            QCoreApplication.translate("ProcessDiagram", "PRIMARY  (from trunk line)"),
        )
        p.drawText(
            QRectF(X_HX1 + 20, 8, 340, 18),
            Qt.AlignmentFlag.AlignLeft,
            QCoreApplication.translate("ProcessDiagram", "SECONDARY  (to buildings)"),
        )

        # primary pipes
        p.setPen(sup_pen)
        p.drawLine(QPointF(10, Y_SUP), QPointF(X_HX0, Y_SUP))
        p.setPen(ret_pen)
        p.drawLine(QPointF(X_HX0, Y_RET), QPointF(10, Y_RET))
        self._arrow(p, QPointF(30, Y_SUP), +1)
        self._arrow(p, QPointF(30, Y_RET), -1)
        # secondary pipes with the pump loop on the return
        p.setPen(sup_pen)
        p.drawLine(QPointF(X_HX1, Y_SUP), QPointF(X_BLD, Y_SUP))
        p.setPen(ret_pen)
        p.drawLine(QPointF(X_BLD, Y_RET), QPointF(X_HX1, Y_RET))
        loop = QPainterPath(QPointF(640, Y_RET))
        loop.lineTo(640, Y_RET + 62)
        loop.lineTo(500, Y_RET + 62)
        loop.lineTo(500, Y_RET)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(loop)
        self._arrow(p, QPointF(X_BLD - 20, Y_SUP), +1)
        self._arrow(p, QPointF(X_BLD - 20, Y_RET), -1)

        # make-up water into the secondary return
        p.setPen(QPen(colors.LINE_DIM, 3))
        p.drawLine(QPointF(720, CANVAS_H - 20), QPointF(720, Y_RET))
        p.setFont(self._caption)
        p.setPen(colors.TEXT_DIM)
        p.drawText(
            QRectF(728, CANVAS_H - 34, 160, 16),
            Qt.AlignmentFlag.AlignLeft,
            QCoreApplication.translate("ProcessDiagram", "make-up water"),
        )

        # plate heat exchanger
        hx = QRectF(X_HX0, Y_SUP - 30, X_HX1 - X_HX0, Y_RET - Y_SUP + 60)
        p.setPen(QPen(colors.LINE, 2))
        p.setBrush(colors.PANEL)
        p.drawRect(hx)
        p.setPen(QPen(colors.LINE_DIM, 1.2))
        for k in range(1, 9):
            x = hx.left() + k * hx.width() / 9
            p.drawLine(QPointF(x, hx.top() + 8), QPointF(x, hx.bottom() - 8))
        p.setPen(colors.TEXT_DIM)
        p.setFont(self._caption)
        p.drawText(
            QRectF(hx.left() - 20, hx.bottom() + 4, hx.width() + 40, 16),
            Qt.AlignmentFlag.AlignHCenter,
            QCoreApplication.translate("ProcessDiagram", "heat exchanger"),
        )

        # buildings
        self._buildings(p)

        # control valve on the primary supply
        vx = 250.0
        self._valve(p, QPointF(vx, Y_SUP))
        self._box(
            p,
            "valve_position",
            QPointF(vx, Y_SUP - 58),
            QCoreApplication.translate("ProcessDiagram", "valve"),
        )

        # heat meter on the primary return
        mx = 250.0
        p.setPen(QPen(colors.LINE, 1.5))
        p.setBrush(colors.PANEL)
        p.drawEllipse(QPointF(mx, Y_RET), 13, 13)
        p.setFont(self._tag)
        p.setPen(colors.TEXT)
        meter = QCoreApplication.translate("ProcessDiagram", "M", "heat meter symbol")
        p.drawText(QRectF(mx - 13, Y_RET - 13, 26, 26), Qt.AlignmentFlag.AlignCenter, meter)
        self._box(
            p,
            "heat_power",
            QPointF(mx, Y_RET + 40),
            QCoreApplication.translate("ProcessDiagram", "heat power"),
        )
        self._box(
            p,
            "primary_flow",
            QPointF(mx, Y_RET + 82),
            QCoreApplication.translate("ProcessDiagram", "primary flow"),
        )

        # primary values
        self._box(p, "t1_primary_supply", QPointF(85, Y_SUP - 36), "T1")
        self._box(p, "p1_primary_supply", QPointF(85, Y_SUP + 38), "P1")
        self._box(p, "t2_primary_return", QPointF(85, Y_RET - 36), "T2")
        self._box(p, "p2_primary_return", QPointF(85, Y_RET + 38), "P2")
        # secondary values
        self._box(
            p, "t3_secondary_supply", QPointF(530, Y_SUP - 36), "T3", setpoint="t3_setpoint_active"
        )
        self._box(p, "p3_secondary_supply", QPointF(530, Y_SUP + 38), "P3")
        self._box(
            p,
            "secondary_flow",
            QPointF(660, Y_SUP + 38),
            QCoreApplication.translate("ProcessDiagram", "secondary flow"),
        )
        self._box(p, "t4_secondary_return", QPointF(725, Y_RET - 36), "T4")
        self._box(p, "p4_secondary_return", QPointF(610, Y_RET - 36), "P4")
        self._box(
            p,
            "makeup_flow",
            QPointF(800, CANVAS_H - 62),
            QCoreApplication.translate("ProcessDiagram", "make-up flow"),
        )

        # pumps on the return: P1 on the main line, P2 on the parallel leg
        self._pump(p, QPointF(570, Y_RET), 1)
        self._pump(p, QPointF(570, Y_RET + 62), 2)

    def _arrow(self, p: QPainter, at: QPointF, direction: int) -> None:
        p.save()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colors.BACKGROUND)
        d = direction * 6
        p.drawPolygon(
            QPolygonF([at + QPointF(d, 0), at + QPointF(-d, -3.5), at + QPointF(-d, 3.5)])
        )
        p.restore()

    def _valve(self, p: QPainter, c: QPointF) -> None:
        pos = _val(self._points, "valve_position")
        p.setPen(QPen(colors.LINE, 1.5))
        p.setBrush(colors.SYMBOL if pos is not None and pos > 0.5 else colors.PANEL)
        a, b = 14.0, 10.0
        p.drawPolygon(QPolygonF([c + QPointF(-a, -b), c + QPointF(0, 0), c + QPointF(-a, b)]))
        p.drawPolygon(QPolygonF([c + QPointF(a, -b), c + QPointF(0, 0), c + QPointF(a, b)]))
        p.drawLine(c, c + QPointF(0, -18))  # actuator stem
        p.setBrush(colors.PANEL)
        p.drawRect(QRectF(c.x() - 8, c.y() - 26, 16, 8))
        opening = _bit(self._points, "status_bits", 3)
        closing = _bit(self._points, "status_bits", 4)
        if opening or closing:
            p.setFont(self._tag)
            p.setPen(colors.TEXT)
            p.drawText(
                QRectF(c.x() + 12, c.y() - 30, 60, 12),
                Qt.AlignmentFlag.AlignLeft,
                QCoreApplication.translate("ProcessDiagram", "opening ▲")
                if opening
                else QCoreApplication.translate("ProcessDiagram", "closing ▼"),
            )

    def _pump(self, p: QPainter, c: QPointF, n: int) -> None:
        running = _bit(self._points, "status_bits", n - 1)
        fault = _bit(self._points, "alarm_bits", 4 + n)
        r = 15.0
        if running is None:
            p.setPen(QPen(colors.NO_DATA, 1.5, Qt.PenStyle.DashLine))
            p.setBrush(colors.BACKGROUND)
        elif fault:
            p.setPen(QPen(colors.PRIORITY_COLOR[Priority.HIGH], 2.5))
            p.setBrush(colors.BACKGROUND)
        else:
            p.setPen(QPen(colors.LINE, 1.5))
            # ISA-101 convention: filled = running, hollow = stopped.
            p.setBrush(colors.SYMBOL if running else colors.BACKGROUND)
        p.drawEllipse(c, r, r)
        tri_color = colors.BACKGROUND if running and not fault else colors.LINE
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(tri_color)
        p.drawPolygon(QPolygonF([c + QPointF(-10, 0), c + QPointF(6, -8), c + QPointF(6, 8)]))
        speed = self._points.get(f"pump{n}_speed")
        if running is None:
            state = QCoreApplication.translate("ProcessDiagram", "state unknown")
        elif fault:
            state = QCoreApplication.translate("ProcessDiagram", "FAULT")
        elif running:
            state = (
                f"{format_value(speed.value, 1)} Hz"
                if speed and speed.value is not None
                else QCoreApplication.translate("ProcessDiagram", "running")
            )
        else:
            state = QCoreApplication.translate("ProcessDiagram", "stopped")
        box = QRectF(c.x() - 55, c.y() + 17, 110, 16)
        p.setFont(self._caption)
        if fault:
            text = QCoreApplication.translate("ProcessDiagram", "Pump {n} FAULT").format(n=n)
            tw = p.fontMetrics().horizontalAdvance(text) + 10  # as wide as its words
            tag = QRectF(box.center().x() - tw / 2, box.top(), tw, 15)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colors.PRIORITY_COLOR[Priority.HIGH])
            p.drawRect(tag)
            p.setPen(colors.PRIORITY_TEXT[Priority.HIGH])
            p.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)
        else:
            p.setPen(colors.TEXT if running else colors.TEXT_DIM)
            p.drawText(
                box,
                Qt.AlignmentFlag.AlignHCenter,
                QCoreApplication.translate("ProcessDiagram", "Pump {n}  {state}").format(
                    n=n, state=state
                ),
            )
        if speed is not None:
            self._hits.append((QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r + 18), speed.name))

    def _buildings(self, p: QPainter) -> None:
        st = self._state
        x0, x1 = X_BLD, CANVAS_W - 10
        top, bot = Y_SUP - 40, Y_RET + 30
        p.setPen(QPen(colors.LINE, 1.5))
        p.setBrush(colors.PANEL)
        p.drawRect(QRectF(x0, top + 30, x1 - x0, bot - top - 30))
        p.drawPolygon(
            QPolygonF(
                [QPointF(x0 - 6, top + 32), QPointF((x0 + x1) / 2, top), QPointF(x1 + 6, top + 32)]
            )
        )
        p.setFont(self._caption)
        p.setPen(colors.TEXT_DIM)
        inner = QRectF(x0 + 6, top + 40, x1 - x0 - 12, 16)
        p.drawText(
            inner,
            Qt.AlignmentFlag.AlignHCenter,
            QCoreApplication.translate("ProcessDiagram", "buildings"),
        )
        if st is None:
            return
        lines = [
            QCoreApplication.translate("ProcessDiagram", "{n} rooms").format(
                n=integer(st.rooms_total)
            )
            if st.rooms_total
            else QCoreApplication.translate("ProcessDiagram", "no room sensors")
        ]
        p.drawText(inner.translated(0, 18), Qt.AlignmentFlag.AlignHCenter, lines[0])
        if st.rooms_total:
            cx = (x0 + x1) / 2
            self._box(
                p,
                "room_temp_min",
                QPointF(cx, top + 118),
                QCoreApplication.translate("ProcessDiagram", "room min"),
                w=80,
            )
            self._box(
                p,
                "room_temp_mean",
                QPointF(cx, top + 172),
                QCoreApplication.translate("ProcessDiagram", "room mean"),
                w=80,
            )
            if st.rooms_below_18 and st.rooms_pending and not st.rooms_in_alarm:
                # Cold, but the room alarms still wait for their on-delay: an outlined, uncoloured
                # tag (ISA-101: colour only for alarms), worded so nobody misses an alarm.
                p.setFont(self._caption)
                tag = QRectF(x0 + 4, top + 205, x1 - x0 - 8, 30)
                p.setPen(QPen(colors.TEXT_DIM, 1, Qt.PenStyle.DashLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(tag)
                p.setPen(colors.TEXT)
                p.drawText(
                    tag,
                    Qt.AlignmentFlag.AlignCenter,
                    f"{st.rooms_below_18} < {limit_text(st.room_low_limit or 0.0)} °C\n"
                    + QCoreApplication.translate("ProcessDiagram", "no alarm yet"),
                )
            elif st.rooms_below_18:
                p.setFont(self._caption)
                pr = Priority.CRITICAL if st.rooms_below_16 else Priority.MEDIUM
                tag = QRectF(x0 + 4, top + 205, x1 - x0 - 8, 30)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(colors.PRIORITY_COLOR[pr])
                p.drawRect(tag)
                p.setPen(colors.PRIORITY_TEXT[pr])
                p.drawText(
                    tag,
                    Qt.AlignmentFlag.AlignCenter,
                    f"{st.rooms_below_18} < {limit_text(st.room_low_limit or 0.0)} °C\n"
                    f"{st.rooms_below_16} < {limit_text(st.room_critical_limit or 0.0)} °C",
                )

    def _box(
        self,
        p: QPainter,
        name: str,
        center: QPointF,
        caption: str,
        *,
        w: float = 92.0,
        setpoint: str | None = None,
    ) -> None:
        """A value with caption, unit, quality and alarm tag; registered as clickable."""
        pv = self._points.get(name)
        h = 22.0
        rect = QRectF(center.x() - w / 2, center.y() - h / 2, w, h)
        p.setFont(self._caption)
        p.setPen(colors.TEXT_DIM)
        cap = caption
        if setpoint and (sp := self._points.get(setpoint)) and sp.value is not None:
            cap += "   " + QCoreApplication.translate("ProcessDiagram", "(SP {value})").format(
                value=format_value(sp.value, 1)
            )
        p.drawText(
            QRectF(rect.left() - 30, rect.top() - 16, w + 60, 14),
            Qt.AlignmentFlag.AlignHCenter,
            cap,
        )
        if pv is None:
            p.setPen(QPen(colors.GRID, 1, Qt.PenStyle.DashLine))
            p.setBrush(colors.BACKGROUND)
            p.drawRect(rect)
            p.setPen(colors.TEXT_FAINT)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "—")
            return
        self._hits.append((rect, name))
        bad = pv.quality != Quality.GOOD
        alarm = value_alarm(pv)
        p.setBrush(_BOX_FILL)
        p.setPen(QPen(colors.GRID, 1))
        if alarm is not None and not bad:
            p.setPen(QPen(colors.PRIORITY_COLOR[alarm], 2))
        p.drawRect(rect)
        if bad:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(
                colors.hatch_brush(
                    colors.mix(colors.QUALITY_COLOR[pv.quality], colors.BACKGROUND, 0.4)
                )
            )
            p.drawRect(rect)
        text = format_value(pv.value, pv.decimals)
        if pv.unit:
            text += f" {pv.unit}"
        p.setFont(self._value)
        p.setPen(colors.QUALITY_COLOR[pv.quality] if bad else colors.TEXT)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        if bad:  # the marker sits outside the box so the value stays legible
            marker = quality_marker(pv.quality)
            p.setFont(self._tag)
            mw = p.fontMetrics().horizontalAdvance(marker) + 8
            mrect = QRectF(rect.right() - mw, rect.top() - 17, mw, 15)  # on the caption line
            p.setPen(QPen(colors.QUALITY_COLOR[pv.quality], 1))
            p.setBrush(colors.BACKGROUND)
            p.drawRect(mrect)
            p.drawText(mrect, Qt.AlignmentFlag.AlignCenter, marker)
        elif alarm is not None:  # priority tag: shape + number, not colour alone
            tag = QRectF(rect.left() - 20, rect.top() + 3, 16, 16)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colors.PRIORITY_COLOR[alarm])
            p.drawRect(tag)
            p.setFont(self._tag)
            p.setPen(colors.PRIORITY_TEXT[alarm])
            p.drawText(tag, Qt.AlignmentFlag.AlignCenter, PRIORITY_TAG[alarm])


def with_bands(points: Mapping[str, PointView], state: StationState) -> dict[str, PointView]:
    """Fill in bands and limits the indicators need, from related points when not given."""
    out = dict(points)

    def fill(name: str, **kw: object) -> None:
        pv = out.get(name)
        if pv is None:
            return
        changes = {k: v for k, v in kw.items() if getattr(pv, k) is None and v is not None}
        if changes:
            out[name] = dataclasses.replace(pv, **changes)  # type: ignore[arg-type]

    sp = _val(points, "t3_setpoint_active")
    if sp is None:
        sp = state.t3_setpoint
    dev_hi = _val(points, "t3_dev_high") or 5.0
    dev_lo = _val(points, "t3_dev_low") or 5.0
    if sp is not None:
        fill(
            "t3_secondary_supply",
            setpoint=sp,
            normal_low=sp - dev_lo,
            normal_high=sp + dev_hi,
            scale_min=max(0.0, sp - 4 * dev_lo),
            scale_max=sp + 4 * dev_hi,
        )
    plo, phi = _val(points, "p_secondary_low"), _val(points, "p_secondary_high")
    if plo is not None and phi is not None and phi > plo:
        margin = (phi - plo) * 0.15
        fill(
            "p3_secondary_supply",
            alarm_low=plo,
            alarm_high=phi,
            normal_low=plo + margin,
            normal_high=phi - margin,
            scale_min=0.0,
            scale_max=phi * 1.25,
        )
    for name in ("room_temp_min", "room_temp_mean"):
        pv = out.get(name)
        fill(
            name,
            normal_low=state.room_low_limit,
            normal_high=colors.ROOM_HIGH,
            alarm_low=state.room_critical_limit,
            scale_min=10.0,
            scale_max=28.0,
            alarm=colors.room_priority(pv.value, state.room_low_limit, state.room_critical_limit)
            if pv and pv.quality == Quality.GOOD
            else None,
        )
    return out


def label_for_drag(point: str, points: Mapping[str, PointView]) -> str:
    pv = points.get(point)
    return point_label(point, pv.label if pv is not None else point)


class _Badge(QLabel):
    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setFont(ui_font(9))
        self.setContentsMargins(6, 2, 6, 2)


class StationView(QWidget):
    """L2 display of one substation."""

    point_activated = Signal(str)  # open faceplate / trend for a point
    write_requested = Signal(str)  # operator wants to change an RW point
    room_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: StationState | None = None
        self._points: dict[str, PointView] = {}

        root = QVBoxLayout(self)
        root.setContentsMargins(6, 6, 6, 6)
        root.setSpacing(6)

        head = QHBoxLayout()
        self.title = QLabel("—")
        f = ui_font(14)
        f.setBold(True)
        self.title.setFont(f)
        self.subtitle = QLabel("")
        self.subtitle.setProperty("role", "caption")
        self.comm_badge = _Badge()
        self.control_badge = _Badge()
        self.mode_badge = _Badge()
        head.addWidget(self.title)
        head.addSpacing(8)
        head.addWidget(self.subtitle)
        head.addStretch(1)
        for b in (self.comm_badge, self.control_badge, self.mode_badge):
            head.addWidget(b)
        root.addLayout(head)

        grid = QGridLayout()
        grid.setSpacing(8)
        self.diagram = ProcessDiagram()
        self.diagram.point_activated.connect(self.point_activated)
        self.diagram.drag_started.connect(self.start_drag)
        grid.addWidget(self.diagram, 0, 0)

        side = QVBoxLayout()
        side.setSpacing(2)
        self.key_caption = QLabel()
        self.key_caption.setProperty("role", "caption")
        side.addWidget(self.key_caption)
        self.indicators: dict[str, AnalogIndicator] = {}
        for name, _label in INDICATORS:
            ind = AnalogIndicator()
            ind.activated.connect(self.point_activated)
            ind.drag_started.connect(self.start_drag)
            self.indicators[name] = ind
            side.addWidget(ind)
        side.addSpacing(10)
        self.setpoints_caption = QLabel()
        self.setpoints_caption.setProperty("role", "caption")
        side.addWidget(self.setpoints_caption)
        self.setpoint_rows: dict[str, tuple[QLabel, QLabel, QToolButton]] = {}
        sp_grid = QGridLayout()
        sp_grid.setHorizontalSpacing(8)
        sp_grid.setVerticalSpacing(3)
        for i, name in enumerate(SETPOINT_POINTS):
            lab, val, btn = QLabel(name), QLabel("—"), QToolButton()
            lab.setProperty("role", "caption")
            lab.setWordWrap(True)
            btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            btn.clicked.connect(lambda _=False, n=name: self.write_requested.emit(n))
            sp_grid.addWidget(lab, i, 0)
            sp_grid.addWidget(val, i, 1, Qt.AlignmentFlag.AlignRight)
            sp_grid.addWidget(btn, i, 2)
            self.setpoint_rows[name] = (lab, val, btn)
        side.addLayout(sp_grid)
        side.addStretch(1)
        side_w = QWidget()
        side_w.setLayout(side)
        side_w.setFixedWidth(340)
        grid.addWidget(side_w, 0, 1, 2, 1)

        rooms_box = QVBoxLayout()
        rooms_box.setSpacing(2)
        self.rooms_caption = QLabel()
        self.rooms_caption.setProperty("role", "caption")
        rooms_box.addWidget(self.rooms_caption)
        self.room_grid = RoomGrid()
        self.room_grid.setMinimumHeight(110)
        self.room_grid.room_clicked.connect(self.room_clicked)
        self.room_grid.drag_started.connect(lambda i: self.start_drag(f"room_temp[{i}]"))
        rooms_box.addWidget(self.room_grid)
        rw = QWidget()
        rw.setLayout(rooms_box)
        grid.addWidget(rw, 1, 0)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        grid.setColumnStretch(0, 1)
        root.addLayout(grid, 1)
        self._raw_points: Mapping[str, PointView] = {}
        self._write_why: str | None = None  # why this console's user may not write (None: may)
        self._district_names: dict[str, str] = {}
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the view in the current language (the shown station re-worded)."""
        self.key_caption.setText(self.tr("KEY VALUES"))
        self.setpoints_caption.setText(self.tr("SETPOINTS"))
        for _lab, _val, btn in self.setpoint_rows.values():
            btn.setText(self.tr("Change…"))
        if self._state is not None:
            self.set_station(self._state, self._raw_points)
        else:
            for name, (lab, _val, _btn) in self.setpoint_rows.items():
                lab.setText(point_label(name))
            self._rooms_caption()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- API -----------------------------------------------------------------------------------
    def set_allowed(self, why_not: Callable[[str], str | None]) -> None:
        """What this console's user may do: `why_not("write")` None, or the reason (in the
        interface language) the "Change…" buttons are disabled, shown on hover."""
        self._write_why = why_not("write")
        if self._state is not None:
            self.set_station(self._state, self._raw_points)
        else:
            for _lab, _val, btn in self.setpoint_rows.values():
                btn.setEnabled(self._write_why is None and btn.isEnabled())
                btn.setToolTip(self._write_why or "")

    def set_district_names(self, names: Mapping[str, str]) -> None:
        """District id -> the name shown under the station's name (涧西区, not jianxi)."""
        self._district_names = dict(names)

    def station(self) -> StationState | None:
        return self._state

    def set_station(self, state: StationState, points: Mapping[str, PointView]) -> None:
        self._state = state
        self._raw_points = points
        pts = with_bands(points, state)
        self._points = pts
        self.title.setText(state.name)
        district = self._district_names.get(state.district, state.district)
        self.subtitle.setText(f"{state.id} · {district}")

        if state.comm == Quality.GOOD:
            self.comm_badge.setText(self.tr("COMM  good"))
        else:
            self.comm_badge.setText(
                self.tr("COMM  {quality}").format(quality=quality_text(state.comm).upper())
                + (f" — {state.error}" if state.error else "")
            )
        set_quality(self.comm_badge, state.comm)
        self.control_badge.setText(
            self.tr("LOCAL control — field engineer on site")
            if state.local_control
            else self.tr("REMOTE (SCADA)")
        )
        self.control_badge.setStyleSheet(
            "border: 2px solid #d5d9dd; font-weight: bold;" if state.local_control else ""
        )
        mode = pts.get("mode")
        mode_word = (
            mode_text(round(mode.value))
            if mode and mode.value is not None and not math.isnan(mode.value)
            else "—"
        )
        self.mode_badge.setText(self.tr("MODE  {mode}").format(mode=mode_word))

        self.diagram.set_data(state, pts)
        for name, ind in self.indicators.items():
            pv = pts.get(name) or PointView(name=name, label=name, value=None)
            ind.set_point(dataclasses.replace(pv, label=self.tr(dict(INDICATORS)[name])))
        for name, (lab, val, btn) in self.setpoint_rows.items():
            pv = pts.get(name)
            lab.setText(point_label(name, pv.label if pv else name))
            if pv is None:
                val.setText("—")
                btn.setEnabled(False)
                continue
            if pv.enum and pv.value is not None and not math.isnan(pv.value):
                raw = round(pv.value)
                text = enum_text(name, raw, dict(pv.enum).get(raw)) or format_value(pv.value, 0)
            else:
                text = f"{format_value(pv.value, pv.decimals)} {pv.unit}".strip()
            marker = quality_marker(pv.quality)
            val.setText(f"{text}  [{marker}]" if marker else text)
            set_quality(val, pv.quality)
            # Still clickable in local control: the dialog then explains the refusal. Not for a
            # role that may not write at all: disabled, the reason on hover.
            why = self._write_why
            btn.setEnabled(pv.writable and why is None)
            if why is not None:
                btn.setToolTip(self.tr("Change…: not allowed — {reason}").format(reason=why))
            else:
                btn.setToolTip(
                    self.tr("Station in LOCAL control: writes are refused")
                    if state.local_control and name != CONTROL_LEVEL_POINT
                    else ""
                )
        set_severity(self.title, None)
        self._rooms_caption()

    def set_rooms(self, rooms: Sequence[RoomView]) -> None:
        self.room_grid.set_rooms(rooms)
        self._rooms_caption()

    def _rooms_caption(self) -> None:
        b16, b18, off = self.room_grid.counts()
        n = len(self.room_grid.rooms())
        cold = self.tr("{n} below 18 °C").format(n=integer(b18))
        st = self._state
        if b18 and st is not None and st.rooms_pending:
            # Say why a cold room has no alarm yet (the rule's on-delay), so it is not mistaken
            # for a missing alarm.
            pending = min(st.rooms_pending, b18)
            waiting = (
                self.tr("no alarm yet")
                if not st.rooms_in_alarm
                else self.tr("{n} without alarm yet").format(n=integer(pending))
            )
            cold += f" ({waiting} · {on_delay_text(st.pending_until)})"
        self.rooms_caption.setText(
            self.tr("ROOMS   {n} sensors · {cold} · {b16} below 16 °C · {off} offline").format(
                n=integer(n), cold=cold, b16=integer(b16), off=integer(off)
            )
        )

    # --- drag a point (onto a trend) -------------------------------------------------------------
    def point_key(self, point: str) -> str | None:
        """ "station/point" of one of this view's points (None before a station is shown)."""
        return f"{self._state.id}/{point}" if self._state is not None else None

    def drag_mime(self, point: str) -> QMimeData | None:
        key = self.point_key(point)
        return point_mime(key) if key is not None else None

    def start_drag(self, point: str) -> None:
        """Start dragging `point` (the trend accepts it; Qt runs the drag's own loop)."""
        md = self.drag_mime(point)
        if md is None:
            return
        label = label_for_drag(point, self._points)
        pm = QPixmap(QSize(max(90, 8 * len(label)), 22))
        pm.fill(colors.PANEL)
        painter = QPainter(pm)
        painter.setPen(colors.TEXT)
        painter.setFont(ui_font(9))
        painter.drawText(pm.rect(), Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
        drag = QDrag(self)
        drag.setMimeData(md)
        drag.setPixmap(pm)
        drag.exec(Qt.DropAction.CopyAction)

    def points(self) -> dict[str, PointView]:
        return dict(self._points)
