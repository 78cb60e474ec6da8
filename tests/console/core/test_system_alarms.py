"""The console's own alarms follow ISA-18.2: UNACK -> ACK -> NORMAL, or UNACK -> RTN_UNACK."""

from __future__ import annotations

import pytest

from console.core.events import AlarmState, Kind, Priority
from console.core.system_alarms import SystemAlarms


def test_rise_ack_clear_and_rise_clear_ack() -> None:
    sa = SystemAlarms()
    key = sa.define("journal", "store_write", "journal cannot write safely (disk)")
    assert key == "console/journal/store_write" and sa.owns(key) and not sa.owns("jx-001/x/y")
    assert sa.state(key) is AlarmState.NORMAL and sa.views() == []

    [e] = sa.update(key, True, "disk full", now=10.0)
    assert e.kind is Kind.ALARM and e.state is AlarmState.UNACK and e.alarm == key
    assert e.priority is Priority.CRITICAL and e.station == "console" and "disk full" in e.message
    assert sa.update(key, True, "still full", now=11.0) == []  # no record without a transition
    assert sa.detail(key) == "still full"
    [v] = sa.views()
    assert v.state is AlarmState.UNACK and v.active_since == 10.0 and v.condition

    with pytest.raises(ValueError):
        sa.acknowledge([key], " ")
    [a] = sa.acknowledge([key], "li", "freeing space", now=12.0)
    assert a.kind is Kind.OPERATOR and a.action == "ack" and a.state is AlarmState.ACK
    assert a.user == "li" and a.comment == "freeing space"
    assert sa.acknowledge([key], "li", now=12.5) == []  # nothing left to acknowledge
    [c] = sa.update(key, False, "", now=13.0)
    assert c.state is AlarmState.NORMAL and sa.views() == []

    sa.update(key, True, "disk full", now=20.0)
    [c] = sa.update(key, False, "", now=21.0)
    assert c.state is AlarmState.RTN_UNACK  # returned, still to be acknowledged
    [v] = sa.views()
    assert v.state is AlarmState.RTN_UNACK and not v.condition
    [a] = sa.acknowledge(None, "li", now=22.0)  # None: every unacknowledged one
    assert a.state is AlarmState.NORMAL and sa.views() == []
