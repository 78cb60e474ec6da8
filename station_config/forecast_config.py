"""The `forecast:` section of a network file: where the outdoor-temperature forecast comes from.

    forecast:
      folder: /var/lib/heatconsole/forecast   # files a dispatcher or a cron job drops
      url: https://weather.example/luoyang.json
      stale_after_h: 12

Either or both (the newer issue wins); the format is docs/forecast-format.md. A relative folder
is relative to the network file. With a forecast configured, the console refits each station's
room model from its history and warns of rooms forecast below 18 °C (console/core/forecast).
Pure pydantic, no console imports.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class ForecastConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    folder: str | None = Field(default=None, description="folder of .json/.csv forecast files")
    url: str | None = Field(default=None, description="HTTP(S) URL of a JSON (or CSV) forecast")
    stale_after_h: float = Field(default=12.0, gt=0, le=168, description="older is not used")
    timeout_s: float = Field(default=5.0, gt=0, le=60, description="for the URL")
    # `heatconsole demo` only: fit on this many days of the simulator's own past (same network,
    # same seed) until the console's history covers them (console/core/forecast/simulated_past).
    demo_past_days: int = Field(default=0, ge=0, le=21)
    demo_seed: int = 0

    @field_validator("folder")
    @classmethod
    def _folder(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("folder is empty: name the folder forecast files are dropped in")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is None:
            return v
        parts = urlsplit(v.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"url {v!r} must be an http:// or https:// address with a host")
        return v.strip()

    @model_validator(mode="after")
    def _one_source(self) -> ForecastConfig:
        if self.folder is None and self.url is None:
            raise ValueError("give `folder` (forecast files dropped there) and/or `url` (HTTP)")
        return self
