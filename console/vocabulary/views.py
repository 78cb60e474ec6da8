"""Plain data the widgets display. The application converts core state into these; widgets never
reach back into the poller, the alarm engine or the journal."""

from __future__ import annotations

from dataclasses import dataclass, field

from console.vocabulary.alarms import AlarmState, Priority
from console.vocabulary.quality import Quality
from station_config.alarm_rules import RULE_DEFAULTS

# The rules' built-in room limits: what a view shows only when the application gave it none
# (the application hands every station the limits its alarm engine compares with).
DEFAULT_ROOM_LOW: float = RULE_DEFAULTS["room_low"].limit or 18.0
DEFAULT_ROOM_CRITICAL: float = RULE_DEFAULTS["room_critical"].limit or 16.0


@dataclass(frozen=True)
class PointView:
    """One live value as shown on a faceplate or diagram."""

    name: str  # point name, e.g. "t3_secondary_supply"
    label: str  # what the operator reads, e.g. "T3 secondary supply"
    value: float | None  # None / NaN = no value
    unit: str = ""
    quality: Quality = Quality.NO_DATA
    time: float | None = None  # epoch of the value
    # Normal operating band and alarm limits, for analog indicators (None = not defined).
    normal_low: float | None = None
    normal_high: float | None = None
    alarm_low: float | None = None
    alarm_high: float | None = None
    scale_min: float | None = None
    scale_max: float | None = None
    writable: bool = False
    alarm: Priority | None = None  # highest active alarm on this point
    # Added for the station view and the setpoint dialog:
    setpoint: float | None = None  # target marker on an analog indicator (e.g. T3 setpoint)
    write_min: float | None = None  # allowed write range (RW points), engineering units
    write_max: float | None = None
    decimals: int | None = None  # display precision; None = from the value's magnitude
    enum: tuple[tuple[int, str], ...] = ()  # (raw, text) for enumerated points (mode, ...)


@dataclass(frozen=True)
class StationState:
    """What the overview needs to know about one substation, refreshed once per scan."""

    id: str
    name: str
    district: str
    comm: Quality = Quality.NO_DATA  # worst quality of the station's data
    alarm: Priority | None = None  # highest-priority active (not shelved) alarm
    unacked: bool = False  # any unacknowledged alarm
    local_control: bool = False
    outdoor: float | None = None
    t1: float | None = None
    t3: float | None = None
    t3_setpoint: float | None = None
    room_min: float | None = None
    room_mean: float | None = None
    rooms_below_18: int = 0  # rooms below room_low_limit (18 °C unless the station says else)
    rooms_below_16: int = 0  # rooms below room_critical_limit
    rooms_total: int = 0
    # The room limits the alarm engine applies at this station (None: that rule is off).
    room_low_limit: float | None = DEFAULT_ROOM_LOW
    room_critical_limit: float | None = DEFAULT_ROOM_CRITICAL
    # Cold rooms split by what the alarm system makes of them: a room below the limit raises
    # its alarm only after the rule's on-delay, and the operator must not read that gap as a
    # missing alarm.
    rooms_in_alarm: int = 0  # rooms with an active room alarm
    rooms_pending: int = 0  # rooms beyond the limit whose on-delay is still running
    pending_until: float | None = None  # epoch when the first pending room alarm is due
    heat_power_kw: float | None = None
    last_update: float | None = None
    error: str = ""


@dataclass(frozen=True)
class RoomView:
    index: int
    temp: float | None
    quality: Quality = Quality.NO_DATA
    alarm: Priority | None = None
    low_limit: float | None = DEFAULT_ROOM_LOW  # the station's room limits (StationState)
    critical_limit: float | None = DEFAULT_ROOM_CRITICAL


@dataclass(frozen=True)
class AlarmRow:
    """One line of the alarm summary; room alarms of a station come grouped with `children`."""

    key: str  # "jx-001/room_temp[3]/room_low", or "jx-001/rooms/room_low" for a group
    station: str
    station_name: str
    district: str
    point: str
    rule: str
    priority: Priority
    state: AlarmState
    message: str
    time: float  # the last transition (for an acknowledged alarm: the acknowledgement)
    value: float | None = None
    limit: float | None = None
    first_out: bool = False
    shelved_by: str | None = None
    children: tuple[AlarmRow, ...] = field(default_factory=tuple)
    since: float | None = None  # when the condition was raised (kept after ack/clear); None: time

    @property
    def is_group(self) -> bool:
        return bool(self.children)


@dataclass(frozen=True)
class DistrictRooms:
    """A district's rooms against their stations' low limits (the overview's share)."""

    district: str
    name: str
    rooms: int  # rooms reporting a good value
    below: int  # of which below their station's room_low limit

    @property
    def share(self) -> float:
        return self.below / self.rooms if self.rooms else 0.0


@dataclass(frozen=True)
class KeyFigures:
    """The overview's strip of city-wide figures."""

    outdoor: float | None = None
    rooms_below_18: int = 0  # below their station's room_low limit
    rooms_below_16: int = 0  # below their station's room_critical limit
    coldest_room: float | None = None
    coldest_station: str | None = None
    rooms_in_alarm: int = 0  # rooms below the limit with an active room alarm
    rooms_pending: int = 0  # rooms below the limit whose alarm waits for its on-delay
    pending_until: float | None = None  # epoch when the first pending room alarm is due
    stations_in_alarm: int = 0
    stations_total: int = 0
    comm_good_pct: float | None = None
    heat_power_mw: float | None = None
    unacked_alarms: int = 0  # a station's unacknowledged room alarms count once per room rule
    flood: bool = False
    flood_count: int = 0  # new alarms in the flood window (EEMUA 191: 10 min of process time)
    # Added for colouring the strip (None = nothing active):
    worst_priority: Priority | None = None  # highest active alarm in the city
    unacked_priority: Priority | None = None  # highest unacknowledged alarm
    stations_stale: int = 0
    stations_failed: int = 0  # COMM_FAIL or NO_DATA
    # Process seconds per wall second (> 1: a simulation run faster, e.g. the demo): the
    # on-delay estimate is in process minutes, as the alarm timers are.
    time_scale: float = 1.0
    # The room_low limit shared by every station (None: stations differ; say "limit").
    room_low_limit: float | None = DEFAULT_ROOM_LOW
    room_episodes: int = 0  # open station-level room episodes (station × room rule)
    districts: tuple[DistrictRooms, ...] = ()  # share of each district's rooms below the limit


@dataclass(frozen=True)
class LeakRow:
    """One station with an active suspected leak (the leak list; console/core/leak builds it)."""

    key: str  # the alarm key (acknowledge/shelve by it)
    station: str
    district: str
    rate_m3h: float  # estimated leak above the station's normal make-up
    since: float  # epoch: when the balance turned (or the alarm rose, if unknown)
    lower_bound: bool  # the loop drained: the leak is at least this
    state: AlarmState
    priority: Priority


@dataclass(frozen=True)
class DistrictLeaks:
    district: str
    total_m3h: float
    rows: tuple[LeakRow, ...] = field(default_factory=tuple)
