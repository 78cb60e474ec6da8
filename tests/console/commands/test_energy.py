"""`heatconsole energy`: the metering table and CSV from a real history file; bad input."""

from __future__ import annotations

import csv
import re
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from console import cli_i18n
from console.cli import main

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests" / "console" / "core" / "energy"))
from helpers import HOUR, machine_zone, write_history  # noqa: E402

CONFIG = ROOT / "tests" / "fixtures" / "small_network.yaml"


@pytest.fixture
def history(tmp_path: Path, small_network) -> Path:  # type: ignore[no-untyped-def]
    now = time.time()
    start = now - 6 * HOUR  # the command reads up to now: recent data
    path = tmp_path / "history.sqlite"
    write_history(path, small_network,
                  {"jx-001": lambda t: 50.0 + 2.0 * (t - start) / HOUR,
                   "xg-002": lambda t: 10.0 + 5.0 * (t - start) / HOUR},
                  dict.fromkeys(("jx-001", "xg-002"), lambda t: -5.0), start, now - 60)  # fmt: skip
    return path


def test_csv_to_file_and_table(history: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "energy.csv"
    args = ["energy", "--config", str(CONFIG), "--history", str(history)]
    assert main([*args, "--since", "3h", "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by = {r["id"]: r for r in rows if r["scope"] == "station"}
    assert float(by["jx-001"]["period_energy_gj"]) == pytest.approx(6.0, abs=0.6)
    assert float(by["xg-002"]["season_energy_gj"]) == pytest.approx(30.0, abs=1.5)
    assert "wrote" in capsys.readouterr().out
    assert main(args) == 0
    table = capsys.readouterr().out
    assert "西工二号站" in table and "season GJ" in table


def test_bad_input_is_one_clear_message(history: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    base = ["energy", "--config", str(CONFIG)]
    assert main([*base, "--history", str(tmp_path / "none.sqlite")]) == 2
    assert "no history file" in capsys.readouterr().err
    assert main([*base, "--history", str(history), "--season-start", "13-40"]) == 2
    assert "--season-start" in capsys.readouterr().err
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    assert main([*base, "--history", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.sqlite" in err and "Traceback" not in err


def _tables(text: str) -> list[tuple[list[str], dict[str, list[str]]]]:
    """The printed tables (districts, then stations): header cells and rows by id, cells split
    on runs of two or more spaces."""
    cells = [re.split(r" {2,}", line.strip()) for line in text.splitlines()]
    out: list[tuple[list[str], dict[str, list[str]]]] = []
    for c in cells:
        if c[:2] == ["#", "id"]:
            out.append((c, {}))
        elif out and len(c) > 2 and c[0].isdigit():
            out[-1][1][c[1]] = c
    return out


def test_since_period_in_the_table_as_in_the_csv(history: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """--since: the table has the period's column (the CSV's period_energy_gj) and says the
    period; stations name their district."""
    args = ["energy", "--config", str(CONFIG), "--history", str(history), "--since", "3h"]
    out = tmp_path / "energy.csv"
    assert main([*args, "--format", "csv", "-o", str(out)]) == 0
    capsys.readouterr()
    csv_rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert main(args) == 0
    text = capsys.readouterr().out
    assert text.startswith("period: ")
    _, (head, rows) = _tables(text)
    assert head[-1] == "period GJ" and head[3] == "district"
    for sid in ("jx-001", "xg-002"):
        shown, written = float(rows[sid][-1]), float(csv_rows[sid]["period_energy_gj"])
        assert shown == pytest.approx(written, abs=0.051) and written > 0
    assert rows["jx-001"][3] == "涧西区" and rows["xg-002"][3] == "西工区"
    try:  # in Chinese: the same columns, the same names
        assert main(["--lang", "zh_CN", *args]) == 0
    finally:
        cli_i18n.use("en")
    zh = capsys.readouterr().out
    _, (head_zh, rows_zh) = _tables(zh)
    assert zh.startswith("统计时段：") and head_zh[3] == "区域" and head_zh[-1] == "时段 GJ"
    assert rows_zh["jx-001"][3] == "涧西区"
    assert float(rows_zh["xg-002"][-1]) == pytest.approx(float(rows["xg-002"][-1]), abs=0.11)
    # Without --since, no such column; --until alone is a clear error.
    assert main(args[:-2]) == 0
    plain = capsys.readouterr().out
    assert "period" not in plain and "涧西区" in plain
    assert main([*args[:-2], "--until", "1h"]) == 2
    assert "--until needs --since" in capsys.readouterr().err


def test_period_said_in_the_networks_zone(history: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A network at UTC+8 read on a laptop in New York: the period is said in the city's time,
    with its offset, as the CSV's times are."""
    config = tmp_path / "city.yaml"
    text = CONFIG.read_text(encoding="utf-8")
    config.write_text(text + "alarms:\n  heating_season: {utc_offset_h: 8.0}\n", encoding="utf-8")
    before = time.time()
    with machine_zone("America/New_York"):
        argv = ["energy", "--config", str(config), "--history", str(history), "--since", "3h"]
        assert main(argv) == 0
    line = capsys.readouterr().out.splitlines()[0]
    start, end = (datetime.fromisoformat(x) for x in line.removeprefix("period: ").split(" – "))
    assert start.utcoffset() is not None and start.utcoffset().total_seconds() == 8 * 3600
    assert abs(start.timestamp() - (before - 3 * HOUR)) < 120  # minutes shown, seconds cut
    assert end > start
