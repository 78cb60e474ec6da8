"""Read the outdoor-temperature forecast, check it, and say whether it may be used.

A forecast comes from a folder where a dispatcher, a cron job or the simulator drops files
(the newest `.json` or `.csv` by modification time), and/or from an HTTP URL serving the JSON
form. The format is docs/forecast-format.md. Every problem is reported with file (or URL) and
line. `ForecastSource.load()` answers with a ForecastStatus: `ok`, `stale` (issued longer ago
than `stale_after_h`, or already run out), `missing` or `invalid`; only an `ok` forecast is
`usable` — a stale one is handed over for display, never to be used silently.

Blocking file and network I/O: call it off the GUI thread.
"""

from __future__ import annotations

import csv
import io
import json
import math
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "heatconsole-forecast/1"
STALE_AFTER_H = 12.0  # two missed 6-hourly issues
MIN_HORIZON_H = 72.0
MAX_STEP_H = 3.0  # hourly is asked for; a gap wider than this is an error
# An issue this far ahead of the console's clock was written with a wrong clock, date or time
# zone (Beijing time marked Z is 8 h ahead): not used. Generous for the demo's fast clock, whose
# simulator and console agree to a few wall seconds.
FUTURE_SLACK_H = 2.0
TEMP_RANGE_C = (-60.0, 50.0)
MAX_BYTES = 5 * 1024 * 1024
SUFFIXES = (".json", ".csv")


class ForecastError(ValueError):
    """A forecast that cannot be used, with where (file or URL) and line."""

    def __init__(self, where: str, line: int | None, message: str):
        self.where, self.line, self.message = where, line, message
        super().__init__(f"{where}:{line}: {message}" if line else f"{where}: {message}")


@dataclass(frozen=True)
class Forecast:
    issued_at: float  # epoch s
    times: np.ndarray  # epoch s, strictly increasing
    outdoor_c: np.ndarray
    origin: str  # the file or URL it came from
    source: str = ""  # who made it, as the file says

    def at(self, t: float | np.ndarray) -> np.ndarray:
        """Outdoor temperature at t (linear between points; NaN outside the forecast)."""
        return np.interp(t, self.times, self.outdoor_c, left=np.nan, right=np.nan)

    @property
    def end(self) -> float:
        return float(self.times[-1])


class State(StrEnum):
    OK = "ok"
    STALE = "stale"
    MISSING = "missing"
    INVALID = "invalid"


@dataclass(frozen=True)
class ForecastStatus:
    state: State
    message: str
    forecast: Forecast | None = None  # present when ok or stale
    problems: tuple[str, ...] = ()  # other sources that failed

    @property
    def usable(self) -> bool:
        return self.state is State.OK


# --- parsing ----------------------------------------------------------------------------------
def _time(where: str, line: int | None, v: Any, what: str) -> float:
    if not isinstance(v, str):
        raise ForecastError(where, line, f"{what} must be an ISO 8601 time text, not {v!r}")
    try:
        dt = datetime.fromisoformat(v.strip())
    except ValueError:
        raise ForecastError(where, line, f"{what} {v!r} is not an ISO 8601 time") from None
    if dt.tzinfo is None:
        raise ForecastError(where, line, f"{what} {v!r} has no time zone (add Z or +08:00)")
    return dt.timestamp()


def _temp(where: str, line: int | None, v: Any) -> float:
    if isinstance(v, str):
        try:
            v = float(v)
        except ValueError:
            raise ForecastError(where, line, f"outdoor_c {v!r} is not a number") from None
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise ForecastError(where, line, f"outdoor_c {v!r} is not a number")
    lo, hi = TEMP_RANGE_C
    if not lo <= v <= hi:
        raise ForecastError(where, line, f"outdoor_c {v} °C is outside {lo:g}..{hi:g} °C")
    return float(v)


def _build(
    where: str, meta: dict[str, tuple[Any, int | None]], rows: list[tuple[Any, Any, int | None]]
) -> Forecast:
    fmt, fmt_line = meta.get("format", (None, None))
    if fmt != FORMAT:
        raise ForecastError(where, fmt_line, f"format must be {FORMAT!r}, not {fmt!r}")
    if "issued_at" not in meta:
        raise ForecastError(where, None, "missing issued_at")
    issued = _time(where, meta["issued_at"][1], meta["issued_at"][0], "issued_at")
    if not rows:
        raise ForecastError(where, None, "no forecast points")
    first = _time(where, rows[0][2], rows[0][0], "time")
    if first - issued > MAX_STEP_H * 3600:
        # The hours before the first point would be the first point's value held (np.interp).
        late = (first - issued) / 3600
        raise ForecastError(where, rows[0][2], f"the first point is {late:g} h after issued_at")
    times = np.empty(len(rows))
    temps = np.empty(len(rows))
    for k, (t, v, line) in enumerate(rows):
        times[k] = _time(where, line, t, "time")
        temps[k] = _temp(where, line, v)
        if k and times[k] <= times[k - 1]:
            raise ForecastError(where, line, "times must increase from point to point")
        if k and times[k] - times[k - 1] > MAX_STEP_H * 3600:
            gap = (times[k] - times[k - 1]) / 3600
            raise ForecastError(where, line, f"a gap of {gap:g} h before this point (hourly)")
    ahead = (times[-1] - issued) / 3600
    if ahead < MIN_HORIZON_H:
        raise ForecastError(
            where, rows[-1][2], f"reaches {ahead:g} h past issued_at; at least {MIN_HORIZON_H:g} h"
        )
    source, _ = meta.get("source", ("", None))
    return Forecast(issued, times, temps, where, str(source))


def parse_json(text: str, where: str) -> Forecast:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ForecastError(where, e.lineno, f"not JSON: {e.msg}") from None
    if not isinstance(doc, dict):
        raise ForecastError(where, 1, "must be a JSON object with format, issued_at, points")
    meta = {k: (doc[k], _key_line(text, k)) for k in ("format", "issued_at", "source") if k in doc}
    points = doc.get("points")
    if not isinstance(points, list):
        raise ForecastError(where, _key_line(text, "points"), "points must be a list")
    lines = _element_lines(text)
    rows = []
    for k, p in enumerate(points):
        line = lines[k] if k < len(lines) else None
        if not isinstance(p, dict) or "time" not in p or "outdoor_c" not in p:
            raise ForecastError(where, line, "each point must be {time, outdoor_c}")
        rows.append((p["time"], p["outdoor_c"], line))
    return _build(where, meta, rows)


def _key_line(text: str, key: str) -> int | None:
    at = text.find(f'"{key}"')
    return None if at < 0 else text.count("\n", 0, at) + 1


def _element_lines(text: str) -> list[int]:
    """Line of each element of the top-level "points" array (the text is valid JSON)."""
    dec = json.JSONDecoder()
    at = text.find('"points"')
    at = text.find("[", at) + 1 if at >= 0 else -1
    out: list[int] = []
    while 0 < at < len(text):
        while at < len(text) and text[at] in " \t\r\n,":
            at += 1
        if at >= len(text) or text[at] == "]":
            break
        out.append(text.count("\n", 0, at) + 1)
        try:
            _, at = dec.raw_decode(text, at)
        except json.JSONDecodeError:
            break
    return out


def parse_csv(text: str, where: str) -> Forecast:
    meta: dict[str, tuple[Any, int | None]] = {}
    rows: list[tuple[Any, Any, int | None]] = []
    header = False
    for n, raw in enumerate(io.StringIO(text), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() in ("format", "issued_at", "source"):
                meta[key.strip()] = (value.strip(), n)
            continue
        cells = next(csv.reader([line]))
        if not header:
            if [c.strip() for c in cells] != ["time", "outdoor_c"]:
                raise ForecastError(where, n, "the header must be `time,outdoor_c`")
            header = True
            continue
        if len(cells) != 2:
            raise ForecastError(where, n, f"expected 2 columns (time,outdoor_c), got {len(cells)}")
        rows.append((cells[0], cells[1].strip(), n))
    if not header:
        raise ForecastError(where, None, "no `time,outdoor_c` header")
    return _build(where, meta, rows)


def parse(text: str, where: str, *, kind: str | None = None) -> Forecast:
    """`kind` "json" or "csv"; by default from the name's suffix, else by the first character."""
    name = where.lower()
    if kind is None:
        json_like = name.endswith(".json") or text.lstrip()[:1] == "{"
        kind = "csv" if name.endswith(".csv") else "json" if json_like else "csv"
    return parse_json(text, where) if kind == "json" else parse_csv(text, where)


# --- where forecasts come from ------------------------------------------------------------------
def newest_file(folder: Path) -> tuple[Path | None, bool]:
    """The most recently written forecast file in `folder` (hidden files are half-written),
    and whether a file vanished while looking (a writer pruning old issues: look again)."""
    found: list[tuple[float, str, Path]] = []
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return None, False
    except OSError as e:
        raise ForecastError(str(folder), None, f"cannot list: {e.strerror or e}") from None
    vanished = False
    for p in entries:
        if p.suffix.lower() not in SUFFIXES or p.name.startswith("."):
            continue
        try:
            st = p.stat()
        except FileNotFoundError:
            vanished = True
            continue
        except OSError:
            continue
        if p.is_file():
            found.append((st.st_mtime, p.name, p))
    return (max(found)[2] if found else None), vanished


def read_file(path: Path) -> Forecast:
    try:
        raw = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as e:
        raise ForecastError(str(path), None, f"cannot read: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:
        raise ForecastError(str(path), None, f"larger than {MAX_BYTES // 1024 // 1024} MiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ForecastError(str(path), None, f"not UTF-8 text ({e.reason})") from None
    return parse(text, str(path))


def fetch_url(url: str, timeout_s: float = 5.0) -> Forecast:
    """GET `url` (JSON, or CSV when the server says text/csv) within `timeout_s` seconds."""
    req = urllib.request.Request(url, headers={"Accept": "application/json, text/csv"})
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            raw = resp.read(MAX_BYTES + 1)
            ctype = resp.headers.get_content_type()
            charset = resp.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as e:
        raise ForecastError(url, None, f"HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise ForecastError(url, None, f"cannot fetch: {e.reason}") from None
    except TimeoutError:
        raise ForecastError(url, None, f"no answer within {timeout_s:g} s") from None
    except OSError as e:
        raise ForecastError(url, None, f"cannot fetch: {e}") from None
    if len(raw) > MAX_BYTES:
        raise ForecastError(url, None, f"larger than {MAX_BYTES // 1024 // 1024} MiB")
    try:
        text = raw.decode(charset)
    except (UnicodeDecodeError, LookupError):
        raise ForecastError(url, None, f"not {charset} text") from None
    return parse(text, url, kind="csv" if ctype == "text/csv" else "json")


def _when(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M UTC")


class ForecastSource:
    """The configured forecast: a folder, an HTTP URL, or both (the newer issue wins)."""

    def __init__(
        self,
        folder: str | Path | None = None,
        url: str | None = None,
        *,
        stale_after_h: float = STALE_AFTER_H,
        timeout_s: float = 5.0,
    ):
        self.folder = None if folder is None else Path(folder)
        self.url = url
        self.stale_after_h = stale_after_h
        self.timeout_s = timeout_s

    @staticmethod
    def _from_folder(folder: Path) -> Forecast | None:
        empty = 0
        for _ in range(5):  # a writer may rename and prune while we list and read
            path, vanished = newest_file(folder)
            if path is None:
                # A listing during a rename + prune can miss both names: look twice.
                empty += not vanished
                if empty >= 2:
                    return None
                continue
            try:
                return read_file(path)
            except ForecastError:
                if path.exists():
                    raise
        return None

    def load(self, now: float | None = None) -> ForecastStatus:
        now = time.time() if now is None else now
        found: list[Forecast] = []
        problems: list[str] = []
        missing: list[str] = []
        if self.folder is not None:
            try:
                fc = self._from_folder(self.folder)
            except ForecastError as e:
                problems.append(str(e))
            else:
                if fc is None:
                    missing.append(f"no .json or .csv forecast in {self.folder}")
                else:
                    found.append(fc)
        if self.url:
            try:
                found.append(fetch_url(self.url, self.timeout_s))
            except ForecastError as e:
                problems.append(str(e))
        for fc in [f for f in found if f.issued_at > now + FUTURE_SLACK_H * 3600]:
            found.remove(fc)  # it would also win as "the newer issue"
            ahead = (fc.issued_at - now) / 3600
            problems.append(
                f"{fc.origin}: issued_at {_when(fc.issued_at)} is {ahead:.1f} h ahead of the "
                "console's clock: check the writer's clock, date and time zone"
            )
        if not found:
            if problems:
                return ForecastStatus(State.INVALID, problems[0], None, tuple(problems[1:]))
            why = "; ".join(missing) or "no forecast folder or URL configured"
            return ForecastStatus(State.MISSING, f"no forecast: {why}")
        fc = max(found, key=lambda f: f.issued_at)
        age_h = (now - fc.issued_at) / 3600
        ahead_h = (fc.end - now) / 3600
        what = f"forecast issued {_when(fc.issued_at)} ({fc.origin})"
        if fc.end <= now:
            return ForecastStatus(State.STALE, f"{what} has run out", fc, tuple(problems))
        if age_h > self.stale_after_h:
            msg = f"{what} is {age_h:.1f} h old (stale after {self.stale_after_h:g} h)"
            return ForecastStatus(State.STALE, msg, fc, tuple(problems))
        msg = f"{what}, {max(age_h, 0.0):.1f} h old, {ahead_h:.0f} h ahead"
        return ForecastStatus(State.OK, msg, fc, tuple(problems))
