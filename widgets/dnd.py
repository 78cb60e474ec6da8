"""Drag-and-drop of points between views: the MIME type and its payload, nothing else.

A point travels as `application/x-heatconsole-point` with the UTF-8 text "station/point"
(e.g. "jx-001/room_temp[3]"); the trend accepts it. Kept apart from the trend module so a drag
source need not import pyqtgraph.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

POINT_MIME = "application/x-heatconsole-point"


def point_mime(key: str) -> QMimeData:
    """MIME data for one point, `key` = "station/point"."""
    m = QMimeData()
    m.setData(POINT_MIME, key.encode("utf-8"))
    m.setText(key)  # dropping into a text field (a note, a search) gives the readable key
    return m


def point_from_mime(md: QMimeData) -> str | None:
    """The "station/point" key carried by `md`, or None when it carries none."""
    if not md.hasFormat(POINT_MIME):
        return None
    text = bytes(md.data(POINT_MIME).data()).decode("utf-8", "replace").strip()
    return text if "/" in text else None


class DragGesture:
    """Tells a drag from a click: press on an item, move past the platform's drag distance with
    the left button held = a drag of what was pressed (the following release is no click)."""

    def __init__(self) -> None:
        self._pos: QPointF | None = None
        self._item: object = None
        self._dragged = False

    def press(self, e: QMouseEvent, item: object) -> None:
        left = e.button() == Qt.MouseButton.LeftButton
        self._pos = e.position() if left and item is not None else None
        self._item = item if left else None
        self._dragged = False

    def move(self, e: QMouseEvent) -> object:
        """The pressed item once the move becomes a drag (once per press), else None."""
        if self._pos is None or not e.buttons() & Qt.MouseButton.LeftButton:
            return None
        if (e.position() - self._pos).manhattanLength() < QApplication.startDragDistance():
            return None
        item, self._pos, self._dragged = self._item, None, True
        return item

    def release(self) -> bool:
        """True when this release ends a drag (so it must not count as a click)."""
        dragged, self._pos, self._dragged = self._dragged, None, False
        return dragged
