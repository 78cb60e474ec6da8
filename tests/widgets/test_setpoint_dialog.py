from __future__ import annotations

import dataclasses

import pytest

from console.vocabulary.views import PointView
from drivers.samples import Quality
from widgets.setpoint_dialog import SetpointDialog, refusal_reason

pytestmark = pytest.mark.usefixtures("steady_blink")

ROOM_SP = PointView(
    "room_setpoint", "Room setpoint", 19.0, "°C", Quality.GOOD,
    writable=True, write_min=16.0, write_max=24.0, decimals=1,
)  # fmt: skip


def test_range_check(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = SetpointDialog(ROOM_SP, station_name="涧西一号站")
    qtbot.addWidget(dlg)
    dlg.set_text("26")
    assert dlg.value() is None
    assert not dlg.ok_button.isEnabled()
    assert "outside the allowed range" in dlg.validation_error()
    dlg.set_text("abc")
    assert dlg.value() is None and "not a number" in dlg.validation_error()
    dlg.set_text("19.0")
    assert dlg.value() is None and "current value" in dlg.validation_error()
    dlg.set_text("20,5")  # a decimal comma is accepted
    assert dlg.value() == 20.5
    assert dlg.ok_button.isEnabled()
    assert "19.0 °C" in dlg.preview.text() and "20.5 °C" in dlg.preview.text()


def test_accept_emits_confirmed(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = SetpointDialog(ROOM_SP)
    qtbot.addWidget(dlg)
    dlg.set_text("24")
    with qtbot.waitSignal(dlg.confirmed) as sig:
        dlg.accept()
    assert sig.args == ["room_setpoint", 24.0]


def test_refused_in_local_control(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = SetpointDialog(ROOM_SP, local_control=True)
    qtbot.addWidget(dlg)
    assert dlg.refusal is not None and "LOCAL" in dlg.refusal
    assert not dlg.reason_label.isHidden()
    dlg.set_text("20")
    assert dlg.value() is None and not dlg.ok_button.isEnabled()
    with qtbot.assertNotEmitted(dlg.confirmed):
        dlg.accept()


def test_refused_when_data_not_good(qtbot) -> None:  # type: ignore[no-untyped-def]
    stale = dataclasses.replace(ROOM_SP, quality=Quality.STALE)
    dlg = SetpointDialog(stale)
    qtbot.addWidget(dlg)
    assert dlg.refusal is not None and "stale" in dlg.refusal
    assert not dlg.ok_button.isEnabled()


def test_reasons() -> None:
    assert refusal_reason(ROOM_SP, False) is None
    ro = dataclasses.replace(ROOM_SP, writable=False)
    assert "read-only" in (refusal_reason(ro, False) or "")
    ctl = PointView("control_level", "Control", 0, writable=True, write_min=0, write_max=1,
                    quality=Quality.GOOD, enum=((0, "local"), (1, "SCADA")))  # fmt: skip
    assert refusal_reason(ctl, True) is None  # the one register writable in local control


def test_enum_point_uses_combo(qtbot) -> None:  # type: ignore[no-untyped-def]
    enum = ((0, "manual"), (1, "weather curve"), (2, "fixed"))
    mode = PointView(
        "mode", "Mode", 1, "", Quality.GOOD, writable=True, write_min=0, write_max=4, decimals=0,
        enum=enum,
    )  # fmt: skip
    dlg = SetpointDialog(mode)
    qtbot.addWidget(dlg)
    assert dlg.combo is not None
    dlg.combo.setCurrentIndex(2)
    assert dlg.value() == 2.0
    assert "weather curve" in dlg.preview.text() and "fixed" in dlg.preview.text()


# --- issue 11: an out-of-range value must not collapse the dialog ------------------------------


@pytest.fixture
def themed(qapp):  # type: ignore[no-untyped-def]
    """The console's real style sheet (its invalid border is thicker), undone afterwards."""
    from widgets.theme import apply_theme

    style, palette, font, sheet = (
        qapp.style().name(),
        qapp.palette(),
        qapp.font(),
        qapp.styleSheet(),
    )
    apply_theme(qapp)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def _rows(dlg: SetpointDialog) -> dict[str, object]:
    """The dialog's rows as widget rectangles (a form row: its caption and field together)."""
    assert dlg.edit is not None
    return {
        "current": dlg.old_caption.geometry().united(dlg.old_label.geometry()),
        "range": dlg.range_caption.geometry().united(dlg.range_label.geometry()),
        "new": dlg.new_caption.geometry().united(dlg.edit.geometry()),
        "preview": dlg.preview.geometry(),
        "error": dlg.error_label.geometry(),
        "note": dlg.note.geometry(),
        "buttons": dlg.buttons.geometry(),
    }


@pytest.mark.parametrize("typed", ["26", "15,5", "1000000"])
@pytest.mark.usefixtures("themed")
def test_out_of_range_keeps_the_layout(qtbot, lang: str, typed: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    dlg = SetpointDialog(ROOM_SP, station_name="涧西一号站")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.edit is not None
    dlg.edit.setFocus()
    qtbot.keyClicks(dlg.edit, typed)  # typed, as the dispatcher does
    for _ in range(3):
        QApplication.processEvents()
    assert dlg.edit.text() == typed  # the typed value stays
    assert dlg.error_label.isVisible() and dlg.error_label.text()
    assert dlg.edit.height() >= dlg.edit.sizeHint().height()
    rows = _rows(dlg)
    names = list(rows)
    for i, a in enumerate(names):
        assert rows[a].height() > 0, a  # type: ignore[attr-defined]
        for b in names[i + 1 :]:
            assert not rows[a].intersects(rows[b]), (a, b, rows[a], rows[b])  # type: ignore[attr-defined]
    for label in (dlg.old_label, dlg.range_label, dlg.error_label):
        # Every line of the words fits in the label's height.
        assert label.height() >= label.heightForWidth(label.width()) - 1, label.text()
    assert not dlg.ok_button.isEnabled() and dlg.value() is None
    # The message states the range as the locale writes numbers, with the unit.
    assert "16.0 °C" in dlg.validation_error() and "24.0 °C" in dlg.validation_error()
    # Correcting the value enables Send and keeps the layout.
    grown = dlg.height()
    dlg.edit.clear()
    qtbot.keyClicks(dlg.edit, "20")
    QApplication.processEvents()
    assert dlg.value() == 20.0 and dlg.ok_button.isEnabled()
    assert dlg.edit.height() >= dlg.edit.sizeHint().height()
    assert dlg.height() < grown  # the message's room is given back


def test_range_in_the_locales_number_format(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QLocale

    from widgets import locale_format

    locale_format.use_locale(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        dlg = SetpointDialog(ROOM_SP)
        qtbot.addWidget(dlg)
        dlg.set_text("30")
        assert "16,0 °C" in dlg.validation_error() and "24,0 °C" in dlg.validation_error()
        assert dlg.range_label.text() == "16,0 °C … 24,0 °C"
    finally:
        locale_format.use_locale(QLocale())
