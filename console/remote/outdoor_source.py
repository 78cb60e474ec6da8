"""The outdoor forecast a thin console plans with: the one its servers published.

A thin console has no forecast folder or URL of its own; the servers' forecasters load the
configured source every cycle and publish what they used (`hc/v1/forecast/{partition}`). This
source answers `load(now)` like `ForecastSource` — the same freshness rules, so a forecast gone
stale on the way is said stale, never used. Any thread (it reads one attribute).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from console.core.forecast.source import Forecast, ForecastSource, ForecastStatus, State

WHERE = "the servers' published forecast"


class PublishedForecastSource(ForecastSource):
    def __init__(self, latest: Callable[[], Forecast | None]) -> None:
        super().__init__(folder=WHERE)
        self._latest = latest

    def _from_folder(self, folder: Path) -> Forecast | None:  # type: ignore[override]
        return self._latest()

    def load(self, now: float | None = None) -> ForecastStatus:
        if self._latest() is None:
            return ForecastStatus(State.MISSING, f"no forecast: none in {WHERE} yet")
        return super().load(time.time() if now is None else now)
