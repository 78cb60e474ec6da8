"""The overview (L1): the live network schematic of the whole city.

Geometry comes from a NetworkDef (km east / km north); live state from `update_states`. Built
for ~800 stations updated every scan, so one full update + repaint stays well inside a frame:

- static geometry (district areas, branches, trunk lines, heat sources) is painted in
  `drawBackground` under `CacheBackground`: rasterised once per zoom level, blitted otherwise
  (see `schematic_layers.StaticLayers`);
- all station symbols are painted by one item (`schematic_layers.StationLayer`) that stamps a
  prebuilt sprite per station in device pixels, so zooming never resizes symbols; the per-station
  objects (`StationSymbol`) are plain Python and hold the state for tooltips and tests;
- `update_states` compares each station's *visual* key (alarm, comm, unacked, local) and repaints
  only where a key changed; the rest just keep the new state for the tooltip;
- labels are level-of-detail: none at city scale, names of abnormal stations when zoomed in
  somewhat, every name when zoomed in far;
- one shared blink phase (`colors.blink_clock()`) repaints only the unacknowledged symbols.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QLineF,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QToolTip,
    QWidget,
)

from console.vocabulary.alarms import Priority
from console.vocabulary.quality import Quality
from console.vocabulary.views import StationState
from station_config.schema import NetworkDef
from widgets import colors
from widgets.locale_format import clock, integer, number
from widgets.locale_format import limit as limit_text
from widgets.schematic_layers import (
    KM,
    LOD_ALARM_LABELS,
    LOD_ALL_LABELS,
    Shared,
    StaticLayers,
    StationLayer,
    StationSymbol,
)
from widgets.schematic_symbols import (
    SHAPE_OF,
    Shape,
    VisualKey,
    is_abnormal,
    paint_symbol,
    visual_key,
)
from widgets.theme import ui_font
from widgets.words import priority_name, quality_text

__all__ = [
    "KM",
    "LOD_ALARM_LABELS",
    "LOD_ALL_LABELS",
    "SHAPE_OF",
    "NetworkSchematic",
    "Shape",
    "StationSymbol",
    "VisualKey",
    "visual_key",
]

MIN_PX_PER_KM = 4.0
MAX_PX_PER_KM = 2000.0
# Above this many changed symbols one full repaint is cheaper than many small update rects.
PARTIAL_UPDATE_MAX = 48


def to_scene(pos: tuple[float, float]) -> QPointF:
    return QPointF(pos[0] * KM, -pos[1] * KM)


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


_LEGEND_ROWS: tuple[tuple[VisualKey, str], ...] = (
    ((None, Quality.GOOD, False, False), QT_TRANSLATE_NOOP("NetworkSchematic", "normal")),
    (
        (Priority.CRITICAL, Quality.GOOD, False, False),
        QT_TRANSLATE_NOOP("NetworkSchematic", "critical"),
    ),
    ((Priority.HIGH, Quality.GOOD, False, False), QT_TRANSLATE_NOOP("NetworkSchematic", "high")),
    (
        (Priority.MEDIUM, Quality.GOOD, False, False),
        QT_TRANSLATE_NOOP("NetworkSchematic", "medium"),
    ),
    ((Priority.LOW, Quality.GOOD, False, False), QT_TRANSLATE_NOOP("NetworkSchematic", "low")),
    ((None, Quality.COMM_FAIL, False, False), QT_TRANSLATE_NOOP("NetworkSchematic", "comm failed")),
    (
        (None, Quality.WRONG_DEVICE, False, False),
        QT_TRANSLATE_NOOP("NetworkSchematic", "wrong device"),
    ),
    ((None, Quality.STALE, False, False), QT_TRANSLATE_NOOP("NetworkSchematic", "stale")),
    ((None, Quality.NO_DATA, False, False), QT_TRANSLATE_NOOP("NetworkSchematic", "no data")),
)


class _Overlay(QWidget):
    """Legend and scale bar drawn over the viewport (not in the scene: it must not scroll).

    It is repainted with every viewport repaint it overlaps, so the legend, which never
    changes, is painted once into a pixmap and blitted."""

    def __init__(self, view: NetworkSchematic, shared: Shared) -> None:
        super().__init__(view)
        self._view = view
        self._shared = shared
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._font = ui_font(8.5)
        self.legend_visible = True
        self._legend: QPixmap | None = None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._legend = None  # painted again in the new language
            self.update()
        super().changeEvent(event)

    def _legend_pixmap(self, dpr: float) -> QPixmap:
        if self._legend is not None and self._legend.devicePixelRatio() == dpr:
            return self._legend
        lw, lh = 112.0, 16.0 * len(_LEGEND_ROWS) + 10
        pm = QPixmap(round((lw + 3) * dpr), round((lh + 3) * dpr))
        pm.setDevicePixelRatio(dpr)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self._font)
        p.setPen(QPen(colors.GRID, 1))
        p.setBrush(QColor(43, 47, 51, 225))
        p.drawRoundedRect(QRectF(1, 1, lw, lh), 3, 3)  # at (10, 10) on the viewport
        for i, (key, source) in enumerate(_LEGEND_ROWS):
            text = QCoreApplication.translate("NetworkSchematic", source)
            cy = 14 + i * 16
            p.save()
            p.translate(15, cy)
            p.scale(0.8, 0.8)
            paint_symbol(p, key, True, self._shared.marker_font)
            p.restore()
            p.setPen(colors.TEXT_DIM)
            p.drawText(QPointF(29, cy + 4), text)
        p.end()
        self._legend = pm
        return pm

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
            p.drawText(QPointF(x0 + w + 6, y0 + 4), f"{number(km, 1 if km < 1 else 0)} km")
        if self.legend_visible:
            # top-left: plants and trunks usually enter from the edges
            p.drawPixmap(9, 9, self._legend_pixmap(self.devicePixelRatioF()))


class NetworkSchematic(QGraphicsView):
    """Live schematic of the network: sources, trunk lines, districts and every substation."""

    station_clicked = Signal(str)
    station_activated = Signal(str)  # double-click: open the station view

    def __init__(self, network: NetworkDef | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        # Nothing moves and the scene holds a dozen items (labels and one station layer): a BSP
        # index would only cost upkeep.
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._scene.setBackgroundBrush(colors.BACKGROUND)
        self.setScene(self._scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # The station layer saves and restores the painter itself, once per paint.
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        # Static geometry is painted in drawBackground: Qt keeps it in a viewport-sized pixmap,
        # scrolls it on pan and repaints it only on zoom, resize or a new network.
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        # Smart: a few changed or blinking symbols repaint their own rects, a scan that changes
        # many repaints the viewport once.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)

        self._shared = Shared()
        self._static = StaticLayers()
        self._layer: StationLayer | None = None
        self._items: dict[str, StationSymbol] = {}
        self._blinking: set[StationSymbol] = set()
        self._district_names: dict[str, str] = {}
        self._content = QRectF()
        self._auto_fit = True  # refit on resize until the operator zooms or pans
        self._overlay = _Overlay(self, self._shared)

        colors.blink_clock().toggled.connect(self._on_blink)
        if network is not None:
            self.set_network(network)

    # --- building ------------------------------------------------------------------------------
    def set_network(self, net: NetworkDef) -> None:
        """(Re)build the scene from the network's geometry. States are reset to NO_DATA."""
        self._scene.clear()  # deletes the old station layer too
        self._layer = None
        self._static.clear()
        self._items.clear()
        self._blinking.clear()
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
            self._static.areas.append(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
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
            self._static.trunks.append(path)
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

        # All branches in one path: 800 thin lines, rasterised only when the background is.
        branches = QPainterPath()
        symbols: list[StationSymbol] = []
        for st in net.stations:
            pos = to_scene(st.position)
            route = routes.get(st.trunk)
            if route:
                branches.moveTo(pos)
                branches.lineTo(_nearest_on_polyline(pos, route))
            sym = StationSymbol(st.id, st.name, len(symbols), pos, self._shared)
            symbols.append(sym)
            self._items[st.id] = sym
            grow(pos, 0.3 * KM)
        self._static.branches = branches

        for s in net.sources:
            self._static.add_source(to_scene(s.position), s.name, s.capacity_mw)
            grow(to_scene(s.position), 1.5 * KM)

        self._content = bounds.adjusted(-KM, -KM, KM, KM) if not bounds.isNull() else QRectF()
        # Generous scene rect so the operator can pan past the edges.
        margin = max(self._content.width(), self._content.height(), KM)
        scene_rect = self._content.adjusted(-margin, -margin, margin, margin)
        self._scene.setSceneRect(scene_rect)
        self._layer = StationLayer(self._shared)
        self._layer.set_stations(symbols, scene_rect)
        self._scene.addItem(self._layer)
        self.resetCachedContent()  # the cached background shows the previous network
        self._auto_fit = True
        self.fit_to_window()

    # --- live state ----------------------------------------------------------------------------
    def update_states(self, states: Mapping[str, StationState]) -> int:
        """Apply a batch of station states; returns how many symbols changed (and repaint)."""
        layer = self._layer
        if layer is None:
            return 0
        changed: list[StationSymbol] = []
        names_move = False
        items = self._items
        blinking = self._blinking
        for sid, st in states.items():
            sym = items.get(sid)
            if sym is None:
                continue
            sym.state = st
            key = visual_key(st)
            if key == sym.key:
                continue
            # An alarm's name may sit in the callout column, away from its symbol: a station
            # entering, leaving or changing alarm repaints the map (names move).
            names_move = names_move or sym.abnormal or is_abnormal(key)
            layer.set_key(sym, key)
            changed.append(sym)
            if key[2]:
                blinking.add(sym)
            else:
                blinking.discard(sym)
        if names_move:
            layer.update()
        else:
            self._repaint_symbols(changed)
        return len(changed)

    def _repaint_symbols(self, symbols: list[StationSymbol] | set[StationSymbol]) -> None:
        layer = self._layer
        if layer is None or not symbols:
            return
        if len(symbols) > PARTIAL_UPDATE_MAX:
            layer.update()
            return
        for sym in symbols:
            layer.update_symbol(sym)

    def station_item(self, station_id: str) -> StationSymbol:
        return self._items[station_id]

    def station_ids(self) -> list[str]:
        return list(self._items)

    def select_station(self, station_id: str | None) -> None:
        """Mark the station whose view is open (a dashed ring)."""
        layer = self._layer
        if layer is None:
            return
        if layer.selected is not None:
            layer.update_symbol(layer.selected)
        layer.selected = self._items.get(station_id) if station_id else None
        if layer.selected is not None:
            layer.update_symbol(layer.selected)

    def selected_station(self) -> str | None:
        sel = self._layer.selected if self._layer is not None else None
        return sel.station_id if sel is not None else None

    def center_on_station(self, station_id: str, px_per_km: float | None = None) -> None:
        sym = self._items[station_id]
        if px_per_km is not None:
            self._set_px_per_km(px_per_km)
        self._auto_fit = False
        self.centerOn(sym.pos())

    def set_legend_visible(self, visible: bool) -> None:
        self._overlay.legend_visible = visible
        self._overlay.update()

    def _on_blink(self, on: bool) -> None:
        self._shared.blink_on = on
        self._repaint_symbols(self._blinking)

    # --- tooltip -------------------------------------------------------------------------------
    def tooltip_for(self, station_id: str) -> str:
        """Rich text with the station's key values (what hovering shows)."""
        item = self._items[station_id]
        s = item.state
        district = self._district_names.get(s.district, s.district) if s else ""
        rows: list[tuple[str, str]] = []
        if s is None:
            return f"<b>{item.name}</b><br>{station_id} · " + self.tr("no data yet")

        def num(v: float | None, decimals: int = 1, unit: str = " °C") -> str:
            return "—" if v is None or v != v else number(v, decimals, group=True) + unit

        comm = quality_text(s.comm)
        if s.error and s.comm != Quality.GOOD:
            comm += f" ({s.error})"
        rows.append((self.tr("Comm"), comm))
        if s.alarm is not None:
            unacked = " — " + self.tr("unacknowledged") if s.unacked else ""
            rows.append((self.tr("Alarm"), priority_name(s.alarm) + unacked))
        rows.append(
            (
                self.tr("Control"),
                self.tr("LOCAL (on site)") if s.local_control else self.tr("remote (SCADA)"),
            )
        )
        if s.rooms_total:
            rows.append(
                (self.tr("Rooms min / mean"), f"{num(s.room_min, unit='')} / {num(s.room_mean)}")
            )
            below = self.tr("{n} of {total}").format(
                n=integer(s.rooms_below_18), total=integer(s.rooms_total)
            )
            if s.rooms_below_16 and s.room_critical_limit is not None:
                # The station's limits, as its alarms use them.
                below += " " + self.tr("({n} below {limit} °C)").format(
                    n=integer(s.rooms_below_16), limit=limit_text(s.room_critical_limit)
                )
            lim = s.room_low_limit
            rows.append(
                (
                    self.tr("Rooms < {limit} °C").format(limit=limit_text(lim))
                    if lim is not None
                    else self.tr("Rooms cold"),
                    below,
                )
            )
        else:
            rows.append((self.tr("Rooms"), self.tr("no room sensors")))
        sp = (
            " " + self.tr("(set {value})").format(value=number(s.t3_setpoint, 1))
            if s.t3_setpoint is not None
            else ""
        )
        rows.append(("T1 / T3", f"{num(s.t1, unit='')} / {num(s.t3)}{sp}"))
        rows.append((self.tr("Heat power"), num(s.heat_power_kw, 0, " kW")))
        if s.last_update:
            rows.append((self.tr("Updated"), clock(s.last_update)))
        body = "".join(
            f"<tr><td style='color:#9aa1a8;padding-right:10px'>{k}</td><td>{v}</td></tr>"
            for k, v in rows
        )
        head = f"<b>{s.name}</b><br><span style='color:#9aa1a8'>{s.id} · {district}</span>"
        return f"{head}<table>{body}</table>"

    def station_at(self, pos: QPointF) -> StationSymbol | None:
        """The station symbol under a viewport position (the one drawn on top), if any."""
        if self._layer is None:
            return None
        return self._layer.symbol_at(self.viewportTransform(), pos.x(), pos.y())

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
        # A new scale repaints the whole viewport (and the cached background) anyway; the
        # station layer reads the level of detail from here.
        self._shared.px_per_km = self.px_per_km()
        self._overlay.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._overlay.setGeometry(self.viewport().geometry())
        if self._auto_fit:
            self.fit_to_window()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        # Runs only when the cached background is invalid (zoom, resize, new network) or for
        # the strip uncovered by a pan.
        painter.fillRect(rect, colors.BACKGROUND)
        self._static.paint(painter, rect)
