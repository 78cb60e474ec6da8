"""`heatconsole poll --config FILE [--once] [--interval S]`: poll the stations, show a live table.

On a terminal the table is redrawn in place (ANSI home + clear); into a pipe or file it is
printed as plain blocks, one per refresh. `--once` scans every station once, prints the table
and exits 0 — or 1 if every station failed. Config problems are printed, never a traceback.
SIGINT, SIGTERM and SIGHUP stop it cleanly, exit 0 (console/commands/signals.py).

The scan stream is pluggable: `run_live(..., consumers=[...])` hands every StationScan to extra
callbacks (the alarm engine and the journal plug in there) besides the table.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from console.cli_i18n import translate
from console.commands.config_report import load_or_report
from console.commands.journal_file import journal_problem
from console.commands.signals import run_until_stopped
from console.core.alarms.engine import AlarmEngine
from console.core.auth.local import local_identity
from console.core.journal.store import default_journal_path
from console.core.journal.writer import WriterState, WriterStatus
from console.core.service import ConsoleService
from console.terminal_table import Row, RowBuilder, apply_room_limits, render, summarize
from drivers.poller import DEFAULT_MAX_IN_FLIGHT, Poller, poll_once
from drivers.samples import StationScan
from station_config.schema import NetworkDef

ScanConsumer = Callable[[StationScan], None]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "poll", help=translate("poll", "poll the stations of a network and show a live table")
    )
    p.add_argument(
        "--config", required=True, metavar="FILE", help=translate("poll", "network YAML file")
    )
    p.add_argument(
        "--once",
        action="store_true",
        help=translate("poll", "scan every station once, print, exit"),
    )
    p.add_argument(
        "--interval",
        type=float,
        default=1.0,
        metavar="S",
        help=translate(
            "poll",
            "seconds between table refreshes (scan periods come from the config's scan groups)",
        ),
    )
    p.add_argument(
        "--station",
        action="append",
        metavar="ID",
        help=translate("poll", "poll only this station (repeatable)"),
    )
    p.add_argument(
        "--journal",
        metavar="FILE",
        help=translate(
            "poll",
            "journal file for alarms and events (default: $HEATCONSOLE_JOURNAL or "
            "~/.local/share/heatconsole/journal.sqlite)",
        ),
    )
    p.add_argument(
        "--no-journal",
        action="store_true",
        help=translate("poll", "run the alarm engine but write no journal"),
    )
    p.add_argument(
        "--user", metavar="NAME", help=translate("poll", "operator name recorded in the journal")
    )
    p.add_argument(
        "--max-in-flight",
        type=int,
        default=DEFAULT_MAX_IN_FLIGHT,
        metavar="N",
        help=translate("poll", "requests in flight over all stations (default {n})").format(
            n=DEFAULT_MAX_IN_FLIGHT
        ),
    )
    p.set_defaults(func=run)


def table_header() -> Row:
    """The live table's column titles in the current language."""
    return Row(
        translate("poll", "station"), translate("poll", "name"), "",
        translate("poll", "comm/quality"), translate("poll", "outdoor"), "T1",
        translate("poll", "T3/set"),
        translate("poll", "room min/mean"), translate("poll", "cold"),
        translate("poll", "alarms"), translate("poll", "last error"),
    )  # fmt: skip


class TableView:
    """Latest scan per station -> table lines."""

    def __init__(self, poller: Poller):
        self.poller = poller
        self.builders = {s.id: RowBuilder(s, poller.tables[s.id]) for s in poller.station_defs}
        self.latest: dict[str, StationScan] = {}

    def on_scan(self, scan: StationScan) -> None:
        self.latest[scan.station_id] = scan

    def lines(self, *, scan_time: float | None, note: str = "", width: int | None = None):
        stats = self.poller.stats()
        rows = []
        for sid, b in self.builders.items():
            st = stats.get(sid)
            last = ""
            if st is not None and st.last_error:
                last = time.strftime("%H:%M:%S ", time.localtime(st.last_error_time))
                last += st.last_error
            rows.append(b.row(self.latest.get(sid), last))
        summary, counts = summarize((r.status for r in rows), scan_time, note, translate)
        return render(rows, summary, width, table_header()), counts


def _terminal_width(out: TextIO) -> int | None:
    return shutil.get_terminal_size().columns if out.isatty() else None


async def run_once(
    net: NetworkDef,
    out: TextIO,
    *,
    stations: list[str] | None = None,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    consumers: Sequence[ScanConsumer] = (),
) -> int:
    t0 = time.perf_counter()
    scans = await poll_once(net, max_in_flight=max_in_flight, stations=stations)
    elapsed = time.perf_counter() - t0
    poller = Poller(net, stations=stations)  # tables only; no connection is made
    view = TableView(poller)
    for s in scans:
        view.on_scan(s)
        for c in consumers:
            c(s)
    engine = AlarmEngine(net)  # the room limits the alarms would apply to these scans
    engine.evaluate_batch(scans)
    apply_room_limits(view.builders, engine)
    lines, counts = view.lines(scan_time=elapsed, width=_terminal_width(out))
    out.write("\n".join(lines) + "\n")
    out.flush()
    return 1 if scans and counts["FAILED"] == len(scans) else 0


async def run_live(
    net: NetworkDef,
    out: TextIO,
    *,
    interval: float = 1.0,
    stations: list[str] | None = None,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    consumers: Sequence[ScanConsumer] = (),
    refreshes: int | None = None,
    journal: Path | None = None,
    user: str | None = None,
    config_file: str | None = None,
) -> int:
    """Poll until cancelled (Ctrl-C) or `refreshes` table refreshes were drawn.

    The polling runs inside the console service, so alarms are evaluated and (unless
    `journal` is None) every alarm transition and comm change is journalled, as in the GUI.
    """
    tty = out.isatty()
    view: TableView | None = None
    durations: dict[str, float] = {}

    def on_scan(scan: StationScan) -> None:
        durations[scan.station_id] = scan.duration
        if view is not None:
            view.on_scan(scan)
        for c in consumers:
            c(scan)

    poller = Poller(net, on_scan=on_scan, max_in_flight=max_in_flight, stations=stations)
    view = TableView(poller)
    service = ConsoleService(
        net, journal_path=journal, user=user, config_file=config_file, poller=poller
    )
    n = 0
    try:
        await service.start()  # inside: a stop signal during start still closes the journal
        while refreshes is None or n < refreshes:
            await asyncio.sleep(interval)
            n += 1
            slowest = max(durations.values()) if durations else None
            note = time.strftime("%H:%M:%S") + "  " + alarm_note(service)
            note += "  (Ctrl-C to stop)" if tty else ""
            apply_room_limits(view.builders, service.alarms)
            lines, _ = view.lines(scan_time=slowest, note=note, width=_terminal_width(out))
            if tty:
                # Home, then each line clears its own tail; clear whatever is left below.
                out.write("\x1b[H" + "".join(ln + "\x1b[K\n" for ln in lines) + "\x1b[J")
            else:
                out.write("\n".join(lines) + "\n\n")
            out.flush()
    finally:
        await service.stop()
    return 0


def alarm_note(service: ConsoleService) -> str:
    """One line: alarms and journal state, for the table's summary."""
    summary = service.alarms.summary()
    text = translate("poll", "alarms: {active} active, {unacked} unacked")
    text = text.format(active=summary.total, unacked=summary.unacked)
    if service.alarms.flood.active:
        text += " — " + translate("poll", "ALARM FLOOD")
    if service.journal is not None:
        text += f"  |  {journal_note(service.journal.status())}"
    return text


def journal_note(st: WriterStatus) -> str:
    """The journal writer's state in the current language (WriterStatus.describe's words)."""
    if st.state is WriterState.CLOSED:
        return translate("poll", "journal: closed ({n} not written)").format(n=st.pending)
    if st.state is WriterState.WRITING:
        text = translate("poll", "journal: writing ({n} committed)").format(n=st.committed)
        if st.reserve_missing:
            note = st.reserve_note or translate("poll", "not held")
            text += " — " + translate("poll", "DISK RESERVE {note}").format(note=note)
        return text
    states = {
        WriterState.BUFFERING: translate("poll", "buffering"),
        WriterState.FAILED: translate("poll", "failed"),
        WriterState.PAUSED: translate("poll", "paused"),
    }
    text = translate("poll", "journal: {state} {n} events in memory — {reason}").format(
        state=states.get(st.state, str(st.state)), n=st.pending, reason=st.reason
    )
    if st.dropped:
        text += "; " + translate("poll", "{n} dropped").format(n=st.dropped)
    return text


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    net = load_or_report(args.config, err)
    if net is None:
        return 2
    known = {s.id for s in net.stations}
    unknown = [s for s in args.station or [] if s not in known]
    if unknown:
        msg = translate("poll", "unknown station(s): {ids}").format(ids=", ".join(unknown))
        print(f"heatconsole poll: {msg}", file=err)
        return 2
    if args.interval <= 0:
        print("heatconsole poll: " + translate("poll", "--interval must be positive"), file=err)
        return 2
    if args.max_in_flight < 1:
        msg = translate("poll", "--max-in-flight must be at least 1")
        print(f"heatconsole poll: {msg}", file=err)
        return 2
    if not net.stations:
        print(f"{args.config}: " + translate("poll", "no stations to poll"), file=out)
        return 0
    journal = None if args.no_journal else Path(args.journal or default_journal_path())
    if args.once:
        main = run_once(net, out, stations=args.station, max_in_flight=args.max_in_flight)
    else:
        # Refused before anything polls: a journal that could never be written (or a file
        # that is not one) is not a state to run in. The file is left as it was.
        problem = None if journal is None else journal_problem(journal.expanduser())
        if problem is not None:
            print(f"heatconsole poll: {problem}", file=err)
            return 2
        if out.isatty():
            out.write("\x1b[2J")  # start from a clean screen; later frames redraw in place
        main = run_live(
            net,
            out,
            interval=args.interval,
            stations=args.station,
            max_in_flight=args.max_in_flight,
            journal=None if journal is None else journal.expanduser(),
            user=local_identity(args.user),
            config_file=args.config,
        )
    # SIGINT, SIGTERM or SIGHUP cancel the poll; run_live's `finally` stops the service
    # ("console stopped" journalled, journal closed). See console/commands/signals.py.
    rc, received = run_until_stopped(main, announce="heatconsole poll")
    if received is not None:
        print("", file=out)
        return 0
    return int(rc or 0)
