"""Start the service on its runner thread and open the window; shared by demo/run/screenshot.

`ConsoleSession` owns the order of shutdown: window closed -> bridge detached -> service stopped
on its own loop (poller closed, journal flushed and closed) -> runner thread joined.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from console.app import i18n
from console.app.bridge import ServiceBridge
from console.app.display_check import display_problem
from console.app.main_window import MainWindow
from console.app.qt_messages import quiet_qt_chatter
from console.core.process_memory import (  # noqa: F401  (MallocTrimmer etc. are used here and by tests)
    MMAP_THRESHOLD,
    SQLITE_SOFT_HEAP_LIMIT,
    TRIM_INTERVAL_S,
    MallocTrimmer,
    limit_sqlite_heap,
    tune_malloc,
)
from console.core.service import ConsoleService
from console.core.service_runner import ServiceRunner
from console.remote.session import RemoteSession
from station_config.schema import NetworkDef

# Builds the session's window from the bridge and MainWindow's keywords: MainWindow itself, or
# another view of the same snapshots (console.app.wall_window.WallWindow, the wall display).
WindowFactory = Callable[..., Any]

# The GIL hand-over interval in the console process. The GUI thread calls into Python once per
# Qt callback (paint, data(), timers) and, while the service thread runs Python (a snapshot
# build, an alarm batch), waits up to this long for the GIL on *each* call: at the default 5 ms a
# paint of the alarm tree's few hundred data() calls could take 100s of ms. Measured with
# bench/bench_gui.py (BENCHMARKS.md); the service thread's throughput is not what limits it.
GUI_SWITCH_INTERVAL_S = 0.001
GC_THRESHOLDS = (700, 10, 100)  # CPython's default is (700, 10, 10); see _freeze_gc


def make_app(argv: list[str] | None = None, language: str | None = None) -> QApplication:
    """The QApplication with the console's theme and language; a clear error when no display
    opens. `language` ("en", "zh_CN") beats $HEATCONSOLE_LANG, the saved choice and the locale
    (console/app/i18n.py); an unknown one raises ValueError with the choices."""
    app = QApplication.instance()
    if app is None:
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
        problem = display_problem()
        if problem is not None:
            raise RuntimeError(problem)
        quiet_qt_chatter()  # before the plugins load: their chatter is not the operator's
        app = QApplication(argv or ["heatconsole"])
        app.setOrganizationName("heatconsole")
        app.setApplicationName("console")
        from widgets.theme import apply_theme

        apply_theme(app)
        from console.cli_i18n import explicit_choice  # `heatconsole --lang X` before the command

        i18n.install(i18n.choose_language(language or explicit_choice(), QSettings()), app)
    elif language is not None:
        i18n.install(i18n.choose_language(language), app)
    assert isinstance(app, QApplication)
    return app


class ConsoleSession:
    def __init__(
        self,
        net: NetworkDef,
        *,
        journal_path: str | Path | None,
        user: str | None = None,
        config_file: str | None = None,
        settings: QSettings | None = None,
        title: str = "heatconsole",
        batch_interval: float = 0.25,
        window_factory: WindowFactory | None = None,
        history_path: str | Path | None = None,
    ) -> None:
        """`history_path`: the trends' store (default: history.sqlite beside the journal)."""
        tune_malloc()  # before the service's and the window's allocations
        limit_sqlite_heap()
        self.service = ConsoleService(
            net,
            journal_path=journal_path,
            user=user,
            config_file=config_file,
            batch_interval=batch_interval,
            history_path=history_path,
        )
        self.runner = ServiceRunner(self.service)
        self.bridge: ServiceBridge | None = None
        self.window: MainWindow | None = None
        self._gc_thresholds = gc.get_threshold()
        self.trimmer = MallocTrimmer()
        self._journal_path = journal_path
        self._settings = settings
        self._title = title
        self._window_factory = window_factory or MainWindow

    def start(self) -> MainWindow:
        # The bridge (and its signal's thread affinity) is created on the GUI thread before the
        # service starts, so the first batch already reaches the window queued.
        self.bridge = ServiceBridge(self.runner)
        self.runner.start()
        self.trimmer.start()
        self.window = self._window_factory(
            self.bridge,
            journal_path=self._journal_path,
            settings=self._settings,
            title=self._title,
        )
        # Everything built so far (network model, point tables, stores, schematic items) lives
        # as long as the session. A full collection of the cyclic GC walks every tracked object
        # while holding the GIL: 130-170 ms on the full network, a stall of the GUI thread every
        # few seconds (bench/bench_gui.py). Frozen objects are never walked again; what is
        # allocated later (snapshots, alarm rows) is still collected. Once more after the first
        # complete scan: the stores' and the engine's per-station state is built by then.
        self._freeze_gc()
        # Emitted on the GUI thread by the window itself: a direct call, nothing queued that
        # could outlive this session (a queued call into a plain Python callable crashed).
        self.window.first_complete_scan.connect(self._freeze_gc)
        return self.window

    def _freeze_gc(self) -> None:
        gc.collect()
        gc.freeze()
        # After a freeze the oldest generation starts empty, so CPython's "a quarter more
        # long-lived objects" rule lets a full collection run every 10 middle ones: ~1 per 15 s
        # on a cold night, 80-104 ms each holding the GIL over the ~90,000 objects the alarm
        # tree and snapshots keep (bench_gui). Ten times fewer; young cycles are still
        # collected as often as before.
        gc.set_threshold(*GC_THRESHOLDS)

    def stop(self) -> None:
        gc.unfreeze()  # the session's objects become collectable again once it is gone
        gc.set_threshold(*self._gc_thresholds)
        if self.window is not None and self.window.isVisible():
            self.window.close()
        if self.bridge is not None:
            self.bridge.detach()
        self.runner.stop()
        self.trimmer.stop()


class RemoteConsoleSession:
    """A thin console: no poller, alarm engine or history writer here — the servers' state
    through the broker, the operator's verbs as requests (console.app.doorway.RemoteDoorway)."""

    def __init__(
        self,
        session: RemoteSession,
        *,
        settings: QSettings | None = None,
        title: str = "heatconsole",
        window_factory: WindowFactory | None = None,
    ) -> None:
        tune_malloc()
        self.session = session
        self.bridge: ServiceBridge | None = None
        self.window: MainWindow | None = None
        self._settings = settings
        self._title = title
        self.trimmer = MallocTrimmer()  # a thin console runs for weeks too
        self._window_factory = window_factory or MainWindow

    def start(self, wait_s: float = 5.0) -> MainWindow:
        """Connect (LinkError: refused login, no broker), wait for the servers' description of
        the network (retained: it comes at once), open the window."""
        from console.app.doorway import RemoteDoorway

        self.bridge = ServiceBridge(None, source=self.session)
        self.session.start()
        end = time.monotonic() + wait_s
        # The merged network, not only a partition's arrival: the window is built from it.
        while not self.session.net.stations and time.monotonic() < end:
            time.sleep(0.02)
        if not self.session.net.stations:
            self.session.stop()
            raise RuntimeError(
                "no acquisition server has published its network on this broker "
                "(is `heatconsole server` running?)"
            )
        doorway = RemoteDoorway(self.bridge, self.session)
        self.trimmer.start()
        self.window = self._window_factory(
            self.bridge, settings=self._settings, title=self._title, doorway=doorway
        )
        if doorway.net is not getattr(self.window, "net", doorway.net):
            # Another server's description came while the window was being built (before it
            # listened): this thread's emit reaches it directly.
            doorway.network_changed.emit(doorway.net)
        return self.window

    def stop(self) -> None:
        if self.window is not None and self.window.isVisible():
            self.window.close()
        if self.bridge is not None:
            self.bridge.detach()
        self.trimmer.stop()
        self.session.stop()
