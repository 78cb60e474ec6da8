"""The two layers of the overview schematic.

- `StaticLayers`: district areas, branch lines, trunk lines and heat sources. They never change
  while the network is shown, so the view paints them in `drawBackground` under
  `QGraphicsView.CacheBackground`: Qt keeps them in a viewport-sized pixmap, scrolls it when the
  operator pans and repaints it only on zoom, resize or a new network. A station update then
  blits that pixmap instead of re-rasterising ~800 antialiased branch lines.
- `StationLayer`: one scene item that paints every station symbol. Each symbol is a prebuilt
  sprite (`SymbolSprites`), positions are mapped to device pixels with numpy and culled to the
  exposed rect, and the loop over stations is one `drawPixmap` call each; 800 separate items
  each running a Python `paint()` cost ~8 ms per full repaint, mostly Python and per-item Qt
  bookkeeping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from console.core.events import Priority
from drivers.samples import Quality
from widgets import colors
from widgets.schematic_symbols import (
    HALF,
    HIT_RADIUS,
    NO_DATA_KEY,
    R_ALARM,
    SHAPE_OF,
    Shape,
    SymbolSprites,
    VisualKey,
    draw_rank,
    fill_color,
    is_abnormal,
    symbol_brush,
)
from widgets.theme import ui_font
from widgets.view_models import StationState

KM = 100.0  # scene units per km (y grows downwards in Qt, north is up on the map)
# Level of detail, in device pixels per km.
LOD_ALARM_LABELS = 40.0  # names of abnormal stations
LOD_ALL_LABELS = 130.0  # every name
LABEL_DX = R_ALARM + 3  # a name starts this far right of its station, in device px
_LABEL_BACKDROP = QColor(
    colors.BACKGROUND.red(), colors.BACKGROUND.green(), colors.BACKGROUND.blue(), 190
)


class Shared:
    """State shared by the station layer, its symbols and the view (one object, not 800)."""

    def __init__(self) -> None:
        self.blink_on = True
        self.px_per_km = 20.0
        self.font = ui_font(8.5)
        self.metrics = QFontMetricsF(self.font)
        self.marker_font = ui_font(7.5)
        self.marker_font.setBold(True)
        self.sprites = SymbolSprites(self.marker_font)

    def labels_for(self, abnormal: bool) -> bool:
        if self.px_per_km >= LOD_ALL_LABELS:
            return True
        return abnormal and self.px_per_km >= LOD_ALARM_LABELS

    @property
    def label_space(self) -> bool:
        return self.px_per_km >= LOD_ALARM_LABELS


class StationSymbol:
    """One substation on the schematic: its position, last state and what its symbol shows.

    Not a QGraphicsItem: `StationLayer` paints all symbols; this object is what the view and
    the tests ask about a station.
    """

    __slots__ = ("_label", "_pos", "_shared", "index", "key", "name", "state", "station_id")

    def __init__(self, station_id: str, name: str, index: int, pos: QPointF, shared: Shared):
        self.station_id = station_id
        self.name = name
        self.index = index
        self.state: StationState | None = None
        self.key: VisualKey = NO_DATA_KEY
        self._shared = shared
        self._pos = QPointF(pos)
        self._label: QStaticText | None = None

    def pos(self) -> QPointF:
        """Scene position (the symbol is centred here)."""
        return QPointF(self._pos)

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
    def local_control(self) -> bool:
        return self.key[3]

    @property
    def shape_kind(self) -> Shape:
        return SHAPE_OF[self.priority]

    @property
    def abnormal(self) -> bool:
        return is_abnormal(self.key)

    def fill_color(self) -> QColor:
        """The symbol's main colour in the steady ('on') phase."""
        return fill_color(self.key)

    def brush(self) -> QBrush:
        """The fill as painted now: solid, hatched (comm fail) or none (no data)."""
        return symbol_brush(self.key, self._shared.blink_on)

    def label(self) -> QStaticText:
        if self._label is None:
            self._label = QStaticText(self.name)
            self._label.setTextFormat(Qt.TextFormat.PlainText)
            self._label.prepare(QTransform(), self._shared.font)
        return self._label


class StationLayer(QGraphicsItem):
    """Every station symbol (and its name at high zoom) in one item, painted in device pixels."""

    def __init__(self, shared: Shared) -> None:
        super().__init__()
        self._shared = shared
        self.symbols: list[StationSymbol] = []
        self._xy = np.zeros((0, 2))
        self._kid = np.zeros(0, dtype=np.int32)  # per station: index into self._keys
        self._keys: list[VisualKey] = []  # the distinct visual keys seen so far
        self._key_ids: dict[VisualKey, int] = {}
        self._key_rank = np.zeros(0, dtype=np.int32)
        self._label_w = 0.0  # widest name, device px
        self._rect = QRectF()
        self.selected: StationSymbol | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # exposedRect
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the view handles clicks
        self.setZValue(10)

    def set_stations(self, symbols: list[StationSymbol], rect: QRectF) -> None:
        self.prepareGeometryChange()
        self.symbols = symbols
        self._rect = QRectF(rect)
        self._xy = np.array([(s._pos.x(), s._pos.y()) for s in symbols], dtype=float).reshape(-1, 2)
        self._kid = np.full(len(symbols), self._key_id(NO_DATA_KEY), dtype=np.int32)
        m = self._shared.metrics
        self._label_w = max((m.horizontalAdvance(s.name) for s in symbols), default=0.0) + 4
        self.selected = None
        self.update()

    def _key_id(self, key: VisualKey) -> int:
        kid = self._key_ids.get(key)
        if kid is None:
            kid = self._key_ids[key] = len(self._keys)
            self._keys.append(key)
            self._key_rank = np.append(self._key_rank, draw_rank(key)).astype(np.int32)
        return kid

    def set_key(self, sym: StationSymbol, key: VisualKey) -> None:
        sym.key = key
        self._kid[sym.index] = self._key_id(key)

    # --- repaint requests ----------------------------------------------------------------------
    def symbol_rect(self, sym: StationSymbol) -> QRectF:
        """Scene rect covering a station's symbol (and its name when names can show)."""
        k = scene_per_px(self._shared.px_per_km)
        right = HALF + (LABEL_DX + self._label_w if self._shared.label_space else 0.0)
        p = sym._pos
        return QRectF(p.x() - HALF * k, p.y() - HALF * k, (HALF + right) * k, 2 * HALF * k)

    def update_symbol(self, sym: StationSymbol) -> None:
        self.update(self.symbol_rect(sym))

    # --- hit test ------------------------------------------------------------------------------
    def symbol_at(self, t: QTransform, x: float, y: float) -> StationSymbol | None:
        """The symbol under device point (x, y) for scene->device transform `t`: within the hit
        radius, the one drawn on top (most severe) wins, then the nearest."""
        if not self.symbols:
            return None
        dx = self._xy[:, 0] * t.m11() + t.dx() - x
        dy = self._xy[:, 1] * t.m22() + t.dy() - y
        d2 = dx * dx + dy * dy
        hits = np.flatnonzero(d2 <= HIT_RADIUS * HIT_RADIUS)
        if hits.size == 0:
            return None
        rank = self._key_rank[self._kid[hits]]
        top = hits[rank == rank.max()]
        return self.symbols[int(top[np.argmin(d2[top])])]

    # --- QGraphicsItem -------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if not self.symbols:
            return
        sh = self._shared
        t = painter.worldTransform()
        if t.isRotating():  # the schematic only scales and pans; nothing else is supported
            return
        exposed = t.mapRect(option.exposedRect)
        labels = sh.label_space
        left_pad = HALF + (LABEL_DX + self._label_w if labels else 0.0)
        x = self._xy[:, 0] * t.m11() + t.dx()
        y = self._xy[:, 1] * t.m22() + t.dy()
        vis = np.flatnonzero(
            (x >= exposed.left() - left_pad)
            & (x <= exposed.right() + HALF)
            & (y >= exposed.top() - HALF)
            & (y <= exposed.bottom() + HALF)
        )
        kid = self._kid[vis]
        rank = self._key_rank[kid]
        order = np.argsort(rank, kind="stable")
        vis, kid, rank = vis[order], kid[order], rank[order]
        split = int(np.searchsorted(rank, 1))  # normal symbols first, then abnormal ones
        xi = np.rint(x[vis]).astype(np.int32)
        yi = np.rint(y[vis]).astype(np.int32)
        dpr = painter.device().devicePixelRatioF()
        sprites = [sh.sprites.get(k, sh.blink_on, dpr) for k in self._keys]

        painter.save()
        painter.setTransform(QTransform())  # symbols and names are in device pixels
        draw = painter.drawPixmap
        xs, ys, ks = (xi - HALF).tolist(), (yi - HALF).tolist(), kid.tolist()
        # Bottom to top: healthy symbols, their names, names of abnormal stations, abnormal
        # symbols (most severe last). No name ever covers an alarm symbol or its markers.
        for X, Y, k in zip(xs[:split], ys[:split], ks[:split], strict=True):
            draw(X, Y, sprites[k])
        if labels and sh.labels_for(False):
            # Names of abnormal stations claim their space first; a healthy station's name
            # that would cross one already placed is left out (its tooltip still names it):
            # two names printed over each other read as neither.
            taken = _LabelGrid()
            for n in range(split, len(vis)):
                taken.claim(self._label_rect(int(vis[n]), int(xi[n]), int(yi[n])))
            k = np.fromiter(
                (
                    n
                    for n in range(split)
                    if taken.claim_if_free(self._label_rect(int(vis[n]), int(xi[n]), int(yi[n])))
                ),
                dtype=np.intp,
            )
            h_vis, h_x, h_y = vis[k], xi[k], yi[k]
            self._draw_labels(painter, h_vis, h_x, h_y, colors.TEXT_DIM)
        if labels:
            self._draw_labels(
                painter, vis[split:], xi[split:], yi[split:], colors.TEXT, backdrop=True
            )
        for X, Y, k in zip(xs[split:], ys[split:], ks[split:], strict=True):
            draw(X, Y, sprites[k])
        sel = self.selected
        if sel is not None:
            c = t.map(sel._pos)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(colors.SELECT, 1.2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(c, R_ALARM + 2.5, R_ALARM + 2.5)
            # the ring crosses the "?" marker: the symbol goes on top again
            pm = sprites[int(self._kid[sel.index])]
            draw(round(c.x()) - HALF, round(c.y()) - HALF, pm)
        painter.restore()

    def _label_rect(self, i: int, x: int, y: int) -> tuple[float, float, float, float]:
        """A name's box in device px (left, top, right, bottom), as _draw_labels places it."""
        dy = math.ceil(self._shared.metrics.height() / 2) + 1
        w = self.symbols[i].label().size().width()
        return (x + LABEL_DX - 2, y - dy + 1, x + LABEL_DX + w + 2, y + dy)

    def _draw_labels(
        self,
        painter: QPainter,
        idx: np.ndarray,
        xi: np.ndarray,
        yi: np.ndarray,
        color: QColor,
        backdrop: bool = False,
    ) -> None:
        if idx.size == 0:
            return
        # Glyphs of drawStaticText at top = y - height/2 sit ~1 px below the symbol's centre;
        # one more pixel up centres a name on its symbol as drawText's AlignVCenter did.
        dy = math.ceil(self._shared.metrics.height() / 2) + 1
        symbols = self.symbols
        rows = list(zip(idx.tolist(), xi.tolist(), yi.tolist(), strict=True))
        if backdrop:
            # The name of an abnormal station often crosses a dense district's dots: a dim
            # backdrop keeps it readable; the dots still show through.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_LABEL_BACKDROP)
            for i, X, Y in rows:
                w = symbols[i].label().size().width()
                painter.drawRect(QRectF(X + LABEL_DX - 2, Y - dy + 1, w + 4, 2 * dy - 1))
        painter.setFont(self._shared.font)
        painter.setPen(color)
        for i, X, Y in rows:
            painter.drawStaticText(QPointF(X + LABEL_DX, Y - dy), symbols[i].label())


class _LabelGrid:
    """Boxes already taken by names, bucketed in 64-px cells so a test touches only neighbours."""

    CELL = 64

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _keys(self, r: tuple[float, float, float, float]) -> list[tuple[int, int]]:
        c = self.CELL
        return [
            (cx, cy)
            for cx in range(int(r[0] // c), int(r[2] // c) + 1)
            for cy in range(int(r[1] // c), int(r[3] // c) + 1)
        ]

    def claim(self, r: tuple[float, float, float, float]) -> None:
        for key in self._keys(r):
            self._cells.setdefault(key, []).append(r)

    def claim_if_free(self, r: tuple[float, float, float, float]) -> bool:
        for key in self._keys(r):
            for o in self._cells.get(key, ()):
                if r[0] < o[2] and o[0] < r[2] and r[1] < o[3] and o[1] < r[3]:
                    return False
        self.claim(r)
        return True


def scene_per_px(px_per_km: float) -> float:
    """Scene units per device pixel at a zoom level."""
    return KM / max(px_per_km, 1e-9)


@dataclass
class SourceGlyph:
    """A heat source: a plant symbol and its name, drawn in device pixels at a scene point."""

    pos: QPointF
    name: str
    sub: str
    width: float


class StaticLayers:
    """District areas, branches, trunk lines and heat sources, painted under the stations."""

    def __init__(self) -> None:
        self.areas: list[QRectF] = []
        self.trunks: list[QPainterPath] = []
        self.branches = QPainterPath()
        self.sources: list[SourceGlyph] = []
        self.source_font: QFont = ui_font(9.5)
        self._area_brush = QBrush(colors.mix(colors.BACKGROUND, colors.GRID, 0.6))
        self._area_pen = QPen(colors.GRID, 1.2, Qt.PenStyle.DashLine)
        self._area_pen.setCosmetic(True)
        self._trunk_pen = QPen(colors.LINE, 5.0)
        self._trunk_pen.setCosmetic(True)  # constant width on screen at any zoom
        self._trunk_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._trunk_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self._branch_pen = QPen(colors.mix(colors.BACKGROUND, colors.LINE_DIM, 0.55), 1.0)
        self._branch_pen.setCosmetic(True)

    def clear(self) -> None:
        self.areas.clear()
        self.trunks.clear()
        self.branches = QPainterPath()
        self.sources.clear()

    def add_source(self, pos: QPointF, name: str, capacity_mw: float) -> None:
        w = max(QFontMetricsF(self.source_font).horizontalAdvance(name), 60) + 8
        self.sources.append(SourceGlyph(QPointF(pos), name, f"{capacity_mw:.0f} MW", w))

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        """Paint in scene coordinates (the painter carries the view transform)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self._area_pen)
        painter.setBrush(self._area_brush)
        for r in self.areas:
            if r.intersects(rect):
                painter.drawEllipse(r)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._branch_pen)
        painter.drawPath(self.branches)
        painter.setPen(self._trunk_pen)
        for path in self.trunks:
            painter.drawPath(path)
        if not self.sources:
            return
        t = painter.worldTransform()
        painter.save()
        painter.setTransform(QTransform())  # source symbols keep their size at any zoom
        painter.setFont(self.source_font)
        for s in self.sources:
            c = t.map(s.pos)
            painter.translate(c)
            self._paint_source(painter, s)
            painter.translate(-c)
        painter.restore()

    @staticmethod
    def _paint_source(painter: QPainter, s: SourceGlyph) -> None:
        painter.setPen(QPen(colors.LINE, 1.5))
        painter.setBrush(colors.PANEL)
        painter.drawRect(QRectF(-11, -11, 22, 22))
        painter.drawLine(QLineF(-11, 11, 11, -11))  # plant symbol: box with a diagonal
        painter.setPen(colors.TEXT)
        painter.drawText(
            QRectF(-s.width / 2, 13, s.width, 14), Qt.AlignmentFlag.AlignHCenter, s.name
        )
        painter.setPen(colors.TEXT_DIM)
        painter.drawText(
            QRectF(-s.width / 2, 27, s.width, 12), Qt.AlignmentFlag.AlignHCenter, s.sub
        )
