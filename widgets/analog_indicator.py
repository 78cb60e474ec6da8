"""A compact ISA-101 analog indicator: value in its context, not a bare number.

    Room min                                  17.4 °C
    ├──────░░░░░░░░░░░░░░░░░│──────────┤
              ▲

Grey scale track, the normal band as a lighter area, alarm limits as ticks, a setpoint marker,
a pointer at the value. Out-of-band values turn pointer and value to the alarm colour; values of
bad quality hatch the track, hollow the pointer and carry a text marker (?, COMM, SENSOR, —).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.vocabulary.alarms import Priority
from console.vocabulary.quality import Quality
from console.vocabulary.views import PointView
from widgets import colors
from widgets.dnd import DragGesture
from widgets.locale_format import clock, number
from widgets.theme import ui_font
from widgets.words import enum_text, quality_marker, quality_text


def format_value(value: float | None, decimals: int | None = None) -> str:
    """Display text of a value: '—' for none/NaN, otherwise fixed decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if decimals is None:
        decimals = 0 if abs(value) >= 100 else 1
    return number(value, decimals)


def value_alarm(pv: PointView) -> Priority | None:
    """The alarm colour a value is shown in: the point's own alarm, else its limits."""
    if pv.alarm is not None:
        return pv.alarm
    v = pv.value
    if v is None or math.isnan(v) or pv.quality != Quality.GOOD:
        return None  # a value we cannot trust neither raises nor clears an alarm colour
    if (pv.alarm_low is not None and v < pv.alarm_low) or (
        pv.alarm_high is not None and v > pv.alarm_high
    ):
        return Priority.HIGH
    if (pv.normal_low is not None and v < pv.normal_low) or (
        pv.normal_high is not None and v > pv.normal_high
    ):
        return Priority.MEDIUM
    return None


def scale_of(pv: PointView) -> tuple[float, float]:
    """The indicator's range: the point's scale, else the span of everything it shows."""
    if pv.scale_min is not None and pv.scale_max is not None and pv.scale_max > pv.scale_min:
        return pv.scale_min, pv.scale_max
    marks = [
        x
        for x in (pv.normal_low, pv.normal_high, pv.alarm_low, pv.alarm_high, pv.setpoint, pv.value)
        if x is not None and not math.isnan(x)
    ]
    if not marks:
        return 0.0, 100.0
    lo, hi = min(marks), max(marks)
    pad = max((hi - lo) * 0.25, abs(hi) * 0.05, 1.0)
    lo = pv.scale_min if pv.scale_min is not None else lo - pad
    hi = pv.scale_max if pv.scale_max is not None else hi + pad
    return lo, hi


class AnalogIndicator(QWidget):
    """Horizontal bar indicator for one PointView. Click emits `activated(point name)`."""

    activated = Signal(str)
    drag_started = Signal(str)  # point name: the operator drags this value (onto a trend)

    def __init__(self, point: PointView | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pv: PointView | None = None
        self._gesture = DragGesture()
        self._label_font = ui_font(8.5)
        self._value_font = ui_font(10.5)
        self._value_font.setBold(True)
        self._marker_font = ui_font(7.5)
        self._marker_font.setBold(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(150)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        if point is not None:
            self.set_point(point)

    # --- API -----------------------------------------------------------------------------------
    def set_point(self, pv: PointView) -> None:
        if pv == self._pv:
            return
        self._pv = pv
        self.setToolTip(self._tooltip(pv))
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._pv is not None:
            self.setToolTip(self._tooltip(self._pv))  # the label is the caller's; it re-sets it
            self.update()
        super().changeEvent(event)

    def point(self) -> PointView | None:
        return self._pv

    def alarm(self) -> Priority | None:
        return value_alarm(self._pv) if self._pv else None

    def marker_text(self) -> str:
        """The quality marker shown beside the value ('' when GOOD)."""
        return quality_marker(self._pv.quality) if self._pv else ""

    def value_text(self) -> str:
        if self._pv is None:
            return "—"
        pv = self._pv
        if pv.enum:
            names = dict(pv.enum)
            if pv.value is not None and not math.isnan(pv.value):
                raw = round(pv.value)
                return enum_text(pv.name, raw, names.get(raw)) or format_value(pv.value, 0)
        return format_value(pv.value, pv.decimals)

    def sizeHint(self) -> QSize:
        return QSize(260, 40)

    def minimumSizeHint(self) -> QSize:
        return QSize(150, 40)

    # --- events --------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._gesture.press(event, self._pv.name if self._pv is not None else None)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        name = self._gesture.move(event)
        if name is not None:
            self.drag_started.emit(str(name))
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        dragged = self._gesture.release()
        if event.button() == Qt.MouseButton.LeftButton and self._pv is not None and not dragged:
            self.activated.emit(self._pv.name)
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pv = self._pv
        w = float(self.width())
        if pv is None:
            return
        bad = pv.quality != Quality.GOOD
        has_value = pv.value is not None and not math.isnan(pv.value)
        alarm = value_alarm(pv)
        acolor = colors.PRIORITY_COLOR[alarm] if alarm is not None else None

        # --- top row: label left, value + unit + marker right
        p.setFont(self._label_font)
        p.setPen(colors.TEXT_DIM)
        p.drawText(QRectF(2, 0, w * 0.55, 17), Qt.AlignmentFlag.AlignVCenter, pv.label)

        x_right = w - 2
        marker = quality_marker(pv.quality)
        if marker:
            p.setFont(self._marker_font)
            mw = p.fontMetrics().horizontalAdvance(marker) + 8
            box = QRectF(x_right - mw, 2, mw, 14)
            qc = colors.QUALITY_COLOR[pv.quality]
            p.setPen(QPen(qc, 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(box)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, marker)
            x_right -= mw + 5
        if pv.unit:
            p.setFont(self._label_font)
            p.setPen(colors.TEXT_DIM)
            uw = p.fontMetrics().horizontalAdvance(pv.unit)
            p.drawText(QRectF(x_right - uw, 0, uw, 17), Qt.AlignmentFlag.AlignVCenter, pv.unit)
            x_right -= uw + 4
        p.setFont(self._value_font)
        text = self.value_text()
        tw = p.fontMetrics().horizontalAdvance(text)
        vbox = QRectF(x_right - tw - 6, 0, tw + 6, 17)
        if acolor is not None and not bad:
            # ISA-101: the alarmed value itself is flagged, in the priority's colour.
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(acolor)
            p.drawRoundedRect(vbox, 2, 2)
            p.setPen(colors.PRIORITY_TEXT[alarm])  # type: ignore[index]
        else:
            p.setPen(colors.QUALITY_COLOR[pv.quality] if bad else colors.TEXT)
        if bad:
            f = self._value_font
            f.setItalic(pv.quality == Quality.STALE)
            p.setFont(f)
        p.drawText(vbox, Qt.AlignmentFlag.AlignCenter, text)
        self._value_font.setItalic(False)

        # --- bar
        x0, x1 = 4.0, w - 4.0
        by, bh = 22.0, 7.0
        lo, hi = scale_of(pv)

        def xv(v: float) -> float:
            return x0 + (min(max(v, lo), hi) - lo) / (hi - lo) * (x1 - x0)

        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colors.TRACK)
        p.drawRect(QRectF(x0, by, x1 - x0, bh))
        if pv.normal_low is not None or pv.normal_high is not None:
            a = xv(pv.normal_low if pv.normal_low is not None else lo)
            b = xv(pv.normal_high if pv.normal_high is not None else hi)
            p.setBrush(colors.BAND)
            p.drawRect(QRectF(a, by, b - a, bh))
        if bad:
            p.setBrush(colors.hatch_brush(colors.QUALITY_COLOR[pv.quality]))
            p.drawRect(QRectF(x0, by, x1 - x0, bh))
        p.setPen(QPen(colors.TEXT_DIM, 1.5))
        for lim in (pv.alarm_low, pv.alarm_high):
            if lim is not None and lo <= lim <= hi:
                x = xv(lim)
                p.drawLine(QPointF(x, by - 3), QPointF(x, by + bh + 3))
        if pv.setpoint is not None and lo <= pv.setpoint <= hi:
            x = xv(pv.setpoint)
            p.setPen(QPen(colors.TEXT, 1.2))
            p.setBrush(colors.BACKGROUND)
            p.drawPolygon(
                QPolygonF([QPointF(x - 4, by - 6), QPointF(x + 4, by - 6), QPointF(x, by - 1)])
            )

        if has_value:
            assert pv.value is not None
            x = xv(pv.value)
            out = pv.value < lo or pv.value > hi
            tip = by + bh + 1
            tri = QPolygonF([QPointF(x, tip), QPointF(x - 5, tip + 8), QPointF(x + 5, tip + 8)])
            if bad:
                p.setPen(QPen(colors.QUALITY_COLOR[pv.quality], 1.2))
                p.setBrush(Qt.BrushStyle.NoBrush)
            else:
                p.setPen(QPen(colors.BACKGROUND, 1))
                p.setBrush(acolor if acolor is not None else colors.TEXT)
            p.drawPolygon(tri)
            if out:  # pinned at the end: a double chevron says "beyond the scale"
                d = -1 if pv.value < lo else 1
                p.setPen(QPen(acolor or colors.TEXT, 1.5))
                for k in (0, 4):
                    xx = x + d * (3 + k)
                    p.drawLine(QPointF(xx - d * 3, by - 1), QPointF(xx, by + bh / 2))
                    p.drawLine(QPointF(xx, by + bh / 2), QPointF(xx - d * 3, by + bh + 1))

    def _tooltip(self, pv: PointView) -> str:
        parts = [f"<b>{pv.label}</b>: {self.value_text()} {pv.unit}".rstrip()]
        d = pv.decimals
        if pv.normal_low is not None or pv.normal_high is not None:
            parts.append(
                self.tr("normal {low} … {high} {unit}").format(
                    low=format_value(pv.normal_low, d), high=format_value(pv.normal_high, d),
                    unit=pv.unit,
                )
            )  # fmt: skip
        if pv.alarm_low is not None or pv.alarm_high is not None:
            parts.append(
                self.tr("alarm limits {low} / {high} {unit}").format(
                    low=format_value(pv.alarm_low, d), high=format_value(pv.alarm_high, d),
                    unit=pv.unit,
                )
            )  # fmt: skip
        if pv.setpoint is not None:
            parts.append(
                self.tr("setpoint {value} {unit}").format(
                    value=format_value(pv.setpoint, d), unit=pv.unit
                )
            )
        parts.append(self.tr("quality: {quality}").format(quality=quality_text(pv.quality)))
        if pv.time:
            parts.append(self.tr("at {time}").format(time=clock(pv.time)))
        return "<br>".join(parts)
