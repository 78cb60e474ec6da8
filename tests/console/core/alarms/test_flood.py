"""EEMUA 191 flood (10 new alarms in 10 minutes) and first-out per station."""

from console.core.events import Kind


def test_flood_begins_and_ends(engine, jx1):
    ev = []
    for i in range(9):
        jx1.set(f"room_temp[{i}]", 17.5)
        ev += engine.evaluate(jx1.scan(10 * i))
    assert not engine.flood.active
    jx1.set("room_temp[9]", 17.5)
    ev = engine.evaluate(jx1.scan(100))
    [f] = [e for e in ev if e.kind == Kind.SYSTEM]
    assert engine.flood.active and f.action == "flood_begin"
    assert engine.tick(500) == []
    [end] = engine.tick(700)  # the window has slid past most alarms
    assert end.action == "flood_end" and not engine.flood.active


def test_first_out_per_station(make_engine, jx1, station):
    eng = make_engine(room_low={"on_delay_s": 60})
    jx2 = station("jx-002")
    eng.evaluate_batch([jx1.scan(0), jx2.scan(0)])
    jx1.set("room_temp[7]", 17.0)
    eng.evaluate(jx1.scan(10))  # room 7's condition starts first
    jx1.set("room_temp[2]", 17.0)
    jx1.set("p3_secondary_supply", 50)  # no delay: fires now and is seen first
    ev = eng.evaluate(jx1.scan(20))
    [fo] = [e for e in ev if e.details.get("first_out")]
    assert fo.alarm == "jx-001/p3_secondary_supply/p3_low"
    ev = eng.evaluate(jx1.scan(90))  # both rooms fire together later: not first-out
    assert not any(e.details.get("first_out") for e in ev)
    jx2.set("room_temp[0]", 17.0).set("room_temp[1]", 17.0)
    eng.evaluate(jx2.scan(100))
    ev = eng.evaluate(jx2.scan(160))
    assert [e.alarm for e in ev if e.details.get("first_out")] == ["jx-002/room_temp[0]/room_low"]
    # the burst ends when the station is quiet; the next alarm is first-out again
    jx1.set("room_temp[7]", 20).set("room_temp[2]", 20).set("p3_secondary_supply", 300)
    eng.evaluate(jx1.scan(200))
    eng.acknowledge("all visible", "li", station="jx-001", now=201)
    jx1.set("makeup_flow", 9.0)
    ev = eng.evaluate(jx1.scan(210))
    assert [e.alarm for e in ev if e.details.get("first_out")] == ["jx-001/makeup_flow/makeup_high"]
