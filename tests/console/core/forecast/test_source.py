"""The console's forecast reader against real files (some written by the simulator's own
publisher) and a real HTTP server on loopback: valid, stale, missing and invalid forecasts, each
problem with file and line."""

from __future__ import annotations

import http.server
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from console.core.forecast.source import (
    ForecastError,
    ForecastSource,
    State,
    parse_csv,
    parse_json,
    read_file,
)
from drivers.simulator.forecast import ForecastPublisher, render_csv, render_json
from drivers.simulator.physics import NetworkPhysics
from station_config.loader import load_network

ROOT = Path(__file__).resolve().parents[4]
SMALL = ROOT / "tests/fixtures/small_network.yaml"
ISSUED = 1_736_920_800.0  # 2025-01-15 06:00 UTC
H = 3600.0


@pytest.fixture(scope="module")
def issue(tmp_path_factory):
    ph = NetworkPhysics(load_network(SMALL), start=ISSUED + 600)
    return ForecastPublisher(tmp_path_factory.mktemp("fc"), ph, seed=4).issue(ISSUED)


def _csv(rows: list[str], issued: str = "2025-01-15T06:00:00Z") -> str:
    head = ["# format: heatconsole-forecast/1", f"# issued_at: {issued}", "time,outdoor_c"]
    return "\n".join(head + rows) + "\n"


def _hours(n: int, start_h: int = 7, value: str = "-3.0") -> list[str]:
    return [f"2025-01-{15 + (start_h + k) // 24:02d}T{(start_h + k) % 24:02d}:00:00Z,{value}"
            for k in range(n)]  # fmt: skip


def test_reads_the_simulators_files_in_both_forms(issue, tmp_path):
    for name, text in (("a.json", render_json(issue, "sim")), ("b.csv", render_csv(issue, "sim"))):
        fc = read_file(tmp_path / name) if (tmp_path / name).write_text(text) else None
        assert fc is not None and fc.issued_at == ISSUED and fc.source == "sim"
        np.testing.assert_array_equal(fc.times, issue.times)
        np.testing.assert_allclose(fc.outdoor_c, issue.outdoor_c)
        mid = 0.5 * (issue.times[3] + issue.times[4])
        assert fc.at(mid) == pytest.approx(0.5 * (issue.outdoor_c[3] + issue.outdoor_c[4]))
        assert np.isnan(fc.at(issue.times[-1] + H))


def test_newest_file_of_the_folder_is_used_fresh(issue, tmp_path):
    (tmp_path / "old.csv").write_text(_csv(_hours(80), "2025-01-14T06:00:00Z"), encoding="utf-8")
    os.utime(tmp_path / "old.csv", (1, 1))
    (tmp_path / "new.json").write_text(render_json(issue, "sim"), encoding="utf-8")
    (tmp_path / ".new.json.tmp").write_text("{half a fi", encoding="utf-8")  # being written
    (tmp_path / "notes.txt").write_text("not a forecast", encoding="utf-8")
    st = ForecastSource(tmp_path).load(now=ISSUED + 2 * H)
    assert st.state is State.OK and st.usable
    assert st.forecast is not None and st.forecast.origin.endswith("new.json")
    assert "2.0 h old" in st.message and "94 h ahead" in st.message


def test_stale_and_run_out_forecasts_are_reported_not_usable(issue, tmp_path):
    (tmp_path / "f.json").write_text(render_json(issue, "sim"), encoding="utf-8")
    src = ForecastSource(tmp_path, stale_after_h=12)
    st = src.load(now=ISSUED + 13 * H)
    assert st.state is State.STALE and not st.usable and st.forecast is not None
    assert "13.0 h old (stale after 12 h)" in st.message
    st = src.load(now=ISSUED + 200 * H)
    assert st.state is State.STALE and "run out" in st.message


def test_a_folder_that_is_not_one_is_reported(tmp_path):
    f = tmp_path / "forecasts"
    f.write_text("a file, not a folder", encoding="utf-8")
    st = ForecastSource(f).load(now=ISSUED)
    assert st.state is State.INVALID and st.message.startswith(f"{f}: cannot list")


def test_missing(tmp_path):
    for src in (ForecastSource(tmp_path), ForecastSource(tmp_path / "nowhere"), ForecastSource()):
        st = src.load(now=ISSUED)
        assert st.state is State.MISSING and not st.usable and st.forecast is None
        assert st.message.startswith("no forecast")


GOOD = _hours(80)
BAD_CSV = [
    (_csv(GOOD).replace("heatconsole-forecast/1", "v2"), 1, "format must be"),
    (_csv(GOOD).replace("time,outdoor_c", "when,temp"), 3, "header must be `time,outdoor_c`"),
    (_csv([*GOOD[:4], "2025-01-15T11:00:00Z,cold", *GOOD[5:]]), 8, "'cold' is not a number"),
    (_csv([*GOOD[:4], "2025-01-15T11:00:00Z,-80", *GOOD[5:]]), 8, "outside -60..50"),
    (_csv([*GOOD[:4], "2025-01-15T11:00:00,-3", *GOOD[5:]]), 8, "has no time zone"),
    (_csv([*GOOD[:4], GOOD[2], *GOOD[5:]]), 8, "times must increase"),
    (_csv([*GOOD[:4], *GOOD[9:]]), 8, "a gap of 6 h"),
    (_csv(_hours(40)), 43, "reaches 40 h past issued_at; at least 72 h"),
    (_csv([*GOOD[:2], "2025-01-15T09:00:00Z,1,2"]), 6, "expected 2 columns"),
    # Points from a day after the issue: the hours before would hold the first value.
    (_csv(_hours(80, start_h=30)), 4, "the first point is 24 h after issued_at"),
]


@pytest.mark.parametrize(("text", "line", "msg"), BAD_CSV)
def test_bad_csv_says_where(tmp_path, text, line, msg):
    f = tmp_path / "f.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ForecastError) as e:
        read_file(f)
    assert (e.value.where, e.value.line) == (str(f), line)
    assert msg in e.value.message
    assert str(e.value).startswith(f"{f}:{line}: ")
    st = ForecastSource(tmp_path).load(now=ISSUED)
    assert st.state is State.INVALID and not st.usable and st.message == str(e.value)


def test_bad_json_says_where(issue):
    good = render_json(issue, "sim")
    with pytest.raises(ForecastError) as e:
        parse_json(good.replace('"points": [', '"points": [,'), "f.json")
    assert e.value.line == 6 and "not JSON" in e.value.message
    lines = good.splitlines()
    k = next(i for i, ln in enumerate(lines) if '"outdoor_c"' in ln) + 10  # the 11th point
    assert '"time"' in lines[k]
    lines[k] = lines[k].replace("Z", "", 1)
    with pytest.raises(ForecastError) as e:
        parse_json("\n".join(lines), "f.json")
    assert e.value.line == k + 1 and "no time zone" in e.value.message
    with pytest.raises(ForecastError) as e:
        parse_json(good.replace('"outdoor_c"', '"temp"'), "f.json")
    assert e.value.line == 7 and "{time, outdoor_c}" in e.value.message
    with pytest.raises(ForecastError) as e:
        parse_json('{"format": "heatconsole-forecast/1", "points": []}', "f.json")
    assert "missing issued_at" in e.value.message
    with pytest.raises(ForecastError):
        parse_csv("just,some\ntext,here\n", "f.csv")


# --- HTTP on loopback ---------------------------------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {}

    def do_GET(self) -> None:
        code, ctype, body = self.routes.get(self.path, (404, "text/plain", b"no such forecast"))
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[str, dict]]:
    routes: dict[str, tuple[int, str, bytes]] = {}
    handler = type("H", (_Handler,), {"routes": routes})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}", routes
    finally:
        srv.shutdown()
        srv.server_close()


def test_http_json_and_csv(issue, http_server):
    base, routes = http_server
    routes["/fc.json"] = (200, "application/json", render_json(issue, "bureau").encode())
    routes["/fc"] = (200, "text/csv; charset=utf-8", render_csv(issue, "bureau").encode())
    for path in ("/fc.json", "/fc"):
        st = ForecastSource(url=base + path).load(now=ISSUED + H)
        assert st.state is State.OK and st.forecast is not None
        np.testing.assert_allclose(st.forecast.outdoor_c, issue.outdoor_c)
        assert st.forecast.origin == base + path


def test_http_errors_are_reported(issue, http_server, tmp_path):
    base, routes = http_server
    st = ForecastSource(url=base + "/missing").load(now=ISSUED)
    assert st.state is State.INVALID and "HTTP 404" in st.message and base in st.message
    routes["/bad"] = (
        200,
        "application/json",
        b'{"format": "heatconsole-forecast/1",\n "points": 3}',
    )
    st = ForecastSource(url=base + "/bad").load(now=ISSUED)
    assert st.state is State.INVALID and st.message == f"{base}/bad:2: points must be a list"
    # The folder still serves when the URL fails; the URL's problem is kept beside it.
    (tmp_path / "f.json").write_text(render_json(issue, "sim"), encoding="utf-8")
    st = ForecastSource(tmp_path, url=base + "/missing").load(now=ISSUED + H)
    assert st.state is State.OK and st.forecast.origin.endswith("f.json")
    assert len(st.problems) == 1 and "HTTP 404" in st.problems[0]


def test_the_newer_issue_wins_between_folder_and_url(issue, http_server, tmp_path):
    base, routes = http_server
    older = _csv(_hours(90, start_h=1), "2025-01-15T00:00:00Z")
    (tmp_path / "f.csv").write_text(older, encoding="utf-8")
    routes["/fc.json"] = (200, "application/json", render_json(issue, "bureau").encode())
    st = ForecastSource(tmp_path, url=base + "/fc.json").load(now=ISSUED + H)
    assert st.forecast is not None and st.forecast.issued_at == ISSUED
    assert st.forecast.origin == base + "/fc.json"


def test_an_issue_ahead_of_the_clock_is_not_used(issue, http_server, tmp_path):
    """Local time written as UTC (8 h ahead), or a wrong date: reported, never used, and never
    preferred as "the newer issue" over a good one."""
    (tmp_path / "f.json").write_text(render_json(issue, "sim"), encoding="utf-8")
    st = ForecastSource(tmp_path).load(now=ISSUED - 8 * H)
    assert st.state is State.INVALID and not st.usable and st.forecast is None
    assert st.message == (
        f"{tmp_path / 'f.json'}: issued_at 2025-01-15 06:00 UTC is 8.0 h ahead of the console's "
        "clock: check the writer's clock, date and time zone"
    )
    assert ForecastSource(tmp_path).load(now=ISSUED - 1 * H).usable  # a writer's clock a bit fast
    base, routes = http_server
    routes["/fc.csv"] = (200, "text/csv", _csv(_hours(90, start_h=1), "2025-01-14T23:00:00Z")
                         .encode())  # fmt: skip
    st = ForecastSource(tmp_path, url=base + "/fc.csv").load(now=ISSUED - 6 * H)
    assert st.state is State.OK and st.forecast.origin == base + "/fc.csv"
    assert len(st.problems) == 1 and "h ahead of the console's clock" in st.problems[0]


def test_http_timeout_is_reported():
    # A loopback listener that accepts and never answers.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        url = f"http://127.0.0.1:{s.getsockname()[1]}/fc.json"
        st = ForecastSource(url=url, timeout_s=0.3).load(now=ISSUED)
    assert st.state is State.INVALID
    assert "no answer within 0.3 s" in st.message or "timed out" in st.message


def test_reading_while_the_simulator_publishes_and_prunes(tmp_path):
    """The publisher writes (temp file + rename) and prunes while the console reads: the
    reader never sees half a file or a vanished one."""
    ph = NetworkPhysics(load_network(SMALL), start=ISSUED)
    pub = ForecastPublisher(tmp_path, ph, keep=1)
    pub.publish_due()
    done = threading.Event()

    def publish() -> None:
        for _ in range(40):
            ph.now += 6 * H  # the clock alone: only the issue time matters here
            pub.publish_due()
        done.set()

    t = threading.Thread(target=publish)
    t.start()
    src, states = ForecastSource(tmp_path), set()
    after_all = ISSUED + 41 * 6 * H  # later than every issue (an issue ahead of it is refused)
    while not done.is_set():
        states.add(src.load(now=after_all).state)
    t.join()
    assert states <= {State.OK, State.STALE}, states
    assert len(list(tmp_path.glob("*.json"))) == 1
