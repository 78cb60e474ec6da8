"""Register words <-> engineering values, vectorised over a station's whole point table.

Conventions (register-map.md): bytes inside a word big-endian; 32-bit values in two words whose
order is ABCD (high first) or CDAB (low first), or read from the device (DYNAMIC); integers are
scaled by the point's `scale`; a raw value equal to the point's sentinel means "sensor fault".
"""

from __future__ import annotations

import math

import numpy as np

from drivers.points import NO_SENTINEL, PointTable, build_point_table
from station_config.schema import TYPE_RAW_RANGE, PointDef, TemplateDef, WordOrder


class EncodeError(ValueError):
    """An engineering value that cannot be put into the point's register(s)."""


def image_size(table: PointTable) -> int:
    """Length of a register image that holds every point of the table."""
    if len(table) == 0:
        return 0
    return int((table.address + table.words).max())


def _order_is_cdab(table: PointTable, dynamic_order: int) -> np.ndarray:
    return (table.order == 1) | ((table.order == 2) & (dynamic_order == 1))


def decode_image(
    table: PointTable, image: np.ndarray, dynamic_order: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Decode every point from a register image (uint16 array indexed by address).

    Returns (values float64, sensor_fault bool). Sentinel points get NaN and sensor_fault True.
    `dynamic_order` is the device's word-order register (0 ABCD, 1 CDAB) for DYNAMIC points.
    """
    img = np.asarray(image, dtype=np.uint16)
    a = table.address
    two = table.words == 2
    w0 = img[a].astype(np.int64)
    # Second word: only meaningful for 2-word points; clip keeps the gather in bounds.
    w1 = img[np.minimum(a + 1, len(img) - 1)].astype(np.int64)
    cdab = _order_is_cdab(table, dynamic_order)
    hi = np.where(cdab, w1, w0)
    lo = np.where(cdab, w0, w1)
    u32 = (hi << 16) | lo
    tc = table.type_code
    raw = np.where(two, u32, w0)
    raw = np.where(tc == 1, np.where(raw >= 0x8000, raw - 0x10000, raw), raw)  # i16
    raw = np.where(tc == 3, np.where(raw >= 0x8000_0000, raw - 0x1_0000_0000, raw), raw)  # i32
    fault = (table.sentinel != NO_SENTINEL) & (raw == table.sentinel)
    values = raw.astype(np.float64) * table.scale
    is_f32 = tc == 4
    if is_f32.any():
        f = u32[is_f32].astype(np.uint32).view(np.float32).astype(np.float64)
        values[is_f32] = f
    values[fault] = np.nan
    return values, fault


def encode_image(
    table: PointTable, values: np.ndarray, dynamic_order: int = 0, size: int | None = None
) -> np.ndarray:
    """The register image a device holding `values` would serve (the simulator's side).

    NaN becomes the point's sentinel (or 0 without one); integers are rounded and clipped to
    their type's range.
    """
    n = image_size(table) if size is None else size
    img = np.zeros(n, dtype=np.uint16)
    v = np.asarray(values, dtype=np.float64)
    nan = np.isnan(v)
    tc = table.type_code
    is_f32 = tc == 4
    raw = np.zeros(len(v), dtype=np.int64)
    ints = ~is_f32
    with np.errstate(invalid="ignore"):
        r = np.rint(np.where(nan, 0.0, v) / table.scale)
    lo = np.select([tc == 0, tc == 1, tc == 2, tc == 3], [0, -0x8000, 0, -0x8000_0000], 0)
    hi = np.select(
        [tc == 0, tc == 1, tc == 2, tc == 3], [0xFFFF, 0x7FFF, 0xFFFF_FFFF, 0x7FFF_FFFF], 0
    )
    raw[ints] = np.clip(r[ints], lo[ints], hi[ints]).astype(np.int64)
    has_sent = table.sentinel != NO_SENTINEL
    raw[nan & has_sent & ints] = table.sentinel[nan & has_sent & ints]
    if is_f32.any():
        f = v[is_f32].astype(np.float32).view(np.uint32).astype(np.int64)
        raw[is_f32] = f
    raw &= 0xFFFF_FFFF  # two's complement for negative integers
    a = table.address
    one = table.words == 1
    img[a[one]] = (raw[one] & 0xFFFF).astype(np.uint16)
    two = ~one
    cdab = _order_is_cdab(table, dynamic_order)[two]
    hi_w = (raw[two] >> 16) & 0xFFFF
    lo_w = raw[two] & 0xFFFF
    img[a[two]] = np.where(cdab, lo_w, hi_w).astype(np.uint16)
    img[a[two] + 1] = np.where(cdab, hi_w, lo_w).astype(np.uint16)
    return img


def encode_point(point: PointDef, value: float, dynamic_order: int = 0) -> list[int]:
    """Words for one engineering value, checked against the point's type (not its write range)."""
    if not math.isfinite(value):
        raise EncodeError(f"{point.name}: {value} is not a finite number")
    if point.type == "f32":
        u = int(np.array([value], dtype=np.float32).view(np.uint32)[0])
    else:
        raw = round(value / point.scale)
        lo, hi = TYPE_RAW_RANGE[point.type]
        if not lo <= raw <= hi:
            raise EncodeError(
                f"{point.name}: {value} {point.unit} is outside what a {point.type} "
                f"at scale {point.scale} can carry"
            )
        u = raw & (0xFFFF if point.words == 1 else 0xFFFF_FFFF)
    if point.words == 1:
        return [u]
    cdab = point.word_order == WordOrder.CDAB or (
        point.word_order == WordOrder.DYNAMIC and dynamic_order == 1
    )
    hi_w, lo_w = (u >> 16) & 0xFFFF, u & 0xFFFF
    return [lo_w, hi_w] if cdab else [hi_w, lo_w]


def decode_point(point: PointDef, words: list[int], dynamic_order: int = 0) -> float:
    """One point's engineering value from its words (NaN for the sentinel)."""
    single = point.model_copy(update={"address": 0, "count_from": None, "max_count": None})
    table = build_point_table(TemplateDef(template="one", points=[single]))
    values, _ = decode_image(table, np.array(words, dtype=np.uint16), dynamic_order)
    return float(values[0])
