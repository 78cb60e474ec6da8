"""One colour meaning everywhere (ISA-101): calm greys for normal, colour only for abnormal.

Every widget takes its colours from here, so "orange" means HIGH priority on the schematic, in
the alarm list and on an indicator alike. Colour is never the only cue: alarm shapes, hatching
and text markers (see `QUALITY_MARKER`) carry the same meaning for colour-blind operators and
monochrome printouts.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor

from console.vocabulary.alarms import Priority
from console.vocabulary.quality import Quality
from console.vocabulary.views import DEFAULT_ROOM_CRITICAL, DEFAULT_ROOM_LOW

# --- the calm greys (dark-grey scheme: a dim control room at night, no glare) -----------------
BACKGROUND = QColor("#2b2f33")  # window / schematic background
PANEL = QColor("#353a3f")  # raised panels, tiles
PANEL_LIGHT = QColor("#41474d")  # hover, inputs
GRID = QColor("#3c4147")  # faint structure (district areas)
LINE = QColor("#80878e")  # pipes, trunk lines
LINE_DIM = QColor("#5c636a")  # branches, secondary structure
TEXT = QColor("#d5d9dd")  # normal text and values
TEXT_DIM = QColor("#9aa1a8")  # captions, units
TEXT_FAINT = QColor("#6f767d")  # disabled, grid labels
SYMBOL = QColor("#8d949b")  # a healthy station / running equipment
SYMBOL_DIM = QColor("#70777e")  # stopped equipment
BAND = QColor("#596067")  # normal band of an analog indicator
TRACK = QColor("#42484e")  # the full scale behind the band
SELECT = QColor("#e8ecef")  # selection ring

# --- colour only for abnormal --------------------------------------------------------------
PRIORITY_COLOR: dict[Priority, QColor] = {
    Priority.CRITICAL: QColor("#e5383b"),  # red
    Priority.HIGH: QColor("#f08a24"),  # orange
    Priority.MEDIUM: QColor("#e6c935"),  # yellow
    Priority.LOW: QColor("#4fb0d8"),  # cyan-blue
    Priority.INFO: QColor("#b3b8bd"),  # neutral: information is not an abnormal state
}
# Text drawn on a filled priority colour (yellow/orange need dark text).
PRIORITY_TEXT: dict[Priority, QColor] = {
    Priority.CRITICAL: QColor("#ffffff"),
    Priority.HIGH: QColor("#1d1f21"),
    Priority.MEDIUM: QColor("#1d1f21"),
    Priority.LOW: QColor("#1d1f21"),
    Priority.INFO: QColor("#1d1f21"),
}

COMM_FAIL = QColor("#a070a8")  # magenta / purple-grey, always drawn hatched
STALE = QColor("#8a9096")  # grey, always with a marker
SENSOR_FAULT = QColor("#9c8fa3")  # greyish, hatched
NO_DATA = QColor("#62686e")
WRONG_DEVICE = QColor("#d4558f")  # raspberry, hatched: live data, but another device's

QUALITY_COLOR: dict[Quality, QColor] = {
    Quality.GOOD: TEXT,
    Quality.STALE: STALE,
    Quality.SENSOR_FAULT: SENSOR_FAULT,
    Quality.COMM_FAIL: COMM_FAIL,
    Quality.NO_DATA: NO_DATA,
    Quality.WRONG_DEVICE: WRONG_DEVICE,
}
# The short text every widget shows beside a value that is not GOOD.
QUALITY_MARKER: dict[Quality, str] = {
    Quality.GOOD: "",
    Quality.STALE: "?",
    Quality.SENSOR_FAULT: QT_TRANSLATE_NOOP("Quality", "SENSOR"),
    Quality.COMM_FAIL: QT_TRANSLATE_NOOP("Quality", "COMM"),
    Quality.NO_DATA: "—",
    Quality.WRONG_DEVICE: QT_TRANSLATE_NOOP("Quality", "WRONG DEV"),
}
# English source texts; widgets.words translates them when shown (quality_text, quality_marker).
QUALITY_TEXT: dict[Quality, str] = {
    Quality.GOOD: QT_TRANSLATE_NOOP("Quality", "good"),
    Quality.STALE: QT_TRANSLATE_NOOP("Quality", "stale"),
    Quality.SENSOR_FAULT: QT_TRANSLATE_NOOP("Quality", "sensor fault"),
    Quality.COMM_FAIL: QT_TRANSLATE_NOOP("Quality", "communication failed"),
    Quality.NO_DATA: QT_TRANSLATE_NOOP("Quality", "no data"),
    Quality.WRONG_DEVICE: QT_TRANSLATE_NOOP(
        "Quality", "wrong device answering (identity mismatch)"
    ),
}

# --- room temperature bands (°C), shared by the room grid, tooltips and key figures --------
# Room limits are the alarm engine's, per station (StationState / RoomView carry them); these
# are only the rules' defaults for a view handed none.
ROOM_CRITICAL = DEFAULT_ROOM_CRITICAL  # legal floor
ROOM_LOW = DEFAULT_ROOM_LOW  # the alarm limit
ROOM_WARM = 20.0
ROOM_HIGH = 24.0

ROOM_BAND_COLORS: tuple[QColor, ...] = (
    PRIORITY_COLOR[Priority.CRITICAL],  # < critical limit
    PRIORITY_COLOR[Priority.MEDIUM],  # critical – low limit
    QColor("#4d545b"),  # low limit – 20: calm
    QColor("#656d74"),  # 20 – 24: calm, lighter
    QColor("#b89a7c"),  # > 24: muted tan, "too warm" without shouting
)
ROOM_BAND_LABELS = ("< 16", "16–18", "18–20", "20–24", "> 24")  # at the default limits


def _limits(low: float | None, critical: float | None) -> tuple[float, float]:
    """None (the rule is off) compares as "never below"."""
    return (-math.inf if low is None else low, -math.inf if critical is None else critical)


def room_band(
    temp: float, low: float | None = ROOM_LOW, critical: float | None = ROOM_CRITICAL
) -> int:
    """Index into ROOM_BAND_COLORS for a room temperature against its station's limits."""
    lo, crit = _limits(low, critical)
    if temp < crit:
        return 0
    if temp < lo:
        return 1
    if temp < max(ROOM_WARM, lo):
        return 2
    if temp <= ROOM_HIGH:
        return 3
    return 4


def room_priority(
    temp: float | None, low: float | None = ROOM_LOW, critical: float | None = ROOM_CRITICAL
) -> Priority | None:
    """The alarm colour a room value is shown in (None = normal), against its station's limits."""
    if temp is None or temp != temp:
        return None
    lo, crit = _limits(low, critical)
    if temp < crit:
        return Priority.CRITICAL
    if temp < lo:
        return Priority.MEDIUM
    return None


def priority_color(p: Priority | None, normal: QColor = SYMBOL) -> QColor:
    return PRIORITY_COLOR[p] if p is not None else normal


def quality_is_bad(q: Quality) -> bool:
    return q != Quality.GOOD


def hatch_brush(color: QColor, style: Qt.BrushStyle = Qt.BrushStyle.BDiagPattern) -> QBrush:
    """The pattern that marks data we cannot trust (comm fail, sensor fault, offline rooms)."""
    return QBrush(color, style)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """Linear blend a → b (t = 0 … 1); used for the blink's dim phase."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


class BlinkClock(QObject):
    """The one 1 Hz blink phase every unacknowledged-alarm display follows.

    One timer for the whole application keeps all blinking items in step (a wall of symbols
    blinking out of phase is unreadable) and costs one timer, not one per item.
    """

    toggled = Signal(bool)  # True = "on" phase (full colour)

    def __init__(self, parent: QObject | None = None, period_ms: int = 1000) -> None:
        super().__init__(parent)
        self._on = True
        self._timer = QTimer(self)
        self._timer.setInterval(period_ms // 2)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    @property
    def on(self) -> bool:
        return self._on

    def set_phase(self, on: bool) -> None:
        """Force a phase (tests, screenshots)."""
        if on != self._on:
            self._on = on
            self.toggled.emit(on)

    def stop(self) -> None:
        """Freeze the phase (screenshots, reduced-motion preference)."""
        self._timer.stop()

    def start(self) -> None:
        self._timer.start()

    def _tick(self) -> None:
        self.set_phase(not self._on)


_clock: BlinkClock | None = None


def blink_clock() -> BlinkClock:
    """The application-wide blink clock (created on first use; needs a QApplication)."""
    global _clock
    import shiboken6
    from PySide6.QtCore import QCoreApplication

    # Re-create if the application (its parent) was destroyed, e.g. between test sessions.
    if _clock is None or not shiboken6.isValid(_clock):
        _clock = BlinkClock(QCoreApplication.instance())
    return _clock
