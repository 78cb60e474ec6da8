"""CSV export of the metering report: header, worst first, every text cell spreadsheet-safe."""

from __future__ import annotations

import csv
import io
from datetime import UTC
from pathlib import Path

import pytest

from console.core.energy import from_history
from console.core.energy.export import FIGURE_COLUMNS, write_csv
from station_config.schema import NetworkDef

from .helpers import DAY0, HOUR, write_history


def test_csv_rows_worst_first_and_safe(tmp_path: Path, small_network: NetworkDef) -> None:
    evil = '=HYPERLINK("http://x")'
    stations = [s.model_copy(update={"name": evil}) if s.id == "jx-002" else s
                for s in small_network.stations]  # fmt: skip
    net = small_network.model_copy(update={"stations": stations})
    rates = {"jx-001": 1.0, "jx-002": 8.0, "xg-001": 2.0}
    swap = DAY0 + 6 * HOUR + 450

    def xg(t: float) -> float:  # xg-001's meter is replaced on the first morning
        return 900.0 + 2.0 * (t - DAY0) / HOUR if t < swap else 2.0 * (t - swap) / HOUR

    counters = {
        "jx-001": lambda t: 10.0 + (t - DAY0) / HOUR,
        "jx-002": lambda t: 10.0 + 8.0 * (t - DAY0) / HOUR,
        "xg-001": xg,
    }
    path = tmp_path / "history.sqlite"
    write_history(path, net, counters, dict.fromkeys(counters, lambda t: 3.0), DAY0,
                  DAY0 + 86400)  # fmt: skip
    r = from_history(net, path, now=DAY0 + 86400, tz=UTC)
    buf = io.StringIO()
    assert write_csv(r, buf) == len(r.districts) + len(r.stations)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(rows[0])[:6] == ["scope", "rank", "id", "name", "district", "area_m2"]
    assert f"season_{FIGURE_COLUMNS[-2]}" in rows[0]
    stations = [row for row in rows if row["scope"] == "station"]
    districts = [row for row in rows if row["scope"] == "district"]
    assert [d["rank"] for d in districts] == ["1", "2"]
    per = [float(s["season_mj_per_m2_dd"]) for s in stations if s["season_mj_per_m2_dd"]]
    assert per == sorted(per, reverse=True) and len(per) == len(rates)
    by = {s["id"]: s for s in stations}
    assert by["jx-002"]["name"] == "'" + evil  # a formula is text in a spreadsheet
    assert float(by["jx-002"]["season_energy_gj"]) == pytest.approx(8.0 * 24, abs=0.02)
    assert by["xg-001"]["meter_events"].startswith("replacement ")
    assert by["xg-002"]["season_energy_gj"] == ""  # never read: empty, not 0


def test_small_figures_keep_their_precision(tmp_path: Path, small_network: NetworkDef) -> None:
    """An hour into the day a station's heat per m² is ~1e-5 GJ: the CSV keeps its digits."""
    path = tmp_path / "history.sqlite"
    write_history(path, small_network, {"jx-001": lambda t: 10.0 + (t - DAY0) / HOUR},
                  {"jx-001": lambda t: -2.0}, DAY0, DAY0 + HOUR)  # fmt: skip
    r = from_history(small_network, path, now=DAY0 + HOUR, tz=UTC)
    buf = io.StringIO()
    write_csv(r, buf)
    (row,) = [x for x in csv.DictReader(io.StringIO(buf.getvalue())) if x["id"] == "jx-001"]
    (s,) = [s for s in r.stations if s.station == "jx-001"]
    f = s.figures["today"]
    assert f.gj_per_m2 is not None and f.gj_per_m2 < 1e-4  # 1 GJ over 42,000 m²
    assert float(row["today_gj_per_m2"]) == pytest.approx(f.gj_per_m2, rel=1e-3)
    assert float(row["today_mj_per_m2_dd"]) == pytest.approx(f.mj_per_m2_dd, rel=1e-3)
