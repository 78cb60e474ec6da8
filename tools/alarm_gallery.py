"""Render the alarm, trend and journal widgets with a believable cold night to docs/screenshots/.

A January night in the reference city (-12 °C outside): room alarms grouped per station, a
critical make-up-flow leak at 西工, a communication failure in 老城, shelved and acknowledged
alarms, a flood; a 24-h trend of T1/T3, room temperatures and pressure with a comm-fail gap.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tools/alarm_gallery.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from console.core.events import AlarmState, Priority
from console.vocabulary.views import AlarmRow
from drivers.samples import Quality
from widgets import colors, theme
from widgets.alarm_banner import AlarmBanner
from widgets.alarm_summary import AlarmSummary
from widgets.journal_viewer import JournalViewer
from widgets.trend_plot import TrendPlot

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
NOW = 1_736_535_600.0  # 2025-01-11 03:00 (+08:00)

STATIONS = [
    ("jx-014", "涧西·景华路3号站", "涧西"),
    ("jx-027", "涧西·南昌路小区站", "涧西"),
    ("xg-008", "西工·王城大道站", "西工"),
    ("lc-003", "老城·厚载门街站", "老城"),
    ("ch-011", "瀍河·启明路站", "瀍河"),
    ("ll-042", "洛龙·开元大道站", "洛龙"),
    ("yb-005", "伊滨·滨河路站", "伊滨"),
]
NAME = {s: (n, d) for s, n, d in STATIONS}


def row(station: str, point: str, rule: str, prio: Priority, state: AlarmState, msg: str,
        ago_min: float, value: float | None = None, limit: float | None = None,
        **kw: object) -> AlarmRow:  # fmt: skip
    name, district = NAME[station]
    return AlarmRow(
        key=f"{station}/{point}/{rule}", station=station, station_name=name, district=district,
        point=point, rule=rule, priority=prio, state=state, message=msg,
        time=NOW - ago_min * 60, value=value, limit=limit, **kw,
    )  # fmt: skip


def room_group(station: str, temps: list[float], ago_min: float, state: AlarmState) -> AlarmRow:
    kids = []
    for i, t in enumerate(temps):
        prio = Priority.CRITICAL if t < 16 else Priority.MEDIUM
        limit = 16.0 if t < 16 else 18.0
        kids.append(
            row(station, f"room_temp[{3 + i * 7}]", "room_low", prio, state,
                f"Room {3 + i * 7} below {limit:.0f} °C", ago_min - i * 2.5, t, limit)
        )  # fmt: skip
    worst = min(temps)
    prio = Priority.CRITICAL if worst < 16 else Priority.MEDIUM
    return row(station, "rooms", "room_low", prio, state,
               f"{len(temps)} rooms below 18 °C, coldest {worst:.1f} °C",
               ago_min - (len(temps) - 1) * 2.5, worst, 18.0, children=tuple(kids))  # fmt: skip


def cold_night() -> list[AlarmRow]:
    U, A, R, S = AlarmState.UNACK, AlarmState.ACK, AlarmState.RTN_UNACK, AlarmState.SHELVED
    return [
        row("xg-008", "makeup_flow", "makeup_high", Priority.CRITICAL, U,
            "Make-up flow high: leak or burst on the secondary side", 3, 4.8, 1.5,
            first_out=True),
        row("xg-008", "p_secondary_supply", "p2_low", Priority.HIGH, U,
            "Secondary supply pressure low", 2, 182.0, 250.0),
        row("lc-003", "comm", "comm_fail", Priority.HIGH, U,
            "Communication failed for 6 min (no reply from controller)", 6),
        room_group("jx-014", [15.6, 16.9, 17.2, 17.5, 17.8], 41, U),
        room_group("jx-027", [17.1, 17.6, 17.9], 58, A),
        room_group("ll-042", [17.4, 17.7], 24, U),
        row("ch-011", "t3_secondary_supply", "t3_deviation", Priority.MEDIUM, A,
            "T3 secondary supply 6.2 K below setpoint for 15 min", 35, 48.8, 55.0),
        row("yb-005", "pump_1", "pump_fault", Priority.HIGH, R,
            "Circulation pump 1 fault (cleared, standby pump running)", 72),
        row("ll-042", "room_temp[88]", "sensor_fault", Priority.LOW, S,
            "Room sensor 88 fault (0x7FFF)", 300, shelved_by="王工 · sensor replaced Monday"),
        row("jx-014", "control_mode", "local_control", Priority.INFO, A,
            "Station in local control (field engineer on site)", 95),
    ]  # fmt: skip


def trend_data(w: TrendPlot) -> None:
    rng = np.random.default_rng(4)
    t = NOW - 86400 + np.arange(0, 86400, 10.0)
    hours = (t - NOW) / 3600 + 27  # local clock hour (+3 h … +27 h from the start)
    outdoor = -8 - 4 * np.clip(np.cos((hours - 15) / 24 * 2 * np.pi), -1, 1)
    t1 = 98 - 1.2 * (outdoor + 8) + rng.normal(0, 0.15, len(t))
    t3 = 52 - 0.9 * (outdoor + 8) + rng.normal(0, 0.1, len(t))
    room_a = 19.2 + 0.35 * (outdoor + 8) / 4 + np.cumsum(rng.normal(0, 0.004, len(t)))
    room_b = 18.4 + 0.9 * (outdoor + 8) / 4 + np.cumsum(rng.normal(0, 0.004, len(t)))
    p2 = 410 + rng.normal(0, 1.5, len(t))
    p2[-18:] = np.linspace(405, 182, 18)  # the leak: pressure falls over the last 3 min
    q = np.zeros(len(t), np.uint8)
    gap = (t > NOW - 5.5 * 3600) & (t < NOW - 5.0 * 3600)  # a 30-min comm failure
    q[gap] = Quality.COMM_FAIL
    for arr in (t1, t3, room_a, room_b, p2):
        arr[gap] = arr[np.argmax(gap) - 1]  # the last known value is held
    w.set_series("jx-014/t1", "jx-014 T1 primary supply", "°C", t, t1, q)
    w.set_series("jx-014/t3", "jx-014 T3 secondary supply", "°C", t, t3, q)
    w.set_series("jx-014/room_temp[3]", "jx-014 room 3", "°C", t, room_a, q)
    w.set_series("jx-014/room_temp[10]", "jx-014 room 10", "°C", t, room_b, q)
    w.set_series("xg-008/p2", "xg-008 P2 secondary supply", "kPa", t, p2)
    w.set_now(NOW)
    w.apply_preset(24 * 3600)
    w.set_cursor(NOW - 2 * 3600 - 17 * 60)


def journal_rows() -> list[dict]:
    out = []
    for r in cold_night():
        for leaf in r.children or (r,):
            out.append({
                "time": leaf.time, "kind": "alarm", "priority": leaf.priority.value,
                "state": "UNACK", "station": leaf.station, "district": leaf.district,
                "point": leaf.point, "message": leaf.message, "value": leaf.value,
                "limit": leaf.limit,
            })  # fmt: skip
    out += [
        {"time": NOW - 50 * 60, "kind": "operator", "station": "jx-027", "district": "涧西",
         "message": "Acknowledged 3 room alarms", "user": "李娜", "action": "ack",
         "comment": "Heating steward sent to 南昌路 building 4"},
        {"time": NOW - 300 * 60, "kind": "operator", "station": "ll-042", "district": "洛龙",
         "point": "room_temp[88]", "message": "Shelved until cleared", "user": "王工",
         "action": "shelve", "comment": "sensor replaced Monday"},
        {"time": NOW - 6 * 60, "kind": "comm", "station": "lc-003", "district": "老城",
         "message": "Communication failed: timeout after 3 retries", "state": "UNACK"},
        {"time": NOW - 8 * 3600 + 60, "kind": "system", "message": "Console started",
         "user": "李娜"},
    ]  # fmt: skip
    out.sort(key=lambda r: -r["time"])
    return out


def save(w: QWidget, name: str, size: tuple[int, int]) -> Path:
    w.resize(*size)
    w.show()
    QApplication.processEvents()
    QApplication.processEvents()
    path = OUT / name
    w.grab().save(str(path))
    print("wrote", path)
    return path


def main() -> int:
    os.environ.setdefault("TZ", "Asia/Shanghai")
    import time

    time.tzset()
    app = QApplication.instance() or QApplication(sys.argv)
    cjk = theme.apply_theme(app)
    if cjk is None:
        print("warning: no CJK font, Chinese names will show as boxes", file=sys.stderr)
    clock = colors.blink_clock()
    clock.stop()
    clock.set_phase(True)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = cold_night()

    summary = AlarmSummary()
    summary.set_rows(rows)
    summary.set_flood(13)
    src = summary.model.index_for_key("jx-014/rooms/room_low")
    summary.view.expand(summary.proxy.mapFromSource(src))
    sel = summary.proxy.mapFromSource(
        summary.model.index_for_key("xg-008/p_secondary_supply/p2_low")
    )
    summary.view.setCurrentIndex(sel)
    save(summary, "alarm_summary.png", (1360, 560))

    banner = AlarmBanner()
    banner.set_rows(rows)
    banner.set_sound_state(True, False)
    save(banner, "alarm_banner.png", (1360, 96))
    calm = AlarmBanner()
    calm.set_rows([])
    save(calm, "alarm_banner_calm.png", (1360, 40))

    trend = TrendPlot()
    trend_data(trend)
    save(trend, "trend_24h.png", (1360, 640))

    journal = JournalViewer(now=lambda: NOW)
    journal.set_districts(d for _, _, d in STATIONS)
    journal.set_rows(journal_rows(), has_more=True)
    save(journal, "journal_viewer.png", (1360, 460))

    # the dashboard strip as an operator sees it: banner above the summary
    both = QWidget()
    lay = QVBoxLayout(both)
    lay.setContentsMargins(0, 0, 0, 0)
    b2 = AlarmBanner()
    b2.set_rows(rows)
    b2.set_sound_state(True, True)
    s2 = AlarmSummary()
    s2.set_rows(rows)
    lay.addWidget(b2)
    lay.addWidget(s2, 1)
    save(both, "alarms_banner_and_summary.png", (1366, 600))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
