"""The questions a view of the plant asks, answered by the single seat's own service.

A thin console answers the same questions from its mirror of the servers' messages
(console/remote/mirror.py); the GUI's adapters ask only these, never the alarm engine's arrays.
Call on the thread that owns the service (its loop), like everything that reads the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from console.core.alarms.pending import pending_rooms
from console.core.alarms.summary import SummaryRow
from console.core.alarms.view_summary import sort_rows
from console.core.events import Priority
from console.core.live_store import LiveStore
from station_config.schema import NetworkDef

if TYPE_CHECKING:
    from console.core.forecast.view import ForecastPicture
    from console.core.service import ConsoleService

RoomLimits = tuple[float | None, float | None]  # (room_low, room_critical) °C; None: rule off


def _num(v: float) -> float | None:
    return None if v != v else float(v)


class PlantPicture(Protocol):
    net: NetworkDef
    live: LiveStore
    user: str
    batches: int

    def summary_rows(self) -> list[SummaryRow]: ...

    def group_signature(self, row: SummaryRow) -> tuple:
        """Equal signatures: the group's alarm views are unchanged (reuse what was built)."""
        ...

    def pending_rooms(self) -> dict[str, tuple[int, float]]: ...

    def room_limits(self) -> dict[str, RoomLimits]:
        """Per station: the room limits the alarm engine applies now (the display's one
        source)."""
        ...

    def time_scale(self) -> float:
        """Process seconds per wall second of the alarm timing (the demo's simulator: 60)."""
        ...

    def flood(self) -> tuple[bool, int]: ...

    def tone(self) -> Priority | None: ...

    def journal_text(self) -> str | None:
        """The journal's state in words (None: the batch's own journal status tells)."""
        ...

    def link_problem(self) -> str:
        """Why the picture may be out of date (a lost server link), or ''."""
        ...

    # Optional (a thin console's mirror has none yet: the adapters ask with getattr):
    # def forecast(self) -> ForecastPicture | None — the room forecaster's latest picture.


class ServicePicture:
    """PlantPicture of an in-process ConsoleService (single seat, field laptop)."""

    def __init__(self, service: ConsoleService) -> None:
        self.service = service
        self.net = service.net
        self.live = service.live
        self._limits: tuple[bytes, dict[str, RoomLimits]] | None = None  # room_limits' last

    @property
    def user(self) -> str:
        return self.service.user

    @property
    def batches(self) -> int:
        return self.service.batches

    def summary_rows(self) -> list[SummaryRow]:
        # Shelved and out-of-service alarms too: the list shows them muted and counts them
        # ("Shelved/suppressed"); the banner, horn and key figures skip them by state.
        rows = self.service.alarms.summary(include_hidden=True).rows
        own = self.service.system_alarm_rows()  # its stores cannot write (a full disk)
        return sort_rows(rows + own) if own else rows

    def group_signature(self, row: SummaryRow) -> tuple:
        """Everything `alarm_views` reads for a group's slots, cheaply (numpy bytes + dict
        looks): equal signatures mean equal views."""
        eng = self.service.alarms
        b, g = eng.bank, row.slots
        # Shelves and out-of-service marks are few or none: walk the group's slots only then.
        gl = g.tolist() if eng.shelves or eng.out_of_service else ()
        shelves = tuple((x, sh.user, sh.reason, sh.until) for x in gl if (sh := eng.shelves.get(x)))
        oos = tuple((x, o.user) for x in gl if (o := eng.out_of_service.get(x)))
        stations = np.unique(eng.slots.station[g]).tolist()
        first = tuple(eng.first_out.by_station.get(si) for si in stations)
        arrays = (g, b.visible(g), b.value[g], b.t_change[g], b.t_active[g], b.cond[g],
                  eng.limit(g))  # fmt: skip
        return (
            row.state, row.priority, row.time, row.count, row.unacked, row.coldest_value,
            row.coldest_point, tuple(np.ascontiguousarray(a).tobytes() for a in arrays),
            shelves, oos, first,
        )  # fmt: skip

    def pending_rooms(self) -> dict[str, tuple[int, float]]:
        return pending_rooms(self.service.alarms)

    def room_limits(self) -> dict[str, RoomLimits]:
        low, crit = self.service.alarms.room_limits()
        # The same limits as last time (nearly always): the same dict, not 757 tuples again.
        # Callers only read it.
        sig = low.tobytes() + crit.tobytes()
        if self._limits is not None and self._limits[0] == sig:
            return self._limits[1]
        out = {
            sdef.id: (_num(lo), _num(cr))
            for sdef, lo, cr in zip(self.net.stations, low.tolist(), crit.tolist(), strict=True)
        }
        self._limits = (sig, out)
        return out

    def time_scale(self) -> float:
        return float(self.service.alarms.clock.scale)

    def flood(self) -> tuple[bool, int]:
        f = self.service.alarms.flood
        return bool(f.active), int(f.count)

    def tone(self) -> Priority | None:
        return self.service.alarms.tone()

    def journal_text(self) -> str | None:
        return self.service.store_text()

    def link_problem(self) -> str:
        return ""  # the service is in this process

    def forecast(self) -> ForecastPicture | None:
        """The room forecasts, fits and advisories (None: no forecast configured, or before
        the forecaster's first cycle)."""
        fx = self.service.forecaster
        return None if fx is None else fx.picture()
