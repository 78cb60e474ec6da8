"""Widget tests run headless: the offscreen platform must be chosen before Qt is imported."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from widgets import colors


@pytest.fixture
def steady_blink(qapp):  # type: ignore[no-untyped-def]
    """Freeze the shared blink phase so colours are deterministic (opt in per module with
    `pytestmark = pytest.mark.usefixtures("steady_blink")`)."""
    clock = colors.blink_clock()
    clock.stop()
    clock.set_phase(True)
    yield clock


@pytest.fixture(params=["en", "zh_CN"])
def lang(request, qapp):  # type: ignore[no-untyped-def]
    """Each language in turn (installed as the window does it), English again afterwards."""
    from PySide6.QtCore import QLocale

    from console.app import i18n

    locale = QLocale()
    i18n.install(request.param, qapp)
    yield request.param
    i18n.install(i18n.ENGLISH, qapp)
    QLocale.setDefault(locale)
