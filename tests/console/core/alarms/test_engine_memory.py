"""The alarm engine allocates nothing of batch size per batch (issue 12, "A long shift").

A city's service batch is whichever ~40 stations answered in the last quarter second, so nearly
every batch is a new composition. Arrays of the batch's size made afresh each time (and a cache
of them kept for 32 batches) fragmented the service thread's glibc arena over a shift. Measured
with tracemalloc (numpy's buffers are traced): the peak above the live memory while a batch is
evaluated, against the size of one int64 array over the batch's alarm slots — the old code
allocated over a dozen of those per batch; now only arrays of the stepped slots and of one
entry per station are made. Healthy values, so few slots are stepped."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from console.core.alarms import AlarmEngine
from station_config.alarm_rules import AlarmConfig
from station_config.generator import generate_network
from station_config.loader import load_network
from station_config.schema import NetworkDef

BATCH = 30  # stations per batch: ~18,000 alarm slots, as in the city (~40 stations)
BATCHES = 60


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> NetworkDef:
    path = Path(tmp_path_factory.mktemp("city")) / "city.yaml"
    path.write_text(generate_network(60, rooms=200, seed=1), encoding="utf-8")
    return load_network(path)


def _batches(net: NetworkDef, station_of: Any, n: int, seed: int) -> list[list[Any]]:
    rng = np.random.default_rng(seed)
    stations = [station_of(net, s.id) for s in net.stations]
    return [
        [stations[i] for i in np.sort(rng.choice(len(stations), BATCH, replace=False))]
        for _ in range(n)
    ]


def test_a_batch_allocates_nothing_of_its_own_size(
    city: NetworkDef, station_of: Any, fast_config: AlarmConfig
) -> None:
    engine = AlarmEngine(city, fast_config)
    batches = _batches(city, station_of, 2 * BATCHES, seed=5)
    t = 1.7e9
    for b in batches[:BATCHES]:  # warm-up: the reused buffers reach their size
        t += 0.25
        engine.evaluate_batch([s.scan(t) for s in b])
    peaks, slots = [], []
    gc.collect()
    tracemalloc.start(1)
    try:
        before = tracemalloc.get_traced_memory()[0]
        for b in batches[BATCHES:]:
            t += 0.25
            scans = [s.scan(t) for s in b]
            live = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            engine.evaluate_batch(scans)
            peaks.append(tracemalloc.get_traced_memory()[1] - live)
            slots.append(sum(engine.slots.layouts[engine.slots.by_id[s.id]].end
                             - engine.slots.layouts[engine.slots.by_id[s.id]].start
                             for s in b))  # fmt: skip
            del scans
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    one_array = 8 * min(slots)  # bytes of one int64 array over a batch's slots
    assert one_array > 64 * 1024, "the batches are too small to tell batch-sized arrays apart"
    assert max(peaks) < one_array, (
        f"a batch allocated {max(peaks) / 1024:.0f} KiB at its peak, more than one array over "
        f"its {min(slots)} slots ({one_array / 1024:.0f} KiB)"
    )
    # Nothing is kept per batch either (the old plan cache kept 32 batches' arrays).
    assert kept < one_array, f"{kept / 1024:.0f} KiB kept over {BATCHES} batches"
