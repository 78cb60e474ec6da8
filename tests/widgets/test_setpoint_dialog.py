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
