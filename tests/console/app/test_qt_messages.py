"""Qt's library chatter is filtered by Qt's logging rules; other categories keep warning."""

from __future__ import annotations

from PySide6.QtCore import QLoggingCategory

from console.app.qt_messages import quiet_qt_chatter


def test_library_categories_are_quiet_others_still_warn(qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        quiet_qt_chatter()
        for name in ("qt.multimedia.symbolsresolver", "qt.multimedia.ffmpeg", "qt.qpa.xcb"):
            assert not QLoggingCategory(name).isWarningEnabled(), name
        assert QLoggingCategory("qt.widgets.painting").isWarningEnabled()
        assert QLoggingCategory("heatconsole.test").isWarningEnabled()
    finally:
        QLoggingCategory.setFilterRules("")
    assert QLoggingCategory("qt.multimedia.probe").isWarningEnabled()  # the rules did it
