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

Names of stations in alarm (or not communicating) show at every zoom and never overlap: each
is placed beside its symbol where it crosses no other name or alarm symbol (right, left, above,
below, then the corners), else listed in a column at the right edge of the map with a leader
line to its symbol (the most severe first when the column is full; the rest are counted). At
the every-name zoom the healthy stations' names fill the space left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, Qt
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

from console.vocabulary.alarms import Priority
from console.vocabulary.quality import Quality
from console.vocabulary.views import StationState
from widgets import colors
from widgets.locale_format import integer
from widgets.schematic_symbols import (
    HALF,
    HIT_RADIUS,
    NO_DATA_KEY,
    R_HALO,
    R_NORMAL,
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

KM = 100.0  # scene units per km (y grows downwards in Qt, north is up on the map)
# Level of detail, in device pixels per km.
LOD_ALARM_LABELS = 40.0  # names of abnormal stations
LOD_ALL_LABELS = 130.0  # every name
LABEL_DX = 10.5  # a healthy station's name starts this far right of it, in device px
ALARM_DX = R_HALO + 3  # an alarm name's gap from its symbol's centre
CALLOUT_MARGIN = 10.0  # the callout column's distance from the map's right edge
MAX_NAMED = 150  # abnormal stations named on the map at most, the most severe first
Box = tuple[float, float, float, float]  # left, top, right, bottom in device px
_NAME_BACKDROP = QColor(colors.PANEL.red(), colors.PANEL.green(), colors.PANEL.blue(), 235)


class Shared:
    """State shared by the station layer, its symbols and the view (one object, not 800)."""

    def __init__(self) -> None:
        self.blink_on = True
        self.px_per_km = 20.0
        self.font = ui_font(8.5)
        self.metrics = QFontMetricsF(self.font)
        self.alarm_font = ui_font(10.5)
        self.alarm_font.setBold(True)
        self.alarm_metrics = QFontMetricsF(self.alarm_font)
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
        self._name_w: dict[int, float] = {}  # alarm font width of a station's name
        self._alarm_texts: dict[int, QStaticText] = {}
        self._looks = 0  # counts changes of the stations' looks (alarm names' cache key)
        self._names: tuple[object, AlarmNames] | None = None
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
        self._name_w.clear()
        self._alarm_texts.clear()
        self._looks += 1
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
        self._looks += 1

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
        # Alarm names are placed over the whole map, not the exposed part: a blink's partial
        # repaint then draws the same layout, clipped.
        view = QRectF(widget.rect()) if widget is not None else exposed
        names = self.place_alarm_names(t, view)
        if labels and sh.labels_for(False):
            # Names of abnormal stations claim their space first; a healthy station's name
            # that would cross one already placed is left out (its tooltip still names it):
            # two names printed over each other read as neither.
            taken = _LabelGrid()
            for box in names.boxes():
                taken.claim(box)
            spots = []
            for i, X, Y in zip(
                vis[:split].tolist(), xi[:split].tolist(), yi[:split].tolist(), strict=True
            ):
                box = self._free_name_box(taken, i, X, Y)
                if box is not None:
                    spots.append((i, box))
            self._draw_labels(painter, spots, colors.TEXT_DIM)
        self._draw_alarm_names(painter, names)
        for X, Y, k in zip(xs[split:], ys[split:], ks[split:], strict=True):
            draw(X, Y, sprites[k])
        sel = self.selected
        if sel is not None:
            c = t.map(sel._pos)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(colors.SELECT, 1.2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(c, R_HALO + 2.5, R_HALO + 2.5)
            # the ring crosses the "?" marker: the symbol goes on top again
            pm = sprites[int(self._kid[sel.index])]
            draw(round(c.x()) - HALF, round(c.y()) - HALF, pm)
        painter.restore()

    # --- names of stations in alarm ----------------------------------------------------------
    def place_alarm_names(self, t: QTransform, view: QRectF) -> AlarmNames:
        """Where the names of the abnormal stations inside `view` (device px) go: beside their
        symbols where free, else in the callout column at the right edge. Kept until the view
        or a station's look changes (a blink repaints with the same layout)."""
        key = (t.m11(), t.m22(), t.dx(), t.dy(), view.getRect(), self._looks)
        if self._names is not None and self._names[0] == key:
            return self._names[1]
        names = self._place_alarm_names(t, view)
        self._names = (key, names)
        return names

    def _place_alarm_names(self, t: QTransform, view: QRectF) -> AlarmNames:
        out = AlarmNames()
        if not self.symbols:
            return out
        x = self._xy[:, 0] * t.m11() + t.dx()
        y = self._xy[:, 1] * t.m22() + t.dy()
        rank = self._key_rank[self._kid]
        inside = (x >= view.left()) & (x <= view.right()) & (y >= view.top()) & (y <= view.bottom())
        ab = np.flatnonzero((rank >= 1) & inside)
        if ab.size == 0:
            return out
        # The most severe first: they get the places beside their symbols and the column.
        unacked = np.array([self.symbols[i].key[2] for i in ab.tolist()], dtype=bool)
        ab = ab[np.lexsort((ab, ~unacked, -rank[ab]))]
        named = ab[:MAX_NAMED].tolist()  # a map with more names than this is read from the list
        out.more = len(ab) - len(named)
        fm = self._shared.alarm_metrics
        h = math.ceil(fm.height()) + 4
        widths = {i: self._alarm_name_width(i) for i in named}
        col_w = max(widths.values())
        col_left = view.right() - CALLOUT_MARGIN - col_w
        out.anchors = {i: (float(x[i]), float(y[i])) for i in named}
        grid = _LabelGrid()
        for X, Y in out.anchors.values():  # no name covers an alarm symbol
            grid.claim((X - R_HALO, Y - R_HALO, X + R_HALO, Y + R_HALO))
        spots: dict[int, tuple[Box, bool]] = {}
        for i in named:
            X, Y = out.anchors[i]
            spot = self._free_spot(grid, X, Y, widths[i], h, view)
            if spot is not None:
                spots[i] = spot
        if len(spots) < len(named) or out.more:  # the column is needed: nothing beside it
            spots = {i: s for i, s in spots.items() if s[0][2] <= col_left - 4}
        out.placed = [(i, box) for i, (box, near) in spots.items() if not near]
        out.led = [(i, box) for i, (box, near) in spots.items() if near]
        callouts = [i for i in named if i not in spots]
        if callouts or out.more:
            self._stack_callouts(out, callouts, col_left, col_w, h, view)
        if out.more_box is not None:  # the count may be wider than the names
            w = fm.horizontalAdvance(_more_text(out.more)) + 6
            b = out.more_box
            out.more_box = (min(b[0], view.right() - CALLOUT_MARGIN - w), b[1], b[2], b[3])
        return out

    def _alarm_text(self, i: int) -> QStaticText:
        """A station's name in the alarm font, laid out once (drawText lays out every time)."""
        st = self._alarm_texts.get(i)
        if st is None:
            st = self._alarm_texts[i] = QStaticText(self.symbols[i].name)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(QTransform(), self._shared.alarm_font)
        return st

    def _alarm_name_width(self, i: int) -> float:
        w = self._name_w.get(i)
        if w is None:
            w = self._name_w[i] = self._shared.alarm_metrics.horizontalAdvance(self.symbols[i].name)
        return w + 10

    @staticmethod
    def _free_spot(
        grid: _LabelGrid, X: float, Y: float, w: float, h: float, view: QRectF
    ) -> tuple[Box, bool] | None:
        """The first free box for a name by (X, Y), and whether it needs a leader line: beside
        it (right, left, above, below, then the four corners), else one name's height further
        out (with a short leader). In a cluster the sides are often taken by the neighbours'
        names, and a name in the column at the map's edge, a leader line across the city away
        (the demo's 丹城苑 ended next to 偃师热电), is harder to tie to its symbol."""
        d, r, f = ALARM_DX, R_HALO + 2, h + 2
        beside = (
            (X + d, Y - h / 2, X + d + w, Y + h / 2),
            (X - d - w, Y - h / 2, X - d, Y + h / 2),
            (X - w / 2, Y - r - h, X + w / 2, Y - r),
            (X - w / 2, Y + r, X + w / 2, Y + r + h),
            (X + d, Y + r, X + d + w, Y + r + h),
            (X + d, Y - r - h, X + d + w, Y - r),
            (X - d - w, Y + r, X - d, Y + r + h),
            (X - d - w, Y - r - h, X - d, Y - r),
        )
        further = (
            (X + d, Y + r + f, X + d + w, Y + r + f + h),
            (X + d, Y - r - f - h, X + d + w, Y - r - f),
            (X - d - w, Y + r + f, X - d, Y + r + f + h),
            (X - d - w, Y - r - f - h, X - d, Y - r - f),
            (X - w / 2, Y - r - f - h, X + w / 2, Y - r - f),
            (X - w / 2, Y + r + f, X + w / 2, Y + r + f + h),
        )
        for near, boxes in ((False, beside), (True, further)):
            for box in boxes:
                if box[0] < view.left() or box[2] > view.right() or box[1] < view.top():
                    continue
                if box[3] > view.bottom():
                    continue
                if grid.claim_if_free(box):
                    return box, near
        return None

    @staticmethod
    def _stack_callouts(
        out: AlarmNames, callouts: list[int], left: float, w: float, h: float, view: QRectF
    ) -> None:
        """The column: each name as near its station's height as the names above allow."""
        step = h + 3
        top, bottom = view.top() + CALLOUT_MARGIN, view.bottom() - CALLOUT_MARGIN
        room = max(1, int((bottom - top + 3) // step))
        if len(callouts) + (out.more > 0) > room:  # the most severe stay; the rest are counted
            out.more += len(callouts) - (room - 1)
            callouts = callouts[: room - 1]
        callouts.sort(key=lambda i: out.anchors[i][1])
        ys = [out.anchors[i][1] - h / 2 for i in callouts]
        limit = bottom - (step if out.more else 0)
        for n in range(len(ys)):  # down: below the previous one
            ys[n] = max(ys[n], top if n == 0 else ys[n - 1] + step)
        for n in reversed(range(len(ys))):  # up: above the next one and the bottom
            ys[n] = min(ys[n], (limit + 3 if n == len(ys) - 1 else ys[n + 1]) - step)
        out.callouts = [(i, (left, Y, left + w, Y + h)) for i, Y in zip(callouts, ys, strict=True)]
        if out.more:
            out.more_box = (left, limit, left + w, limit + h)

    def _draw_alarm_names(self, painter: QPainter, names: AlarmNames) -> None:
        if not names.anchors:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for i, box in (*names.led, *names.callouts):  # leader lines under names and symbols
            X, Y = names.anchors[i]
            # To the box's nearest edge point (the column's: its left edge).
            end = QPointF(min(max(X, box[0]), box[2]), min(max(Y, box[1]), box[3]))
            d = math.hypot(end.x() - X, end.y() - Y) or 1.0
            start = QPointF(X + (end.x() - X) * R_HALO / d, Y + (end.y() - Y) * R_HALO / d)
            painter.setPen(QPen(colors.BACKGROUND, 3.0))
            painter.drawLine(start, end)
            painter.setPen(QPen(fill_color(self.symbols[i].key), 1.3))
            painter.drawLine(start, end)
        shown = [*names.placed, *names.led, *names.callouts]
        painter.setPen(Qt.PenStyle.NoPen)
        for i, box in shown:
            r = QRectF(box[0], box[1], box[2] - box[0], box[3] - box[1])
            painter.setBrush(_NAME_BACKDROP)
            painter.drawRect(r)
            painter.setBrush(fill_color(self.symbols[i].key))  # the symbol's colour, as a tab
            painter.drawRect(QRectF(r.left(), r.top(), 4, r.height()))
        painter.setFont(self._shared.alarm_font)
        painter.setPen(colors.TEXT)
        dy = self._shared.alarm_metrics.height() / 2
        for i, box in shown:
            painter.drawStaticText(
                QPointF(box[0] + 7, (box[1] + box[3]) / 2 - dy), self._alarm_text(i)
            )
        if names.more and names.more_box is not None:
            b = names.more_box
            painter.setPen(colors.TEXT)
            painter.drawText(
                QRectF(b[0], b[1], b[2] - b[0], b[3] - b[1]),
                Qt.AlignmentFlag.AlignVCenter,
                _more_text(names.more),
            )

    def _free_name_box(self, taken: _LabelGrid, i: int, x: int, y: int) -> Box | None:
        """A healthy station's name box beside its dot (right, left, above, below) that crosses
        no name already placed; None when there is none (the tooltip names the station)."""
        h = math.ceil(self._shared.metrics.height()) + 1
        w = self.symbols[i].label().size().width() + 4
        d, r = LABEL_DX - 2, R_NORMAL + 1
        for box in (
            (x + d, y - h / 2, x + d + w, y + h / 2),
            (x - d - w, y - h / 2, x - d, y + h / 2),
            (x - w / 2, y - r - h, x + w / 2, y - r),
            (x - w / 2, y + r, x + w / 2, y + r + h),
            (x - 2, y - h / 2 - 2 - h, x - 2 + w, y - h / 2 - 2),  # a line above or below,
            (x - 2, y + h / 2 + 2, x - 2 + w, y + h / 2 + 2 + h),  # clear of a neighbour's
        ):
            if taken.claim_if_free(box):
                return box
        return None

    def _draw_labels(self, painter: QPainter, spots: list[tuple[int, Box]], color: QColor) -> None:
        if not spots:
            return
        painter.setFont(self._shared.font)
        painter.setPen(color)
        symbols = self.symbols
        for i, box in spots:
            painter.drawStaticText(QPointF(box[0] + 2, box[1]), symbols[i].label())


@dataclass
class AlarmNames:
    """Where the names of abnormal stations are drawn, in device px (StationLayer.paint)."""

    placed: list[tuple[int, Box]] = field(default_factory=list)  # beside their symbols
    led: list[tuple[int, Box]] = field(default_factory=list)  # a little further, with a leader
    callouts: list[tuple[int, Box]] = field(default_factory=list)  # in the column
    anchors: dict[int, tuple[float, float]] = field(default_factory=dict)  # symbol centres
    more: int = 0  # abnormal stations the column had no room for
    more_box: Box | None = None

    def boxes(self) -> list[Box]:
        out = [b for _, b in (*self.placed, *self.led, *self.callouts)]
        out += [(X - R_HALO, Y - R_HALO, X + R_HALO, Y + R_HALO) for X, Y in self.anchors.values()]
        return out + ([self.more_box] if self.more_box else [])

    def shown(self) -> set[int]:
        return {i for i, _ in (*self.placed, *self.led, *self.callouts)}


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


def _more_text(n: int) -> str:
    return QCoreApplication.translate("StationLayer", "+{n} more in the alarm list").format(
        n=integer(n)
    )


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
        # Lines as tall as the font says and never clipped: Chinese glyphs (the CJK fallback)
        # stand taller than a Latin line, and a fixed 14-px box cut 偃师热电 to "偃师执由".
        line = QFontMetricsF(painter.font()).lineSpacing()
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextDontClip
        painter.setPen(colors.TEXT)
        painter.drawText(QRectF(-s.width / 2, 13, s.width, line), flags, s.name)
        painter.setPen(colors.TEXT_DIM)
        painter.drawText(QRectF(-s.width / 2, 13 + line, s.width, line), flags, s.sub)
