"""`heatconsole handover --config`: the shift report with the heat-metering figures of a real
history file (beside the journal or named), in English and in Chinese; no history, no section."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from console import cli_i18n
from console.cli import main
from console.core.energy import from_history
from console.core.events import JournalEvent, Kind
from console.core.journal import store
from station_config.schema import NetworkDef

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests" / "console" / "core" / "energy"))
from helpers import HOUR, write_history  # noqa: E402

CONFIG = ROOT / "tests" / "fixtures" / "small_network.yaml"


@pytest.fixture
def shift(tmp_path: Path, small_network: NetworkDef) -> tuple[Path, Path]:
    """A journal with a note and, beside it, a history of two metered stations up to now."""
    now = time.time()
    start = now - 6 * HOUR
    history = tmp_path / "history.sqlite"
    write_history(history, small_network,
                  {"jx-001": lambda t: 50.0 + 2.0 * (t - start) / HOUR,
                   "xg-002": lambda t: 10.0 + 5.0 * (t - start) / HOUR},
                  dict.fromkeys(("jx-001", "xg-002"), lambda t: -5.0), start, now - 60)  # fmt: skip
    journal = tmp_path / "journal.sqlite"
    conn = store.connect(journal, create=True)
    store.insert_events(conn, [JournalEvent(Kind.OPERATOR, "泵有异响", action="note", user="王")])
    conn.close()
    return journal, history


def test_report_with_metering_figures(
    shift: tuple[Path, Path], tmp_path: Path, small_network: NetworkDef, capsys
) -> None:  # type: ignore[no-untyped-def]
    journal, history = shift
    out = tmp_path / "report.html"
    argv = ["handover", "--journal", str(journal), "--since", "7h", "-o", str(out)]
    assert main([*argv, "--config", str(CONFIG)]) == 0  # the history beside the journal
    stdout = capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    expected = from_history(small_network, history, now=time.time())
    section = text[text.index("<h2>Heat metering") :]
    metered = [s for s in expected.stations if s.station in ("jx-001", "xg-002")]
    for s in metered:
        assert s.station in section
        assert f"{s.figures['season'].energy_gj:,.1f}" in section  # the season's GJ
    xg = next(s for s in expected.stations if s.station == "xg-002")
    assert xg.figures["season"].energy_gj == pytest.approx(30.0, abs=1.5)  # 5 GJ/h for 6 h
    assert "heat metering: 2 stations" in stdout and "泵有异响" in text
    # A history named elsewhere: the same figures.
    other = tmp_path / "elsewhere" / "h.sqlite"
    other.parent.mkdir()
    shutil.copy(history, other)
    out2 = tmp_path / "report2.html"
    argv2 = ["handover", "--journal", str(journal), "--since", "7h", "-o", str(out2)]
    assert main([*argv2, "--config", str(CONFIG), "--history", str(other)]) == 0
    assert f"{xg.figures['season'].energy_gj:,.1f}" in out2.read_text(encoding="utf-8")


def test_report_in_chinese_with_metering(shift: tuple[Path, Path], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    journal, _ = shift
    out = tmp_path / "report.html"
    argv = ["--lang", "zh_CN", "handover", "--journal", str(journal), "--since", "7h"]
    try:
        assert main([*argv, "-o", str(out), "--config", str(CONFIG)]) == 0
    finally:
        cli_i18n.use("en")
    stdout = capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert stdout.startswith(f"已写入 {out}：") and "热计量：2 个热力站" in stdout
    assert "<h1>交接班报告</h1>" in text and "<h2>热计量（今日及自" in text
    assert "Heat metering" not in text and "Shift handover" not in text


def _rows_of(html_text: str, station: str) -> list[str]:
    """The report's table rows that name `station`."""
    return [row for row in html_text.split("<tr>") if f"<td>{station} " in row]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_metering_tables_name_the_districts(shift: tuple[Path, Path], tmp_path: Path,
                                            lang: str) -> None:  # fmt: skip
    """The dispatcher reads districts by name (涧西区), never by the file's id (jianxi)."""
    journal, _ = shift
    out = tmp_path / "report.html"
    argv = ["--lang", lang, "handover", "--journal", str(journal), "--since", "7h"]
    try:
        assert main([*argv, "-o", str(out), "--config", str(CONFIG)]) == 0
    finally:
        cli_i18n.use("en")
    text = out.read_text(encoding="utf-8")
    (jx,) = _rows_of(text, "jx-001")
    (xg,) = _rows_of(text, "xg-002")
    assert "<td>涧西区</td>" in jx and "<td>西工区</td>" in xg
    assert "jianxi" not in text and "xigong" not in text


def test_no_history_no_section_said_once(shift: tuple[Path, Path], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    journal, _ = shift
    out = tmp_path / "report.html"
    argv = ["handover", "--journal", str(journal), "--since", "7h", "-o", str(out)]
    missing = tmp_path / "none.sqlite"
    assert main([*argv, "--config", str(CONFIG), "--history", str(missing)]) == 0
    _, err = capsys.readouterr()
    assert f"no readable history at {missing}" in err
    assert out.is_file() and "Heat metering" not in out.read_text(encoding="utf-8")
    # --history without the network is a clear error, and a broken network file too.
    assert main([*argv, "--history", str(missing)]) == 2
    assert "--history needs --config" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("stations: [\n", encoding="utf-8")
    assert main([*argv, "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err
