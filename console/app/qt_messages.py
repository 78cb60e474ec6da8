"""Qt's library chatter stays off the operator's terminal.

Qt prints to stderr whatever its plugins say: QtMultimedia lists every codec library it could
not load ("qt.multimedia.symbolsresolver: Couldn't load va-drm library", a dozen lines when the
alarm sound starts), the platform plugins their limits. None of it is for the dispatcher — the
console says itself what matters ("alarm sound disabled, visual alarms only").

Filtered by Qt's own logging rules, in C++: a Python message handler would be called from Qt's
threads while the GUI thread holds the GIL inside a Qt call that waits for them (importing
QtMultimedia does): the console hung at start. `QT_LOGGING_RULES` set by the user still wins
for what it names (Qt applies the environment's rules after these).
"""

from __future__ import annotations

from PySide6.QtCore import QLoggingCategory

# Qt logging categories whose messages are about the machine's libraries, not the console.
QUIET_RULES = ("qt.multimedia*=false", "qt.qpa.*=false", "qt.text.font.*=false")


def quiet_qt_chatter() -> None:
    """Turn the library categories off (before the QApplication: plugins load with it)."""
    QLoggingCategory.setFilterRules("\n".join(QUIET_RULES))
