"""The cold-wave pre-heating plan as records: what the planner (console/core/preheat) makes
and the plan view (widgets/preheat_plan.py) shows — here on the low floor so the widget imports
no core."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np


class Status(StrEnum):
    NOT_NEEDED = "not needed"
    PLANNED = "planned"
    SHORT_SHIFT = "cannot be kept: not even the largest shift"
    SHORT_PLANT = "cannot be kept: plant at capacity"
    NO_MODEL = "no model"


@dataclass
class PlanRow:
    station: str
    district: str
    source: str | None
    delay_h: float
    status: Status
    shift_k: float  # added to the current curve shift (K)
    current_shift: float
    apply_by: float  # epoch s: the latest hour to apply it (≤ now: apply now)
    until: float  # epoch s: it may be undone from this hour
    low_without: float  # forecast coldest room's lowest value, °C
    low_with: float
    extra_gj: float
    # The contingency reserve (planner.RESERVE_K): how much of shift_k is kept over what the
    # forecast asks for, because the station's district hangs on a booster pump; its heat is
    # part of extra_gj; `note` says why ("contingency: booster").
    reserve_k: float = 0.0
    reserve_gj: float = 0.0
    note: str = ""
    # Its district hangs on a booster pump: low_with assumes the pump keeps running (no
    # forecast shows a trip), whether or not the row carries a reserve.
    booster: bool = False

    @property
    def new_shift(self) -> float:
        return round(self.current_shift + self.shift_k, 1)

    @property
    def writes(self) -> bool:
        return self.shift_k > 0 and self.status in (Status.PLANNED, Status.SHORT_SHIFT)


@dataclass
class DistrictRow:
    district: str
    stations: int
    planned: int
    short: int
    extra_gj: float
    apply_by: float  # earliest apply-by of its stations (nan: nothing planned)
    plant_from: float  # when its plant's output should start rising (nan: nothing planned)
    raise_k: float = 0.0  # the largest supply raise of the plants feeding it (K)
    reserve_gj: float = 0.0  # of extra_gj: its stations' contingency reserve


@dataclass
class SupplyRow:
    """One plant outlet (the trunk it feeds): how far above its own weather curve to raise its
    supply temperature, from when, and until when (then back to its curve)."""

    trunk: str
    source: str | None
    districts: tuple[str, ...]
    planned: int  # stations on the trunk with a shift
    raise_k: float
    start: float  # epoch s
    until: float  # epoch s
    max_delay_h: float  # the trunk's longest transport delay


@dataclass
class PlantCheck:
    source: str
    capacity_mw: float
    peak_without_mw: float
    peak_with_mw: float


@dataclass
class Plan:
    made_at: float  # the end of the last hour of history used
    forecast_issued_at: float
    limit_c: float
    rows: list[PlanRow]
    districts: list[DistrictRow]
    plants: list[PlantCheck]
    times: np.ndarray  # forecast hour middles
    outdoor: np.ndarray  # the outdoor forecast used
    coldest_without: dict[str, np.ndarray] = field(default_factory=dict)
    coldest_with: dict[str, np.ndarray] = field(default_factory=dict)
    supply: list[SupplyRow] = field(default_factory=list)  # plant outlets to raise

    def row(self, station: str) -> PlanRow | None:
        return next((r for r in self.rows if r.station == station), None)

    @property
    def writes(self) -> list[PlanRow]:
        return [r for r in self.rows if r.writes]

    @property
    def extra_gj(self) -> float:
        """The plan's extra heat, the contingency reserve included."""
        return float(sum(r.extra_gj for r in self.rows if r.writes))

    @property
    def reserve_gj(self) -> float:
        """Of extra_gj: the contingency reserve's (booster districts)."""
        return float(sum(r.reserve_gj for r in self.rows if r.writes))
