"""leak_suspected through the alarm engine: raised by the water balance, journalled with its
estimated rate and start, acknowledged and shelved like every other alarm, held for the rule's
off-delay after the balance is normal again, and timed on the process clock."""

from __future__ import annotations

import numpy as np
import pytest

from console.core.alarms import AlarmEngine
from console.core.leak.view import engine_leak_view
from station_config.alarm_rules import ProcessClock
from tests.support.water_loop import H, Loop

KEY = "jx-001/makeup_flow/leak_suspected"
STEP = 30.0
T0 = 1_736_900_000.0  # the scans' epoch


def feed(engine, jx1, loop: Loop, seconds: float, t0: float = T0, scale: float = 1.0) -> list:
    """Run the loop and scan jx-001 every STEP process seconds; the journal events."""
    events = []
    for _ in range(int(seconds / STEP)):
        loop.advance(STEP)
        x = loop.inputs()
        for name, v in (
            ("makeup_volume", x.makeup_volume),
            ("makeup_flow", x.makeup_flow),
            ("p4_secondary_return", x.p_return),
            ("t3_secondary_supply", x.t_supply),
            ("t4_secondary_return", x.t_return),
        ):
            jx1.set(name, float(v[0]))
        jx1.set("p3_secondary_supply", float(x.p_return[0]) + 150.0)  # keep p3 rules quiet
        events += engine.evaluate(jx1.scan(t0 + loop.t / scale))
    return [e for e in events if e.alarm == KEY]


def test_leak_lifecycle_through_the_engine(make_engine, jx1):
    engine = make_engine(leak_suspected={"off_delay_s": 1800})
    loop = Loop(volume=42.0, normal=0.03)  # jx-001: 42,000 m² -> 42 m³
    assert feed(engine, jx1, loop, 12 * H) == []  # pump cycling, daily swing: nothing
    assert engine.state(KEY) == "NORMAL"
    loop.leak = 2.0
    onset = T0 + loop.t
    ev = feed(engine, jx1, loop, H)
    assert [e.state for e in ev] == ["UNACK"] and engine.state(KEY) == "UNACK"
    e = ev[0]
    assert e.priority == "critical" and e.time - onset <= H
    assert 1.0 <= e.details["leak_m3h"] <= 3.0 and e.value == pytest.approx(
        e.details["leak_m3h"], abs=1e-3
    )
    assert onset - 60 <= e.details["leak_since"] <= e.time
    assert "suspected leak ≈" in e.message and " m³/h since " in e.message
    (district,) = engine_leak_view(engine)  # the district view carries the balance's start
    assert (district.district, [r.station for r in district.rows]) == ("jianxi", ["jx-001"])
    assert district.rows[0].since == e.details["leak_since"] and district.total_m3h >= 1.0
    engine.acknowledge([KEY], "li", "crew sent")
    assert engine.state(KEY) == "ACK"
    engine.shelve(KEY, "li", "crew on site", 3600.0, now=T0 + loop.t)
    assert engine.state(KEY) == "SHELVED"
    engine.unshelve(KEY, "li", now=T0 + loop.t)
    assert engine.state(KEY) == "UNACK"  # still active: back for the operator to see
    engine.acknowledge([KEY], "li", "crew on site")
    # It stays while the leak lasts (the make-up pump's cycling does not clear it) ...
    assert feed(engine, jx1, loop, 3 * H) == [] and engine.state(KEY) == "ACK"
    loop.leak = 0.0
    end = T0 + loop.t
    ev = feed(engine, jx1, loop, 3 * H)
    # ... and clears once the balance has been normal for the off-delay.
    assert [e.message.rsplit("— ", 1)[-1] for e in ev] == ["cleared"]
    assert ev[0].time - end >= 1800 and engine.state(KEY) == "NORMAL"
    assert np.isnan(engine.leak_since(engine.slots.by_id["jx-001"]))


def test_leak_hold_runs_on_the_process_clock(net, jx1):
    """With a simulator 60 times faster, the 30 min hold is 30 simulated minutes."""
    from tests.console.core.alarms.conftest import config

    cfg = config(leak_suspected={"off_delay_s": 1800})
    engine = AlarmEngine(net, cfg, clock=ProcessClock(scale=60.0, origin=T0))
    loop = Loop(volume=42.0, normal=0.03)
    feed(engine, jx1, loop, 6 * H, scale=60.0)
    loop.leak = 30.0  # a burst: pressure collapses while the make-up pump runs
    onset = loop.t
    ev = feed(engine, jx1, loop, 600.0, scale=60.0)
    assert ev and ev[0].state == "UNACK"
    assert (ev[0].time - T0) * 60.0 - onset <= 120.0  # within 2 simulated minutes
    assert ev[0].details["lower_bound"] and "suspected leak ≥" in ev[0].message
    loop.leak = 0.0
    end = loop.t
    ev = feed(engine, jx1, loop, 3 * H, scale=60.0)
    cleared = [e for e in ev if e.message.endswith("cleared")]
    assert len(cleared) == 1
    held = (cleared[0].time - T0) * 60.0 - end  # simulated seconds after the burst ended
    assert 1800 <= held <= 2 * H
