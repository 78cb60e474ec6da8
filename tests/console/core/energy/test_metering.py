"""Metering on real history files written by the real history writer: rollover, meter
replacement, degree-day normalisation, ranking and district sums."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from console.core.energy import (
    CounterSpec,
    MeteringReport,
    StationMetering,
    build_metering,
    from_history,
    periods,
    unwrap_counter,
)
from station_config.alarm_rules import ProcessClock
from station_config.schema import NetworkDef

from .helpers import DAY0, HOUR, reader_series, write_history

U32_GJ = 2**32 * 0.01  # heat_energy: u32 of 0.01 GJ (the template)


def station(r: MeteringReport, sid: str) -> StationMetering:
    (s,) = [s for s in r.stations if s.station == sid]
    return s


def test_stations_without_readings_rank_last_with_no_figures(
    tmp_path: Path, small_network: NetworkDef
) -> None:
    path = tmp_path / "history.sqlite"
    write_history(path, small_network, {"xg-002": lambda t: 1.0 + (t - DAY0) / HOUR},
                  {"xg-002": lambda t: 0.0}, DAY0, DAY0 + 86400)  # fmt: skip
    r = from_history(small_network, path, now=DAY0 + 86400, tz=UTC)
    assert r.stations[0].station == "xg-002"
    assert all(s.figures["season"].energy_gj is None for s in r.stations[1:])
    assert len(r.stations) == len(small_network.stations)


def test_counter_spec_from_the_template(small_network: NetworkDef) -> None:
    tpl = small_network.templates["substation-v1"]
    assert CounterSpec.from_point(tpl.point("heat_energy")).modulus == pytest.approx(U32_GJ)
    assert CounterSpec.from_point(tpl.point("meter_energy")).modulus is None  # f32: no wrap


def test_periods_in_local_time_and_season_start() -> None:
    now = DAY0 + 5 * 86400 + 13 * HOUR  # 2026-12-06 13:00 UTC
    p = periods(now, UTC)
    assert p["today"] == (DAY0 + 5 * 86400, now)
    assert p["month"] == (DAY0, now)
    assert p["season"][0] == DAY0 - 16 * 86400  # 2026-11-15
    spring = periods(DAY0 + 100 * 86400, UTC)  # 2027-03-11: still last November's season
    assert spring["season"][0] == DAY0 - 16 * 86400


def test_a_season_start_the_year_lacks_is_held_to_the_months_last_day() -> None:
    """29 February (given on the command line) or 11-31 (the configuration's pattern lets it
    through): the month's last day, not a ValueError from datetime."""
    now = DAY0 + 5 * 86400  # 2026-12-06, not a leap year
    feb = datetime.fromtimestamp(periods(now, UTC, (2, 29))["season"][0], UTC)
    assert (feb.year, feb.month, feb.day) == (2026, 2, 28)
    nov = datetime.fromtimestamp(periods(now, UTC, (11, 31))["season"][0], UTC)
    assert (nov.year, nov.month, nov.day) == (2026, 11, 30)
    leap = datetime(2028, 3, 1, tzinfo=UTC).timestamp()
    assert periods(leap, UTC, (2, 29))["season"][0] == datetime(2028, 2, 29, tzinfo=UTC).timestamp()


def _history(tmp_path: Path, net: NetworkDef, counters, outdoor, days: float = 2.0) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "history.sqlite"
    write_history(path, net, counters, outdoor, DAY0, DAY0 + days * 86400)
    return path


def test_rollover_is_counted_across_the_wrap(tmp_path: Path, small_network: NetworkDef) -> None:
    rate = 3.0  # GJ/h
    start_value = U32_GJ - 20.0  # wraps after 20 GJ, ~6.7 h in

    def counter(t: float) -> float:
        return (start_value + rate * (t - DAY0) / HOUR) % U32_GJ

    path = _history(tmp_path, small_network, {"jx-001": counter}, {"jx-001": lambda t: 0.0})
    now = DAY0 + 47 * HOUR
    r = build_metering(small_network, reader_series(path), now=now, tz=UTC)
    s = station(r, "jx-001")
    # The history keeps a chunk's values as float32 offsets from its first value: in the hour
    # of the wrap the readings after it are ~4.3e7 GJ below that base, stored to ±2 GJ
    # (reported to the lead). Exactness on the raw readings: test_unwrap_on_scanned_readings.
    f32_half_step = float(np.spacing(np.float32(U32_GJ))) / 2
    assert s.figures["season"].energy_gj == pytest.approx(rate * 47, abs=f32_half_step)
    ts = np.arange(DAY0, now + 1, 300.0)
    exact = unwrap_counter(ts, np.round([counter(t) for t in ts], 2), None,
                           CounterSpec.from_point(small_network.templates["substation-v1"]
                                                  .point("heat_energy")))  # fmt: skip
    assert exact.between(DAY0, now)[0] == pytest.approx(rate * 47, abs=0.02)
    assert [e.kind for e in exact.events] == ["rollover"]
    # Up to the last stored reading (every 15 min in the history; the console adds its ring).
    today = s.figures["today"]
    assert rate * (23 - 0.25) - 0.02 <= today.energy_gj <= rate * 23 + 0.02
    assert today.coverage == pytest.approx(today.energy_gj / (rate * 23), abs=0.01)
    assert [e.kind for e in s.events] == ["rollover"]
    assert s.events[0].before > U32_GJ - 21 and s.events[0].after < 5


def test_meter_replacement_sums_both_meters_and_is_recorded(
    tmp_path: Path, small_network: NetworkDef
) -> None:
    rate = 2.0
    swap = DAY0 + 30 * HOUR + 600  # between two of the history's 15-minute counter samples

    def counter(t: float) -> float:
        if t < swap:
            return 5000.0 + rate * (t - DAY0) / HOUR
        return rate * (t - swap) / HOUR  # the new meter counts from zero

    path = _history(tmp_path, small_network, {"xg-001": counter}, {"xg-001": lambda t: 5.0})
    r = build_metering(small_network, reader_series(path), now=DAY0 + 2 * 86400, tz=UTC)
    s = station(r, "xg-001")
    (e,) = s.events
    assert e.kind == "replacement" and e.after < 1.0 and e.before > 5000.0
    assert abs(e.time - swap) <= 300  # the first scan after the swap
    # The old meter's last 15 minutes before the swap are not in the history (stored every
    # 15 min): at most that much is missing, never the whole old reading counted negative.
    got = s.figures["season"].energy_gj
    assert rate * 48 - rate * 0.25 - 0.02 <= got <= rate * 48 + 0.02
    assert s.figures["month"].energy_gj == pytest.approx(got)


def test_step_back_that_is_no_replacement_is_recorded_not_counted(
    tmp_path: Path, small_network: NetworkDef
) -> None:
    glitch = DAY0 + 10 * HOUR

    def counter(t: float) -> float:  # a controller reset to an older backup value
        v = 8000.0 + (t - DAY0) / HOUR
        return v - 500.0 if t >= glitch else v

    path = _history(tmp_path, small_network, {"jx-002": counter}, {"jx-002": lambda t: 5.0}, 1.0)
    r = build_metering(small_network, reader_series(path), now=DAY0 + 86400, tz=UTC)
    s = station(r, "jx-002")
    assert [e.kind for e in s.events] == ["step_back"]
    assert s.figures["season"].energy_gj == pytest.approx(24.0, abs=0.3)


def test_degree_day_normalisation_and_worst_first(
    tmp_path: Path, small_network: NetworkDef
) -> None:
    # Two whole UTC days: −2 °C then +8 °C → 20 + 10 = 30 K·d for every station.
    def outdoor(t: float) -> float:
        return -2.0 if t < DAY0 + 86400 else 8.0

    rates = {"jx-001": 4.0, "jx-002": 6.0, "xg-001": 3.0, "xg-002": 9.0}  # GJ/h
    counters = {sid: (lambda t, r=r: 100.0 + r * (t - DAY0) / HOUR) for sid, r in rates.items()}
    path = _history(tmp_path, small_network, counters, dict.fromkeys(rates, outdoor))
    now = DAY0 + 2 * 86400
    r = from_history(small_network, path, now=now, tz=UTC)
    area = {s.id: s.area_m2 for s in small_network.stations}
    intensity = {sid: rates[sid] * 48 * 1000 / (area[sid] * 30.0) for sid in rates}
    assert [s.station for s in r.stations] == sorted(intensity, key=intensity.get, reverse=True)
    assert [s.rank for s in r.stations] == [1, 2, 3, 4]
    for s in r.stations:
        f = s.figures["month"]  # December so far = both days
        assert f.degree_days == pytest.approx(30.0, abs=0.05)
        assert f.energy_gj == pytest.approx(rates[s.station] * 48, abs=0.02)
        assert f.gj_per_m2 == pytest.approx(rates[s.station] * 48 / area[s.station], rel=1e-3)
        assert f.mj_per_m2_dd == pytest.approx(intensity[s.station], rel=2e-3)
        assert s.figures["season"].coverage == pytest.approx(2 / 18, abs=0.01)  # since 15 Nov
    # Districts: sums of their stations, intensity over Σ area·HDD, worst first.
    by = {d.district: d for d in r.districts}
    for did in ("jianxi", "xigong"):
        members = [s for s in small_network.stations if s.district == did]
        e = sum(rates[s.id] * 48 for s in members)
        a = sum(s.area_m2 for s in members)
        f = by[did].figures["month"]
        assert f.energy_gj == pytest.approx(e, abs=0.05)
        assert f.mj_per_m2_dd == pytest.approx(e * 1000 / (a * 30.0), rel=2e-3)
    worst = max(by.values(), key=lambda d: d.figures["season"].mj_per_m2_dd)
    assert r.districts[0] is worst and r.districts[0].rank == 1


def test_mild_weather_has_no_per_degree_day_figure(
    tmp_path: Path, small_network: NetworkDef
) -> None:
    path = _history(
        tmp_path, small_network, {"jx-001": lambda t: 10.0 + (t - DAY0) / HOUR},
        {"jx-001": lambda t: 19.0}, 1.0,
    )  # fmt: skip
    r = from_history(small_network, path, now=DAY0 + 86400, tz=UTC)
    f = station(r, "jx-001").figures["season"]
    assert f.degree_days == 0.0 and f.mj_per_m2_dd is None and f.gj_per_m2 is not None


def test_accelerated_process_clock_widens_the_plausible_step(small_network: NetworkDef) -> None:
    # The demo's simulator runs 60x: 30 GJ of process hour per wall minute is real heat there,
    # an implausible jump on a real network.
    t = np.arange(DAY0, DAY0 + 3600.0 + 1, 60.0)
    v = 500.0 + 30.0 * np.arange(len(t))
    q = np.zeros(len(t), np.uint8)

    def series(sid: str, point: str, a: float, b: float):  # type: ignore[no-untyped-def]
        return (t, v, q) if point == "heat_energy" else (t, np.zeros(len(t)), q)

    fast = small_network.alarms.model_copy(
        update={"process_clock": ProcessClock(scale=60.0, origin=DAY0)}
    )
    demo = small_network.model_copy(update={"alarms": fast})
    for net, expected, kinds in ((demo, 1800.0, set()), (small_network, 0.0, {"jump"})):
        r = build_metering(net, series, now=DAY0 + 3600, tz=UTC)
        s = station(r, "jx-001")
        assert s.figures["today"].energy_gj == pytest.approx(expected)
        assert {e.kind for e in s.events} == kinds


def test_a_counter_restored_lower_after_a_long_outage_is_no_new_meter(
    small_network: NetworkDef,
) -> None:
    """Three days without readings, then the counter reads 30,000 GJ below its last 50,000:
    no meter of this station's size could have counted 30,000 GJ from zero in three days (the
    generic 500 GJ/h ceiling allowed 36,000 and counted it all) — a step back, not counted."""
    sdef = next(s for s in small_network.stations if s.id == "jx-001")
    assert 0 < sdef.area_m2 < 200_000  # a substation's size: its own ceiling applies
    t = np.concatenate(
        [DAY0 + 900.0 * np.arange(9), DAY0 + 2 * 3600 + 3 * 86400 + np.array([0, 900])]
    )
    v = np.concatenate([50_000.0 + 0.5 * np.arange(9), [30_000.0, 30_000.5]])
    q = np.zeros(len(t), np.uint8)

    def series(sid: str, point: str, a: float, b: float):  # type: ignore[no-untyped-def]
        return (t, v, q) if point == "heat_energy" else (t, np.zeros(len(t)), q)

    r = build_metering(small_network, series, now=float(t[-1]) + 60, tz=UTC)
    s = station(r, "jx-001")
    assert [e.kind for e in s.events] == ["step_back"]
    assert s.figures["season"].energy_gj == pytest.approx(4.5)
