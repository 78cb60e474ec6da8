"""`heatconsole handover`: write the shift report (self-contained HTML) from the local journal
or the control room's shared journal (--db postgresql://…)."""

from __future__ import annotations

import argparse
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from console.cli import UserError
from console.commands.log import add_journal_arg, add_time_args, open_source, time_range
from console.core.journal.handover import eemua_verdict, write_handover
from console.core.journal.source import JournalReadError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "handover",
        help="write the shift handover report (HTML)",
        description="Shift report: alarms, acknowledgements, cold rooms, comm outages, notes, "
        "EEMUA 191 alarm rates. Default: the current shift.",
    )
    add_journal_arg(p)
    add_time_args(p)
    p.add_argument("-o", "--output", help="HTML file (default: handover-YYYYmmdd-HHMM.html)")
    p.add_argument("--title", default="Shift handover", help="report title")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    now = time.time()
    if not (args.since or args.until or args.shift):
        args.shift = "current"
    since, until = time_range(args, now)
    if since is None:
        raise UserError("give --since (or --shift)")
    until = now if until is None else until
    out = Path(
        args.output or f"handover-{datetime.fromtimestamp(since).strftime('%Y%m%d-%H%M')}.html"
    )
    conn = open_source(args)
    try:
        r = write_handover(conn, out, since, until, now=now, title=args.title)
    except sqlite3.DatabaseError as e:
        raise UserError(f"cannot read journal: {e}") from None
    except JournalReadError as e:
        raise UserError(str(e)) from None
    except OSError as e:
        raise UserError(f"cannot write {out}: {e}") from None
    finally:
        conn.close()
    print(
        f"wrote {out}: {len(r.raised)} alarms raised, {len(r.acks)} acknowledged, "
        f"{len(r.still_open)} open, {len(r.hidden)} shelved, "
        f"{r.rooms_cold_at_end} rooms below 18 °C at the end, "
        f"{r.avg_per_10min:.2f} alarms/10 min ({eemua_verdict(r.avg_per_10min)})"
    )
    return 0
