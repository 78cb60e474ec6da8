"""Smoke test: bench/bench_preheat.py --tiny trains on the physics, plans, runs the three ways
and the sweep, and prints its figures in the documented format. No wall-clock or accuracy
assertion (two stations, a few days: too small to judge the targets); the counts must agree."""

from __future__ import annotations

import pytest

N = r"-?[\d.]+"
KEPT = rf"kept ≥ 18 °C: (\d+)/(\d+) \((\d+) %\)  heat {N} GJ \({N} × nothing\)"
LINES = [
    r"^cold_wave, advice \d+ h ahead, (\d+) stations \(demo city, simulator's imperfect "
    r"forecast\):$",
    rf"^  plan: (\d+) stations shifted \((none|\+{N} … \+{N} K)\), (\d+) cannot be kept, (\d+) "
    rf"not needed; made in {N} s$",
    rf"^  nothing     {KEPT}$",
    rf"^  fixed \+5 K  {KEPT}$",
    rf"^  plan        {KEPT}$",
    rf"^  needed \(least kept shift per station, sweep 5 K\): heat {N} GJ; plan/needed {N}; "
    rf"extra over nothing: plan {N} GJ, needed {N} GJ$",
    rf"^  predicted coldest low vs happened \(plan run, hourly means\): median \|err\| {N} °C, "
    rf"within ±0.5 °C (\d+)/(\d+) \(\d+ %\), max {N} °C$",
    r"^  not kept with the plan: .+$",
    rf"^times: training \d+ s, plan {N} s, 4 runs \d+ s$",
    r"^tiny run: targets not judged$",
]


# Twelve simulated days of the physics for two stations: minutes on a loaded machine.
@pytest.mark.timeout(900)
def test_bench_preheat_prints_its_figures(run_tiny) -> None:
    m = run_tiny("bench_preheat.py", LINES, timeout=850)
    n = int(m[0].group(1))
    assert n == 2
    # A station short even at the largest shift is both shifted and "cannot be kept".
    assert all(0 <= int(m[1].group(k)) <= n for k in (1, 3, 4))
    assert int(m[1].group(1)) + int(m[1].group(4)) <= n
    for line in m[2:5]:
        assert int(line.group(2)) == n and 0 <= int(line.group(1)) <= n
    assert 0 <= int(m[6].group(1)) <= int(m[6].group(2)) <= n
