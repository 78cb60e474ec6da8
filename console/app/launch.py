"""Start the service on its runner thread and open the window; shared by demo/run/screenshot.

`ConsoleSession` owns the order of shutdown: window closed -> bridge detached -> service stopped
on its own loop (poller closed, journal flushed and closed) -> runner thread joined.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
import threading
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

# How often the console hands glibc's free heap pages back to the kernel (MallocTrimmer).
TRIM_INTERVAL_S = 60.0

# Blocks of at least this size get a mapping of their own, unmapped when freed (tune_malloc).
MMAP_THRESHOLD = 256 * 1024
_M_MMAP_THRESHOLD = -3  # mallopt(3) parameter numbers, <malloc.h>


# SQLite's heap in the console process (every connection's page cache, statements): past it SQLite
# recycles cache pages instead of allocating more (limit_sqlite_heap).
SQLITE_SOFT_HEAP_LIMIT = 40 * 2**20


def _glibc(name: str) -> Any:
    """A glibc malloc function, or None (another C library: nothing to do)."""
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return getattr(lib, name)
    except (OSError, AttributeError):
        return None


def _glibc_trim() -> Any:
    fn = _glibc("malloc_trim")
    if fn is not None:
        fn.argtypes, fn.restype = [ctypes.c_size_t], ctypes.c_int
    return fn


def tune_malloc(mmap_threshold: int = MMAP_THRESHOLD) -> bool:
    """Fix glibc's mmap threshold for the console process; False when not glibc.

    glibc raises its threshold every time a mapped block is freed (up to 32 MiB): after the
    first large snapshot list or numpy temporary is freed, every block below that size is carved
    out of an arena instead. Such blocks of a few 100 KiB come and go with every batch and land
    between longer-lived ones, so the service thread's arena only grows, mostly free space
    (BENCHMARKS.md, "Memory over a shift"). A fixed threshold also turns the adjustment off:
    blocks from 256 KiB up are mapped singly and given back whole on free. Call it before the
    service and window start (it is process-wide; blocks already in the arenas stay there).
    """
    fn = _glibc("mallopt")
    if fn is None:
        return False
    fn.argtypes, fn.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(fn(_M_MMAP_THRESHOLD, mmap_threshold))


def limit_sqlite_heap(limit: int = SQLITE_SOFT_HEAP_LIMIT) -> bool:
    """Set SQLite's soft heap limit for the process; False when the call is not to be had.

    The journal's and the history's connections each keep up to 32 MiB of page cache
    (PRAGMA cache_size) and fill it as their files grow over a shift: SQLite's heap grew 0.23
    MiB/min for as long as the window ran (46 -> 55 MiB in 45 minutes, bench_gui --hold-minutes),
    towards several caps. Under a soft limit SQLite reuses its least recently used cache pages
    instead (the operating system's file cache still holds them); it fails no allocation. It is
    looked up through the sqlite3 module's own library, so it reaches the SQLite that module
    uses, linked in or shared.
    """
    try:
        import _sqlite3

        fn = ctypes.CDLL(_sqlite3.__file__).sqlite3_soft_heap_limit64
    except (ImportError, OSError, AttributeError):
        return False
    fn.argtypes, fn.restype = [ctypes.c_int64], ctypes.c_int64
    fn(limit)
    return True


class MallocTrimmer:
    """Returns the free pages inside glibc's heaps to the kernel every `interval` seconds.

    The service thread's snapshot builds and alarm batches churn blocks that glibc's dynamic
    mmap threshold keeps inside its arenas; the freed space stays resident and, the heap being
    fragmented, keeps growing: on a cold night the service thread's arena went 74 -> 191 MiB in
    30 minutes, 124-167 MiB of it free (bench_gui --hold-minutes, BENCHMARKS.md). malloc_trim(0)
    releases every whole free page of every arena (madvise), leaving the address space to be
    reused: the window's RSS measured 50-115 MiB lower at the same minute. It does not stop the
    arena from spreading (the churn's own fix is still to come). It runs on its own daemon
    thread: ctypes releases the GIL for the call, so neither the GUI nor the service thread waits
    on it beyond glibc's per-arena lock (28 calls took 2.6 s in all under load).
    (A fixed 64 KiB mmap threshold also flattened the curve but cost ~4 % of a core.)
    """

    def __init__(self, interval: float = TRIM_INTERVAL_S) -> None:
        self.interval = interval
        self.runs = 0
        self.seconds = 0.0  # spent inside malloc_trim, total
        self.longest = 0.0  # the longest single call, seconds
        self._trim = _glibc_trim()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return self._trim is not None

    def trim(self) -> None:
        if self._trim is None:
            return
        t0 = time.perf_counter()
        self._trim(0)
        dt = time.perf_counter() - t0
        self.seconds += dt
        self.longest = max(self.longest, dt)
        self.runs += 1

    def start(self) -> None:
        if self._trim is None or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="malloc-trim", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.trim()


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
        app = QApplication(argv or ["heatconsole"])
        app.setOrganizationName("heatconsole")
        app.setApplicationName("console")
        from widgets.theme import apply_theme

        apply_theme(app)
        i18n.install(i18n.choose_language(language, QSettings()), app)
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
    ) -> None:
        tune_malloc()  # before the service's and the window's allocations
        limit_sqlite_heap()
        self.service = ConsoleService(
            net,
            journal_path=journal_path,
            user=user,
            config_file=config_file,
            batch_interval=batch_interval,
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
