"""The window's acting controls follow the doorway's role (issue 10: "hides or disables what
the role may not do, with the reason on hover"), in both languages.

The thin console's doorway is real (RemoteDoorway asks core.auth.roles); its session is reduced
to what the role question reads — `role`, `user`, `net` — since these tests look at widget
states only. The real-broker form (a viewer logged in through Mosquitto) is in
test_thin_console.py.
"""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import QSettings

from console.app import i18n
from console.app.bridge import ServiceBridge
from console.app.doorway import LocalDoorway, RemoteDoorway
from console.app.main_window import MainWindow
from station_config.schema import NetworkDef
from widgets import sample_data as sd

WAIT_MS = 5_000


class _Source:
    """What the bridge and a local doorway read of a source before any snapshot."""

    def __init__(self, net: NetworkDef) -> None:
        self.listeners: list = []
        self.net = net
        self.user = "li"


class _Session:
    """What RemoteDoorway reads of a session for the role question."""

    def __init__(self, net: NetworkDef, role: str | None) -> None:
        self.net, self.user, self.role = net, "li", role
        self.network_listeners: list = []  # the doorway tells the window of a network change


def window(qtbot, net: NetworkDef, tmp_path: Path, role: str | None, remote: bool = True):  # type: ignore[no-untyped-def]
    bridge = ServiceBridge(None, source=_Source(net))
    door = RemoteDoorway(bridge, _Session(net, role)) if remote else LocalDoorway(bridge, None)  # type: ignore[arg-type]
    settings = QSettings(str(tmp_path / f"{role}.ini"), QSettings.Format.IniFormat)
    win = MainWindow(bridge, settings=settings, doorway=door)
    qtbot.addWidget(win)
    sid = net.stations[0]
    state = sd.normal_state(sid, random.Random(1))
    win.station_view.set_station(state, sd.station_points())
    return win


def acting(win: MainWindow) -> dict[str, tuple[bool, str]]:
    """Every acting control: (enabled, tooltip)."""
    s = win.alarm_summary
    out = {
        "ack selected": (s.ack_selected_action.isEnabled(), s.ack_selected_action.toolTip()),
        "ack shown": (s.ack_visible_action.isEnabled(), s.ack_visible_action.toolTip()),
        "shelve": (s.shelve_action.isEnabled(), s.shelve_action.toolTip()),
        "unshelve": (s.unshelve_action.isEnabled(), s.unshelve_action.toolTip()),
    }
    for name, (_lab, _val, btn) in win.station_view.setpoint_rows.items():
        out[f"change {name}"] = (btn.isEnabled(), btn.toolTip())
    return out


def test_a_viewer_has_every_acting_control_disabled_with_the_reason(
    qtbot, small_network, tmp_path
) -> None:
    win = window(qtbot, small_network, tmp_path, "viewer")
    for name, (enabled, tip) in acting(win).items():
        assert not enabled, name
        assert "needs the" in tip and "you are viewer" in tip, (name, tip)
    assert "F9 does not acknowledge" in win.banner.toolTip()
    assert "viewer" in win.banner.silence_button.toolTip()
    win.acknowledge(["jx-001/room_temp[0]/room_low"])
    assert "not allowed" in win.statusBar().currentMessage()
    assert win.request_write("room_setpoint") is None  # no dialog: the role may not write


def test_an_operator_acknowledges_but_may_not_write(qtbot, small_network, tmp_path) -> None:
    win = window(qtbot, small_network, tmp_path, "operator")
    states = acting(win)
    assert "operator" not in states["ack shown"][1]
    writable = [n for n in states if n.startswith("change ")]
    for name in writable:
        enabled, tip = states[name]
        assert not enabled and "needs the engineer role" in tip, (name, tip)
    assert win.why_not("acknowledge") is None
    assert win.alarm_summary.allowed("acknowledge") and win.alarm_summary.allowed("shelve")


def test_the_local_window_has_everything_enabled(qtbot, small_network, tmp_path) -> None:
    win = window(qtbot, small_network, tmp_path, None, remote=False)
    for name, (_enabled, tip) in acting(win).items():
        assert "needs the" not in tip and "not allowed" not in tip, (name, tip)
    assert all(win.alarm_summary.allowed(v) for v in ("acknowledge", "shelve", "silence"))
    writable = [
        b
        for n, (_l, _v, b) in win.station_view.setpoint_rows.items()
        if win.station_view.points()[n].writable
    ]
    assert writable and all(b.isEnabled() for b in writable)


def test_the_role_learnt_after_connecting_updates_the_controls(
    qtbot, small_network, tmp_path
) -> None:
    """A thin console knows its role only once the server's retained message came: the window
    picks it up in its apply step."""
    win = window(qtbot, small_network, tmp_path, None)
    assert "waiting for the server" in win.alarm_summary.shelve_action.toolTip()
    win.doorway.session.role = "operator"  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: win.alarm_summary.allowed("shelve"), timeout=WAIT_MS)
    change = win.station_view.setpoint_rows["room_setpoint"][2]
    assert not change.isEnabled() and "engineer" in change.toolTip()


def test_the_reasons_are_in_chinese(qtbot, small_network, tmp_path, qapp) -> None:
    assert i18n.install(i18n.CHINESE, qapp) == i18n.CHINESE
    try:
        qapp.processEvents()
        win = window(qtbot, small_network, tmp_path, "operator")
        tip = win.station_view.setpoint_rows["room_setpoint"][2].toolTip()
        assert "工程师" in tip and "操作员" in tip, tip
        # ... and a live switch re-words them
        i18n.install(i18n.ENGLISH, qapp)
        qapp.processEvents()
        tip = win.station_view.setpoint_rows["room_setpoint"][2].toolTip()
        assert "needs the engineer role; you are operator" in tip, tip
    finally:
        i18n.install(i18n.ENGLISH, qapp)
