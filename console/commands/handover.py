"""`heatconsole handover`: write the shift report (self-contained HTML) from the local journal
or the control room's shared journal (--db postgresql://…), in the CLI's language; with
`--config` the heat-metering figures (today's and the season's GJ) from the history file."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from datetime import datetime
from pathlib import Path

from console import cli_i18n
from console.cli import UserError
from console.cli_i18n import translate
from console.commands.config_report import load_or_report
from console.commands.log import (
    add_journal_arg,
    add_time_args,
    journal_path,
    open_source,
    time_range,
)
from console.core.energy import MeteringReport, try_from_history
from console.core.history.store import default_history_path
from console.core.journal.handover import eemua_verdict, write_handover
from console.core.journal.source import JournalReadError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "handover",
        help=translate("handover", "write the shift handover report (HTML)"),
        description=translate(
            "handover",
            "Shift report: alarms, acknowledgements, cold rooms, comm outages, notes, "
            "EEMUA 191 alarm rates, and with --config the heat metering. Default: the "
            "current shift.",
        ),
    )
    add_journal_arg(p)
    add_time_args(p)
    p.add_argument(
        "-o",
        "--output",
        help=translate("handover", "HTML file (default: handover-YYYYmmdd-HHMM.html)"),
    )
    p.add_argument("--title", help=translate("handover", "report title (default: Shift handover)"))
    p.add_argument(
        "--config",
        metavar="FILE",
        help=translate(
            "handover", "network YAML file: adds the heat metering (today's and the season's GJ)"
        ),
    )
    p.add_argument(
        "--history",
        metavar="FILE",
        help=translate("handover", "history file for the metering (default: beside the journal)"),
    )
    p.set_defaults(func=run)


def metering(args: argparse.Namespace, now: float) -> MeteringReport | None:
    """The metering figures for the report, when --config names the network; a missing or
    unreadable history is said on stderr and the report goes without its section."""
    if not args.config:
        if args.history:
            raise UserError(translate("handover", "--history needs --config (the network)"))
        return None
    net = load_or_report(args.config)
    if net is None:
        raise UserError(translate("handover", "the network file has problems (above)"))
    history = Path(args.history) if args.history else default_history_path(journal_path(args))
    report = try_from_history(net, history, now=now)
    if report is None:
        msg = translate("handover", "no readable history at {file}: the report has no metering")
        print(f"heatconsole handover: {msg.format(file=history)}", file=sys.stderr)
    return report


def run(args: argparse.Namespace) -> int:
    now = time.time()
    if not (args.since or args.until or args.shift):
        args.shift = "current"
    since, until = time_range(args, now)
    if since is None:
        raise UserError(translate("handover", "give --since (or --shift)"))
    until = now if until is None else until
    out = Path(
        args.output or f"handover-{datetime.fromtimestamp(since).strftime('%Y%m%d-%H%M')}.html"
    )
    energy = metering(args, now)
    conn = open_source(args)
    try:
        r = write_handover(
            conn, out, since, until, now=now, title=args.title, energy=energy,
            translate=translate, lang=cli_i18n.current(),
        )  # fmt: skip
    except sqlite3.DatabaseError as e:
        msg = translate("handover", "cannot read journal: {error}")
        raise UserError(msg.format(error=e)) from None
    except JournalReadError as e:
        raise UserError(str(e)) from None
    except OSError as e:
        msg = translate("cli", "cannot write {file}: {error}")
        raise UserError(msg.format(file=out, error=e)) from None
    finally:
        conn.close()
    msg = translate(
        "handover",
        "wrote {file}: {raised} alarms raised, {acked} acknowledged, {open} open, "
        "{shelved} shelved, {cold} rooms below 18 °C at the end, {rate} alarms/10 min "
        "({verdict})",
    )
    print(
        msg.format(
            file=out,
            raised=len(r.raised),
            acked=len(r.acks),
            open=len(r.still_open),
            shelved=len(r.hidden),
            cold=r.rooms_cold_at_end,
            rate=f"{r.avg_per_10min:.2f}",
            verdict=eemua_verdict(r.avg_per_10min, translate),
        )
    )
    if energy is not None:
        msg = translate("handover", "heat metering: {stations} stations, {gj} GJ today")
        metered = [s for s in energy.stations if s.figures["season"].energy_gj is not None]
        today = sum(s.figures["today"].energy_gj or 0.0 for s in metered)
        print(msg.format(stations=len(metered), gj=f"{today:,.1f}"))
    return 0
