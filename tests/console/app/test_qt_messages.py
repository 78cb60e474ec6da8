"""Qt's own messages reach Python logging: library chatter at DEBUG, the rest at its level."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler, qWarning

from console.app.qt_messages import level_of, route_qt_messages


@pytest.fixture
def routed(qapp):  # type: ignore[no-untyped-def]
    route_qt_messages()
    yield
    qInstallMessageHandler(None)  # Qt's default again; pytest-qt installs its own per test


def test_library_chatter_is_debug_real_warnings_stay_warnings(routed, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG, logger="qt")
    qWarning("This plugin does not support propagateSizeHints()")
    qWarning("QPainter::begin: Paint device returned engine == 0")
    got = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert got == [
        ("qt.default", logging.DEBUG, "This plugin does not support propagateSizeHints()"),
        ("qt.default", logging.WARNING, "QPainter::begin: Paint device returned engine == 0"),
    ]


def test_levels_by_category() -> None:
    warn = QtMsgType.QtWarningMsg
    assert level_of(warn, "qt.multimedia.symbolsresolver", "Couldn't load va library") == 10
    assert level_of(warn, "qt.qpa.xcb", "anything") == logging.DEBUG
    assert level_of(QtMsgType.QtCriticalMsg, "default", "a real problem") == logging.ERROR
    assert level_of(warn, "qt.widgets", "PulseAudioService: pa_context_connect() failed") == 10
