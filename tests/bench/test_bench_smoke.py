"""Smoke tests: the issue-5 benchmarks 1, 2 and 6 (headless; 6's run is in
test_bench_memory_diag.py) run on a tiny network (`--tiny`) as subprocesses and print their
figures in the documented format. No wall-clock assertion: only the lines' shape (a figure may
be anything; `holds`/`MISSED` either)."""

from __future__ import annotations

import pytest

N = r"[\d.]+"
V = r"(holds|MISSED)"

CITY = [
    r"^machine: \d+ cores, .+, Python [\d.]+, .+$",
    rf"^network: \d+ stations, \d+ points, \d+ reads per complete scan, {N} ms ± {N} % latency "
    rf"per request \(simulator process ready in {N} s\)$",
    rf"^poller sweep: complete scan {N} ms \(median of \d+, min {N}\), \d+ req/s, CPU {N} ms per "
    rf"scan \({N} µs/request\), mean request latency {N} ms, max in flight \d+$",
    rf"^baseline: sequential pymodbus loop, \d+ stations \(\d+ reads\) scaled x{N} to \d+ reads: "
    rf"complete scan {N} ms, CPU {N} ms \({N} µs/request\)$",
    rf"^ratio poller/baseline: wall {N}, CPU {N}$",
    rf"^poller @period: {N} s period, \d+ periods: CPU {N} % of one core \(\d+ ms per period\), "
    rf"\d+ station scans per period, overruns \d+$",
    *[
        rf"^service @period \({h} history\): {N} s period, \d+ periods: CPU {N} % of one core; "
        rf"batch processing median {N} ms, max {N} ms, {N} ms per period \(\d+ batches, \d+ "
        rf"station scans per period\); first complete scan {N} s after start$"
        for h in ("with", "without")
    ],
    rf"^targets: complete scan ≤ 1 s: {V} \({N} s\); console CPU ≤ 20 % at {N} s: {V} \({N} % "
    rf"with history, {N} % without\)$",
]

ALARMS = [
    r"^\d+ stations x \d+ rooms: \d+ samples, \d+ alarms$",
    rf"^decode \+ quality +\d+ samples +{N} ms$",
    rf"^quiet scan +evaluate_batch +{N} ms$",
    rf"^decode \+ quality \+ alarm evaluation, quiet scan +{N} ms$",
    rf"^cold wave, timers +evaluate_batch +{N} ms \(\d+ events\)$",
    rf"^cold wave, alarms +evaluate_batch +{N} ms \(\d+ alarm events\)$",
    rf"^  of which building the JournalEvents: {N} ms$",
    rf"^cold wave, journalled +\d+ events: submit {N} ms \(caller\), committed after {N} ms "
    r"\(writer thread\)$",
    rf"^cold wave, holding +evaluate_batch +{N} ms$",
    rf"^summary \(\d+ rows, \d+ alarms\) +{N} ms$",
    rf"^naive per-sample loop \(rooms only, \d+ stations scaled x{N}\) +{N} ms  -> engine quiet "
    r"scan is \d+x faster$",
    r"^budget 100 ms: decode \+ quality \+ quiet (OK|OVER), cold-wave firing (OK|OVER)$",
]

MEMORY = [
    r"^machine: \d+ cores, .+, Python [\d.]+, .+$",
    rf"^startup demo: first complete scan {N} s after launch \(service built at {N} s\); "
    rf"baseline: bare interpreter \+ numpy \+ pymodbus {N} s$",
    rf"^startup full: \d+ stations, first complete scan {N} s after launch \(service built at "
    rf"{N} s, RSS then \d+ MB, live store rings \d+ MB\); baseline: bare interpreter \+ numpy \+ "
    rf"pymodbus {N} s$",
    rf"^memory full: peak RSS \d+ MB after {N} min of polling at the 5 s period \(RSS \d+ MB at "
    rf"the end, growth -?{N} MB/min over the second half\); one hour extrapolated linearly: \d+ "
    r"MB$",
    rf"^targets: peak RSS ≤ 1.5 GB after an hour: {V} \(extrapolated\); first complete scan "
    rf"≤ 3 s demo: {V}, ≤ 10 s full: {V}$",
]


@pytest.mark.parametrize(
    ("script", "patterns"),
    [
        ("bench_city_scan.py", CITY),
        ("bench_alarms.py", ALARMS),
        # bench_memory_startup.py: its --tiny run with the growth diagnosis prints these MEMORY
        # lines first, checked there (test_bench_memory_diag.py): one run, not two.
    ],
)
def test_benchmark_prints_its_figures(run_tiny, script: str, patterns: list[str]) -> None:
    run_tiny(script, patterns)
