"""`heatconsole log` / `log note` / `log export` / `log import` / `handover` end to end."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from console.cli import main
from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.journal import store


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "journal.sqlite"
    monkeypatch.setenv("HEATCONSOLE_JOURNAL", str(path))
    monkeypatch.setenv("HEATCONSOLE_CONFIG_DIR", str(tmp_path / "config"))  # signing keys
    return path


def test_note_then_list(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["log", "note", "泵有异响, check tomorrow", "--user", "张三"]) == 0
    assert journal.is_file()  # directories and journal created
    capsys.readouterr()
    assert main(["log", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["kind"] == "operator" and data[0]["action"] == "note"
    # A name given on a standalone console is recorded as claimed, not as that user's (issue 10).
    assert data[0]["user"].startswith("张三 (local, unverified; login ")
    assert data[0]["message"] == "泵有异响, check tomorrow"
    assert main(["log", "--kind", "operator", "--text", "异响"]) == 0
    out = capsys.readouterr()
    assert "张三" in out.out and "1 record(s)" in out.err


def test_filters_and_formats(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal.parent.mkdir(parents=True)
    conn = store.connect(journal, create=True)
    store.insert_events(
        conn,
        [
            JournalEvent(Kind.ALARM, f"a{i}", station=f"s{i % 3}", priority=Priority.HIGH,
                         state=AlarmState.UNACK, time=1_700_000_000 + i)
            for i in range(30)
        ],
    )  # fmt: skip
    conn.close()
    assert main(["log", "--station", "s1,s2", "--format", "csv", "--priority", "high+"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 20 and {r["station"] for r in rows} == {"s1", "s2"}
    assert main(["log", "--limit", "5"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[-1].split()[-1] == "a29"  # newest five, oldest first
    assert "25 older not shown" in out.err
    assert main(["log", "--since", "2023-11-14", "--until", "2023-11-14", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 30


def test_hostile_text_reaches_no_terminal_raw(
    journal: Path,
    capsys: pytest.CaptureFixture[str],
    hostile: tuple[str, ...],
    assert_inert: Callable[[str], None],
) -> None:
    """Every text column of an (imported) journal, through table, CSV and JSON output."""
    journal.parent.mkdir(parents=True)
    conn = store.connect(journal, create=True)
    events = [
        JournalEvent(Kind.OPERATOR, f"msg {h}", time=1000.0 + i, station=h, user=h, comment=h,
                     alarm=h, action="note", console=h, details={"why": h})
        for i, h in enumerate(hostile)
    ] + [
        JournalEvent(Kind.OPERATOR, '=HYPERLINK("http://evil.example","ok")', time=2000.0,
                     user="+1", station="@SUM(A1)", comment="-2+3", value=-3.5),
    ]  # fmt: skip
    store.insert_events(conn, events)
    conn.close()

    assert main(["log", "--since", "1970-01-01", "--limit", "0"]) == 0
    out = capsys.readouterr()
    assert_inert(out.out + out.err)
    assert out.out.count("\\x1b") >= 4  # shown as escapes, not dropped

    assert main(["log", "--since", "1970-01-01", "--format", "csv"]) == 0
    text = capsys.readouterr().out
    assert_inert(text.replace("\r\n", "\n"))
    rows = list(csv.DictReader(io.StringIO(text)))
    last = rows[-1]
    assert last["message"].startswith("'=HYPERLINK") and last["user"] == "'+1"
    assert last["station"] == "'@SUM(A1)" and last["comment"] == "'-2+3"
    assert float(last["value"]) == -3.5  # a number stays a number

    assert main(["log", "--since", "1970-01-01", "--format", "json"]) == 0
    text = capsys.readouterr().out
    assert_inert(text)
    data = json.loads(text)  # escaped in JSON's own way: the exact strings come back
    assert [d["station"] for d in data[: len(hostile)]] == list(hostile)
    assert data[0]["console"] == hostile[0] and data[-1]["station"] == "@SUM(A1)"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["log", "--since", "yesterdayish"], "cannot read time"),
        (["log", "--priority", "urgent"], "unknown priority"),
        (["log", "--shift", "last", "--since", "08:00"], "either --shift"),
        (["log", "--since", "2026-01-02", "--until", "2026-01-01"], "is not before"),
        (["log", "--shift-boundaries", "8am", "--shift", "last"], "bad shift boundary"),
        (["log", "--journal", "/nonexistent/j.sqlite"], "no journal"),
        (["log", "import", "/nonexistent/b.hcj"], "no such bundle"),
        (["handover", "--journal", "/nonexistent/j.sqlite", "-o", "x.html"], "no journal"),
    ],
)
def test_bad_input_exit_2(
    journal: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    journal.parent.mkdir(parents=True)
    store.connect(journal, create=True).close()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_not_a_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not sqlite " * 500)
    assert main(["log", "--journal", str(junk)]) == 2
    assert "not a heatconsole journal" in capsys.readouterr().err
    assert main(["log", "import", str(junk), "--journal", str(tmp_path / "j.sqlite")]) == 2
    assert "not a heatconsole journal bundle" in capsys.readouterr().err


def test_export_import_and_handover(
    journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["log", "note", "one", "--user", "a"]) == 0
    assert main(["log", "note", "two", "--user", "b"]) == 0
    capsys.readouterr()
    bundle = tmp_path / "field.hcj"
    assert main(["log", "export", "--user", "a", "-o", str(bundle)]) == 0
    assert "exported 1 record(s)" in capsys.readouterr().out
    other = tmp_path / "ctl.sqlite"
    assert main(["log", "import", str(bundle), "--journal", str(other)]) == 0
    assert "1 added, 0 already present" in capsys.readouterr().out
    assert main(["log", "import", str(bundle), "--journal", str(other)]) == 0
    assert "0 added, 1 already present" in capsys.readouterr().out

    report = tmp_path / "report.html"
    assert main(["handover", "--since", "1h", "-o", str(report)]) == 0
    assert "wrote" in capsys.readouterr().out
    html = report.read_text(encoding="utf-8")
    assert "Operator notes" in html and "two" in html
    assert main(["handover", "--shift", "current", "-o", str(report)]) == 0
