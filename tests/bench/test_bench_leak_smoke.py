"""Smoke test: bench/bench_leak.py runs on a tiny network (`--tiny`, two stations given
explicitly: an option on the command line wins over the tiny defaults) as a subprocess and
prints its figures in the documented format; the balance raises every leak it is given. No
wall-clock assertion, only the lines' shape and the sizes it was given."""

from __future__ import annotations

N = r"-?[\d.]+"
MORE = r"(?:, \d+ still active)?(?:, \d+ missed)?"
DET = rf"(?:median {N} min, max {N} min{MORE}|none \(\d+ missed\))"


def leak_lines(rate: str, hours: str, target: str) -> list[str]:
    return [
        rf"^leak {rate} m³/h for {hours} h on 2 stations \(target: detected within {target} min\)$",
        rf"^  leak_suspected: detected (median {N} min, max {N} min); after the end: {DET}$",
        rf"^  makeup_high: detected {DET}; after the end: {DET}  \(baseline\)$",
    ]


# 2 stations × 0.05 weeks (tiny) × 1 seed; the leak runs on 2 stations (tiny: 3 of each).
LINES = [
    r"^normal operation: 0.1 station-weeks, step 60 s$",
    rf"^  false alarms leak_suspected: \d+ = {N} per station-week$",
    rf"^  false alarms makeup_high: \d+ = {N} per station-week  \(baseline\)$",
    *leak_lines("0.5", "8", "360"),
    *leak_lines("2", "3", "60"),
    *leak_lines("30", "0.5", "2"),
]


def test_bench_leak_prints_its_figures(run_tiny) -> None:
    run_tiny("bench_leak.py", LINES, timeout=300, args=("--stations", "2", "--leak-stations", "2"))
