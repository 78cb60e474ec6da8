"""Benchmark: the 48-hour room forecast and the predictive advisory, on the simulator.

The physics (drivers.simulator.physics) runs the demo city directly at high speed, no Modbus. Every
station's hourly history (outdoor, T3, room mean, coldest room, T1, valve position) is what the
console would record. Part 1, normal weather (the simulator's winter cycle with a random change of
weather every day): each station's model is fitted on the first `--train-days` and refitted daily;
every 6 hours, at each issue of the simulator's forecast (with its errors:
`ForecastPublisher.issue`, the same values it writes to the forecast folder), the rooms are forecast
48 h ahead and scored against what the physics then does, beside persistence and a plain first-order
RC model fitted on the same history with the same inputs. Advisories raised in this part are
checked: an advisory is false if the coldest room does not fall below 18 °C within 48 h of it.
Part 2, `cold_wave` (the scenario's events, after the same normal history so the models are
fitted and the forecast can see the wave coming): the lead time of each station's first
advisory before its first coldest-room reading below 18 °C (room_low), split by cause: a
station an incident event of the scenario hits (`cold_wave`'s 涧西 booster trip, `dp_limit`)
goes cold from something no weather forecast can see; the others go cold from the weather.
`cold_wave_weather` is `cold_wave` without its incident events: the same wave, weather only.
Advisory criteria side by side (MODES): "p", the default (AdvisoryTracker's probability
criterion: the calibrated probability of the coldest room below 18 °C, with a depth, a duration
and hysteresis), beside the older ones: how far below 18 °C the forecast must be, in σ of its
own band (0: the centre crosses; 1.645: the top of the 90 % band, "sure"). Normal weather:
precision (an advisory is true if the coldest room goes below 18 °C within 48 h) and recall
(of the episodes below 18 °C, how many an advisory raised in the 48 h before announced).

The models are first fitted `--calib-days` before the training days end; the forecasts of those
days choose the probability threshold ("p_train": the lowest candidate whose advisories were
≥ 70 % true there), so nothing about the criterion is tuned on the test days.

    .venv/bin/python bench/bench_forecast.py [--train-days 14] [--test-days 10] [--seed 0]
                                             [--calib-days 7]
    .venv/bin/python bench/bench_forecast.py --tiny      # seconds: a smoke run, no targets
    .venv/bin/python bench/bench_forecast.py --tiny --train-days 3   # sizes given are kept
"""

from __future__ import annotations

import argparse
import copy
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from console.core.forecast.advisory import P_RAISE, AdvisoryTracker
from console.core.forecast.model import (
    HOUR,
    Z90,
    Arx,
    StationSeries,
    SupplyLaw,
    ThermalModel,
    curve_from_points,
)
from console.core.forecast.simulated_past import daily_weather, room_readings
from drivers.simulator.forecast import ForecastPublisher, Issue
from drivers.simulator.physics import NetworkPhysics
from drivers.simulator.scenarios import Scenario
from station_config.loader import load_network
from station_config.schema import NetworkDef

ROOT = Path(__file__).resolve().parents[1]
NETWORK = ROOT / "station_config/demo.yaml"
SCENARIOS = ROOT / "station_config/scenarios"
SAMPLE_S = 900.0  # physics sampled every 15 min, averaged per hour (what the history holds)
START = 1_767_225_600.0  # 2026-01-01T00:00Z, an issue time (00 UTC)
ROOM_LOW = 18.0
# Advisory criteria measured side by side (AdvisoryTracker's arguments): the default, the
# probability criterion ("p"); the older ones: the forecast's centre crosses 18 °C, it is 1 σ
# of its band below, or the top of its 90 % band is ("sure").
MODES: dict[str, dict] = {"p": {}, "centre": {"z": 0.0}, "z1": {"z": 1.0}, "sure": {"z": Z90}}
# Probability thresholds tried on the training days' last `--calib-days` ("p_train": the one
# chosen there, used on the test days beside the default "p").
P_CANDIDATES = (0.5, 0.6, 0.7, 0.8, 0.9)
CAL_MIN_ADVISORIES = 3
WEATHER_EVENTS = ("weather", "cold_wave")
# name -> (scenario file, keep its incident events)
SCENARIO_RUNS = {
    "cold_wave": ("cold_wave", True),
    "cold_wave_ahead": ("cold_wave_ahead", True),
    "cold_wave_weather": ("cold_wave", False),
}


@dataclass
class Recorder:
    """Hourly means of what the console records, per station (columns)."""

    ph: NetworkPhysics
    hours: list[np.ndarray]  # each (6, n): outdoor, T3, room mean, coldest room, T1, valve %
    low_at: np.ndarray  # first 15-min sample with the coldest room < 18 °C (epoch s), or nan

    @classmethod
    def new(cls, ph: NetworkPhysics) -> Recorder:
        return cls(ph, [], np.full(ph.n, np.nan))

    def rooms(self) -> tuple[np.ndarray, np.ndarray]:
        return room_readings(self.ph)  # what the room sensors show

    def hour(self, events: list[tuple[float, dict]]) -> None:
        """Advance one hour (applying due events), record its mean."""
        acc = np.zeros((6, self.ph.n))
        t0 = self.ph.now
        for j in range(int(HOUR / SAMPLE_S)):
            # To the sample's own time: an event exactly on a sample boundary (a scenario's
            # "30m") must not push the clock a further sample ahead.
            target = t0 + (j + 1) * SAMPLE_S
            while events and events[0][0] <= target:
                t, ev = events.pop(0)
                self.ph.advance(max(t - self.ph.now, 0.0))
                self.ph.apply_event(ev)
            self.ph.advance(target - self.ph.now)
            mean, low = self.rooms()
            new_low = np.isnan(self.low_at) & (low < ROOM_LOW)
            self.low_at[new_low] = self.ph.now
            ph = self.ph
            acc += np.stack([ph.to, ph.t3, mean, low, ph.t1, 100.0 * ph.valve])
        self.hours.append(acc / (HOUR / SAMPLE_S))

    def series(self, i: int, upto: int | None = None) -> StationSeries:
        a = np.array([h[:, i] for h in self.hours[:upto]])
        return StationSeries(START, *(a[:, j] for j in range(6)))


def rc_baseline(s: StationSeries) -> Arx | None:
    """A plain first-order RC model: y[k+1] = a·y[k] + b·To[k+1] + c·Ts[k+1] + e."""
    y, to, ts = s.room_mean, s.outdoor, s.supply
    x = np.column_stack([y[:-1], to[1:], ts[1:], np.ones(len(y) - 1)])
    t = y[1:]
    ok = np.isfinite(x).all(axis=1) & np.isfinite(t)
    if ok.sum() < 24:
        return None
    th, *_ = np.linalg.lstsq(x[ok], t[ok], rcond=None)
    # As the ARX form (a1, a2, b0, b1, c0, c1, e) so it runs the same way.
    return Arx(np.array([th[0], 0.0, th[1], 0.0, th[2], 0.0, th[3]]))


def curve_of(ph: NetworkPhysics, i: int) -> SupplyLaw | None:
    """Station i's weather curve as the console reads it: registers 205–210 and the shift."""
    return curve_from_points(lambda p: float(ph._cfg[p][i]))


def run(args: argparse.Namespace) -> dict:
    net = load_network(NETWORK)
    if args.stations:
        net = net.model_copy(update={"stations": net.stations[: args.stations]})
    rng = np.random.default_rng(args.seed)
    n_days = args.train_days + args.test_days
    t_norm = time.perf_counter()
    ph = NetworkPhysics(net, seed=args.seed, start=START)
    weather = daily_weather(n_days + 2, rng, START)
    pub = _publisher(ph, args.seed, weather)
    rec = Recorder.new(ph)
    events = list(weather)
    models = [ThermalModel(curve=curve_of(ph, i)) for i in range(ph.n)]
    train_h = 24 * args.train_days
    first_fit_h = train_h - 24 * args.calib_days
    lead6, lead24, p6, p24, r6, r24 = ([] for _ in range(6))
    modes = dict(MODES)
    advis = {mode: AdvisoryTracker(ROOM_LOW, **kw) for mode, kw in modes.items()}
    raised: dict[str, list[tuple[int, float]]] = {mode: [] for mode in modes}
    # The last `calib_days` of the training days: the probability threshold is chosen there.
    cal = {p: AdvisoryTracker(ROOM_LOW, p=p) for p in P_CANDIDATES}
    cal_raised: dict[float, list[tuple[int, int]]] = {p: [] for p in P_CANDIDATES}
    fit_s = fc_s = 0.0
    fits = n_fc = 0
    snapshot = None
    for k in range(24 * n_days):
        rec.hour(events)
        if k + 1 < first_fit_h or (k + 1) % 6:
            continue
        calibrating = k + 1 < train_h
        if k + 1 == train_h:  # the test days start: the threshold from the training days
            low_train = np.array(rec.hours)[:, 3, :]
            p_train, out_cal = choose_threshold(cal_raised, low_train)
            modes["p_train"] = {"p": p_train}
            advis["p_train"] = AdvisoryTracker(ROOM_LOW, p=p_train)
            raised["p_train"] = []
        if (k + 1 - first_fit_h) % 24 == 0:  # refit daily as history grows
            t_fit = time.perf_counter()
            for i, m in enumerate(models):
                m.fit(rec.series(i))
            fit_s += time.perf_counter() - t_fit
            fits += ph.n
            rcs = [rc_baseline(rec.series(i)) for i in range(ph.n)]
        if snapshot is None and not calibrating:  # the cold-wave runs start here: same
            snapshot = copy.deepcopy((rec, models, [e for e in events]))  # history, same fits
        issue = pub.issue(START + (k + 1) * HOUR)
        for i, m in enumerate(models):
            s = rec.series(i)
            t_fc = time.perf_counter()
            fc = m.forecast(s, issue.times, issue.outdoor_c, now_index=k)
            fc_s += time.perf_counter() - t_fc
            n_fc += 1
            if fc is None:
                continue
            if calibrating:
                for p, tracker in cal.items():
                    for ev in tracker.update(str(i), fc, "ok", fc.issued_at, s.room_min[k]):
                        if ev.action == "raise":
                            cal_raised[p].append((i, k))
                continue
            for mode, tracker in advis.items():
                for ev in tracker.update(net.stations[i].id, fc, "ok", fc.issued_at, s.room_min[k]):
                    if ev.action == "raise":
                        raised[mode].append((i, fc.issued_at))
            p = [fc.mean[5], fc.mean[23]]
            pers = s.room_mean[k]
            rc = rcs[i]
            rc_p = [np.nan, np.nan]
            if rc is not None:
                law = m.law(np.concatenate([s.outdoor[k : k + 1], fc.outdoor]))
                to = np.concatenate([s.outdoor[k : k + 1], fc.outdoor])
                path = rc.run(s.room_mean[k], s.room_mean[k], to, law)
                rc_p = [path[5], path[23]]
            lead6.append((k + 6, i, p[0]))
            lead24.append((k + 24, i, p[1]))
            p6.append((k + 6, i, pers))
            p24.append((k + 24, i, pers))
            r6.append((k + 6, i, rc_p[0]))
            r24.append((k + 24, i, rc_p[1]))
    total_h = len(rec.hours)
    truth = np.array(rec.hours)[:, 2, :]  # (hours, n) room mean

    def errs(rows: list) -> np.ndarray:
        e = [abs(v - truth[h, i]) for h, i, v in rows if h < total_h and np.isfinite(v)]
        return np.array(e)

    out = {
        name: errs(rows)
        for name, rows in [
            ("model6", lead6),
            ("model24", lead24),
            ("pers6", p6),
            ("pers24", p24),
            ("rc6", r6),
            ("rc24", r24),
        ]
    }
    # Advisories in normal weather: false if the coldest room stays ≥ 18 °C for 48 h after.
    low = np.array(rec.hours)[:, 3, :]
    episodes = cold_episodes(low, train_h)
    out["episodes"] = len(episodes)
    for mode, rows in raised.items():
        at = [(i, round((t - START) / HOUR)) for i, t in rows]
        false = sum(not (low[k : k + 49, i] < ROOM_LOW).any() for i, k in at)
        caught = sum(any(j == i and h - 48 <= k < h for j, k in at) for i, h in episodes)
        out[f"advisories_{mode}"] = (len(rows), false, caught)
    out["modes"] = modes
    out["calibration"] = out_cal
    out["normal_s"] = time.perf_counter() - t_norm
    out["fit_ms_per_station"] = 1000.0 * fit_s / max(fits, 1)
    out["forecast_ms_per_station"] = 1000.0 * fc_s / max(n_fc, 1)
    for name in args.scenarios:
        rec_w, models_w, events_w = copy.deepcopy(snapshot)
        file, incidents = SCENARIO_RUNS[name]
        path = SCENARIOS / f"{file}.yaml"
        out[name] = cold_wave_leads(
            net, rec_w, models_w, events_w, path, args.seed, incidents, modes
        )
    return out


def choose_threshold(
    raised: dict[float, list[tuple[int, int]]], low: np.ndarray
) -> tuple[float, dict]:
    """The probability threshold from the calibration days (training data only): the lowest
    candidate whose advisories were ≥ 70 % true, judged on advisories raised at least 48 h
    before the training days end (so their outcome is in the training days too), and at least
    CAL_MIN_ADVISORIES of them; else the default P_RAISE (a calibrated probability's own
    meaning: an hour P_RAISE likely below the limit is below it that often)."""
    end = len(low)
    table = {}
    for p, rows in raised.items():
        judged = [(i, k) for i, k in rows if k + 48 < end]
        true = sum(bool((low[k : k + 49, i] < ROOM_LOW).any()) for i, k in judged)
        table[p] = (len(judged), true)
    ok = [p for p, (n, t) in sorted(table.items()) if n >= CAL_MIN_ADVISORIES and t >= 0.7 * n]
    return (ok[0] if ok else P_RAISE), table


def cold_episodes(low: np.ndarray, from_h: int) -> list[tuple[int, int]]:
    """(station, first hour) of each spell of hourly coldest-room means below 18 °C that
    starts at or after hour `from_h` (the test days)."""
    below = low < ROOM_LOW
    starts = below.copy()
    starts[1:] &= ~below[:-1]
    return [(int(i), int(h)) for h, i in zip(*np.nonzero(starts), strict=True) if h >= from_h]


def _publisher(ph: NetworkPhysics, seed: int, scheduled: list) -> ForecastPublisher:
    import tempfile

    # Only `issue()` is used (the values it would write); the folder is never written.
    return ForecastPublisher(tempfile.gettempdir(), ph, seed=seed, scheduled=scheduled)


def cold_wave_leads(
    net: NetworkDef,
    rec: Recorder,
    models: list[ThermalModel],
    weather: list[tuple[float, dict]],
    path: Path,
    seed: int,
    incidents: bool = True,
    modes: dict[str, dict] = MODES,
) -> dict:
    """A cold-wave scenario starting a day after the end of the normal history the models
    were fitted on (so the forecast can see it coming): each station's advisory lead before its
    coldest room first reads below 18 °C (room_low) after the scenario's start. Advisories
    raised in the day before count (that is the lead); a station already below 18 °C when the
    scenario starts (a cold night of the normal weather) has no lead to measure."""
    ph = rec.ph
    sc = Scenario.load(path, net)
    k0 = len(rec.hours)
    t_wave = ph.now + 24 * HOUR
    weather = [(t, ev) for t, ev in weather if t < t_wave]
    sc_events = [ev for ev in sc.events if incidents or ev["type"] in WEATHER_EVENTS]
    hit = incident_hit(net, sc_events)
    scenario = [(t_wave + float(ev["at"]), dict(ev)) for ev in sc_events]
    events = sorted(weather + scenario, key=lambda p: p[0])
    pub = _publisher(ph, seed, [(t, e) for t, e in events if e["type"] in ("weather", "cold_wave")])
    already = np.zeros(ph.n, dtype=bool)
    issues: dict[float, Issue] = {}
    advis = {mode: AdvisoryTracker(ROOM_LOW, **kw) for mode, kw in modes.items()}
    first_adv = {mode: np.full(ph.n, np.nan) for mode in modes}
    end_h = 24 + int(max(float(ev["at"]) for ev in sc_events) / HOUR) + 48
    for k in range(k0, k0 + end_h):
        if k == k0 + 24:  # the scenario starts: room_low counts from here
            _, low_now = rec.rooms()
            already = low_now < ROOM_LOW  # their alarm is on already: no lead to measure
            rec.low_at[:] = np.nan
        rec.hour(events)
        now = START + (k + 1) * HOUR
        # The latest 6-hourly issue, made once when its time came (as the simulator does):
        # made again later it would count the wave it already sees in the weather twice.
        t_issue = float(np.floor(now / 21600.0) * 21600.0)
        if t_issue not in issues:
            issues[t_issue] = pub.issue(t_issue)
        issue = issues[t_issue]
        for i, m in enumerate(models):
            s = rec.series(i)
            fc = m.forecast(s, issue.times, issue.outdoor_c, now_index=k)
            if fc is None:
                continue
            for mode, tracker in advis.items():
                for ev in tracker.update(net.stations[i].id, fc, "ok", now, s.room_min[k]):
                    if ev.action == "raise" and np.isnan(first_adv[mode][i]):
                        first_adv[mode][i] = now
    alarmed = np.isfinite(rec.low_at) & ~already
    out: dict = {
        "alarmed": int(alarmed.sum()),
        "already": int(already.sum()),
        "incident": int((alarmed & hit).sum()),
    }
    # Per station, hours after the scenario's start (for a closer look; not printed).
    out["detail"] = {
        "low_at_h": (rec.low_at - t_wave) / HOUR,
        **{f"first_{m}_h": (f - t_wave) / HOUR for m, f in first_adv.items()},
    }
    for mode, first in first_adv.items():
        # Not advised before the alarm: lead 0.
        lead = np.where(first <= rec.low_at, (rec.low_at - first) / HOUR, 0.0)
        out[mode] = (lead[alarmed], int((np.isfinite(first) & ~alarmed & ~already).sum()))
        out[f"{mode}_weather"] = lead[alarmed & ~hit]
        out[f"{mode}_incident"] = lead[alarmed & hit]
    return out


def incident_hit(net: NetworkDef, events: list[dict]) -> np.ndarray:
    """Stations an incident event (not weather) of the scenario acts on, by its selector."""
    hit = np.zeros(len(net.stations), dtype=bool)
    for ev in events:
        if ev["type"] in WEATHER_EVENTS:
            continue
        ids = set(ev.get("stations") or []) | ({ev["station"]} if "station" in ev else set())
        for i, st in enumerate(net.stations):
            sel = [
                not ids or st.id in ids,
                "district" not in ev or st.district == ev["district"],
                "trunk" not in ev or st.trunk == ev["trunk"],
            ]
            hit[i] |= all(sel)
    return hit


def report(r: dict, tiny: bool) -> bool:
    def line(name: str, e: np.ndarray) -> str:
        if len(e) == 0:
            return f"  {name:<26} n=0"
        return f"  {name:<26} MAE {e.mean():.3f} °C  p90 {np.percentile(e, 90):.3f} °C  n={len(e)}"

    print("room-mean forecast error (demo city, simulator's imperfect forecast):")
    for lead in ("6", "24"):
        for key, label in (
            ("model", "grey-box ARX(2) model"),
            ("pers", "persistence"),
            ("rc", "first-order RC"),
        ):
            print(line(f"{label} @ {lead} h", r[key + lead]))
    checks = []
    m6, m24 = r["model6"], r["model24"]
    if not (len(m6) and len(m24)):
        print("  better than the better baseline: n/a (no forecast scored)")
    else:
        mae6, mae24, p90_24 = m6.mean(), m24.mean(), np.percentile(m24, 90)
        b6 = min(r["pers6"].mean(), np.nanmean(r["rc6"]))
        b24 = min(r["pers24"].mean(), np.nanmean(r["rc24"]))
        g6, g24 = 1 - mae6 / b6, 1 - mae24 / b24
        print(
            f"  better than the better baseline: {100 * g6:.0f} % at 6 h, "
            f"{100 * g24:.0f} % at 24 h (ratio {mae6 / b6:.2f}, {mae24 / b24:.2f})"
        )
        checks += [
            ("MAE 6 h ≤ 0.30 °C", mae6 <= 0.30),
            ("MAE 24 h ≤ 0.50 °C", mae24 <= 0.50),
            ("p90 24 h ≤ 0.9 °C", p90_24 <= 0.9),
            ("≥ 25 % better at 6 h", g6 >= 0.25),
            ("≥ 35 % better at 24 h", g24 >= 0.35),
        ]
    cal = ", ".join(f"p {p:g}: {n} raised, {t} true" for p, (n, t) in r["calibration"].items())
    p_train = r["modes"]["p_train"]["p"]
    print(f"threshold chosen on the training days ({cal}): p_train = {p_train:g}")
    for mode in r["modes"]:
        n_adv, n_false, caught = r[f"advisories_{mode}"]
        prec = (n_adv - n_false) / n_adv if n_adv else float("nan")
        print(
            f"advisories ({mode}) in normal weather: {n_adv}, false {n_false}, precision "
            f"{prec:.0%}; recall: {caught} of {r['episodes']} spells below 18 °C advised "
            "≤ 48 h ahead"
        )
        checks.append((f"{mode}: precision ≥ 70 % (normal weather)", n_adv > 0 and prec >= 0.7))

    def lead_text(leads: np.ndarray) -> str:
        if not len(leads):
            return "n/a"
        med, p10 = float(np.median(leads)), float(np.percentile(leads, 10))
        return f"median {med:.1f} h, 90 % ≥ {p10:.1f} h, min {leads.min():.1f} h"

    for name in [k for k in SCENARIO_RUNS if k in r]:
        w = r[name]
        print(
            f"{name}: {w['alarmed']} stations reached room_low ({w['already']} were below "
            f"18 °C before it; {w['incident']} hit by an incident)"
        )
        for mode in r["modes"]:
            leads, no_alarm = w[mode]
            print(
                f"  ({mode}) lead before room_low: {lead_text(leads)}; "
                f"weather-driven: {lead_text(w[mode + '_weather'])}; "
                f"incident: {lead_text(w[mode + '_incident'])}; "
                f"advised without room_low: {no_alarm}"
            )
            weather = w[mode + "_weather"]
            if len(weather):  # the targets are about what a weather forecast can see
                med, p10 = float(np.median(weather)), float(np.percentile(weather, 10))
                checks += [
                    (f"{name} ({mode}): weather-driven lead median ≥ 12 h", med >= 12),
                    (f"{name} ({mode}): weather-driven lead ≥ 6 h for 90 %", p10 >= 6),
                ]
    print(
        f"fit: {r['fit_ms_per_station']:.1f} ms, forecast: {r['forecast_ms_per_station']:.1f} ms "
        "per station (in this run); "
        f"normal part {r['normal_s']:.0f} s"
    )
    if tiny:
        print("tiny run: targets not judged")
        return True
    for name, ok in checks:
        print(f"  {'HOLDS' if ok else 'FAILS'}  {name}")
    return all(ok for _, ok in checks)


# Sizes: the full run's, and --tiny's where the command line gives none (a size given explicitly
# is kept either way: `--tiny --train-days 3`).
SIZES = {"train_days": 14, "test_days": 10, "stations": 0, "calib_days": 7}
TINY_SIZES = {"train_days": 4, "test_days": 1, "stations": 3, "calib_days": 1}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train-days", type=int, help=f"default {SIZES['train_days']}")
    ap.add_argument("--test-days", type=int, help=f"default {SIZES['test_days']}")
    ap.add_argument("--stations", type=int, help="first N stations only (default 0 = all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--calib-days",
        type=int,
        help="last training days on which the advisory threshold is chosen (models first "
        f"fitted before them; default {SIZES['calib_days']})",
    )
    ap.add_argument(
        "--scenarios", nargs="*", choices=list(SCENARIO_RUNS), help="default: all three"
    )
    ap.add_argument(
        "--tiny",
        action="store_true",
        help="a smoke run, no targets: 3 stations, 4 + 1 days, cold_wave only (sizes and "
        "scenarios given explicitly are kept)",
    )
    args = ap.parse_args(argv)
    for name, value in (TINY_SIZES if args.tiny else SIZES).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    default_runs = ("cold_wave",) if args.tiny else tuple(SCENARIO_RUNS)
    args.scenarios = tuple(args.scenarios or default_runs)
    return args


def main() -> None:
    args = parse_args()
    report(run(args), args.tiny)


if __name__ == "__main__":
    main()
