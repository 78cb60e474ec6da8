"""Real history files for the metering tests: scans through the real history writer.

Each station's energy counter and outdoor temperature follow a function of time the test gives;
every other point holds a constant. Times are UTC days so day boundaries are known.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from console.core.history import History, HistoryReader
from drivers.points import build_point_table
from drivers.samples import CommState, StationScan
from station_config.alarm_rules import AlarmConfig, HeatingSeason
from station_config.schema import NetworkDef

# 2026-12-01 00:00 UTC: inside the heating season that started 2026-11-15.
DAY0 = datetime(2026, 12, 1, tzinfo=UTC).timestamp()
HOUR = 3600.0

Curve = Callable[[float], float]


def write_history(
    path: Path,
    net: NetworkDef,
    counters: dict[str, Curve],
    outdoor: dict[str, Curve],
    start: float,
    end: float,
    period: float = 300.0,
) -> None:
    """Scan every `period` seconds from start to end through the real writer, then close."""
    tables = {
        s.id: build_point_table(net.templates[s.template], s)
        for s in net.stations
        if s.id in counters
    }
    h = History(path, tables, batch_s=0.05, retention_s=None)
    try:
        for t in np.arange(start, end + 1e-6, period):
            scans = []
            for sid, tb in tables.items():
                n = len(tb)
                v = np.full(n, 1.0)
                v[tb.index["heat_energy"]] = round(counters[sid](float(t)), 2)
                v[tb.index["outdoor_temp"]] = round(outdoor[sid](float(t)), 1)
                scans.append(
                    StationScan(sid, float(t), v, np.zeros(n, np.uint8), np.full(n, t),
                                CommState.OK)
                )  # fmt: skip
            h.submit_scans(scans)
        assert h.flush(30)
    finally:
        assert h.close(30)


def reader_series(path: Path):  # type: ignore[no-untyped-def]
    reader = HistoryReader(path)
    return lambda sid, point, a, b: reader.query(sid, point, a, b, prior=True)


@contextmanager
def machine_zone(name: str) -> Iterator[None]:
    """This process's local time zone set to `name` (TZ + time.tzset), restored after: a field
    laptop in another zone than the network's."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


def with_city_zone(net: NetworkDef, utc_offset_h: float) -> NetworkDef:
    """`net` with a configured heating season in a city `utc_offset_h` hours from UTC."""
    season = HeatingSeason(utc_offset_h=utc_offset_h)
    return net.model_copy(update={"alarms": AlarmConfig(heating_season=season)})
