"""Smoke test: bench/bench_forecast.py --tiny runs the physics, fits, forecasts and advises, and
prints its figures in the documented format. No wall-clock or accuracy assertion: the tiny run
is too short to judge the targets; only the lines' shape and the counts' consistency."""

from __future__ import annotations

import pytest

N = r"[\d.]+"
ERR = rf"MAE {N} °C  p90 {N} °C  n=\d+"
LEAD = rf"(median -?{N} h, 90 % ≥ -?{N} h, min -?{N} h|n/a)"
# bench_forecast.MODES, the criteria side by side, then the threshold chosen on training days
MODES = ("p", "centre", "z1", "sure", "p_train")
LINES = [
    r"^room-mean forecast error \(demo city, simulator's imperfect forecast\):$",
    rf"^  grey-box ARX\(2\) model @ 6 h\s+{ERR}$",
    rf"^  persistence @ 6 h\s+{ERR}$",
    rf"^  first-order RC @ 6 h\s+{ERR}$",
    rf"^  grey-box ARX\(2\) model @ 24 h\s*{ERR}$",
    rf"^  persistence @ 24 h\s+{ERR}$",
    rf"^  first-order RC @ 24 h\s+{ERR}$",
    rf"^  better than the better baseline: -?\d+ % at 6 h, -?\d+ % at 24 h "
    rf"\(ratio {N}, {N}\)$",
    rf"^threshold chosen on the training days \((p {N}: \d+ raised, \d+ true(, )?)+\): "
    rf"p_train = {N}$",
    *[
        rf"^advisories \({mode}\) in normal weather: (\d+), false (\d+), precision (\d+%|nan%); "
        r"recall: \d+ of \d+ spells below 18 °C advised ≤ 48 h ahead$"
        for mode in MODES
    ],
    r"^cold_wave: \d+ stations reached room_low \(\d+ were below 18 °C before it; "
    r"\d+ hit by an incident\)$",
    *[
        rf"^  \({mode}\) lead before room_low: {LEAD}; weather-driven: {LEAD}; "
        rf"incident: {LEAD}; advised without room_low: \d+$"
        for mode in MODES
    ],
    rf"^fit: {N} ms, forecast: {N} ms per station \(in this run\); normal part \d+ s$",
    r"^tiny run: targets not judged$",
]


# Seven simulated days of the physics at its 10 s step: ~20 s of CPU, minutes on a loaded machine.
@pytest.mark.timeout(900)
def test_bench_forecast_prints_its_figures(run_tiny) -> None:
    m = run_tiny("bench_forecast.py", LINES, timeout=850)
    for line in m[9 : 9 + len(MODES)]:
        advisories, false = int(line.group(1)), int(line.group(2))
        assert 0 <= false <= advisories


def test_tiny_keeps_the_sizes_given_on_the_command_line() -> None:
    """`--tiny` fills in its small sizes only where the command line gives none."""
    import importlib.util
    import sys

    from tests.bench.conftest import BENCH

    spec = importlib.util.spec_from_file_location("bench_forecast", BENCH / "bench_forecast.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_forecast", bench)  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    tiny = bench.parse_args(["--tiny", "--train-days", "3", "--stations", "2"])
    assert (tiny.train_days, tiny.stations) == (3, 2)  # given: kept
    assert (tiny.test_days, tiny.calib_days) == (1, 1) and tiny.scenarios == ("cold_wave",)
    full = bench.parse_args(["--test-days", "2", "--scenarios", "cold_wave_ahead"])
    assert (full.train_days, full.test_days, full.stations, full.calib_days) == (14, 2, 0, 7)
    assert full.scenarios == ("cold_wave_ahead",)
    assert bench.parse_args([]).scenarios == tuple(bench.SCENARIO_RUNS)
