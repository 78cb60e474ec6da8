"""`heatconsole check-config FILE`: validate a network file, print every problem at once."""

from __future__ import annotations

import argparse
import sys

from console.commands.config_report import report_problems
from station_config.loader import ConfigError, count_points, load_network


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check-config", help="validate a network configuration file")
    p.add_argument("file", help="network YAML file (e.g. station_config/demo.yaml)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        net = load_network(args.file)
    except ConfigError as e:
        report_problems(e, args.file)
        return 1
    except Exception as e:  # a loader bug must still not greet a field engineer with a traceback
        print(
            f"{args.file}: internal error while checking ({type(e).__name__}: {e}); "
            "please report it with this file",
            file=sys.stderr,
        )
        return 2
    print(
        f"{args.file}: OK — {len(net.stations)} stations, {len(net.templates)} template(s), "
        f"about {count_points(net)} points"
    )
    return 0
