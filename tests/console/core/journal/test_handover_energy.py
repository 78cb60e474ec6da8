"""The handover report's heat-metering section, from a real history file and journal."""

from __future__ import annotations

import sys
from datetime import UTC
from pathlib import Path

from console.core.energy import from_history, try_from_history
from console.core.journal import store
from console.core.journal.handover import energy_section, write_handover
from station_config.schema import NetworkDef

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "energy"))
from helpers import DAY0, HOUR, machine_zone, with_city_zone, write_history

SWAP = DAY0 + 20 * HOUR + 300  # xg-002's meter replaced: 2026-12-01 20:05 UTC


def _history(tmp_path: Path, net: NetworkDef) -> Path:
    """36 h from DAY0: jx-001 at 3 GJ/h, xg-002 at 1 GJ/h with its meter replaced at SWAP."""
    counters = {
        "jx-001": lambda t: 100.0 + 3.0 * (t - DAY0) / HOUR,
        "xg-002": lambda t: 7000.0 + (t - DAY0) / HOUR if t < SWAP else (t - SWAP) / HOUR,
    }
    hist = tmp_path / "history.sqlite"
    write_history(hist, net, counters, dict.fromkeys(counters, lambda t: 0.0), DAY0,
                  DAY0 + 36 * HOUR)  # fmt: skip
    return hist


def test_section_with_daily_and_season_figures(tmp_path: Path, small_network: NetworkDef) -> None:
    hist = _history(tmp_path, small_network)
    now = DAY0 + 36 * HOUR
    m = from_history(small_network, hist, now=now, tz=UTC)
    conn = store.connect(tmp_path / "journal.sqlite", create=True)
    plain, with_energy = tmp_path / "plain.html", tmp_path / "energy.html"
    write_handover(conn, plain, now - 12 * HOUR, now, now=now)
    r = write_handover(conn, with_energy, now - 12 * HOUR, now, now=now, energy=m)
    conn.close()
    assert r.energy is m
    text = with_energy.read_text(encoding="utf-8")
    assert "Heat metering" not in plain.read_text(encoding="utf-8")
    # The rest of the report unchanged: the plain report is the energy one without its section.
    head, _, _ = text.partition("<h2>Heat metering")
    assert plain.read_text(encoding="utf-8").startswith(head.rstrip("\n"))
    section = text[len(head) :]
    jx = m.stations[[s.station for s in m.stations].index("jx-001")]
    assert f"{jx.figures['today'].energy_gj:,.1f}" in section  # today's GJ (since midnight)
    assert f"{jx.figures['season'].energy_gj:,.1f}" in section  # and the season's
    assert "涧西区" in section and "西工区" in section
    assert "replacement" in section and "xg-002" in section
    assert section.index("jx-001") < section.index("xg-002")  # jx-001 uses more per m²·K·d


def test_no_history_no_section(tmp_path: Path, small_network: NetworkDef) -> None:
    assert try_from_history(small_network, tmp_path / "none.sqlite", now=DAY0) is None
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"x" * 4096)
    assert try_from_history(small_network, junk, now=DAY0) is None


def test_section_in_the_networks_zone_with_district_names(
    tmp_path: Path, small_network: NetworkDef
) -> None:
    """City at UTC+8, laptop in New York: the season starts on the city's 15 November, a meter
    replaced at 20:05 UTC is the city's 04:05 on the 2nd; stations name their district, by its
    id only where the network file has no name for it."""
    net = with_city_zone(small_network, 8.0)
    net = net.model_copy(update={"districts": [d for d in net.districts if d.id == "jianxi"]})
    hist = _history(tmp_path, net)
    with machine_zone("America/New_York"):
        section = energy_section(from_history(net, hist, now=DAY0 + 36 * HOUR))
    assert "the season since 2026-11-15)" in section
    assert "<td>2026-12-02T04:05+08:00</td><td>xg-002</td>" in section
    (jx,) = [r for r in section.split("<tr>") if "<td>jx-001 涧西一号站</td>" in r]
    (xg,) = [r for r in section.split("<tr>") if "<td>xg-002 西工二号站</td>" in r]
    assert "<td>涧西区</td>" in jx and "<td>xigong</td>" in xg
