"""Qt's own messages go through Python logging, not straight to the operator's terminal.

Qt prints to stderr whatever its plugins say: QtMultimedia lists every codec library it could
not load ("qt.multimedia.symbolsresolver: Couldn't load va-drm library", a dozen lines when the
alarm sound starts), PulseAudio that no sound server runs, the offscreen platform that it
"does not support propagateSizeHints()". None of it is for the dispatcher — the console says
itself what matters ("alarm sound disabled, visual alarms only") — so these categories are
logged at DEBUG; everything else Qt says keeps its level (warnings still reach stderr through
logging's last resort) under the logger "qt.<category>".
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

# Qt logging categories (prefixes) whose messages are about the machine's libraries, not the
# console: shown only to whoever turns on DEBUG.
QUIET_CATEGORIES = ("qt.multimedia", "qt.qpa", "qt.text.font")
# Messages without a category that are the same library chatter.
QUIET_TEXTS = ("PulseAudioService:", "This plugin does not support")

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def level_of(kind: QtMsgType, category: str, text: str) -> int:
    """The logging level a Qt message gets: DEBUG for library chatter, else Qt's own level."""
    if category.startswith(QUIET_CATEGORIES) or text.startswith(QUIET_TEXTS):
        return logging.DEBUG
    return LEVELS.get(kind, logging.WARNING)


def _route(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    category = context.category or "default"
    logging.getLogger(f"qt.{category}").log(level_of(kind, category, text), "%s", text)


def route_qt_messages() -> None:
    """Install the route (idempotent: Qt keeps one handler)."""
    qInstallMessageHandler(_route)
