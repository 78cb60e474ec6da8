"""`heatconsole energy`: the metering table and CSV from a real history file; bad input."""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import pytest

from console.cli import main

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests" / "console" / "core" / "energy"))
from helpers import HOUR, write_history  # noqa: E402

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
