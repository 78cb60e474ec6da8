"""Render every overview/station widget with believable synthetic data to docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/widget_gallery.py [--out DIR] [--lang zh_CN]

With --lang zh_CN the widgets are rendered in Simplified Chinese and the files are named
`<name>.zh_CN.png` beside the English ones.

Uses station_config/demo.yaml for the schematic when it exists, else the synthetic city.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget  # noqa: E402

from console.app import i18n  # noqa: E402
from console.core.energy import build_metering  # noqa: E402
from console.core.events import AlarmState, Kind, Priority  # noqa: E402
from console.vocabulary.views import AlarmRow, PointView  # noqa: E402
from drivers.samples import Quality  # noqa: E402
from widgets import colors  # noqa: E402
from widgets import sample_data as sd  # noqa: E402
from widgets.alarm_banner import AlarmBanner  # noqa: E402
from widgets.alarm_summary import AlarmSummary, ShelveDialog  # noqa: E402
from widgets.analog_indicator import AnalogIndicator  # noqa: E402
from widgets.heating_curve import CurveView, HeatingCurve  # noqa: E402
from widgets.journal_viewer import JournalViewer  # noqa: E402
from widgets.key_figures import KeyFiguresStrip  # noqa: E402
from widgets.metering_view import MeteringView  # noqa: E402
from widgets.network_schematic import NetworkSchematic  # noqa: E402
from widgets.room_grid import RoomGrid  # noqa: E402
from widgets.setpoint_dialog import SetpointDialog  # noqa: E402
from widgets.station_view import StationView  # noqa: E402
from widgets.theme import apply_theme  # noqa: E402
from widgets.trend_plot import TrendPlot  # noqa: E402
from widgets.words import point_label, quality_text, room_label, rule_text  # noqa: E402


def load_network():  # type: ignore[no-untyped-def]
    demo = ROOT / "station_config" / "demo.yaml"
    if demo.exists():
        try:
            from station_config.loader import load_network as ln

            net = ln(demo)
            if len(net.stations) >= 50:
                return net, "demo.yaml"
        except Exception as e:  # the demo config is written in parallel; fall back
            print(f"demo.yaml not usable ({e}); using the synthetic city", file=sys.stderr)
    return sd.city_network(), "synthetic"


def settle(app: QApplication, w: QWidget) -> None:
    w.show()
    for _ in range(3):
        app.processEvents()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.ENGLISH)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    cjk = apply_theme(app)
    print("CJK font:", cjk)
    lang = i18n.install(args.lang, app)
    suffix = "" if lang == i18n.ENGLISH else f".{lang}"
    colors.blink_clock().stop()
    colors.blink_clock().set_phase(True)  # screenshots show the steady phase

    net, source = load_network()
    states = sd.city_states(net)
    cold_id = next(s.id for s in states.values() if s.rooms_below_16)
    written: list[str] = []

    def save(w: QWidget, name: str) -> None:
        path = out / name.replace(".png", f"{suffix}.png")
        w.grab().save(str(path))
        written.append(str(path))

    # overview: key figures above the schematic, at 1366 wide
    page = QWidget()
    lay = QVBoxLayout(page)
    lay.setContentsMargins(6, 6, 6, 6)
    strip = KeyFiguresStrip()
    strip.set_figures(sd.key_figures(states))
    lay.addWidget(strip)
    schem = NetworkSchematic(net)
    schem.update_states(states)
    lay.addWidget(schem, 1)
    page.resize(1366, 700)
    settle(app, page)
    schem.fit_to_window()
    app.processEvents()
    save(page, "overview.png")

    schem.select_station(cold_id)
    schem.center_on_station(cold_id, px_per_km=170.0)
    app.processEvents()
    save(schem, "schematic_zoomed.png")
    schem.center_on_station(cold_id, px_per_km=60.0)
    app.processEvents()
    save(schem, "schematic_mid_zoom.png")

    strip2 = KeyFiguresStrip()
    strip2.set_figures(sd.key_figures(states))
    strip2.resize(1366, 66)
    settle(app, strip2)
    save(strip2, "key_figures.png")

    # the full 757-station synthetic city, to judge density
    city = sd.city_network()
    big = NetworkSchematic(city)
    big.update_states(sd.city_states(city))
    big.resize(1366, 700)
    settle(app, big)
    big.fit_to_window()
    app.processEvents()
    save(big, "overview_757.png")

    # station view of the cold station, and of a normal one in local control
    import dataclasses

    cold_rooms = sd.station_rooms(120, cold=True)
    good = [r.temp for r in cold_rooms if r.temp is not None]
    st = dataclasses.replace(
        states[cold_id],
        rooms_total=len(cold_rooms),
        rooms_below_18=sum(t < 18 for t in good),
        rooms_below_16=sum(t < 16 for t in good),
    )
    view = StationView()
    view.set_station(st, sd.station_points(cold=True))
    view.set_rooms(cold_rooms)
    view.resize(1366, 640)
    settle(app, view)
    save(view, "station_view_cold.png")
    normal = next(s for s in states.values() if s.local_control)
    view2 = StationView()
    view2.set_station(normal, sd.station_points(cold=False, local=True))
    view2.set_rooms(sd.station_rooms(200, cold=False))
    view2.resize(1366, 640)
    settle(app, view2)
    save(view2, "station_view_local.png")

    grid = RoomGrid()
    grid.set_rooms(sd.station_rooms(60, cold=True))
    grid.resize(520, 250)
    settle(app, grid)
    save(grid, "room_grid.png")

    panel = QWidget()
    pl = QVBoxLayout(panel)
    pts = sd.station_points(cold=True)
    examples = [
        PointView("t3_secondary_supply", "T3 supply (good, in band)", 55.3, "°C", Quality.GOOD,
                  normal_low=50, normal_high=60, setpoint=55, scale_min=35, scale_max=75),
        PointView("t3_secondary_supply", "T3 supply (below band, high alarm)", 41.2, "°C",
                  Quality.GOOD, normal_low=50, normal_high=60, setpoint=55, scale_min=35,
                  scale_max=75, alarm=None, alarm_low=45),
        PointView("room_temp_min", "Room min (critical)", 14.6, "°C", Quality.GOOD,
                  normal_low=18, normal_high=24, alarm_low=16, scale_min=10, scale_max=28,
                  alarm=colors.room_priority(14.6)),
        PointView("p3_secondary_supply", "p3 (stale)", 402, "kPa", Quality.STALE,
                  normal_low=300, normal_high=550, alarm_low=250, alarm_high=600, scale_min=0,
                  scale_max=750),
        PointView("t4_secondary_return", "T4 return (sensor fault)", None, "°C",
                  Quality.SENSOR_FAULT, normal_low=35, normal_high=50),
        PointView("makeup_flow", "Make-up flow (comm failed)", 0.35, "m³/h",
                  Quality.COMM_FAIL, normal_high=1.0, alarm_high=2.0, scale_min=0, scale_max=3),
    ]  # fmt: skip
    del pts
    for pv in examples:
        # The point's name in the interface language and the quality it shows.
        label = f"{point_label(pv.name)} · {quality_text(pv.quality)}"
        ind = AnalogIndicator(dataclasses.replace(pv, label=label))
        pl.addWidget(ind)
    panel.resize(380, 6 * 46 + 20)
    settle(app, panel)
    save(panel, "analog_indicators.png")

    sp = sd.station_points()["room_setpoint"]
    dlg = SetpointDialog(sp, station_name=st.name)
    dlg.set_text("26")
    settle(app, dlg)
    save(dlg, "setpoint_dialog_range.png")
    dlg.set_text("20.5")
    app.processEvents()
    save(dlg, "setpoint_dialog_ok.png")
    dlg.close()
    dlg2 = SetpointDialog(sp, station_name=normal.name, local_control=True)
    settle(app, dlg2)
    save(dlg2, "setpoint_dialog_local.png")
    dlg2.close()

    rows = alarm_rows(states, cold_id)
    banner = AlarmBanner()
    banner.set_rows(rows)
    banner.set_sound_state(True, True)
    banner.resize(1366, 76)
    settle(app, banner)
    save(banner, "alarm_banner_rows.png")

    summary = AlarmSummary()
    summary.set_rows(rows)
    summary.set_flood(12)
    summary.resize(1366, 420)
    settle(app, summary)
    summary.view.expandAll()
    app.processEvents()
    save(summary, "alarm_summary_rows.png")

    shelve = ShelveDialog(3)
    settle(app, shelve)
    save(shelve, "shelve_dialog.png")
    shelve.close()

    trend = TrendPlot()
    t1 = 1.7e9
    t = t1 - 3600 + np.arange(0, 3600, 5.0)
    name = next(iter(states.values())).name
    for point, unit, y in (
        ("t3_secondary_supply", "°C", 52 + 3 * np.sin(t / 600)),
        ("room_temp_min", "°C", 17.5 + np.sin(t / 900)),
        ("p3_secondary_supply", "kPa", 400 + 20 * np.cos(t / 700)),
    ):
        trend.set_series(f"x/{point}", f"{name} {point_label(point)}", unit, t, y)
    trend.set_follow(False)  # the samples are from the past: show them, not the wall clock
    trend.set_time_range(t[0], t[-1])
    trend.set_cursor(t1 - 900)
    trend.cursor_button.setChecked(True)
    trend.resize(1366, 560)
    settle(app, trend)
    save(trend, "trend_cursor.png")

    journal = JournalViewer(now=lambda: t1)
    base = {"station": cold_id, "district": "", "point": "room_temp[3]", "value": 15.2,
            "limit": 16.0, "user": "", "action": "", "comment": ""}  # fmt: skip
    journal.set_rows(
        [
            {
                **base,
                "time": t1 - 600,
                "kind": Kind.ALARM.value,
                "priority": "critical",
                "state": AlarmState.UNACK.value,
                "message": rule_text("room_critical"),
            },
            {
                **base,
                "time": t1 - 300,
                "kind": Kind.OPERATOR.value,
                "priority": None,
                "state": AlarmState.ACK.value,
                "user": "dispatcher",
                "message": "ack",
            },
        ],
        has_more=True,
    )
    journal.resize(1366, 300)
    settle(app, journal)
    save(journal, "journal_rows.png")

    # heat metering (issue 13): the season's ranking, worst first; the heating curve
    metering = MeteringView()
    metering.set_report(metering_report(net))
    metering.set_scope(districts=False)
    metering.resize(1366, 420)
    settle(app, metering)
    save(metering, "metering_view.png")
    curve = HeatingCurve()
    curve.set_curve(
        CurveView(
            station=f"{cold_id} {net.station(cold_id).name}",
            points=(75.0, 68.0, 60.0, 52.0, 45.0, 38.0),
            shift=2.0, outdoor=-3.4, setpoint=66.9, actual=63.8, t3_min=35.0, t3_max=90.0,
        )
    )  # fmt: skip
    curve.resize(640, 440)
    settle(app, curve)
    save(curve, "heating_curve.png")

    print(f"network: {source}, {len(net.stations)} stations")
    for p in written:
        print("wrote", p)
    return 0


def metering_report(net):  # type: ignore[no-untyped-def]
    """A believable season: heat ∝ heated area × a per-station efficiency, a cold spell, and
    one meter replaced and one counter rolled over, so those columns show."""
    import time as _time

    now = _time.mktime((2026, 12, 7, 14, 0, 0, 0, 0, -1))
    t = np.arange(now - 30 * 86400, now + 1, 3600.0)
    q = np.zeros(len(t), np.uint8)
    outdoor = -3.0 - 6.0 * np.exp(-(((t - now + 5 * 86400) / 86400 / 2.0) ** 2))
    rng = np.random.default_rng(7)
    eff = {s.id: rng.lognormal(0.0, 0.18) for s in net.stations}
    ids = [s.id for s in net.stations]
    swapped, wrapped = ids[3], ids[5]
    modulus = 2**32 * 0.01

    def series(sid: str, point: str, a: float, b: float):  # type: ignore[no-untyped-def]
        if point == "outdoor_temp":
            return t, outdoor, q
        area = net.station(sid).area_m2 or 50_000
        rate = area * 5e-6 * eff[sid] * np.maximum(18.0 - outdoor, 0)  # GJ per hour
        v = 3000.0 + np.concatenate([[0.0], np.cumsum(rate[1:])])
        if sid == swapped:
            v = np.where(t < now - 9 * 86400, v, v - v[len(t) - 9 * 24 - 1] + 0.2)
        if sid == wrapped:
            v = (v + modulus - 3100.0) % modulus
        return t, np.round(v, 2), q

    return build_metering(net, series, now=now)


def alarm_rows(states: dict, cold_id: str) -> list[AlarmRow]:  # type: ignore[type-arg]
    """A believable alarm list: the cold station's rooms as a group, a leak, a comm failure."""
    st = states[cold_id]
    others = [s for s in states.values() if s.id != cold_id][:3]

    def row(s, key, rule, priority, state, t, **kw) -> AlarmRow:  # type: ignore[no-untyped-def]
        text = rule_text(rule)
        return AlarmRow(key=key, station=s.id, station_name=s.name, district=s.district,
                        point=key.split("/")[1], rule=rule, priority=priority, state=state,
                        message=text[0].upper() + text[1:], time=t, **kw)  # fmt: skip

    t = 1.7e9
    rooms = tuple(
        row(st, f"{cold_id}/room_temp[{i}]/room_critical", "room_critical", Priority.CRITICAL,
            AlarmState.UNACK, t - 60 * i, value=15.0 + i / 10, limit=16.0)
        for i in range(4)
    )  # fmt: skip
    rooms = tuple(
        AlarmRow(**{**r.__dict__, "message": f"{room_label(i)}: {r.message}"})
        for i, r in enumerate(rooms)
    )
    return [
        row(st, f"{cold_id}/rooms/room_critical", "room_critical", Priority.CRITICAL,
            AlarmState.UNACK, t, children=rooms),
        row(others[0], f"{others[0].id}/makeup_flow/makeup_high", "makeup_high", Priority.HIGH,
            AlarmState.UNACK, t - 120, value=2.4, limit=2.0, first_out=True),
        row(others[1], f"{others[1].id}/comm/comm_fail", "comm_fail", Priority.HIGH,
            AlarmState.ACK, t - 400),
        row(others[2], f"{others[2].id}/pump2/pump2_fault", "pump2_fault", Priority.MEDIUM,
            AlarmState.SHELVED, t - 900, shelved_by="dispatcher"),
    ]  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
