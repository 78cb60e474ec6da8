"""Smoke test: bench/bench_metering.py --tiny writes a real history and prints its figures in
the documented format. No wall-clock assertion: only the lines' shape."""

from __future__ import annotations

N = r"[\d.]+"
LINES = [
    rf"^history: \d+ stations x {N} days of 15-min scans written in {N} s \({N} MB\)$",
    rf"^read, season \({N} d\), 2 points/station: {N} ms per station$",
    rf"^read, baseline 24 h, same points: +{N} ms per station; ratio season/24 h = {N}$",
    rf"^service-loop stall per \d+-station request: {N} ms; whole city \(757 stations\) fetch: "
    rf"{N} s in \d+ requests$",
    rf"^compute: build_metering {N} ms per station \(\d+ samples per series; city ~{N} s on the "
    r"panel's worker thread\), worst: [a-z]{2}-\d{3}$",
]


def test_bench_metering_prints_its_figures(run_tiny) -> None:
    run_tiny("bench_metering.py", LINES)
