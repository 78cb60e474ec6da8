"""Retiring a partition on a real Mosquitto: a network re-drawn (`all` → `north`) leaves the old
description and status retained; the live server's description wins meanwhile, `--retire`
clears the old one, and consoles drop it (no partition reported lost forever)."""

from __future__ import annotations

import asyncio

import pytest

from console.commands.server import run as server_command
from console.remote.link import BrokerAddress
from console.server.retire import RetireError, retire_partition
from tests.console.server.test_server import PW, room  # noqa: F401  (the fixture)
from tests.support.waiting import until


async def test_a_redrawn_network_and_its_retired_partition(room, capsys, monkeypatch) -> None:  # noqa: F811
    old = room.server("all", journal="all.sqlite")
    await old.start()
    await old.stop()  # its description stays retained, its status says offline
    north = room.server("north=district:jianxi", journal="north.sqlite")
    await north.start()
    wang = room.session("wang")
    await asyncio.to_thread(wang.start)
    assert await until(lambda: sorted(wang.mirror.partitions) == ["all", "north"])
    assert await until(lambda: wang.mirror.partitions["north"].online)
    # The old partition is reported lost; on the stations both describe, the live one wins.
    assert await until(lambda: "all" in wang.mirror.lost_partitions())
    assert wang.partition_of("jx-001") == "north"
    addr = BrokerAddress.parse(room.broker.url)
    with pytest.raises(RetireError, match="online"):
        await asyncio.to_thread(retire_partition, addr, "north", login="srv", password=PW)
    with pytest.raises(RetireError, match="no partition 'east'"):
        await asyncio.to_thread(retire_partition, addr, "east", login="srv", password=PW)
    with pytest.raises(RetireError, match=r"refused|not authorised|no answer"):
        await asyncio.to_thread(retire_partition, addr, "all", login="srv", password="wrong")
    # The command, as an operator would run it.
    monkeypatch.setenv("HEATCONSOLE_BROKER_PASSWORD", PW)
    args = type("A", (), {"broker": room.broker.url, "retire": "all", "login": "srv",
                          "ca": None, "password_file": None, "config": None})()  # fmt: skip
    assert await asyncio.to_thread(server_command, args) == 0
    assert "all" in capsys.readouterr().out
    assert await until(lambda: sorted(wang.mirror.partitions) == ["north"])
    assert wang.mirror.lost_partitions() == []
    assert sorted(s.id for s in wang.mirror.net.stations) == ["jx-001", "jx-002"]
    # A console joining now never hears of it.
    zhao = room.session("zhao")
    await asyncio.to_thread(zhao.start)
    assert await asyncio.to_thread(zhao.wait_complete, 5.0)
    assert sorted(zhao.mirror.partitions) == ["north"]
