"""The handover report's heat-metering section, from a real history file and journal."""

from __future__ import annotations

import sys
from datetime import UTC
from pathlib import Path

from console.core.energy import from_history, try_from_history
from console.core.journal import store
from console.core.journal.handover import write_handover
from station_config.schema import NetworkDef

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "energy"))
from helpers import DAY0, HOUR, write_history


def test_section_with_daily_and_season_figures(tmp_path: Path, small_network: NetworkDef) -> None:
    swap = DAY0 + 20 * HOUR + 300
    counters = {
        "jx-001": lambda t: 100.0 + 3.0 * (t - DAY0) / HOUR,
        "xg-002": lambda t: 7000.0 + (t - DAY0) / HOUR if t < swap else (t - swap) / HOUR,
    }
    hist = tmp_path / "history.sqlite"
    write_history(hist, small_network, counters, dict.fromkeys(counters, lambda t: 0.0), DAY0,
                  DAY0 + 36 * HOUR)  # fmt: skip
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
