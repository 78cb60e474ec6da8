"""Reconnect backoff: capped exponential bounds, and jitter that actually spreads retries."""

from __future__ import annotations

import itertools
import random
import statistics

import pytest

from drivers.backoff import Backoff


def test_delays_stay_within_the_exponential_ceiling_and_the_cap() -> None:
    b = Backoff(0.5, 8.0, rng=random.Random(1))
    for n in range(40):
        hi = min(8.0, 0.5 * 2**n)
        assert b.ceiling() == pytest.approx(hi)
        d = b.next_delay()
        assert 0.0 <= d <= hi
    # Far past the cap, the ceiling stays the cap (no overflow).
    assert b.ceiling(10_000) == 8.0


def test_floor_and_reset() -> None:
    b = Backoff(1.0, 4.0, floor=0.2, rng=random.Random(2))
    assert all(b.next_delay() >= 0.2 for _ in range(200))
    assert b.attempt == 200
    b.reset()
    assert b.attempt == 0 and b.current == 0.0
    assert b.next_delay() <= 1.0


def test_jitter_spreads_a_herd_of_clients() -> None:
    # 500 clients that failed together, 5 attempts each: with full jitter their retry times
    # spread over the whole window instead of coinciding (pymodbus' plain doubling would put
    # all 500 on the same instant).
    master = random.Random(3)
    herds = [Backoff(0.5, 30.0, rng=random.Random(master.random())) for _ in range(500)]
    for _ in range(4):
        for b in herds:
            b.next_delay()
    fifth = [b.next_delay() for b in herds]
    hi = min(30.0, 0.5 * 2**4)
    assert len({round(d, 3) for d in fifth}) > 450  # nearly all distinct
    # Roughly uniform over [0, hi]: every tenth of the window is used, mean near hi / 2.
    buckets = [0] * 10
    for d in fifth:
        buckets[min(9, int(d / hi * 10))] += 1
    assert min(buckets) > 0.4 * (500 / 10)
    assert statistics.mean(fifth) == pytest.approx(hi / 2, rel=0.15)


def test_expected_delay_grows_until_the_cap() -> None:
    means = []
    for attempt in range(8):
        vals = []
        for seed in range(300):
            b = Backoff(0.5, 10.0, rng=random.Random(seed * 100 + attempt))
            b.attempt = attempt
            vals.append(b.next_delay())
        means.append(statistics.mean(vals))
    assert all(b > a for a, b in itertools.pairwise(means[:5]))
    assert means[-1] == pytest.approx(5.0, rel=0.15)  # capped: uniform(0, 10)


@pytest.mark.parametrize("args", [(0.0, 1.0), (2.0, 1.0), (1.0, 2.0, 1.5)])
def test_bad_parameters(args: tuple[float, ...]) -> None:
    base, cap, *floor = args
    with pytest.raises(ValueError):
        Backoff(base, cap, floor=floor[0] if floor else 0.0)
