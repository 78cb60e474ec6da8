"""A long shift in miniature: the service polling the simulator (its own process, real TCP on
loopback) for hundreds of scans keeps its Python memory flat once warmed up — no list, dict,
cache or ring of numpy temporaries that grows with every scan or batch (issue 12, "A long
shift"). Measured with tracemalloc (numpy's buffers are traced too) between marks taken after
the warm-up, so only what the steady state allocates and keeps is counted; bounded per scan,
not in time."""

from __future__ import annotations

import asyncio
import gc
import itertools
import linecache
import tracemalloc
from pathlib import Path

import pytest

from console.core.service import ConsoleService, ServiceUpdate
from drivers.simulator.process import SimulatorProcess
from station_config.schema import ScanGroup

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small_network.yaml"
WARMUP_SCANS = 400  # every station's compressor, engine state and ring touched many times over
MEASURED_SCANS = 200  # in each of two intervals
# A kept StationScan (values, qualities, its object) measured ~4 KB per scan here (the service
# made to keep its scans): a quarter of it catches anything retained per scan and leaves room
# for the engine's and the compressor's reused batch buffers still growing to the largest batch.
MAX_BYTES_PER_SCAN = 1024


async def _until(service: ConsoleService, scans: list[int], n: int, limit_s: float) -> None:
    end = asyncio.get_running_loop().time() + limit_s
    while scans[0] < n:
        assert asyncio.get_running_loop().time() < end, f"only {scans[0]} of {n} scans came"
        await asyncio.sleep(service.batch_interval)


# One-off fills that are no steady-state growth: source lines cached when a traceback or a
# warning is formatted (a poll timing out on a loaded machine), a module imported on first use.
ONE_OFF = [
    tracemalloc.Filter(False, linecache.__file__),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>"),
    tracemalloc.Filter(False, tracemalloc.__file__),
]


def _traced() -> tuple[int, tracemalloc.Snapshot]:
    gc.collect()
    snap = tracemalloc.take_snapshot().filter_traces(ONE_OFF)
    return sum(s.size for s in snap.statistics("filename")), snap


# Hundreds of scans from a simulator in another process: on a busy machine a few minutes.
@pytest.mark.timeout(600)
async def test_python_memory_stays_flat_over_hundreds_of_scans(tmp_path: Path) -> None:
    with SimulatorProcess(SMALL, port=0) as sp:
        net = sp.network_with_endpoints()
        fast = ScanGroup(period_s=0.1, timeout_s=0.3, stale_after_scans=3)
        net = net.model_copy(update={"scan_groups": {"default": fast}})
        service = ConsoleService(net, journal_path=tmp_path / "journal.sqlite", batch_interval=0.05)
        scans = [0]

        def count(u: ServiceUpdate) -> None:
            scans[0] += u.scans

        service.listeners.append(count)
        # Traced from the start: a bounded cache that turns over after the warm-up (the alarm
        # engine's batch plans) then replaces traced entries with traced ones, not untraced ones.
        tracemalloc.start(1)
        try:
            await service.start()
            try:
                await _until(service, scans, WARMUP_SCANS, 240)
                # Every mark is taken in the steady state, so what is in flight at each (a
                # batch, the writers' buffers) cancels out; only what accumulates remains.
                marks = []
                for i in range(3):
                    if i:
                        await _until(service, scans, marks[-1][1] + MEASURED_SCANS, 240)
                    size, snap = _traced()
                    marks.append((size, scans[0], snap))
            finally:
                await service.stop()
        finally:
            tracemalloc.stop()
    assert service.history is not None and service.history.status().committed > 0
    # Kept per scan in each interval: growth that goes with the scans shows in both, a cache
    # filling up once (a batch plan, a first alarm) in one of them at most.
    per_scan = [(b[0] - a[0]) / (b[1] - a[1]) for a, b in itertools.pairwise(marks)]
    grown = marks[2][2].compare_to(marks[0][2], "lineno")[:5]
    where = "\n".join(str(s) for s in grown)
    assert min(per_scan) <= MAX_BYTES_PER_SCAN, (
        f"{per_scan} bytes kept per scan over {marks[2][1] - marks[0][1]} scans; grown:\n{where}"
    )
