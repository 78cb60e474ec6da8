"""The six-point weather-compensation curve of one station, with its operating point.

Plotted: the curve as configured (registers 205–210: T3 at outdoor −10/−5/0/+5/+10/+15 °C),
the curve as applied (shifted by `curve_shift`, clamped to T3 min/max), and where the station
runs now — the outdoor temperature against the active T3 setpoint and the actual T3.

An engineer edits a point by dragging it up or down (or double-clicking it): the widget emits
`edit_intent(point name, new value)` and writes nothing — the caller confirms (SetpointDialog)
and sends the write through the doorway. While editing is not allowed the widget says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.vocabulary.curve import CURVE_POINTS
from widgets import colors
from widgets.locale_format import number
from widgets.theme import ui_font

X_RANGE = (-20.0, 20.0)  # °C outdoor shown (the curve is held flat beyond its end points)
STEP = 0.5  # K: a drag moves a point in half-kelvin steps
HIT_PX = 12.0

# ISA-101 grey: the curve in the text colour, the actual value in the trend blue; no alarm hues.
_INK = colors.TEXT
_DIM = colors.TEXT_DIM
_GRID = colors.LINE_DIM
_CURVE = colors.TEXT
_APPLIED = colors.TEXT_DIM
_SET = colors.SELECT
_ACTUAL = QColor("#6fa8dc")


@dataclass(frozen=True)
class CurveView:
    """What the widget shows; None = not known (no data)."""

    station: str
    points: tuple[float | None, ...]  # T3 °C at CURVE_POINTS' outdoor temperatures
    shift: float | None = None  # K
    outdoor: float | None = None
    setpoint: float | None = None  # active T3 setpoint (the controller's)
    actual: float | None = None  # T3 secondary supply
    t3_min: float | None = None
    t3_max: float | None = None
    write_min: float = 20.0  # allowed range of a curve point (the template)
    write_max: float = 95.0


def _known(v: float | None) -> bool:
    return v is not None and not math.isnan(v)


def curve_value(view: CurveView, x: float, *, applied: bool = True) -> float | None:
    """T3 the curve gives at outdoor `x` (linear between points, flat beyond the ends)."""
    pts = [(cx, v) for (_, cx), v in zip(CURVE_POINTS, view.points, strict=True) if _known(v)]
    if len(pts) < 2:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    if x <= xs[0]:
        y = ys[0]
    elif x >= xs[-1]:
        y = ys[-1]
    else:
        i = next(k for k in range(1, len(xs)) if x <= xs[k])
        y = ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1])
    if applied:
        y += view.shift if _known(view.shift) else 0.0
        if _known(view.t3_min):
            y = max(y, view.t3_min)  # type: ignore[arg-type]
        if _known(view.t3_max):
            y = min(y, view.t3_max)  # type: ignore[arg-type]
    return y


class HeatingCurve(QWidget):
    edit_intent = Signal(str, float)  # curve point name, new T3 value (°C)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view: CurveView | None = None
        self._refusal: str | None = None
        self._drag: int | None = None
        self._drag_value: float | None = None
        self.setMinimumSize(420, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.retranslate()

    # --- API -----------------------------------------------------------------------------------
    def set_curve(self, view: CurveView | None) -> None:
        if self._drag is None:  # a drag in progress keeps its picture until released
            self._view = view
        self.update()

    def curve(self) -> CurveView | None:
        return self._view

    def set_editable(self, refusal: str | None) -> None:
        """None: the operator may edit; else why not (shown, and as the tooltip)."""
        self._refusal = refusal
        self.retranslate()
        self.update()

    @property
    def editable(self) -> bool:
        return self._refusal is None and self._view is not None

    def point_position(self, i: int) -> QPointF:
        """Where curve point i is drawn (widget coordinates; tests click there)."""
        assert self._view is not None and _known(self._view.points[i])
        return self._to_px(CURVE_POINTS[i][1], self._view.points[i])  # type: ignore[arg-type]

    def value_at_y(self, y: float) -> float:
        lo, hi = self._y_range()
        r = self._plot_rect()
        v = hi - (y - r.top()) / r.height() * (hi - lo)
        return round(round(v / STEP) * STEP, 1)

    # --- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setToolTip(
            self._refusal
            if self._refusal
            else self.tr("Drag a curve point up or down, or double-click it, to change it.")
        )
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- geometry ------------------------------------------------------------------------------
    def _plot_rect(self) -> QRectF:
        return QRectF(56, 34, max(50.0, self.width() - 56 - 16), max(50.0, self.height() - 34 - 86))

    def _y_range(self) -> tuple[float, float]:
        v = self._view
        vals = [20.0, 80.0]
        if v is not None:
            vals += [p for p in v.points if _known(p)]  # type: ignore[misc]
            vals += [p for p in (v.setpoint, v.actual) if _known(p)]  # type: ignore[misc]
            sh = v.shift if _known(v.shift) else 0.0
            vals += [p + sh for p in v.points if _known(p)]  # type: ignore[operator]
        lo, hi = min(vals), max(vals)
        return math.floor(lo / 10) * 10, math.ceil(hi / 10) * 10

    def _to_px(self, x: float, y: float) -> QPointF:
        r = self._plot_rect()
        lo, hi = self._y_range()
        x0, x1 = X_RANGE
        px = r.left() + (min(max(x, x0), x1) - x0) / (x1 - x0) * r.width()
        py = r.bottom() - (y - lo) / (hi - lo) * r.height()
        return QPointF(px, py)

    def _hit(self, pos: QPointF) -> int | None:
        if self._view is None:
            return None
        for i, v in enumerate(self._view.points):
            if _known(v):
                p = self.point_position(i)
                if abs(p.x() - pos.x()) <= HIT_PX and abs(p.y() - pos.y()) <= HIT_PX:
                    return i
        return None

    # --- mouse: drag a point -------------------------------------------------------------------
    def mousePressEvent(self, e: QMouseEvent) -> None:
        i = self._hit(e.position())
        if i is not None and self.editable and e.button() == Qt.MouseButton.LeftButton:
            self._drag, self._drag_value = i, self._view.points[i]  # type: ignore[union-attr]
            e.accept()
            return
        super().mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self._drag is not None and self._view is not None:
            v = self.value_at_y(e.position().y())
            self._drag_value = min(max(v, self._view.write_min), self._view.write_max)
            self.update()
            return
        hit = self._hit(e.position()) is not None and self.editable
        self.setCursor(Qt.CursorShape.SizeVerCursor if hit else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if self._drag is not None:
            i, v = self._drag, self._drag_value
            self._drag = self._drag_value = None
            self.update()
            old = self._view.points[i] if self._view else None
            if v is not None and (old is None or abs(v - old) >= 0.05):
                self.edit_intent.emit(CURVE_POINTS[i][0], float(v))
            return
        super().mouseReleaseEvent(e)

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:
        i = self._hit(e.position())
        if i is not None and self.editable:
            self._drag = self._drag_value = None
            self.edit_intent.emit(CURVE_POINTS[i][0], float(self._view.points[i]))  # type: ignore[union-attr, arg-type]
            return
        super().mouseDoubleClickEvent(e)

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), colors.BACKGROUND)
        p.setFont(ui_font(9))
        r = self._plot_rect()
        lo, hi = self._y_range()
        v = self._view
        title = self.tr("Heating curve")
        if v is not None:
            title = self.tr("Heating curve of {station}").format(station=v.station)
        p.setPen(_INK)
        p.setFont(ui_font(11))
        p.drawText(QRectF(8, 4, self.width() - 16, 24), Qt.AlignmentFlag.AlignLeft, title)
        p.setFont(ui_font(9))
        # Grid and axes: every 5 °C outdoor, every 10 °C T3.
        for x in range(int(X_RANGE[0]), int(X_RANGE[1]) + 1, 5):
            a = self._to_px(x, lo)
            p.setPen(QPen(_GRID, 1))
            p.drawLine(a, self._to_px(x, hi))
            p.setPen(_INK)
            p.drawText(QRectF(a.x() - 20, r.bottom() + 2, 40, 16), Qt.AlignmentFlag.AlignHCenter,
                       number(x, 0))  # fmt: skip
        y = lo
        while y <= hi + 1e-9:
            a = self._to_px(X_RANGE[0], y)
            p.setPen(QPen(_GRID, 1))
            p.drawLine(a, self._to_px(X_RANGE[1], y))
            p.setPen(_INK)
            p.drawText(QRectF(4, a.y() - 8, 48, 16), Qt.AlignmentFlag.AlignRight, number(y, 0))
            y += 10
        p.drawText(QRectF(r.left(), r.bottom() + 18, r.width(), 16), Qt.AlignmentFlag.AlignHCenter,
                   self.tr("Outdoor temperature (°C)"))  # fmt: skip
        p.save()
        p.translate(12, r.center().y())
        p.rotate(-90)
        p.drawText(QRectF(-r.height() / 2, -10, r.height(), 16), Qt.AlignmentFlag.AlignHCenter,
                   self.tr("T3 secondary supply (°C)"))  # fmt: skip
        p.restore()
        if v is None:
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, self.tr("Open a station to see its curve."))
            p.end()
            return
        self._paint_curve(p, v)
        self._paint_legend(p, v, r)
        p.end()

    def _paint_curve(self, p: QPainter, v: CurveView) -> None:
        pts = list(v.points)
        if self._drag is not None:
            pts[self._drag] = self._drag_value
        shown = CurveView(**{**v.__dict__, "points": tuple(pts)})
        # The applied curve (shift, min/max): dashed, the controller's setpoint lies on it.
        path = QPainterPath()
        xs = [X_RANGE[0] + k * 0.5 for k in range(int((X_RANGE[1] - X_RANGE[0]) / 0.5) + 1)]
        first = True
        for x in xs:
            y = curve_value(shown, x)
            if y is None:
                break
            q = self._to_px(x, y)
            path.moveTo(q) if first else path.lineTo(q)
            first = False
        p.setPen(QPen(_APPLIED, 1.5, Qt.PenStyle.DashLine))
        p.drawPath(path)
        # The configured six points and the line through them.
        known = [(i, cx, y) for i, ((_, cx), y) in enumerate(zip(CURVE_POINTS, pts, strict=True))
                 if _known(y)]  # fmt: skip
        p.setPen(QPen(_CURVE, 2))
        for (_, x0, y0), (_, x1, y1) in pairwise(known):
            p.drawLine(self._to_px(x0, y0), self._to_px(x1, y1))  # type: ignore[arg-type]
        for i, x, y in known:
            c = self._to_px(x, y)  # type: ignore[arg-type]
            p.setBrush(_CURVE if i != self._drag else colors.BACKGROUND)
            p.setPen(QPen(_CURVE, 2))
            p.drawEllipse(c, 5, 5)
            p.setPen(_INK)
            p.drawText(QRectF(c.x() - 24, c.y() - 22, 48, 14), Qt.AlignmentFlag.AlignHCenter,
                       number(y, 1))  # fmt: skip
        # The operating point: active setpoint (black diamond) and actual T3 (amber ring).
        if _known(v.outdoor):
            ox = v.outdoor
            bottom = self._to_px(ox, self._y_range()[0])  # type: ignore[arg-type]
            p.setPen(QPen(_ACTUAL, 1, Qt.PenStyle.DotLine))
            p.drawLine(bottom, QPointF(bottom.x(), self._plot_rect().top()))
            if _known(v.setpoint):
                c = self._to_px(ox, v.setpoint)  # type: ignore[arg-type]
                p.setPen(QPen(_SET, 1.5))
                p.setBrush(_SET)
                p.drawPolygon([c + QPointF(0, -6), c + QPointF(6, 0), c + QPointF(0, 6),
                               c + QPointF(-6, 0)])  # fmt: skip
            if _known(v.actual):
                c = self._to_px(ox, v.actual)  # type: ignore[arg-type]
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QPen(_ACTUAL, 2.5))
                p.drawEllipse(c, 7, 7)

    def _paint_legend(self, p: QPainter, v: CurveView, r: QRectF) -> None:
        def n(x: float | None) -> str:
            return number(x, 1) if _known(x) else "—"

        shift = n(v.shift)
        if _known(v.shift) and v.shift > 0:  # type: ignore[operator]
            shift = "+" + shift
        lines = [
            self.tr("Outdoor {t} °C · T3 setpoint (active) {sp} °C · T3 actual {pv} °C").format(
                t=n(v.outdoor), sp=n(v.setpoint), pv=n(v.actual)
            ),
            self.tr("Curve shift {shift} K · dashed: the curve as applied").format(shift=shift),
        ]
        if self._refusal:
            lines.append(self._refusal)
        p.setPen(_INK)
        y = r.bottom() + 34
        for line in lines:
            p.drawText(QRectF(8, y, self.width() - 16, 16), Qt.AlignmentFlag.AlignLeft, line)
            y += 15
