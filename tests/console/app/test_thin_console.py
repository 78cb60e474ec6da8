"""The thin console's window against a real control room: the simulator in its own process, a
real Mosquitto, an acquisition server on its own thread, the window offscreen."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import datetime
from pathlib import Path

import pytest

from console.app.launch import RemoteConsoleSession
from console.commands.server import roles_from
from console.control_room.trial import ServerThread
from console.remote.link import BrokerAddress
from console.remote.session import RemoteSession
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from drivers.simulator.process import SimulatorProcess

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small_network.yaml"
PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator"), "vera": (PW, "viewer")}
WAIT_MS = 15_000


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorProcess]:
    """One simulator process for the module: its tests only read the plant (each starts its own
    broker, servers and consoles), and starting the process takes seconds."""
    process = SimulatorProcess(SMALL, port=0)
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def control_room(mosquitto, sim, tmp_path) -> Iterator[tuple]:
    broker = mosquitto(users=USERS)
    server = AcquisitionServer(
        sim.network_with_endpoints(), Partition.parse("all"), BrokerAddress.parse(broker.url),
        ServerLogin("srv", PW), roles_from(broker.store), journal_path=tmp_path / "s.sqlite",
        history_path=False,
    )  # fmt: skip
    runner = ServerThread(server)
    runner.start()
    consoles: list[RemoteConsoleSession] = []
    try:
        yield broker, server, consoles
    finally:
        for c in consoles:
            c.stop()
        runner.stop()


def open_console(broker, consoles, user: str, settings) -> RemoteConsoleSession:
    c = RemoteConsoleSession(
        RemoteSession(BrokerAddress.parse(broker.url), user, PW), settings=settings
    )
    consoles.append(c)
    c.start()
    return c


def test_thin_console_draws_the_city_and_says_when_the_link_is_lost(
    qtbot, control_room, tmp_path
) -> None:
    from PySide6.QtCore import QSettings

    broker, server, consoles = control_room
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    c = open_console(broker, consoles, "wang", settings)
    win = c.window
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win._snap is not None and win._snap.status.complete, timeout=WAIT_MS)
    assert sorted(win._snap.states) == sorted(s.id for s in server.net.stations)
    live = {sid: s.comm for sid, s in win._snap.states.items()}
    assert "STALE" not in {q.name for q in live.values()}
    assert not win.link_banner.isVisible()
    # Nothing of a poller, alarm engine or history writer in a thin console.
    assert not hasattr(c.session, "poller") and not hasattr(c.session, "alarms")
    qtbot.waitUntil(lambda: win.doorway.role == "operator", timeout=WAIT_MS)
    assert win.doorway.why_not("acknowledge") is None
    assert "engineer" in (win.doorway.why_not("write") or "")

    broker.stop()
    qtbot.waitUntil(lambda: win.link_banner.isVisible(), timeout=5_000)  # within 5 s
    assert "LINK LOST" in win.link_banner.text()
    qtbot.waitUntil(
        lambda: all(
            s.comm.name in ("STALE", "COMM_FAIL", "NO_DATA") for s in win._snap.states.values()
        ),
        timeout=5_000,
    )
    broker.start()
    qtbot.waitUntil(lambda: not win.link_banner.isVisible(), timeout=WAIT_MS)
    # Resynchronised from the retained messages, no operator action: as live as before.
    qtbot.waitUntil(
        lambda: {sid: s.comm for sid, s in win._snap.states.items()} == live, timeout=WAIT_MS
    )


def test_a_viewer_console_may_not_act(qtbot, control_room, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    broker, _server, consoles = control_room
    settings = QSettings(str(tmp_path / "v.ini"), QSettings.Format.IniFormat)
    c = open_console(broker, consoles, "vera", settings)
    win = c.window
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.doorway.role == "viewer", timeout=WAIT_MS)
    why = win.doorway.why_not("acknowledge")
    assert why is not None and "operator" in why
    win.acknowledge(["jx-001/room_temp[0]/room_low"])
    assert "not allowed" in win.statusBar().currentMessage()
    # The window's controls follow the role it learnt from the server: disabled, why on hover.
    act = win.alarm_summary.ack_visible_action
    qtbot.waitUntil(lambda: "you are viewer" in act.toolTip(), timeout=WAIT_MS)
    assert not act.isEnabled() and not win.alarm_summary.shelve_action.isEnabled()


# --- the control room's gaps (issue 10): a server's own alarms, files, a partition joining ---


@pytest.fixture
def room(mosquitto, sim, tmp_path) -> Iterator[tuple]:
    """A broker, the simulator, and a way to start servers (stopped in reverse order)."""
    broker = mosquitto(users=USERS)
    runners: list[ServerThread] = []
    consoles: list[RemoteConsoleSession] = []

    def start(partition: str = "all", db: str | None = None, alarms=None) -> AcquisitionServer:
        name = Partition.parse(partition).name
        net = sim.network_with_endpoints()
        if alarms is not None:
            net = net.model_copy(update={"alarms": alarms})
        server = AcquisitionServer(
            net, Partition.parse(partition),
            BrokerAddress.parse(broker.url), ServerLogin("srv", PW), roles_from(broker.store),
            journal_path=tmp_path / f"{name}.sqlite", history_path=False, db=db,
        )  # fmt: skip
        runner = ServerThread(server)
        runner.start()
        runners.append(runner)
        return server

    try:
        yield broker, start, consoles
    finally:
        for c in consoles:
            c.stop()
        for r in reversed(runners):
            r.stop()


def open_window(qtbot, broker, consoles, tmp_path, user: str = "wang"):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / f"{user}.ini"), QSettings.Format.IniFormat)
    c = open_console(broker, consoles, user, settings)
    win = c.window
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win._snap is not None and win._snap.status.complete, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: win.doorway.role == "operator", timeout=WAIT_MS)
    return win


# pg_journal before room: set up first, torn down last. The other way round its database is
# dropped under the running server, whose stop then waits out its forwarder's timeouts (10 s).
def test_a_servers_own_alarm_shows_as_a_single_seat_shows_its_own(
    qtbot, pg_journal, room, tmp_path
) -> None:
    """PostgreSQL stopped under a running server: banner, alarm list and status of the thin
    console say so, and it is acknowledged from there."""
    from console.app.main_window import TAB_ALARMS
    from console.core.events import AlarmState

    broker, start, consoles = room
    start(db=pg_journal.server_dsn)
    win = open_window(qtbot, broker, consoles, tmp_path)
    key = "server:all/shared_journal/shared_journal_cannot_write"
    qtbot.waitUntil(
        lambda: "shared journal: connected" in win.status_journal.text(), timeout=WAIT_MS
    )
    assert key not in {r.key for r in win.banner.shown}

    pg_journal.db.server.stop()
    win.doorway.note("PostgreSQL is down")  # something to forward: the forwarder finds it gone
    qtbot.waitUntil(lambda: key in {r.key for r in win.banner.shown}, timeout=WAIT_MS)
    row = next(r for r in win.banner.shown if r.key == key)
    assert row.state is AlarmState.UNACK and row.message == "Shared journal cannot write"
    win.tabs.setCurrentIndex(TAB_ALARMS)
    qtbot.waitUntil(lambda: win.alarm_summary.model.row_for_key(key) is not None, timeout=5_000)
    qtbot.waitUntil(
        lambda: "CRITICAL ALARM UNACK: shared journal cannot write" in win.status_journal.text(),
        timeout=WAIT_MS,
    )
    win.acknowledge([key])
    qtbot.waitUntil(
        lambda: win.alarm_summary.model.row_for_key(key).state is AlarmState.ACK, timeout=WAIT_MS
    )
    pg_journal.db.server.start()
    qtbot.waitUntil(lambda: win.alarm_summary.model.row_for_key(key) is None, timeout=30_000)
    assert key not in {r.key for r in win.banner.shown}


def _without_generated(html: str) -> str:
    """The report's generation time differs by when each was written; nothing else may."""
    return re.sub(r" · generated [^·<]*", "", html)


# pg_journal before room, as above.
def test_handover_and_export_from_the_window_agree_with_the_cli(
    qtbot, pg_journal, room, tmp_path
) -> None:
    from console import cli
    from widgets.journal_viewer import RANGE_CUSTOM

    broker, start, consoles = room
    server = start(db=pg_journal.server_dsn)
    win = open_window(qtbot, broker, consoles, tmp_path)
    t0 = int(time.time()) - 60
    for text in ("valve replaced at jx-001", "night shift begins"):
        win.doorway.note(text)
    qtbot.waitUntil(lambda: "0 events waiting" in win.status_journal.text(), timeout=WAIT_MS)
    qtbot.wait(1500)  # a batch or two more: the period below ends in the past for both
    t1 = int(time.time())
    qtbot.waitUntil(lambda: server.forwarder.status().backlog == 0, timeout=WAIT_MS)
    win.export_dir = tmp_path / "out"
    win.export_dir.mkdir()
    win.journal_viewer.set_filters(range=RANGE_CUSTOM, since=t0, until=t1)

    win.write_handover_report()
    qtbot.waitUntil(lambda: any(w == "handover" for w, _ in win.files_written), timeout=WAIT_MS)
    win.export_journal("csv")
    qtbot.waitUntil(lambda: any(w == "csv" for w, _ in win.files_written), timeout=WAIT_MS)
    files = dict(win.files_written)

    iso = [datetime.fromtimestamp(t).isoformat() for t in (t0, t1)]
    ours = tmp_path / "cli-handover.html"
    dsn = pg_journal.reader_dsn
    assert cli.main(["handover", "--db", dsn, "--since", iso[0], "--until", iso[1],
                     "-o", str(ours)]) == 0  # fmt: skip
    theirs = files["handover"].read_text(encoding="utf-8")
    assert "valve replaced at jx-001" in theirs
    assert _without_generated(theirs) == _without_generated(ours.read_text(encoding="utf-8"))

    csv_out = tmp_path / "cli-export.csv"
    with csv_out.open("w", newline="", encoding="utf-8") as fh, redirect_stdout(fh):
        assert cli.main(["log", "--db", dsn, "--since", iso[0], "--until", iso[1],
                         "--format", "csv"]) == 0  # fmt: skip
    exported = files["csv"].read_bytes()
    assert b"night shift begins" in exported
    assert exported == csv_out.read_bytes()


def test_a_partition_joining_later_is_added_to_the_open_window(qtbot, room, tmp_path) -> None:
    from console.app.main_window import TAB_ALARMS
    from station_config.alarm_rules import AlarmConfig, RuleOverride, RulesConfig

    broker, start, consoles = room
    start("north=district:jianxi")
    win = open_window(qtbot, broker, consoles, tmp_path)
    assert sorted(win.schematic.station_ids()) == ["jx-001", "jx-002"]
    win.tabs.setCurrentIndex(TAB_ALARMS)

    # The second server's rooms all count as cold (a limit above any room), so its stations
    # show in the alarm list as soon as they are scanned.
    cold = AlarmConfig(
        rules=RulesConfig(room_low=RuleOverride(limit=40.0, station_limit=False, on_delay_s=0.0))
    )
    start("south=district:xigong", alarms=cold)
    qtbot.waitUntil(lambda: "xg-002" in win.schematic.station_ids(), timeout=WAIT_MS)
    assert sorted(win.schematic.station_ids()) == ["jx-001", "jx-002", "xg-001", "xg-002"]
    assert win.station_names["xg-002"] == "西工二号站"
    qtbot.waitUntil(
        lambda: any(r.station == "xg-002" for r in win.alarm_summary.model.rows()),
        timeout=WAIT_MS,
    )
    # Drawn with its state, not left as a symbol without data.
    qtbot.waitUntil(
        lambda: (
            win.schematic.station_item("xg-002").state is not None
            and win.schematic.station_item("xg-002").state.comm.name == "GOOD"
        ),
        timeout=WAIT_MS,
    )


def open_wall(qtbot, broker, consoles, tmp_path, user: str):
    """The wall display as a thin console logged in as `user`, shown, a complete scan drawn."""
    from PySide6.QtCore import QSettings

    from console.app.wall_window import WallWindow, wall_factory

    c = RemoteConsoleSession(
        RemoteSession(BrokerAddress.parse(broker.url), user, PW),
        settings=QSettings(str(tmp_path / f"{user}-wall.ini"), QSettings.Format.IniFormat),
        window_factory=wall_factory(cycle_s=0, full_screen=False),
    )
    consoles.append(c)
    win = c.start()
    assert isinstance(win, WallWindow)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win._complete_drawn, timeout=WAIT_MS)
    return win


def test_a_partition_joining_later_is_added_to_the_wall(qtbot, room, tmp_path) -> None:
    broker, start, consoles = room
    start("north=district:jianxi")
    win = open_wall(qtbot, broker, consoles, tmp_path, "wang")
    assert sorted(win.display.map.states) == ["jx-001", "jx-002"]
    start("south=district:xigong")
    # On the map (its stations drawn) and in the district cycle, not only in the state table.
    qtbot.waitUntil(
        lambda: "xg-002" in {s.id for s in win.display.map.net.stations}, timeout=WAIT_MS
    )
    assert "xigong" in win.display._views


def test_an_operator_unshelves_from_the_window_through_the_server(qtbot, room, tmp_path) -> None:
    """Shelve and unshelve from a thin console's alarm list: each a request the server checks,
    executes and journals under the operator's name; the list shows the alarm back in view."""
    from console.app.main_window import TAB_ALARMS
    from console.core.events import AlarmState
    from station_config.alarm_rules import AlarmConfig, RuleOverride, RulesConfig
    from tests.widgets.test_alarm_summary import select_keys

    broker, start, consoles = room
    warm = RuleOverride(limit=30.0, station_limit=False, on_delay_s=0.0)  # every room "cold"
    start(alarms=AlarmConfig(rules=RulesConfig(room_low=warm)))
    win = open_window(qtbot, broker, consoles, tmp_path)
    win.tabs.setCurrentIndex(TAB_ALARMS)
    s = win.alarm_summary

    def leaf(state: AlarmState) -> str | None:
        rows = [c for r in s.model.rows() for c in (r.children or (r,))]
        return next((r.key for r in rows if r.rule == "room_low" and r.state is state), None)

    qtbot.waitUntil(lambda: leaf(AlarmState.UNACK) is not None, timeout=WAIT_MS)
    key = leaf(AlarmState.UNACK)
    win.shelve([key], 3600, "sensor checked on site")
    qtbot.waitUntil(lambda: s.model.row_for_key(key).state is AlarmState.SHELVED, timeout=WAIT_MS)
    s.set_filter(text="", state_preset=3)  # shelved / suppressed: where the operator finds it
    select_keys(s, key)
    assert s.unshelve_action.isEnabled()
    assert s.unshelve_selected() == [key]
    qtbot.waitUntil(
        lambda: (
            s.model.row_for_key(key) is None
            or s.model.row_for_key(key).state is not AlarmState.SHELVED
        ),
        timeout=WAIT_MS,
    )

    def journalled() -> list[tuple]:
        conn = sqlite3.connect(f"file:{tmp_path / 'all.sqlite'}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(
                "SELECT action, user FROM events WHERE alarm = ? AND kind = 'operator' "
                "ORDER BY time", (key,),
            ).fetchall()  # fmt: skip
        finally:
            conn.close()

    qtbot.waitUntil(lambda: len(journalled()) == 2, timeout=WAIT_MS)
    assert journalled() == [("shelve", "wang"), ("unshelve", "wang")]
