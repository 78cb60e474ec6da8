"""Apply the calm grey theme: palette, style sheet and a font that renders Chinese names.

The only file access here is reading `resources/theme.qss`. A missing CJK font is not an error:
the console still runs (Chinese names then show as boxes), and `cjk_font_family()` tells the
caller so it can say so once in the log or status bar. Debian/Ubuntu: `fonts-noto-cjk`.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from console.vocabulary.alarms import Priority
from console.vocabulary.quality import Quality
from resources import RESOURCES_DIR
from widgets import colors

log = logging.getLogger(__name__)

QSS_PATH = RESOURCES_DIR / "theme.qss"

# Latin UI fonts first (their digits and °C look right), then CJK families in order of
# preference per platform; Qt falls back through the list per glyph.
UI_FAMILIES = ["Noto Sans", "DejaVu Sans", "Segoe UI", "Helvetica Neue", "Arial"]
CJK_FAMILIES = [
    "Noto Sans CJK SC",  # Debian: fonts-noto-cjk
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",  # Debian: fonts-wqy-microhei
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",  # Windows
    "PingFang SC",  # macOS
    "Droid Sans Fallback",
]
MONO_FAMILIES = ["Noto Sans Mono", "DejaVu Sans Mono", "Consolas", "Menlo", "monospace"]

SEVERITY_PROP = {
    Priority.CRITICAL: "critical",
    Priority.HIGH: "high",
    Priority.MEDIUM: "medium",
    Priority.LOW: "low",
    Priority.INFO: "info",
}
QUALITY_PROP = {
    Quality.GOOD: "",
    Quality.STALE: "stale",
    Quality.SENSOR_FAULT: "sensor",
    Quality.COMM_FAIL: "comm",
    Quality.NO_DATA: "nodata",
    Quality.WRONG_DEVICE: "wrongdev",
}


def _installed(candidates: list[str]) -> list[str]:
    have = set(QFontDatabase.families())
    return [f for f in candidates if f in have]


def cjk_font_family() -> str | None:
    """The CJK family the theme uses, or None when none is installed."""
    found = _installed(CJK_FAMILIES)
    return found[0] if found else None


def ui_font(point_size: float = 10.0) -> QFont:
    """The UI font with CJK fallback; use it for anything that may show a station name."""
    families = _installed(UI_FAMILIES) + _installed(CJK_FAMILIES)
    font = QFont()
    if families:
        font.setFamilies(families)
    font.setPointSizeF(point_size)
    # Tabular digits keep values from jittering sideways as they update.
    font.setFeature(QFont.Tag("tnum"), 1)
    return font


def mono_font(point_size: float = 10.0) -> QFont:
    font = QFont()
    font.setFamilies(_installed(MONO_FAMILIES) + _installed(CJK_FAMILIES) or ["monospace"])
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(point_size)
    return font


def palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: colors.BACKGROUND,
        QPalette.ColorRole.WindowText: colors.TEXT,
        QPalette.ColorRole.Base: QColor("#23272a"),
        QPalette.ColorRole.AlternateBase: QColor("#2f3337"),
        QPalette.ColorRole.Text: colors.TEXT,
        QPalette.ColorRole.Button: colors.PANEL_LIGHT,
        QPalette.ColorRole.ButtonText: colors.TEXT,
        QPalette.ColorRole.ToolTipBase: QColor("#1f2225"),
        QPalette.ColorRole.ToolTipText: QColor("#e3e6e9"),
        QPalette.ColorRole.Highlight: QColor("#5a6168"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.PlaceholderText: colors.TEXT_FAINT,
        QPalette.ColorRole.Mid: colors.LINE_DIM,
        QPalette.ColorRole.Dark: QColor("#1f2225"),
        QPalette.ColorRole.Light: colors.PANEL_LIGHT,
    }
    for role, color in roles.items():
        pal.setColor(role, color)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        pal.setColor(QPalette.ColorGroup.Disabled, role, colors.TEXT_FAINT)
    return pal


def style_sheet() -> str:
    try:
        return QSS_PATH.read_text(encoding="utf-8")
    except OSError:  # a broken install must not stop the console; palette alone still works
        log.warning("theme style sheet %s not found; using the palette only", QSS_PATH)
        return ""


def apply_theme(app: QApplication, point_size: float = 10.0) -> str | None:
    """Apply palette, font and style sheet to the application.

    Returns the CJK font family in use, or None (logged once) if Chinese names cannot render.
    """
    app.setStyle("Fusion")  # the same look on every platform; QSS builds on it
    app.setPalette(palette())
    app.setFont(ui_font(point_size))
    app.setStyleSheet(style_sheet())
    cjk = cjk_font_family()
    if cjk is None:
        log.warning(
            "no CJK font found (tried %s); Chinese station names will not render. "
            "On Debian/Ubuntu install the package fonts-noto-cjk.",
            ", ".join(CJK_FAMILIES),
        )
    return cjk


def set_severity(widget: QWidget, priority: Priority | None) -> None:
    """Flag a widget with an alarm priority for the style sheet (`[severity="high"]`)."""
    _set_prop(widget, "severity", SEVERITY_PROP[priority] if priority is not None else "")


def set_quality(widget: QWidget, quality: Quality) -> None:
    _set_prop(widget, "quality", QUALITY_PROP[quality])


def _set_prop(widget: QWidget, name: str, value: str) -> None:
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    # Dynamic properties only take effect after a re-polish.
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
