"""The overview (L1): the live network schematic of the whole city.

Geometry comes from a NetworkDef (km east / km north); live state from `update_states`. Built
for ~800 stations updated every scan:

- one light custom item per station (`StationItem`) that paints a symbol in device pixels
  (`ItemIgnoresTransformations`), so zooming never resizes symbols and no text items exist;
- `update_states` compares each station's *visual* key (alarm, comm, unacked, local) and repaints
  only items whose key changed; the rest just keep the new state for the tooltip;
- labels are level-of-detail: none at city scale, names of abnormal stations when zoomed in
  somewhat, every name when zoomed in far;
- one shared blink phase (`colors.blink_clock()`) repaints only the unacknowledged items.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping
from enum import IntEnum

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QToolTip,
    QWidget,
)

from console.core.events import Priority
from drivers.samples import Quality
from station_config.schema import NetworkDef
from widgets import colors
from widgets.theme import ui_font
from widgets.view_models import StationState

KM = 100.0  # scene units per km (y grows downwards in Qt, north is up on the map)

# Level of detail, in device pixels per km.
LOD_ALARM_LABELS = 40.0  # names of abnormal stations
LOD_ALL_LABELS = 130.0  # every name
MIN_PX_PER_KM = 4.0
MAX_PX_PER_KM = 2000.0


def to_scene(pos: tuple[float, float]) -> QPointF:
    return QPointF(pos[0] * KM, -pos[1] * KM)


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
R_ALARM = 7.5  # an alarm symbol is larger: salience by size and shape, not only colour
# Paths are built once: painting 800 symbols must not allocate per paint.
_PATHS: dict[tuple[Shape, bool], QPainterPath] = {
    (s, big): _shape_path(s, R_ALARM if big else R_NORMAL) for s in Shape for big in (False, True)
}


class _Shared:
    """State shared by all station items of one schematic (one object, not 800 copies)."""

    def __init__(self) -> None:
        self.blink_on = True
        self.px_per_km = 20.0
        self.font = ui_font(8.5)
        self.metrics = QFontMetricsF(self.font)
        self.marker_font = ui_font(7.5)
        self.marker_font.setBold(True)

    def labels_for(self, abnormal: bool) -> bool:
        if self.px_per_km >= LOD_ALL_LABELS:
            return True
        return abnormal and self.px_per_km >= LOD_ALARM_LABELS

    @property
    def label_space(self) -> bool:
        return self.px_per_km >= LOD_ALARM_LABELS


VisualKey = tuple[Priority | None, Quality, bool, bool]


def visual_key(s: StationState) -> VisualKey:
    """What the symbol shows; a repaint is needed only when this changes."""
    return (s.alarm, s.comm, bool(s.unacked and s.alarm is not None), s.local_control)


class StationItem(QGraphicsItem):
    """One substation: a symbol painted in device pixels, plus a name at high zoom."""

    def __init__(self, station_id: str, name: str, shared: _Shared) -> None:
        super().__init__()
        self.station_id = station_id
        self.name = name
        self.state: StationState | None = None
        self.key: VisualKey = (None, Quality.NO_DATA, False, False)
        self.selected_ring = False
        self._shared = shared
        self._label_w = shared.metrics.horizontalAdvance(name) + 4
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the view handles clicks
        self.setZValue(10)

    # --- what the symbol shows (also the test hooks) ------------------------------------------
    @property
    def priority(self) -> Priority | None:
        return self.key[0]

    @property
    def comm(self) -> Quality:
        return self.key[1]

    @property
    def blinking(self) -> bool:
        return self.key[2]

    @property
    def shape_kind(self) -> Shape:
        return SHAPE_OF[self.priority]

    @property
    def abnormal(self) -> bool:
        return self.priority not in (None, Priority.INFO) or self.comm != Quality.GOOD

    def fill_color(self) -> QColor:
        """The symbol's main colour in the steady ('on') phase."""
        p, q = self.priority, self.comm
        if p is not None:
            c = colors.PRIORITY_COLOR[p]
            return colors.mix(c, colors.STALE, 0.55) if q == Quality.STALE else c
        if q == Quality.COMM_FAIL:
            return colors.COMM_FAIL
        if q == Quality.STALE:
            return colors.STALE
        if q == Quality.NO_DATA:
            return colors.NO_DATA
        return colors.SYMBOL

    def brush(self) -> QBrush:
        """The fill as painted: solid, hatched (comm fail / sensor fault) or none (no data)."""
        q = self.comm
        if q == Quality.NO_DATA and self.priority is None:
            return QBrush(Qt.BrushStyle.NoBrush)
        if q == Quality.COMM_FAIL:
            return colors.hatch_brush(self.fill_color(), Qt.BrushStyle.BDiagPattern)
        color = self.fill_color()
        if self.blinking and not self._shared.blink_on:
            color = colors.mix(color, colors.BACKGROUND, 0.7)
        return QBrush(color)

    def set_state(self, state: StationState) -> bool:
        """Store the state; return True (and schedule a repaint) if the symbol changes."""
        self.state = state
        key = visual_key(state)
        if key == self.key:
            return False
        was_abnormal = self.abnormal
        self.key = key
        if self._shared.label_space and was_abnormal != self.abnormal:
            self.update()  # label visibility changes within the same bounding rect
        self.update()
        return True

    # --- QGraphicsItem -------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        r = R_ALARM + 3
        if self._shared.label_space:
            return QRectF(-r, -r, 2 * r + self._label_w + 2, 2 * r)
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:
        p = QPainterPath()
        p.addEllipse(QPointF(0, 0), R_ALARM + 1, R_ALARM + 1)  # generous hit area for the mouse
        return p

    def relayout(self) -> None:
        self.prepareGeometryChange()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        p, q = self.priority, self.comm
        # Abnormal symbols are larger; a failed station too (it may hide an alarm).
        big = (p is not None and p != Priority.INFO) or q == Quality.COMM_FAIL
        path = _PATHS[(self.shape_kind, big)]
        fill = self.fill_color()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

        if q == Quality.COMM_FAIL:
            # Hatched in the comm colour, outlined in the alarm colour if one is active: the
            # alarm stays visible, the hatch says "this is not live".
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.BACKGROUND)
            painter.drawPath(path)
            painter.setBrush(colors.hatch_brush(colors.COMM_FAIL))
            painter.drawPath(path)
            outline = colors.PRIORITY_COLOR[p] if p is not None else colors.COMM_FAIL
            painter.setPen(QPen(outline, 1.6))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            if not big:  # a cross makes a failed dot readable without colour
                painter.setPen(QPen(colors.COMM_FAIL, 1.4))
                painter.drawLine(QLineF(-4.5, -4.5, 4.5, 4.5))
                painter.drawLine(QLineF(-4.5, 4.5, 4.5, -4.5))
        elif q == Quality.NO_DATA and p is None:
            painter.setPen(QPen(colors.NO_DATA, 1.2, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.brush())
            if self.shape_kind == Shape.RING:
                painter.setPen(QPen(fill, 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
            elif big:
                painter.setPen(QPen(colors.BACKGROUND, 1.0))
            painter.drawPath(path)
            if q == Quality.SENSOR_FAULT:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colors.hatch_brush(colors.BACKGROUND, Qt.BrushStyle.FDiagPattern))
                painter.drawPath(path)

        if q == Quality.STALE:  # "?" marker beside the symbol
            painter.setFont(self._shared.marker_font)
            painter.setPen(colors.TEXT)
            painter.drawText(
                QRectF(R_ALARM - 3, -R_ALARM - 4, 10, 10), Qt.AlignmentFlag.AlignCenter, "?"
            )
        if self.key[3]:  # local control: a small bar under the symbol (field engineer on site)
            painter.setPen(QPen(colors.TEXT, 1.5))
            painter.drawLine(QLineF(-4, R_ALARM + 1.5, 4, R_ALARM + 1.5))
        if self.selected_ring:
            painter.setPen(QPen(colors.SELECT, 1.2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), R_ALARM + 2.5, R_ALARM + 2.5)

        if self._shared.labels_for(self.abnormal):
            painter.setFont(self._shared.font)
            painter.setPen(colors.TEXT if self.abnormal else colors.TEXT_DIM)
            painter.drawText(
                QRectF(R_ALARM + 3, -R_ALARM - 2, self._label_w, 2 * R_ALARM + 4),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                self.name,
            )


class SourceItem(QGraphicsItem):
    """A heat source: a plant symbol and its name, in device pixels."""

    def __init__(self, name: str, capacity_mw: float, font: QFont) -> None:
        super().__init__()
        self.name = name
        self._sub = f"{capacity_mw:.0f} MW"
        self._font = font
        self._w = max(QFontMetricsF(font).horizontalAdvance(name), 60) + 8
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(5)

    def boundingRect(self) -> QRectF:
        return QRectF(-self._w / 2, -14, self._w, 52)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(colors.LINE, 1.5))
        painter.setBrush(colors.PANEL)
        painter.drawRect(QRectF(-11, -11, 22, 22))
        painter.drawLine(QLineF(-11, 11, 11, -11))  # plant symbol: box with a diagonal
        painter.setFont(self._font)
        painter.setPen(colors.TEXT)
        painter.drawText(
            QRectF(-self._w / 2, 13, self._w, 14), Qt.AlignmentFlag.AlignHCenter, self.name
        )
        painter.setPen(colors.TEXT_DIM)
        painter.drawText(
            QRectF(-self._w / 2, 27, self._w, 12), Qt.AlignmentFlag.AlignHCenter, self._sub
        )


def _nearest_on_polyline(p: QPointF, pts: list[QPointF]) -> QPointF:
    best, best_d = pts[0], math.inf
    for a, b in itertools.pairwise(pts):
        ab = b - a
        denom = QPointF.dotProduct(ab, ab)
        t = 0.0 if denom == 0 else max(0.0, min(1.0, QPointF.dotProduct(p - a, ab) / denom))
        c = a + ab * t
        d = (c - p).manhattanLength()
        if d < best_d:
            best, best_d = c, d
    return best


class _Overlay(QWidget):
    """Legend and scale bar drawn over the viewport (not in the scene: it must not scroll)."""

    def __init__(self, view: NetworkSchematic) -> None:
        super().__init__(view)
        self._view = view
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._font = ui_font(8.5)
        self.legend_visible = True

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self._font)
        h = self.height()
        # scale bar: a round number of km about 100 px long
        px_km = self._view.px_per_km()
        if px_km > 0:
            km = next((k for k in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50) if k * px_km >= 70), 50)
            w = km * px_km
            x0, y0 = 14.0, h - 16.0
            p.setPen(QPen(colors.TEXT_DIM, 1.2))
            p.drawLine(QLineF(x0, y0, x0 + w, y0))
            p.drawLine(QLineF(x0, y0 - 4, x0, y0 + 1))
            p.drawLine(QLineF(x0 + w, y0 - 4, x0 + w, y0 + 1))
            p.drawText(QPointF(x0 + w + 6, y0 + 4), f"{km:g} km")
        if not self.legend_visible:
            return
        rows: list[tuple[StationState | None, str]] = [
            (_legend_state(None, Quality.GOOD), "normal"),
            (_legend_state(Priority.CRITICAL, Quality.GOOD), "critical"),
            (_legend_state(Priority.HIGH, Quality.GOOD), "high"),
            (_legend_state(Priority.MEDIUM, Quality.GOOD), "medium"),
            (_legend_state(Priority.LOW, Quality.GOOD), "low"),
            (_legend_state(None, Quality.COMM_FAIL), "comm failed"),
            (_legend_state(None, Quality.STALE), "stale"),
            (_legend_state(None, Quality.NO_DATA), "no data"),
        ]
        lw, lh = 112.0, 16.0 * len(rows) + 10
        x, y = 10.0, 10.0  # top-left: plants and trunks usually enter from the edges
        p.setPen(QPen(colors.GRID, 1))
        p.setBrush(QColor(43, 47, 51, 225))
        p.drawRoundedRect(QRectF(x, y, lw, lh), 3, 3)
        for i, (st, text) in enumerate(rows):
            item = self._view._legend_items[i]
            assert st is not None
            item.set_state(st)
            cy = y + 13 + i * 16
            p.save()
            p.translate(x + 14, cy)
            p.scale(0.8, 0.8)
            item.paint(p, QStyleOptionGraphicsItem())
            p.restore()
            p.setPen(colors.TEXT_DIM)
            p.drawText(QPointF(x + 28, cy + 4), text)


def _legend_state(p: Priority | None, q: Quality) -> StationState:
    return StationState(id="legend", name="", district="", comm=q, alarm=p)


class NetworkSchematic(QGraphicsView):
    """Live schematic of the network: sources, trunk lines, districts and every substation."""

    station_clicked = Signal(str)
    station_activated = Signal(str)  # double-click: open the station view

    def __init__(self, network: NetworkDef | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        # Items never move; NoIndex avoids maintaining a BSP tree for 800 transform-ignoring
        # items whose scene bounds change with every zoom step.
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._scene.setBackgroundBrush(colors.BACKGROUND)
        self.setScene(self._scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)

        self._shared = _Shared()
        self._items: dict[str, StationItem] = {}
        self._blinking: set[StationItem] = set()
        self._district_names: dict[str, str] = {}
        self._content = QRectF()
        self._auto_fit = True  # refit on resize until the operator zooms or pans
        self._selected: StationItem | None = None
        self._legend_items = [StationItem("legend", "", self._shared) for _ in range(8)]
        self._overlay = _Overlay(self)

        colors.blink_clock().toggled.connect(self._on_blink)
        if network is not None:
            self.set_network(network)

    # --- building ------------------------------------------------------------------------------
    def set_network(self, net: NetworkDef) -> None:
        """(Re)build the scene from the network's geometry. States are reset to NO_DATA."""
        self._scene.clear()
        self._items.clear()
        self._blinking.clear()
        self._selected = None
        self._district_names = {d.id: d.name for d in net.districts}
        bounds = QRectF()

        def grow(pt: QPointF, r: float = 0.0) -> None:
            nonlocal bounds
            rect = QRectF(pt.x() - r, pt.y() - r, 2 * r, 2 * r)
            bounds = rect if bounds.isNull() else bounds.united(rect)

        label_font = ui_font(11)
        label_font.setBold(True)
        for d in net.districts:
            c, r = to_scene(d.center), d.radius_km * KM
            area = QGraphicsEllipseItem(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
            area.setBrush(colors.mix(colors.BACKGROUND, colors.GRID, 0.6))
            pen = QPen(colors.GRID, 1.2, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            area.setPen(pen)
            area.setZValue(0)
            self._scene.addItem(area)
            label = QGraphicsSimpleTextItem(d.name)
            label.setFont(label_font)
            label.setBrush(colors.TEXT_FAINT)
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            label.setPos(c.x(), c.y() - r)
            label.setZValue(12)  # above the station symbols: the district must stay readable
            br = label.boundingRect()
            label.setTransform(label.transform().translate(-br.width() / 2, -br.height() - 1))
            self._scene.addItem(label)
            grow(c, r)

        routes: dict[str, list[QPointF]] = {}
        trunk_font = ui_font(9)
        for t in net.trunks:
            pts = [to_scene(p) for p in t.route]
            routes[t.id] = pts
            path = QPainterPath(pts[0])
            for pt in pts[1:]:
                path.lineTo(pt)
            pen = QPen(colors.LINE, 5.0)
            pen.setCosmetic(True)  # constant width on screen at any zoom
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            item = QGraphicsPathItem(path)
            item.setPen(pen)
            item.setZValue(3)
            self._scene.addItem(item)
            # name beside the middle of the route's longest leg (usually outside the city)
            a, b = max(itertools.pairwise(pts), key=lambda ab: QLineF(*ab).length())
            label = QGraphicsSimpleTextItem(t.name)
            label.setFont(trunk_font)
            label.setBrush(colors.TEXT_FAINT)
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            label.setPos((a + b) / 2)
            br = label.boundingRect()
            horizontal = abs(b.x() - a.x()) >= abs(b.y() - a.y())
            off = (-br.width() / 2, 7) if horizontal else (9, -br.height() / 2)
            label.setTransform(label.transform().translate(*off))
            label.setZValue(4)
            self._scene.addItem(label)
            for pt in pts:
                grow(pt)

        # All branches in one path item: 800 thin lines, one item to paint and hit-test.
        branches = QPainterPath()
        for st in net.stations:
            pos = to_scene(st.position)
            route = routes.get(st.trunk)
            if route:
                branches.moveTo(pos)
                branches.lineTo(_nearest_on_polyline(pos, route))
            item = StationItem(st.id, st.name, self._shared)
            item.setPos(pos)
            self._scene.addItem(item)
            self._items[st.id] = item
            grow(pos, 0.3 * KM)
        pen = QPen(colors.mix(colors.BACKGROUND, colors.LINE_DIM, 0.55), 1.0)
        pen.setCosmetic(True)
        branch_item = QGraphicsPathItem(branches)
        branch_item.setPen(pen)
        branch_item.setZValue(2)
        self._scene.addItem(branch_item)

        src_font = ui_font(9.5)
        for s in net.sources:
            item = SourceItem(s.name, s.capacity_mw, src_font)
            item.setPos(to_scene(s.position))
            self._scene.addItem(item)
            grow(to_scene(s.position), 1.5 * KM)

        self._content = bounds.adjusted(-KM, -KM, KM, KM) if not bounds.isNull() else QRectF()
        # Generous scene rect so the operator can pan past the edges.
        margin = max(self._content.width(), self._content.height(), KM)
        self._scene.setSceneRect(self._content.adjusted(-margin, -margin, margin, margin))
        self._auto_fit = True
        self.fit_to_window()

    # --- live state ----------------------------------------------------------------------------
    def update_states(self, states: Mapping[str, StationState]) -> int:
        """Apply a batch of station states; returns how many symbols changed (and repaint)."""
        changed = 0
        items = self._items
        for sid, st in states.items():
            item = items.get(sid)
            if item is None:
                continue
            if item.set_state(st):
                changed += 1
                if item.blinking:
                    self._blinking.add(item)
                else:
                    self._blinking.discard(item)
        return changed

    def station_item(self, station_id: str) -> StationItem:
        return self._items[station_id]

    def station_ids(self) -> list[str]:
        return list(self._items)

    def select_station(self, station_id: str | None) -> None:
        """Mark the station whose view is open (a dashed ring)."""
        if self._selected is not None:
            self._selected.selected_ring = False
            self._selected.update()
        self._selected = self._items.get(station_id) if station_id else None
        if self._selected is not None:
            self._selected.selected_ring = True
            self._selected.update()

    def center_on_station(self, station_id: str, px_per_km: float | None = None) -> None:
        item = self._items[station_id]
        if px_per_km is not None:
            self._set_px_per_km(px_per_km)
        self._auto_fit = False
        self.centerOn(item.pos())

    def set_legend_visible(self, visible: bool) -> None:
        self._overlay.legend_visible = visible
        self._overlay.update()

    def _on_blink(self, on: bool) -> None:
        self._shared.blink_on = on
        for item in self._blinking:
            item.update()

    # --- tooltip -------------------------------------------------------------------------------
    def tooltip_for(self, station_id: str) -> str:
        """Rich text with the station's key values (what hovering shows)."""
        item = self._items[station_id]
        s = item.state
        district = self._district_names.get(s.district, s.district) if s else ""
        rows: list[tuple[str, str]] = []
        if s is None:
            return f"<b>{item.name}</b><br>{station_id} · no data yet"

        def num(v: float | None, fmt: str = "{:.1f}", unit: str = " °C") -> str:
            return "—" if v is None or v != v else fmt.format(v) + unit

        comm = colors.QUALITY_TEXT[s.comm]
        if s.error and s.comm != Quality.GOOD:
            comm += f" ({s.error})"
        rows.append(("Comm", comm))
        if s.alarm is not None:
            rows.append(("Alarm", s.alarm.value + (" — unacknowledged" if s.unacked else "")))
        rows.append(("Control", "LOCAL (on site)" if s.local_control else "remote (SCADA)"))
        if s.rooms_total:
            rows.append(("Rooms min / mean", f"{num(s.room_min, unit='')} / {num(s.room_mean)}"))
            below = f"{s.rooms_below_18} of {s.rooms_total}"
            if s.rooms_below_16:
                below += f" ({s.rooms_below_16} below 16 °C)"
            rows.append(("Rooms < 18 °C", below))
        else:
            rows.append(("Rooms", "no room sensors"))
        sp = f" (set {s.t3_setpoint:.1f})" if s.t3_setpoint is not None else ""
        rows.append(("T1 / T3", f"{num(s.t1, unit='')} / {num(s.t3)}{sp}"))
        rows.append(("Heat power", num(s.heat_power_kw, "{:,.0f}", " kW")))
        if s.last_update:
            rows.append(("Updated", time.strftime("%H:%M:%S", time.localtime(s.last_update))))
        body = "".join(
            f"<tr><td style='color:#9aa1a8;padding-right:10px'>{k}</td><td>{v}</td></tr>"
            for k, v in rows
        )
        head = f"<b>{s.name}</b><br><span style='color:#9aa1a8'>{s.id} · {district}</span>"
        return f"{head}<table>{body}</table>"

    def station_at(self, pos: QPointF) -> StationItem | None:
        """The station symbol under a viewport position (topmost), if any."""
        for item in self.items(pos.toPoint()):
            if isinstance(item, StationItem) and item.station_id != "legend":
                return item
        return None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            item = self.station_at(QPointF(event.pos()))
            if item is not None:
                QToolTip.showText(
                    event.globalPos(), self.tooltip_for(item.station_id), self.viewport()
                )
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # --- mouse, wheel, keys --------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.station_at(event.position())
            if item is not None:
                self.select_station(item.station_id)
                self.station_clicked.emit(item.station_id)
                event.accept()
                return
            self._auto_fit = False  # the operator starts panning
        super().mousePressEvent(event)
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton:
            over = self.station_at(event.position()) is not None
            self.viewport().setCursor(
                Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor
            )

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.station_at(event.position())
            if item is not None:
                self.station_activated.emit(item.station_id)
                event.accept()
                return
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.2**steps, anchor=event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_F:
            self.fit_to_window()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        else:
            super().keyPressEvent(event)

    # --- zoom ----------------------------------------------------------------------------------
    def px_per_km(self) -> float:
        return self.transform().m11() * KM

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by `factor`, keeping the scene point under `anchor` (viewport px) in place."""
        target = min(MAX_PX_PER_KM, max(MIN_PX_PER_KM, self.px_per_km() * factor))
        f = target / self.px_per_km()
        if abs(f - 1.0) <= 1e-6:
            return
        self._auto_fit = False
        # Qt's AnchorUnderMouse follows the last mouse *move*, not the wheel event's position;
        # anchor explicitly so zooming works the same from wheel, touchpad and tests.
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        fixed = self.mapToScene(anchor.toPoint()) if anchor is not None else None
        centre = self.mapToScene(self.viewport().rect().center())
        self.scale(f, f)
        if fixed is not None:
            assert anchor is not None
            moved = self.mapFromScene(fixed)
            d = QPointF(moved) - anchor
            self.centerOn(self.mapToScene(self.viewport().rect().center() + d.toPoint()))
        else:
            self.centerOn(centre)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._zoom_changed()

    def _set_px_per_km(self, px: float) -> None:
        self.zoom_by(px / self.px_per_km())

    def fit_to_window(self) -> None:
        """Show the whole network (key F)."""
        if self._content.isNull():
            return
        self.fitInView(self._content, Qt.AspectRatioMode.KeepAspectRatio)
        self._auto_fit = True
        self._zoom_changed()

    def content_rect(self) -> QRectF:
        return QRectF(self._content)

    def _zoom_changed(self) -> None:
        before = self._shared.label_space
        self._shared.px_per_km = self.px_per_km()
        if before != self._shared.label_space:
            for item in self._items.values():
                item.relayout()  # bounding rects grow/shrink for labels
        self._overlay.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._overlay.setGeometry(self.viewport().geometry())
        if self._auto_fit:
            self.fit_to_window()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, colors.BACKGROUND)
