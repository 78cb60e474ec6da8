"""A station's rooms as a compact grid of cells coloured by temperature band.

Bands (colors.ROOM_BAND_*): < 16 °C critical red, 16–18 °C yellow (the alarm), 18–20 and
20–24 °C calm greys, > 24 °C a muted tan ("too warm", not an alarm colour). Offline sensors are
hatched with a cross, stale values dimmed with a dot. Every cell shows its temperature: the cells
are as wide as the number needs and as tall as its font (11–15 px), not squares that shrink
until the number no longer fits; when even the smallest font's grid does not fit, the grid asks
its layout for the height it needs. The room index shows when a cell has room for a second line,
and always on hover. A legend row (wrapped when the words are long) keeps the colours
self-explaining.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from console.vocabulary.quality import Quality
from console.vocabulary.views import RoomView
from widgets import colors
from widgets.dnd import DragGesture
from widgets.locale_format import limit as limit_text
from widgets.locale_format import number
from widgets.theme import ui_font
from widgets.words import quality_text, room_label

GAP = 2.0
LEGEND_H = 20.0
MAX_CELL = 46.0
VALUE_PX = (15, 14, 13, 12, 11)  # value font sizes tried, largest first; 11 px is the floor
INDEX_PX = 9
PAD_X, PAD_Y = 6.0, 2.0  # around the value inside a cell
OFFLINE_COLOR = QColor("#3f454b")


def _offline(r: RoomView) -> bool:
    return (
        r.temp is None
        or r.temp != r.temp
        or r.quality
        in (
            Quality.SENSOR_FAULT,
            Quality.COMM_FAIL,
            Quality.NO_DATA,
            Quality.WRONG_DEVICE,
        )
    )


class RoomGrid(QWidget):
    room_clicked = Signal(int)  # room index (as in room_temp[i])
    drag_started = Signal(int)  # the operator drags room i (e.g. onto a trend)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rooms: list[RoomView] = []
        self._hover = -1
        self._gesture = DragGesture()
        self._cell_w = self._cell_h = MAX_CELL
        self._cols = 1
        self._legend_lines = 1
        self._owner_min: int | None = None  # the minimum height set by the owner, while raised
        self._font = _px_font(VALUE_PX[0])
        self._small = _px_font(INDEX_PX)
        self._legend_font = ui_font(8)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 80)

    # --- API -----------------------------------------------------------------------------------
    def set_rooms(self, rooms: Sequence[RoomView]) -> None:
        rooms = list(rooms)
        if rooms == self._rooms:
            return
        self._rooms = rooms
        self._layout()
        self.update()

    def rooms(self) -> list[RoomView]:
        return list(self._rooms)

    def cell_color(self, i: int) -> QColor:
        """The fill of room i's cell (its band colour, or the offline grey)."""
        r = self._rooms[i]
        if _offline(r):
            return OFFLINE_COLOR
        assert r.temp is not None
        c = colors.ROOM_BAND_COLORS[colors.room_band(r.temp, r.low_limit, r.critical_limit)]
        return colors.mix(c, colors.STALE, 0.6) if r.quality == Quality.STALE else c

    def is_offline(self, i: int) -> bool:
        return _offline(self._rooms[i])

    def counts(self) -> tuple[int, int, int]:
        """(below 16, below 18, offline) — for a header line."""
        bands = [
            colors.room_band(r.temp, r.low_limit, r.critical_limit)  # type: ignore[arg-type]
            for r in self._rooms
            if not _offline(r)
        ]
        b16, b18 = bands.count(0), bands.count(0) + bands.count(1)
        return b16, b18, sum(1 for r in self._rooms if _offline(r))

    def cell_rect(self, i: int) -> QRectF:
        row, col = divmod(i, self._cols)
        w, h = self._cell_w, self._cell_h
        return QRectF(col * w, row * h, w - GAP, h - GAP)

    def value_font_px(self) -> int:
        """Pixel size of the temperatures painted in the cells."""
        return self._font.pixelSize()

    def value_text_width(self) -> float:
        """Width the widest temperature text needs in the current value font."""
        return _value_width(QFontMetricsF(self._font))

    def legend_top(self) -> float:
        rows = math.ceil(len(self._rooms) / self._cols) if self._rooms else 0
        return rows * self._cell_h

    def index_at(self, pos: QPointF) -> int:
        col, row = int(pos.x() // self._cell_w), int(pos.y() // self._cell_h)
        if col >= self._cols or pos.y() < 0 or pos.x() < 0:
            return -1
        i = row * self._cols + col
        return i if 0 <= i < len(self._rooms) and self.cell_rect(i).contains(pos) else -1

    def tooltip_for(self, i: int) -> str:
        r = self._rooms[i]
        room = room_label(r.index)
        if _offline(r):
            return self.tr("{room}: sensor offline ({quality})").format(
                room=room, quality=quality_text(r.quality)
            )
        assert r.temp is not None
        # The station's limits, as its alarms use them (a None limit never yields its band).
        lo, crit = r.low_limit or 0.0, r.critical_limit or 0.0
        band = {
            0: self.tr("below {limit} °C — critical").format(limit=limit_text(crit)),
            1: self.tr("below {limit} °C — alarm").format(limit=limit_text(lo)),
            2: f"{limit_text(lo)}–{limit_text(max(lo, colors.ROOM_WARM))} °C",
            3: "20–24 °C",
            4: self.tr("above 24 °C — too warm"),
        }[colors.room_band(r.temp, r.low_limit, r.critical_limit)]
        stale = " " + self.tr("(stale)") if r.quality == Quality.STALE else ""
        return f"{room}: {number(r.temp, 1)} °C{stale}, {band}"

    # --- layout --------------------------------------------------------------------------------
    def _layout(self) -> None:
        n = max(1, len(self._rooms))
        w = max(1.0, float(self.width()))
        self._legend_lines = self._legend_rows(w)
        legend = self._legend_lines * LEGEND_H + 4
        h = max(1.0, float(self.height()) - legend)
        # The largest value font whose cells (number + padding) all fit; else the smallest.
        for px in VALUE_PX:
            font = _px_font(px)
            fm = QFontMetricsF(font)
            cw, ch = math.ceil(_value_width(fm) + PAD_X + GAP), math.ceil(fm.height() + PAD_Y + GAP)
            cols = max(1, min(n, int(w // cw)))
            rows = math.ceil(n / cols)
            if rows * ch <= h:
                break
        self._font = font
        # Spread the cells over the space they have, up to square MAX_CELL cells.
        self._cols = cols
        self._cell_w = float(min(MAX_CELL, max(cw, math.floor(w / cols))))
        self._cell_h = float(min(MAX_CELL, self._cell_w, max(ch, math.floor(h / rows))))
        # The layout gives the grid the rows it needs at the smallest font; a station with fewer
        # rooms later gives the owner's minimum back.
        need = math.ceil(rows * ch + legend)
        base = self.minimumHeight() if self._owner_min is None else self._owner_min
        if need > base:
            self._owner_min = base
            if need != self.minimumHeight():
                self.setMinimumHeight(need)
        elif self._owner_min is not None:
            self._owner_min = None
            self.setMinimumHeight(base)

    def _legend_rows(self, width: float) -> int:
        fm = QFontMetricsF(self._legend_font)
        x, lines = 0.0, 1
        for _, text in self._legend_items():
            step = 15 + fm.horizontalAdvance(text) + 12
            if x > 0 and x + step - 12 > width:
                x, lines = 0.0, lines + 1
            x += step
        return lines

    def _legend_items(self) -> list[tuple[QColor | None, str]]:
        return [
            *zip(colors.ROOM_BAND_COLORS, colors.ROOM_BAND_LABELS, strict=True),
            (None, self.tr("offline")),
        ]

    def resizeEvent(self, event: object) -> None:
        self._layout()

    def sizeHint(self) -> QSize:
        return QSize(360, 240)

    # --- events --------------------------------------------------------------------------------
    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self._layout()  # the legend is worded at paint time and may wrap differently
            self.update()
        super().changeEvent(e)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            assert isinstance(e, QHelpEvent)
            i = self.index_at(QPointF(e.pos()))
            if i >= 0:
                QToolTip.showText(e.globalPos(), self.tooltip_for(i), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(e)

    def mousePressEvent(self, e: QMouseEvent) -> None:
        i = self.index_at(e.position())
        self._gesture.press(e, self._rooms[i].index if i >= 0 else None)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        dragged = self._gesture.move(e)
        if dragged is not None:
            self.drag_started.emit(int(dragged))  # type: ignore[call-overload]
            return
        i = self.index_at(e.position())
        if i != self._hover:
            self._hover = i
            self.setCursor(
                Qt.CursorShape.PointingHandCursor if i >= 0 else Qt.CursorShape.ArrowCursor
            )
            self.update()

    def leaveEvent(self, e: QEvent) -> None:
        self._hover = -1
        self.update()

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if self._gesture.release():
            return
        if e.button() == Qt.MouseButton.LeftButton:
            i = self.index_at(e.position())
            if i >= 0:
                self.room_clicked.emit(self._rooms[i].index)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        value_h = QFontMetricsF(self._font).height()
        show_index = self._cell_h - GAP >= value_h + QFontMetricsF(self._small).height()
        for i, r in enumerate(self._rooms):
            rect = self.cell_rect(i)
            fill = self.cell_color(i)
            p.fillRect(rect, fill)
            offline = _offline(r)
            if offline:
                p.fillRect(rect, colors.hatch_brush(colors.TEXT_FAINT))
                p.setPen(QPen(colors.TEXT_DIM, 1.2))
                m = rect.width() * 0.28
                p.drawLine(rect.topLeft() + QPointF(m, m), rect.bottomRight() - QPointF(m, m))
                p.drawLine(
                    QPointF(rect.right() - m, rect.top() + m),
                    QPointF(rect.left() + m, rect.bottom() - m),
                )
            elif r.quality == Quality.STALE:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(colors.TEXT)
                p.drawEllipse(QPointF(rect.right() - 4, rect.top() + 4), 1.8, 1.8)
            band = -1
            if not offline and r.temp is not None:
                band = colors.room_band(r.temp, r.low_limit, r.critical_limit)
            dark_text = band in (1, 4)  # yellow and tan need dark text
            if not offline:
                p.setPen(QColor("#1d1f21") if dark_text else colors.TEXT)
                p.setFont(self._font)
                where = rect.adjusted(0, value_h * 0.35, 0, 0) if show_index else rect
                p.drawText(where, Qt.AlignmentFlag.AlignCenter, number(r.temp, 1))
            if show_index:
                p.setFont(self._small)
                p.setPen(QColor(29, 31, 33, 170) if dark_text else colors.TEXT_DIM)
                p.drawText(
                    rect.adjusted(3, 1, 0, 0),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                    str(r.index),
                )
            if i == self._hover:
                p.setPen(QPen(colors.SELECT, 1.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))

        # legend: the band colours with their ranges, then the offline marker
        y = self.legend_top() + 3  # right under the last row
        x = 0.0
        p.setFont(self._legend_font)
        fm = p.fontMetrics()
        for color, text in self._legend_items():
            step = 15 + fm.horizontalAdvance(text) + 12
            if x > 0 and x + step - 12 > self.width():
                x, y = 0.0, y + LEGEND_H
            sw = QRectF(x, y + 3, 11, 11)
            if color is None:
                p.fillRect(sw, OFFLINE_COLOR)
                p.fillRect(sw, colors.hatch_brush(colors.TEXT_FAINT))
            else:
                p.fillRect(sw, color)
            p.setPen(colors.TEXT_DIM)
            p.drawText(QPointF(x + 15, y + 12), text)
            x += step


def _px_font(px: int) -> QFont:
    font = ui_font()
    font.setPixelSize(px)
    return font


def _value_width(fm: QFontMetricsF) -> float:
    """The widest temperature a cell shows ("-88.8" in the locale's digits and separator)."""
    return max(fm.horizontalAdvance(number(v, 1)) for v in (-8.8, 88.8))
