"""`heatconsole simulate --scenario NAME` takes the names `demo --scenario` takes (one
resolver), and an unknown name is one clear line, not "(top): file not found"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from drivers.simulator.process import SimulatorProcess

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small_network.yaml"


def test_builtin_scenario_by_name() -> None:
    with SimulatorProcess(SMALL, scenario="cold_wave", port=0, physics="static") as sp:
        assert set(sp.endpoints) == {"jx-001", "jx-002", "xg-001", "xg-002"}


def test_unknown_scenario_names_the_built_in_ones() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "drivers.simulator", "--config", str(SMALL), "--scenario",
         "cold_wav", "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "no scenario cold_wav" in proc.stderr
    assert all(f" {name}" in proc.stderr for name in ("cold_wave", "incidents"))
    assert "Traceback" not in proc.stderr
