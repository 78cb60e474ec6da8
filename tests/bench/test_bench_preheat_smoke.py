"""Smoke test: bench/bench_preheat.py --tiny trains on the physics, plans, runs the four ways
(nothing, fixed, the plan once, the rolling plan) and the sweep, and prints its figures in the
documented format. No wall-clock or accuracy assertion (two stations, a few days: too small to
judge the targets); the counts must agree. The sweep is given explicitly (4 K, tiny's is 5 K):
an option on the command line wins over the tiny defaults, at no extra cost."""

from __future__ import annotations

import pytest

N = r"-?[\d.]+"
SHARE = r"(\d+)/(\d+)(?: \(\d+ %\))?"
KEPT = (
    rf"kept ≥ 18 °C: forecastable {SHARE}, incident {SHARE}, all {SHARE}; heat {N} GJ "
    rf"\({N} × nothing\)"
)
PRED = (
    rf"(?:within ±0.5 °C {SHARE}, median \|err\| {N} °C, max {N} °C, mean \(predicted − "
    rf"happened\) [+-]{N} °C|no station)"
)
LINES = [
    r"^cold_wave, advice \d+ h ahead, (\d+) stations \(demo city, simulator's imperfect "
    r"forecast\):$",
    rf"^  plan: (\d+) stations shifted \((none|\+{N} … \+{N} K)\), (\d+) cannot be kept, (\d+) "
    rf"not needed; made in {N} s$",
    r"^  plant raises \(district rows, applied\): (none|.+ \+\d+ K .+)$",
    rf"^  contingency reserve \(booster districts, ≥ \+10 K while the cold is planned\): (\d+) "
    rf"of (\d+) booster stations, plan's reserve heat ({N}) of its ({N}) GJ extra \(model at "
    rf"advice\); rolling's first plan {N} GJ$",
    r"^  stations a weather forecast can speak for: (\d+); hit by an incident of the scenario no "
    r"forecast shows \(the 涧西 booster trip, dp_limit\): (\d+)$",
    rf"^  nothing     {KEPT}$",
    rf"^  fixed \+5 K  {KEPT}$",
    rf"^  plan        {KEPT}$",
    rf"^  rolling     {KEPT}$",
    r"^  rolling: (\d+) plans \(first plan: 1(?:, [a-z0-9 ]+: \d+)*\); first departure: "
    rf"(none|.+); aiming {N} K above 18 °C$",
    rf"^  needed \(least kept shift per station with the plan's plant raises, sweep 4 K\): heat "
    rf"{N} GJ; plan/needed {N}; extra over nothing: plan {N} GJ, needed {N} GJ; plant raises "
    rf"alone keep {SHARE}; rolling/needed {N}, extra {N} GJ \(needed: in hindsight, the reserve "
    r"only as far as it kept\)$",
    r"^  sweep, least kept shift of the incident stations: .+$",
    *(
        r"^  predicted coldest low vs happened \("
        + f"{who}; {key} run"
        + rf", hourly means\):? ?{PRED}$"
        for key in ("plan", "rolling")
        for who in ("forecastable", "all")
    ),
    *(
        rf"^  not kept with the {key}, {who}: .+$"
        for key in ("plan", "rolling")
        for who in ("forecastable", r"incident \(their booster pump trips: flow a fraction\)")
    ),
    rf"^times: training \d+ s, plan {N} s, 6 runs \d+ s$",
    r"^tiny run: targets not judged$",
]


# Twelve simulated days of the physics for two stations: minutes on a loaded machine (one
# station would halve it but leave the forecastable half of every figure empty).
@pytest.mark.timeout(900)
def test_bench_preheat_prints_its_figures(run_tiny) -> None:
    m = run_tiny("bench_preheat.py", LINES, timeout=850, args=("--sweep", "4"))
    n = int(m[0].group(1))
    assert n == 2
    # A station short even at the largest shift is both shifted and "cannot be kept".
    assert all(0 <= int(m[1].group(k)) <= n for k in (1, 3, 4))
    assert int(m[1].group(1)) + int(m[1].group(4)) <= n
    # The reserve: only booster-fed (涧西) stations, its heat a part of the plan's extra.
    held, booster = int(m[3].group(1)), int(m[3].group(2))
    assert held <= booster <= n and 0 <= float(m[3].group(3)) <= float(m[3].group(4))
    fc, hit = int(m[4].group(1)), int(m[4].group(2))
    assert fc + hit == n
    for line in m[5:9]:
        kept = [int(line.group(k)) for k in range(1, 7)]
        assert kept[1::2] == [fc, hit, n] and kept[0] + kept[2] == kept[4] <= n
    # The rolling plan: the first plan and a new one at least every 3 h of the 48.
    assert int(m[9].group(1)) >= 1 + 48 // 3 - 1
