"""The demo's simulated past: the network's physics over the days before the start, hour by
hour, as the console would have recorded it (the room models fit on it at once)."""

from __future__ import annotations

import numpy as np

from console.core.forecast.model import HOUR
from console.core.forecast.simulated_past import daily_weather, simulated_past


def test_two_days_of_every_station_hour_by_hour(small_network) -> None:
    end = 1_767_225_600.0 + 1800.0  # half past an hour: the past ends at the full hour
    past = simulated_past(small_network, seed=3, end=end, days=2)
    assert set(past) == {s.id for s in small_network.stations}
    rooms = {st.id: st.rooms for st in small_network.stations}
    assert 0 in rooms.values()  # a station without room sensors: no room readings at all
    for sid, s in past.items():
        assert len(s) == 48 and s.start == end - 1800.0 - 48 * HOUR
        assert np.isfinite(s.outdoor).all() and np.isfinite(s.supply).all()
        # The primary side as polled: T1 above T3, the valve in % (what SupplyLimit learns on).
        assert s.primary is not None and s.valve is not None
        assert (s.primary > s.supply).all() and s.primary.max() < 131.0
        assert (s.valve >= 0.0).all() and (s.valve <= 100.0).all() and s.valve.max() > 1.0
        # Heat power in kW, as register 117 is polled (the plan's heat figures fit on it).
        assert s.heat is not None and np.isfinite(s.heat).all() and s.heat.min() > 0.0
        if rooms[sid] == 0:
            assert np.isnan(s.room_mean).all() and np.isnan(s.room_min).all()
            continue
        assert np.isfinite(s.room_mean).all()
        assert (s.room_min <= s.room_mean + 1e-9).all()
        assert (s.supply > s.room_mean).all()  # heating season: the supply is warmer
        assert s.room_min.min() > 12.0 and s.room_mean.max() < 26.0
    # Seeded: the same seed and start give the same hours. One day ending a day earlier starts
    # where the two days do (the same physics start, the same first weather draw): its hours are
    # the first day of the two, at half the cost of simulating the two days again.
    again = simulated_past(small_network, seed=3, end=end - 24 * HOUR, days=1)
    for sid, s in past.items():
        one = again[sid]
        assert len(one) == 24 and one.start == s.start
        for field in ("outdoor", "supply", "primary", "valve", "room_mean", "room_min", "heat"):
            np.testing.assert_array_equal(getattr(one, field), getattr(s, field)[:24])
    # The weather changes from day to day (what lets a fit tell the outdoor from the supply).
    days = daily_weather(5, np.random.default_rng(0), 0.0)
    assert len({ev["base_c"] for _, ev in days}) == 5
    assert all(d * 86400.0 <= t < (d + 1) * 86400.0 for d, (t, _) in enumerate(days))


def test_given_up_as_soon_as_the_forecaster_stops(small_network) -> None:
    """Asked before every simulated hour: a console closed while this runs does not wait for
    the days to be simulated (the forecaster's stop joins its thread)."""
    asked: list[int] = []

    def stopped() -> bool:
        asked.append(1)
        return len(asked) > 1

    assert simulated_past(small_network, seed=3, end=1_767_225_600.0, days=2, stopped=stopped) == {}
    assert len(asked) == 2  # the first hour simulated, given up before the second
