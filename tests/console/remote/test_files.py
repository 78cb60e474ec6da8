"""A handover report and a journal export asked of a server and fetched in parts: a real
Mosquitto, a server on the simulator, its journal a real SQLite file."""

from __future__ import annotations

import asyncio
import re
import time
from contextlib import redirect_stdout

import pytest

from console import cli
from console.commands.server import roles_from
from console.core.events import JournalEvent, Kind
from console.core.journal.writer import JournalWriter
from console.remote import files
from console.remote.link import BrokerAddress
from console.remote.session import RemoteSession, RequestFailed
from console.server.partition import Partition
from console.server.prepared_files import PART_BYTES
from console.server.server import AcquisitionServer, ServerLogin

PW = "correct horse battery"
USERS = {"srv": (PW, "server"), "wang": (PW, "operator"), "zhao": (PW, "operator")}


def fill_journal(path, n: int, t0: float) -> None:
    """A journal with `n` notes of a shift before the server starts (several parts' worth)."""
    w = JournalWriter(path)
    w.submit_many(
        [
            JournalEvent(Kind.OPERATOR, f"note {i}: " + "x" * 300, time=t0 + i * 0.01,
                         user="wang", action="note", comment=f"round {i}")
            for i in range(n)
        ]
    )  # fmt: skip
    w.close()


async def test_a_large_export_comes_in_parts_equal_to_the_cli(mosquitto, simulator, tmp_path):
    broker = mosquitto(users=USERS)
    journal = tmp_path / "all.sqlite"
    t0 = time.time() - 3600
    fill_journal(journal, 5000, t0)
    srv = AcquisitionServer(
        simulator.network_with_endpoints(), Partition.parse("all"),
        BrokerAddress.parse(broker.url), ServerLogin("srv", PW), roles_from(broker.store),
        journal_path=journal, history_path=False,
    )  # fmt: skip
    wang = RemoteSession(BrokerAddress.parse(broker.url), "wang", PW)
    zhao = RemoteSession(BrokerAddress.parse(broker.url), "zhao", PW)
    await srv.start()
    try:
        for s in (wang, zhao):
            await asyncio.to_thread(s.start)
        until = t0 + 60
        args = {"since": t0 - 1, "until": until, "kind": ["operator"], "format": "csv"}
        out = tmp_path / "export.csv"
        offer = await asyncio.wrap_future(wang.request("export", args, "all"))
        assert offer["size"] > 2 * PART_BYTES  # several parts
        assert offer["source"] == "the journal of this server only"
        # Another user may not read it, not even knowing its name.
        with pytest.raises(RequestFailed, match="no such file"):
            await asyncio.wrap_future(zhao.request("file_part", {"file": offer["file"]}, "all"))
        size = await asyncio.to_thread(files.fetch_file, wang, "all", offer, out)
        assert size == offer["size"] == out.stat().st_size
        assert not list(tmp_path.glob("*.part"))
        assert offer["summary"]["records"] == 5000

        cli_out = tmp_path / "cli.csv"
        with cli_out.open("w", newline="", encoding="utf-8") as fh, redirect_stdout(fh):
            argv = ["log", "--journal", str(journal), "--since", _iso(t0 - 1),
                    "--until", _iso(until), "--kind", "operator", "--format", "csv"]  # fmt: skip
            assert await asyncio.to_thread(cli.main, argv) == 0
        assert out.read_bytes() == cli_out.read_bytes()

        # A handover of the same period, asked through the helper the window's doorway uses.
        report = tmp_path / "handover.html"
        r = await asyncio.to_thread(
            files.ask, wang, "handover", {"since": t0 - 1, "until": until}, "all", report
        )
        assert r["summary"]["raised"] == 0
        cli_report = tmp_path / "cli.html"
        argv = ["handover", "--journal", str(journal), "--since", _iso(t0 - 1),
                "--until", _iso(until), "-o", str(cli_report)]  # fmt: skip
        assert await asyncio.to_thread(cli.main, argv) == 0
        theirs, ours = (p.read_text(encoding="utf-8") for p in (report, cli_report))
        assert "round 0<" in theirs
        assert _without_generated(theirs) == _without_generated(ours)
        with pytest.raises(RequestFailed, match="ends after it begins"):
            await asyncio.wrap_future(wang.request("handover", {"since": 5, "until": 1}, "all"))
    finally:
        for s in (wang, zhao):
            await asyncio.to_thread(s.stop)
        await srv.stop()


def _without_generated(html: str) -> str:
    return re.sub(r" · generated [^·<]*", "", html)


def _iso(t: float) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(t).isoformat()


def test_the_whole_city_is_asked_of_one_server_with_the_shared_journal(small_network) -> None:
    """Servers that forward to the shared journal hold every partition's events: one is asked.
    Without one, each server answers for its own partition."""
    from console.remote import codec
    from console.server.partition import Partition

    session = RemoteSession(BrokerAddress.parse("mqtt://127.0.0.1:1"), "wang", PW)
    m = session.mirror
    for name, spec in (("south", "district:xigong"), ("north", "district:jianxi")):
        net = Partition.parse(f"{name}={spec}").select(small_network)
        m.apply_network(name, codec.encode_network(net))
        m.apply_status(name, codec.dumps({"v": 1, "partition": name, "online": True}))
    assert files.shared_partitions(session) == ["north", "south"]
    shared = {"v": 1, "partition": "south", "online": True, "shared_journal": "connected"}
    m.apply_status("south", codec.dumps(shared))
    assert files.shared_partitions(session) == ["south"]
