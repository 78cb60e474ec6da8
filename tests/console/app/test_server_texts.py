"""The stores' status (the history paused or buffering, a store's system alarm) in Chinese on a
zh_CN console, single seat and thin console: the history on a real small filesystem (a tmpfs
with less free than it needs), the simulator over loopback Modbus TCP, a real Mosquitto for the
thin console. The English stays for other readers (the server's `stores`, the journal)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

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
from console.core.store_and_forward import MIB
from console.remote.link import BrokerAddress
from console.remote.session import RemoteSession
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from tests.console.core.disk_full import small_filesystem
from tests.console.core.history.helpers import scans, tables, wait_for
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


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    with small_filesystem(tmp_path, FS_BYTES) as mnt:
        yield mnt


def shorten_commit_window(service: ConsoleService) -> None:
    """Commit the history every 0.2 s, not 30 s (set before the writer's first batch): its
    first commit finds the disk short at once."""
    assert service.history is not None
    service.history.writer.batch_s = 0.2


def english_free(text: str) -> None:
    for word in ("history", "PAUSED", "ALARM", "disk short", "samples"):
        assert word not in text, f"{word!r} left in {text!r}"


@pytest.mark.usefixtures("zh")
def test_single_seat_says_a_paused_history_in_chinese(
    qtbot, threaded_simulator, small_fs, tmp_path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    session = ConsoleSession(
        threaded_simulator.sim.network_with_endpoints(), journal_path=small_fs / "j.sqlite",
        user="王调度", settings=settings, batch_interval=0.1,
    )  # fmt: skip
    shorten_commit_window(session.service)
    win = session.start()
    qtbot.addWidget(win)
    try:
        win.show()
        qtbot.waitUntil(lambda: PAUSED in win.status_journal.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: ALARM in win.status_journal.text(), timeout=WAIT_MS)
        text = win.status_journal.text()
        assert PAUSED_PART.search(text) and "日志：正在写入" in text, text
        english_free(text)
        # The service's own text stays English (logs, other readers), its parts coded.
        english = session.service.store_text()
        assert english is not None and "history: PAUSED — disk short: " in english
        assert "CRITICAL ALARM UNACK: history cannot write" in english
    finally:
        session.stop()


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


@pytest.fixture
def history_short_server(mosquitto, threaded_simulator, small_fs) -> Iterator[tuple]:
    """A server whose history is on the small filesystem, on its own thread."""
    broker = mosquitto(users=USERS)
    server = AcquisitionServer(
        threaded_simulator.sim.network_with_endpoints(), Partition.parse("north=all"),
        BrokerAddress.parse(broker.url), ServerLogin("srv", PW), roles_from(broker.store),
        journal_path=small_fs / "north.sqlite", history_path=small_fs / "north.history.sqlite",
    )  # fmt: skip
    shorten_commit_window(server.service)
    runner = ServerThread(server)
    runner.start()
    try:
        yield broker
    finally:
        runner.stop()


@pytest.mark.usefixtures("zh")
def test_thin_console_says_its_servers_paused_history_in_chinese(
    qtbot, history_short_server, tmp_path
) -> None:
    broker = history_short_server
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    thin = RemoteConsoleSession(
        RemoteSession(BrokerAddress.parse(broker.url), "wang", PW), settings=settings
    )
    plain = RemoteSession(BrokerAddress.parse(broker.url), "wang", PW)  # no wording: English
    try:
        win = thin.start()
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: PAUSED in win.status_journal.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: ALARM in win.status_journal.text(), timeout=WAIT_MS)
        text = win.status_journal.text()
        assert text.startswith("north: ") and PAUSED_PART.search(text), text
        english_free(text)
        plain.start()

        def english() -> str:
            return plain.call(plain.mirror.journal_text).result(5)

        qtbot.waitUntil(lambda: "CRITICAL ALARM UNACK: history cannot write" in english())
        assert "history: PAUSED — disk short: " in english()
    finally:
        plain.stop()
        thin.stop()
