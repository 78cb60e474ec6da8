"""Benchmark: what a login costs the broker with heatconsole's password hashes (issue 10).

The real Mosquitto (tests/support/mosquitto.py) on loopback; a paho MQTT v5 client connects,
waits for CONNACK and disconnects, N times in a row, for:
- baseline: a user whose `$7$` hash has 101 PBKDF2 rounds (what `mosquitto_passwd` writes);
- heatconsole: the same with PBKDF2_ITERATIONS (console/core/auth/mosquitto.py).
The difference is the broker's (single-threaded) time per login: what a whole control room
reconnecting after an outage costs it. Also printed: one argon2id verify (UserStore.verify).

    .venv/bin/python bench/bench_broker_login.py            # 200 logins each
    .venv/bin/python bench/bench_broker_login.py --tiny     # smoke test
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import paho.mqtt.client as mqtt

from console.control_room.broker_process import Mosquitto
from console.control_room.certificates import Pki
from console.core.auth.mosquitto import PBKDF2_ITERATIONS, mosquitto_hash, write_broker_files
from console.core.auth.roles import Role
from console.core.auth.users import User, UserStore

PW = "bench password"


def login_ms(broker: Mosquitto, name: str, n: int) -> float:
    """Median wall time of connect → CONNACK → disconnect, in ms."""
    times = []
    for i in range(n):
        done = threading.Event()
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"b{i}", protocol=mqtt.MQTTv5)
        c.username_pw_set(name, PW)
        c.on_connect = lambda *a, done=done: done.set()
        t0 = time.perf_counter()
        c.connect(broker.host, broker.port)
        while not done.is_set():
            c.loop(0.01)
        times.append(time.perf_counter() - t0)
        c.disconnect()
    return statistics.median(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--logins", type=int, default=200)
    ap.add_argument("--tiny", action="store_true", help="a few logins (smoke test)")
    args = ap.parse_args()
    n = 5 if args.tiny else args.logins
    with tempfile.TemporaryDirectory() as tmp:
        broker = Mosquitto(Path(tmp) / "broker", Pki.create(Path(tmp) / "pki"))
        # The baseline user written with mosquitto_passwd's round count, the other as ours.
        base = User("base", Role.VIEWER, "", mosquitto_hash(PW, iterations=101), "")
        ours = User("ours", Role.VIEWER, "", mosquitto_hash(PW), "")
        write_broker_files([base, ours], broker.dir)  # the files the broker's config names
        broker.start()
        try:
            login_ms(broker, "base", 3)  # warm-up
            b = login_ms(broker, "base", n)
            o = login_ms(broker, "ours", n)
        finally:
            broker.stop()
        store = UserStore(Path(tmp) / "users.json")
        store.add("u", PW, "viewer")
        t0 = time.perf_counter()
        for _ in range(3 if args.tiny else 20):
            store.verify("u", PW)
        argon = (time.perf_counter() - t0) / (3 if args.tiny else 20) * 1000
    print(f"login, 101 rounds (mosquitto_passwd): {b:.2f} ms median of {n}")
    print(f"login, {PBKDF2_ITERATIONS} rounds (heatconsole): {o:.2f} ms median of {n}")
    print(f"ratio {o / b:.2f}x, extra broker time per login {o - b:.2f} ms")
    print(f"argon2id verify: {argon:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
