"""EEMUA 191 flood (10 new alarms in 10 minutes) and first-out per station."""

from console.core.events import Kind

# Ten distinct station alarms (not rooms): (station, point, abnormal value).
TEN = [
    (sid, point, value)
    for sid in ("jx-001", "jx-002")
    for point, value in (
        ("p3_secondary_supply", 50),
        ("makeup_flow", 9.0),
        ("p1_primary_supply", 420),
        ("t3_secondary_supply", 80.0),
        ("control_level", 0),
    )
]


def test_flood_begins_and_ends(engine, station):
    st = {sid: station(sid) for sid in ("jx-001", "jx-002")}
    engine.evaluate_batch([s.scan(0) for s in st.values()])
    for i, (sid, point, value) in enumerate(TEN[:9]):
        st[sid].set(point, value)
        engine.evaluate(st[sid].scan(10 * i + 1))
    assert engine.flood.count == 9 and not engine.flood.active
    sid, point, value = TEN[9]
    st[sid].set(point, value)
    ev = engine.evaluate(st[sid].scan(100))
    [f] = [e for e in ev if e.kind == Kind.SYSTEM]
    assert engine.flood.active and f.action == "flood_begin"
    assert engine.tick(500) == []
    [end] = engine.tick(700)  # the window has slid past most alarms
    assert end.action == "flood_end" and not engine.flood.active


def test_room_alarms_count_once_per_station_episode(engine, station):
    """A station's rooms going cold together are one event for the flood count (one per room
    rule), while the journal keeps one alarm per room."""
    jx1, jx2 = station("jx-001"), station("jx-002")
    engine.evaluate_batch([jx1.scan(0), jx2.scan(0)])
    journalled = 0
    for i in range(12):  # all of jx-001's rooms, one scan after another
        jx1.set(f"room_temp[{i}]", 17.5)
        ev = engine.evaluate(jx1.scan(10 + i))
        journalled += sum(1 for e in ev if e.kind == Kind.ALARM and e.alarm)
    assert journalled == 12 and engine.flood.count == 1 and not engine.flood.active
    for i in range(20):  # jx-002's rooms in one scan: one more episode
        jx2.set(f"room_temp[{i}]", 17.0)
    engine.evaluate(jx2.scan(30))
    assert engine.flood.count == 2
    jx1.set("room_temp[0]", 15.0)  # below the legal floor: a new (critical) episode
    engine.evaluate(jx1.scan(40))
    assert engine.flood.count == 3
    # jx-001's rooms warm and are acknowledged: the episode is over; the next cold room
    # begins a new one.
    for i in range(12):
        jx1.set(f"room_temp[{i}]", 20.0)
    engine.evaluate(jx1.scan(50))
    engine.acknowledge("all visible", "li", station="jx-001", now=51)
    jx1.set("room_temp[4]", 17.5)
    engine.evaluate(jx1.scan(60))
    assert engine.flood.count == 4
    jx1.set("room_temp[5]", 17.5)  # joins the open episode
    engine.evaluate(jx1.scan(70))
    assert engine.flood.count == 4


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


def _process_engine(net, scale: float):  # type: ignore[no-untyped-def]
    from console.core.alarms import AlarmEngine
    from station_config.alarm_rules import ProcessClock

    from .conftest import config

    return AlarmEngine(net, config(), clock=ProcessClock(scale=scale, origin=0.0))


def test_flood_window_runs_on_the_process_clock(net, station):
    """The demo (process ×60): ten alarms 30 wall seconds apart are 30 simulated minutes apart,
    a calm rate; on the wall clock they would fill the 10-minute window and read as a flood."""
    engine = _process_engine(net, 60.0)
    st = {sid: station(sid) for sid in ("jx-001", "jx-002")}
    engine.evaluate_batch([s.scan(0) for s in st.values()])
    ev_all = []
    for i, (sid, point, value) in enumerate(TEN):
        st[sid].set(point, value)
        ev_all += engine.evaluate(st[sid].scan(30 * i + 1))
        assert engine.flood.count == 1  # the window (10 simulated min = 10 wall s) holds one
    assert not engine.flood.active
    assert not [e for e in ev_all if e.kind == Kind.SYSTEM and e.action == "flood_begin"]
    assert engine.flood.per_hour == 6.0  # one in the last 10 simulated minutes: 6 per hour


def test_flood_at_the_simulated_rate_begins_and_ends(net, station):
    """Ten alarms within 5 wall seconds at ×60 are ten in 5 simulated minutes: a flood, said in
    simulated minutes, and over once the 10 simulated minutes (10 wall s) have passed."""
    engine = _process_engine(net, 60.0)
    st = {sid: station(sid) for sid in ("jx-001", "jx-002")}
    engine.evaluate_batch([s.scan(0) for s in st.values()])
    events = []
    for i, (sid, point, value) in enumerate(TEN):
        st[sid].set(point, value)
        events += engine.evaluate(st[sid].scan(1 + 0.5 * i))
    [begin] = [e for e in events if e.kind == Kind.SYSTEM]
    assert engine.flood.active and begin.action == "flood_begin"
    assert "10 simulated min" in begin.message
    assert engine.flood.per_hour == 60.0
    assert engine.tick(8.0) == []  # 7 simulated minutes later: still in the window
    [end] = engine.tick(30.0)
    assert end.action == "flood_end" and not engine.flood.active
    assert "simulated min" in end.message
    # Began with the tenth alarm (5.5 s); 24.5 wall s × 60 = 24.5 simulated minutes.
    assert float(end.message.split("after ")[1].split()[0]) == 24.5
