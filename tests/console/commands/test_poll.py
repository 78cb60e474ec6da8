"""`heatconsole poll`: --once against a simulator (the real CLI in a subprocess), the live
table into a pipe, and config errors printed without a traceback."""

from __future__ import annotations

import asyncio
import io
import itertools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import yaml

from console.cli import main
from console.commands.poll import run_live, run_once
from drivers.simulator.runner import Simulator

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests/fixtures/small_network.yaml"
TEMPLATE = ROOT / "station_config/templates/substation-v1.yaml"


def write_config(sim: Simulator, path: Path, names: Sequence[str] = ()) -> Path:
    """The fixture file with every station pointed at the simulator's bound endpoint (and the
    stations' names replaced by `names`, when given)."""
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["templates"] = [str(TEMPLATE)]
    for st, name in itertools.zip_longest(data["stations"], names[: len(data["stations"])]):
        st["host"], st["port"] = sim.endpoints[st["id"]]
        st["name"] = st["name"] if name is None else name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def run_cli(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "console.cli",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    return proc.returncode or 0, out.decode(), err.decode()


async def test_once_prints_every_station(static_simulator: Simulator, tmp_path: Path) -> None:
    cfg = write_config(static_simulator, tmp_path / "net.yaml")
    static_simulator.faults.set("xg-001", offline=True)
    rc, out, err = await run_cli("poll", "--config", str(cfg), "--once")
    assert rc == 0, err
    assert "Traceback" not in err
    lines = out.splitlines()
    for sid, name in [
        ("jx-001", "涧西一号站"),
        ("jx-002", "涧西二号站"),
        ("xg-001", "西工一号站"),
        ("xg-002", "西工二号站"),
    ]:
        row = next(ln for ln in lines if ln.startswith(sid))
        assert name in row
        if sid == "xg-001":
            assert "FAILED/COMM_FAIL" in row
        else:
            assert "OK/GOOD" in row and "-3.5" in row and "95.2" in row and "55.1/55.0" in row
    assert "3 GOOD / 0 STALE / 1 FAILED" in lines[-1]


async def test_once_prints_hostile_names_inert(
    static_simulator: Simulator,
    tmp_path: Path,
    hostile: tuple[str, ...],
    assert_inert: Callable[[str], None],
) -> None:
    """Station names from the config carrying terminal controls are shown, escaped."""
    names = [f"涧西{h}" for h in hostile[:4]]
    cfg = write_config(static_simulator, tmp_path / "net.yaml", names)
    rc, out, err = await run_cli("poll", "--config", str(cfg), "--once")
    assert rc == 0, err
    assert_inert(out)
    assert "\\x1b]0;" in out and "\\x9b31m" in out  # visible, as escapes
    assert out.count("涧西") == 4


async def test_once_fails_when_every_station_fails(
    static_simulator: Simulator, tmp_path: Path
) -> None:
    cfg = write_config(static_simulator, tmp_path / "net.yaml")
    for sid in static_simulator.endpoints:
        static_simulator.faults.set(sid, offline=True)
    rc, out, _ = await run_cli("poll", "--config", str(cfg), "--once")
    assert rc == 1
    assert "0 GOOD / 0 STALE / 4 FAILED" in out


@pytest.mark.parametrize("mode", ["byte_count", "tid_zero"])
async def test_bad_reply_is_comm_fail_with_a_reason_and_no_traceback(
    static_simulator: Simulator, tmp_path: Path, mode: str
) -> None:
    # A byte count that disagrees with the frame made pymodbus raise inside asyncio's
    # data_received ("Fatal error: protocol.data_received() call failed" + traceback on stderr);
    # a transaction id 0 answering another was taken as GOOD.
    cfg = write_config(static_simulator, tmp_path / "net.yaml")
    static_simulator.faults.set("jx-002", bad_reply=mode)
    rc, out, err = await run_cli("poll", "--config", str(cfg), "--once")
    assert rc == 0, err
    for text in ("Traceback", "Fatal error", "ModbusIOException", "pymodbus"):
        assert text not in err and text not in out
    row = next(ln for ln in out.splitlines() if ln.startswith("jx-002"))
    assert "FAILED/COMM_FAIL" in row and "bad reply" in row
    assert "3 GOOD / 0 STALE / 1 FAILED" in out.splitlines()[-1]


async def test_wrong_device_row_says_so_and_shows_none_of_its_values(
    static_simulator: Simulator, tmp_path: Path
) -> None:
    cfg = write_config(static_simulator, tmp_path / "net.yaml")
    static_simulator.faults.set("jx-001", answer_as="xg-002")  # 240 rooms behind jx-001's address
    rc, out, err = await run_cli("poll", "--config", str(cfg), "--once")
    assert rc == 0 and "Traceback" not in err
    row = next(ln for ln in out.splitlines() if ln.startswith("jx-001"))
    assert "WRONG/WRONG_DEVICE" in row and "wrong device: expected station 1, found 4" in row
    assert "-3.5" not in row and "/240" not in row  # none of xg-002's values under jx-001
    assert "3 GOOD / 0 STALE / 1 FAILED" in out.splitlines()[-1]


async def test_once_in_process_rows_and_rooms(static_simulator: Simulator) -> None:
    net = static_simulator.network_with_endpoints()
    out = io.StringIO()
    assert await run_once(net, out) == 0
    text = out.getvalue()
    row = next(ln for ln in text.splitlines() if ln.startswith("xg-002"))
    # 240 rooms around 19.5 °C; the table shows min/mean and how many are below 18 °C.
    i = static_simulator.physics.station_ids.index("xg-002")
    t = static_simulator.physics.tables[i]
    rooms = static_simulator.physics.values(i)[t.indices("room_temp")]
    assert f"{rooms.min():.1f}/{rooms.mean():.1f}" in row
    assert f"  {int((rooms < 18.0).sum())}  " in row


async def test_live_table_into_a_pipe_refreshes(static_simulator: Simulator) -> None:
    net = static_simulator.network_with_endpoints()
    out = io.StringIO()
    seen: list[str] = []
    rc = await run_live(
        net, out, interval=0.3, refreshes=3, consumers=[lambda s: seen.append(s.station_id)]
    )
    assert rc == 0
    text = out.getvalue()
    assert "\x1b[" not in text  # not a TTY: plain lines
    assert text.count("stations: ") == 3
    assert set(seen) == {"jx-001", "jx-002", "xg-001", "xg-002"}  # the pluggable consumer


async def test_live_table_in_chinese(static_simulator: Simulator, tmp_path: Path) -> None:
    """Under zh_CN the live table's headers, summary and journal line are Chinese; the station
    names and ids stay as configured."""
    from console import cli_i18n

    net = static_simulator.network_with_endpoints()
    out = io.StringIO()
    assert cli_i18n.use("zh_CN") == "zh_CN"
    try:
        rc = await run_live(net, out, interval=0.3, refreshes=2, journal=tmp_path / "j.sqlite")
    finally:
        cli_i18n.use("en")
    assert rc == 0
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:2] == ["热力站", "名称"] and "室温" in lines[0]
    assert any(ln.startswith("jx-001  涧西一号站") for ln in lines)
    summary = [ln for ln in lines if ln.startswith("热力站：")]
    assert len(summary) == 2 and "个正常 GOOD" in summary[-1]
    assert "报警：" in summary[-1] and "日志：正常写入" in summary[-1]


def test_journal_note_says_what_describe_says() -> None:
    """In English the poll's journal line is the writer's own describe(), state by state."""
    from console.commands.poll import journal_note
    from console.core.journal.writer import WriterState, WriterStatus

    for st in (
        WriterStatus(WriterState.WRITING, 0, 12, 0),
        WriterStatus(WriterState.WRITING, 0, 3, 0, reserve_size=10, reserve_note="released"),
        WriterStatus(WriterState.BUFFERING, 40, 3, 0, reason="disk full"),
        WriterStatus(WriterState.FAILED, 9, 3, 7, reason="not a journal"),
        WriterStatus(WriterState.CLOSED, 2, 3, 0),
    ):
        assert journal_note(st) == st.describe()


def test_config_error_is_printed_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstations:\n  - {id: a}\n", encoding="utf-8")
    rc = main(["poll", "--config", str(bad), "--once"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "bad.yaml" in err and "stations[0]" in err and "missing field" in err
    assert "Traceback" not in err


def test_missing_file_and_unknown_station(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["poll", "--config", "/nonexistent/net.yaml", "--once"]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["poll", "--config", str(FIXTURE), "--once", "--station", "nope"]) == 2
    assert "unknown station" in capsys.readouterr().err


async def test_live_poll_runs_the_alarm_engine_and_journals(
    static_simulator: Simulator, tmp_path: Path
) -> None:
    """A headless run leaves a full log: start, config, comm changes, stop."""
    import sqlite3

    net = static_simulator.network_with_endpoints()
    journal = tmp_path / "journal.sqlite"
    out = io.StringIO()
    rc = await run_live(net, out, interval=0.3, refreshes=3, journal=journal, user="field1")
    assert rc == 0
    assert "alarms: " in out.getvalue() and "journal: writing" in out.getvalue()
    with sqlite3.connect(journal) as db:
        kinds = [k for (k,) in db.execute("SELECT kind FROM events ORDER BY id")]
        users = {u for (u,) in db.execute("SELECT user FROM events WHERE user IS NOT NULL")}
    assert kinds[0] == "system" and kinds[-1] == "system"  # start ... stop
    assert "config" in kinds and "comm" in kinds
    assert users == {"field1"}
