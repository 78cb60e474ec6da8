"""Issue 10: paho's per-message cost when a server publishes a batch of station states.

    .venv/bin/python bench/bench_publish_batch.py [--stations 757] [--rooms 200] [--rounds 30]

A real Mosquitto (password + ACL files from a user store), one BrokerLink logged in as the
server, the states of a full city (console/remote/codec.py `encode_state` of a station with
--rooms rooms, ~2.7 kB each), published retained as a server's batch does, --rounds times each
way, interleaved so both see the same machine:

- baseline: `link.publish` per station (paho wakes its network thread for every message);
- batched: the same publishes inside `link.batch()` (one wake-up at the end).

Printed: the process's CPU per batch (every thread: ours and paho's), median and p90, until
paho's queue is empty (every packet handed to the socket), and the ratio batched / baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from console.control_room.broker_process import Mosquitto  # noqa: E402
from console.control_room.certificates import Pki  # noqa: E402
from console.remote import codec, topics  # noqa: E402
from console.remote.link import BrokerAddress, BrokerLink  # noqa: E402
from drivers.samples import StationScan  # noqa: E402

PW = "bench password 1"


def states(stations: int, rooms: int) -> list[tuple[str, bytes]]:
    n = 40 + rooms  # a station's points: ~40 plant points and its rooms
    rng = np.random.default_rng(1)
    now = time.time()
    out = []
    for i in range(stations):
        scan = StationScan(
            f"st-{i:04d}", now, rng.normal(20, 2, n), np.zeros(n, np.uint8), np.full(n, now)
        )
        out.append((topics.state(scan.station_id), codec.encode_state(scan)))
    return out


def one_batch(link: BrokerLink, msgs: list[tuple[str, bytes]], batched: bool) -> float:
    t0 = time.process_time()
    if batched:
        with link.batch():
            for topic, data in msgs:
                link.publish(topic, data, retain=True)
    else:
        for topic, data in msgs:
            link.publish(topic, data, retain=True)
    while link.client._out_packet:  # paho's queue: every packet handed to the socket
        time.sleep(0.001)
    return time.process_time() - t0


def summary(xs: list[float]) -> str:
    xs = sorted(xs)
    p90 = xs[min(len(xs) - 1, int(0.9 * len(xs)))]
    return f"median {statistics.median(xs) * 1e3:6.2f} ms  p90 {p90 * 1e3:6.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=757)
    ap.add_argument("--rooms", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    msgs = states(args.stations, args.rooms)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        broker = Mosquitto(d / "broker", Pki.create(d / "pki"))
        broker.store.add("srv", PW, "server")
        broker.write_files()
        broker.start()
        link = BrokerLink(BrokerAddress.parse(broker.url), username="srv", password=PW)
        link.start()
        try:
            runs: dict[bool, list[float]] = {False: [], True: []}
            for _ in range(2):  # warm-up: the broker stores the retained topics once
                one_batch(link, msgs, False)
            for _ in range(args.rounds):
                for batched in (False, True):
                    runs[batched].append(one_batch(link, msgs, batched))
                    time.sleep(0.05)
        finally:
            link.stop()
            broker.stop()
    size = sum(len(m) for _, m in msgs) / len(msgs)
    print(f"publish batch: {args.stations} states of {size:.0f} B, {args.rounds} rounds each")
    print(f"baseline (publish each):  CPU per batch {summary(runs[False])}")
    print(f"batched  (link.batch()):  CPU per batch {summary(runs[True])}")
    ratio = statistics.median(runs[True]) / statistics.median(runs[False])
    print(f"ratio batched/baseline:   {ratio:.2f}")


if __name__ == "__main__":
    main()
