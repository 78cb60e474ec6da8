"""The one crossing from the service thread to the GUI thread.

`ServiceBridge.on_update` is a ConsoleService listener: it runs on the service thread after every
batch. At most every `min_interval` seconds (or at once when forced, e.g. after an operator
action or a new station view) it builds a `Snapshot` there — numpy work against state only that
thread may read — and emits `snapshot`. The bridge lives in the GUI thread, so Qt delivers the
signal queued; the GUI never calls into the service except through the runner.

Operator actions go the other way: `call`/`submit` run on the service loop via ServiceRunner,
and the result comes back through `action_done` / `write_done`, emitted from a future's done
callback (also on the service thread, so also queued).
"""

from __future__ import annotations

import concurrent.futures
import gc
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from console.app.adapters import SnapshotCache, build_snapshot
from console.core.service import ServiceUpdate
from console.core.service_runner import ServiceRunner

log = logging.getLogger(__name__)


# A snapshot may take at most this share of the service thread: on a cold night (thousands of
# alarms) building one costs ~0.1 s, and the service thread holds the GIL the GUI thread needs.
BUILD_DUTY = 0.25

# Operator interaction has priority over the live picture. While the operator pans/zooms a trend
# (or drags), the GUI calls `note_interaction`; a build that falls due then waits until
# INTERACTION_QUIET seconds after the last interaction, so a build (30-190 ms holding the GIL on a
# cold night) does not land in the middle of the repaints that follow the mouse. The live data
# keeps flowing into the service meanwhile; the window catches up with one snapshot right after.
# Bound: a due build is never deferred more than MAX_DEFER seconds (a new alarm reaches the window
# at most ~MAX_DEFER + one batch interval later than without interaction), also while the
# operator keeps dragging.
INTERACTION_QUIET = 0.6
MAX_DEFER = 2.0

# The cyclic GC is paused for a build (as in the fifth session). A helper's branch removed the
# pause and kept only this flag, which nothing in the bridge read: every "final code" run of
# bench_gui in the sixth session ran the GC inside builds (Alarms tab p99 30.8-62.5 ms, missed in
# 5 of 6); the fifth session's code, which paused, 38.4-52.1 ms (2 of 3 held), this code with
# the pause restored 50.8 ms (one run): within the noise either way. Read by
# bench/bench_snapshot.py to build as the bridge does.
GC_PAUSED_IN_BUILD = True


class ServiceBridge(QObject):
    snapshot = Signal(object)  # adapters.Snapshot
    action_done = Signal(str, object, object)  # what, result, exception (None = ok)

    def __init__(
        self, runner: ServiceRunner | None, min_interval: float = 0.4, *, source: Any = None
    ) -> None:
        """`runner`: the single seat's service thread; or `source`: a thin console's session
        (console.remote.session.RemoteSession) — anything with `listeners`, `net` and a
        `picture` (core.picture.PlantPicture) that calls its listeners on its own thread."""
        super().__init__()
        self.runner = runner
        self.service = source if source is not None else runner.service  # type: ignore[union-attr]
        self.min_interval = min_interval
        # Written by the GUI, read by the service thread: plain attribute swaps, guarded so a
        # snapshot never sees a half-updated pair.
        self._lock = threading.Lock()
        self._focus: str | None = None
        self._trend_keys: tuple[str, ...] = ()
        self._force = True
        self._last_emit = 0.0
        self._interval = min_interval  # grows with the build time (BUILD_DUTY)
        self._cache = SnapshotCache()  # service thread only
        # Monotonic time of the operator's last pan/zoom/drag: one float written by the GUI
        # thread, read by the service thread (a single attribute swap, atomic under the GIL).
        self._interaction = -1e9
        self._due_since: float | None = None  # service thread only: a build waits since then
        self.deferred = 0  # builds put off for an interaction (status, tests)
        self.clock = time.monotonic
        self.service.listeners.append(self.on_update)

    def detach(self) -> None:
        if self.on_update in self.service.listeners:
            self.service.listeners.remove(self.on_update)

    # --- GUI side -------------------------------------------------------------------------
    def set_focus(self, station: str | None) -> None:
        with self._lock:
            self._focus = station
            self._force = True

    def set_trend_keys(self, keys: list[str]) -> None:
        with self._lock:
            self._trend_keys = tuple(keys)
            self._force = True

    def note_interaction(self) -> None:
        """The operator is panning/zooming/dragging: hold snapshot builds back (bounded)."""
        self._interaction = self.clock()

    def refresh(self) -> None:
        with self._lock:
            self._force = True

    def call(self, what: str, fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future:
        assert self.runner is not None, "a thin console acts through its doorway's requests"
        return self.track(what, self.runner.call(fn, *args))

    def submit(self, what: str, coro: Coroutine[Any, Any, Any]) -> concurrent.futures.Future:
        assert self.runner is not None, "a thin console acts through its doorway's requests"
        return self.track(what, self.runner.submit(coro))

    def track(self, what: str, fut: concurrent.futures.Future) -> concurrent.futures.Future:
        def done(f: concurrent.futures.Future) -> None:
            exc = f.exception()
            self.action_done.emit(what, None if exc else f.result(), exc)
            self.refresh()  # show the action's effect without waiting for the rate limit

        fut.add_done_callback(done)
        return fut

    # --- service side ---------------------------------------------------------------------
    def on_update(self, update: ServiceUpdate) -> None:
        now = self.clock()
        with self._lock:
            # `urgent`: a thin console's session saw alarms change (another seat acknowledged,
            # a new alarm): shown at once, not at the next rate-limited build.
            urgent = bool(update.stats.get("urgent"))
            due = self._force or urgent or now - self._last_emit >= self._interval
            if not due:
                return
            if now - self._interaction < INTERACTION_QUIET:
                if self._due_since is None:
                    self._due_since = now
                if now - self._due_since < MAX_DEFER:
                    self.deferred += 1
                    return  # still due (force kept): the first batch after the quiet builds it
            self._due_since = None
            self._force = False
            focus, keys = self._focus, self._trend_keys
        self._last_emit = now
        journal = update.journal.describe() if update.journal is not None else "journal: off"
        # A build allocates thousands of short-lived, acyclic objects on a cold night: the
        # cyclic GC would run dozens of times inside it while this thread holds the GIL the GUI
        # thread needs. Refcounting frees them.
        paused = GC_PAUSED_IN_BUILD and gc.isenabled()
        if paused:
            gc.disable()
        try:
            snap = build_snapshot(
                getattr(self.service, "picture", self.service),
                focus=focus,
                trend_keys=keys,
                batch_s=float(update.stats.get("batch_s", 0.0)),
                journal=journal,
                cache=self._cache,
            )
        finally:
            if paused:
                gc.enable()
        self._interval = max(self.min_interval, (self.clock() - now) / BUILD_DUTY)
        if urgent:
            snap = replace(snap, urgent=True)
        self.snapshot.emit(snap)
