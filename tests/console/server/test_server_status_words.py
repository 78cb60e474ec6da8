"""A server's status texts (its own alarms, its shared journal) reach a Chinese console in
Chinese: a real Mosquitto, a real PostgreSQL stopped under a running server, the simulator over
Modbus TCP. The status keeps the English for other readers; the console words it from the data
beside it (the server's alarm views, the forwarder's state)."""

from __future__ import annotations

import pytest

from console.app.server_texts import partition_words
from tests.support.waiting import until


@pytest.mark.usefixtures("zh")
async def test_a_shared_journal_outage_is_said_in_chinese(shared_journal_room) -> None:
    room = shared_journal_room
    wang = await room.console()
    english = await room.console()
    wang.mirror.words = partition_words  # as the window's doorway sets it

    def said() -> str:
        return wang.call(wang.mirror.journal_text).result(5)

    assert await until(lambda: "共享日志：已连接" in said())
    await room.outage(wang)
    assert await until(lambda: "紧急报警 未确认：共享日志无法写入" in said(), 20)
    assert await until(lambda: "共享日志：正在重试" in said() and "暂存在本地日志" in said())
    text = said()
    assert "shared journal" not in text and "ALARM" not in text, text
    # Other readers (and a console without the wording) still get the server's English.
    plain = english.call(english.mirror.journal_text).result(5)
    assert "CRITICAL ALARM UNACK: shared journal cannot write" in plain
    assert "shared journal: retrying" in plain
