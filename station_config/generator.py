"""Generate a full-size network of the demo city (757 substations, ~200,000 points).

The city itself (heat sources, trunk routes, districts, scan groups) is read from `demo.yaml`, so
the demo and the generated network are the same place; only the stations are generated. Output is
deterministic per seed and written as readable YAML, one station a line, that references the
built-in template by a relative path (the loader finds it from wherever the file is written).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from station_config.loader import DEMO_CONFIG, load_network
from station_config.schema import District, NetworkDef, TrunkLine

TEMPLATE_ID = "substation-v1"
TEMPLATE_REF = "templates/substation-v1.yaml"  # relative: resolved beside the file or built-in
MAX_ROOMS = 240  # substation-v1 serves room temperatures at 400..639
PORT = 1502  # unprivileged: 502 needs root
# 127.0.X.Y with X in FIRST_SUBNET..254 and Y in 1..254: ~39,000 stations, clear of the demo's
# 127.0.1.N and the test fixtures.
FIRST_SUBNET = 100
PLANT_STEP_MW = 50.0  # plant ratings are rounded up to this
PLANT_RESERVE = 0.15  # above the design-day load: network losses, a peak boiler
MAX_STATIONS = (255 - FIRST_SUBNET) * 254

# Share of the city's substations per district (older core districts are dense, 伊滨 is new).
DISTRICT_WEIGHTS = {"jianxi": 0.27, "xigong": 0.22, "laocheng": 0.13, "chanhe": 0.14, "yibin": 0.24}
ID_PREFIX = {"jianxi": "jx", "xigong": "xg", "laocheng": "lc", "chanhe": "ch", "yibin": "yb"}

# Streets and residential compounds (小区) per district; numbered when a compound has several
# substations ("涧西区·南昌路3号站").
_COMPOUND_NAMES = {
    "jianxi": (
        "南昌路 长安路 天津路 重庆路 武汉路 长春路 青岛路 景华路 中州西路 建设路 西苑路 联盟路 "
        "华山路 嵩山路 蓬莱路 辽宁路 申泰嘉园 广州市场 上海市场 太原路 郑州路 湖北路 丽春西路 "
        "涧河路 西苑桥 谷水 工农 周山路 衡山路 王城花园 华洋国际 凯旋西路 珠江路 南京路 兰州路 "
        "洛阳桥 天香路 南昌路北 长兴街 徐家营"
    ),
    "xigong": (
        "丹城苑 汉宫花苑 王城大道 中州中路 凯旋路 唐宫中路 九都西路 纱厂南路 健康东路 芳林路 "
        "金谷园路 道北路 解放路 七一路 体育场路 西工小街 红山路 邙岭路 春都路 九龙鼎 王城公园 "
        "纱厂东路 唐宫西路 玻璃厂路 洛北 汉屯路 军民路 史家屯 东涧沟 凯旋东路 百货楼 行署路"
    ),
    "laocheng": (
        "中州东路 西大街 东大街 丽景门 北大街 环城北路 民主街 九都东路 青年宫 贴廓巷 南大街 "
        "老集 金业路 敬事街 邙山镇 唐寺门 道南路 春都路东 状元红路 邙山路 环城南路 西关"
    ),
    "chanhe": (
        "启明东路 启明南路 瀍河路 东关大街 塔湾 北窑 杨文 焦枝路 下园路 夹马营路 瀍东路 "
        "马坡 史家湾 东花坛 五股路 中州东路东 九都东路东 站前路 铁路新村 华林新村 "
        "瀍河回族乡"
    ),
    "yibin": (
        "开拓大道 科技大道 李城路 诸葛镇 佃庄镇 庞村镇 寇店镇 伊滨路 李村镇 伊河路 河洛路 "
        "吕庙 太学路 龙门大道东 伊滨新城 洛职大道 科技园 学府路 文化路 伊洛路 滨河路 伊滨湾"
    ),
}
COMPOUNDS: dict[str, tuple[str, ...]] = {k: tuple(v.split()) for k, v in _COMPOUND_NAMES.items()}

_CN_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class GeneratedStation:
    id: str
    name: str
    district: str
    trunk: str
    host: str
    rooms: int
    area_m2: int
    position: tuple[float, float]


def loopback_host(n: int) -> str:
    """The n-th (0-based) station's own loopback address."""
    if not 0 <= n < MAX_STATIONS:
        raise ValueError(f"at most {MAX_STATIONS} stations fit the loopback plan")
    return f"127.0.{FIRST_SUBNET + n // 254}.{1 + n % 254}"


def apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` by weights, largest remainder first: exact and deterministic."""
    s = sum(weights.values())
    exact = {k: total * w / s for k, w in weights.items()}
    out = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (out[k] - exact[k], k))[: total - sum(out.values())]:
        out[k] += 1
    return out


def _segment_distance(p: Sequence[float], a: Sequence[float], b: Sequence[float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    d2 = dx * dx + dy * dy
    t = 0.0 if d2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / d2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def nearest_trunk(p: tuple[float, float], trunks: Sequence[TrunkLine]) -> str:
    """The trunk line (or branch) whose route passes closest: the one that feeds the station."""
    return min(
        trunks,
        key=lambda t: min(_segment_distance(p, a, b) for a, b in pairwise(t.route)),
    ).id


def generate_stations(
    city: NetworkDef, stations: int, rooms: int = 200, seed: int = 1
) -> list[GeneratedStation]:
    if not 1 <= stations <= MAX_STATIONS:
        raise ValueError(f"--stations must be 1…{MAX_STATIONS}")
    if not 0 <= rooms <= MAX_ROOMS:
        raise ValueError(f"--rooms must be 0…{MAX_ROOMS} (the template serves {MAX_ROOMS} rooms)")
    rng = random.Random(seed)
    districts: dict[str, District] = {d.id: d for d in city.districts}
    weights = {d: DISTRICT_WEIGHTS.get(d, 0.1) for d in districts}
    counts = apportion(stations, weights)
    out: list[GeneratedStation] = []
    for did, n in counts.items():
        d = districts[did]
        pool = COMPOUNDS.get(did) or (d.name,)
        per_compound: dict[str, int] = {}
        prefix = ID_PREFIX.get(did, did[:2])
        for k in range(n):
            # Uniform over the district's disc.
            ang = rng.uniform(0, 2 * math.pi)
            r = d.radius_km * math.sqrt(rng.random())
            pos = (
                round(d.center[0] + r * math.cos(ang), 2),
                round(d.center[1] + r * math.sin(ang), 2),
            )
            # Rooms around the mean, clipped to what the template serves; never fewer than 10
            # unless the caller asked for (almost) none.
            spread = max(1.0, rooms * 0.15)
            nr = max(min(rooms, 10), min(MAX_ROOMS, round(rng.gauss(rooms, spread))))
            # ~400 m² of heated floor per instrumented room: 757 × 200 rooms ≈ 60 million m².
            area = int(min(200_000, max(20_000, nr * rng.uniform(320, 480))) // 100 * 100)
            compound = pool[k % len(pool)]
            per_compound[compound] = per_compound.get(compound, 0) + 1
            num = per_compound[compound]
            out.append(
                GeneratedStation(
                    id=f"{prefix}-{k + 1:03d}",
                    name=f"{d.name}·{compound}{_cn_number(num)}号站",
                    district=did,
                    trunk=nearest_trunk(pos, city.trunks),
                    host=loopback_host(len(out)),
                    rooms=nr,
                    area_m2=area,
                    position=pos,
                )
            )
    return out


def _cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (station numbers within a compound stay small)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


def _q(s: str) -> str:
    # JSON strings are valid YAML double-quoted scalars; keeps Chinese readable.
    return json.dumps(s, ensure_ascii=False)


def _pt(p: Sequence[float]) -> str:
    return f"[{p[0]:g}, {p[1]:g}]"


def plant_ratings(city: NetworkDef, stations: list[GeneratedStation]) -> dict[str, float]:
    """Each heat source's rating in MW: the city's, raised to the design-day load of the
    stations it feeds (outdoor −10 °C) plus PLANT_RESERVE when that is more. A city is built
    with the plants it needs; the demo's ratings alone would leave the full-size city short in
    normal weather. A cold wave well below the design day still finds the plants' limit."""
    from drivers.simulator.physics.design import Q_DESIGN  # W/m² at the design point

    source_of = {t.id: t.source for t in city.trunks}
    load = dict.fromkeys((s.id for s in city.sources), 0.0)
    for st in stations:
        src = source_of.get(st.trunk)
        if src in load:
            load[src] += st.area_m2 * Q_DESIGN * (1.0 + PLANT_RESERVE) / 1e6
    return {
        s.id: max(s.capacity_mw, PLANT_STEP_MW * math.ceil(load[s.id] / PLANT_STEP_MW))
        for s in city.sources
    }


def render_network(
    city: NetworkDef, stations: list[GeneratedStation], *, rooms: int, seed: int
) -> str:
    lines = [
        f"# Generated by `heatconsole generate-network --stations {len(stations)} --rooms {rooms}"
        f" --seed {seed}`.",
        "# The city (sources, trunk lines, districts) is the demo's; stations are generated.",
        f"name: {_q(f'{city.name} (full size, {len(stations)} stations)')}",
        f"templates: [{TEMPLATE_REF}]",
        "scan_groups:",
    ]
    for gid, g in city.scan_groups.items():
        lines.append(
            f"  {gid}: {{period_s: {g.period_s:g}, timeout_s: {g.timeout_s:g}, "
            f"stale_after_scans: {g.stale_after_scans}}}"
        )
    lines.append("sources:  # capacity: design-day load of the stations each one feeds + 15 %")
    ratings = plant_ratings(city, stations)
    for s in city.sources:
        lines.append(
            f"  - {{id: {s.id}, name: {_q(s.name)}, position: {_pt(s.position)}, "
            f"capacity_mw: {ratings[s.id]:g}}}"
        )
    lines.append("trunks:")
    for t in city.trunks:
        route = ", ".join(_pt(p) for p in t.route)
        lines.append(
            f"  - {{id: {t.id}, name: {_q(t.name)}, source: {t.source}, "
            f"velocity_m_s: {t.velocity_m_s:g}, route: [{route}]}}"
        )
    lines.append("districts:")
    for d in city.districts:
        lines.append(
            f"  - {{id: {d.id}, name: {_q(d.name)}, center: {_pt(d.center)}, "
            f"radius_km: {d.radius_km:g}" + (", booster: true}" if d.booster else "}")
        )
    lines.append("stations:")
    for st in stations:
        lines.append(
            f"  - {{id: {st.id}, name: {_q(st.name)}, district: {st.district}, "
            f"trunk: {st.trunk}, template: {TEMPLATE_ID}, host: {st.host}, port: {PORT}, "
            f"rooms: {st.rooms}, area_m2: {st.area_m2}, position: {_pt(st.position)}}}"
        )
    return "\n".join(lines) + "\n"


def generate_network(
    stations: int = 757, rooms: int = 200, seed: int = 1, city_file: Path = DEMO_CONFIG
) -> str:
    """The YAML text of a generated network (deterministic for the same arguments)."""
    city = load_network(city_file)
    return render_network(
        city, generate_stations(city, stations, rooms, seed), rooms=rooms, seed=seed
    )
