"""The simulator's forecast: issued every 6 simulated hours, ≥ 72 h ahead, written atomically
as JSON and CSV, sees a scenario's coming cold wave, errs more the further ahead, reproducible
per seed; and `heatconsole simulate` publishes it in the folder its ready line names."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from drivers.simulator.forecast import ForecastPublisher
from drivers.simulator.physics import NetworkPhysics
from drivers.simulator.process import SimulatorProcess
from drivers.simulator.runner import Simulator
from drivers.simulator.scenarios import Scenario
from station_config.loader import load_network

ROOT = Path(__file__).resolve().parents[3]
SMALL = ROOT / "tests/fixtures/small_network.yaml"
START = 1_736_900_000.0  # 2025-01-15 00:13 UTC
H = 3600.0


@pytest.fixture(scope="module")
def net():
    return load_network(SMALL)


def _points(path: Path) -> tuple[float, np.ndarray, np.ndarray]:
    from datetime import datetime

    doc = json.loads(path.read_text(encoding="utf-8"))
    ts = np.array([datetime.fromisoformat(p["time"]).timestamp() for p in doc["points"]])
    return (
        datetime.fromisoformat(doc["issued_at"]).timestamp(),
        ts,
        np.array([p["outdoor_c"] for p in doc["points"]]),
    )


def test_issues_every_6_hours_both_formats_atomically(net, tmp_path):
    sim = Simulator(net, seed=1, forecast_dir=tmp_path, physics=NetworkPhysics(net, start=START))
    sim.build()
    first = sorted(tmp_path.iterdir())
    assert [p.name for p in first] == [
        "forecast-20250115T0000Z.csv",
        "forecast-20250115T0000Z.json",
    ]
    for _ in range(13):
        sim.tick(H)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        f"forecast-20250115T{h:02d}00Z.{x}" for h in (0, 6, 12) for x in ("csv", "json")
    ]
    issued, times, temps = _points(tmp_path / "forecast-20250115T1200Z.json")
    assert issued == pytest.approx(1_736_942_400.0)  # 12:00 UTC
    assert np.all(np.diff(times) == H) and times[0] == issued + H
    assert (times[-1] - issued) / H >= 72
    csv_lines = (tmp_path / "forecast-20250115T1200Z.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[:2] == [
        "# format: heatconsole-forecast/1",
        "# issued_at: 2025-01-15T12:00:00Z",
    ]
    assert csv_lines[4].split(",")[1] == f"{temps[0]:.1f}"  # same numbers in both forms


def test_keeps_the_last_issues_only(net, tmp_path):
    ph = NetworkPhysics(net, start=START)
    pub = ForecastPublisher(tmp_path, ph, keep=2)
    for _ in range(4):
        pub.publish_due()
        ph.advance(6 * H)
    assert len(list(tmp_path.glob("*.json"))) == 2 and len(list(tmp_path.glob("*.csv"))) == 2


def test_sees_the_scenario_cold_wave_coming(net, tmp_path):
    scen = tmp_path / "wave.yaml"
    scen.write_text(
        "events:\n  - {at: 30h, type: cold_wave, delta_k: -12, ramp: 3h, hold: 12h}\n",
        encoding="utf-8",
    )
    out = tmp_path / "fc"
    sim = Simulator(net, scenario=Scenario.load(scen), forecast_dir=out,
                    physics=NetworkPhysics(net, start=START))  # fmt: skip
    sim.build()  # the forecast is issued now, 30 h before the wave
    _, times, temps = _points(next(out.glob("*.json")))
    lead = (times - START) / H
    before = temps[(lead > 0) & (lead < 24)]
    during = temps[(lead > 36) & (lead < 44)]
    assert during.mean() < before.mean() - 8  # ~12 K colder, as forecast 1.5 days ahead
    # It comes true: 40 h in, the simulated outdoor is ~12 K below the day before.
    for _ in range(40):
        sim.tick(H)
    i = 0
    now = sim.physics.values(i)[sim.physics.tables[i].index["outdoor_temp"]]
    assert now < before.mean() - 8


def test_error_grows_with_lead_and_is_reproducible(net, tmp_path):
    ph = NetworkPhysics(net, start=START)
    pubs = [ForecastPublisher(tmp_path / f"s{s}", ph, seed=s) for s in (0, 0, 1)]
    issued = START - START % (6 * H)
    a, b, c = (p.issue(issued) for p in pubs)
    np.testing.assert_array_equal(a.outdoor_c, b.outdoor_c)  # same seed, same forecast
    assert not np.array_equal(a.outdoor_c, c.outdoor_c)
    # Errors against the simulator's weather over 60 issues: RMS by lead.
    errs = []
    for k in range(60):
        t = issued + k * 6 * H
        fc = pubs[0].issue(t)
        errs.append(fc.outdoor_c - ph.outlook(fc.times))
    e = np.array(errs)
    rms = np.sqrt((e**2).mean(axis=0))
    assert 0.3 < rms[:6].mean() < 1.2  # a few hours ahead: well under a degree or so
    assert 0.7 < rms[18:30].mean() < 1.8  # a day ahead: about a degree
    assert rms[60:72].mean() > 1.5 * rms[18:30].mean()  # three days ahead: clearly worse


def test_simulate_publishes_in_the_folder_its_ready_line_names(tmp_path):
    with SimulatorProcess(SMALL, port=0, bind_host="127.0.0.1", speed=1.0) as sp:
        auto = sp.forecast_dir
        assert auto is not None and list(auto.glob("forecast-*.json"))
    assert not auto.exists()  # its own temporary folder is removed on exit
    mine = tmp_path / "fc"
    with SimulatorProcess(SMALL, port=0, bind_host="127.0.0.1", forecast_dir=mine) as sp:
        assert sp.forecast_dir == mine and list(mine.glob("forecast-*.csv"))
    assert list(mine.glob("forecast-*.json"))  # a folder it was given is kept
