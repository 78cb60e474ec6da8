"""Predictive advisories from a synthetic cooling series; never from an unusable forecast; the
journal (a real SQLite file) stores and finds them as their own kind."""

from __future__ import annotations

import re
import time
from datetime import UTC

import numpy as np
import pytest

from console.core.events import Kind, Priority
from console.core.forecast.advisory import (
    P_CLEAR,
    P_RAISE,
    AdvisoryTracker,
    cold_probability,
    first_crossing,
    probable_crossing,
)
from console.core.forecast.model import Z90, RoomForecast, ThermalModel
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
    assert AdvisoryTracker().z is None and not AdvisoryTracker().sure  # the probability criterion
    assert AdvisoryTracker(sure=True).sure and AdvisoryTracker(sure=True).z == Z90
    assert AdvisoryTracker(sure=False).z == 0.0 and AdvisoryTracker(z=0.5).z == 0.5


def flat(coldest: np.ndarray, sigma: float) -> RoomForecast:
    """A forecast whose coldest room follows `coldest` with a band of `sigma` (σ)."""
    n = len(coldest)
    t = 1_767_225_600.0 + 3600.0 * (np.arange(n) + 0.5)
    c = np.asarray(coldest, dtype=np.float64)
    half = np.full(n, Z90 * sigma)
    mean = c + 1.5
    return RoomForecast(t, mean, mean - half, mean + half, c, c - half, c + half,
                        np.full(n, -5.0), 1_767_225_600.0)  # fmt: skip


def test_the_probability_is_read_from_the_band() -> None:
    fc = flat(np.full(48, 18.0), 0.2)
    np.testing.assert_allclose(cold_probability(fc, 18.0), 0.5)
    # The band's top is its 95th percentile: the limit there is 95 % likely above the room.
    top = flat(np.full(48, 18.0 - Z90 * 0.2), 0.2)
    np.testing.assert_allclose(cold_probability(top, 18.0), 0.95, atol=1e-3)
    assert (cold_probability(flat(np.full(48, 21.0), 0.2), 18.0) < 1e-6).all()


def test_a_near_miss_hovering_at_the_limit_raises_nothing() -> None:
    """The coldest room forecast a few hundredths either side of 18 °C (this simulator's cold
    nights): under the old centre criterion an advisory; not under the probability one."""
    hover = 18.0 + 0.04 * np.sin(np.arange(48) / 3.0)
    fc = flat(hover, 0.1)
    assert first_crossing(fc, 18.0, fc.issued_at) is not None  # the centre dips under
    assert probable_crossing(fc, 18.0, fc.issued_at) is None
    assert AdvisoryTracker().update("xg-002", fc, "ok", fc.issued_at, 18.3) == []


def test_a_probable_dip_raises_once_with_its_lead_and_probability() -> None:
    dip = np.interp(np.arange(48), [0, 10, 14, 30, 48], [19.0, 19.0, 17.5, 17.5, 19.0])
    fc = flat(dip, 0.2)
    tr = AdvisoryTracker(tz=UTC)
    (ev,) = tr.update("xg-002", fc, "ok", fc.issued_at, 19.0)
    assert MESSAGE.match(ev.message), ev.message
    # P(room < 17.9 °C, the depth below 18) ≥ 0.7 needs the centre ≤ 17.9 − 0.52·σ = 17.80 °C:
    # the fall (0.375 K/h from hour 10) is there at hour 13.2, so the hour starting at 14 (whose
    # middle is 14.5 h after the issue) is the first, and the next holds too.
    assert ev.details["lead_h"] == pytest.approx(14.5) and ev.details["probability"] > 0.99
    # A single hour barely likely is not enough: MIN_HOURS in a row.
    blip = np.full(48, 19.0)
    blip[20] = 17.0
    assert probable_crossing(flat(blip, 0.2), 18.0, fc.issued_at) is None


def test_hysteresis_holds_an_advisory_until_the_cold_is_unlikely() -> None:
    tr = AdvisoryTracker()
    now = 1_767_225_600.0
    sigma = 0.2
    deep = flat(np.full(48, 17.6), sigma)
    assert [e.action for e in tr.update("xg-002", deep, "ok", now, 19.0)] == ["raise"]
    # Less sure now (probability between P_CLEAR and P_RAISE): not raised afresh, not cleared.
    mid = (P_CLEAR + P_RAISE) / 2
    between = flat(np.full(48, 18.0 + 0.2 * sigma * (0.5 - mid) / 0.1), sigma)
    p = float(cold_probability(between, 18.0).max())
    assert P_CLEAR < p < P_RAISE
    assert tr.update("xg-002", between, "ok", now + 3600, 19.0) == [] and "xg-002" in tr.active
    # Unlikely: cleared.
    gone = flat(np.full(48, 18.6), sigma)
    assert [e.action for e in tr.update("xg-002", gone, "ok", now + 7200, 19.0)] == ["clear"]
    # And the same in-between forecast does not raise it again.
    assert tr.update("xg-002", between, "ok", now + 10800, 19.0) == []


def test_the_readers_word_each_advisory_as_recorded_from_its_fields(fitted) -> None:
    """advisory_words (the log tab, the report) rebuilds what was journalled from the row's
    fields: with no translation it says exactly the recorded English, station aside."""
    from console.vocabulary.advisory_words import advisory_words

    def same(_context: str, text: str) -> str:
        return text

    _, s = fitted
    tr = AdvisoryTracker(threshold=18.0)
    fc = forecast(fitted, cold_wave(6))
    events = tr.update("xg-002", fc, "ok", fc.issued_at, float(s.room_min[-1]))
    events += tr.update("xg-002", forecast(fitted, np.full(48, -3.0)), "ok", fc.issued_at, 19.0)
    events += tr.update("xg-002", fc, "ok", fc.issued_at, float(s.room_min[-1]))
    events += tr.update("xg-002", fc, "ok", fc.issued_at, 17.5)  # the room itself went below
    events += tr.forecast_state("stale", "issued 30 h ago", fc.issued_at)
    events += tr.forecast_state("ok", "", fc.issued_at)
    assert [e.action for e in events] == ["raise", "clear", "raise", "clear", "paused", "resumed"]
    for e in events:
        said = advisory_words(e.action, e.limit, e.details, e.message, same)
        recorded = e.message.removeprefix("xg-002: ")
        if e.action == "paused":  # the reason's detail is the source's own words
            recorded = recorded.split(" (", 1)[0]
        assert said == recorded
    assert events[1].details["why"] == "gone" and events[3].details["why"] == "alarm"
