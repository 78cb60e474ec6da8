"""bench/bench_broker_login.py runs against the real broker and prints its four lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.control_room.broker_process import MOSQUITTO


def test_bench_broker_login_tiny(run_tiny):
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed (Debian package: mosquitto)")
    m = run_tiny(
        "bench_broker_login.py",
        [
            r"login, 101 rounds \(mosquitto_passwd\): (\d+\.\d+) ms median of 5$",
            r"login, \d+ rounds \(heatconsole\): (\d+\.\d+) ms median of 5$",
            r"ratio \d+\.\d+x, extra broker time per login -?\d+\.\d+ ms$",
            r"argon2id verify: \d+\.\d ms$",
        ],
    )
    assert float(m[0][1]) > 0 and float(m[1][1]) > 0
