"""bench_simulator's tick figure on a tiny generated network: the city-wide encode and the
per-station baseline both run and leave byte-identical images (no wall-clock assertion)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from station_config.loader import load_network

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_simulator.py"


def test_tick_cost_runs_both_ways_with_identical_images(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_simulator", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    net = load_network(bench.make_network(6, 30, tmp_path))
    out = bench.tick_cost(net, rounds=2)
    assert set(out) == {"static", "network"}
    for t in out.values():
        assert t["identical"]
        assert t["tick_cpu_ms"] >= t["encode_cpu_ms"] >= 0
        assert t["baseline_tick_cpu_ms"] >= t["baseline_encode_cpu_ms"] > 0
