"""The service end to end against the simulator over real TCP: a station's rooms are chilled
through a scenario event, the low-room alarm appears after its on-delay, is journalled,
acknowledged, and clears with deadband when the rooms warm up again."""

from __future__ import annotations

import asyncio
import sqlite3

import numpy as np

from console.core.events import AlarmState
from console.core.service import ConsoleService
from drivers.samples import Quality
from station_config.alarm_rules import AlarmConfig, RuleOverride, RulesConfig

FAST_ROOMS = AlarmConfig(
    rules=RulesConfig(
        room_low=RuleOverride(on_delay_s=1.0, off_delay_s=0.0),
        room_critical=RuleOverride(on_delay_s=1.0, off_delay_s=0.0),
    )
)


async def wait_for(cond, service: ConsoleService, scans: int = 60) -> bool:
    """Let the service run until cond() holds, bounded by a number of batches."""
    for _ in range(scans):
        if cond():
            return True
        await asyncio.sleep(service.batch_interval)
    return cond()


def rooms(service: ConsoleService, sid: str) -> np.ndarray:
    st = service.live.stations[sid]
    return st.values[st.table.indices("room_temp")]


async def test_room_alarm_lifecycle_against_simulator(simulator, tmp_path):
    net = simulator.network_with_endpoints().model_copy(update={"alarms": FAST_ROOMS})
    journal = tmp_path / "journal.sqlite"
    service = ConsoleService(net, journal_path=journal, user="dispatcher1", batch_interval=0.1)
    await service.start()
    try:
        assert await wait_for(lambda: service.live.stations["jx-001"].scans >= 2, service)
        assert (rooms(service, "jx-001") > 18.0).all(), "rooms start warm"
        assert not [a for a in service.alarms.active() if a.rule == "room_low"]

        # Chill jx-001: its primary valve sticks closed; advance the physics until its coldest
        # room is below 17.5 °C (bounded: at most 4 simulated hours).
        simulator.apply_event({"type": "valve_stuck", "station": "jx-001", "position_pct": 0})
        i = [s.id for s in net.stations].index("jx-001")
        table = simulator.physics.tables[i]
        for _ in range(48):
            simulator.tick(300.0)
            if simulator.physics.values(i)[table.indices("room_temp")].min() < 17.5:
                break

        def cold_alarms():
            return [
                a for a in service.alarms.active()
                if a.station == "jx-001" and a.rule == "room_low"
            ]  # fmt: skip

        assert await wait_for(lambda: bool(cold_alarms()), service)
        cold = rooms(service, "jx-001")
        assert (cold < 18.0).any()
        alarm = cold_alarms()[0]
        assert alarm.state == AlarmState.UNACK
        assert alarm.value is not None and alarm.value < 18.0
        # Other stations are untouched.
        assert not [
            a for a in service.alarms.active() if a.station != "jx-001" and a.rule == "room_low"
        ]

        # Acknowledge in the service; the state changes and the action is journalled.
        service.acknowledge([alarm.key], comment="steward sent")
        assert service.alarms.state(alarm.key) == AlarmState.ACK

        # Warm it up again: the valve frees; the building mass takes most of a day.
        simulator.apply_event({"type": "valve_free", "station": "jx-001"})
        for _ in range(288):
            simulator.tick(300.0)
        # Every room's condition clears beyond the deadband; the acknowledged alarm returns to
        # NORMAL, rooms that went cold after the acknowledgement wait in RTN_UNACK (ISA-18.2).
        ok = await wait_for(lambda: not any(a.condition for a in cold_alarms()), service)
        assert ok, [(a.key, a.state, a.value) for a in cold_alarms()]
        assert (rooms(service, "jx-001") > 18.0 + 0.3).all()
        assert service.alarms.state(alarm.key) == AlarmState.NORMAL
        assert all(a.state == AlarmState.RTN_UNACK for a in cold_alarms())
        service.acknowledge("all visible")
        assert not cold_alarms()
        assert service.live.stations["jx-001"].worst_quality == Quality.GOOD
    finally:
        await service.stop()

    with sqlite3.connect(journal) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute(
            "SELECT kind, state, action, user FROM events WHERE alarm = ? ORDER BY id",
            (alarm.key,),
        ).fetchall()
        kinds = {r[0] for r in db.execute("SELECT DISTINCT kind FROM events")}
    # The alarm's whole life: raised, acknowledged by the dispatcher, cleared.
    assert rows == [
        ("alarm", "UNACK", None, None),
        ("operator", "ACK", "ack", "dispatcher1"),
        ("alarm", "NORMAL", None, None),
    ]
    assert {"system", "config", "alarm", "operator"} <= kinds


async def test_write_refused_in_local_control_and_journalled(simulator, tmp_path):
    net = simulator.network_with_endpoints()
    service = ConsoleService(net, journal_path=tmp_path / "j.sqlite", batch_interval=0.1)
    await service.start()
    try:
        assert await wait_for(lambda: service.live.stations["xg-001"].scans >= 1, service)
        done = await service.write("xg-001", "room_setpoint", 20.5)
        assert done.ok, done
        # The field engineer takes local control: the console refuses with the reason.
        simulator.physics.write(net.stations.index(net.station("xg-001")), "control_level", 0)
        simulator.tick(0.0)
        assert await wait_for(
            lambda: service.live.stations["xg-001"].value("control_level") == 0, service
        )
        refused = await service.write("xg-001", "room_setpoint", 21.0)
        assert not refused.ok and "local control" in refused.message
    finally:
        await service.stop()
    with sqlite3.connect(tmp_path / "j.sqlite") as db:
        writes = db.execute(
            "SELECT message FROM events WHERE action = 'write' ORDER BY id"
        ).fetchall()
    assert len(writes) == 2 and "local control" in writes[1][0]


async def test_a_wrong_devices_cold_rooms_never_become_the_stations_alarms(simulator, tmp_path):
    """jx-001's address answers with xg-002's registers (a swapped gateway port) while xg-002's
    rooms are cold: the cold rooms alarm under xg-002 only; jx-001 shows WRONG_DEVICE, its own
    alarm and journal event, keeps no value of the other device, and recovers when its own
    device answers again."""
    net = simulator.network_with_endpoints().model_copy(update={"alarms": FAST_ROOMS})
    i = [s.id for s in net.stations].index("xg-002")
    table = simulator.physics.tables[i]
    simulator.apply_event({"type": "valve_stuck", "station": "xg-002", "position_pct": 0})
    # Until the rooms jx-001 reads (its 12: registers 400..411) are cold in xg-002's image.
    for _ in range(96):
        simulator.tick(300.0)
        if simulator.physics.values(i)[table.indices("room_temp")][:12].min() < 17.5:
            break
    assert simulator.physics.values(i)[table.indices("room_temp")][:12].min() < 17.5
    simulator.faults.set("jx-001", answer_as="xg-002")
    journal = tmp_path / "journal.sqlite"
    service = ConsoleService(net, journal_path=journal, batch_interval=0.1)
    await service.start()

    def room_alarms(sid: str) -> list:
        return [
            a for a in service.alarms.active()
            if a.station == sid and a.rule in ("room_low", "room_critical")
        ]  # fmt: skip

    def first_rooms_alarmed() -> bool:  # xg-002 alarms one of the rooms jx-001 would read
        return any(int(a.key.split("[")[1].split("]")[0]) < 12 for a in room_alarms("xg-002"))

    try:
        assert await wait_for(first_rooms_alarmed, service)
        # The same registers went to jx-001's address for longer than the on-delay (1 s; a
        # scan every 0.5 s): never an alarm under jx-001.
        jx = service.live.stations["jx-001"]
        mark = jx.scans
        assert await wait_for(lambda: jx.scans >= mark + 4, service)
        assert not room_alarms("jx-001")
        assert jx.worst_quality == Quality.WRONG_DEVICE
        assert np.isnan(rooms(service, "jx-001")).all()  # nothing of xg-002's kept as jx-001's
        wrong = [a for a in service.alarms.active() if a.key == "jx-001/station/wrong_device"]
        assert len(wrong) == 1 and wrong[0].state == AlarmState.UNACK
        # Its own device answers again: GOOD, its own warm rooms, the alarm condition clears.
        simulator.faults.clear("jx-001", "answer_as")
        assert await wait_for(
            lambda: service.live.stations["jx-001"].worst_quality == Quality.GOOD, service
        )
        assert (rooms(service, "jx-001") > 18.0).all()
        assert not room_alarms("jx-001")
        assert not service.alarms.bank.cond[
            [g for g in range(service.alarms.slots.n)
             if service.alarms.key(g) == "jx-001/station/wrong_device"]
        ].any()  # fmt: skip
    finally:
        await service.stop()

    with sqlite3.connect(journal) as db:
        texts = [r[0] for r in db.execute("SELECT message FROM events WHERE station = 'jx-001'")]
        alarm_keys = {
            r[0] for r in db.execute("SELECT alarm FROM events WHERE station = 'jx-001'") if r[0]
        }
    assert "jx-001: wrong device: expected station 1, found 4" in texts
    assert "jx-001: communication ok" in texts
    assert alarm_keys == {"jx-001/station/wrong_device"}


async def test_control_handed_back_from_local_and_nothing_else(simulator, tmp_path):
    """In local control the only write that goes out is control_level back to SCADA (1): the
    register map lets the device take exactly that, and the setpoint dialog offers it."""
    net = simulator.network_with_endpoints()
    service = ConsoleService(net, journal_path=tmp_path / "j.sqlite", batch_interval=0.1)
    await service.start()
    try:
        assert await wait_for(lambda: service.live.stations["xg-001"].scans >= 1, service)
        simulator.physics.write(net.stations.index(net.station("xg-001")), "control_level", 0)
        simulator.tick(0.0)
        assert await wait_for(
            lambda: service.live.stations["xg-001"].value("control_level") == 0, service
        )
        # Still refused while local: a setpoint, and control_level to anything but SCADA.
        for point, value in (("room_setpoint", 21.0), ("control_level", 0)):
            refused = await service.write("xg-001", point, value)
            assert not refused.ok and "local control" in refused.message, (point, refused)
        handed = await service.write("xg-001", "control_level", 1)
        assert handed.ok and handed.readback == 1, handed
        assert await wait_for(
            lambda: service.live.stations["xg-001"].value("control_level") == 1, service
        )
        again = await service.write("xg-001", "room_setpoint", 21.0)  # remote again
        assert again.ok, again
    finally:
        await service.stop()
    with sqlite3.connect(tmp_path / "j.sqlite") as db:
        writes = db.execute(
            "SELECT point, value, message FROM events WHERE action = 'write' ORDER BY id"
        ).fetchall()
    assert [(p, v) for p, v, _ in writes] == [
        ("room_setpoint", 21.0), ("control_level", 0.0), ("control_level", 1.0),
        ("room_setpoint", 21.0),
    ]  # fmt: skip
    assert "local control" in writes[1][2] and "local control" not in writes[2][2]
