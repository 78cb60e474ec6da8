"""Loading a network file for a command: every problem printed, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from console.cli_i18n import translate
from console.text_safety import terminal_safe
from station_config.loader import ConfigError, load_network
from station_config.schema import NetworkDef


def report_problems(e: ConfigError, source: str | Path, err: TextIO | None = None) -> None:
    """Print each problem as `file:line: path: reason`, then how many there were."""
    err = err or sys.stderr
    for problem in e.problems:  # a problem may quote the file's own text: shown inert
        print(terminal_safe(problem), file=err)
    msg = translate("check-config", "{n} problem(s) in {file}")
    print(msg.format(n=len(e.problems), file=source), file=err)


def load_or_report(path: str | Path, err: TextIO | None = None) -> NetworkDef | None:
    """The network, or None after its problems were printed."""
    try:
        return load_network(path)
    except ConfigError as e:
        report_problems(e, path, err)
        return None
