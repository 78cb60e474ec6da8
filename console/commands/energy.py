"""`heatconsole energy --config FILE`: heat metering per district and station, worst first.

Energy today / this month / this season (and since --since) from the meters' counters in the
history file beside the journal, per m² of heated area and per heating degree-day (base 18 °C).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

from console.cli import UserError
from console.cli_i18n import translate
from console.commands.config_report import load_or_report
from console.commands.log import add_journal_arg, journal_path
from console.core.atomic_file import write_text_atomically
from console.core.energy.export import fmt_event_time, write_csv
from console.core.energy.metering import SEASON_START, MeteringReport, from_history
from console.core.history.store import HistoryError, default_history_path
from console.core.journal.query import parse_time
from console.terminal_table import cell_width, fit
from console.text_safety import terminal_safe


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "energy",
        help=translate(
            "energy", "heat metering: GJ per station and district, per m² and degree-day (CSV)"
        ),
        description=translate(
            "energy",
            "Heat energy today / this month / this season from the stations' energy "
            "counters (rollover and meter replacement handled), per m² of heated area and per "
            "heating degree-day (base 18 °C), worst first.",
        ),
    )
    p.add_argument(
        "--config", required=True, metavar="FILE", help=translate("energy", "network YAML file")
    )
    add_journal_arg(p)
    p.add_argument(
        "--history",
        metavar="FILE",
        help=translate("energy", "history file (default: beside the journal)"),
    )
    p.add_argument(
        "--since",
        help=translate("energy", "one more period from this time (08:00, 2026-01-05, 2h)"),
    )
    p.add_argument("--until", help=translate("energy", "end of that period (default: now)"))
    p.add_argument("--season-start", metavar="MM-DD",
                   help=translate("energy", "first day of the heating season (default: the "
                                  "configured heating season, else {date})").format(
                       date="{:02d}-{:02d}".format(*SEASON_START)))  # fmt: skip
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.add_argument(
        "-o", "--output", help=translate("energy", "write to this file instead of standard output")
    )
    p.set_defaults(func=run)


def _season(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    try:
        m, d = (int(x) for x in text.split("-"))
        time.strptime(f"2000-{m:02d}-{d:02d}", "%Y-%m-%d")
    except ValueError:
        msg = translate("energy", "give MM-DD, e.g. 11-15")
        raise UserError(f"--season-start {text!r}: {msg}") from None
    return m, d


def run(args: argparse.Namespace) -> int:
    now = time.time()
    net = load_or_report(args.config)
    if net is None:
        return 2
    history = Path(args.history) if args.history else default_history_path(journal_path(args))
    if not history.exists():
        msg = translate("energy", "no history file at {file} (give --history or --journal)")
        raise UserError(msg.format(file=history))
    if args.until and not args.since:
        raise UserError(translate("energy", "--until needs --since (the period it ends)"))
    extra = None
    try:
        if args.since:
            until = parse_time(args.until, now=now, end=True) if args.until else now
            extra = (parse_time(args.since, now=now), until)
    except ValueError as e:
        raise UserError(f"--since/--until: {e}") from None
    try:
        report = from_history(
            net, history, now=now, season_start=_season(args.season_start), extra=extra
        )
    except HistoryError as e:
        raise UserError(str(e)) from None
    except sqlite3.DatabaseError as e:
        msg = translate("energy", "cannot read history {file}: {error}")
        raise UserError(msg.format(file=history, error=e)) from None
    emit = write_csv if args.format == "csv" else _print
    if not args.output:
        emit(report, sys.stdout)
        return 0
    out = Path(args.output)
    try:
        write_text_atomically(out, lambda fh: emit(report, fh))
    except OSError as e:
        msg = translate("cli", "cannot write {file}: {error}")
        raise UserError(msg.format(file=out, error=e)) from None
    msg = translate("energy", "wrote {file}: {stations} stations, {districts} districts")
    print(msg.format(file=out, stations=len(report.stations), districts=len(report.districts)))
    return 0


def meter_event(kind: str) -> str:
    """A meter event's kind (console.core.energy.counters) in the current language."""
    words = {
        "rollover": translate("energy", "rollover"),
        "replacement": translate("energy", "replacement"),
        "step_back": translate("energy", "step back"),
        "jump": translate("energy", "jump"),
    }
    return words.get(kind, kind)


def _n(v: float | None, digits: int) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


def print_table(head: list[str], rows: list[list[str]], out) -> None:  # type: ignore[no-untyped-def]
    rows = [[terminal_safe(c) for c in r] for r in rows]  # names come from the config file
    widths = [max(cell_width(x) for x in col) for col in zip(head, *rows, strict=False)]
    for r in [head, *rows]:
        print("  ".join(fit(c, w) for c, w in zip(r, widths, strict=True)).rstrip(), file=out)


def _print(r: MeteringReport, out) -> None:  # type: ignore[no-untyped-def]
    """The districts, then the stations (with their district's name), worst first; with
    --since a column for that period, the figure the CSV has as period_energy_gj."""
    extra = "period" in r.periods
    head = ["#", "id", translate("energy", "name"), translate("energy", "today GJ"),
            translate("energy", "month GJ"), translate("energy", "season GJ"), "GJ/m²",
            "MJ/m²·Kd"]  # fmt: skip
    if extra:
        head.append(translate("energy", "period GJ"))
        a, b = r.periods["period"]
        msg = translate("energy", "period: {start} – {end}")
        print(msg.format(start=fmt_event_time(a, r.tz), end=fmt_event_time(b, r.tz)), file=out)

    def row(rank, ident, name, figs, *district: str) -> list[str]:  # type: ignore[no-untyped-def]
        s = figs["season"]
        cells = [str(rank), ident, name, *district, _n(figs["today"].energy_gj, 1),
                 _n(figs["month"].energy_gj, 1), _n(s.energy_gj, 1), _n(s.gj_per_m2, 4),
                 _n(s.mj_per_m2_dd, 3)]  # fmt: skip
        return [*cells, _n(figs["period"].energy_gj, 1)] if extra else cells

    print_table(head, [row(d.rank, d.district, d.name, d.figures) for d in r.districts], out)
    print(file=out)
    head.insert(3, translate("energy", "district"))
    rows = [row(s.rank, s.station, s.name, s.figures, s.district_label) for s in r.stations]
    print_table(head, rows, out)
    for sid, e in r.events:
        msg = translate("energy", "meter {kind} at {time}: {before} -> {after} GJ "
                        "({counted} GJ counted)")  # fmt: skip
        print(f"{sid}: " + msg.format(kind=meter_event(e.kind), time=fmt_event_time(e.time, r.tz),
              before=f"{e.before:.2f}", after=f"{e.after:.2f}", counted=f"{e.counted:.2f}"),
              file=out)  # fmt: skip
