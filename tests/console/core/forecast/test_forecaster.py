"""The room forecaster on real parts: a history file written through console.core.history, a
forecast folder read by ForecastSource (files in the documented format, written by the
simulator's writer), a real SQLite journal writer receiving its events."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from console.core.events import Kind
from console.core.forecast.forecaster import RoomForecaster, hourly_held
from console.core.forecast.model import HOUR
from console.core.forecast.source import ForecastSource
from console.core.history import History
from drivers.points import build_point_table
from drivers.samples import CommState, StationScan
from drivers.simulator.forecast import Issue, render_json, write_atomically
from tests.console.core.forecast import synthetic as syn

SID = "jx-001"
SCAN_S = 600.0


def _history(tmp_path: Path, net, s) -> History:
    """The synthetic building's hours written as scans every 10 min (each hour's value held)."""
    st = next(x for x in net.stations if x.id == SID)
    tb = build_point_table(net.templates[st.template], st)
    h = History(tmp_path / "history.sqlite", {SID: tb}, batch_s=0.01, max_interval_s=3600)
    cols = {"outdoor_temp": s.outdoor, "t3_secondary_supply": s.supply,
            "room_temp_mean": s.room_mean, "room_temp_min": s.room_min}  # fmt: skip
    n = len(tb)
    for k in range(len(s)):
        for j in range(int(HOUR / SCAN_S)):
            t = s.start + k * HOUR + j * SCAN_S
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
