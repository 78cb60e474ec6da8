from __future__ import annotations

import pytest

from console.core.events import Priority
from console.vocabulary.views import PointView
from drivers.samples import Quality
from widgets.analog_indicator import AnalogIndicator, format_value, scale_of, value_alarm

pytestmark = pytest.mark.usefixtures("steady_blink")


def pv(value: float | None, q: Quality = Quality.GOOD, **kw: object) -> PointView:
    return PointView("t3", "T3", value, "°C", q, normal_low=50, normal_high=60, **kw)  # type: ignore[arg-type]


def test_quality_markers(qtbot) -> None:  # type: ignore[no-untyped-def]
    ind = AnalogIndicator()
    qtbot.addWidget(ind)
    for q, marker in (
        (Quality.GOOD, ""),
        (Quality.STALE, "?"),
        (Quality.COMM_FAIL, "COMM"),
        (Quality.SENSOR_FAULT, "SENSOR"),
        (Quality.NO_DATA, "—"),
    ):
        ind.set_point(pv(55.0, q))
        assert ind.marker_text() == marker
        ind.grab()  # paints without error
    assert "quality: stale" in pv_tooltip(ind, pv(55.0, Quality.STALE))


def pv_tooltip(ind: AnalogIndicator, p: PointView) -> str:
    ind.set_point(p)
    return ind.toolTip()


def test_alarm_colour_from_band_and_limits() -> None:
    assert value_alarm(pv(55.0)) is None
    assert value_alarm(pv(48.0)) == Priority.MEDIUM  # outside the normal band
    assert value_alarm(pv(40.0, alarm_low=45.0)) == Priority.HIGH  # beyond a limit
    assert value_alarm(pv(55.0, alarm=Priority.CRITICAL)) == Priority.CRITICAL
    # a value we cannot trust is not coloured as an alarm (and not as normal: it is hatched)
    assert value_alarm(pv(40.0, Quality.STALE, alarm_low=45.0)) is None


def test_value_text_and_scale(qtbot) -> None:  # type: ignore[no-untyped-def]
    ind = AnalogIndicator(pv(None, Quality.SENSOR_FAULT))
    qtbot.addWidget(ind)
    assert ind.value_text() == "—"
    assert format_value(402.0) == "402"
    assert format_value(0.35, 2) == "0.35"
    lo, hi = scale_of(pv(55.0, setpoint=55.0))
    assert lo < 50 and hi > 60
    assert scale_of(pv(55.0, scale_min=0, scale_max=100)) == (0, 100)


def test_click_emits_point(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    ind = AnalogIndicator(pv(55.0))
    qtbot.addWidget(ind)
    ind.show()
    with qtbot.waitSignal(ind.activated) as sig:
        qtbot.mouseClick(ind, Qt.MouseButton.LeftButton)
    assert sig.args == ["t3"]
