"""The suspected-leak list: districts with their totals, stations under them, the lower bound
of a drained loop, the empty state, the station request, and the same list in Chinese."""

from __future__ import annotations

from PySide6.QtCore import QEvent

from console.app import i18n
from console.core.alarms.summary import AlarmView
from console.core.events import AlarmState, Priority
from console.core.leak.view import leak_view
from widgets.leak_list import LeakList

T = 1_736_900_000.0


def view(station: str, district: str, rate: float, rule: str = "leak_suspected") -> AlarmView:
    return AlarmView(
        key=f"{station}/makeup_flow/{rule}", station=station, district=district,
        point="makeup_flow", rule=rule, priority=Priority.CRITICAL, state=AlarmState.UNACK,
        condition=True, value=rate, limit=0.0, time=T, active_since=T,
    )  # fmt: skip


def districts():
    return leak_view(
        [
            view("jx-001", "jianxi", 0.52),
            view("jx-002", "jianxi", 2.1),
            view("xg-001", "xigong", 18.0),
            view("xg-002", "xigong", 9.0, rule="makeup_high"),  # not a balance leak
        ],
        since={"jx-001": T - 3600.0},
        drained={"xg-001": True},
    )


def test_view_model_sums_districts_largest_first():
    ds = districts()
    assert [(d.district, round(d.total_m3h, 2)) for d in ds] == [("xigong", 18.0), ("jianxi", 2.62)]
    assert [r.station for r in ds[1].rows] == ["jx-002", "jx-001"]
    assert ds[1].rows[1].since == T - 3600.0 and ds[1].rows[0].since == T  # alarm time fallback
    assert ds[0].rows[0].lower_bound


def test_leak_list_shows_districts_and_stations(qapp):
    w = LeakList()
    assert w.tree.isHidden() and not w.empty.isHidden()
    w.set_districts(districts())
    assert w.empty.isHidden()
    top = [w.tree.topLevelItem(i) for i in range(w.tree.topLevelItemCount())]
    assert [(t.text(0), t.text(1)) for t in top] == [("xigong", "≥ 18.0 m³/h"),
                                                     ("jianxi", "≈ 2.6 m³/h")]  # fmt: skip
    jx = top[1]
    assert [jx.child(i).text(1) for i in range(jx.childCount())] == ["≈ 2.1 m³/h", "≈ 0.52 m³/h"]
    w.set_districts(districts(), names={"jianxi": "涧西区", "jx-001": "涧西一号站"})
    jx = w.tree.topLevelItem(1)
    assert (jx.text(0), jx.child(1).text(0)) == ("涧西区", "jx-001  涧西一号站")  # id first
    asked: list[str] = []
    w.station_requested.connect(asked.append)
    w.tree.itemDoubleClicked.emit(jx.child(1), 0)
    w.tree.itemDoubleClicked.emit(jx, 0)  # a district row asks for nothing
    assert asked == ["jx-001"]


def test_leak_list_in_chinese(qapp):
    w = LeakList()
    w.set_districts(districts())
    try:
        i18n.install(i18n.CHINESE, qapp)
        qapp.sendEvent(w, QEvent(QEvent.Type.LanguageChange))
        assert "疑似泄漏" in w.title.text()
        assert w.tree.headerItem().text(1) == "泄漏量"
        assert w.tree.topLevelItem(1).text(1).startswith("约 ")
    finally:
        i18n.install(i18n.ENGLISH, qapp)


def test_a_trace_rate_is_not_shown_as_zero(qapp):
    """An estimate of a few litres an hour is said as "< 0.02", never "≈ 0.00 m³/h"."""
    w = LeakList()
    assert w.rate_text(0.004, False) == "< 0.02 m³/h"
    assert w.rate_text(0.03, False) == "≈ 0.03 m³/h"
    assert w.rate_text(0.004, True) == "≥ 0.0 m³/h"  # a drained loop: the bound as it is


def test_the_station_id_is_never_cut(qapp):
    w = LeakList()
    w.resize(300, 200)
    long_name = "洞西区·长安路换热站东区第二分站"
    w.set_districts(districts(), names={"jx-001": long_name})
    w.show()
    item = w.tree.topLevelItem(1).child(1)
    fm = w.tree.fontMetrics()
    assert w.tree.columnWidth(0) >= fm.horizontalAdvance(item.text(0))
