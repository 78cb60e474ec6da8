"""The doorways' readings for foresight: a thin console reads the history, the plan's hours and
the servers' published forecast on the servers' plant clock, from the network description they
publish (the demo's simulator runs 60× the wall)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from console.app.doorway import RemoteDoorway
from console.core.forecast.source import Forecast, State
from console.remote.codec import decode_network, encode_network
from console.remote.outdoor_source import PublishedForecastSource
from station_config.alarm_rules import ProcessClock
from station_config.loader import load_network

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "small_network.yaml"
HOUR = 3600.0


class _Session:
    """What RemoteDoorway reads of a session here: the network the servers described."""

    def __init__(self, net) -> None:  # type: ignore[no-untyped-def]
        self.net, self.user, self.role = net, "li", "engineer"
        self.network_listeners: list = []


def _demo_network(clock: ProcessClock):  # type: ignore[no-untyped-def]
    net = load_network(SMALL)
    alarms = net.alarms.model_copy(update={"process_clock": clock})
    # As a thin console has it: through the servers' retained description.
    return decode_network(encode_network(net.model_copy(update={"alarms": alarms})))


def test_a_thin_console_plans_on_the_servers_plant_clock() -> None:
    wall = time.time()
    clock = ProcessClock(scale=60.0, origin=wall - 600.0)  # ten wall minutes: 10 plant hours
    door = RemoteDoorway(None, _Session(_demo_network(clock)))  # type: ignore[arg-type]
    h = door.station_history()
    assert h.clock == clock
    now = h.now()
    assert abs(now - clock.process_time(time.time())) < 60.0  # a wall second is a plant minute
    assert abs(h.wall(now) - time.time()) < 5.0
    # The server's forecaster issued on its own clock, this plant hour: usable at the plan's
    # now; at the wall's now it stands 9 h in the future (refused as a wrong writer's clock).
    issued = np.floor(now / HOUR) * HOUR
    times = issued + HOUR * np.arange(1, 97)
    fc = Forecast(issued, times, np.full(96, -5.0), "the servers' published forecast")
    source = PublishedForecastSource(lambda: fc)
    assert source.load(now).state == State.OK
    assert source.load(time.time()).state == State.INVALID


def test_a_real_network_is_on_the_wall_clock() -> None:
    door = RemoteDoorway(None, _Session(_demo_network(ProcessClock())))  # type: ignore[arg-type]
    h = door.station_history()
    assert abs(h.now() - time.time()) < 5.0
