"""`heatconsole check-config FILE`: validate a network file, print every problem at once."""

from __future__ import annotations

import argparse
import sys

from console.cli_i18n import translate
from console.commands.config_report import report_problems
from station_config.loader import ConfigError, count_points, load_network


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check-config", help=translate("check-config", "validate a network configuration file")
    )
    p.add_argument(
        "file",
        metavar="FILE",
        help=translate("check-config", "network YAML file (e.g. station_config/demo.yaml)"),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        net = load_network(args.file)
    except ConfigError as e:
        report_problems(e, args.file)
        return 1
    except Exception as e:  # a loader bug must still not greet a field engineer with a traceback
        msg = translate(
            "check-config",
            "internal error while checking ({error}); please report it with this file",
        ).format(error=f"{type(e).__name__}: {e}")
        print(f"{args.file}: {msg}", file=sys.stderr)
        return 2
    msg = translate(
        "check-config", "OK — {stations} stations, {templates} template(s), about {points} points"
    ).format(stations=len(net.stations), templates=len(net.templates), points=count_points(net))
    print(f"{args.file}: {msg}")
    return 0
