"""Smoke test: bench/bench_control_room.py --tiny runs the control room with real parts (the
simulator, Mosquitto, `heatconsole server` processes, sessions and a thin console) and prints its
figures in the documented format (no wall-clock assertion: a figure may be anything)."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.control_room.broker_process import MOSQUITTO

N = r"-?[\d.]+"
LOAD = rf"\(load {N}\)"

LINES = [
    r"^network: 30 stations, \d+ rooms, period 5 s$",
    rf"^join: full city in {N} s median \(max {N} s, 1 joins\) · bare paho retained {N} s · "
    rf"ratio {N} · load {N}$",
    rf"^server cpu: 0 consoles {N} % {LOAD} · 1 consoles {N} % {LOAD} · 2 consoles {N} % {LOAD}"
    rf" · 4 consoles {N} % {LOAD} of one core · per added console [+-]{N} % · baseline \(none\) "
    rf"{N} %$",
    rf"^simulator cpu \(same cores, same windows\): {N} % · {N} % · {N} % · {N} %$",
    rf"^ack A->B window: p50 {N} ms · p99 {N} ms · max {N} ms \(\d+ acks\) · bare paho A->B "
    rf"p50 {N} ms p99 {N} ms$",
    rf"^thin console rss: {N} MB at start · {N} MB peak · [+-]{N} MB over \d+ s \(\d+ samples\) "
    r"· alarms published \d+ at start, \d+ at the end$",
    rf"^scale-out: 40 stations over 2 servers · complete True · a console received (\d+)/40 "
    rf"stations' states every period over \d+ periods · server cpu {N} % and {N} % · simulator "
    rf"cpu {N} % · load {N}$",
    rf"^scale-out sweep a: (\d+) stations · \d+ scans in {N} s \(\d+ due\) · \d+ ticks missed · "
    rf"worst tick->done {N} s \(its start {N} s late\)$",
    rf"^scale-out sweep b: (\d+) stations · \d+ scans in {N} s \(\d+ due\) · \d+ ticks missed · "
    rf"worst tick->done {N} s \(its start {N} s late\)$",
    r"^targets: .+$",
]


def test_bench_control_room_prints_its_figures(run_tiny) -> None:  # type: ignore[no-untyped-def]
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed (Debian package: mosquitto)")
    m = run_tiny("bench_control_room.py", LINES, timeout=400)
    # The two partitions share out the whole network (districts split in two).
    assert int(m[7].group(1)) + int(m[8].group(1)) == 40
    assert 0 < int(m[7].group(1)) < 40
