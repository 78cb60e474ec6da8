"""Station symbols of the overview schematic: what each state looks like, painted once.

A symbol depends only on its *visual key* (alarm priority, comm quality, unacknowledged,
local control) and the blink phase, so there are a few dozen distinct symbols for ~800
stations. `SymbolSprites` paints each distinct symbol once into a small pixmap; the schematic
then stamps pixmaps (one cheap `drawPixmap` per station) instead of running vector painting
code in Python for every station on every repaint.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from console.vocabulary.alarms import Priority
from console.vocabulary.quality import Quality
from console.vocabulary.views import StationState
from widgets import colors


class Shape(IntEnum):
    """Symbol shape per alarm priority, so the state is never told by colour alone."""

    DOT = 0  # normal
    SQUARE = 1  # critical
    TRIANGLE = 2  # high
    DIAMOND = 3  # medium
    TRIANGLE_DOWN = 4  # low
    RING = 5  # info


SHAPE_OF: dict[Priority | None, Shape] = {
    None: Shape.DOT,
    Priority.CRITICAL: Shape.SQUARE,
    Priority.HIGH: Shape.TRIANGLE,
    Priority.MEDIUM: Shape.DIAMOND,
    Priority.LOW: Shape.TRIANGLE_DOWN,
    Priority.INFO: Shape.RING,
}


def _shape_path(shape: Shape, r: float) -> QPainterPath:
    p = QPainterPath()
    if shape in (Shape.DOT, Shape.RING):
        p.addEllipse(QPointF(0, 0), r, r)
    elif shape == Shape.SQUARE:
        p.addRect(QRectF(-r * 0.85, -r * 0.85, r * 1.7, r * 1.7))
    elif shape == Shape.TRIANGLE:
        p.addPolygon(QPolygonF([QPointF(0, -r * 1.1), QPointF(r, r * 0.75), QPointF(-r, r * 0.75)]))
        p.closeSubpath()
    elif shape == Shape.TRIANGLE_DOWN:
        p.addPolygon(
            QPolygonF([QPointF(0, r * 1.1), QPointF(r, -r * 0.75), QPointF(-r, -r * 0.75)])
        )
        p.closeSubpath()
    else:  # diamond
        p.addPolygon(QPolygonF([QPointF(0, -r), QPointF(r, 0), QPointF(0, r), QPointF(-r, 0)]))
        p.closeSubpath()
    return p


R_NORMAL = 3.5  # a healthy station is a small calm dot
# An alarm symbol is ~6x a healthy dot's size (22 px across): seen from across the room, by
# size and shape, not only colour. Unacknowledged ones flash: a ring around the symbol in its
# priority colour comes and goes with the blink while the fill pulses.
R_ALARM = 11.0
R_HALO = R_ALARM + 5.0  # the flashing ring's radius
HIT_RADIUS = R_ALARM + 1  # generous hit area for the mouse, in device pixels
HALF = 24  # a sprite covers [-HALF, HALF) device px around the station (symbol, ring, "?", bar)
_PATHS: dict[tuple[Shape, bool], QPainterPath] = {
    (s, big): _shape_path(s, R_ALARM if big else R_NORMAL) for s in Shape for big in (False, True)
}

VisualKey = tuple[Priority | None, Quality, bool, bool]
NO_DATA_KEY: VisualKey = (None, Quality.NO_DATA, False, False)

# Drawing order: abnormal symbols are drawn over normal ones, the most severe last (on top),
# so a dense district never hides an alarm under healthy dots.
_PRIORITY_RANK = {
    Priority.LOW: 2,
    Priority.MEDIUM: 3,
    Priority.HIGH: 4,
    Priority.CRITICAL: 5,
}


def visual_key(s: StationState) -> VisualKey:
    """What the symbol shows; a repaint is needed only when this changes."""
    return (s.alarm, s.comm, bool(s.unacked and s.alarm is not None), s.local_control)


def is_abnormal(key: VisualKey) -> bool:
    return key[0] not in (None, Priority.INFO) or key[1] != Quality.GOOD


def draw_rank(key: VisualKey) -> int:
    """0 = normal (drawn first) ... 5 = critical (drawn last, on top)."""
    rank = _PRIORITY_RANK.get(key[0], 0)  # type: ignore[arg-type]
    if rank == 0 and key[1] != Quality.GOOD:
        return 1
    return rank


def fill_color(key: VisualKey) -> QColor:
    """The symbol's main colour in the steady ('on') phase."""
    p, q = key[0], key[1]
    if p is not None:
        c = colors.PRIORITY_COLOR[p]
        return colors.mix(c, colors.STALE, 0.55) if q == Quality.STALE else c
    if q in (Quality.COMM_FAIL, Quality.WRONG_DEVICE):
        return colors.QUALITY_COLOR[q]
    if q == Quality.STALE:
        return colors.STALE
    if q == Quality.NO_DATA:
        return colors.NO_DATA
    return colors.SYMBOL


def symbol_brush(key: VisualKey, blink_on: bool) -> QBrush:
    """The fill as painted: solid, hatched (comm fail) or none (no data)."""
    p, q, blinking = key[0], key[1], key[2]
    if q == Quality.NO_DATA and p is None:
        return QBrush(Qt.BrushStyle.NoBrush)
    if q in (Quality.COMM_FAIL, Quality.WRONG_DEVICE):
        return colors.hatch_brush(fill_color(key), Qt.BrushStyle.BDiagPattern)
    color = fill_color(key)
    if blinking and not blink_on:
        color = colors.mix(color, colors.BACKGROUND, 0.6)
    return QBrush(color)


def paint_symbol(painter: QPainter, key: VisualKey, blink_on: bool, marker_font: QFont) -> None:
    """Paint one station symbol centred on (0, 0) in device pixels (antialiased)."""
    p, q, _, local = key
    # Abnormal symbols are larger; a failed station too (it may hide an alarm).
    untrusted = q in (Quality.COMM_FAIL, Quality.WRONG_DEVICE)  # hatched in its quality colour
    big = (p is not None and p != Priority.INFO) or untrusted
    shape = SHAPE_OF[p]
    path = _PATHS[(shape, big)]
    fill = fill_color(key)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    if untrusted:
        # Hatched in the comm colour, outlined in the alarm colour if one is active: the
        # alarm stays visible, the hatch says "this is not live".
        qc = colors.QUALITY_COLOR[q]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colors.BACKGROUND)
        painter.drawPath(path)
        painter.setBrush(colors.hatch_brush(qc))
        painter.drawPath(path)
        outline = colors.PRIORITY_COLOR[p] if p is not None else qc
        painter.setPen(QPen(outline, 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if not big:  # a cross makes a failed dot readable without colour
            painter.setPen(QPen(qc, 1.4))
            painter.drawLine(QLineF(-4.5, -4.5, 4.5, 4.5))
            painter.drawLine(QLineF(-4.5, 4.5, 4.5, -4.5))
    elif q == Quality.NO_DATA and p is None:
        painter.setPen(QPen(colors.NO_DATA, 1.2, Qt.PenStyle.DotLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(symbol_brush(key, blink_on))
        if shape == Shape.RING:
            painter.setPen(QPen(fill, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        elif big:
            painter.setPen(QPen(colors.BACKGROUND, 1.5))
        painter.drawPath(path)
        if q == Quality.SENSOR_FAULT:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.hatch_brush(colors.BACKGROUND, Qt.BrushStyle.FDiagPattern))
            painter.drawPath(path)

    if big and key[2] and blink_on:  # unacknowledged: the flashing ring, on phase
        painter.setPen(QPen(colors.BACKGROUND, 5.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), R_HALO, R_HALO)
        painter.setPen(QPen(colors.PRIORITY_COLOR[p] if p is not None else fill, 3.0))
        painter.drawEllipse(QPointF(0, 0), R_HALO, R_HALO)

    if q == Quality.STALE:  # "?" marker beside the symbol
        painter.setFont(marker_font)
        painter.setPen(colors.TEXT)
        painter.drawText(
            QRectF(R_ALARM - 3, -R_ALARM - 4, 10, 10), Qt.AlignmentFlag.AlignCenter, "?"
        )
    if local:  # local control: a small bar under the symbol (field engineer on site)
        painter.setPen(QPen(colors.TEXT, 1.5))
        painter.drawLine(QLineF(-4, R_ALARM + 1.5, 4, R_ALARM + 1.5))


class SymbolSprites:
    """Each distinct (visual key, blink phase) painted once into a pixmap, per pixel ratio."""

    def __init__(self, marker_font: QFont) -> None:
        self._font = marker_font
        self._cache: dict[tuple[VisualKey, bool, float], QPixmap] = {}

    def get(self, key: VisualKey, blink_on: bool, dpr: float) -> QPixmap:
        if not key[2]:
            blink_on = True  # only unacknowledged symbols have a dim phase
        k = (key, blink_on, dpr)
        pm = self._cache.get(k)
        if pm is None:
            side = round(2 * HALF * dpr)
            pm = QPixmap(side, side)
            pm.setDevicePixelRatio(dpr)
            pm.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pm)
            painter.translate(HALF, HALF)
            paint_symbol(painter, key, blink_on, self._font)
            painter.end()
            self._cache[k] = pm
        return pm
