"""Core state -> view models: the on-delay estimate, the room limits the display shows, room
episodes and district shares — against the alarm engine's own state and real scans from the
simulator over loopback TCP."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import time

import numpy as np

from console.app.adapters import build_snapshot, key_figures
from console.commands.demo import on_simulator_clock
from console.core.events import AlarmState, Priority
from console.core.service import ConsoleService
from console.terminal_table import RowBuilder, apply_room_limits
from console.vocabulary.episodes import room_episodes
from console.vocabulary.views import AlarmRow
from drivers.poller import poll_once
from drivers.samples import Quality, StationScan
from station_config.alarm_rules import AlarmConfig, RuleOverride, RulesConfig
from widgets import colors
from widgets.alarm_model import format_time
from widgets.key_figures import on_delay_text

SCALE = 60.0  # the demo's speed


async def _scans(simulator) -> dict[str, StationScan]:
    net = simulator.network_with_endpoints()
    return {s.station_id: s for s in await poll_once(net)}


def _at(scan: StationScan, t: float, **points: float) -> StationScan:
    """The scan as if read at `t` with some points changed (a cold room, a dead sensor)."""
    v, q = scan.values.copy(), scan.quality.copy()
    for i, x in points.items():
        v[int(i)] = x
        q[int(i)] = Quality.SENSOR_FAULT if np.isnan(x) else Quality.GOOD
    return dataclasses.replace(scan, time=t, values=v, quality=q, value_time=np.full(len(v), t))


async def test_on_delay_estimate_counts_down_in_process_minutes(static_simulator):
    """xg-002's rooms cool one after another while jx-001 loses a room sensor: the estimate
    of the first room alarm counts down (process minutes at the demo's 60x) and never jumps
    back up. A room sensor's 60 s fault timer used to be taken for a cold room's."""
    base = await _scans(static_simulator)
    t0 = 1_800_000_000.0
    net = on_simulator_clock(static_simulator.network_with_endpoints(), SCALE, t0)
    service = ConsoleService(net, journal_path=None, history_path=False)
    tables = service.poller.tables
    xg2, jx1 = tables["xg-002"].indices("room_temp"), tables["jx-001"].indices("room_temp")
    service.alarms.evaluate_batch([_at(s, t0) for s in base.values()])
    shown, t, cold = [], t0, {}
    for step in range(1, 80):
        t = t0 + 0.25 * step  # a batch every 0.25 wall s = 15 simulated s
        if step % 2 and len(cold) < 20:
            cold[str(xg2[len(cold)])] = 17.0  # one more room below 18 °C
        dead = {str(jx1[3]): np.nan} if step >= 6 else {}
        scans = [_at(base["xg-002"], t, **cold), _at(base["jx-001"], t, **dead)]
        for sc in scans:
            service.live.update(sc)
        service.alarms.evaluate_batch(scans)
        snap = build_snapshot(service)
        k = snap.figures
        assert k.time_scale == SCALE and snap.status.time_scale == SCALE
        assert "×60" in snap.status.time_note
        if k.rooms_in_alarm:
            break
        if k.rooms_pending:
            shown.append(on_delay_text(k.pending_until, now=t, scale=k.time_scale))
    assert k.rooms_in_alarm, "the first room alarm after 300 simulated s = 5 wall s"
    assert t - t0 <= 0.25 + 300 / SCALE + 0.25
    minutes = [5 if "≈ 5" in s else 4 if "≈ 4" in s else 3 if "≈ 3" in s else
               2 if "≈ 2" in s else 1 if "≈ 1" in s else 0 for s in shown]  # fmt: skip
    assert minutes[0] == 5 and minutes[-1] == 0, shown
    assert all(a >= b for a, b in itertools.pairwise(minutes)), shown
    assert all("time ×60" in s for s in shown)


FAST_ROOMS = AlarmConfig(
    rules=RulesConfig(
        room_low=RuleOverride(on_delay_s=0.0, off_delay_s=0.0),
        room_critical=RuleOverride(on_delay_s=0.0, off_delay_s=0.0),
    )
)


async def test_display_takes_the_limit_the_alarms_use(static_simulator):
    """jx-002's own limit register says 20 °C: the overview, the room grid, the room colours
    and the terminal table count exactly the rooms in alarm — not those below 18 °C."""
    i = [s.id for s in static_simulator.net.stations].index("jx-002")
    static_simulator.physics.write(i, "room_low_limit", 20.0)
    static_simulator.tick(0.0)
    net = static_simulator.network_with_endpoints().model_copy(update={"alarms": FAST_ROOMS})
    service = ConsoleService(net, journal_path=None, history_path=False, batch_interval=0.1)
    await service.start()
    try:
        for _ in range(100):
            if service.live.stations["jx-002"].scans >= 2:
                break
            await asyncio.sleep(0.1)
        service.process_pending()
        snap = build_snapshot(service, focus="jx-002")
    finally:
        await service.stop()
    st = service.live.stations["jx-002"]
    temps = st.values[st.table.indices("room_temp")]
    alarmed = {
        a.point for a in service.alarms.active() if a.rule == "room_low" and a.station == "jx-002"
    }
    assert len(alarmed) == int((temps < 20.0).sum()) > int((temps < 18.0).sum())
    state = snap.states["jx-002"]
    assert state.room_low_limit == 20.0 and state.room_critical_limit == 16.0
    assert state.rooms_below_18 == len(alarmed) == state.rooms_in_alarm
    assert snap.states["jx-001"].room_low_limit == 18.0  # its own register: the default
    assert snap.detail is not None
    coloured = {
        f"room_temp[{r.index}]"
        for r in snap.detail.rooms
        if colors.room_priority(r.temp, r.low_limit, r.critical_limit) is not None
    }
    assert coloured == alarmed
    pv = snap.detail.points["room_temp_min"]
    assert pv.normal_low == 20.0
    builder = RowBuilder(net.station("jx-002"), st.table)
    apply_room_limits({"jx-002": builder}, service.alarms)
    assert builder.room_low == 20.0
    scan = StationScan("jx-002", 0.0, st.values.copy(), st.quality.copy(), st.value_time)
    assert builder.row(scan).cold == str(len(alarmed))


def _row(station: str, point: str, rule: str, state: AlarmState) -> AlarmRow:
    return AlarmRow(
        key=f"{station}/{point}/{rule}", station=station, station_name=station, district="d",
        point=point, rule=rule, priority=Priority.MEDIUM, state=state, message="", time=0.0,
    )  # fmt: skip


def test_room_alarms_count_once_per_station_episode_in_the_key_figures():
    rooms = tuple(
        _row("xg-002", f"room_temp[{i}]", "room_low", AlarmState.UNACK) for i in range(30)
    )
    group = dataclasses.replace(rooms[0], key="xg-002/room_temp[*]", children=rooms)
    crit = _row("xg-002", "room_temp[3]", "room_critical", AlarmState.ACK)
    pump = _row("xg-002", "alarm_bits", "pump1_fault", AlarmState.UNACK)
    acked = _row("jx-001", "room_temp[0]", "room_low", AlarmState.ACK)
    assert room_episodes([group, crit, pump, acked]) == (3, 2)
    k = key_figures({}, [group, crit, pump, acked], False)
    assert k.unacked_alarms == 2 and k.room_episodes == 3


async def test_alarm_life_as_the_summary_shows_it(static_simulator):
    """One room of xg-002 goes below 16 °C (room_low and room_critical), another below 18 °C:
    an acknowledgement keeps the raise time and adds its own; a shelved alarm counts as
    shelved; once the critical condition clears (still unacknowledged), "worst" is no longer
    critical. Real engine state, real scans; rows through the cache as the bridge builds them."""
    from console.app.adapters import SnapshotCache
    from widgets.alarm_model import AlarmTreeModel

    base = await _scans(static_simulator)
    net = static_simulator.network_with_endpoints().model_copy(update={"alarms": FAST_ROOMS})
    service = ConsoleService(net, journal_path=None, history_path=False)
    table = service.poller.tables["xg-002"]
    rooms = table.indices("room_temp")
    r0, r1 = str(rooms[0]), str(rooms[1])

    def key(i: int, rule: str) -> str:
        return f"xg-002/{table.names[rooms[i]]}/{rule}"

    cache = SnapshotCache()

    def batch(t: float, **cold: float) -> list[AlarmRow]:
        scans = [_at(s, t, **(cold if s.station_id == "xg-002" else {})) for s in base.values()]
        for sc in scans:
            service.live.update(sc)
        service.alarms.evaluate_batch(scans)
        return build_snapshot(service, cache=cache).alarms

    def leaves(rows: list[AlarmRow]) -> dict[str, AlarmRow]:
        return {c.key: c for r in rows for c in (r.children or (r,))}

    t0 = time.time()
    rows = batch(t0 - 60, **{r0: 15.0, r1: 17.0})
    crit, low1 = key(0, "room_critical"), key(1, "room_low")
    assert leaves(rows)[crit].state is AlarmState.UNACK
    snap = build_snapshot(service, cache=cache)
    assert snap.figures.worst_priority is Priority.CRITICAL
    assert leaves(rows)[crit].since == t0 - 60

    service.acknowledge([crit])  # at the wall clock's now, a minute after the raise
    rows = batch(t0 - 30, **{r0: 15.0, r1: 17.0})
    acked = leaves(rows)[crit]
    assert acked.state is AlarmState.ACK
    assert acked.since == t0 - 60 and acked.time >= t0  # raised, then acknowledged
    assert AlarmTreeModel._display(acked, 0, True) == format_time(t0 - 60)
    assert format_time(acked.time) in AlarmTreeModel._display(acked, 2, True)

    service.shelve(low1, "sensor known faulty", 3600)
    rows = batch(t0 - 20, **{r0: 15.0, r1: 17.0})
    assert leaves(rows)[low1].state is AlarmState.SHELVED
    assert AlarmTreeModel._count(rows).shelved == 1

    # A second critical room, left unacknowledged, clears: cleared-unacked is not "worst".
    r2 = str(rooms[2])
    crit2 = key(2, "room_critical")
    batch(t0 - 10, **{r0: 17.5, r1: 17.0, r2: 15.0})
    rows = batch(t0 - 5, **{r0: 17.5, r1: 17.0, r2: 17.5})
    assert leaves(rows)[crit2].state is AlarmState.RTN_UNACK
    assert leaves(rows)[crit2].since == t0 - 10  # remembered from the row built before
    snap = build_snapshot(service, cache=cache)
    assert snap.figures.worst_priority is not Priority.CRITICAL
    assert snap.figures.worst_priority is not None  # rooms still below 18 °C


def test_status_texts_reach_the_screen_in_chinese(qapp) -> None:
    """The thin console's link and the journal writer word their status in English without
    Qt; the adapters put each known form into the interface language (the very texts the
    mirror and the writer produce, so a changed wording fails here)."""
    from console.app import i18n
    from console.app.adapters import status_words
    from console.core.journal.writer import WriterState, WriterStatus
    from console.remote.mirror import Mirror

    m = Mirror()
    waiting, on_server = m.link_problem(), m.journal_text()
    m.link_lost_at = 1_800_000_000.0
    lost = m.link_problem()
    writing = WriterStatus(WriterState.WRITING, 0, 1234, 0).describe()
    assert status_words(lost) == lost  # English: unchanged
    assert i18n.install(i18n.CHINESE, qapp) == i18n.CHINESE
    try:
        for text in (waiting, on_server, lost, writing, f"wang: {writing} · xg: {writing}"):
            words = status_words(text)
            assert words != text and "journal" not in words and "LOST" not in words, words
        assert "1234" in status_words(writing)
        assert "与服务器的连接" in status_words(lost)
        assert status_words("journal: something new") == "journal: something new"  # as it came
    finally:
        i18n.install(i18n.ENGLISH, qapp)


def test_a_suspected_leak_says_how_much_and_since_when(qapp) -> None:  # type: ignore[no-untyped-def]
    """The list and the banner read the leak's rate and start from its view, in both languages
    (the row said only "疑似泄漏" with no value)."""
    from console.app import adapters, i18n
    from console.app.adapters import alarm_text
    from console.core.alarms.summary import AlarmView

    def speak(lang: str) -> None:
        i18n.install(lang, qapp)
        adapters._check_words()  # as every snapshot build does first

    t = time.mktime((2026, 12, 7, 21, 53, 0, 0, 0, -1))
    leak = AlarmView(
        key="jx-002/makeup_flow/leak_suspected", station="jx-002", district="jianxi",
        point="makeup_flow", rule="leak_suspected", priority=Priority.CRITICAL,
        state=AlarmState.UNACK, condition=True, value=2.13, limit=None, time=t + 60,
        active_since=t,
    )  # fmt: skip
    try:
        speak(i18n.ENGLISH)
        assert alarm_text(leak) == "Suspected leak ≈ 2.1 m³/h since 21:53"
        speak(i18n.CHINESE)
        assert alarm_text(leak) == "疑似泄漏 ≈ 2.1 m³/h，始于 21:53"
        # No estimate yet (the balance has not turned): the words alone, no "≈ 0 m³/h".
        assert alarm_text(dataclasses.replace(leak, value=None)) == "疑似泄漏"
    finally:
        speak(i18n.ENGLISH)
