"""Timed scenario events for the simulator, read from YAML and checked with file and line.

A scenario file is a mapping (or just the list of events):

    name: cold wave
    description: a cold night
    events:
      - {at: 30m, type: cold_wave, delta_k: -12, ramp: 3h, hold: 8h, recover: 6h}
      - {at: 1h, type: leak, station: jx-001, flow_m3h: 2.5, duration: 2h}

`at` is simulated time since the simulator started ("90s", "10m", "2h", "1h30m" or seconds).
A selector picks where an event acts: `station`, `stations` (list), `district`, `trunk`
(plant events: `trunk` or `source`); none = everywhere. `duration` on a fault event undoes it
after that long (simulated). Every event type and its parameters are in EVENT_TYPES below.
Communication events (COMM_EVENT_TYPES) are applied by the runner's fault injector, the rest by
NetworkPhysics.apply_event. `due()` hands events out with durations already in seconds
(`at`, `ramp`, `hold`, `recover`, and `duration` as `duration_s`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.simulator.faults import BAD_REPLY_MODES, COMM_EVENT_TYPES, FAULT_KINDS
from drivers.simulator.physics import SENSORS, SETTING_DEFAULTS, parse_duration
from station_config.loader import ConfigError, Problem, YamlDoc, YamlPath, _read
from station_config.schema import NetworkDef

# Parameter kinds: "number", "fraction" (0..1), "percent" (0..100), "duration", "pump",
# "sensor", "rooms", "point", "kinds", "bad_reply_mode", "station_id". A trailing "!" marks a
# required parameter.
_STATION_SEL = ("station", "stations", "district", "trunk")
_PLANT_SEL = ("trunk", "source")
EVENT_TYPES: dict[str, tuple[tuple[str, ...], dict[str, str], bool]] = {
    # type: (allowed selectors, parameters, selector required)
    "weather": ((), {"base_c": "number", "amplitude_k": "number"}, False),
    "cold_wave": (
        _STATION_SEL,
        {"delta_k": "number", "ramp": "duration", "hold": "duration", "recover": "duration"},
        False,
    ),
    "plant_trip": (_PLANT_SEL, {"to_c": "number", "duration": "duration"}, False),
    "plant_restore": (_PLANT_SEL, {}, False),
    "plant_supply": (
        _PLANT_SEL,
        {"setpoint_c": "number", "raise_k": "number", "duration": "duration"},
        False,
    ),
    "plant_auto": (_PLANT_SEL, {}, False),
    "dp_limit": (_STATION_SEL, {"factor": "fraction!"}, True),
    "leak": (_STATION_SEL, {"flow_m3h": "number", "duration": "duration"}, True),
    "leak_clear": (_STATION_SEL, {}, True),
    "pump_fault": (_STATION_SEL, {"pump": "pump", "duration": "duration"}, True),
    "pump_repair": (_STATION_SEL, {"pump": "pump"}, True),
    "sensor_fault": (
        _STATION_SEL,
        {"sensor": "sensor!", "rooms": "rooms", "duration": "duration"},
        True,
    ),
    "sensor_repair": (_STATION_SEL, {"sensor": "sensor!", "rooms": "rooms"}, True),
    "valve_stuck": (_STATION_SEL, {"position_pct": "percent", "duration": "duration"}, True),
    "valve_free": (_STATION_SEL, {}, True),
    "power_failure": (_STATION_SEL, {"duration": "duration"}, True),
    "power_restore": (_STATION_SEL, {}, True),
    "set": (_STATION_SEL, {"point": "point!", "value": "number!"}, False),
    # Communication faults (runner): durations are simulated seconds, scaled by --speed there.
    "comm_latency": (
        ("station", "stations", "district"),
        {"latency_ms": "number!", "jitter": "fraction", "duration": "duration"},
        False,
    ),
    "comm_drop": (
        ("station", "stations", "district"),
        {"probability": "fraction", "duration": "duration"},
        False,
    ),
    "comm_offline": (("station", "stations", "district"), {"duration": "duration"}, False),
    "heartbeat_freeze": (("station", "stations", "district"), {"duration": "duration"}, False),
    "short_reply": (
        ("station", "stations", "district"),
        {"probability": "fraction", "duration": "duration"},
        False,
    ),
    # Every reply wrong in one way (faults.BAD_REPLY_MODES), or another station's device
    # answering (a swapped identity: `as` names the station whose registers are served).
    "bad_reply": (
        ("station", "stations", "district"),
        {"mode": "bad_reply_mode!", "duration": "duration"},
        False,
    ),
    "wrong_device": (
        ("station", "stations", "district"),
        {"as": "station_id!", "duration": "duration"},
        True,
    ),
    "comm_clear": (("station", "stations", "district"), {"kinds": "kinds"}, False),
}
assert set(EVENT_TYPES) >= COMM_EVENT_TYPES
_COMMON = {"at", "type", "note"}
_FAULT_KINDS = FAULT_KINDS


def _check_param(kind: str, v: Any) -> tuple[Any, str | None]:
    """(normalised value, problem or None)."""
    if kind == "duration":
        try:
            return parse_duration(v), None
        except ValueError as e:
            return v, str(e)
    if kind in ("number", "fraction", "percent"):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            return v, f"must be a number, not {v!r}"
        lo, hi = {"number": (-math.inf, math.inf), "fraction": (0, 1), "percent": (0, 100)}[kind]
        if not lo <= v <= hi:
            return v, f"{v} is outside {lo}..{hi}"
        return float(v), None
    if kind == "pump":
        if v in (1, 2, "both"):
            return v, None
        return v, f"pump must be 1, 2 or both, not {v!r}"
    if kind == "sensor":
        ok = (*SENSORS, "room")
        return v, None if v in ok else f"sensor must be one of {', '.join(ok)}, not {v!r}"
    if kind == "rooms":
        if v == "all":
            return v, None
        items = v if isinstance(v, list) else [v]
        if all(isinstance(r, int) and not isinstance(r, bool) and 0 <= r < 2000 for r in items):
            return items, None
        return v, f"rooms must be `all`, a room index or a list of indices, not {v!r}"
    if kind == "point":
        if v in SETTING_DEFAULTS:
            return v, None
        return v, f"`{v}` is not a writable point of substation-v1"
    if kind == "bad_reply_mode":
        if v in BAD_REPLY_MODES:
            return v, None
        return v, f"mode must be one of {', '.join(BAD_REPLY_MODES)}, not {v!r}"
    if kind == "station_id":  # checked against the network in Scenario.check
        return v, None if isinstance(v, str) and v else f"must be a station id, not {v!r}"
    if kind == "kinds":
        items = [v] if isinstance(v, str) else v
        if isinstance(items, list) and all(k in _FAULT_KINDS for k in items):
            return items, None
        return v, f"kinds must be among {', '.join(_FAULT_KINDS)}, not {v!r}"
    raise AssertionError(kind)


@dataclass
class Scenario:
    """An ordered list of events; `due(elapsed)` hands each out once, when its time has come."""

    events: list[dict[str, Any]]
    name: str = ""
    description: str = ""
    file: str = "<scenario>"
    lines: list[int | None] = field(default_factory=list)  # source line of each event
    _next: int = 0

    def __post_init__(self) -> None:
        order = sorted(range(len(self.events)), key=lambda k: self.events[k]["at"])  # stable
        self.events = [self.events[k] for k in order]
        if self.lines:
            self.lines = [self.lines[k] for k in order]

    @classmethod
    def load(cls, path: str | Path, net: NetworkDef | None = None) -> Scenario:
        """Read and check a scenario file; ConfigError lists every problem (file:line: reason).

        With `net`, selectors are checked against it too (unknown station, district, trunk).
        """
        file = Path(path)
        problems: list[Problem] = []
        doc = _read(file, problems)
        if doc is None:
            raise ConfigError(problems)
        data = doc.data
        base: YamlPath = ()
        name = description = ""
        if isinstance(data, dict):
            for k in data:
                if k not in ("name", "description", "events"):
                    problems.append(doc.problem((k,), f"unknown field `{k}`"))
            name = str(data.get("name", ""))
            description = str(data.get("description", ""))
            if "events" not in data:
                problems.append(doc.problem((), "missing field `events`"))
            data = data.get("events")
            base = ("events",)
        if not isinstance(data, list):
            if not problems:
                problems.append(doc.problem(base, "`events` must be a list of events"))
            raise ConfigError(problems)
        events, lines = [], []
        for i, raw in enumerate(data):
            ev = _check_event(doc, (*base, i), raw, problems)
            if ev is not None:
                events.append(ev)
                lines.append(doc.line((*base, i)))
        sc = cls(events, name, description, str(file), lines)
        if net is not None:
            problems.extend(sc.check(net))
        if problems:
            raise ConfigError(problems)
        return sc

    def check(self, net: NetworkDef) -> list[Problem]:
        """Selectors that name nothing in `net`."""
        known = {
            "station": {s.id for s in net.stations},
            "district": {d.id for d in net.districts},
            "trunk": {t.id for t in net.trunks},
            "source": {s.id for s in net.sources},
        }
        out = []
        for k, ev in enumerate(self.events):
            line = self.lines[k] if k < len(self.lines) else None
            for sel, ids in known.items():
                names = [ev[sel]] if sel in ev else []
                if sel == "station":
                    names += list(ev.get("stations", []))
                    names += [ev["as"]] if "as" in ev else []  # wrong_device's other station
                for nm in names:
                    if nm not in ids:
                        out.append(
                            Problem(self.file, line, f"{ev['type']}.{sel}", f"unknown {sel} `{nm}`")
                        )
        return out

    def due(self, elapsed_sim_s: float) -> list[dict[str, Any]]:
        """Events whose `at` has passed and that were not handed out yet (each once)."""
        out = []
        while self._next < len(self.events) and self.events[self._next]["at"] <= elapsed_sim_s:
            out.append(dict(self.events[self._next]))
            self._next += 1
        return out

    def reset(self) -> None:
        self._next = 0


def _check_event(
    doc: YamlDoc, path: YamlPath, raw: Any, problems: list[Problem]
) -> dict[str, Any] | None:
    n0 = len(problems)
    if not isinstance(raw, dict):
        problems.append(doc.problem(path, "an event must be a mapping with `at` and `type`"))
        return None
    kind = raw.get("type")
    if kind is None:
        problems.append(doc.problem(path, "missing field `type`"))
        return None
    if kind not in EVENT_TYPES:
        problems.append(
            doc.problem(
                (*path, "type"),
                f"unknown event type `{kind}` (known: {', '.join(sorted(EVENT_TYPES))})",
            )
        )
        return None
    selectors, params, need_sel = EVENT_TYPES[kind]
    ev: dict[str, Any] = {"type": kind}
    if "at" not in raw:
        problems.append(doc.problem(path, "missing field `at`"))
    else:
        at, err = _check_param("duration", raw["at"])
        if err:
            problems.append(doc.problem((*path, "at"), err))
        ev["at"] = at
    for key, v in raw.items():
        p = (*path, key)
        if key in _COMMON and key != "note":
            continue
        if key == "note":
            continue
        if key in ("station", "stations", "district", "trunk", "source"):
            if key not in selectors:
                allowed = ", ".join(selectors) or "none"
                problems.append(doc.problem(p, f"`{kind}` takes no `{key}` (selectors: {allowed})"))
            elif key == "stations":
                if not (isinstance(v, list) and v and all(isinstance(s, str) for s in v)):
                    problems.append(doc.problem(p, "must be a non-empty list of station ids"))
                ev[key] = v
            elif not isinstance(v, str):
                problems.append(doc.problem(p, f"must be an id (text), not {v!r}"))
            else:
                ev[key] = v
            continue
        spec = params.get(key)
        if spec is None:
            known = ", ".join(params) or "none"
            problems.append(doc.problem(p, f"unknown parameter `{key}` for `{kind}` ({known})"))
            continue
        value, err = _check_param(spec.rstrip("!"), v)
        if err:
            problems.append(doc.problem(p, err))
        ev["duration_s" if key == "duration" else key] = value
    for key, spec in params.items():
        if spec.endswith("!") and key not in raw:
            problems.append(doc.problem(path, f"`{kind}` needs `{key}`"))
    if need_sel and not any(s in raw for s in selectors):
        problems.append(doc.problem(path, f"`{kind}` needs a selector ({', '.join(selectors)})"))
    if sum(s in raw for s in ("station", "stations")) > 1:
        problems.append(doc.problem(path, "give `station` or `stations`, not both"))
    return ev if len(problems) == n0 else None
