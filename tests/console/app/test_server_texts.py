"""The stores' status (the history paused or buffering, the journal buffering or without its
disk reserve, a store's system alarm) in Chinese on a zh_CN console, single seat and thin
console: the stores on a real small filesystem (a tmpfs with less free than they need), the
simulator over loopback Modbus TCP, a real Mosquitto for the thin console. The English stays for
other readers (the server's `stores`, the journal)."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from console.app import i18n
from console.app.launch import ConsoleSession, RemoteConsoleSession
from console.app.server_texts import part_words, stores_words
from console.commands.server import roles_from
from console.control_room.trial import ServerThread
from console.core.history import store
from console.core.history.writer import HistoryWriter
from console.core.journal.writer import WriterState
from console.core.service import ConsoleService
from console.core.status_words import StatusText, Words
from console.core.store_and_forward import MIB
from console.remote.link import BrokerAddress
from console.remote.session import RemoteSession
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from tests.console.core.disk_full import small_filesystem
from tests.console.core.history.helpers import scans, tables, wait_for
from tests.console.core.journal.test_writer import ev, full_disk_writer
from tests.widgets.test_zh_cn import zh  # noqa: F401  (the fixture)

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator")}
WAIT_MS = 20_000
# Room for the journal and its 16 MiB disk reserve, less than the history's 64 MiB minimum free:
# the history pauses from its first commit, the journal writes.
FS_BYTES = 40 * MIB
PAUSED = "历史记录：已暂停 — 磁盘空间不足：剩余 "
# The whole part: what is free, what it needs (64 MiB to write, 96 to resume), the gap.
PAUSED_PART = re.compile(
    r"历史记录：已暂停 — 磁盘空间不足：剩余 [\d.]+ MB，历史记录需要 (64|96) MB；"
    r"趋势有断档（已丢弃 \d+ 个采样）"
)
ALARM = "紧急报警 未确认：历史数据无法写入"  # the history's system alarm, unacknowledged


# Too small for the journal's 16 MiB disk reserve as well: the journal writes without it.
TINY_FS_BYTES = 8 * MIB
LATIN = re.compile(r"[A-Za-z]+")


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    with small_filesystem(tmp_path, FS_BYTES) as mnt:
        yield mnt


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    with small_filesystem(tmp_path, TINY_FS_BYTES) as mnt:
        yield mnt


def latin_left(text: str, *theirs: str) -> list[str]:
    """The Latin words left in `text` besides the units (MB) and `theirs` (an error's own
    words, passed through as they came)."""
    for t in theirs:
        text = text.replace(t, "")
    return [w for w in LATIN.findall(text) if w != "MB"]


def shorten_commit_window(service: ConsoleService) -> None:
    """Commit the history every 0.2 s, not 30 s (set before the writer's first batch): its
    first commit finds the disk short at once."""
    assert service.history is not None
    service.history.writer.batch_s = 0.2


def english_free(text: str) -> None:
    for word in ("history", "PAUSED", "ALARM", "disk short", "samples"):
        assert word not in text, f"{word!r} left in {text!r}"


@contextlib.contextmanager
def seat_on(qtbot, threaded_simulator, fs: Path, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """A single seat whose journal and history are on `fs`, its window shown."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    session = ConsoleSession(
        threaded_simulator.sim.network_with_endpoints(), journal_path=fs / "j.sqlite",
        user="王调度", settings=settings, batch_interval=0.1,
    )  # fmt: skip
    shorten_commit_window(session.service)
    win = session.start()
    qtbot.addWidget(win)
    try:
        win.show()
        yield session, win
    finally:
        session.stop()


@contextlib.contextmanager
def thin_on(qtbot, broker: Any, tmp_path: Path) -> Iterator[Any]:
    """A thin console on `broker` as wang, its window shown."""
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    thin = RemoteConsoleSession(
        RemoteSession(BrokerAddress.parse(broker.url), "wang", PW), settings=settings
    )
    try:
        win = thin.start()
        qtbot.addWidget(win)
        win.show()
        yield win
    finally:
        thin.stop()


@pytest.mark.usefixtures("zh")
def test_single_seat_says_a_paused_history_in_chinese(
    qtbot, threaded_simulator, small_fs, tmp_path
) -> None:
    with seat_on(qtbot, threaded_simulator, small_fs, tmp_path) as (session, win):
        qtbot.waitUntil(lambda: PAUSED in win.status_journal.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: ALARM in win.status_journal.text(), timeout=WAIT_MS)
        text = win.status_journal.text()
        assert PAUSED_PART.search(text) and "日志：正在写入" in text, text
        english_free(text)
        # The service's own text stays English (logs, other readers), its parts coded.
        english = session.service.store_text()
        assert english is not None and "history: PAUSED — disk short: " in english
        assert "CRITICAL ALARM UNACK: history cannot write" in english


def test_a_buffering_history_is_worded_from_its_code(qapp, tmp_path, small_network) -> None:
    """Another program holds the history file locked: the writer buffers (the real writer,
    a real SQLite lock), and its status is worded in Chinese from its code and arguments."""
    path = tmp_path / "history.sqlite"
    tb = tables(small_network)
    store.connect(path, create=True, bucket_s=600).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    w = HistoryWriter(path, tb, batch_s=0.01, backoff=(0.02, 0.1), busy_timeout_ms=20)
    try:
        for k in range(20):
            w.submit_scans(scans(tb, k))
        assert wait_for(lambda: w.status().state is WriterState.BUFFERING)
        words = w.status().describe()
        assert words.startswith("history: buffering ") and "database is locked" in words
        assert part_words(words) == words  # English interface: the same text
        assert i18n.install(i18n.CHINESE, qapp) == i18n.CHINESE
        try:
            said = part_words(words)
            # Through JSON, as a server's status carries it: the same words.
            assert said == part_words(words.doc()) == stores_words([words.doc()])
        finally:
            i18n.install("en", qapp)
        n = w.status().pending
        assert said is not None and said.startswith(f"历史记录：暂存 {n} 个采样在内存中 — ")
        assert said.endswith("database is locked")  # SQLite's own words
    finally:
        other.execute("ROLLBACK")
        other.close()
        assert w.close()


@contextlib.contextmanager
def server_on(mosquitto, threaded_simulator, fs: Path) -> Iterator[Any]:
    """A server whose journal and history are on `fs`, on its own thread; yields its broker."""
    broker = mosquitto(users=USERS)
    server = AcquisitionServer(
        threaded_simulator.sim.network_with_endpoints(), Partition.parse("north=all"),
        BrokerAddress.parse(broker.url), ServerLogin("srv", PW), roles_from(broker.store),
        journal_path=fs / "north.sqlite", history_path=fs / "north.history.sqlite",
    )  # fmt: skip
    shorten_commit_window(server.service)
    runner = ServerThread(server)
    runner.start()
    try:
        yield broker
    finally:
        runner.stop()


@pytest.fixture
def history_short_server(mosquitto, threaded_simulator, small_fs) -> Iterator[Any]:
    """A server whose history is on the small filesystem (its journal writes)."""
    with server_on(mosquitto, threaded_simulator, small_fs) as broker:
        yield broker


@pytest.mark.usefixtures("zh")
def test_thin_console_says_its_servers_paused_history_in_chinese(
    qtbot, history_short_server, tmp_path
) -> None:
    broker = history_short_server
    plain = RemoteSession(BrokerAddress.parse(broker.url), "wang", PW)  # no wording: English
    with thin_on(qtbot, broker, tmp_path) as win, contextlib.ExitStack() as stack:
        qtbot.waitUntil(lambda: PAUSED in win.status_journal.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: ALARM in win.status_journal.text(), timeout=WAIT_MS)
        text = win.status_journal.text()
        assert text.startswith("north: ") and PAUSED_PART.search(text), text
        english_free(text)
        plain.start()
        stack.callback(plain.stop)

        def english() -> str:
            return plain.call(plain.mirror.journal_text).result(5)

        qtbot.waitUntil(lambda: "CRITICAL ALARM UNACK: history cannot write" in english())
        assert "history: PAUSED — disk short: " in english()


def test_a_journal_in_a_disk_full_episode_is_worded_in_chinese(qapp, tmp_path) -> None:
    """The real journal writer on a real SQLite file, ENOSPC injected at its COMMIT: on its
    reserve, then buffering with its buffer overflowing. Its status, the history's reason to
    yield to it and its SYSTEM records are worded in Chinese from their codes, directly and
    through JSON as a server's status carries them; only SQLite's own error stays English."""
    seen: list = []
    w, disk, _ = full_disk_writer(tmp_path, "sqlite", max_buffer=300, on_commit=seen.extend)
    said: list[tuple[Words, str]] = []  # (English, its reason or "")

    def look() -> None:
        st = w.status()
        said.append((st.describe(), str(st.reason or "")))
        short = w.disk_short()
        if short is not None:
            said.append((short, str(st.reason or "")))

    try:
        disk.full, disk.room = True, 1
        w.submit_many([ev(i) for i in range(100)])
        wait_for(lambda: w.status().reserve_missing)
        look()
        w.submit_many([ev(i) for i in range(100, 800)])
        wait_for(lambda: w.status().dropped > 0 and w.status().reason is not None)
        look()
        disk.full = False
        assert w.flush(20)
        wait_for(lambda: w.status().reserve_held == 1 << 20)
        look()
    finally:
        assert w.close()
    look()
    codes = {words.code for words, _ in said}
    assert {"journal_writing_reserve", "journal_cannot_write", "journal_writing",
            "journal_closed"} <= codes, codes  # fmt: skip
    assert codes & {"journal_buffering_dropped", "journal_failed_dropped"}, codes
    records = [e.message for e in seen if str(e.kind) == "system"]
    assert len(records) >= 5
    error = "OperationalError: database or disk is full"
    for m in records:
        said.append((m, error if error in m else ""))
    for words, _ in said:
        assert part_words(words) == words  # English interface: the same text

    assert i18n.install(i18n.CHINESE, qapp) == i18n.CHINESE
    try:
        worded = [(part_words(words), words, reason) for words, reason in said]
        line = StatusText([said[0][0], said[1][0]])
        thin = stores_words(line.doc())  # as a thin console words its server's `stores_words`
    finally:
        i18n.install("en", qapp)
    for zh_text, words, reason in worded:
        assert zh_text is not None and zh_text != words, words
        kinds = str(words.args_.get("kinds", ""))  # the dropped events by kind, as counted
        assert latin_left(zh_text, reason, kinds) == [], (zh_text, words)
    by_code = {words.code: zh_text for zh_text, words, _ in worded}
    assert by_code["journal_writing_reserve"].startswith("日志：正在写入（已提交 ")
    assert by_code["journal_writing_reserve"].endswith("— 磁盘预留空间已释放：磁盘已满")
    assert by_code["journal_reserve_released"].startswith(f"日志磁盘已满（{error}）：已释放 1.0 MB")
    assert by_code["journal_buffer_full"].startswith("日志缓存已满（300 条）")
    assert thin == f"{worded[0][0]} · {worded[1][0]}"


def english_free_journal(text: str) -> None:
    assert latin_left(text) == [], text
    assert "磁盘预留空间未建立：剩余 " in text and "需要 16 MB 及余量" in text, text


@pytest.mark.usefixtures("zh")
def test_single_seat_says_a_journal_without_its_reserve_in_chinese(
    qtbot, threaded_simulator, tiny_fs, tmp_path
) -> None:
    """The journal on a filesystem too small for its disk reserve: the window's store status
    line (the journal's state, the history paused, their system alarms) is all Chinese."""
    with seat_on(qtbot, threaded_simulator, tiny_fs, tmp_path) as (session, win):
        qtbot.waitUntil(lambda: "磁盘预留空间未建立" in win.status_journal.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: PAUSED in win.status_journal.text(), timeout=WAIT_MS)
        english_free_journal(win.status_journal.text())
        english = session.service.store_text()
        assert english is not None and "— DISK RESERVE not held: " in english


@pytest.fixture
def journal_short_server(mosquitto, threaded_simulator, tiny_fs) -> Iterator[Any]:
    """A server whose journal has no room for its disk reserve (its history pauses too)."""
    with server_on(mosquitto, threaded_simulator, tiny_fs) as broker:
        yield broker


@pytest.mark.usefixtures("zh")
def test_thin_console_says_its_servers_journal_without_its_reserve_in_chinese(
    qtbot, journal_short_server, tmp_path
) -> None:
    with thin_on(qtbot, journal_short_server, tmp_path) as win:
        qtbot.waitUntil(lambda: "磁盘预留空间未建立" in win.status_journal.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: PAUSED in win.status_journal.text(), timeout=WAIT_MS)
        text = win.status_journal.text()
        assert text.startswith("north: "), text
        english_free_journal(text.removeprefix("north: "))
