"""The wall display's window: full screen, no interaction, fed by the same ServiceBridge.

Like the console window it receives `Snapshot`s through the bridge's queued signal and applies
only the newest on a timer (a burst of snapshots costs one redraw). It acts on nothing: no
doorway verbs, no focus, no menus, the mouse pointer hidden. Esc or closing the window ends it
(the session then stops the service, or logs the thin console out).

`ConsoleSession(..., window_factory=WallWindow)` / `RemoteConsoleSession(...)` build it in
place of the MainWindow; `functools.partial(WallWindow, cycle_s=30)` sets the district cycle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.app.adapters import Snapshot
from console.app.bridge import ServiceBridge
from console.app.doorway import Doorway
from station_config.schema import NetworkDef
from widgets.locale_format import number
from widgets.wall_display import CYCLE_S, WallDisplay

APPLY_MS = 250  # at most 4 redraws per second, as the console window


class WallWindow(QWidget):
    first_complete_scan = Signal()  # once: the first snapshot of a complete scan was drawn

    def __init__(
        self,
        bridge: ServiceBridge,
        *,
        journal_path: str | Path | None = None,
        settings: QSettings | None = None,
        title: str = "heatconsole",
        doorway: Doorway | None = None,
        cycle_s: float = CYCLE_S,
        full_screen: bool = True,
    ) -> None:
        """The MainWindow's keywords are accepted so the sessions can build either; the wall
        uses none of the journal, settings or doorway (it does nothing an operator does)."""
        super().__init__()
        del journal_path, settings  # nothing read, nothing saved
        self.bridge = bridge
        self.doorway = doorway
        self.net = bridge.service.net
        self._title = title
        self.display = WallDisplay(cycle_s=cycle_s)
        self.display.set_network(self.net)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.display)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the window alone: Esc reaches it
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self._snap: Snapshot | None = None
        self._dirty = False
        self._complete_drawn = False
        bridge.snapshot.connect(self._on_snapshot)
        if doorway is not None:
            doorway.network_changed.connect(self._on_network)
        self._timer = QTimer(self)
        self._timer.setInterval(APPLY_MS)
        self._timer.timeout.connect(self._apply)
        self._timer.start()
        self.resize(1920, 1080)
        if full_screen:
            self.setWindowState(Qt.WindowState.WindowFullScreen)  # show() opens it so
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(
            self.tr("{title} — wall display — {network}").format(
                title=self._title, network=self.net.name
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self._snap is not None:
                self._dirty = True  # the time note is worded again
        super().changeEvent(event)

    @Slot(object)
    def _on_network(self, net: NetworkDef) -> None:
        """Another partition's server joined the control room: its stations and districts join
        the map and the district cycle, as on the console window."""
        self.net = net
        self.display.set_network(net)
        self._dirty = self._snap is not None

    @Slot(object)
    def _on_snapshot(self, snap: Snapshot) -> None:
        self._snap = snap  # only the newest counts
        self._dirty = True
        if snap.urgent:
            QTimer.singleShot(0, self._apply)

    def apply(self, snap: Snapshot) -> None:
        """Show `snap` now (what the timer does with the newest one; tests and screenshots)."""
        self._snap = snap
        self._dirty = True
        self._apply()

    def _apply(self) -> None:
        if not self._dirty or self._snap is None:
            return
        self._dirty = False
        snap = self._snap
        d = self.display
        d.set_states(snap.states)
        d.set_figures(snap.figures)
        d.set_alarms(snap.alarms)
        d.set_time(snap.time)
        st = snap.status
        d.set_link_problem(st.link_problem)
        scale = st.time_scale
        d.set_time_note(
            self.tr("simulated time ×{scale}").format(scale=number(scale, 0))
            if scale != 1.0
            else ""
        )
        if st.complete and not self._complete_drawn:
            self._complete_drawn = True
            self.first_complete_scan.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        event.ignore()  # nothing else does anything

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        self.display.cycle_timer.stop()
        self.bridge.detach()
        if self.doorway is not None:
            self.doorway.close()
        super().closeEvent(event)


def wall_factory(cycle_s: float = CYCLE_S, full_screen: bool = True) -> Any:
    """A `window_factory` for the sessions: WallWindow with these options."""

    def build(bridge: ServiceBridge, **kw: Any) -> WallWindow:
        return WallWindow(bridge, cycle_s=cycle_s, full_screen=full_screen, **kw)

    return build
