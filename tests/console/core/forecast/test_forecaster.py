"""The room forecaster on real parts: a history file written through console.core.history, a
forecast folder read by ForecastSource (files in the documented format, written by the
simulator's writer), a real SQLite journal writer receiving its events."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from console.core.events import Kind
from console.core.forecast.forecaster import (
    RoomForecaster,
    fill_from,
    hourly_held,
    station_series,
)
from console.core.forecast.model import HOUR
from console.core.forecast.source import ForecastSource
from console.core.history import History
from drivers.points import build_point_table
from drivers.samples import CommState, StationScan
from drivers.simulator.forecast import Issue, render_json, write_atomically
from station_config.alarm_rules import ProcessClock
from tests.console.core.forecast import synthetic as syn

SID = "jx-001"
SCAN_S = 600.0


def _history(tmp_path: Path, net, s, to_wall=lambda t: t, max_interval_s=3600.0) -> History:
    """The synthetic building's hours written as scans every 10 min (each hour's value held),
    stamped `to_wall(process time)` as the console stamps its scans."""
    st = next(x for x in net.stations if x.id == SID)
    tb = build_point_table(net.templates[st.template], st)
    h = History(tmp_path / "history.sqlite", {SID: tb}, batch_s=0.01,
                max_interval_s=max_interval_s)  # fmt: skip
    cols = {"outdoor_temp": s.outdoor, "t3_secondary_supply": s.supply,
            "room_temp_mean": s.room_mean, "room_temp_min": s.room_min}  # fmt: skip
    if s.primary is not None and s.valve is not None:
        cols |= {"t1_primary_supply": s.primary, "valve_position": s.valve}
    n = len(tb)
    for k in range(len(s)):
        for j in range(int(HOUR / SCAN_S)):
            t = to_wall(s.start + k * HOUR + j * SCAN_S)
            v = np.full(n, 1.0)
            for name, col in cols.items():
                v[tb.index[name]] = round(float(col[k]), 3)
            scan = StationScan(SID, t, v, np.zeros(n, np.uint8), np.full(n, t), CommState.OK)
            h.submit_scans([scan])
    assert h.flush(30)
    return h


def _forecast_file(folder: Path, issued_at: float, outdoor) -> None:
    times = issued_at + HOUR * np.arange(1, len(outdoor) + 1)
    issue = Issue(issued_at, times, np.round(np.asarray(outdoor, dtype=float), 1))
    write_atomically(folder / "forecast-test.json", render_json(issue, "test"))


def _setup(tmp_path: Path, net, seed: int) -> tuple[History, float, Path]:
    """12 days of the synthetic building in a history file; now = a minute after them."""
    rng = np.random.default_rng(seed)
    s = syn.series(syn.outdoor(24 * 12, rng), rng)
    folder = tmp_path / "forecast"
    folder.mkdir()
    return _history(tmp_path, net, s), s.start + len(s) * HOUR + 60.0, folder


def test_forecaster_fits_forecasts_and_advises_from_the_history_file(tmp_path, small_network):
    h, now, folder = _setup(tmp_path, small_network, 7)
    issued = np.floor(now / HOUR) * HOUR
    lead = np.arange(1, 97)
    _forecast_file(folder, issued, np.interp(lead, [0, 6, 9, 96], [-3, -3, -25, -25]))
    got: list = []
    fx = RoomForecaster([(SID, "jianxi")], h.query, ForecastSource(folder), got.extend,
                        curve_of=lambda _sid: syn.CURVE)  # fmt: skip
    try:
        events = fx.cycle(now)
        fc, report = fx.latest(SID)
        assert report is not None and report.delay_h == syn.DELAY_H
        assert fc is not None and len(fc.mean) == 48
        assert fc.mean[-1] < fc.mean[0] - 2  # the cold wave below the design day cools them
        raised = [e for e in events if e.kind is Kind.ADVISORY and e.action == "raise"]
        assert len(raised) == 1 and raised[0].station == SID and raised[0].district == "jianxi"
        assert got == events
        st = fx.status()
        assert st.cycles == 1 and st.fitted == 1 and st.last_cycle_cpu_s > 0
        # A second cycle in the same hour: no refit, no second advisory.
        assert fx.cycle(now + 60) == []
    finally:
        h.close()


def test_a_stale_forecast_gives_no_advisory_and_says_so(tmp_path, small_network):
    h, now, folder = _setup(tmp_path, small_network, 8)
    _forecast_file(folder, np.floor(now / HOUR) * HOUR - 20 * HOUR, np.full(96, -25.0))
    fx = RoomForecaster([(SID, None)], h.query, ForecastSource(folder), lambda _e: None,
                        curve_of=lambda _sid: syn.CURVE)  # fmt: skip
    try:
        events = fx.cycle(now)
        assert [e.action for e in events] == ["paused"]
        assert "stale" in events[0].message
        fc, report = fx.latest(SID)
        assert fc is None and report is not None  # the model is fitted, just not used
        assert fx.status().forecast.state == "stale"
    finally:
        h.close()


def test_the_thread_runs_cycles_until_stopped(tmp_path, small_network):
    rng = np.random.default_rng(9)
    s = syn.series(syn.outdoor(24 * 4, rng), rng)
    h = _history(tmp_path, small_network, s)
    fx = RoomForecaster([(SID, None)], h.query, ForecastSource(tmp_path / "none"),
                        lambda _e: None, period_s=0.05)  # fmt: skip
    try:
        fx.start()
        end = time.monotonic() + 20
        while fx.status().cycles < 2 and time.monotonic() < end:
            time.sleep(0.02)
        assert fx.status().cycles >= 2
        assert fx.status().forecast.state == "missing"
    finally:
        fx.stop()
        h.close()


def test_hourly_means_of_a_held_signal() -> None:
    t = np.array([0.0, 1800.0, 7200.0 + 600.0])
    v = np.array([10.0, 20.0, 30.0])
    out = hourly_held(t, v, 0.0, 4, hold_s=7200.0)
    np.testing.assert_allclose(out, [15.0, 20.0, (20.0 * 2 + 30.0 * 10) / 12, 30.0])
    # A sample stands for at most hold_s: 20 (from 1800 s) has expired by 7350 s.
    short = hourly_held(t, v, 0.0, 4, hold_s=3600.0)
    np.testing.assert_allclose(short[:3], [15.0, 20.0, 30.0])
    assert np.isnan(hourly_held(np.zeros(0), np.zeros(0), 0.0, 2)).all()


def test_on_the_demo_clock_history_is_read_and_forecasts_drawn_in_wall_time(
    tmp_path, small_network
):
    """The demo's simulator runs 60× the wall clock: the history is stamped in wall time, the
    physics, the outdoor forecast and the model in process time. The forecaster converts both
    ways: the same fit as on a real network, and the picture's forecast times on the wall."""
    rng = np.random.default_rng(7)
    s = syn.series(syn.outdoor(24 * 12, rng), rng)
    clock = ProcessClock(scale=60.0, origin=s.start + 5 * 86400.0)
    h = _history(tmp_path, small_network, s, lambda t: clock.origin + (t - clock.origin) / 60.0,
                 max_interval_s=60.0)  # fmt: skip
    folder = tmp_path / "forecast"
    folder.mkdir()
    now = s.start + len(s) * HOUR + 60.0  # process time
    issued = np.floor(now / HOUR) * HOUR
    _forecast_file(folder, issued, np.interp(np.arange(1, 97), [0, 6, 9, 96], [-3, -3, -25, -25]))
    recorded: list = []
    fx = RoomForecaster([(SID, "jianxi")], h.query, ForecastSource(folder), recorded.extend,
                        curve_of=lambda _sid: syn.CURVE, clock=clock,
                        max_interval_s=60.0)  # fmt: skip
    try:
        events = fx.cycle(now)
        assert [e.action for e in events] == ["raise"]
        # Journalled on the wall clock (the demo's plant clock runs ahead: a row stamped on it
        # sat hours in the journal's future), its id from that time; the text keeps the plant's.
        wall_now = clock.origin + (now - clock.origin) / 60.0
        assert recorded == events and events[0].time == pytest.approx(wall_now)
        assert events[0].id[:12] == f"{int(wall_now * 1000) & 0xFFFF_FFFF_FFFF:012x}"
        fc, report = fx.latest(SID)
        assert report is not None and report.delay_h == syn.DELAY_H and report.r2 > 0.99
        pic = fx.picture()
        assert pic is not None and pic.usable and pic.now == now and SID in pic.advisories
        view = pic.stations[SID]
        assert view.history_h >= 24 * 11 and view.fitted_at == now
        wall = clock.origin + (fc.times - clock.origin) / 60.0
        np.testing.assert_allclose(view.wall_times, wall)
        assert np.all(np.diff(view.wall_times) == 60.0)  # an hour of the plant: a wall minute
    finally:
        h.close()


def test_a_prior_past_fills_the_hours_the_history_lacks(tmp_path, small_network):
    """The demo starts with an empty history: the simulated past lets the model fit at once,
    and the console's own hours win wherever it has them."""
    rng = np.random.default_rng(3)
    s = syn.series(syn.outdoor(24 * 12, rng), rng)
    cols = ("outdoor", "supply", "room_mean", "room_min")
    recent = syn.StationSeries(s.start, *(getattr(s, c).copy() for c in cols))
    for c in cols:
        getattr(recent, c)[:-24] = np.nan  # the console has the last day only
    h = _history(tmp_path, small_network, recent)
    now = s.start + len(s) * HOUR + 60.0
    prior = syn.StationSeries(s.start, s.outdoor.copy(), s.supply.copy(),
                              s.room_mean + 5.0, s.room_min + 5.0)  # fmt: skip
    try:
        alone = RoomForecaster([(SID, None)], h.query, ForecastSource(None), lambda _e: None)
        alone.cycle(now)
        assert alone.latest(SID)[1] is None  # a day of history: too short to fit
        asked: list[float] = []
        fx = RoomForecaster([(SID, None)], h.query, ForecastSource(None), lambda _e: None,
                            prior=lambda t: asked.append(t) or {SID: prior})  # fmt: skip
        fx.cycle(now)
        fx.cycle(now + 60)
        assert asked == [now]  # asked once
        assert fx.latest(SID)[1] is not None
        # The history's own last day is kept (the prior's is 5 K warmer), the rest is the prior's.
        filled = fill_from(syn.StationSeries(s.start, *(np.full(len(s), np.nan),) * 4), prior)
        np.testing.assert_allclose(filled.room_mean, prior.room_mean)
        mixed = fill_from(recent, prior)
        np.testing.assert_allclose(mixed.room_mean[-24:], s.room_mean[-24:])
        np.testing.assert_allclose(mixed.room_mean[:-24], s.room_mean[:-24] + 5.0)
        # A column only the prior has (heat: the history's series never carries one) comes
        # with it; a prior without one leaves none.
        assert mixed.heat is None
        heat = np.linspace(300.0, 500.0, len(s))
        with_heat = fill_from(recent, replace(prior, heat=heat))
        np.testing.assert_array_equal(with_heat.heat, heat)
    finally:
        h.close()


def test_the_primary_side_is_read_from_the_history_file(tmp_path, small_network):
    """T1 and the valve position (what the supply limit learns on) come with the rooms, hour by
    hour, from the console's own history file."""
    rng = np.random.default_rng(4)
    s = syn.series(syn.outdoor(24 * 4, rng), rng)
    s.primary = s.supply + 40.0 + rng.normal(0.0, 1.0, len(s))
    s.valve = rng.uniform(20.0, 100.0, len(s))
    h = _history(tmp_path, small_network, s)
    try:
        now = s.start + len(s) * HOUR + 60.0
        got = station_series(h.query, SID, now, len(s) // 24)
        assert got.start == s.start and len(got) == len(s)
        assert got.primary is not None and got.valve is not None
        np.testing.assert_allclose(got.primary, s.primary, atol=2e-3)
        np.testing.assert_allclose(got.valve, s.valve, atol=0.1)  # the register's 0.1 % step
    finally:
        h.close()
