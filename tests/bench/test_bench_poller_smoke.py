"""Smoke test: bench_poller.py (issue 10, CPU per read vs a bare pymodbus peer) runs on a tiny
network (`--tiny`) and prints its figures in the documented format; no figure is judged."""

from __future__ import annotations

N = r"[\d.]+"
R = rf"\(median; min {N}, max {N}\)"

LINES = [
    rf"^machine: \d+ cores, .+, Python [\d.]+, .+; load average {N}$",
    rf"^network: \d+ stations, \d+ reads per sweep, {N} ms ± {N} % latency per request, \d+ "
    r"sweeps each, interleaved$",
    rf"^baseline: CPU {N} ms per sweep, {N} µs per read {R}$",
    rf"^poller: CPU {N} ms per sweep, {N} µs per read {R}$",
    rf"^service: CPU {N} ms per sweep, {N} µs per read {R} \(writer threads {N} ms per sweep; the "
    rf"history's first commit \d+ ms once, not included\)$",
    rf"^ratio poller/baseline: {N} \(per round {N}–{N}\)$",
    rf"^ratio service/baseline: {N} \(per round {N}–{N}\)$",
    rf"^target: poller CPU per read ≤ 1.1× the bare pymodbus peer: (holds|MISSED) \({N}\); "
    rf"load average {N}$",
]


def test_bench_poller_prints_its_figures(run_tiny) -> None:
    m = run_tiny("bench_poller.py", LINES)
    reads = int(m[1].group(0).split(", ")[1].split()[0])
    assert reads > 0
