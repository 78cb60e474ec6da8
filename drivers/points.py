"""A station's concrete points: its template expanded (rooms repeated) into flat numpy arrays.

Every later stage (planner, codec, poller, simulator, alarm engine) indexes points by their
position in this table, so one scan of a station is just two arrays: values and qualities.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from station_config.schema import NetworkDef, PointDef, StationDef, TemplateDef, WordOrder

TYPE_CODES = {"u16": 0, "i16": 1, "u32": 2, "i32": 3, "f32": 4}
ORDER_CODES = {WordOrder.ABCD: 0, WordOrder.CDAB: 1, WordOrder.DYNAMIC: 2}
NO_SENTINEL = np.iinfo(np.int64).min


@dataclass(frozen=True, eq=False)
class PointTable:
    """Flat, index-aligned description of every concrete point of one station."""

    names: tuple[str, ...]
    defs: tuple[PointDef, ...]  # the template point each concrete point comes from
    address: np.ndarray  # int32, first register
    words: np.ndarray  # int8, 1 or 2
    type_code: np.ndarray  # int8, TYPE_CODES
    scale: np.ndarray  # float64
    sentinel: np.ndarray  # int64, NO_SENTINEL where none
    order: np.ndarray  # int8, ORDER_CODES
    block: tuple[str, ...]  # read-group name per point
    word_order_index: int | None  # index of the point giving DYNAMIC word order
    index: dict[str, int] = field(repr=False)
    # indices() per prefix: the GUI snapshot asks for every station's rooms twice a second.
    _indices: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    # codec.DecodePlan per word order (0, 1), built on first decode.
    _decode_plans: dict[int, object] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.names)

    def served_addresses(self) -> np.ndarray:
        """Every register address a device with this table answers (sorted, unique)."""
        parts = [np.arange(a, a + w) for a, w in zip(self.address, self.words, strict=True)]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def indices(self, prefix: str) -> np.ndarray:
        """Indices of a repeated point's copies, e.g. "room_temp" -> all room_temp[i]."""
        out = self._indices.get(prefix)
        if out is None:
            pre = prefix + "["
            out = np.array([i for i, n in enumerate(self.names) if n.startswith(pre)], np.int64)
            out.setflags(write=False)  # shared between callers
            self._indices[prefix] = out
        return out


def build_point_table(template: TemplateDef, station: StationDef | None = None) -> PointTable:
    """Expand a template for one station (room count from the station; none without one)."""
    names: list[str] = []
    defs: list[PointDef] = []
    for p in template.points:
        if p.count_from is None:
            names.append(p.name)
            defs.append(p)
            continue
        n = getattr(station, p.count_from, 0) if station is not None else 0
        n = min(int(n), p.max_count or 0)
        for i in range(n):
            names.append(f"{p.name}[{i}]")
            defs.append(p)
    addr = []
    for name, p in zip(names, defs, strict=True):
        k = int(name[name.index("[") + 1 : -1]) if p.count_from else 0
        addr.append(p.address + k * p.words)
    wo_idx = names.index(template.word_order_point) if template.word_order_point in names else None
    return PointTable(
        names=tuple(names),
        defs=tuple(defs),
        address=np.array(addr, dtype=np.int32),
        words=np.array([p.words for p in defs], dtype=np.int8),
        type_code=np.array([TYPE_CODES[p.type] for p in defs], dtype=np.int8),
        scale=np.array([p.scale for p in defs], dtype=np.float64),
        sentinel=np.array(
            [NO_SENTINEL if p.sentinel is None else p.sentinel for p in defs], dtype=np.int64
        ),
        order=np.array([ORDER_CODES[p.word_order] for p in defs], dtype=np.int8),
        block=tuple(p.block or "main" for p in defs),
        word_order_index=wo_idx,
        index={n: i for i, n in enumerate(names)},
    )


def build_point_tables(net: NetworkDef) -> dict[str, PointTable]:
    """Every station's table; stations of the same template and room count share one (a table
    is immutable and depends on nothing else): the full city builds a few dozen, not 757."""
    shapes: dict[tuple[str, int], PointTable] = {}
    out: dict[str, PointTable] = {}
    for s in net.stations:
        key = (s.template, s.rooms)
        table = shapes.get(key)
        if table is None:
            table = shapes[key] = build_point_table(net.templates[s.template], s)
        out[s.id] = table
    return out
