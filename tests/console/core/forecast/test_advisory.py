"""Predictive advisories from a synthetic cooling series; never from an unusable forecast; the
journal (a real SQLite file) stores and finds them as their own kind."""

from __future__ import annotations

import re
import time
from datetime import UTC

import numpy as np
import pytest

from console.core.events import Kind, Priority
from console.core.forecast.advisory import AdvisoryTracker, first_crossing
from console.core.forecast.model import ThermalModel
from console.core.journal.query import Filters, query
from console.core.journal.row_check import check_field
from console.core.journal.store import connect, insert_events
from tests.console.core.forecast import synthetic as syn

MESSAGE = re.compile(r"^xg-002: coldest rooms forecast below 18 °C in ~(\d+) h \(≈ \d\d:\d\d\)$")


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(5)
    s = syn.series(syn.outdoor(24 * 15, rng), rng)
    m = ThermalModel(curve=syn.CURVE)
    m.fit(s)
    return m, s


def cold_wave(drop_at_h: int, to_c: float = -25.0) -> np.ndarray:
    """Mild until `drop_at_h`, then a fall to `to_c` over 3 h."""
    lead = np.arange(1, 49)
    return np.interp(lead, [0, drop_at_h, drop_at_h + 3, 48], [-3.0, -3.0, to_c, to_c])


def forecast(fitted, outdoor: np.ndarray):
    m, s = fitted
    k = len(s) - 1
    return m.forecast(s, syn.hour_times(s, k, 48), outdoor)


def test_a_forecast_cold_wave_raises_one_advisory_with_its_lead(fitted) -> None:
    _, s = fitted
    fc = forecast(fitted, cold_wave(6))
    now = fc.issued_at
    # The synthetic building reaches 18 °C in its coldest room hours after the drop.
    truth = syn.extend(s, cold_wave(6))
    true_cross = int(np.flatnonzero(truth.room_min[len(s) :] < 18.0)[0]) + 1
    tr = AdvisoryTracker(threshold=18.0, tz=UTC)
    events = tr.update("xg-002", fc, "ok", now, coldest_now=float(s.room_min[-1]), district="xg")
    assert len(events) == 1
    ev = events[0]
    m = MESSAGE.match(ev.message)
    assert m, ev.message
    assert abs(int(m.group(1)) - true_cross) <= 2
    assert ev.kind is Kind.ADVISORY and ev.action == "raise"
    assert ev.priority is Priority.INFO  # below every alarm priority
    assert all(ev.priority.rank > p.rank for p in (Priority.LOW, Priority.MEDIUM, Priority.HIGH))
    assert len(ev.details["coldest"]) == 48 and ev.details["lead_h"] > 6
    # The same forecast again: still one advisory, not a second.
    assert tr.update("xg-002", fc, "ok", now + 3600, float(s.room_min[-1])) == []
    # The weather service withdraws the wave: the advisory clears.
    mild = forecast(fitted, np.full(48, -3.0))
    cleared = tr.update("xg-002", mild, "ok", now + 7200, float(s.room_min[-1]))
    assert [e.action for e in cleared] == ["clear"] and "xg-002" not in tr.active


def test_normal_weather_raises_nothing(fitted) -> None:
    _, s = fitted
    tr = AdvisoryTracker()
    fc = forecast(fitted, np.full(48, -3.0))
    assert fc is not None and first_crossing(fc, 18.0, fc.issued_at) is None
    assert tr.update("xg-002", fc, "ok", fc.issued_at, float(s.room_min[-1])) == []


@pytest.mark.parametrize("status", ["stale", "missing", "invalid"])
def test_no_advisory_from_an_unusable_forecast_it_says_so_instead(fitted, status) -> None:
    _, s = fitted
    fc = forecast(fitted, cold_wave(6))
    tr = AdvisoryTracker()
    said = tr.forecast_state(status, "issued 20 h ago", fc.issued_at)
    assert len(said) == 1 and said[0].kind is Kind.ADVISORY and said[0].action == "paused"
    assert status in said[0].message
    assert tr.update("xg-002", fc, status, fc.issued_at, float(s.room_min[-1])) == []
    assert tr.forecast_state(status, "issued 21 h ago", fc.issued_at) == []  # said once
    back = tr.forecast_state("ok", "", fc.issued_at)
    assert [e.action for e in back] == ["resumed"]


def test_a_room_already_below_the_limit_is_the_alarm_s_business(fitted) -> None:
    fc = forecast(fitted, cold_wave(6))
    tr = AdvisoryTracker()
    assert tr.update("xg-002", fc, "ok", fc.issued_at, coldest_now=17.5) == []


def test_the_journal_keeps_and_finds_advisories(fitted, tmp_path) -> None:
    _, s = fitted
    fc = forecast(fitted, cold_wave(6))
    now = time.time()  # the journal refuses times from the future or before 2000
    ev = AdvisoryTracker().update("xg-002", fc, "ok", now, float(s.room_min[-1]))[0]
    for col, v in ev.to_row().items():
        if col != "details":
            assert check_field(col, v, now) is None, col
    conn = connect(tmp_path / "journal.db", create=True)
    try:
        insert_events(conn, [ev])
        conn.commit()
        found = query(conn, Filters(kinds=["advisory"]))
    finally:
        conn.close()
    assert [e.id for e in found] == [ev.id]
    assert found[0].kind == Kind.ADVISORY and found[0].details["coldest"] == ev.details["coldest"]


def test_a_sure_advisory_waits_for_the_top_of_the_band(fitted) -> None:
    fc = forecast(fitted, cold_wave(6, -15.0))  # a slow fall: the band matters
    centre = first_crossing(fc, 18.0, fc.issued_at)
    sure = first_crossing(fc, 18.0, fc.issued_at, sure=True)
    assert centre is not None and sure is not None
    assert sure.at >= centre.at  # the band's top never crosses before its centre
    # A shallow dip the centre barely crosses is not sure.
    low = float(np.nanmin(fc.coldest))
    shallow = first_crossing(fc, low + 0.01, fc.issued_at, sure=True)
    assert first_crossing(fc, low + 0.01, fc.issued_at) is not None and shallow is None


def test_the_surer_the_criterion_the_later_the_crossing(fitted) -> None:
    """`z`: σ of the forecast's own band its centre must be below the limit; the default (1)
    sits between the centre (0) and the band's top (Z90, `sure`)."""
    slow = np.interp(np.arange(1, 49), [0, 6, 40, 48], [-3.0, -3.0, -25.0, -25.0])
    fc = forecast(fitted, slow)  # a slow fall: each criterion crosses at its own hour
    now = fc.issued_at
    at = [first_crossing(fc, 18.0, now, z=z).at for z in (0.0, 0.5, 1.0, 1.645)]
    assert at == sorted(at) and at[0] < at[-1]
    assert first_crossing(fc, 18.0, now, sure=True).at == at[-1]
    assert AdvisoryTracker().z == 1.0 and AdvisoryTracker(sure=True).sure
    assert AdvisoryTracker(sure=False).z == 0.0 and AdvisoryTracker(z=0.5).z == 0.5
