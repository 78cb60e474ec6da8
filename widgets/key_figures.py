"""The overview's key-figure strip: the city at a glance.

Each figure is a tile: caption, value, a line of context. Normal figures are grey; an abnormal
one gets a coloured bar on its left edge and its value in the priority colour (so it reads in
peripheral vision), never a fully coloured tile (calm). Unacknowledged alarms blink with the
shared blink phase.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from console.vocabulary.alarms import Priority
from console.vocabulary.views import KeyFigures
from widgets import colors
from widgets.locale_format import integer, number
from widgets.locale_format import limit as limit_text
from widgets.theme import ui_font
from widgets.words import priority_name


def on_delay_text(until: float | None, now: float | None = None, scale: float = 1.0) -> str:
    """ "alarm after on-delay (≈ 3 min)": when the first pending room alarm is due (`until`, a
    wall epoch), in the minutes of the process the alarm timers run on: a simulation at
    `scale` × real time counts simulated minutes and says so."""
    if until is None:
        return QCoreApplication.translate("KeyFigures", "alarm after on-delay")
    left = (until - (time.time() if now is None else now)) * scale
    sim = (
        QCoreApplication.translate("KeyFigures", ", time ×{scale}").format(scale=number(scale, 0))
        if scale != 1.0
        else ""
    )
    if left <= 60:
        return QCoreApplication.translate(
            "KeyFigures", "alarm after on-delay (< 1 min{sim})"
        ).format(sim=sim)
    return QCoreApplication.translate(
        "KeyFigures", "alarm after on-delay (≈ {minutes} min{sim})"
    ).format(minutes=math.ceil(left / 60), sim=sim)


def rooms_caption(k: KeyFigures) -> str:
    """The cold-rooms tile's caption: the stations' common low limit, if they share one."""
    lim = k.room_low_limit
    if lim is None:
        return QCoreApplication.translate("KeyFigures", "Rooms below their limit")
    return QCoreApplication.translate("KeyFigures", "Rooms below {limit} °C").format(
        limit=limit_text(lim)
    )


def district_shares(k: KeyFigures) -> str:
    """ "西工区 12 % · 涧西区 3 %": each district's share of rooms below the limit, coldest
    first; districts with none below are left out."""
    ds = sorted((d for d in k.districts if d.below), key=lambda d: -d.share)
    return " · ".join(f"{d.name} {_percent(d.share)}" for d in ds)


def _percent(share: float) -> str:
    """A share of rooms: "<1%" for a few of thousands (a district with cold rooms never reads
    "0%" beside them), whole percent above."""
    pct = share * 100
    return f"<{number(1, 0)}%" if pct < 0.5 else f"{number(pct, 0)}%"


def cold_rooms_figure(k: KeyFigures, now: float | None = None) -> tuple[str, str, QColor | None]:
    """(value, detail, colour) of the rooms-below-the-limit tile.

    Rooms below 18 °C whose alarms still wait for the rule's on-delay are named as such, and
    while none is in alarm yet the tile stays grey (ISA-101: colour only for alarms) — so a
    dispatcher sees cold rooms coming without thinking an alarm went missing.
    """
    pc = colors.PRIORITY_COLOR
    n = k.rooms_below_18
    coldest = (
        QCoreApplication.translate("KeyFigures", "coldest {temp} °C").format(
            temp=number(k.coldest_room, 1)
        )
        if k.coldest_room is not None
        else ""
    )
    if not n:
        return "0", coldest, None
    if k.coldest_station and coldest:
        coldest += f", {k.coldest_station}"
    pending = min(k.rooms_pending, n)
    if pending and not k.rooms_in_alarm:
        wait = on_delay_text(k.pending_until, now, k.time_scale)
        return (
            integer(n),
            QCoreApplication.translate("KeyFigures", "no alarm yet") + " · " + wait,
            None,
        )
    cold_color = pc[Priority.CRITICAL] if k.rooms_below_16 else pc[Priority.MEDIUM]
    if pending:
        detail = QCoreApplication.translate(
            "KeyFigures", "{alarmed} in alarm · {pending} awaiting on-delay"
        ).format(alarmed=integer(k.rooms_in_alarm), pending=integer(pending))
        return integer(n), detail, cold_color
    shares = district_shares(k)
    top = shares.split(" · ")[0] if shares else ""
    return integer(n), " · ".join(x for x in (top, coldest) if x), cold_color


def flood_figure(k: KeyFigures) -> tuple[str, str, QColor | None]:
    """(value, detail, colour) of the alarm-rate tile (EEMUA 191: flood = 10 or more new alarms
    in 10 minutes). The rate is per hour of the time the alarm timers run on: with a simulation
    run faster than the wall clock, per simulated hour, and the tile says so."""
    sim = k.time_scale != 1.0
    if k.flood:
        detail = (
            QCoreApplication.translate("KeyFigures", "{n} new in 10 simulated min")
            if sim
            else QCoreApplication.translate("KeyFigures", "{n} new in 10 min")
        ).format(n=integer(k.flood_count))
        return (
            QCoreApplication.translate("KeyFigures", "FLOOD"),
            detail,
            colors.PRIORITY_COLOR[Priority.HIGH],
        )
    rate = integer(k.flood_count * 6)  # the 10-minute window, per hour
    detail = (
        QCoreApplication.translate("KeyFigures", "{rate} new / simulated h")
        if sim
        else QCoreApplication.translate("KeyFigures", "{rate} new / h")
    ).format(rate=rate)
    return QCoreApplication.translate("KeyFigures", "normal"), detail, None


class FigureTile(QWidget):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.value = "—"
        self.detail = ""
        self.color: QColor | None = None  # None = normal (grey)
        self.hatched = False  # comm health: our own view of the plant is degraded
        self.blinks = False
        self._cap_font = ui_font(8.5)
        self._val_font = ui_font(15)
        self._val_font.setBold(True)
        self._det_font = ui_font(8.5)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(110)

    def set(
        self,
        value: str,
        detail: str = "",
        color: QColor | None = None,
        *,
        hatched: bool = False,
        blinks: bool = False,
    ) -> None:
        self.value, self.detail, self.color, self.hatched, self.blinks = (
            value,
            detail,
            color,
            hatched,
            blinks,
        )
        self.setToolTip(f"{self.caption}: {value}" + (f" — {detail}" if detail else ""))
        self.update()

    @property
    def abnormal(self) -> bool:
        return self.color is not None

    def sizeHint(self) -> QSize:
        return QSize(150, 62)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = float(self.width()), float(self.height())
        p.fillRect(QRectF(0, 0, w, h), colors.PANEL)
        on = colors.blink_clock().on or not self.blinks
        if self.color is not None:
            bar = self.color if on else colors.mix(self.color, colors.PANEL, 0.75)
            p.fillRect(QRectF(0, 0, 5, h), bar)
            if self.hatched:
                p.fillRect(QRectF(0, 0, 5, h), colors.hatch_brush(colors.PANEL))
        x = 12.0
        p.setFont(self._cap_font)
        p.setPen(colors.TEXT_DIM)
        p.drawText(QRectF(x, 4, w - x - 4, 16), Qt.AlignmentFlag.AlignVCenter, self.caption)
        p.setFont(self._val_font)
        val_color = colors.TEXT if self.color is None else self.color
        if self.color is not None and not on:
            val_color = colors.mix(self.color, colors.PANEL, 0.6)
        p.setPen(val_color)
        p.drawText(QRectF(x, 19, w - x - 4, 24), Qt.AlignmentFlag.AlignVCenter, self.value)
        if self.detail:
            p.setFont(self._det_font)
            p.setPen(colors.TEXT_DIM)
            fm = p.fontMetrics()
            text = fm.elidedText(self.detail, Qt.TextElideMode.ElideRight, int(w - x - 4))
            p.drawText(QRectF(x, 43, w - x - 4, 16), Qt.AlignmentFlag.AlignVCenter, text)


class KeyFiguresStrip(QWidget):
    """Outdoor, rooms < 18 °C, stations in alarm, comm health, heat power, unacked, flood."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.outdoor = FigureTile("")
        self.rooms = FigureTile("")
        self.alarms = FigureTile("")
        self.comm = FigureTile("")
        self.power = FigureTile("")
        self.unacked = FigureTile("")
        self.flood = FigureTile("")
        self.tiles = [
            self.outdoor,
            self.rooms,
            self.alarms,
            self.comm,
            self.power,
            self.unacked,
            self.flood,
        ]
        for t, stretch in zip(self.tiles, (2, 4, 3, 3, 2, 2, 2), strict=True):
            lay.addWidget(t, stretch)
        self._figures = KeyFigures()
        colors.blink_clock().toggled.connect(self._on_blink)
        self.retranslate()

    def retranslate(self) -> None:
        """Captions and every figure's words in the current language."""
        for tile, caption in (
            (self.outdoor, self.tr("Outdoor")),
            (self.alarms, self.tr("Stations in alarm")),
            (self.comm, self.tr("Communication")),
            (self.power, self.tr("Heat power")),
            (self.unacked, self.tr("Unacknowledged")),
            (self.flood, self.tr("Alarm rate")),
        ):
            tile.caption = caption
        self.set_figures(self._figures)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def figures(self) -> KeyFigures:
        return self._figures

    def set_figures(self, k: KeyFigures) -> None:
        self._figures = k
        pc = colors.PRIORITY_COLOR

        self.outdoor.set(
            number(k.outdoor, 1) + " °C" if k.outdoor is not None else "—",
            self.tr("city average"),
        )

        value, detail, color = cold_rooms_figure(k)
        self.rooms.caption = rooms_caption(k)
        self.rooms.set(value, detail, color)
        shares = district_shares(k)
        if shares:  # the share of each district's rooms below the limit
            by = self.tr("by district: {shares}").format(shares=shares)
            self.rooms.setToolTip(f"{self.rooms.toolTip()}\n{by}")

        if k.stations_in_alarm:
            self.alarms.set(
                f"{integer(k.stations_in_alarm)} / {integer(k.stations_total)}",
                self.tr("worst: {priority}").format(priority=priority_name(k.worst_priority))
                if k.worst_priority
                else "",
                pc[k.worst_priority] if k.worst_priority else pc[Priority.HIGH],
            )
        else:
            self.alarms.set(f"0 / {integer(k.stations_total)}", self.tr("no active alarms"))

        detail = self.tr("{failed} failed, {stale} stale").format(
            failed=integer(k.stations_failed), stale=integer(k.stations_stale)
        )
        pct = k.comm_good_pct
        if pct is None:
            self.comm.set("—", self.tr("no data yet"), colors.NO_DATA)
        elif k.stations_failed or k.stations_stale or pct < 100.0:
            good = self.tr("{percent} % good").format(percent=number(pct, 1))
            self.comm.set(good, detail, colors.COMM_FAIL, hatched=True)
        else:
            good = self.tr("{percent} % good").format(percent=number(pct, 0))
            self.comm.set(good, self.tr("all stations reporting"))

        self.power.set(
            number(k.heat_power_mw, 1, group=True) + " MW" if k.heat_power_mw is not None else "—",
            self.tr("total, all stations"),
        )

        if k.unacked_alarms:
            p = k.unacked_priority or Priority.HIGH
            self.unacked.set(
                integer(k.unacked_alarms),
                self.tr("highest: {priority}").format(priority=priority_name(p)),
                pc[p],
                blinks=True,
            )
        else:
            self.unacked.set("0", self.tr("all acknowledged"))

        self.flood.set(*flood_figure(k))
        if k.time_scale != 1.0:  # the rate is of the simulation, not of the wall clock
            self.flood.setToolTip(
                self.flood.toolTip()
                + "\n"
                + self.tr(
                    "Time is accelerated ×{scale}: the alarm rate counts simulated time, "
                    "as the alarm timers do."
                ).format(scale=number(k.time_scale, 0))
            )

    def _on_blink(self, on: bool) -> None:
        if self.unacked.blinks:
            self.unacked.update()
