"""The built-in rule set, laid out as flat per-slot arrays over a whole network.

Every alarm is a slot: a source value, a direction, a limit and timing. Comparisons use a
signed form so high and low alarms share one vectorised expression:

    y = sign * x          (sign +1: alarm when x > limit; -1: alarm when x < limit)
    L = sign * limit
    activate when y > L,  clear when y <= L - deadband

A slot's source is one of three sections of a per-batch "extended" value vector:
  VAL  a point's value (valid when its quality is GOOD),
  SF   a point's sensor-fault indicator (quality == SENSOR_FAULT; valid when GOOD or SF),
  DER  a derived per-station feature (T3 deviation, p1-p2, alarm bits, comm state).
Limits live per station and kind (a small table), refreshed from the station's own limit
registers whenever those are GOOD.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from console.core.events import Priority
from drivers.points import PointTable, build_point_table
from drivers.samples import Quality
from station_config.alarm_rules import AlarmConfig, RuleConfig
from station_config.schema import NetworkDef, StationDef

SEC_VAL, SEC_SF, SEC_DER = 0, 1, 2

RULES: tuple[str, ...] = (
    "room_low",
    "room_critical",
    "t3_dev_high",
    "t3_dev_low",
    "p3_low",
    "p3_high",
    "dp_primary_low",
    "makeup_high",
    "pump1_fault",
    "pump2_fault",
    "power_fail",
    "sensor_fault",
    "local_control",
    "comm_fail",
    "stale",
    "wrong_device",
    "leak_suspected",
)
RULE_ID = {r: i for i, r in enumerate(RULES)}
ROOM_RULES = ("room_low", "room_critical", "sensor_fault")  # one slot per room each
ROOM_POINT = "room_temp"
STATION_POINT = "station"  # pseudo point name of station-wide alarms (comm_fail)
PROCESS_RULES = frozenset(RULES) - {
    "sensor_fault",
    "comm_fail",
    "stale",
    "local_control",
    "wrong_device",
}
# Which clock a rule's on/off delays run on (station_config.alarm_rules.ProcessClock): rules
# about the communication link time a wall-clock phenomenon (TCP timeouts, a device's hung
# controller, a wrong device answering), so they stay on the wall clock; every other rule filters
# what the process does and follows process time. Re-alarm, shelving and the flood window
# measure the operator's time and are wall-clock throughout.
WALL_CLOCK_RULES = frozenset({"comm_fail", "stale", "wrong_device"})

RULE_TEXT = {
    "room_low": "room temperature low",
    "room_critical": "room temperature below legal floor",
    "t3_dev_high": "secondary supply above setpoint",
    "t3_dev_low": "secondary supply below setpoint",
    "p3_low": "secondary pressure low",
    "p3_high": "secondary pressure high",
    "dp_primary_low": "primary differential pressure low",
    "makeup_high": "make-up flow high (leak?)",
    "pump1_fault": "pump 1 fault",
    "pump2_fault": "pump 2 fault",
    "power_fail": "power failure",
    "sensor_fault": "sensor fault",
    "local_control": "station in local control",
    "comm_fail": "communication failed",
    "stale": "data stale (heartbeat frozen)",
    "wrong_device": "wrong device answering (identity registers)",
    "leak_suspected": "suspected leak",
}

# Derived per-station features (section DER), in column order.
F_T3DEV, F_DP, F_PUMP1, F_PUMP2, F_POWER = range(5)
SF_BIT_POINTS = (  # sensor_fault_bits b0..b4 and the points they describe
    "t1_primary_supply",
    "t2_primary_return",
    "t3_secondary_supply",
    "t4_secondary_return",
    "outdoor_temp",
)
F_SF0 = 5  # F_SF0 + k: sensor fault of SF_BIT_POINTS[k]
F_COMM = F_SF0 + len(SF_BIT_POINTS)
F_STALE = F_COMM + 1
F_WRONG = F_STALE + 1  # another device answers in the station's place
F_LEAK = F_WRONG + 1  # the water balance's leak estimate, m³/h (0: none; console/core/leak)
N_FEATURES = F_LEAK + 1


@dataclass(frozen=True)
class LimitKind:
    """A per-station limit: its rule, register, sign and whether 0 in the register means off."""

    rule: str | None
    register: str | None
    sign: float
    mult: float = 1.0  # limit = mult * register value (t3_dev_low: below setpoint -> negative)
    zero_off: bool = False
    fixed: float | None = None  # constant limits (bits, control level)


LIMIT_KINDS: tuple[LimitKind, ...] = (
    LimitKind("room_low", "room_low_limit", -1),
    LimitKind("room_critical", "room_critical_limit", -1),
    LimitKind("t3_dev_high", "t3_dev_high", +1, zero_off=True),
    LimitKind("t3_dev_low", "t3_dev_low", -1, mult=-1.0, zero_off=True),
    LimitKind("p3_low", "p_secondary_low", -1, zero_off=True),
    LimitKind("p3_high", "p_secondary_high", +1, zero_off=True),
    LimitKind("dp_primary_low", "dp_primary_low", -1, zero_off=True),
    LimitKind("makeup_high", "makeup_flow_limit", +1, zero_off=True),
    LimitKind(None, None, +1, fixed=0.5),  # indicator (0/1) is set
    LimitKind(None, None, -1, fixed=0.5),  # control_level 0 = local
    LimitKind(None, None, +1, fixed=0.0),  # a rate above 0: the balance detector holds a leak
)
(K_ROOM_LOW, K_ROOM_CRIT, K_T3H, K_T3L, K_P3L, K_P3H, K_DPL, K_MAKEUP, K_BIT, K_LOCAL,
 K_LEAK) = range(len(LIMIT_KINDS))  # fmt: skip
N_KINDS = len(LIMIT_KINDS)

# What the water balance reads (console/core/leak/balance.py); the totaliser is optional.
LEAK_POINTS = ("p4_secondary_return", "t3_secondary_supply", "t4_secondary_return")
LEAK_INPUTS = ("makeup_volume", "makeup_flow", *LEAK_POINTS)

# Scalar (once per station) slots: rule, key point, source section, source, kind, needed points.
_SCALAR = (
    ("t3_dev_high", "t3_secondary_supply", SEC_DER, F_T3DEV, K_T3H, ("t3_setpoint_active",)),
    ("t3_dev_low", "t3_secondary_supply", SEC_DER, F_T3DEV, K_T3L, ("t3_setpoint_active",)),
    ("p3_low", "p3_secondary_supply", SEC_VAL, None, K_P3L, ()),
    ("p3_high", "p3_secondary_supply", SEC_VAL, None, K_P3H, ()),
    ("dp_primary_low", "p1_primary_supply", SEC_DER, F_DP, K_DPL, ("p2_primary_return",)),
    ("makeup_high", "makeup_flow", SEC_VAL, None, K_MAKEUP, ()),
    ("pump1_fault", "alarm_bits", SEC_DER, F_PUMP1, K_BIT, ()),
    ("pump2_fault", "alarm_bits", SEC_DER, F_PUMP2, K_BIT, ()),
    ("power_fail", "alarm_bits", SEC_DER, F_POWER, K_BIT, ()),
    ("local_control", "control_level", SEC_VAL, None, K_LOCAL, ()),
    ("comm_fail", STATION_POINT, SEC_DER, F_COMM, K_BIT, ()),
    ("stale", "heartbeat", SEC_DER, F_STALE, K_BIT, ()),
    ("wrong_device", STATION_POINT, SEC_DER, F_WRONG, K_BIT, ()),
    ("leak_suspected", "makeup_flow", SEC_DER, F_LEAK, K_LEAK, LEAK_POINTS),
)

# Points the per-batch feature computation reads, by name (missing in a table -> NaN/invalid).
FEATURE_POINTS: tuple[str, ...] = (
    "t3_secondary_supply",
    "t3_setpoint_active",
    "p1_primary_supply",
    "p2_primary_return",
    "alarm_bits",
    "sensor_fault_bits",
    "heartbeat",
    "mode",
    "t3_dev_delay",
    *LEAK_INPUTS,
    *SF_BIT_POINTS,
    *(k.register for k in LIMIT_KINDS if k.register),
)
FP = {n: i for i, n in enumerate(dict.fromkeys(FEATURE_POINTS))}


@dataclass
class StationLayout:
    """One station's slots: [scalar slots..., then per room rule: R consecutive slots]."""

    index: int
    station: StationDef
    table: PointTable
    start: int
    end: int
    room_base: dict[str, int]  # room rule -> global slot of room 0
    rooms: int
    feature_idx: np.ndarray  # local point index per FP name, -1 if absent
    t3_slots: list[int] = field(default_factory=list)
    _by_key: dict[tuple[str, str], int] | None = None


@dataclass
class NetworkSlots:
    """Per-slot arrays of a whole network (global slot index = position)."""

    layouts: list[StationLayout]
    by_id: dict[str, int]
    station: np.ndarray  # int32, station index
    rule: np.ndarray  # int16, RULE_ID
    point: np.ndarray  # int32, local point index, -1 = the station itself
    src_sec: np.ndarray  # int8
    src_loc: np.ndarray  # int32, local index in its section
    sign: np.ndarray  # float64 ±1
    limidx: np.ndarray  # int64, station * N_KINDS + kind
    prio: np.ndarray  # int8, Priority.rank
    deadband: np.ndarray
    on_delay: np.ndarray
    off_delay: np.ndarray
    realarm: np.ndarray
    supp_off: np.ndarray  # bool, suppressed while the station is off
    supp_season: np.ndarray  # bool, suppressed out of the heating season
    lim_table: np.ndarray  # (stations, N_KINDS) signed limit L = sign * limit
    kind_uses_register: np.ndarray  # bool per kind: refresh from the station's register
    rule_cfg: dict[str, RuleConfig]

    @property
    def n(self) -> int:
        return len(self.station)


PRIO_RANK = {p.value: p.rank for p in Priority}


def build_slots(net: NetworkDef, cfg: AlarmConfig | None = None) -> NetworkSlots:
    cfg = cfg or net.alarms
    rc = {r: cfg.rule(r) for r in RULES}
    # Column lists of int arrays, one entry per station part; concatenated at the end.
    flat: dict[str, list[np.ndarray]] = {
        k: [] for k in ("station", "rule", "point", "sec", "loc", "kind")
    }
    layouts: list[StationLayout] = []
    start = 0

    def put(si: int, rule: str, pts: np.ndarray, sec: int, loc: np.ndarray, kind) -> None:
        n = len(pts)
        vals = (np.full(n, si), np.full(n, RULE_ID[rule]), pts, np.full(n, sec), loc, kind)
        for k, v in zip(flat, vals, strict=True):
            flat[k].append(np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)))

    for si, st in enumerate(net.stations):
        table = build_point_table(net.templates[st.template], st)
        idx = table.index
        # Scalar slots: rule, key point, source section, source index, limit kind.
        scalar: list[tuple[str, int, int, int, int]] = []
        for rule, pname, sec, feat, kind, needs in _SCALAR:
            if not rc[rule].enabled or any(n not in idx for n in needs):
                continue
            if pname != STATION_POINT and pname not in idx:
                continue
            pt = -1 if pname == STATION_POINT else idx[pname]
            scalar.append((rule, pt, sec, pt if feat is None else feat, kind))
        if rc["sensor_fault"].enabled:
            for name, p in zip(table.names, table.defs, strict=True):
                if p.sentinel is None or p.count_from is not None:
                    continue
                if name in SF_BIT_POINTS:  # bit word and sentinel combined
                    f = F_SF0 + SF_BIT_POINTS.index(name)
                    scalar.append(("sensor_fault", idx[name], SEC_DER, f, K_BIT))
                else:
                    scalar.append(("sensor_fault", idx[name], SEC_SF, idx[name], K_BIT))
        t3_slots = [start + i for i, s in enumerate(scalar) if s[0].startswith("t3_dev")]
        for rule, pt, sec, loc, kind in scalar:
            put(si, rule, np.array([pt]), sec, np.array([loc]), kind)
        rooms = table.indices(ROOM_POINT)
        room_base: dict[str, int] = {}
        pos = start + len(scalar)
        for rule, sec, kind in (
            ("room_low", SEC_VAL, K_ROOM_LOW),
            ("room_critical", SEC_VAL, K_ROOM_CRIT),
            ("sensor_fault", SEC_SF, K_BIT),
        ):
            if rc[rule].enabled and len(rooms):
                put(si, rule, rooms, sec, rooms, kind)
                room_base[rule] = pos
                pos += len(rooms)
        fidx = np.array([idx.get(n, -1) for n in FP], dtype=np.int64)
        layouts.append(
            StationLayout(si, st, table, start, pos, room_base, len(rooms), fidx, t3_slots)
        )
        start = pos

    def cat(k: str, dtype: type) -> np.ndarray:
        parts = flat[k]
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    station = cat("station", np.int32)
    rule = cat("rule", np.int16)
    kind = cat("kind", np.int64)
    n_st = len(net.stations)
    sign = np.array([k.sign for k in LIMIT_KINDS])[kind]
    per_rule = {
        attr: np.array([getattr(rc[r], attr) for r in RULES], dtype=np.float64)
        for attr in ("deadband", "on_delay_s", "off_delay_s", "realarm_s")
    }
    prio = np.array([PRIO_RANK[rc[r].priority] for r in RULES], dtype=np.int8)
    supp_off = np.array([rc[r].suppress_when_off for r in RULES], dtype=bool)
    supp_season = np.array([rc[r].suppress_out_of_season for r in RULES], dtype=bool)

    # Initial signed limits: the configured fallback, or "never" (inf) until a register is read.
    lim_row = np.empty(N_KINDS)
    uses_reg = np.zeros(N_KINDS, dtype=bool)
    for k, lk in enumerate(LIMIT_KINDS):
        if lk.fixed is not None:
            lim_row[k] = lk.sign * lk.fixed
            continue
        r = rc[lk.rule]
        lim_row[k] = np.inf if r.limit is None else lk.sign * r.limit
        uses_reg[k] = r.station_limit
    return NetworkSlots(
        layouts=layouts,
        by_id={st.id: i for i, st in enumerate(net.stations)},
        station=station,
        rule=rule,
        point=cat("point", np.int32),
        src_sec=cat("sec", np.int8),
        src_loc=cat("loc", np.int32),
        sign=sign,
        limidx=station.astype(np.int64) * N_KINDS + kind,
        prio=prio[rule],
        deadband=per_rule["deadband"][rule],
        on_delay=per_rule["on_delay_s"][rule],
        off_delay=per_rule["off_delay_s"][rule],
        realarm=per_rule["realarm_s"][rule],
        supp_off=supp_off[rule],
        supp_season=supp_season[rule],
        lim_table=np.tile(lim_row, (n_st, 1)),
        kind_uses_register=uses_reg,
        rule_cfg=rc,
    )


def features(
    v: np.ndarray,
    q: np.ndarray,
    fidx: np.ndarray,
    comm_failed: np.ndarray,
    frozen: np.ndarray,
    wrong: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Derived per-station features (B, N_FEATURES) and their validity, for a whole batch.

    v, q: the batch's values and qualities with a trailing NaN/NO_DATA pad element;
    fidx: (B, len(FP)) indices into v/q (the pad where a station lacks the point);
    wrong: (B,) another device answers for the station (CommState.WRONG_DEVICE).
    """
    vv, qq = v[fidx], q[fidx]
    good = qq == Quality.GOOD

    def col(name: str) -> tuple[np.ndarray, np.ndarray]:
        j = FP[name]
        return vv[:, j], good[:, j]

    b = len(fidx)
    out = np.zeros((b, N_FEATURES))
    ok = np.zeros((b, N_FEATURES), dtype=bool)
    t3, g3 = col("t3_secondary_supply")
    sp, gsp = col("t3_setpoint_active")
    out[:, F_T3DEV], ok[:, F_T3DEV] = t3 - sp, g3 & gsp
    p1, g1 = col("p1_primary_supply")
    p2, g2 = col("p2_primary_return")
    out[:, F_DP], ok[:, F_DP] = p1 - p2, g1 & g2
    ab, gab = col("alarm_bits")
    abi = np.nan_to_num(ab).astype(np.int64)
    for f, bit in ((F_PUMP1, 5), (F_PUMP2, 6), (F_POWER, 8)):
        out[:, f], ok[:, f] = (abi >> bit) & 1, gab
    sfb, gsf = col("sensor_fault_bits")
    sfi = np.nan_to_num(sfb).astype(np.int64)
    for k, name in enumerate(SF_BIT_POINTS):
        # The bit, or the point's own 0x7FFF sentinel: either proves the fault; without a good
        # bit word and without the sentinel we cannot tell (hold).
        sentinel = qq[:, FP[name]] == Quality.SENSOR_FAULT
        out[:, F_SF0 + k] = (gsf & (((sfi >> k) & 1) == 1)) | sentinel
        ok[:, F_SF0 + k] = gsf | sentinel
    out[:, F_COMM], ok[:, F_COMM] = comm_failed, True
    hb_stale = qq[:, FP["heartbeat"]] == Quality.STALE
    if wrong is None:
        wrong = np.zeros(b, dtype=bool)
    # While the wrong device answers, the right one's heartbeat is unknown: hold `stale`.
    out[:, F_STALE], ok[:, F_STALE] = frozen | hb_stale, ~comm_failed & ~wrong
    out[:, F_WRONG], ok[:, F_WRONG] = wrong, True
    return out, ok
