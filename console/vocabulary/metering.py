"""The metering report: what the energy core (console/core/energy) computes per station and
district, and the metering view and the handover report display."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

BASE_C = 18.0  # °C: base of the heating degree-days
MIN_DEGREE_DAYS = 0.05  # below this a per-degree-day figure means nothing (a mild afternoon)


@dataclass(frozen=True)
class CounterEvent:
    """Something the counter did that is not plain counting."""

    kind: str  # "rollover", "replacement", "step_back", "jump"
    time: float  # of the first reading after it
    before: float  # last reading before (engineering units)
    after: float  # first reading after
    counted: float  # GJ counted for the interval between the two readings


@dataclass(frozen=True)
class Figures:
    """One period's heat figures of a station or a district."""

    energy_gj: float | None  # None = no counter reading in the period
    coverage: float  # fraction of the period the counter readings cover, 0…1
    degree_days: float | None  # K·d, base 18 °C
    area_m2: float
    # A district's Σ area·HDD of its stations with data (the divisor of mj_per_m2_dd; 0 = some
    # station lacks degree-days, no figure). None: a station's, area_m2 × degree_days.
    area_dd: float | None = None

    @property
    def gj_per_m2(self) -> float | None:
        if self.energy_gj is None or self.area_m2 <= 0:
            return None
        return self.energy_gj / self.area_m2

    @property
    def mj_per_m2_dd(self) -> float | None:
        """MJ per m² of heated area and heating degree-day: heat use corrected for weather."""
        if self.energy_gj is None:
            return None
        area_dd = self.area_dd
        if area_dd is None:
            if self.degree_days is None or self.degree_days < MIN_DEGREE_DAYS:
                return None
            area_dd = self.area_m2 * self.degree_days
        return self.energy_gj * 1000.0 / area_dd if area_dd > 0 else None


@dataclass(frozen=True)
class StationMetering:
    station: str
    name: str
    district: str  # id
    area_m2: float
    figures: dict[str, Figures]  # by period name (PERIODS)
    events: tuple[CounterEvent, ...]  # rollovers, meter replacements, … in the season
    rank: int = 0  # 1 = worst of the season
    district_name: str = ""  # the network file's name of `district`; "" = none known

    @property
    def district_label(self) -> str:
        """What a table shows for the district: its name, the id only where none is known."""
        return self.district_name or self.district


@dataclass(frozen=True)
class DistrictMetering:
    district: str
    name: str
    stations: int
    area_m2: float
    figures: dict[str, Figures]
    rank: int = 0


@dataclass(frozen=True)
class MeteringReport:
    generated: float
    periods: dict[str, tuple[float, float]]
    stations: list[StationMetering]  # worst first
    districts: list[DistrictMetering]  # worst first
    base_c: float = BASE_C
    # The zone the periods' days and months are counted in (the network's); None = this
    # machine's local time. Times written beside the figures are in the same zone.
    tz: tzinfo | None = None

    @property
    def events(self) -> list[tuple[str, CounterEvent]]:
        return sorted(((s.station, e) for s in self.stations for e in s.events),
                      key=lambda x: x[1].time)  # fmt: skip
