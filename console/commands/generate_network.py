"""`heatconsole generate-network --stations 757 -o FILE`: write a full-size network of the city."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from console.cli import UserError
from console.cli_i18n import translate
from console.commands.config_report import report_problems
from station_config.generator import MAX_ROOMS, MAX_STATIONS, generate_network
from station_config.loader import ConfigError, count_points, load_network


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "generate-network",
        help=translate(
            "generate-network",
            "write a full-size network of the demo city (e.g. 757 stations, ~200,000 points)",
        ),
    )
    p.add_argument(
        "--stations",
        type=int,
        default=757,
        help=translate("generate-network", "number of substations (757)"),
    )
    p.add_argument(
        "--rooms",
        type=int,
        default=200,
        help=translate("generate-network", "mean rooms per station, at most {n}").format(
            n=MAX_ROOMS
        ),
    )
    p.add_argument(
        "--seed",
        type=int,
        default=1,
        help=translate("generate-network", "random seed; same seed, same file"),
    )
    p.add_argument(
        "-o", "--output", required=True, help=translate("generate-network", "YAML file to write")
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.stations <= MAX_STATIONS:
        msg = translate("generate-network", "--stations must be between 1 and {n}")
        raise UserError(msg.format(n=MAX_STATIONS))
    if not 0 <= args.rooms <= MAX_ROOMS:
        msg = translate(
            "generate-network", "--rooms must be between 0 and {n} (the template's maximum)"
        )
        raise UserError(msg.format(n=MAX_ROOMS))
    out = Path(args.output)
    if out.is_dir():
        msg = translate("generate-network", "{file} is a directory; give a file name")
        raise UserError(msg.format(file=out))
    try:
        text = generate_network(args.stations, args.rooms, args.seed)
    except ConfigError as e:  # the built-in demo city itself is broken
        msg = translate("generate-network", "the demo city does not load:")
        raise UserError(f"{msg}\n{e}") from None
    # Write beside the target and rename: a reader never sees half a file.
    tmp = out.with_name(f".{out.name}.tmp{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        msg = translate("cli", "cannot write {file}: {error}")
        raise UserError(msg.format(file=out, error=e.strerror or e)) from None
    # Prove the file loads from where it was written (template path resolution included).
    t0 = time.perf_counter()
    try:
        net = load_network(out)
    except ConfigError as e:
        report_problems(e, out)
        return 1
    dt = time.perf_counter() - t0
    rooms = sum(s.rooms for s in net.stations)
    points = count_points(net)
    area = sum(s.area_m2 for s in net.stations)
    msg = translate(
        "generate-network",
        "wrote {file}: {stations} stations, {rooms} rooms, about {points} points, "
        "{area} million m² (loads in {seconds} s)",
    )
    print(msg.format(file=out, stations=len(net.stations), rooms=rooms, points=points,
                     area=f"{area / 1e6:.1f}", seconds=f"{dt:.2f}"))  # fmt: skip
    return 0
