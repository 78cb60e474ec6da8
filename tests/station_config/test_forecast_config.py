"""The network file's `forecast:` section: a folder and/or an HTTP URL, checked by the loader
with file, line and path; a relative folder is the network file's neighbour."""

from __future__ import annotations

from pathlib import Path

from station_config.loader import load_network
from tests.station_config.test_loader import HEAD, one, problems_of, station, write

NET = HEAD + station(1)


def test_no_forecast_section_means_none(tmp_path: Path) -> None:
    assert load_network(write(tmp_path, NET)).forecast is None


def test_a_relative_folder_is_beside_the_network_file(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    f = write(tmp_path / "conf", NET + "forecast: {folder: weather, stale_after_h: 6}\n")
    fc = load_network(f).forecast
    assert fc is not None and Path(fc.folder) == tmp_path / "conf" / "weather"
    assert fc.stale_after_h == 6 and fc.url is None


def test_an_absolute_folder_and_a_url_are_kept(tmp_path: Path) -> None:
    f = write(tmp_path, NET + f"forecast: {{folder: {tmp_path}/fc, url: 'http://127.0.0.1:8/f'}}\n")
    fc = load_network(f).forecast
    assert fc is not None and fc.folder == f"{tmp_path}/fc" and fc.url == "http://127.0.0.1:8/f"


def test_an_empty_section_says_what_to_give(tmp_path: Path) -> None:
    p = one(write(tmp_path, NET + "forecast: {}\n"))
    assert p.line == NET.count("\n") + 1 and p.path == "forecast"
    assert "`folder`" in p.message and "`url`" in p.message


def test_bad_url_bad_age_and_a_typo_are_each_reported_with_their_line(tmp_path: Path) -> None:
    text = NET + "forecast:\n  url: ftp://weather\n  stale_after_h: 0\n  folderr: x\n"
    ps = problems_of(write(tmp_path, text))
    by_path = {p.path: p for p in ps}
    base = NET.count("\n") + 1
    assert by_path["forecast.url"].line == base + 1
    assert "http://" in by_path["forecast.url"].message
    assert by_path["forecast.stale_after_h"].line == base + 2
    assert by_path["forecast.folderr"].line == base + 3
