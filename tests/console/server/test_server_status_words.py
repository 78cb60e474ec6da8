"""A server's status texts (its own alarms, its shared journal) reach a Chinese console in
Chinese: a real Mosquitto, a real PostgreSQL stopped under a running server, the simulator over
Modbus TCP. The status keeps the English for other readers; the console words it from the data
beside it (the server's alarm views, the forwarder's state)."""

from __future__ import annotations

import asyncio

import pytest

from console.app.server_texts import partition_words
from console.commands.server import roles_from
from console.remote.link import BrokerAddress
from console.remote.session import RemoteSession
from console.server.partition import Partition
from console.server.server import AcquisitionServer, ServerLogin
from tests.console.server.test_server_texts import zh  # noqa: F401 — the fixture
from tests.support.waiting import until

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator")}


@pytest.mark.usefixtures("zh")
async def test_a_shared_journal_outage_is_said_in_chinese(
    mosquitto, simulator, pg_journal, tmp_path
) -> None:
    broker = mosquitto(users=USERS)
    srv = AcquisitionServer(
        simulator.network_with_endpoints(), Partition.parse("north=all"),
        BrokerAddress.parse(broker.url), ServerLogin("srv", PW), roles_from(broker.store),
        journal_path=tmp_path / "north.sqlite", history_path=False, db=pg_journal.server_dsn,
    )  # fmt: skip
    wang = RemoteSession(BrokerAddress.parse(broker.url), "wang", PW)
    english = RemoteSession(BrokerAddress.parse(broker.url), "wang", PW)
    wang.mirror.words = partition_words  # as the window's doorway sets it
    await srv.start()
    try:
        await asyncio.to_thread(wang.start)
        await asyncio.to_thread(english.start)

        def said() -> str:
            return wang.call(wang.mirror.journal_text).result(5)

        assert await until(lambda: "共享日志：已连接" in said())
        await asyncio.to_thread(pg_journal.db.server.stop)
        await asyncio.wrap_future(wang.request("note", {"text": "during the outage"}, "north"))
        assert await until(lambda: "紧急报警 未确认：共享日志无法写入" in said(), 20)
        assert await until(lambda: "共享日志：正在重试" in said() and "暂存在本地日志" in said())
        text = said()
        assert "shared journal" not in text and "ALARM" not in text, text
        # Other readers (and a console without the wording) still get the server's English.
        plain = english.call(english.mirror.journal_text).result(5)
        assert "CRITICAL ALARM UNACK: shared journal cannot write" in plain
        assert "shared journal: retrying" in plain
    finally:
        await asyncio.to_thread(english.stop)
        await asyncio.to_thread(wang.stop)
        await srv.stop()
