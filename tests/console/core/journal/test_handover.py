"""The handover report on a constructed 12-hour shift: rooms, acks, comm, EEMUA figures."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

import pytest

from console.core.events import AlarmState, JournalEvent, Kind, Priority
from console.core.journal import store
from console.core.journal.handover import (
    build_report,
    eemua_verdict,
    fmt_duration,
    peak_verdict,
    render_html,
    write_handover,
)

S = datetime(2026, 1, 5, 8, 0).timestamp()
E = S + 12 * 3600
H, M = 3600.0, 60.0
U, A, N, R = AlarmState.UNACK, AlarmState.ACK, AlarmState.NORMAL, AlarmState.RTN_UNACK


def al(key: str, state: AlarmState, t: float, value: float | None = None, **kw) -> JournalEvent:  # type: ignore[no-untyped-def]
    station = key.split("/")[0]
    kw.setdefault("priority", Priority.MEDIUM)
    return JournalEvent(
        Kind.ALARM, f"{key} → {state}", time=t, station=station, alarm=key, state=state,
        value=value, **kw,
    )  # fmt: skip


ROOM1 = "jx-001/room_temp[1]/room_low"
ROOM2 = "jx-001/room_temp[2]/room_low"
ROOM2C = "jx-001/room_temp[2]/room_critical"
BAD = "lc-003/p_secondary/low"


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    ev: list[JournalEvent] = [
        # Room 1: cold 09:00–11:00, acked after 10 minutes by 王.
        al(ROOM1, U, S + 1 * H, 17.5),
        al(ROOM1, A, S + 1 * H + 10 * M, 17.4, user="王"),
        al(ROOM1, N, S + 3 * H, 18.6),
        # Room 2: cold since before the shift, never warm again; acked by an operator action.
        al(ROOM2, U, S - 1 * H, 17.0),
        al(ROOM2, A, S + 30 * M, 16.9),
        JournalEvent(Kind.OPERATOR, "ack", time=S + 30 * M, action="ack", alarm=ROOM2,
                     user="李", comment="steward sent"),
        # …and below 16 °C from 10:00 to 12:00, returned but never acknowledged.
        al(ROOM2C, U, S + 2 * H, 15.5, priority=Priority.CRITICAL),
        al(ROOM2C, R, S + 4 * H, 16.4, priority=Priority.CRITICAL),
        # Comm outage of xg-002 13:00–13:30.
        JournalEvent(Kind.COMM, "comm failed", time=S + 5 * H, station="xg-002",
                     details={"status": "failed"}),
        JournalEvent(Kind.COMM, "comm ok", time=S + 5.5 * H, station="xg-002",
                     details={"status": "ok"}),
        JournalEvent(Kind.OPERATOR, "<script>alert(1)</script> 泵有异响", time=S + 7 * H,
                     action="note", user="张三"),
        JournalEvent(Kind.ALARM, "noise before the shift", time=S - 3 * H, alarm="x/y/z",
                     state=U, station="x"),
        JournalEvent(Kind.ALARM, "x/y/z acked", time=S - 2 * H, alarm="x/y/z", state=A),
        JournalEvent(Kind.ALARM, "x/y/z normal", time=S - 2 * H + 1, alarm="x/y/z", state=N),
    ]  # fmt: skip
    # A flood: 15 different alarms within 5 minutes at 14:00.
    ev += [al(f"xg-{k:03d}/pump/fault", U, S + 6 * H + k * 20, priority=Priority.HIGH)
           for k in range(15)]  # fmt: skip
    # A bad actor: raised 5 times, 20 minutes apart, each acked and cleared.
    for k in range(5):
        t = S + 8 * H + k * 20 * M
        ev += [al(BAD, U, t), al(BAD, A, t + 60, user="王"), al(BAD, N, t + 120)]
    path = tmp_path / "j.sqlite"
    conn = store.connect(path, create=True)
    store.insert_events(conn, ev)
    conn.close()
    return path


def test_report_figures(journal: Path) -> None:
    conn = store.connect(journal)
    r = build_report(conn, S, E, now=E + H)
    conn.close()

    assert len(r.raised) == 1 + 1 + 15 + 5  # entries into UNACK within the shift
    rooms = {(x.station, x.point): x for x in r.rooms}
    assert set(rooms) == {("jx-001", "room_temp[1]"), ("jx-001", "room_temp[2]")}
    r1, r2 = rooms["jx-001", "room_temp[1]"], rooms["jx-001", "room_temp[2]"]
    assert r1.below_18_s == 2 * H and r1.below_16_s == 0 and not r1.cold_at_end
    assert r1.lowest == 17.4 and r1.episodes == 1
    assert r2.below_18_s == 12 * H and r2.below_16_s == 2 * H  # whole shift; 2 h critical
    assert r2.cold_at_start and r2.cold_at_end and r2.lowest == 15.5
    assert r.rooms[0] is r2  # longest first

    acks = {(a.alarm, a.user): a for a in r.acks}
    assert acks[ROOM1, "王"].seconds == 10 * M
    assert acks[ROOM2, "李"].seconds == 90 * M  # raised an hour before the shift
    assert acks[ROOM2, "李"].comment == "steward sent"
    assert len([a for a in r.acks if a.alarm == ROOM2]) == 1  # not counted twice
    assert sum(1 for a in r.acks if a.alarm == BAD) == 5

    open_ = {o.alarm: o.state for o in r.still_open}
    assert open_[ROOM2] is A and open_[ROOM2C] is R
    assert all(o.state is U for k, o in ((o.alarm, o) for o in r.still_open) if "pump" in k)
    assert ROOM1 not in open_ and BAD not in open_ and "x/y/z" not in open_

    assert [(o.station, o.start, o.end) for o in r.outages] == [("xg-002", S + 5 * H, S + 5.5 * H)]
    assert [n.user for n in r.notes] == ["张三"]

    # EEMUA 191: 21 alarms in 72 ten-minute periods (room 1 joins room 2's open episode at
    # jx-001: one event for the operator, not two).
    assert r.periods == 72
    assert len(r.rated) == 21 and ROOM1 not in {e.alarm for e in r.rated}
    assert r.avg_per_10min == pytest.approx(21 / 72)
    assert eemua_verdict(r.avg_per_10min) == "very likely to be acceptable"
    assert r.peak_10min == 15 and r.peak_at == S + 6 * H
    assert r.flood_buckets == 1 and r.flood_share == pytest.approx(1 / 72)
    assert r.flood_periods == [(S + 6 * H, S + 6 * H + 600, 15)]
    assert r.top_alarms[0][:2] == (BAD, 5)
    assert r.by_priority == {"medium": 5, "critical": 1, "high": 15}
    # Longest unacknowledged: the critical room alarm (UNACK, then RTN_UNACK) from 10:00 on,
    # then the flood's pump faults from 14:00.
    top = r.unacked[0]
    assert (top.alarm, top.end, top.duration(r.end)) == (ROOM2C, None, 10 * H)
    assert r.unacked[1].alarm.endswith("pump/fault") and r.unacked[1].duration(r.end) == 6 * H


def test_verdicts_and_format() -> None:
    assert eemua_verdict(1.0) == "very likely to be acceptable"
    assert eemua_verdict(1.5) == "manageable"
    assert eemua_verdict(5) == "likely to be over-demanding"
    assert eemua_verdict(12) == "very likely to be unacceptable"
    assert peak_verdict(9) == "should be manageable" and "flood" in peak_verdict(10)
    assert fmt_duration(2 * H + 5 * M) == "2 h 05 min" and fmt_duration(75) == "1 min 15 s"


def test_html_is_self_contained_and_escaped(journal: Path, tmp_path: Path) -> None:
    conn = store.connect(journal)
    out = tmp_path / "report.html"
    write_handover(conn, out, S, E, now=E + H)
    conn.close()
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "泵有异响" in text and "Noto Sans CJK SC" in text and "@media print" in text
    assert "<link" not in text and "src=" not in text  # nothing external
    assert "room_temp[2]" in text and "12 h 00 min" in text
    assert "very likely to be acceptable" in text


def test_in_progress_shift_counts_up_to_now(journal: Path) -> None:
    conn = store.connect(journal)
    r = build_report(conn, S, E, now=S + 2 * H)
    conn.close()
    assert r.end == S + 2 * H and r.periods == 12
    rooms = {x.point: x for x in r.rooms}
    assert rooms["room_temp[2]"].below_18_s == 2 * H
    assert rooms["room_temp[1]"].cold_at_end
    assert "in progress" in render_html(r)


# ---- optional fields missing (issue 12: a NULL `console` after an import crashed the report) ---

OPTIONAL = [c for c in store.COLUMNS if c not in ("id", "time", "kind", "message")]
# Rows of every kind and role the report treats differently; every optional column NULL except
# the ones named (which a row needs to play that role at all).
ROLES: list[tuple[str, dict[str, object]]] = [
    ("alarm", {}),
    ("alarm", {"alarm": ROOM1, "state": "UNACK"}),
    ("alarm", {"alarm": ROOM1, "state": "ACK"}),
    ("alarm", {"alarm": ROOM1, "state": "RTN_UNACK"}),
    ("alarm", {"alarm": "st/comm_fail", "state": "UNACK"}),
    ("alarm", {"alarm": BAD, "state": "SHELVED"}),
    ("comm", {}),
    ("comm", {"station": "xg-002"}),
    ("operator", {}),
    ("operator", {"action": "note"}),
    ("operator", {"action": "ack", "alarm": ROOM1}),
    ("operator", {"action": "ack", "alarm": BAD}),
    ("system", {}),
    ("config", {}),
]


def _null_journal(path: Path, times: list[float]) -> None:
    conn = store.connect(path, create=True)
    rows = []
    for k, t in enumerate(times):
        kind, present = ROLES[k % len(ROLES)]
        row = dict.fromkeys(OPTIONAL) | present
        rows.append((f"{k:032x}", t, kind, f"row {k}", *(row[c] for c in OPTIONAL)))
    cols = ", ".join(f'"{c}"' for c in ("id", "time", "kind", "message", *OPTIONAL))
    conn.executemany(f"INSERT INTO events ({cols}) VALUES ({', '.join('?' * 17)})", rows)
    conn.close()


def test_report_tolerates_every_optional_field_missing(tmp_path: Path) -> None:
    """Before the shift (seeds the prior state) and during it, every role with NULL fields."""
    path = tmp_path / "nulls.sqlite"
    times = [S - H + k for k in range(len(ROLES))] + [S + k * M for k in range(3 * len(ROLES))]
    _null_journal(path, times)
    conn = store.connect(path)
    out = tmp_path / "report.html"
    r = write_handover(conn, out, S, E, now=E + H)
    conn.close()
    assert r.events == 3 * len(ROLES) and r.consoles == []
    assert r.raised and r.acks and r.notes  # the rows did play their roles
    assert "row 3" in out.read_text(encoding="utf-8")


def test_handover_command_on_null_fields(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from console.cli import main

    path = tmp_path / "nulls.sqlite"
    _null_journal(path, [S + k * M for k in range(len(ROLES))])
    out = tmp_path / "r.html"
    since, until = datetime.fromtimestamp(S).isoformat(), datetime.fromtimestamp(E).isoformat()
    argv = ["handover", "--journal", str(path), "--since", since, "--until", until, "-o", str(out)]
    assert main(argv) == 0
    assert out.is_file() and "wrote" in capsys.readouterr().out


def test_rates_count_station_level_room_episodes(tmp_path: Path) -> None:
    """A cold wave puts 50 rooms of two stations in alarm within 10 minutes: the report lists
    every room, but EEMUA 191's rates see two events, not a flood of 50."""
    ev: list[JournalEvent] = []
    for st, n in (("jx-001", 30), ("jx-002", 20)):
        ev += [al(f"{st}/room_temp[{i}]/room_low", U, S + H + i * 10, 17.5) for i in range(n)]
    # jx-001's rooms all warm and are acknowledged; later one room is cold again: a new episode.
    ev += [al(f"jx-001/room_temp[{i}]/room_low", R, S + 3 * H, 18.6) for i in range(30)]
    ev += [al(f"jx-001/room_temp[{i}]/room_low", N, S + 3 * H + 60, 18.6) for i in range(30)]
    ev.append(al("jx-001/room_temp[7]/room_low", U, S + 5 * H, 17.6))
    ev.append(al("jx-002/room_temp[25]/room_low", U, S + 5 * H, 17.6))  # jx-002 still open
    path = tmp_path / "cold.sqlite"
    conn = store.connect(path, create=True)
    store.insert_events(conn, ev)
    r = build_report(conn, S, E, now=E)
    conn.close()
    assert len(r.raised) == 52
    assert [e.alarm for e in r.rated] == [
        "jx-001/room_temp[0]/room_low", "jx-002/room_temp[0]/room_low",
        "jx-001/room_temp[7]/room_low",
    ]  # fmt: skip
    assert r.peak_10min == 2 and r.flood_buckets == 0
    assert r.top_alarms[0][:2] == ("jx-001/room_temp[*]/room_low", 2)
    assert "count once per episode" in render_html(r)


# ---- the report against the running service's own journal (issue 11) -----------------------


async def test_report_agrees_with_the_engine_on_the_services_journal(simulator, tmp_path):
    """The service polls the simulator: jx-001's rooms go cold, xg-002's pump 2 faults; the
    dispatcher acknowledges the pump fault and shelves one room alarm. The report written from
    that journal must say what the engine says at the report's end: the same cold rooms, the
    pump fault acknowledged (not "still unacknowledged"), the room alarm shelved (not UNACK)."""
    import asyncio
    import time

    from console.core.service import ConsoleService
    from tests.console.core.test_service import FAST_ROOMS, wait_for

    net = simulator.network_with_endpoints().model_copy(update={"alarms": FAST_ROOMS})
    journal = tmp_path / "journal.sqlite"
    since = time.time() - 1
    service = ConsoleService(net, journal_path=journal, user="王", batch_interval=0.1)

    def active(rule: str) -> list:  # type: ignore[type-arg]
        return [a for a in service.alarms.active() if a.rule == rule]

    await service.start()
    try:
        simulator.apply_event({"type": "valve_stuck", "station": "jx-001", "position_pct": 0})
        simulator.apply_event({"type": "pump_fault", "station": "xg-002", "pump": 2})
        i = [s.id for s in net.stations].index("jx-001")
        table = simulator.physics.tables[i]
        for _ in range(48):
            simulator.tick(300.0)
            if simulator.physics.values(i)[table.indices("room_temp")].min() < 17.0:
                break
        assert await wait_for(
            lambda: len(active("room_low")) >= 2 and active("pump2_fault"), service, 300
        )
        pump = active("pump2_fault")[0].key
        service.acknowledge([pump], comment="crew sent")
        shelved = sorted(a.key for a in active("room_low"))[0]
        service.shelve(shelved, "sensor checked", 3600.0)
        await asyncio.sleep(0.3)  # a few more scans after the actions
        end = time.time()
        engine = {a.key: a.state for a in service.alarms.active(include_hidden=True)}
        eng = service.alarms
        cold = {
            a.key.rsplit("/", 1)[0]
            for a in eng.active(include_hidden=True)
            if a.rule == "room_low" and a.condition
        }
    finally:
        await service.stop()

    conn = store.connect(journal)
    r = build_report(conn, since, end + 60, now=end)
    conn.close()
    opened = {o.alarm: o.state for o in r.still_open}
    assert engine[pump] is A and opened[pump] is A  # was UNACK: the ack is an OPERATOR record
    assert shelved not in opened  # was listed as UNACK
    report = opened | {h.alarm: h.state for h in r.hidden}
    assert engine[shelved] == AlarmState.SHELVED and report[shelved] is AlarmState.SHELVED
    assert pump not in {u.alarm for u in r.unacked if u.end is None}
    assert [(a.alarm, a.user, a.comment) for a in r.acks] == [(pump, "王", "crew sent")]
    assert report == engine
    hidden = {h.alarm: h for h in r.hidden}
    assert hidden[shelved].by == "王" and hidden[shelved].reason == "sensor checked"
    assert hidden[shelved].active and hidden[shelved].until is not None
    # The cold rooms at the end: the engine's, counted by the report and shown in its figures.
    assert {f"{x.station}/{x.point}" for x in r.rooms if x.cold_at_end} == cold
    assert r.rooms_cold_at_end == len(cold) >= 2
    html_text = render_html(r)
    assert f"Rooms still in alarm at end<b>{len(cold)}</b>" in html_text
    assert "still unacknowledged" not in html_text.split(pump, 2)[-1].split("</tr>")[0]


# ---- the report in Chinese (issue 11) --------------------------------------------------------


def visible_text(page: str) -> str:
    """What a reader sees of the HTML page: no style, no tags, entities resolved."""
    page = re.sub(r"<style>.*?</style>|<title>.*?</title>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_report_in_chinese_has_no_english_left(journal: Path) -> None:
    """Every heading, label, state, priority, verdict and duration in the dispatcher's words;
    what the journal recorded (messages, comments, names) stays as recorded."""
    from console import cli_i18n
    from tests.console.test_cli_i18n import english_left

    conn = store.connect(journal)
    rows = conn.execute("SELECT message, comment, user, console FROM events").fetchall()
    recorded = [x for row in rows for x in row if x]
    r = build_report(conn, S, E, now=E - H)  # in progress: that line too
    conn.close()
    assert cli_i18n.use("zh_CN") == "zh_CN"
    try:
        page = render_html(r, translate=cli_i18n.translate, lang=cli_i18n.current())
    finally:
        cli_i18n.use("en")
    text = visible_text(page)
    for x in sorted(set(recorded), key=len, reverse=True):
        text = text.replace(x, " ")
    assert english_left(text) == [], english_left(text)
    assert '<html lang="zh-CN">' in page and "<h1>交接班报告</h1>" in page
    assert "室温低于 18 °C" in text and "未确认" in text and "已确认" in text
    assert "11 小时 00 分" in text and "（进行中；数据截至" in text
    # 李's acknowledgement among the operator actions: the journal's action word, not "ack".
    assert re.search(r"李\s+已确认\s", visible_text(page))
    assert "很可能可以接受" in text and "紧急" in text
    # The figures are the data's, whatever the language: the English page has the same.
    english = visible_text(render_html(r))
    assert (
        re.findall(r"\d+(?:\.\d+)?", english.split("Alarm rate")[0])[-8:]
        == re.findall(r"\d+(?:\.\d+)?", text.split("对照 EEMUA 191")[0])[-8:]
    )


def test_hostile_text_reaches_the_report_inert(
    tmp_path: Path, hostile: tuple[str, ...], assert_inert
) -> None:  # type: ignore[no-untyped-def]
    """Control characters from an imported journal (an OSC title, a clear screen, a bidi
    override that makes one station read as another) were written raw into the HTML; they
    are shown as visible escapes, as on the terminal."""
    conn = store.connect(tmp_path / "j.sqlite", create=True)
    events: list[JournalEvent] = []
    for i, h in enumerate(hostile):
        key = f"jx-00{i}/room_temp[1]/room_low"
        events += [
            al(key, U, S + i * M, 17.0, console=f"laptop {h}", user=f"wang {h}"),
            JournalEvent(Kind.OPERATOR, f"note {h}\nline 2", time=S + i * M + 1, action="note",
                         user=f"li {h}", station=f"jx-00{i}"),
            JournalEvent(Kind.COMM, f"down {h}", time=S + i * M + 2, station=f"jx-00{i}"),
        ]  # fmt: skip
    store.insert_events(conn, events)
    out = tmp_path / "report.html"
    write_handover(conn, out, S, E, now=E + H, title=f"Shift {hostile[0]}")
    conn.close()
    text = out.read_text(encoding="utf-8")
    assert_inert(text)
    assert "\\x1b]0;PWNED title\\x07" in text and "jx-\\u202e100-xj\\u202c" in text
    assert "line 2" in text  # a note keeps its lines
