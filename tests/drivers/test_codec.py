"""Codec: words <-> engineering values for every type, scale, word order and sentinel."""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.codec import EncodeError, decode_image, decode_point, encode_image, encode_point
from drivers.points import build_point_table
from station_config.schema import PointDef, TemplateDef, WordOrder

SCALES = [1.0, 0.1, 0.01]
INT_RANGES = {"u16": (0, 0xFFFF), "i16": (-0x8000, 0x7FFF), "u32": (0, 2**32 - 1),
              "i32": (-(2**31), 2**31 - 1)}  # fmt: skip


def table_of(*points: PointDef):
    return build_point_table(TemplateDef(template="t", word_order_point=None, points=list(points)))


@st.composite
def int_point_and_raw(draw):
    typ = draw(st.sampled_from(list(INT_RANGES)))
    scale = draw(st.sampled_from(SCALES))
    order = (
        draw(st.sampled_from([WordOrder.ABCD, WordOrder.CDAB]))
        if typ.endswith("32")
        else (WordOrder.ABCD)
    )
    lo, hi = INT_RANGES[typ]
    raw = draw(st.integers(lo, hi))
    return PointDef(name="p", address=draw(st.integers(0, 100)), type=typ, scale=scale,
                    word_order=order), raw  # fmt: skip


@given(int_point_and_raw())
def test_integer_round_trip_through_image(pr):
    p, raw = pr
    t = table_of(p)
    value = raw * p.scale
    img = encode_image(t, np.array([value]))
    values, fault = decode_image(t, img)
    assert not fault[0]
    assert round(values[0] / p.scale) == raw
    assert encode_point(p, value) == [int(w) for w in img[p.address : p.address + p.words]]
    assert round(decode_point(p, encode_point(p, value)) / p.scale) == raw


@given(
    st.floats(width=32, allow_nan=False, allow_infinity=False),
    st.sampled_from([WordOrder.ABCD, WordOrder.CDAB, WordOrder.DYNAMIC]),
    st.integers(0, 1),
)
def test_f32_round_trip_every_word_order(x, order, dynamic):
    p = PointDef(name="f", address=10, type="f32", word_order=order)
    t = table_of(p)
    img = encode_image(t, np.array([x]), dynamic_order=dynamic)
    values, _ = decode_image(t, img, dynamic_order=dynamic)
    assert values[0] == x
    assert decode_point(p, encode_point(p, x, dynamic), dynamic) == x


def test_word_orders_match_register_map():
    """register-map.md: ABCD = high word first, CDAB = low word first; bytes big-endian."""
    hi, lo = struct.unpack(">HH", struct.pack(">f", 1.5))
    abcd = PointDef(name="a", address=0, type="f32", word_order=WordOrder.ABCD)
    cdab = PointDef(name="c", address=0, type="f32", word_order=WordOrder.CDAB)
    assert encode_point(abcd, 1.5) == [hi, lo]
    assert encode_point(cdab, 1.5) == [lo, hi]
    dyn = PointDef(name="d", address=0, type="f32", word_order=WordOrder.DYNAMIC)
    assert encode_point(dyn, 1.5, dynamic_order=0) == [hi, lo]
    assert encode_point(dyn, 1.5, dynamic_order=1) == [lo, hi]
    u32 = PointDef(name="u", address=0, type="u32")
    assert encode_point(u32, 0x12345678) == [0x1234, 0x5678]


def test_negative_temperature_is_twos_complement():
    p = PointDef(name="t", address=0, type="i16", scale=0.1)
    assert encode_point(p, -12.3) == [0x10000 - 123]
    assert decode_point(p, [0x10000 - 123]) == pytest.approx(-12.3)


def test_sentinel_is_sensor_fault_never_a_temperature():
    p = PointDef(name="t", address=0, type="i16", scale=0.1, sentinel=32767)
    t = table_of(p)
    values, fault = decode_image(t, np.array([32767], dtype=np.uint16))
    assert fault[0] and math.isnan(values[0])
    # NaN encodes as the sentinel, so the simulator can fail a sensor.
    assert int(encode_image(t, np.array([np.nan]))[0]) == 32767
    # 3276.6 °C is a value, not a fault.
    values, fault = decode_image(t, np.array([32766], dtype=np.uint16))
    assert not fault[0] and values[0] == pytest.approx(3276.6)


def test_encode_point_rejects_what_the_type_cannot_carry():
    p = PointDef(name="sp", address=0, type="u16", scale=0.1)
    with pytest.raises(EncodeError, match="outside"):
        encode_point(p, -1.0)
    with pytest.raises(EncodeError, match="outside"):
        encode_point(p, 7000.0)
    with pytest.raises(EncodeError, match="finite"):
        encode_point(p, float("nan"))


def test_whole_template_round_trip(substation_template):
    from station_config.schema import StationDef

    s = StationDef(id="s", name="n", district="d", template="substation-v1", trunk="t",
                   host="127.0.0.1", rooms=200, position=(0, 0))  # fmt: skip
    t = build_point_table(substation_template, s)
    rng = np.random.default_rng(1)
    values = np.round(rng.uniform(0, 60, len(t)) / t.scale) * t.scale
    values[t.type_code == 4] = rng.uniform(-50, 5000, int((t.type_code == 4).sum())).astype(
        np.float32
    )
    for order in (0, 1):
        back, fault = decode_image(t, encode_image(t, values, order), order)
        assert not fault.any()
        np.testing.assert_allclose(back, values, rtol=1e-6, atol=1e-9)


def test_image_encoder_lays_tables_end_to_end_each_with_its_own_word_order(substation_template):
    """The simulator's one-pass city encode: table k's slice is exactly encode_image of table k,
    with table k's dynamic word order; NaN, out-of-range and ±inf values included."""
    from drivers.codec import ImageEncoder, image_size
    from station_config.schema import StationDef

    def station(k: int, rooms: int) -> StationDef:
        return StationDef(id=f"s{k}", name="n", district="d", template="substation-v1", trunk="t",
                          host="127.0.0.1", rooms=rooms, position=(0, 0))  # fmt: skip

    rooms = (0, 3, 240, 17)
    tables = [build_point_table(substation_template, station(k, n)) for k, n in enumerate(rooms)]
    rng = np.random.default_rng(2)
    values = [rng.normal(0, 1e5, len(t)) for t in tables]
    for k, v in enumerate(values):
        v[rng.random(len(v)) < 0.1] = np.nan
        v[k] = np.inf if k % 2 else -np.inf
    orders = np.array([1, 0, 1, 0])
    enc = ImageEncoder(tables)
    out = np.full(enc.size, 0xBEEF, dtype=">u2")  # big-endian, as the simulator serves it
    enc.encode(np.concatenate(values), orders, out=out)
    assert enc.size == sum(image_size(t) for t in tables)
    for k, t in enumerate(tables):
        want = encode_image(t, values[k], int(orders[k]))
        got = out[enc.offsets[k] : enc.offsets[k] + enc.sizes[k]]
        served = np.zeros(len(want), dtype=bool)
        served[t.served_addresses()] = True
        np.testing.assert_array_equal(got[served], want[served])
        assert (got[~served] == 0xBEEF).all()  # holes are left as they were
    with pytest.raises(ValueError, match="values for"):
        enc.encode(np.zeros(3))


def _reference(p: PointDef, words: list[int], dynamic_order: int) -> tuple[float, bool]:
    """One point decoded the slow way, straight from register-map.md (struct, per point)."""
    if p.words == 2:
        cdab = p.word_order == WordOrder.CDAB or (
            p.word_order == WordOrder.DYNAMIC and dynamic_order == 1
        )
        hi, lo = (words[1], words[0]) if cdab else (words[0], words[1])
        data = struct.pack(">HH", hi, lo)
    else:
        data = struct.pack(">H", words[0])
    fmt = {"u16": ">H", "i16": ">h", "u32": ">I", "i32": ">i", "f32": ">f"}[p.type]
    raw = struct.unpack(fmt, data)[0]
    if p.type == "f32":
        fault = p.sentinel is not None and struct.unpack(">I", data)[0] == p.sentinel
        return (math.nan if fault else raw), fault
    fault = p.sentinel is not None and raw == p.sentinel
    return (math.nan if fault else raw * p.scale), fault


@pytest.mark.parametrize("dynamic_order", [0, 1, 7])
def test_decode_of_a_mixed_table_matches_the_per_point_reference(dynamic_order):
    """The precomputed per-table plan (codec.DecodePlan) against struct, point by point: every
    type, word order and scale side by side, sentinels hit and missed, both word orders of the
    device (anything but 1 is ABCD)."""
    points, addr = [], 0
    for typ in ("u16", "i16", "u32", "i32", "f32"):
        orders = [WordOrder.ABCD] if typ.endswith("16") else list(WordOrder)
        for order in orders:
            for k, scale in enumerate(SCALES if typ != "f32" else [1.0]):
                words = 1 if typ.endswith("16") else 2
                sentinel = {"u16": 0xFFFF, "i16": -0x8000, "i32": -(2**31)}.get(typ)
                p = PointDef(name=f"p{addr}", address=addr, type=typ, scale=scale,
                             word_order=order, sentinel=sentinel if k == 0 else None)  # fmt: skip
                points.append(p)
                addr += words
    t = table_of(*points)
    rng = np.random.default_rng(dynamic_order)
    for trial in range(200):
        img = rng.integers(0, 0x1_0000, addr, dtype=np.uint16)
        if trial % 4 == 0:  # sentinels on the wire
            for p in points:
                if p.sentinel is not None:
                    u = p.sentinel & (0xFFFF if p.words == 1 else 0xFFFF_FFFF)
                    img[p.address : p.address + p.words] = (
                        [u] if p.words == 1 else [u >> 16, u & 0xFFFF]
                    )
        with np.errstate(invalid="ignore"):  # random f32 words: NaN payloads
            values, fault = decode_image(t, img, dynamic_order)
        for i, p in enumerate(points):
            want, want_fault = _reference(p, list(img[p.address : p.address + p.words]),
                                          dynamic_order)  # fmt: skip
            assert bool(fault[i]) == want_fault, p
            if math.isnan(want):
                assert math.isnan(values[i]), p
            else:
                assert values[i] == pytest.approx(want, rel=1e-12, abs=0), p
