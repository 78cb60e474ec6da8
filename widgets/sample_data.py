"""Believable synthetic data for the widget gallery, tests and benchmarks (no I/O).

A city after the reference article: districts 涧西, 西工, 老城, 瀍河, 洛龙, 伊滨; three trunk
lines from the plants at 偃师 (east), 孟津 (north) and 新安 (west). Deterministic for a seed.
"""

from __future__ import annotations

import math
import random

from console.vocabulary.alarms import Priority
from console.vocabulary.quality import Quality
from console.vocabulary.views import KeyFigures, PointView, RoomView, StationState
from station_config.schema import District, HeatSource, NetworkDef, StationDef, TrunkLine

DISTRICTS = [
    # id, name, centre (km east, km north), radius km, prefix, share of stations
    ("jianxi", "涧西区", (-7.0, 0.5), 3.6, "jx", 0.24),
    ("xigong", "西工区", (-1.5, 2.5), 2.8, "xg", 0.18),
    ("laocheng", "老城区", (2.8, 3.2), 2.0, "lc", 0.12),
    ("chanhe", "瀍河区", (6.0, 2.4), 2.2, "ch", 0.11),
    ("luolong", "洛龙区", (0.5, -4.0), 3.8, "ll", 0.25),
    ("yibin", "伊滨区", (9.5, -6.5), 2.6, "yb", 0.10),
]
STREETS = [
    "中州路", "南昌路", "景华路", "九都路", "王城大道", "开元大道", "龙门大道", "太康路",
    "凯旋路", "建设路", "青岛路", "长安路", "丽新路", "洛阳桥", "启明路", "春都路", "涧河路",
    "西苑路", "牡丹大道", "厚载门街", "解放路", "定鼎路", "金城寨街", "滨河路",
]  # fmt: skip


def city_network(n_stations: int = 757, seed: int = 7) -> NetworkDef:
    """A NetworkDef with the reference city's geometry and `n_stations` substations."""
    rng = random.Random(seed)
    sources = [
        HeatSource(id="yanshi_chp", name="偃师热电", position=(30.0, -1.0), capacity_mw=1200),
        HeatSource(id="mengjin_chp", name="孟津热电", position=(2.0, 22.0), capacity_mw=900),
        HeatSource(id="xinan_chp", name="新安热电", position=(-30.0, 6.0), capacity_mw=900),
    ]
    trunks = [
        TrunkLine(
            id="east_trunk",
            name="东线",
            source="yanshi_chp",
            route=[(30.0, -1.0), (20.0, -1.5), (12.0, -2.0), (6.0, 0.0), (2.0, 0.5)],
        ),
        TrunkLine(
            id="north_trunk",
            name="北线",
            source="mengjin_chp",
            route=[(2.0, 22.0), (1.5, 14.0), (0.0, 7.0), (-1.0, 3.0), (0.0, -3.0)],
        ),
        TrunkLine(
            id="west_trunk",
            name="西线",
            source="xinan_chp",
            route=[(-30.0, 6.0), (-20.0, 4.0), (-12.0, 1.5), (-7.0, 0.5), (-3.0, 0.0)],
        ),
    ]
    districts = [District(id=d, name=nm, center=c, radius_km=r) for d, nm, c, r, _, _ in DISTRICTS]
    trunk_of = {
        "jianxi": "west_trunk",
        "xigong": "north_trunk",
        "laocheng": "north_trunk",
        "chanhe": "east_trunk",
        "luolong": "north_trunk",
        "yibin": "east_trunk",
    }
    stations: list[StationDef] = []
    counts = [max(1, round(n_stations * share)) for *_, share in DISTRICTS]
    counts[0] += n_stations - sum(counts)  # exact total
    k = 0
    for (did, _dname, (cx, cy), radius, prefix, _), count in zip(DISTRICTS, counts, strict=True):
        for i in range(count):
            # Denser towards the centre, like a real city.
            r = radius * math.sqrt(rng.random()) * 0.95
            a = rng.random() * 2 * math.pi
            street = STREETS[rng.randrange(len(STREETS))]
            stations.append(
                StationDef(
                    id=f"{prefix}-{i + 1:03d}",
                    name=f"{street}{rng.randrange(1, 300)}号站",
                    district=did,
                    template="substation-v1",
                    trunk=trunk_of[did],
                    host=f"127.0.{80 + k // 250}.{k % 250 + 1}",
                    port=15020,
                    rooms=rng.choice([0, 40, 80, 120, 160, 200, 240]),
                    area_m2=rng.randrange(15, 160) * 1000,
                    position=(round(cx + r * math.cos(a), 3), round(cy + r * math.sin(a), 3)),
                )
            )
            k += 1
    return NetworkDef(
        name="洛阳 demo city",
        sources=sources,
        trunks=trunks,
        districts=districts,
        stations=stations,
    )


def normal_state(st: StationDef, rng: random.Random, t: float = 1.7e9) -> StationState:
    rooms = st.rooms
    room_min = round(rng.uniform(18.3, 19.6), 1) if rooms else None
    return StationState(
        id=st.id,
        name=st.name,
        district=st.district,
        comm=Quality.GOOD,
        outdoor=-4.5,
        t1=round(rng.uniform(96, 104), 1),
        t3=round(rng.uniform(52, 58), 1),
        t3_setpoint=55.0,
        room_min=room_min,
        room_mean=round(rng.uniform(20.0, 21.8), 1) if rooms else None,
        rooms_total=rooms,
        heat_power_kw=round(st.area_m2 * rng.uniform(0.040, 0.055)),
        last_update=t,
    )


def city_states(net: NetworkDef, seed: int = 3, t: float = 1.7e9) -> dict[str, StationState]:
    """A cold evening: most stations fine, a handful in alarm, one cold, one failed, one stale."""
    rng = random.Random(seed)
    states = {st.id: normal_state(st, rng, t) for st in net.stations}
    ids = [st.id for st in net.stations]
    picks = rng.sample(ids, min(len(ids), 24))

    def patch(sid: str, **kw: object) -> None:
        s = states[sid]
        states[sid] = StationState(**{**s.__dict__, **kw})  # type: ignore[arg-type]

    if len(picks) < 8:
        picks = (ids * 8)[:8]
    # The cold station: rooms below 16 °C, critical, unacknowledged.
    patch(
        picks[0],
        alarm=Priority.CRITICAL,
        unacked=True,
        room_min=14.6,
        room_mean=17.1,
        rooms_below_18=37,
        rooms_below_16=9,
        rooms_total=max(states[picks[0]].rooms_total, 120),
        t3=41.2,
    )
    patch(picks[1], comm=Quality.COMM_FAIL, error="connection refused (10 s)", alarm=Priority.HIGH)
    patch(picks[2], comm=Quality.STALE, error="heartbeat frozen")
    patch(picks[3], alarm=Priority.HIGH, unacked=False, room_min=17.4, rooms_below_18=4)
    patch(picks[4], alarm=Priority.MEDIUM, unacked=True, room_min=17.8, rooms_below_18=1)
    patch(picks[5], alarm=Priority.LOW, unacked=False)
    patch(picks[6], alarm=Priority.MEDIUM, unacked=False, local_control=True)
    patch(picks[7], comm=Quality.SENSOR_FAULT, alarm=Priority.LOW)
    return states


def key_figures(states: dict[str, StationState]) -> KeyFigures:
    """City figures computed the way the application will (from StationStates)."""
    vals = list(states.values())
    cold = [s for s in vals if s.room_min is not None and s.comm == Quality.GOOD]
    coldest = min(cold, key=lambda s: s.room_min or 99.0, default=None)
    alarmed = [s for s in vals if s.alarm is not None and s.alarm != Priority.INFO]
    unacked = [s for s in vals if s.unacked and s.alarm is not None]
    good = sum(1 for s in vals if s.comm in (Quality.GOOD, Quality.SENSOR_FAULT))
    power = sum(s.heat_power_kw or 0.0 for s in vals)
    return KeyFigures(
        outdoor=-4.5,
        rooms_below_18=sum(s.rooms_below_18 for s in vals),
        rooms_below_16=sum(s.rooms_below_16 for s in vals),
        coldest_room=coldest.room_min if coldest else None,
        coldest_station=coldest.name if coldest else None,
        stations_in_alarm=len(alarmed),
        stations_total=len(vals),
        comm_good_pct=100.0 * good / len(vals) if vals else None,
        heat_power_mw=power / 1000.0,
        unacked_alarms=len(unacked),
        flood=False,
        worst_priority=min((s.alarm for s in alarmed), key=lambda p: p.rank, default=None),
        unacked_priority=min((s.alarm for s in unacked), key=lambda p: p.rank, default=None),  # type: ignore[misc]
        stations_stale=sum(1 for s in vals if s.comm == Quality.STALE),
        stations_failed=sum(1 for s in vals if s.comm in (Quality.COMM_FAIL, Quality.NO_DATA)),
    )


def station_points(cold: bool = False, local: bool = False) -> dict[str, PointView]:
    """One substation's live values as the station view receives them."""
    g = Quality.GOOD

    def pv(name: str, label: str, value: float | None, unit: str = "", **kw: object) -> PointView:
        return PointView(
            name=name, label=label, value=value, unit=unit, quality=kw.pop("q", g), **kw
        )  # type: ignore[arg-type]

    t3 = 41.2 if cold else 55.3
    pts = [
        pv("outdoor_temp", "Outdoor", -4.5, "°C"),
        pv("t1_primary_supply", "T1 primary supply", 98.6, "°C"),
        pv("t2_primary_return", "T2 primary return", 46.1, "°C"),
        pv("t3_secondary_supply", "T3 secondary supply", t3, "°C",
           alarm=Priority.HIGH if cold else None),
        pv("t4_secondary_return", "T4 secondary return", 38.9, "°C", q=Quality.SENSOR_FAULT),
        pv("room_temp_mean", "Room mean", 17.1 if cold else 20.6, "°C"),
        pv("room_temp_min", "Room min", 14.6 if cold else 18.7, "°C",
           alarm=Priority.CRITICAL if cold else None),
        pv("p1_primary_supply", "p1 primary supply", 620, "kPa"),
        pv("p2_primary_return", "p2 primary return", 310, "kPa"),
        pv("p3_secondary_supply", "p3 secondary supply", 402, "kPa"),
        pv("p4_secondary_return", "p4 secondary return", 318, "kPa"),
        pv("primary_flow", "Primary flow", 41.3, "m³/h"),
        pv("secondary_flow", "Secondary flow", 118.4, "m³/h"),
        pv("makeup_flow", "Make-up flow", 0.35, "m³/h", decimals=2),
        pv("valve_position", "Valve position", 100.0 if cold else 63.5, "%"),
        pv("pump1_speed", "Pump 1 speed", 42.5, "Hz"),
        pv("pump2_speed", "Pump 2 speed", 0.0, "Hz"),
        pv("heat_power", "Heat power", 2390, "kW"),
        pv("t3_setpoint_active", "T3 setpoint (active)", 55.0, "°C"),
        pv("status_bits", "Status", 0b0010_0001 | (0 if local else 0b0010_0000)),
        pv("alarm_bits", "Alarms", 0b0100_0000 if not cold else 0b0100_0001),
        pv("mode", "Mode", 1, writable=True, write_min=0, write_max=4, decimals=0,
           enum=((0, "manual"), (1, "weather curve"), (2, "fixed"), (3, "frost protection"),
                 (4, "off"))),
        pv("control_level", "Control", 0 if local else 1, writable=True, write_min=0,
           write_max=1, decimals=0, enum=((0, "local"), (1, "SCADA"))),
        pv("room_setpoint", "Room setpoint", 19.0, "°C", writable=True, write_min=16.0,
           write_max=24.0, decimals=1),
        pv("t3_fixed_setpoint", "T3 fixed setpoint", 60.0, "°C", writable=True, write_min=20.0,
           write_max=95.0, decimals=1),
        pv("curve_shift", "Curve shift", 1.5, "K", writable=True, write_min=-10.0,
           write_max=10.0, decimals=1),
        pv("t3_dev_high", "T3 deviation high", 5.0, "K"),
        pv("t3_dev_low", "T3 deviation low", 5.0, "K"),
        pv("p_secondary_low", "p secondary low", 250, "kPa"),
        pv("p_secondary_high", "p secondary high", 600, "kPa"),
    ]  # fmt: skip
    return {p.name: p for p in pts}


def station_rooms(n: int = 120, cold: bool = False, seed: int = 5) -> list[RoomView]:
    rng = random.Random(seed)
    rooms = []
    for i in range(n):
        if i in (17, 58, 59):
            rooms.append(RoomView(i, None, Quality.SENSOR_FAULT))
            continue
        base = rng.gauss(17.0 if cold else 20.4, 1.4 if cold else 1.0)
        if not cold and i in (7, 93):
            base = 24.8
        temp = round(base, 1)
        prio = Priority.CRITICAL if temp < 16 else Priority.MEDIUM if temp < 18 else None
        rooms.append(RoomView(i, temp, Quality.GOOD, prio))
    return rooms
