"""Always-visible alarm banner: the newest highest-priority unacknowledged alarms, 1–3 lines.

It answers the one question a dispatcher glances up for: "is there something new I must look
at, and where?" A click on a line opens that station. With nothing unacknowledged it says so
calmly in grey, so an empty banner never looks like a broken one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.episodes import LineMemo, line_episodes, unacked_episodes
from console.vocabulary.views import AlarmRow
from widgets import colors
from widgets.alarm_model import (
    UNACKED_STATES,
    format_time,
    priority_color,
    priority_text_color,
    priority_tint,
)
from widgets.colors import BlinkClock
from widgets.locale_format import integer
from widgets.words import priority_label, priority_name


def pick_banner_rows(rows: Sequence[AlarmRow], n: int) -> list[AlarmRow]:
    """Newest highest-priority unacknowledged rows (a station group counts as one line).

    Active unacked before returned-to-normal unacked of the same priority: the condition that
    is still there matters more than one that has gone.
    """
    cands = [r for r in rows if r.state in UNACKED_STATES]
    cands.sort(key=lambda r: (r.priority.rank, r.state != AlarmState.UNACK, -r.time, r.key))
    return cands[:n]


def count_unacked(rows: Sequence[AlarmRow]) -> int:
    """Unacknowledged room episodes and alarms: "+n more" never disagrees with the key figure
    (the list keeps every room)."""
    return sum(unacked_episodes(r) for r in rows)


class _BannerLine(QFrame):
    """One alarm: priority marker, time, station, text. Clickable."""

    clicked = Signal(str)  # station id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row: AlarmRow | None = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.marker = QLabel()
        self.marker.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.marker.setFixedWidth(84)
        self.time = QLabel()
        self.station = QLabel()
        self.text = QLabel()
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 1, 4, 1)
        lay.setSpacing(10)
        lay.addWidget(self.marker)
        lay.addWidget(self.time)
        lay.addWidget(self.station)
        lay.addWidget(self.text, 1)
        for w in (self.time, self.station, self.text):
            w.setStyleSheet(f"color: {colors.TEXT.name()}; background: transparent;")
        f = self.station.font()
        f.setBold(True)
        self.station.setFont(f)

    def show_row(self, row: AlarmRow, blink_on: bool) -> None:
        self.row = row
        label = priority_label(row.priority)
        if row.state == AlarmState.RTN_UNACK:
            label = "○ " + priority_name(row.priority).capitalize()
        self.marker.setText(label)
        self.time.setText(format_time(row.time))
        self.station.setText(f"{row.station_name} {row.station}")
        text = row.message
        if row.is_group:
            # The message counts rooms; a room below both limits holds two alarms.
            text += "  " + self.tr("({n} alarms)").format(n=integer(len(row.children)))
        self.text.setText(text)
        self.setToolTip(f"{row.key}\n" + self.tr("Click to open the station"))
        self.set_blink(blink_on)

    def set_blink(self, on: bool) -> None:
        if self.row is None:
            return
        p = self.row.priority
        solid = on and self.row.state == AlarmState.UNACK
        bg = priority_color(p) if solid else priority_tint(p, 0.35)
        fg = priority_text_color(p) if solid else colors.TEXT
        self.marker.setStyleSheet(
            f"background-color: {bg.name()}; color: {fg.name()}; font-weight: 700;"
            f" border: 2px solid {priority_color(p).name()}; border-radius: 2px;"
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.row is not None:
            self.clicked.emit(self.row.station)
        super().mouseReleaseEvent(event)


class AlarmBanner(QFrame):
    """Compact strip of the newest highest-priority unacknowledged alarms."""

    station_requested = Signal(str)
    silence_requested = Signal()

    def __init__(
        self, parent: QWidget | None = None, lines: int = 3, blink: BlinkClock | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alarmBanner")
        self._n = max(1, min(3, lines))
        self._rows: list[AlarmRow] = []
        self._episodes = LineMemo(line_episodes)  # walks only the lines that changed
        self.shown: list[AlarmRow] = []
        self._clock = blink if blink is not None else colors.blink_clock()
        self._clock.toggled.connect(self._on_blink)
        self.setStyleSheet(
            f"QFrame#alarmBanner {{ background-color: {colors.PANEL.name()};"
            f" border-bottom: 1px solid {colors.GRID.name()}; }}"
        )

        self.calm = QLabel()
        self.calm.setStyleSheet(f"color: {colors.TEXT_DIM.name()}; background: transparent;")
        self.lines = [_BannerLine(self) for _ in range(self._n)]
        for line in self.lines:
            line.clicked.connect(self.station_requested)
            line.hide()

        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(2)
        left.addWidget(self.calm)
        for line in self.lines:
            left.addWidget(line)

        self.more = QLabel()
        self.more.setStyleSheet(f"color: {colors.TEXT_DIM.name()}; background: transparent;")
        self.more.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.sound_state = QLabel()
        self.sound_state.setStyleSheet(f"color: {colors.TEXT_DIM.name()}; background: transparent;")
        self.sound_state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.silence_button = QPushButton()
        self.silence_button.clicked.connect(self.silence_requested)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(2)
        right.addWidget(self.more)
        right.addWidget(self.sound_state)
        right.addWidget(self.silence_button)

        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.addLayout(left, 1)
        lay.addLayout(right)
        self._sound = (False, True)
        self._silence_why: str | None = None  # why the servers' silence is not sent (None: it is)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the current language (and the rows shown, re-worded)."""
        self.calm.setText(self.tr("No unacknowledged alarms"))
        self.silence_button.setText(self.tr("Silence (F10)"))
        self._silence_tip()
        self.set_rows(self._rows)
        self.set_sound_state(*self._sound)

    def set_allowed(self, why_not: Callable[[str], str | None]) -> None:
        """What this console's user may do. Silence stays enabled whatever the role (it stops
        this console's own horn); when the servers' silence is not sent, the hover says why."""
        self._silence_why = why_not("silence")
        self._silence_tip()

    def _silence_tip(self) -> None:
        tip = self.tr("Stop the alarm sound. Alarms stay unacknowledged.")
        if self._silence_why is not None:
            tip = self.tr("Stops this console's horn only — {reason}").format(
                reason=self._silence_why
            )
        self.silence_button.setToolTip(tip)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_rows(self, rows: Sequence[AlarmRow]) -> None:
        self._rows = list(rows)
        self.shown = pick_banner_rows(rows, self._n)
        for i, line in enumerate(self.lines):
            if i < len(self.shown):
                line.show_row(self.shown[i], self._clock.on)
                line.show()
            else:
                line.row = None
                line.hide()
        self.calm.setVisible(not self.shown)
        total = sum(u for _, u in self._episodes.lines(rows))
        shown = sum(self._episodes.line(r)[1] for r in self.shown)
        self.more.setText(
            self.tr("+{n} more unacknowledged").format(n=integer(total - shown))
            if total > shown
            else ""
        )

    def set_sound_state(self, sounding: bool, audio_available: bool) -> None:
        """Show whether the horn is on, and say so plainly when there is no audio device."""
        self._sound = (sounding, audio_available)
        if not audio_available:
            self.sound_state.setText(self.tr("No audio device: visual alarms only"))
        elif sounding:
            self.sound_state.setText(self.tr("♪ Horn sounding"))
        else:
            self.sound_state.setText("")
        self.silence_button.setEnabled(sounding)

    @property
    def highest_priority(self) -> Priority | None:
        return self.shown[0].priority if self.shown else None

    def _on_blink(self, on: bool) -> None:
        for line in self.lines:
            if line.isVisible():
                line.set_blink(on)
