"""The metering table offscreen: worst first, sortable, poor performers marked, districts and
stations, periods; Chinese has no English left."""

from __future__ import annotations

from datetime import UTC

import numpy as np
import pytest
from PySide6.QtCore import Qt

from console.core.energy import MeteringReport, build_metering
from station_config.schema import NetworkDef
from widgets.metering_view import COLUMNS, MeteringView

from .test_zh_cn import assert_chinese, settle, visible_texts, zh  # noqa: F401

DAY0 = 1_796_083_200.0  # 2026-12-01 00:00 UTC
RATES = {"jx-001": 4.0, "jx-002": 6.0, "xg-001": 2.0, "xg-002": 30.0}  # GJ/h: xg-002 wasteful


def report(net: NetworkDef) -> MeteringReport:
    t = np.arange(DAY0, DAY0 + 86400 + 1, 900.0)
    q = np.zeros(len(t), np.uint8)

    def series(sid: str, point: str, a: float, b: float):  # type: ignore[no-untyped-def]
        if point == "outdoor_temp":
            return t, np.full(len(t), -2.0), q
        v = 100.0 + RATES[sid] * (t - DAY0) / 3600
        if sid == "xg-001":  # its meter was replaced at noon
            v = np.where(t < DAY0 + 43200, v, (t - DAY0 - 43200) / 3600 * RATES[sid])
        return t, v, q

    return build_metering(net, series, now=DAY0 + 86400, tz=UTC)


def shown(qtbot, net: NetworkDef) -> MeteringView:  # type: ignore[no-untyped-def]
    w = MeteringView()
    qtbot.addWidget(w)
    w.resize(1100, 360)
    w.set_report(report(net))
    w.show()
    qtbot.waitExposed(w)
    return w


def test_stations_worst_first_marked_sortable(qtbot, small_network: NetworkDef) -> None:  # type: ignore[no-untyped-def]
    w = shown(qtbot, small_network)
    w.set_scope(districts=False)
    area = {s.id: s.area_m2 for s in small_network.stations}
    worst_first = sorted(RATES, key=lambda s: RATES[s] / area[s], reverse=True)
    assert w.visible_ids() == worst_first
    assert w.marked_ids() == ["xg-002"]  # far above the median: it stands out
    col = COLUMNS.index("per_dd")
    idx = w.proxy.index(0, col)
    assert idx.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "median" in idx.data(Qt.ItemDataRole.ToolTipRole)
    w.table.sortByColumn(COLUMNS.index("energy"), Qt.SortOrder.AscendingOrder)
    assert w.visible_ids()[0] == "xg-001"  # the replaced meter's day still sums both meters
    events = w.proxy.index(0, COLUMNS.index("events")).data()
    assert events == "meter replaced"
    got: list[str] = []
    w.station_activated.connect(got.append)
    w.table.doubleClicked.emit(w.proxy.index(0, 1))
    assert got == ["xg-001"]


def test_districts_and_periods(qtbot, small_network: NetworkDef) -> None:  # type: ignore[no-untyped-def]
    w = shown(qtbot, small_network)
    assert w.showing_districts() and w.period_key() == "season"
    assert w.visible_ids() == ["xigong", "jianxi"]
    assert w.table.isColumnHidden(COLUMNS.index("events"))
    w.set_period("month")  # December so far: the one day
    energy = w.proxy.index(0, COLUMNS.index("energy")).data()
    # xg-001's old meter's last 15 minutes (between its last reading and the swap) are unknown.
    xigong = (RATES["xg-001"] + RATES["xg-002"]) * 24 - RATES["xg-001"] * 0.25
    assert float(energy.replace(",", "")) == pytest.approx(xigong, abs=0.1)


def test_empty(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = MeteringView()
    qtbot.addWidget(w)
    w.set_report(None)
    assert w.visible_ids() == [] and "No metering" in w.caption.text()


@pytest.mark.usefixtures("zh")
def test_chinese(qtbot, small_network: NetworkDef) -> None:  # type: ignore[no-untyped-def]
    w = shown(qtbot, small_network)
    settle()
    for districts in (True, False):
        w.set_scope(districts)
        texts = visible_texts(w)
        assert any("热量" in t for t in texts)
        assert_chinese(texts, "metering view")
