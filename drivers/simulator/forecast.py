"""The simulator's outdoor-temperature forecast: what a weather service would send the control
room, with its errors.

The simulator knows its own weather, including a scenario's cold wave still to come. Every
`every_s` simulated seconds (at 00/06/12/18 UTC by default) it issues an hourly forecast
`horizon_h` hours ahead, the truth plus errors that grow with lead time (a per-issue drift and
correlated noise; a cold wave arrives a little early or late and a little deeper or shallower),
seeded per issue so a run is reproducible. Each issue is written atomically (temporary file,
then rename) as JSON and CSV into a folder, in the format of docs/forecast-format.md, which the
console's forecast reader (console/core/forecast/source.py) reads. Older issues beyond `keep`
are removed.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from drivers.simulator.physics.weather import ColdWave, shifted

FORMAT = "heatconsole-forecast/1"
ISSUE_EVERY_S = 6 * 3600.0
HORIZON_H = 96  # ≥ 72 h ahead even when the newest issue is 6 h old
KEEP = 8  # issues kept in the folder (two days at 6-hourly)

# Error model (K): noise σ(L) = NOISE_0 + NOISE_PER_H·L, correlated over NOISE_CORR_H hours,
# plus a drift of DRIFT_PER_DAY (σ) per day of lead. Day-1 RMS ≈ 1 K, day-3 ≈ 2.5 K: the order
# of operational temperature forecasts.
NOISE_0 = 0.4
NOISE_PER_H = 0.025
NOISE_CORR_H = 12.0
DRIFT_PER_DAY = 0.35
WAVE_TIMING_S = 1800.0  # σ of a cold wave's arrival, + 2 % of its lead
WAVE_DEPTH = 0.05  # σ of its depth (fraction), + 0.2 % per hour of lead


class WeatherSource(Protocol):
    now: float

    def outlook(self, times: np.ndarray, scheduled: Sequence[tuple[float, dict]] = (),
                wave: Any = None) -> np.ndarray: ...  # fmt: skip


@dataclass(frozen=True)
class Issue:
    issued_at: float  # epoch s
    times: np.ndarray  # epoch s, hourly
    outdoor_c: np.ndarray


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_json(issue: Issue, source: str) -> str:
    """The JSON form, one point a line (readable, and errors point at a line)."""
    head = {"format": FORMAT, "issued_at": iso(issue.issued_at), "source": source, "unit": "degC"}
    lines = ["{"] + [
        f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()
    ]
    pts = [
        f'  {{"time": "{iso(t)}", "outdoor_c": {float(v):.1f}}}'
        for t, v in zip(issue.times, issue.outdoor_c, strict=True)
    ]
    return "\n".join([*lines, ' "points": [', ",\n".join(pts), " ]", "}"]) + "\n"


def render_csv(issue: Issue, source: str) -> str:
    lines = [
        f"# format: {FORMAT}",
        f"# issued_at: {iso(issue.issued_at)}",
        f"# source: {source}",
        "time,outdoor_c",
    ]
    lines += [f"{iso(t)},{v:.1f}" for t, v in zip(issue.times, issue.outdoor_c, strict=True)]
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ForecastPublisher:
    """Issues forecasts of `weather` into `folder` as simulated time passes.

    `scheduled` are weather and cold_wave events still to come, as (absolute time, event);
    the runner passes the scenario's. Call `publish_due()` after each advance.
    """

    def __init__(
        self,
        folder: str | Path,
        weather: WeatherSource,
        *,
        seed: int = 0,
        scheduled: Sequence[tuple[float, dict]] = (),
        every_s: float = ISSUE_EVERY_S,
        horizon_h: int = HORIZON_H,
        keep: int = KEEP,
        source: str = "heatconsole simulator",
    ):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.weather = weather
        self.seed = seed
        self.scheduled = [(float(t), dict(ev)) for t, ev in scheduled]
        self.every_s = float(every_s)
        self.horizon_h = int(horizon_h)
        self.keep = keep
        self.source = source
        self.last_issued: float | None = None
        self.published: list[Path] = []

    def issue(self, issued_at: float) -> Issue:
        """The forecast issued at `issued_at` (from what the simulator knows now)."""
        lead_h = np.arange(1, self.horizon_h + 1, dtype=np.float64)
        times = issued_at + 3600.0 * lead_h
        rng = np.random.default_rng([self.seed, int(issued_at)])
        waves: dict[int, ColdWave] = {}

        def err_wave(cw: ColdWave) -> ColdWave:
            key = id(cw)
            if key not in waves:
                lead = max(cw.t0 - issued_at, 0.0)
                dt = rng.normal(0.0, WAVE_TIMING_S + 0.02 * lead)
                depth = 1.0 + rng.normal(0.0, WAVE_DEPTH + 0.002 * lead / 3600.0)
                waves[key] = shifted(cw, dt if cw.t0 > issued_at else 0.0, depth)
            return waves[key]

        ahead = [(t, ev) for t, ev in self.scheduled if t > issued_at]
        truth_err = self.weather.outlook(times, ahead, err_wave)
        rho = math.exp(-1.0 / NOISE_CORR_H)
        z = np.empty(len(lead_h))
        z_prev = rng.normal()
        for k in range(len(lead_h)):  # AR(1), unit variance
            z_prev = rho * z_prev + math.sqrt(1.0 - rho * rho) * rng.normal()
            z[k] = z_prev
        drift = rng.normal(0.0, DRIFT_PER_DAY) * lead_h / 24.0
        noise = (NOISE_0 + NOISE_PER_H * lead_h) * z
        return Issue(issued_at, times, np.round(truth_err + drift + noise, 1))

    def publish_due(self) -> Path | None:
        """Write the forecast for the latest issue time ≤ now, unless already written."""
        now = self.weather.now
        issued_at = math.floor(now / self.every_s) * self.every_s
        if self.last_issued is not None and issued_at <= self.last_issued:
            return None
        self.last_issued = issued_at  # once per issue, even if writing fails
        issue = self.issue(issued_at)
        stem = "forecast-" + datetime.fromtimestamp(issued_at, UTC).strftime("%Y%m%dT%H%MZ")
        json_path = self.folder / f"{stem}.json"
        write_atomically(self.folder / f"{stem}.csv", render_csv(issue, self.source))
        write_atomically(json_path, render_json(issue, self.source))
        self.published.append(json_path)
        self._prune()
        return json_path

    def _prune(self) -> None:
        while len(self.published) > self.keep:
            old = self.published.pop(0)
            old.unlink(missing_ok=True)
            old.with_suffix(".csv").unlink(missing_ok=True)
