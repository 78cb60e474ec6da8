"""The wall display: the dispatch hall's big screen, read from 5 m at 1920×1080.

Shows only what it is handed (the same view models as the console window: StationState,
KeyFigures, AlarmRow) and does nothing an operator could click: no buttons, no focus, no
menus. Every text is at least `MIN_PX` pixels high. It cycles between the whole city and each
district every `cycle_s` seconds: the map zooms on the district, the alarm list shows the
district's alarms; `advance()` is that step (the cycle timer calls it, tests call it directly).

The map is painted here rather than reusing the console's NetworkSchematic: the schematic is an
interactive view sized for a desk (8–11 pt labels, a legend for the mouse distance); the wall
needs big symbols and labels placed so that none overlaps, and nothing else.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.quality import Quality
from console.vocabulary.views import AlarmRow, DistrictRooms, KeyFigures, StationState
from station_config.schema import NetworkDef
from widgets import colors
from widgets.key_figures import cold_rooms_figure
from widgets.locale_format import clock, date_clock, integer, number
from widgets.locale_format import limit as limit_text
from widgets.schematic_symbols import SHAPE_OF, Shape, _shape_path
from widgets.theme import ui_font
from widgets.words import priority_label, priority_name, rule_text

MIN_PX = 24  # the smallest text on the wall (readable from 5 m at 1920×1080)
CYCLE_S = 20.0  # default seconds per view (the city, then each district)
ROW_H = 96  # one alarm: two lines of text
# A district view names its healthy stations too when it has at most this many: more names
# than that cover the map (the 757-station city's districts have 100-200 stations each).
MAX_NAMED = 40
MAX_LEADERS = 30  # with more stations in alarm, names go only where they fit beside the symbol
_ALARM_PRIOS = (Priority.CRITICAL, Priority.HIGH, Priority.MEDIUM, Priority.LOW)
_SHOWN_STATES = {AlarmState.UNACK: 0, AlarmState.ACK: 1, AlarmState.RTN_UNACK: 2}
_BACKDROP = QColor(
    colors.BACKGROUND.red(), colors.BACKGROUND.green(), colors.BACKGROUND.blue(), 215
)


def wall_font(px: int, bold: bool = False) -> QFont:
    """The UI font (CJK fallback, tabular digits) at a pixel size, never below MIN_PX."""
    f = ui_font()
    f.setPixelSize(max(MIN_PX, px))
    f.setBold(bold)
    return f


def urgency(row: AlarmRow) -> tuple[int, int, float, str]:
    """Sort key, most urgent first: priority, then unacknowledged before acknowledged before
    cleared-but-unacknowledged, then the newest."""
    return (row.priority.rank, _SHOWN_STATES.get(row.state, 3), -row.time, row.key)


def wall_rows(rows: Iterable[AlarmRow], district: str | None = None) -> list[AlarmRow]:
    """The alarms the wall lists: active or awaiting acknowledgement (shelved, suppressed and
    out-of-service ones are an operator's business, not the hall's), most urgent first."""
    out = [
        r for r in rows if r.state in _SHOWN_STATES and (district is None or r.district == district)
    ]
    return sorted(out, key=urgency)


def _elide(fm: QFontMetricsF, text: str, width: float) -> str:
    return fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))


def _since(t: float, now: float) -> str:
    return clock(t) if now - t < 20 * 3600 else date_clock(t)


def _quiet(w: QWidget, px: int = MIN_PX) -> None:
    """Nothing on the wall takes focus, the mouse or a context menu; its font is big."""
    w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    w.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    w.setFont(wall_font(px))


# --- key figures ----------------------------------------------------------------------------
class _WallTiles(QWidget):
    """Five big figures: outdoor, cold rooms, stations in alarm, unacknowledged, communication."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _quiet(self)
        self.figures = KeyFigures()
        self._cap = wall_font(26)
        self._val = wall_font(58, bold=True)
        self._det = wall_font(24)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(150)

    def tiles(self) -> list[tuple[str, str, str, QColor | None, bool]]:
        """(caption, value, detail, colour or None, blinks) per tile, in the current language."""
        k = self.figures
        pc = colors.PRIORITY_COLOR
        out: list[tuple[str, str, str, QColor | None, bool]] = []
        out.append(
            (
                self.tr("Outdoor"),
                number(k.outdoor, 1) + " °C" if k.outdoor is not None else "—",
                self.tr("city average"),
                None,
                False,
            )
        )
        value, detail, color = cold_rooms_figure(k)
        lim = k.room_low_limit
        caption = (
            self.tr("Rooms below {limit} °C").format(limit=limit_text(lim))
            if lim is not None
            else self.tr("Rooms below their limit")
        )
        out.append((caption, value, detail, color, False))
        if k.stations_in_alarm:
            worst = k.worst_priority
            out.append(
                (
                    self.tr("Stations in alarm"),
                    f"{integer(k.stations_in_alarm)} / {integer(k.stations_total)}",
                    self.tr("worst: {priority}").format(priority=priority_name(worst))
                    if worst
                    else "",
                    pc[worst] if worst else pc[Priority.HIGH],
                    False,
                )
            )
        else:
            out.append(
                (
                    self.tr("Stations in alarm"),
                    f"0 / {integer(k.stations_total)}",
                    self.tr("no active alarms"),
                    None,
                    False,
                )
            )
        if k.unacked_alarms:
            p = k.unacked_priority or Priority.HIGH
            out.append(
                (
                    self.tr("Unacknowledged"),
                    integer(k.unacked_alarms),
                    self.tr("highest: {priority}").format(priority=priority_name(p)),
                    pc[p],
                    True,
                )
            )
        else:
            out.append((self.tr("Unacknowledged"), "0", self.tr("all acknowledged"), None, False))
        pct = k.comm_good_pct
        if pct is None:
            out.append(
                (self.tr("Stations communicating"), "—", self.tr("no data yet"), None, False)
            )
        else:
            bad = k.stations_failed or k.stations_stale or pct < 100.0
            out.append(
                (
                    self.tr("Stations communicating"),
                    f"{number(pct, 1 if bad else 0)} %",
                    self.tr("{failed} failed, {stale} stale").format(
                        failed=integer(k.stations_failed), stale=integer(k.stations_stale)
                    )
                    if bad
                    else self.tr("all stations reporting"),
                    colors.COMM_FAIL if bad else None,
                    False,
                )
            )
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        tiles = self.tiles()
        gap = 10.0
        w = (self.width() - gap * (len(tiles) - 1)) / len(tiles)
        h = float(self.height())
        on = colors.blink_clock().on
        for i, (caption, value, detail, color, blinks) in enumerate(tiles):
            x = i * (w + gap)
            p.fillRect(QRectF(x, 0, w, h), colors.PANEL)
            lit = on or not blinks
            if color is not None:
                p.fillRect(
                    QRectF(x, 0, 10, h), color if lit else colors.mix(color, colors.PANEL, 0.75)
                )
            tx, tw = x + 24, w - 32
            p.setFont(self._cap)
            p.setPen(colors.TEXT_DIM)
            fm = QFontMetricsF(self._cap)
            p.drawText(
                QRectF(tx, 6, tw, 34), Qt.AlignmentFlag.AlignVCenter, _elide(fm, caption, tw)
            )
            p.setFont(self._val)
            vc = colors.TEXT if color is None else color
            p.setPen(vc if lit else colors.mix(vc, colors.PANEL, 0.6))
            fm = QFontMetricsF(self._val)
            p.drawText(QRectF(tx, 38, tw, 70), Qt.AlignmentFlag.AlignVCenter, _elide(fm, value, tw))
            if detail:
                p.setFont(self._det)
                p.setPen(colors.TEXT_DIM)
                fm = QFontMetricsF(self._det)
                p.drawText(
                    QRectF(tx, 108, tw, 34), Qt.AlignmentFlag.AlignVCenter, _elide(fm, detail, tw)
                )


# --- the map --------------------------------------------------------------------------------
class _Grid:
    """Rectangles bucketed in 64-px cells: "does this label hit anything placed?" looks at the
    few rectangles near it, not at every symbol and label of a cold-wave night."""

    CELL = 64.0

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[QRectF]] = {}

    def _keys(self, r: QRectF) -> list[tuple[int, int]]:
        c = self.CELL
        xs = range(math.floor(r.left() / c), math.floor(r.right() / c) + 1)
        ys = range(math.floor(r.top() / c), math.floor(r.bottom() / c) + 1)
        return [(x, y) for x in xs for y in ys]

    def add(self, r: QRectF) -> None:
        for k in self._keys(r):
            self._cells.setdefault(k, []).append(r)

    def hits(self, r: QRectF) -> bool:
        cells = self._cells
        return any(r.intersects(o) for k in self._keys(r) for o in cells.get(k, ()))


def _around(
    c: QPointF, r: float, w: float, h: float, gaps: tuple[float, ...] = (0.0,)
) -> Iterator[tuple[QRectF, bool]]:
    """Places for a w×h label around a symbol of radius r at c, nearest first: beside, above,
    below, the diagonals; per ring in `gaps` (beyond 0: True, the label needs a leader line).
    Made as they are tried: most labels take one of the first."""
    x, y = c.x(), c.y()
    for gap in gaps:
        d = r + gap
        e = d * 0.7
        far = gap > 0
        for px, py in (
            (x + d, y - h / 2),  # right
            (x - d - w, y - h / 2),  # left
            (x - w / 2, y - d - h),  # above
            (x - w / 2, y + d),  # below
            (x - r, y - d - h),  # above, running right
            (x + r - w, y - d - h),  # above, running left
            (x - r, y + d),  # below, running right
            (x + r - w, y + d),  # below, running left
            (x + e, y - e - h),
            (x + e, y + e),
            (x - e - w, y - e - h),
            (x - e - w, y + e),
        ):
            yield QRectF(px, py, w, h), far


class _WallMap(QWidget):
    """The city (or one district): district areas, trunks, plants, every station; alarmed
    stations big, shaped by priority, unacknowledged ones flashing; labels placed so that none
    overlaps another label, a symbol or the legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _quiet(self)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.net: NetworkDef | None = None
        self.states: dict[str, StationState] = {}
        self.shares: dict[str, DistrictRooms] = {}
        self.district: str | None = None  # the zoomed district, None = whole city
        self.label_font = wall_font(26, bold=True)
        self.district_font = wall_font(28, bold=True)
        self.legend_font = wall_font(24)
        self.name_font = wall_font(24)  # a healthy station's name, zoomed in
        # Results of the last layout, for painting and for the tests: (text, rect, kind)
        self.labels: list[tuple[str, QRectF, str]] = []
        self.unlabelled = 0  # alarmed stations on the map whose name found no free place
        self.leaders: dict[str, QPointF] = {}  # label kind -> the symbol it points to
        self._layout_key: tuple | None = None
        self._base: QPixmap | None = None  # the static part of the map, for this layout
        self._base_key: tuple | None = None
        self._pos: dict[str, QPointF] | None = None
        self._pos_key: tuple | None = None
        self._sprites: dict[tuple, QPixmap] = {}
        self._sizes: dict[tuple[str, int, bool], tuple[float, float]] = {}
        self._scale = 1.0
        self._origin = (0.0, 0.0, 0.0, 0.0)  # world centre x, y; widget centre x, y

    def sizeHint(self) -> QSize:
        return QSize(1100, 700)

    # world (km east, km north) -> widget pixels
    def to_px(self, x: float, y: float) -> QPointF:
        wx, wy, cx, cy = self._origin
        return QPointF(cx + (x - wx) * self._scale, cy - (y - wy) * self._scale)

    def _world(self) -> tuple[float, float, float, float]:
        """(xmin, xmax, ymin, ymax) in km of what is shown."""
        net = self.net
        assert net is not None
        pts: list[tuple[float, float]] = []
        if self.district is not None:
            d = next((d for d in net.districts if d.id == self.district), None)
            if d is not None:
                r = d.radius_km * 1.05
                pts += [(d.center[0] - r, d.center[1] - r), (d.center[0] + r, d.center[1] + r)]
            pts += [s.position for s in net.stations if s.district == self.district]
        else:
            for d in net.districts:
                pts += [
                    (d.center[0] - d.radius_km, d.center[1] - d.radius_km),
                    (d.center[0] + d.radius_km, d.center[1] + d.radius_km),
                ]
            # the plants are often far out: the map is the city, their trunks run off its edge
            pts += [s.position for s in net.stations]
        if not pts:
            return (-1.0, 1.0, -1.0, 1.0)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return (min(xs) - 0.3, max(xs) + 0.3, min(ys) - 0.3, max(ys) + 0.3)

    def _fit(self) -> None:
        x0, x1, y0, y1 = self._world()
        # room for the legend at the top and labels at the edges
        top, margin = 56.0, 60.0
        w = max(1.0, self.width() - 2 * margin)
        h = max(1.0, self.height() - top - margin)
        self._scale = min(w / max(x1 - x0, 0.1), h / max(y1 - y0, 0.1))
        self._origin = ((x0 + x1) / 2, (y0 + y1) / 2, self.width() / 2, top + h / 2 + 6)

    @property
    def zoomed(self) -> bool:
        return self.district is not None

    def _radius(self, s: StationState | None) -> float:
        alarmed = s is not None and s.alarm in _ALARM_PRIOS
        failed = s is not None and s.comm in (Quality.COMM_FAIL, Quality.WRONG_DEVICE)
        if alarmed:
            return 18.0 if self.zoomed else 13.0
        if failed:
            return 11.0 if self.zoomed else 8.0
        return 7.0 if self.zoomed else 4.0

    def _marked(self) -> list[StationState]:
        """Stations whose name the wall tries to show: in alarm or not communicating; the
        most urgent first (they get the free places first)."""
        shown = {s.id for s in self._visible_stations()}
        out = [
            s
            for s in self.states.values()
            if s.id in shown
            and (s.alarm in _ALARM_PRIOS or s.comm in (Quality.COMM_FAIL, Quality.WRONG_DEVICE))
        ]
        return sorted(
            out,
            key=lambda s: (s.alarm.rank if s.alarm is not None else 9, not s.unacked, s.id),
        )

    def _visible_stations(self) -> list:
        assert self.net is not None
        if self.district is None:
            return list(self.net.stations)
        return [s for s in self.net.stations if s.district == self.district]

    def _layout(self) -> None:
        """Place the names of the marked stations (most urgent first), then the district
        labels, then (zoomed on a district) the other stations' names: each in the first free
        place inside the map around its anchor, further out with a leader line when the near
        places are taken. A marked station's name that finds no place is counted."""
        marked = self._marked() if self.net is not None else []
        key = (
            self.width(),
            self.height(),
            self.district,
            tuple((s.id, s.alarm, s.comm) for s in marked),  # an acknowledgement moves nothing
            tuple(sorted((d, r.below, r.rooms) for d, r in self.shares.items())),
        )
        if key == self._layout_key:
            return
        self._layout_key = key
        self._fit()
        self.labels = []
        self.leaders = {}
        self.unlabelled = 0
        if self.net is None:
            return
        area = QRectF(8, 52, self.width() - 16, self.height() - 60)
        pos = {s.id: s.position for s in self.net.stations}
        symbols: dict[str, QRectF] = {}
        for s in marked:
            c, r = self.to_px(*pos[s.id]), self._radius(s) + 3
            symbols[s.id] = QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)
        blocked = _Grid()
        for r in (self.legend_rect(), *symbols.values()):
            blocked.add(r)

        def place(text: str, kind: str, cands: Iterable[tuple[QRectF, bool]], c: QPointF) -> bool:
            for rect, far in cands:
                if not area.contains(rect) or blocked.hits(rect):
                    continue
                blocked.add(rect)
                self.labels.append((text, rect, kind))
                if far:
                    self.leaders[kind] = c
                return True
            return False

        # Near places for the stations' names first (most urgent first), then the districts',
        # then the far places with leader lines — only while few are marked: on a cold-wave
        # night with hundreds in alarm, lines across the map would hide it; the list names them.
        sizes = {s.id: self._label_size(s.name, self.label_font, 16, 4) for s in marked}
        late: list[StationState] = []
        for s in marked:
            c = self.to_px(*pos[s.id])
            if not place(s.name, s.id, _around(c, self._radius(s) + 5, *sizes[s.id]), c):
                late.append(s)
        fm = QFontMetricsF(self.district_font)
        for d in self.net.districts:
            if self.district is not None and d.id != self.district:
                continue
            text = self.district_text(d.id, d.name)
            tw, th = fm.horizontalAdvance(text) + 20, fm.height() + 8
            c = self.to_px(*d.center)
            rr = d.radius_km * self._scale
            cands = [
                QRectF(c.x() - tw / 2, c.y() - rr - th - 4, tw, th),  # above the area
                QRectF(c.x() - tw / 2, c.y() + rr + 4, tw, th),  # below
                QRectF(c.x() - tw / 2, c.y() - rr + 4, tw, th),  # inside, at its top
                QRectF(c.x() - rr * 0.7 - tw, c.y() - rr * 0.7 - th, tw, th),  # upper left
                QRectF(c.x() + rr * 0.7, c.y() - rr * 0.7 - th, tw, th),  # upper right
                QRectF(c.x() - tw / 2, c.y() - th / 2, tw, th),  # centre
            ]
            place(text, "district", [(r, False) for r in cands], c)
        for s in late:
            c = self.to_px(*pos[s.id])
            far = _around(c, self._radius(s) + 5, *sizes[s.id], gaps=(40.0, 90.0))
            if len(marked) > MAX_LEADERS or not place(s.name, s.id, far, c):
                self.unlabelled += 1
        visible = self._visible_stations()
        if self.district is not None and len(visible) <= MAX_NAMED:  # zoomed in: every name
            done = {s.id for s in marked}
            for sdef in visible:
                if sdef.id in done:
                    continue
                c = self.to_px(*sdef.position)
                size = self._label_size(sdef.name, self.name_font, 12, 2)
                place(sdef.name, sdef.id, _around(c, self._radius(None) + 4, *size), c)

    def _label_size(
        self, text: str, font: QFont, pad_w: float, pad_h: float
    ) -> tuple[float, float]:
        """A label's box; text sizes are kept (shaping Chinese names is not free)."""
        key = (text, font.pixelSize(), font.bold())
        size = self._sizes.get(key)
        if size is None:
            fm = QFontMetricsF(font)
            size = self._sizes[key] = (fm.horizontalAdvance(text), fm.height())
        return size[0] + pad_w, size[1] + pad_h

    def district_text(self, district: str, name: str) -> str:
        share = self.shares.get(district)
        if share is None or not share.rooms:
            return name
        return f"{name}  {share_text(share)}"

    def legend_rect(self) -> QRectF:
        return QRectF(0, 0, self.width(), 48)

    def _legend(self) -> list[tuple[Shape, QColor, str]]:
        pc = colors.PRIORITY_COLOR
        out = [(SHAPE_OF[p], pc[p], priority_name(p)) for p in _ALARM_PRIOS]
        out.append((Shape.DOT, colors.COMM_FAIL, self.tr("no communication")))
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(self.rect(), colors.BACKGROUND)
        if self.net is None:
            return
        self._layout()
        # Everything but the abnormal stations and the labels changes only with the layout
        # or with which stations are abnormal: painted once into a pixmap, blitted per repaint
        # (the blink repaints twice a second).
        visible = self._visible_stations()
        shown = {s.id for s in visible}
        odd = [
            s
            for s in self.states.values()
            if s.id in shown and (s.alarm in _ALARM_PRIOS or s.comm != Quality.GOOD)
        ]
        dpr = self.devicePixelRatioF()
        no_state = frozenset(shown - self.states.keys())
        base_key = (self._layout_key, frozenset(s.id for s in odd), no_state, dpr)
        if self._base is None or self._base_key != base_key:
            self._base = QPixmap(round(self.width() * dpr), round(self.height() * dpr))
            self._base.setDevicePixelRatio(dpr)
            self._base.fill(colors.BACKGROUND)
            bp = QPainter(self._base)
            bp.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_base(bp, visible, {s.id for s in odd})
            bp.end()
            self._base_key = base_key
        p.drawPixmap(0, 0, self._base)
        # the abnormal stations on top, worst last
        odd.sort(key=lambda s: -(s.alarm.rank if s.alarm in _ALARM_PRIOS else 9))  # type: ignore[union-attr]
        on = colors.blink_clock().on
        pos = self._positions()
        for s in odd:
            c = pos[s.id]
            sprite = self._sprite(s, on, dpr)
            half = sprite.width() / dpr / 2
            p.drawPixmap(QPointF(c.x() - half, c.y() - half), sprite)
        # labels on a dark backdrop, outlined in the station's priority colour
        for text, rect, kind in self.labels:
            st = self.states.get(kind)
            anchor = self.leaders.get(kind)
            marked = st is not None and (
                st.alarm in _ALARM_PRIOS or st.comm in (Quality.COMM_FAIL, Quality.WRONG_DEVICE)
            )
            edge = colors.COMM_FAIL
            if st is not None and st.alarm in _ALARM_PRIOS:
                edge = colors.PRIORITY_COLOR[st.alarm]  # type: ignore[index]
            if anchor is not None:  # a leader line from the symbol to its far label
                p.setPen(QPen(edge, 2))
                end = QPointF(
                    min(max(anchor.x(), rect.left()), rect.right()),
                    min(max(anchor.y(), rect.top()), rect.bottom()),
                )
                p.drawLine(anchor, end)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(_BACKDROP)
            p.drawRoundedRect(rect, 4, 4)
            if kind == "district":
                p.setFont(self.district_font)
                p.setPen(colors.TEXT)
            elif marked:
                p.setPen(QPen(edge, 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(rect, 4, 4)
                p.setFont(self.label_font)
                p.setPen(colors.TEXT)
            else:  # a healthy station's name: calm
                p.setFont(self.name_font)
                p.setPen(colors.TEXT_DIM)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        if self.unlabelled:
            text = self.tr("{n} more stations in alarm: see the list").format(
                n=integer(self.unlabelled)
            )
            p.setFont(self.legend_font)
            fm = QFontMetricsF(self.legend_font)
            rect = QRectF(12, self.height() - fm.height() - 12, fm.horizontalAdvance(text) + 16,
                          fm.height() + 6)  # fmt: skip
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(_BACKDROP)
            p.drawRect(rect)
            p.setPen(colors.TEXT_DIM)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        # legend: shape and colour by priority (never colour alone)
        p.fillRect(self.legend_rect(), _BACKDROP)
        p.setFont(self.legend_font)
        fm = QFontMetricsF(self.legend_font)
        x = 12.0
        for shape, color, text in self._legend():
            p.save()
            p.translate(x + 12, 24)
            p.setPen(QPen(colors.BACKGROUND, 1.5))
            p.setBrush(colors.hatch_brush(color) if color == colors.COMM_FAIL else QBrush(color))
            p.drawPath(_shape_path(shape, 11))
            p.restore()
            p.setPen(colors.TEXT_DIM)
            p.drawText(QRectF(x + 30, 4, fm.horizontalAdvance(text) + 4, 40),
                       Qt.AlignmentFlag.AlignVCenter, text)  # fmt: skip
            x += 30 + fm.horizontalAdvance(text) + 28

    def _positions(self) -> dict[str, QPointF]:
        """Every station's place on the widget for the current layout (computed once)."""
        if self._pos_key != self._layout_key or self._pos is None:
            assert self.net is not None
            self._pos = {s.id: self.to_px(*s.position) for s in self.net.stations}
            self._pos_key = self._layout_key
        return self._pos

    def _paint_base(self, p: QPainter, visible: list, odd: set[str]) -> None:
        net = self.net
        assert net is not None
        # district areas: tinted by their share of cold rooms
        for d in net.districts:
            c, rr = self.to_px(*d.center), d.radius_km * self._scale
            share = self.shares.get(d.id)
            fill = colors.GRID
            if share is not None and share.below:
                fill = colors.mix(colors.GRID, colors.PRIORITY_COLOR[Priority.MEDIUM],
                                  min(0.45, 0.08 + share.share))  # fmt: skip
            focus = d.id == self.district
            p.setPen(QPen(colors.TEXT_DIM if focus else colors.LINE_DIM, 3 if focus else 1.5))
            p.setBrush(fill)
            p.drawEllipse(c, rr, rr)
        # trunks and plants
        p.setPen(QPen(colors.LINE, 4 if self.zoomed else 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for t in net.trunks:
            pts = [self.to_px(*pt) for pt in t.route]
            if len(pts) > 1:
                p.drawPolyline(QPolygonF(pts))
        p.setPen(QPen(colors.BACKGROUND, 2))
        p.setBrush(colors.LINE)
        for src in net.sources:
            c = self.to_px(*src.position)
            p.drawRect(QRectF(c.x() - 12, c.y() - 12, 24, 24))
        # healthy stations: small and calm; a station with no state yet only outlined
        pos = self._positions()
        r0 = self._radius(None)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colors.SYMBOL)
        for sdef in visible:
            if sdef.id not in odd and sdef.id in self.states:
                p.drawEllipse(pos[sdef.id], r0, r0)
        p.setPen(QPen(colors.NO_DATA, 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for sdef in visible:
            if sdef.id not in self.states:
                p.drawEllipse(pos[sdef.id], r0, r0)

    def _sprite(self, s: StationState, on: bool, dpr: float) -> QPixmap:
        """An abnormal station's symbol, painted once per look (a few dozen looks for 757)."""
        dim = bool(s.unacked and not on and s.alarm in _ALARM_PRIOS)
        key = (s.alarm, s.comm, dim, self.zoomed, dpr)
        pm = self._sprites.get(key)
        if pm is None:
            side = 2 * (round(self._radius(s)) + 8)
            pm = QPixmap(round(side * dpr), round(side * dpr))
            pm.setDevicePixelRatio(dpr)
            pm.fill(Qt.GlobalColor.transparent)
            sp = QPainter(pm)
            sp.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_symbol(sp, s, QPointF(side / 2, side / 2), not dim)
            sp.end()
            self._sprites[key] = pm
        return pm

    def _paint_symbol(self, p: QPainter, s: StationState, c: QPointF, on: bool) -> None:
        r = self._radius(s)
        p.save()
        p.translate(c)
        if s.alarm in _ALARM_PRIOS:
            color = colors.PRIORITY_COLOR[s.alarm]  # type: ignore[index]
            if s.unacked and not on:
                color = colors.mix(color, colors.BACKGROUND, 0.7)
            path = _shape_path(SHAPE_OF[s.alarm], r)
            # a halo makes the symbol stand out from the district's fill at any distance
            p.setPen(QPen(colors.BACKGROUND, 5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            p.setPen(QPen(colors.SELECT, 2))
            p.setBrush(color)
            p.drawPath(path)
            if s.comm in (Quality.COMM_FAIL, Quality.WRONG_DEVICE, Quality.STALE):
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(colors.hatch_brush(colors.BACKGROUND))
                p.drawPath(path)
        elif s.comm in (Quality.COMM_FAIL, Quality.WRONG_DEVICE):
            qc = colors.QUALITY_COLOR[s.comm]
            p.setPen(QPen(qc, 2.5))
            p.setBrush(colors.hatch_brush(qc))
            p.drawEllipse(QPointF(0, 0), r, r)
            p.drawLine(QPointF(-r, -r), QPointF(r, r))
            p.drawLine(QPointF(-r, r), QPointF(r, -r))
        else:  # stale, sensor fault, no data: grey, outlined
            p.setPen(QPen(colors.TEXT_DIM, 2))
            p.setBrush(colors.STALE if s.comm != Quality.NO_DATA else Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(0, 0), r + 1, r + 1)
        p.restore()


# --- district shares ------------------------------------------------------------------------
class _WallShares(QWidget):
    """Each district's share of rooms below the limit, beside the map (all of them, always:
    the map may not find room for every district's label)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _quiet(self)
        self.shares: tuple[DistrictRooms, ...] = ()
        self.focus: str | None = None
        self.limit: float | None = None
        self._cap = wall_font(24)
        self._name = wall_font(28, bold=True)
        self._pct = wall_font(34, bold=True)
        self.setFixedHeight(132)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def caption(self) -> str:
        if self.limit is None:
            return self.tr("Share of rooms below their limit, by district")
        return self.tr("Share of rooms below {limit} °C, by district").format(
            limit=limit_text(self.limit)
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(self.rect(), colors.PANEL)
        p.setFont(self._cap)
        p.setPen(colors.TEXT_DIM)
        p.drawText(QRectF(14, 2, self.width() - 28, 36), Qt.AlignmentFlag.AlignVCenter,
                   self.caption())  # fmt: skip
        ds = self.shares
        if not ds:
            p.drawText(QRectF(14, 40, self.width() - 28, 80), Qt.AlignmentFlag.AlignVCenter,
                       self.tr("no room temperatures yet"))  # fmt: skip
            return
        w = (self.width() - 8) / len(ds)
        fm_name, fm_pct = QFontMetricsF(self._name), QFontMetricsF(self._pct)
        for i, d in enumerate(ds):
            x = 4 + i * w
            box = QRectF(x + 4, 38, w - 8, 90)
            if d.district == self.focus:
                p.setPen(QPen(colors.TEXT, 3))
                p.setBrush(colors.PANEL_LIGHT)
                p.drawRect(box)
            pct = share_text(d)
            color = colors.TEXT if not d.below else colors.PRIORITY_COLOR[Priority.MEDIUM]
            p.setFont(self._name)
            p.setPen(colors.TEXT)
            inner = box.width() - 16
            p.drawText(QRectF(box.left() + 8, box.top(), inner, 42), Qt.AlignmentFlag.AlignVCenter,
                       _elide(fm_name, d.name, inner))  # fmt: skip
            p.setFont(self._pct)
            p.setPen(color)
            pw = fm_pct.horizontalAdvance(pct) + 8
            p.drawText(QRectF(box.left() + 8, box.top() + 40, pw, 44),
                       Qt.AlignmentFlag.AlignVCenter, pct)  # fmt: skip
            # the share as a bar beside it: 0 … 50 % of its width
            bar = QRectF(box.left() + 16 + pw, box.top() + 56, max(0.0, inner - pw - 8), 14)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colors.BACKGROUND)
            p.drawRect(bar)
            if d.below:
                p.setBrush(color)
                p.drawRect(QRectF(bar.left(), bar.top(), bar.width() * min(1.0, d.share * 2),
                                  bar.height()))  # fmt: skip


def share_text(d: DistrictRooms) -> str:
    """ "12 %"; one decimal under 10 % (0.4 % is not 0 %); "—" without rooms reporting."""
    if not d.rooms:
        return "—"
    pct = d.share * 100
    if 0 < pct < 0.05:
        return f"< {number(0.1, 1)} %"
    return f"{number(pct, 1 if 0 < pct < 10 else 0)} %"


# --- alarm list -----------------------------------------------------------------------------
class _WallAlarmList(QWidget):
    """Big rows, most urgent first: priority, station id and name, what, since when."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _quiet(self)
        self.rows: list[AlarmRow] = []
        self.title = ""
        self.now = time.time()
        self._head = wall_font(30, bold=True)
        self._prio = wall_font(24, bold=True)
        self._id = wall_font(30, bold=True)
        self._name = wall_font(30)
        self._what = wall_font(26)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setFixedWidth(760)

    def capacity(self) -> int:
        """How many rows fit (the last line says how many more there are)."""
        return max(0, int((self.height() - 56 - 44) // (ROW_H + 6)))

    def shown(self) -> list[AlarmRow]:
        n = self.capacity()
        return self.rows if len(self.rows) <= n + 1 and n else self.rows[:n]

    def what(self, row: AlarmRow) -> str:
        """The alarm in words: the rule, with the rooms of a station's room group counted."""
        text = rule_text(row.rule)
        text = text[:1].upper() + text[1:]
        if row.children:
            vals = [c.value for c in row.children if c.value is not None]
            text = self.tr("{what}: {n} rooms").format(what=text, n=integer(len(row.children)))
            if vals:
                text += " · " + self.tr("coldest {temp} °C").format(temp=number(min(vals), 1))
        elif row.value is not None and row.rule.startswith("room_"):
            text += f" · {number(row.value, 1)} °C"
        return text

    def state_word(self, row: AlarmRow) -> str:
        if row.state == AlarmState.ACK:
            return self.tr("acknowledged")
        if row.state == AlarmState.RTN_UNACK:
            return self.tr("cleared, not acknowledged")
        return ""

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(self.rect(), colors.PANEL)
        w = float(self.width())
        p.setFont(self._head)
        p.setPen(colors.TEXT)
        p.drawText(QRectF(16, 4, w - 32, 48), Qt.AlignmentFlag.AlignVCenter, self.title)
        if not self.rows:
            p.setFont(self._name)
            p.setPen(colors.TEXT_DIM)
            p.drawText(QRectF(16, 60, w - 32, ROW_H), Qt.AlignmentFlag.AlignVCenter,
                       self.tr("No active alarms"))  # fmt: skip
            return
        on = colors.blink_clock().on
        y = 56.0
        fm_id, fm_name = QFontMetricsF(self._id), QFontMetricsF(self._name)
        fm_what, fm_prio = QFontMetricsF(self._what), QFontMetricsF(self._prio)
        for row in self.shown():
            pc = colors.PRIORITY_COLOR[row.priority]
            unacked = row.state in (AlarmState.UNACK, AlarmState.RTN_UNACK)
            dim = unacked and not on
            rect = QRectF(8, y, w - 16, ROW_H)
            p.fillRect(rect, colors.BACKGROUND)
            p.fillRect(
                QRectF(8, y, 12, ROW_H), colors.mix(pc, colors.BACKGROUND, 0.7) if dim else pc
            )
            # priority word in a filled box (shape of the text, not colour alone)
            label = priority_label(row.priority)
            pw = max(112.0, fm_prio.horizontalAdvance(label) + 20)
            box = QRectF(30, y + 10, pw, 36)
            if row.state == AlarmState.UNACK:
                p.fillRect(box, colors.mix(pc, colors.BACKGROUND, 0.6) if dim else pc)
                p.setPen(colors.PRIORITY_TEXT[row.priority])
            else:
                p.setPen(QPen(pc, 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(box)
                p.setPen(pc)
            p.setFont(self._prio)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
            # line 1: the id (never elided: it is read out over the radio), then the name
            x = box.right() + 16
            p.setFont(self._id)
            p.setPen(colors.TEXT)
            iw = fm_id.horizontalAdvance(row.station) + 4
            p.drawText(QRectF(x, y + 4, iw, 48), Qt.AlignmentFlag.AlignVCenter, row.station)
            since = _since(row.time, self.now)
            p.setFont(self._what)
            sw = fm_what.horizontalAdvance(since) + 4
            p.setPen(colors.TEXT_DIM)
            p.drawText(QRectF(w - 24 - sw, y + 4, sw, 48), Qt.AlignmentFlag.AlignVCenter, since)
            nx = x + iw + 14
            p.setFont(self._name)
            p.setPen(colors.TEXT)
            p.drawText(QRectF(nx, y + 4, w - 40 - sw - nx, 48), Qt.AlignmentFlag.AlignVCenter,
                       _elide(fm_name, row.station_name, w - 40 - sw - nx))  # fmt: skip
            # line 2: what, and the state when it is not a new alarm
            what = self.what(row)
            state = self.state_word(row)
            if state:
                what = f"{what} · {state}"
            p.setFont(self._what)
            p.setPen(colors.TEXT if row.state == AlarmState.UNACK else colors.TEXT_DIM)
            p.drawText(QRectF(30, y + 50, w - 60, 42), Qt.AlignmentFlag.AlignVCenter,
                       _elide(fm_what, what, w - 60))  # fmt: skip
            y += ROW_H + 6
        more = len(self.rows) - len(self.shown())
        if more > 0:
            p.setFont(self._what)
            p.setPen(colors.TEXT_DIM)
            p.drawText(QRectF(16, y, w - 32, 40), Qt.AlignmentFlag.AlignVCenter,
                       self.tr("… and {n} more").format(n=integer(more)))  # fmt: skip


# --- header ---------------------------------------------------------------------------------
class _WallHeader(QWidget):
    """What is shown (the city or a district, never cut), the time note, the network's name
    (cut if it must be), the clock."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _quiet(self)
        self.view = ""
        self.network = ""
        self.note = ""
        self.time: float | None = None
        self._big = wall_font(36, bold=True)
        self._small = wall_font(26)
        self.setFixedHeight(60)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = float(self.width()), float(self.height())
        mid = Qt.AlignmentFlag.AlignVCenter
        tm = clock(self.time)[:5] if self.time is not None else "—"
        fb, fs = QFontMetricsF(self._big), QFontMetricsF(self._small)
        p.setFont(self._big)
        p.setPen(colors.TEXT)
        tw = fb.horizontalAdvance(tm) + 8
        p.drawText(QRectF(w - tw - 8, 0, tw, h), mid, tm)
        vw = min(w * 0.45, fb.horizontalAdvance(self.view) + 8)
        p.drawText(QRectF(8, 0, vw, h), mid, _elide(fb, self.view, vw))
        x, right = vw + 32, w - tw - 40
        p.setFont(self._small)
        if self.note:
            nw = min(right - x, fs.horizontalAdvance(self.note) + 8)
            p.setPen(colors.PRIORITY_COLOR[Priority.LOW])
            p.drawText(QRectF(right - nw, 0, nw, h), mid, _elide(fs, self.note, nw))
            right -= nw + 32
        if self.network and right - x > 60:
            p.setPen(colors.TEXT_DIM)
            p.drawText(QRectF(x, 0, right - x, h), mid, _elide(fs, self.network, right - x))


# --- the whole wall -------------------------------------------------------------------------
class WallDisplay(QWidget):
    """Header, link banner, key figures, the map with district shares, the alarm list.

    Fed with `set_network`, `set_states`, `set_figures`, `set_alarms`, `set_link_problem`,
    `set_time`, `set_time_note`; `advance()` steps the district cycle."""

    def __init__(self, parent: QWidget | None = None, cycle_s: float = CYCLE_S) -> None:
        super().__init__(parent)
        _quiet(self)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), colors.BACKGROUND)
        self.setPalette(pal)
        self.link_banner = QLabel("")
        _quiet(self.link_banner, 32)
        self.link_banner.setWordWrap(True)
        self.link_banner.setStyleSheet(
            "background: #b00020; color: white; font-weight: bold; padding: 10px; font-size: 32px;"
        )
        self.link_banner.setVisible(False)
        self.header = _WallHeader()
        self.tiles = _WallTiles()
        self.map = _WallMap()
        self.shares = _WallShares()
        self.alarm_list = _WallAlarmList()
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.map, 1)
        left.addWidget(self.shares)
        body = QHBoxLayout()
        body.setSpacing(10)
        body.addLayout(left, 1)
        body.addWidget(self.alarm_list)
        root = QVBoxLayout(self)
        root.setContentsMargins(12, 8, 12, 12)
        root.setSpacing(10)
        root.addWidget(self.link_banner)
        root.addWidget(self.header)
        root.addWidget(self.tiles)
        root.addLayout(body, 1)
        self._alarms: list[AlarmRow] = []
        self._district_names: dict[str, str] = {}
        self._views: list[str | None] = [None]
        self._view = 0
        self.cycle_timer = QTimer(self)
        self.cycle_timer.timeout.connect(self.advance)
        self.set_cycle(cycle_s)
        colors.blink_clock().toggled.connect(self._on_blink)
        self.retranslate()

    # --- feeding ------------------------------------------------------------------------
    def set_network(self, net: NetworkDef) -> None:
        self.map.net = net
        self.map._layout_key = None
        self.map._pos = None  # the positions cache too: a joining partition brings new stations
        with_stations = {s.district for s in net.stations}
        self._views = [None] + [d.id for d in net.districts if d.id in with_stations]
        self._district_names = {d.id: d.name for d in net.districts}
        self.show_view(0)

    def set_states(self, states: Mapping[str, StationState]) -> None:
        self.map.states = dict(states)
        self.map.update()

    def set_figures(self, k: KeyFigures) -> None:
        self.tiles.figures = k
        self.map.shares = {d.district: d for d in k.districts}
        self.shares.shares = k.districts
        self.shares.limit = k.room_low_limit
        for w in (self.tiles, self.map, self.shares):
            w.update()

    def set_alarms(self, rows: Sequence[AlarmRow]) -> None:
        self._alarms = list(rows)
        self._list_alarms()

    def set_time(self, t: float) -> None:
        self.header.time = t
        self.alarm_list.now = t
        self.header.update()

    def set_time_note(self, text: str) -> None:
        self.header.note = text
        self.header.update()

    def set_link_problem(self, text: str) -> None:
        """A thin console's lost server link, in words ('' = the link is fine)."""
        if text != self.link_banner.text():
            self.link_banner.setText(text)
        self.link_banner.setVisible(bool(text))

    # --- the cycle ----------------------------------------------------------------------
    def set_cycle(self, seconds: float) -> None:
        """Seconds per view; 0 stops the cycle on the current view."""
        self.cycle_timer.stop()
        if seconds > 0:
            self.cycle_timer.start(round(seconds * 1000))

    def views(self) -> list[str | None]:
        """The cycle: None (the whole city), then each district with stations."""
        return list(self._views)

    def current_district(self) -> str | None:
        return self._views[self._view]

    def advance(self) -> None:
        self.show_view((self._view + 1) % len(self._views))

    def show_view(self, i: int) -> None:
        self._view = i
        d = self.current_district()
        self.map.district = d
        self.map._layout_key = None
        self.shares.focus = d
        self.retranslate()

    def _list_alarms(self) -> None:
        d = self.current_district()
        rows = wall_rows(self._alarms, d)
        self.alarm_list.rows = rows
        if d is None:
            self.alarm_list.title = self.tr("Alarms, whole city: {n}").format(n=integer(len(rows)))
        else:
            self.alarm_list.title = self.tr("Alarms in {district}: {n}").format(
                district=self._district_names.get(d, d), n=integer(len(rows))
            )
        self.alarm_list.update()

    def retranslate(self) -> None:
        d = self.current_district()
        self.header.view = self.tr("Whole city") if d is None else self._district_names.get(d, d)
        self.header.network = self.map.net.name if self.map.net is not None else ""
        self._list_alarms()
        self.map._layout_key = None
        for w in (self.header, self.tiles, self.map, self.shares):
            w.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_blink(self, on: bool) -> None:
        if any(s.unacked for s in self.map.states.values()):
            self.map.update()
        if self.tiles.figures.unacked_alarms:
            self.tiles.update()
        if any(r.state != AlarmState.ACK for r in self.alarm_list.rows):
            self.alarm_list.update()
