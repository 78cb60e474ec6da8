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

from .helpers import DAY0, HOUR, machine_zone, with_city_zone, write_history


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
    assert list(rows[0])[:7] == ["scope", "rank", "id", "name", "district", "district_name",
                                 "area_m2"]  # fmt: skip
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


def test_districts_by_name_the_id_where_none_is_known(
    tmp_path: Path, small_network: NetworkDef
) -> None:
    """A station row carries its district's id and name; a district the network file does not
    name keeps its id in both."""
    net = small_network.model_copy(
        update={"districts": [d for d in small_network.districts if d.id == "jianxi"]}
    )
    counters = {"jx-001": lambda t: 10.0 + (t - DAY0) / HOUR, "xg-002": lambda t: 5.0}
    path = tmp_path / "history.sqlite"
    write_history(path, net, counters, dict.fromkeys(counters, lambda t: 3.0), DAY0,
                  DAY0 + 6 * HOUR)  # fmt: skip
    buf = io.StringIO()
    write_csv(from_history(net, path, now=DAY0 + 6 * HOUR, tz=UTC), buf)
    rows = {(r["scope"], r["id"]): r for r in csv.DictReader(io.StringIO(buf.getvalue()))}
    jx, xg = rows["station", "jx-001"], rows["station", "xg-002"]
    assert (jx["district"], jx["district_name"]) == ("jianxi", "涧西区")
    assert (xg["district"], xg["district_name"]) == ("xigong", "xigong")
    assert rows["district", "jianxi"]["district_name"] == "涧西区"


def test_event_times_in_the_networks_zone_on_a_laptop_elsewhere(
    tmp_path: Path, small_network: NetworkDef
) -> None:
    """The city is at UTC+8, the laptop in New York: a meter replaced at 20:05 UTC is written
    as the city's 04:05 on the 2nd — the day the figures count it in — with its offset."""
    net = with_city_zone(small_network, 8.0)
    swap = DAY0 + 20 * HOUR + 300  # 2026-12-01 20:05 UTC
    counters = {"xg-002": lambda t: 7000.0 + (t - DAY0) / HOUR if t < swap else (t - swap) / HOUR}
    path = tmp_path / "history.sqlite"
    write_history(path, net, counters, {"xg-002": lambda t: 0.0}, DAY0, DAY0 + 36 * HOUR)
    with machine_zone("America/New_York"):
        r = from_history(net, path, now=DAY0 + 36 * HOUR)  # the zone: the configured one
        buf = io.StringIO()
        write_csv(r, buf)
    (row,) = [x for x in csv.DictReader(io.StringIO(buf.getvalue())) if x["id"] == "xg-002"]
    assert row["meter_events"].startswith("replacement 2026-12-02T04:05+08:00 ")
    # The city's day: 2026-12-02 00:00 +08:00 = 2026-12-01 16:00 UTC; the swap falls in it.
    assert r.periods["today"][0] == DAY0 + 16 * HOUR
    # 1 GJ/h from 16:00 to 12:00 UTC less the last quarter-hour the history has not stored yet:
    # the hours before the swap are the city's today too.
    assert float(row["today_energy_gj"]) == pytest.approx(20.0, abs=0.5)
