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
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
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

# The diagram's horizontal layout, as fractions of its width (see ProcessDiagram._fx).
X_HX0, X_HX1 = 0.41, 0.47  # the heat exchanger
X_BLD = 0.875  # the buildings' left wall
X_MAKEUP = 0.80  # the make-up water line
MARGIN = 6.0  # px around the diagram
PUMP_R = 15.0  # px
BOX_MIN_W = 84.0  # px: a value box
# Pixel sizes of the diagram's text (fixed: >= 12 px, readable from a metre at 1366x768).
CAPTION_PX, VALUE_PX, TAG_PX = 12, 15, 12

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
        self._caption = ui_font()
        self._caption.setPixelSize(CAPTION_PX)
        self._value = ui_font()
        self._value.setPixelSize(VALUE_PX)
        self._value.setBold(True)
        self._tag = ui_font()
        self._tag.setPixelSize(TAG_PX)
        self._tag.setBold(True)
        # Never lower than its rows need: squeezed, the second pump's label was cut off at
        # 1366x768 (the rooms below take the squeeze instead; they scroll).
        self.setMinimumSize(640, math.ceil(self.needed_height()))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def set_data(self, state: StationState, points: Mapping[str, PointView]) -> None:
        self._state = state
        self._points = dict(points)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(1000, 280)

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
    # The diagram is laid out in the widget's own pixels: positions along the pipes are
    # fractions of the width (the whole width is used, whatever the height), text has fixed
    # pixel sizes (>= 12 px: readable from a metre at 1366x768) and rows are stacked from the
    # fonts' heights. The old uniformly scaled 900x430 canvas used a third of a wide, low
    # window and shrank its labels to 7-8 px.
    def _fx(self, f: float) -> float:
        return MARGIN + f * (self.width() - 2 * MARGIN)

    def needed_height(self) -> float:
        """The height (px) at which every row fits with no spare space between the pipes."""
        r = self._rows(spare=False)
        return r["ret"] + r["bottom"]

    def _rows(self, spare: bool = True) -> dict[str, float]:
        """y of the pipes and the heights the rows need (pixels)."""
        cap_h = QFontMetricsF(self._caption).height()
        box_h = QFontMetricsF(self._value).height() + 8
        group = cap_h + 2 + box_h  # a caption above its value box
        drop = 2 * PUMP_R + cap_h + 8  # the parallel pump leg below the return
        y_sup = MARGIN + group + 8
        middle = 8 + group + 14 + group + 8
        bottom = max(10 + group, drop + PUMP_R + 2 + cap_h) + 4
        extra = max(0.0, self.height() - (y_sup + middle + bottom)) if spare else 0.0
        y_ret = y_sup + middle + 0.6 * extra
        return {
            "bottom": bottom,
            "cap": cap_h,
            "box": box_h,
            "group": group,
            "drop": drop,
            "sup": y_sup,
            "ret": y_ret,
        }

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._xf = (1.0, 0.0, 0.0)  # widget pixels: no transform
        self._hits = []
        fx = self._fx
        rows = self._rows()
        y_sup, y_ret, group = rows["sup"], rows["ret"], rows["group"]
        above = lambda y: y - 6 - group  # noqa: E731 - top of a group above a pipe
        below = lambda y: y + 10  # noqa: E731
        x_hx0, x_hx1, x_bld = fx(X_HX0), fx(X_HX1), fx(X_BLD)
        sup_pen = QPen(colors.LINE, 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
        ret_pen = QPen(colors.LINE_DIM, 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)

        # section titles, on the caption line of the first row, between its value boxes
        self._text(
            p,
            fx(0.17),
            MARGIN,
            QCoreApplication.translate("ProcessDiagram", "PRIMARY  (from trunk line)"),
            colors.TEXT_FAINT,
        )
        self._text(
            p,
            fx(0.66),
            MARGIN,
            QCoreApplication.translate("ProcessDiagram", "SECONDARY  (to buildings)"),
            colors.TEXT_FAINT,
        )

        # primary pipes
        p.setPen(sup_pen)
        p.drawLine(QPointF(fx(0), y_sup), QPointF(x_hx0, y_sup))
        p.setPen(ret_pen)
        p.drawLine(QPointF(x_hx0, y_ret), QPointF(fx(0), y_ret))
        self._arrow(p, QPointF(fx(0.02), y_sup), +1)
        self._arrow(p, QPointF(fx(0.02), y_ret), -1)
        # secondary pipes with the parallel pump leg on the return
        p.setPen(sup_pen)
        p.drawLine(QPointF(x_hx1, y_sup), QPointF(x_bld, y_sup))
        p.setPen(ret_pen)
        p.drawLine(QPointF(x_bld, y_ret), QPointF(x_hx1, y_ret))
        x_la, x_lb, drop = fx(0.495), fx(0.615), rows["drop"]
        loop = QPainterPath(QPointF(x_lb, y_ret))
        loop.lineTo(x_lb, y_ret + drop)
        loop.lineTo(x_la, y_ret + drop)
        loop.lineTo(x_la, y_ret)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(loop)
        self._arrow(p, QPointF(x_bld - 20, y_sup), +1)
        self._arrow(p, QPointF(x_bld - 20, y_ret), -1)

        # plate heat exchanger, its name above it
        hx = QRectF(x_hx0, y_sup - 24, x_hx1 - x_hx0, y_ret - y_sup + 48)
        p.setPen(QPen(colors.LINE, 2))
        p.setBrush(colors.PANEL)
        p.drawRect(hx)
        p.setPen(QPen(colors.LINE_DIM, 1.2))
        for k in range(1, 9):
            x = hx.left() + k * hx.width() / 9
            p.drawLine(QPointF(x, hx.top() + 8), QPointF(x, hx.bottom() - 8))
        self._text(
            p,
            hx.center().x(),
            hx.top() - rows["cap"] - 2,
            QCoreApplication.translate("ProcessDiagram", "heat exchanger"),
            colors.TEXT_DIM,
            center=True,
        )

        self._buildings(p, rows)
        self._makeup(p, rows)

        # primary: control valve on the supply, heat meter on the return
        xv = fx(0.245)
        self._valve(p, QPointF(xv, y_sup))
        self._box(
            p,
            "valve_position",
            xv,
            below(y_sup),
            QCoreApplication.translate("ProcessDiagram", "valve position"),
        )
        p.setPen(QPen(colors.LINE, 1.5))
        p.setBrush(colors.PANEL)
        p.drawEllipse(QPointF(xv, y_ret), 13, 13)
        p.setFont(self._tag)
        p.setPen(colors.TEXT)
        meter = QCoreApplication.translate("ProcessDiagram", "M", "heat meter symbol")
        p.drawText(QRectF(xv - 13, y_ret - 13, 26, 26), Qt.AlignmentFlag.AlignCenter, meter)
        self._box(p, "heat_power", xv, below(y_ret), point_label("heat_power"))
        self._box(p, "primary_flow", fx(0.355), below(y_ret), point_label("primary_flow"))
        c1 = fx(0.10)
        self._box(p, "t1_primary_supply", c1, above(y_sup), point_label("t1_primary_supply"))
        self._box(p, "p1_primary_supply", c1, below(y_sup), point_label("p1_primary_supply"))
        self._box(p, "t2_primary_return", c1, above(y_ret), point_label("t2_primary_return"))
        self._box(p, "p2_primary_return", c1, below(y_ret), point_label("p2_primary_return"))
        # secondary
        self._box(
            p,
            "t3_secondary_supply",
            fx(0.58),
            above(y_sup),
            point_label("t3_secondary_supply"),
            setpoint="t3_setpoint_active",
        )
        self._box(
            p, "p3_secondary_supply", fx(0.58), below(y_sup), point_label("p3_secondary_supply")
        )
        self._box(p, "secondary_flow", fx(0.76), below(y_sup), point_label("secondary_flow"))
        self._box(
            p, "p4_secondary_return", fx(0.70), above(y_ret), point_label("p4_secondary_return")
        )
        self._box(
            p, "t4_secondary_return", fx(0.685), below(y_ret), point_label("t4_secondary_return")
        )

        # pumps on the return: 1 on the main line, 2 on the parallel leg
        self._pump(p, QPointF(fx(0.555), y_ret), 1)
        self._pump(p, QPointF(fx(0.555), y_ret + drop), 2)

    def _text(
        self,
        p: QPainter,
        x: float,
        y: float,
        text: str,
        color: object,
        *,
        center: bool = False,
        font: QFont | None = None,
    ) -> QRectF:
        """One line of text with its top at y, starting at x (or centred on it); its rect."""
        p.setFont(font or self._caption)
        fm = QFontMetricsF(p.font())
        w = fm.horizontalAdvance(text) + 2
        rect = QRectF(x - w / 2 if center else x, y, w, fm.height())
        p.setPen(color)  # type: ignore[call-overload]
        p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        return rect

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
            word = (
                QCoreApplication.translate("ProcessDiagram", "opening ▲")
                if opening
                else QCoreApplication.translate("ProcessDiagram", "closing ▼")
            )
            h = QFontMetricsF(self._tag).height()
            self._text(p, c.x() + 14, c.y() - 10 - h, word, colors.TEXT, font=self._tag)

    def _pump(self, p: QPainter, c: QPointF, n: int) -> None:
        running = _bit(self._points, "status_bits", n - 1)
        fault = _bit(self._points, "alarm_bits", 4 + n)
        r = PUMP_R
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
        top = c.y() + r + 2
        if fault:
            text = QCoreApplication.translate("ProcessDiagram", "Pump {n} FAULT").format(n=n)
            fm = QFontMetricsF(self._caption)
            tw = fm.horizontalAdvance(text) + 10  # as wide as its words
            tag = QRectF(c.x() - tw / 2, top, tw, fm.height())
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colors.PRIORITY_COLOR[Priority.HIGH])
            p.drawRect(tag)
            self._text(p, c.x(), top, text, colors.PRIORITY_TEXT[Priority.HIGH], center=True)
        else:
            text = QCoreApplication.translate("ProcessDiagram", "Pump {n}  {state}").format(
                n=n, state=state
            )
            color = colors.TEXT if running else colors.TEXT_DIM
            self._text(p, c.x(), top, text, color, center=True)
        if speed is not None:
            self._hits.append((QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r + 18), speed.name))

    def _makeup(self, p: QPainter, rows: dict[str, float]) -> None:
        """Make-up water into the secondary return: the line, its flow, its name."""
        x, y_ret = self._fx(X_MAKEUP), rows["ret"]
        bottom = self.height() - MARGIN
        p.setPen(QPen(colors.LINE_DIM, 3))
        p.drawLine(QPointF(x, bottom), QPointF(x, y_ret))
        w = self._box_width("makeup_flow")
        top = y_ret + 10
        self._box(p, "makeup_flow", x + 8 + w / 2, top, point_label("makeup_flow"))
        word = QCoreApplication.translate("ProcessDiagram", "make-up water")
        fm = QFontMetricsF(self._caption)
        y = bottom - fm.height()
        if y >= top + rows["group"] + 2:  # room below the flow's box; else its caption says it
            self._text(p, x + 8, y, word, colors.TEXT_DIM)

    def _buildings(self, p: QPainter, rows: dict[str, float]) -> None:
        st = self._state
        x0, x1 = self._fx(X_BLD), self.width() - MARGIN
        roof_top, roof_base = MARGIN, MARGIN + 26
        bottom = rows["ret"] + 8
        p.setPen(QPen(colors.LINE, 1.5))
        p.setBrush(colors.PANEL)
        p.drawRect(QRectF(x0, roof_base, x1 - x0, bottom - roof_base))
        p.drawPolygon(
            QPolygonF(
                [
                    QPointF(x0 - 6, roof_base + 2),
                    QPointF((x0 + x1) / 2, roof_top),
                    QPointF(x1 + 6, roof_base + 2),
                ]
            )
        )
        cx, cap_h, group = (x0 + x1) / 2, rows["cap"], rows["group"]
        y = roof_base + 4
        if st is None:
            self._text(
                p,
                cx,
                y,
                QCoreApplication.translate("ProcessDiagram", "buildings"),
                colors.TEXT_DIM,
                center=True,
            )
            return
        words = (
            QCoreApplication.translate("ProcessDiagram", "{n} rooms").format(
                n=integer(st.rooms_total)
            )
            if st.rooms_total
            else QCoreApplication.translate("ProcessDiagram", "no room sensors")
        )
        self._text(p, cx, y, words, colors.TEXT_DIM, center=True)
        y += cap_h + 4
        if not st.rooms_total:
            return
        w = min(x1 - x0 - 8, 110.0)
        self._box(
            p, "room_temp_min", cx, y, QCoreApplication.translate("ProcessDiagram", "room min"), w=w
        )
        y += group + 4
        tag_h = 2 * cap_h + 6
        cold = st.rooms_below_18 > 0
        if y + group + (tag_h + 4 if cold else 0) <= bottom - 4:  # the mean, where it fits
            self._box(
                p,
                "room_temp_mean",
                cx,
                y,
                QCoreApplication.translate("ProcessDiagram", "room mean"),
                w=w,
            )
            y += group + 4
        if not cold:
            return
        tag = QRectF(x0 + 4, y, x1 - x0 - 8, tag_h)
        low = f"{st.rooms_below_18} < {limit_text(st.room_low_limit or 0.0)} °C"
        if st.rooms_pending and not st.rooms_in_alarm:
            # Cold, but the room alarms still wait for their on-delay: an outlined, uncoloured
            # tag (ISA-101: colour only for alarms), worded so nobody misses an alarm.
            p.setPen(QPen(colors.TEXT_DIM, 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            second, color = (
                QCoreApplication.translate("ProcessDiagram", "no alarm yet"),
                colors.TEXT,
            )
        else:
            pr = Priority.CRITICAL if st.rooms_below_16 else Priority.MEDIUM
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colors.PRIORITY_COLOR[pr])
            second = f"{st.rooms_below_16} < {limit_text(st.room_critical_limit or 0.0)} °C"
            color = colors.PRIORITY_TEXT[pr]
        p.drawRect(tag)
        self._text(p, cx, tag.top() + 2, low, color, center=True)
        self._text(p, cx, tag.top() + 4 + cap_h, second, color, center=True)

    def _value_text(self, pv: PointView) -> str:
        text = format_value(pv.value, pv.decimals)
        return f"{text} {pv.unit}" if pv.unit else text

    def _box_width(self, name: str) -> float:
        pv = self._points.get(name)
        text = self._value_text(pv) if pv is not None else "—"
        return max(BOX_MIN_W, QFontMetricsF(self._value).horizontalAdvance(text) + 18)

    def _box(
        self,
        p: QPainter,
        name: str,
        cx: float,
        top: float,
        caption: str,
        *,
        w: float | None = None,
        setpoint: str | None = None,
    ) -> None:
        """Caption line at `top`, the value box below it (centred on cx): the value with its
        unit, quality and alarm tag; registered as clickable. A setpoint is said beside it."""
        pv = self._points.get(name)
        fm = QFontMetricsF(self._caption)
        cap_h, h = fm.height(), QFontMetricsF(self._value).height() + 8
        w = w if w is not None else self._box_width(name)
        rect = QRectF(cx - w / 2, top + cap_h + 2, w, h)
        self._text(p, cx, top, caption, colors.TEXT_DIM, center=True)
        if setpoint and (sp := self._points.get(setpoint)) and sp.value is not None:
            words = QCoreApplication.translate("ProcessDiagram", "setpoint {value}").format(
                value=f"{format_value(sp.value, 1)} {sp.unit or pv.unit if pv else ''}".strip()
            )
            self._text(p, rect.right() + 8, rect.center().y() - cap_h / 2, words, colors.TEXT_DIM)
        if pv is None:
            p.setPen(QPen(colors.GRID, 1, Qt.PenStyle.DashLine))
            p.setBrush(colors.BACKGROUND)
            p.drawRect(rect)
            p.setFont(self._value)
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
        p.setFont(self._value)
        p.setPen(colors.QUALITY_COLOR[pv.quality] if bad else colors.TEXT)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._value_text(pv))
        if bad:  # the marker sits right of the box so the value stays legible
            marker = quality_marker(pv.quality)
            mw = QFontMetricsF(self._tag).horizontalAdvance(marker) + 8
            mrect = QRectF(rect.right() + 3, rect.top() + 2, mw, rect.height() - 4)
            p.setPen(QPen(colors.QUALITY_COLOR[pv.quality], 1))
            p.setBrush(colors.BACKGROUND)
            p.drawRect(mrect)
            p.setFont(self._tag)
            p.drawText(mrect, Qt.AlignmentFlag.AlignCenter, marker)
        elif alarm is not None:  # priority tag: shape + number, not colour alone
            tag = QRectF(rect.left() - 20, rect.top() + (h - 16) / 2, 16, 16)
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
            btn.setEnabled(False)  # until a station is shown (retranslate says why)
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
        self.room_grid.setMinimumHeight(84)  # it raises this itself to what its rooms need
        self.room_grid.room_clicked.connect(self.room_clicked)
        self.room_grid.drag_started.connect(lambda i: self.start_drag(f"room_temp[{i}]"))
        # A station of 330 rooms needs 350 px of cells with their numbers: on a short screen
        # the grid scrolls instead of pushing the window past the screen's height.
        self.room_scroll = QScrollArea()
        self.room_scroll.setWidget(self.room_grid)
        self.room_scroll.setWidgetResizable(True)
        self.room_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.room_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.room_scroll.setMinimumHeight(84)
        rooms_box.addWidget(self.room_scroll)
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
            self._no_station_buttons()
            self._rooms_caption()

    def _no_station_buttons(self) -> None:
        """No station shown: nothing to change — disabled, the reason (or the role's) on hover."""
        why = self._write_why or self.tr("Open a station to change its setpoints.")
        for _lab, _val, btn in self.setpoint_rows.values():
            btn.setEnabled(False)
            btn.setToolTip(why)

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
            self._no_station_buttons()

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
