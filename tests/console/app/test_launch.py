"""The console session's malloc trimmer: glibc's free heap pages go back to the kernel on a
daemon thread while the window runs, and the thread ends with the session."""

from __future__ import annotations

import ctypes
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from console.app.launch import ConsoleSession, MallocTrimmer


def _trim_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "malloc-trim"]


def _wait(cond: object, timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_trimmer_trims_on_its_thread_until_stopped() -> None:
    trimmer = MallocTrimmer(interval=0.01)
    if not trimmer.available:
        pytest.skip("not glibc: no malloc_trim")
    # Heap blocks freed on another thread: the kind of free space the trimmer hands back.
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(96 * 1024) for _ in range(64)]
    for b in blocks:
        libc.free(b)
    trimmer.start()
    trimmer.start()  # idempotent: still one thread
    try:
        assert len(_trim_threads()) == 1
        assert _wait(lambda: trimmer.runs >= 3), trimmer.runs
        assert trimmer.seconds >= trimmer.longest > 0.0
    finally:
        trimmer.stop()
    assert _trim_threads() == []
    runs = trimmer.runs
    time.sleep(0.05)
    assert trimmer.runs == runs  # nothing after stop


def test_console_session_runs_the_trimmer_while_open(qtbot, threaded_simulator, tmp_path: Path):
    net = threaded_simulator.sim.network_with_endpoints()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    session = ConsoleSession(net, journal_path=tmp_path / "journal.sqlite", settings=settings)
    if not session.trimmer.available:
        pytest.skip("not glibc: no malloc_trim")
    assert _trim_threads() == []
    win = session.start()
    qtbot.addWidget(win)
    try:
        assert len(_trim_threads()) == 1
        assert session.trimmer.interval > 0
    finally:
        session.stop()
    assert _trim_threads() == []
