"""Silence is not Acknowledge: silence stops the sound, alarms stay UNACK, new ones sound."""

from console.core.events import AlarmState, Kind


def test_silence_vs_acknowledge(engine, jx1):
    jx1.set("room_temp[0]", 17.0)
    engine.evaluate(jx1.scan(0))
    assert engine.sounding() == ["jx-001/room_temp[0]/room_low"]
    [op] = engine.silence("li", now=1)
    assert (op.kind, op.action, op.user) == (Kind.OPERATOR, "silence", "li")
    assert engine.sounding() == []
    assert engine.state("jx-001/room_temp[0]/room_low") == AlarmState.UNACK
    jx1.set("room_temp[1]", 17.0)
    engine.evaluate(jx1.scan(2))
    assert engine.sounding() == ["jx-001/room_temp[1]/room_low"]  # a new alarm sounds again
    engine.acknowledge(["jx-001/room_temp[1]/room_low"], "li")
    assert engine.sounding() == []


def test_only_chosen_priorities_sound(engine, jx1):
    jx1.set("control_level", 0)  # info
    jx1.set("room_temp[4]", 3276.7, quality=2)  # sensor fault: low
    engine.evaluate(jx1.scan(0))
    assert engine.sounding() == [] and engine.tone() is None
    jx1.set("makeup_flow", 9.0)  # makeup_high is low since the water balance took over
    engine.evaluate(jx1.scan(1))
    assert engine.sounding() == [] and engine.tone() is None
    jx1.set("room_temp[2]", 15.0)  # room_critical
    engine.evaluate(jx1.scan(2))
    assert engine.tone() == "critical"
