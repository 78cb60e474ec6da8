"""The configuration's data model: network, station templates (register maps as data), stations.

Pure pydantic models, no I/O and no Qt. `station_config.loader` reads YAML into these models and
turns every validation problem into a message with file, line and YAML path.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from station_config.alarm_rules import AlarmConfig
from station_config.forecast_config import ForecastConfig

PointType = Literal["u16", "i16", "u32", "i32", "f32"]

# Registers each type occupies on the wire.
TYPE_WORDS: dict[str, int] = {"u16": 1, "i16": 1, "u32": 2, "i32": 2, "f32": 2}
# Raw (unscaled) integer range each integer type can carry.
TYPE_RAW_RANGE: dict[str, tuple[int, int]] = {
    "u16": (0, 0xFFFF),
    "i16": (-0x8000, 0x7FFF),
    "u32": (0, 0xFFFF_FFFF),
    "i32": (-0x8000_0000, 0x7FFF_FFFF),
}


class WordOrder(StrEnum):
    """Order of the two words of a 32-bit value; bytes inside a word are always big-endian."""

    ABCD = "ABCD"  # high word first
    CDAB = "CDAB"  # low word first (many Chinese heat meters)
    DYNAMIC = "dynamic"  # read at run time from the template's `word_order_point`


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PointDef(Strict):
    """One parameter of a device's register map."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    address: int = Field(ge=0, le=0xFFFF, description="0-based PDU address of the first register")
    type: PointType = "u16"
    scale: float = Field(default=1.0, gt=0, description="engineering = raw * scale (ints only)")
    unit: str = ""
    access: Literal["R", "RW"] = "R"
    # Writable range in engineering units (inclusive). Required for RW points.
    min: float | None = None
    max: float | None = None
    # Raw register value that means "sensor fault / no sensor" (e.g. 32767 = 0x7FFF).
    sentinel: int | None = None
    word_order: WordOrder = WordOrder.ABCD
    # Points whose `block` differ are never read in the same request; None = "main".
    block: str | None = None
    # Repeated points (room temperatures): `count` copies at consecutive addresses, the number
    # given per station by the named station field (e.g. "rooms"), at most `max_count`.
    count_from: Literal["rooms"] | None = None
    max_count: int | None = Field(default=None, ge=1, le=2000)
    enum: dict[int, str] | None = None
    bits: dict[int, str] | None = None
    heartbeat: bool = False
    description: str = ""

    @property
    def words(self) -> int:
        return TYPE_WORDS[self.type]

    @property
    def span(self) -> int:
        """Registers the point can occupy at most (all repetitions)."""
        return self.words * (self.max_count or 1)

    @model_validator(mode="after")
    def _check(self) -> PointDef:
        if self.access == "RW":
            if self.min is None or self.max is None:
                raise ValueError("a writable (RW) point needs `min` and `max`")
            if self.words != 1:
                raise ValueError("a writable point must be one register: devices accept FC06 only")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        if self.type != "f32":
            lo, hi = TYPE_RAW_RANGE[self.type]
            for label, v in (("min", self.min), ("max", self.max)):
                if v is not None and not lo <= round(v / self.scale) <= hi:
                    raise ValueError(
                        f"{label} {v} does not fit type {self.type} at scale {self.scale}"
                    )
            if self.sentinel is not None and not lo <= self.sentinel <= hi:
                raise ValueError(f"sentinel {self.sentinel} does not fit type {self.type}")
        elif self.scale != 1.0:
            raise ValueError("f32 points carry engineering values; scale must be 1")
        if self.word_order != WordOrder.ABCD and self.words == 1:
            raise ValueError("word_order applies to 32-bit types only")
        if self.count_from is not None and self.max_count is None:
            raise ValueError("a repeated point (count_from) needs max_count")
        if self.address + self.span > 0x10000:
            raise ValueError("point runs past register 65535")
        return self


class TemplateDef(Strict):
    """A device type's register map (e.g. `substation-v1`)."""

    template: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    description: str = ""
    word_order_point: str | None = None  # point holding 0=ABCD / 1=CDAB for DYNAMIC points
    default_scan_group: str = "default"
    # The constant the device reports in its `device_type` point (checked with `station_no` on
    # every scan, drivers/poller.py); None = not checked.
    device_type: int | None = Field(default=None, ge=0, le=0xFFFF)
    points: list[PointDef] = Field(min_length=1)

    def point(self, name: str) -> PointDef:
        for p in self.points:
            if p.name == name:
                return p
        raise KeyError(name)


class ScanGroup(Strict):
    period_s: float = Field(default=5.0, gt=0.05, le=3600)
    timeout_s: float = Field(default=1.0, gt=0.01, le=60)
    # A value not refreshed for this many scans is STALE.
    stale_after_scans: int = Field(default=3, ge=1, le=1000)


class HeatSource(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    position: tuple[float, float]  # km east, km north of the schematic's origin
    capacity_mw: float = Field(default=500.0, gt=0)


class TrunkLine(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    source: str
    route: list[tuple[float, float]] = Field(min_length=2)  # polyline, from source to city
    # Water speed in the pipe; with the route length it sets the transport delay.
    velocity_m_s: float = Field(default=1.2, gt=0)


class District(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    center: tuple[float, float]
    radius_km: float = Field(default=3.0, gt=0)
    # Fed through a booster pump station: when it trips its stations get a fraction of their
    # flow. The pre-heating plan gives such a district a contingency reserve in a cold wave.
    booster: bool = False


class StationDef(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    district: str
    template: str
    trunk: str
    host: str | None = None
    port: int = Field(default=502, ge=1, le=65535)
    unit: int = Field(default=1, ge=0, le=255)
    serial: str | None = None  # e.g. /dev/ttyUSB0 for RTU over a USB adapter
    baudrate: int = 9600
    rooms: int = Field(default=0, ge=0, le=2000)
    area_m2: float = Field(default=0.0, ge=0)
    position: tuple[float, float]
    scan_group: str | None = None
    # What the device reports in its `station_no` point; None = its 1-based position in the
    # network file (as the simulator numbers its stations).
    station_no: int | None = Field(default=None, ge=0, le=0xFFFF)

    @model_validator(mode="after")
    def _link(self) -> StationDef:
        if (self.host is None) == (self.serial is None):
            raise ValueError("give exactly one of `host` (Modbus TCP) or `serial` (Modbus RTU)")
        return self

    @property
    def endpoint(self) -> str:
        return f"{self.host}:{self.port}:{self.unit}" if self.host else f"{self.serial}:{self.unit}"


class NetworkDef(Strict):
    """A whole configuration file after templates are resolved."""

    name: str
    scan_groups: dict[str, ScanGroup] = Field(default_factory=lambda: {"default": ScanGroup()})
    sources: list[HeatSource] = Field(default_factory=list)
    trunks: list[TrunkLine] = Field(default_factory=list)
    districts: list[District] = Field(default_factory=list)
    templates: dict[str, TemplateDef] = Field(default_factory=dict)
    stations: list[StationDef] = Field(default_factory=list)
    alarms: AlarmConfig = Field(default_factory=AlarmConfig)
    forecast: ForecastConfig | None = None  # the outdoor forecast (station_config/forecast_config)

    def station(self, station_id: str) -> StationDef:
        for s in self.stations:
            if s.id == station_id:
                return s
        raise KeyError(station_id)

    def scan_group_for(self, st: StationDef) -> ScanGroup:
        name = st.scan_group or self.templates[st.template].default_scan_group
        return self.scan_groups.get(name, ScanGroup())
