"""Alarm rules as configuration: the `alarms:` section of a network file.

Every rule has built-in defaults (RULE_DEFAULTS); the network file overrides only what it names,
e.g. ``alarms: {rules: {room_low: {on_delay_s: 120}}}``. All models forbid unknown fields so a
typo (``on_dealy_s``) is reported by the loader with file, line and path instead of being
silently ignored. Pure pydantic, no console imports (the config layer sits below the console).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

PriorityName = Literal["critical", "high", "medium", "low", "info"]


class _Cfg(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleConfig(_Cfg):
    """A rule's effective parameters (defaults merged with the file's overrides)."""

    enabled: bool = True
    priority: PriorityName = "medium"
    # Fixed limit in engineering units. With `station_limit`, the station's own limit register
    # wins whenever it is GOOD, and this is the fallback until it has been read.
    limit: float | None = None
    station_limit: bool = True
    deadband: float = Field(default=0.0, ge=0)
    on_delay_s: float = Field(default=0.0, ge=0)
    off_delay_s: float = Field(default=0.0, ge=0)
    realarm_s: float = Field(default=0.0, ge=0, description="0 = no re-alarm")
    suppress_when_off: bool = False  # station mode in `off_modes`
    suppress_out_of_season: bool = False


class RuleOverride(_Cfg):
    """What a network file may say about one rule; None = keep the default."""

    enabled: bool | None = None
    priority: PriorityName | None = None
    limit: float | None = None
    station_limit: bool | None = None
    deadband: float | None = Field(default=None, ge=0)
    on_delay_s: float | None = Field(default=None, ge=0)
    off_delay_s: float | None = Field(default=None, ge=0)
    realarm_s: float | None = Field(default=None, ge=0)
    suppress_when_off: bool | None = None
    suppress_out_of_season: bool | None = None


_OFF = {"suppress_when_off": True}
_SEASONAL = {"suppress_when_off": True, "suppress_out_of_season": True}

# The built-in rule set (register-map.md names the limit registers; see console/core/alarms).
RULE_DEFAULTS: dict[str, RuleConfig] = {
    "room_low": RuleConfig(
        priority="medium", limit=18.0, deadband=0.3, on_delay_s=300, off_delay_s=60, **_SEASONAL
    ),
    "room_critical": RuleConfig(
        priority="critical", limit=16.0, deadband=0.3, on_delay_s=300, off_delay_s=60, **_SEASONAL
    ),
    # Delay comes from the station's t3_dev_delay register (minutes) when GOOD.
    "t3_dev_high": RuleConfig(priority="high", deadband=1.0, on_delay_s=600, **_SEASONAL),
    "t3_dev_low": RuleConfig(priority="high", deadband=1.0, on_delay_s=600, **_SEASONAL),
    "p3_low": RuleConfig(priority="high", deadband=10.0, on_delay_s=30, **_OFF),
    "p3_high": RuleConfig(priority="high", deadband=10.0, on_delay_s=30, **_OFF),
    "dp_primary_low": RuleConfig(priority="high", deadband=10.0, on_delay_s=60, **_OFF),
    # Demoted: the instantaneous make-up flow follows the make-up pump's cycle, not the leak
    # (it returned to normal 20-66 min before a leak ended); leak_suspected judges the balance.
    "makeup_high": RuleConfig(priority="low", deadband=0.05, on_delay_s=30),
    "pump1_fault": RuleConfig(priority="high", on_delay_s=5, **_OFF),
    "pump2_fault": RuleConfig(priority="high", on_delay_s=5, **_OFF),
    "power_fail": RuleConfig(priority="high", on_delay_s=5),
    "sensor_fault": RuleConfig(priority="low", on_delay_s=60, off_delay_s=60),
    "local_control": RuleConfig(priority="info"),
    "comm_fail": RuleConfig(priority="high", on_delay_s=60),
    "stale": RuleConfig(priority="medium", on_delay_s=30),
    # Another device answers in the station's place: certain at once (identity registers).
    "wrong_device": RuleConfig(priority="high"),
    # The make-up water balance (console/core/leak): the detector decides when the balance is
    # abnormal; the off-delay is the hold - normal for this long before the alarm clears.
    "leak_suspected": RuleConfig(priority="critical", off_delay_s=1800),
}


class RulesConfig(_Cfg):
    """One optional override per built-in rule (unknown rule names are an error)."""

    room_low: RuleOverride = RuleOverride()
    room_critical: RuleOverride = RuleOverride()
    t3_dev_high: RuleOverride = RuleOverride()
    t3_dev_low: RuleOverride = RuleOverride()
    p3_low: RuleOverride = RuleOverride()
    p3_high: RuleOverride = RuleOverride()
    dp_primary_low: RuleOverride = RuleOverride()
    makeup_high: RuleOverride = RuleOverride()
    pump1_fault: RuleOverride = RuleOverride()
    pump2_fault: RuleOverride = RuleOverride()
    power_fail: RuleOverride = RuleOverride()
    sensor_fault: RuleOverride = RuleOverride()
    local_control: RuleOverride = RuleOverride()
    comm_fail: RuleOverride = RuleOverride()
    stale: RuleOverride = RuleOverride()
    wrong_device: RuleOverride = RuleOverride()
    leak_suspected: RuleOverride = RuleOverride()


class FloodConfig(_Cfg):
    """EEMUA 191: 10 or more new alarms in 10 minutes per operator is a flood."""

    threshold: int = Field(default=10, ge=1)
    window_s: float = Field(default=600.0, gt=0)
    # The flood ends when the window holds fewer than this many (hysteresis against flicker).
    end_below: int = Field(default=5, ge=1)


_MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


class HeatingSeason(_Cfg):
    """Outside [start, end] (month-day, may wrap the new year) seasonal rules are suppressed."""

    start: str = "11-15"
    end: str = "03-15"
    utc_offset_h: float = Field(default=8.0, ge=-12, le=14)  # the city's local time

    @field_validator("start", "end")
    @classmethod
    def _mmdd(cls, v: str) -> str:
        if not _MMDD.match(v):
            raise ValueError(f"`{v}` is not a month-day like 11-15")
        return v


class ProcessClock(_Cfg):
    """Process time (what the plant, or the simulator's physics, lives in) against the wall clock.

    On a real network process time is wall time (scale 1). `heatconsole demo` runs its simulator
    `--speed` times faster and hands the engine scale = speed and origin = when the simulator
    started, so the timers of process rules (a room's 300 s on-delay = 5 simulated minutes)
    follow the physics instead of outlasting a simulated outage. Durations that measure the
    operator or the link stay on the wall clock (see console/core/alarms/rules.py).
    """

    scale: float = Field(default=1.0, gt=0, description="process seconds per wall second")
    origin: float = 0.0  # wall epoch at which process time equals wall time

    @property
    def accelerated(self) -> bool:
        return self.scale != 1.0

    def process_time(self, wall: float) -> float:
        """The process's time (epoch) at wall-clock epoch `wall`."""
        return self.origin + (wall - self.origin) * self.scale

    def wall_s(self, process_s: float) -> float:
        """Wall seconds that `process_s` seconds of process time take."""
        return process_s / self.scale


class LeakConfig(_Cfg):
    """The make-up water balance per station (console/core/leak/balance.py).

    Loss = make-up volume + thermal expansion - water stored in the expansion vessel (pressure
    rise / learned stiffness). A CUSUM of the loss above the station's learned normal rate plus
    `drift_m3h` raises the alarm at `threshold_m3` (or at once when the pressure collapses
    while make-up runs: a burst beyond the make-up pump); it returns to normal when the recent
    excess (time constant `recent_tau_s`) falls below `drift_m3h`.
    """

    litres_per_m2: float = Field(default=1.0, gt=0, description="secondary water per m² heated")
    beta_per_k: float = Field(default=4.2e-4, gt=0)  # water's volumetric expansion, 40-70 °C
    # Expansion vessel, until learned from the make-up pump's runs: the pressure rise (kPa)
    # when 0.1 % of the system's water is pumped in (vessels are sized with the system).
    vessel_kpa_per_permille: float = Field(default=30.0, gt=0)
    threshold_m3: float = Field(default=0.25, gt=0)
    threshold_per_m3: float = Field(default=0.002, ge=0)  # + per m³ of system volume
    drift_m3h: float = Field(default=0.1, gt=0)
    drift_per_m3: float = Field(default=0.001, ge=0)  # + m³/h per m³ of system volume
    baseline_tau_s: float = Field(default=86400.0, gt=0)  # learned normal rate: a day's memory
    recent_tau_s: float = Field(default=600.0, gt=0)
    burst_drop_kpa: float = Field(default=40.0, gt=0)  # below the make-up start pressure


class AlarmConfig(_Cfg):
    rules: RulesConfig = RulesConfig()
    shelve_max_s: float = Field(default=8 * 3600.0, gt=0)
    flood: FloodConfig = FloodConfig()
    sound_priorities: list[PriorityName] = Field(
        default_factory=lambda: ["critical", "high", "medium"]
    )
    # Station `mode` values that mean "switched off" (register-map: 4 = off).
    off_modes: list[int] = Field(default_factory=lambda: [4])
    heating_season: HeatingSeason | None = None  # None: always in season
    # Scale 1 on a real network; a simulated one run faster (the demo) says how much faster.
    process_clock: ProcessClock = ProcessClock()
    leak: LeakConfig = LeakConfig()

    def rule(self, name: str) -> RuleConfig:
        """The effective parameters of one rule."""
        override: RuleOverride = getattr(self.rules, name)
        return RULE_DEFAULTS[name].model_copy(update=override.model_dump(exclude_none=True))
