"""The forecast message: a picture with fitted and unfitted stations, unequal horizons and an
advisory survives the round trip; a malformed one is refused with a CodecError, never a
traceback; several partitions' pictures merge into one city."""

from __future__ import annotations

import numpy as np
import pytest

from console.core.forecast.model import FitReport, RoomForecast
from console.core.forecast.source import Forecast
from console.core.forecast.view import Advisory, ForecastPicture, StationForecast
from console.remote.codec import CodecError
from console.remote.forecast_codec import decode_forecast, encode_forecast, merge_pictures


def room_forecast(hours: int, base: float) -> RoomForecast:
    t = 1.8e9 + 3600.0 * np.arange(hours)
    ys = [base + 0.1 * k + np.linspace(0, -3, hours) for k in range(7)]
    return RoomForecast(t, *ys, issued_at=1.8e9 - 600)


def picture(ids: tuple[str, ...] = ("a", "b", "c")) -> ForecastPicture:
    fit = FitReport(200, 2, 0.11, 0.42, 0.9, 0.97, True)
    stations = {
        ids[0]: StationForecast(ids[0], room_forecast(48, 20.0), fit, 1.8e9 - 60, 200,
                                1.8e9 + 60.0 * np.arange(48)),
        ids[1]: StationForecast(ids[1], room_forecast(30, 19.0), fit, 1.8e9 - 30, 100,
                                1.8e9 + 60.0 * np.arange(30)),
        ids[2]: StationForecast(ids[2], None, None, None, 12),
    }  # fmt: skip
    adv = {ids[0]: Advisory(ids[0], 1.8e9 + 7200, 2.0, 16.5, f"{ids[0]}: coldest …", None)}
    return ForecastPicture("ok", "fine", 1.8e9 - 600, 1.8e9, 18.0, stations, adv)


def test_round_trip() -> None:
    p = picture()
    outdoor = Forecast(1.8e9 - 600, 1.8e9 + 3600.0 * np.arange(96), np.linspace(-3, -25, 96),
                       "folder/x.json", "test")  # fmt: skip
    got, out = decode_forecast(encode_forecast(p, outdoor))
    assert (got.state, got.message, got.issued_at, got.now, got.threshold) == (
        "ok", "fine", p.issued_at, p.now, 18.0)  # fmt: skip
    assert got.stations.keys() == p.stations.keys()
    for sid in ("a", "b"):
        want, have = p.stations[sid], got.stations[sid]
        assert have.fit == want.fit and have.history_h == want.history_h
        np.testing.assert_array_equal(have.wall_times, want.wall_times)
        np.testing.assert_array_equal(have.forecast.times, want.forecast.times)
        for name in ("mean", "mean_lo", "coldest_hi", "outdoor"):
            np.testing.assert_allclose(getattr(have.forecast, name),
                                       getattr(want.forecast, name), atol=1e-5)  # fmt: skip
    c = got.stations["c"]
    assert c.forecast is None and c.fit is None and c.wall_times is None and c.needs_history_h
    assert got.advisories == p.advisories
    assert out is not None and out.origin == "folder/x.json" and len(out.times) == 96
    np.testing.assert_allclose(out.outdoor_c, outdoor.outdoor_c, atol=1e-5)
    assert decode_forecast(encode_forecast(p, None))[1] is None


@pytest.mark.parametrize(
    "data",
    [b"", b"[]", b'{"v": 1}', b'{"v": 2, "series": {}}', b"\xff\xfe"],
)
def test_malformed_is_refused(data: bytes) -> None:
    with pytest.raises(CodecError, match="forecast"):
        decode_forecast(data)


def test_partitions_merge() -> None:
    one, two = picture(("a", "b", "c")), picture(("x", "y", "z"))
    city = merge_pictures([one, two])
    assert city is not None and set(city.stations) == {"a", "b", "c", "x", "y", "z"}
    assert set(city.advisories) == {"a", "x"}
    assert merge_pictures([one]) is one and merge_pictures([]) is None
