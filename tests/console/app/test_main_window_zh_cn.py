"""The whole console window in Simplified Chinese: built on the small network's service (the
simulator over loopback Modbus TCP) with zh_CN installed, a station chilled until its rooms
are in alarm, a station view and a trend open — then every tab is looked at as the dispatcher
sees it (painted text, tab and window titles, status bar, tooltips, menus, item views), and
nothing English may be left (the collector and the rules of tests/widgets/test_zh_cn.py)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QTabBar

from console.app import i18n
from console.app.launch import ConsoleSession
from station_config.alarm_rules import AlarmConfig, RuleOverride, RulesConfig
from tests.widgets.test_zh_cn import _model_texts, untranslated, visible_texts

FAST_ROOMS = AlarmConfig(
    rules=RulesConfig(
        room_low=RuleOverride(on_delay_s=1.0, off_delay_s=0.0),
        room_critical=RuleOverride(on_delay_s=1.0, off_delay_s=0.0),
    )
)
WAIT_MS = 20_000
# The language menu names each language in its own words, so either reader finds it.
BILINGUAL = {"Language / 语言", "English"}


def window_texts(win) -> list[str]:  # type: ignore[no-untyped-def]
    # The journal's records are shown as they were written (console/core words them in
    # English; translating stored records is the journal's own matter, not the window's).
    view = win.journal_viewer.view
    records = set(_model_texts(view)[view.model().columnCount() :])
    texts = [
        t
        for t in visible_texts(win)
        if t not in records and not (t.endswith("…") and any(r.startswith(t[:-1]) for r in records))
    ]
    bar = win.tabs.tabBar()
    texts += [bar.tabText(i) for i in range(bar.count())]
    texts += [w.text() for w in win.statusBar().findChildren(type(win.status_user))]
    texts += [win.statusBar().currentMessage()]
    texts += [m.title() for m in win.menuBar().findChildren(type(win.language_menu))]
    # The product's name stays as it is (as "SCADA" does).
    return [t.replace("heatconsole", "") for t in texts if t and t not in BILINGUAL]


def test_the_window_shows_no_english_in_zh_cn(qtbot, threaded_simulator, chill, tmp_path, qapp):
    assert i18n.install(i18n.CHINESE, qapp) == i18n.CHINESE
    QApplication.processEvents()
    ts = threaded_simulator
    # The configuration's words are Chinese, as in the field (the fixture's network is named
    # in English): what remains English can only come from the interface.
    net = ts.sim.network_with_endpoints().model_copy(
        update={"alarms": FAST_ROOMS, "name": "洛阳城区供热管网"}
    )
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    session = ConsoleSession(
        net, journal_path=tmp_path / "j.sqlite", user="王调度", settings=settings,
        batch_interval=0.1,
    )  # fmt: skip
    win = session.start()
    qtbot.addWidget(win)
    try:
        win.show()
        qtbot.waitUntil(
            lambda: win._snap is not None and win._snap.status.complete, timeout=WAIT_MS
        )
        chill(ts, "xg-002")
        qtbot.waitUntil(
            lambda: any(r.station == "xg-002" for r in win._snap.alarms), timeout=WAIT_MS
        )
        win.open_station("xg-002")
        qtbot.waitUntil(lambda: win.station_view.station() is not None, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: win.station_alarms.isVisible(), timeout=WAIT_MS)
        win.add_trend("xg-002/t3_secondary_supply", show=False)
        bad: dict[str, set[str]] = {}
        for i in range(win.tabs.count()):
            before = win._snap
            win.tabs.setCurrentIndex(i)
            # A snapshot applied on this tab (the alarm list fills when shown): a newer one
            # than the tab change saw, drawn (not a fixed wait of several batches).
            qtbot.waitUntil(lambda b=before: win._snap is not b and not win._dirty, timeout=WAIT_MS)
            if i == 3:
                win.alarm_summary.view.expandAll()
                QApplication.processEvents()
            left = {t for t in window_texts(win) if untranslated(t)}
            if left:
                bad[win.tabs.tabText(i)] = left
        assert not bad, f"English left in the zh_CN window: {bad}"
        # What the operator did, said back in the status bar ("确认 2 条报警：完成").
        rows = [r for r in win._snap.alarms if r.station == "xg-002"]
        keys = [leaf.key for r in rows for leaf in r.children or (r,)]
        win.acknowledge(keys)
        qtbot.waitUntil(lambda: "完成" in win.statusBar().currentMessage(), timeout=WAIT_MS)
        said = win.statusBar().currentMessage()
        assert said == f"确认 {len(keys)} 条报警：完成" and not untranslated(said), said
        assert isinstance(win.tabs.tabBar(), QTabBar) and "报警" in win.tabs.tabText(3)
        # ... and back to English, live: the window's own words follow.
        i18n.install(i18n.ENGLISH, qapp)
        QApplication.processEvents()
        assert win.tabs.tabText(0) == "Overview" and win.tabs.tabText(1) == "Station xg-002"
    finally:
        win.close()
        session.stop()
        i18n.install(i18n.ENGLISH, qapp)
