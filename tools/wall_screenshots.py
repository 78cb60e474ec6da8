"""Screenshots of the wall display at 1920×1080, English and Chinese, on a real run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/wall_screenshots.py demo
    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/wall_screenshots.py city   # 757, cold wave

The simulator runs in its own process (the demo city with its incidents, or the generated
757-station city in a cold wave, both fast), the wall on a single seat's service, offscreen;
once alarms are on the wall it writes docs/screenshots/wall-<name>[-<district>].<lang>.png of the
whole city and of the coldest district.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = {  # name: (stations or None = the demo city, scenario, speed, alarms to wait for)
    "demo": (None, "incidents", 120.0, 4),
    "city": (757, "cold_wave", 300.0, 40),
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("run", choices=sorted(RUNS))
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--timeout", type=float, default=240.0)
    args = ap.parse_args()
    n, scenario, speed, want = RUNS[args.run]

    from console.app import i18n
    from console.app.launch import ConsoleSession, make_app
    from console.app.wall_window import wall_factory
    from console.commands.demo import DEMO_CONFIG, on_simulator_clock, scenario_path
    from drivers.simulator.process import SimulatorProcess
    from station_config.generator import generate_network
    from station_config.loader import load_network
    from widgets import colors

    tmp = Path(tempfile.mkdtemp(prefix="heatconsole-wall-"))
    config = DEMO_CONFIG
    if n is not None:
        config = tmp / "city.yaml"
        config.write_text(generate_network(n, seed=1), encoding="utf-8")
    app = make_app(language="en")
    net = load_network(config)
    sim = SimulatorProcess(config, speed=speed, scenario=scenario_path(scenario))
    sim.start()
    session = ConsoleSession(
        on_simulator_clock(sim.network_with_endpoints(net), speed, time.time()),
        journal_path=tmp / "journal.sqlite",
        user="wall",
        title="heatconsole",
        window_factory=wall_factory(cycle_s=0, full_screen=False),
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        win = session.start()
        win.resize(1920, 1080)
        win.show()

        def wait(cond, timeout: float) -> bool:  # type: ignore[no-untyped-def]
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                app.processEvents()
                if cond():
                    return True
                time.sleep(0.05)
            return cond()

        def ready() -> bool:
            s = win._snap
            if s is None or not s.status.complete:
                return False
            rooms = any(r.rule.startswith("room") for r in s.alarms)
            return len(s.alarms) >= want and rooms

        if not wait(ready, args.timeout):
            print("no complete scan with room alarms in time; writing what there is")
        clock = colors.blink_clock()
        clock.stop()
        clock.set_phase(True)  # the "on" phase: a still picture of a flashing symbol
        snap = win._snap
        districts = [d for d in snap.figures.districts if d.rooms] if snap else []
        coldest = max(districts, key=lambda d: d.share).district if districts else None
        for lang in ("en", "zh_CN"):
            i18n.install(lang, app)
            suffix = "" if lang == "en" else ".zh_CN"
            for view in (None, coldest):
                win.display.show_view(win.display.views().index(view))
                wait(lambda: False, 0.6)
                name = f"wall-{args.run}" + (f"-{view}" if view else "")
                path = out / f"{name}{suffix}.png"
                win.grab().save(str(path))
                print(path)
        return 0
    finally:
        session.stop()
        sim.stop()


if __name__ == "__main__":
    sys.exit(main())
