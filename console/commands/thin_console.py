"""`heatconsole run --server mqtt://HOST:PORT [--login NAME]`: the thin console of a control room.

No network file, no poller: the servers publish the network's description and state. The login
is asked for at start in a Qt dialog ($HEATCONSOLE_PASSWORD for a scripted login, e.g. the wall
display); a refused login says so and asks again.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from console.commands.signals import StopRequested, StopSignals
from console.remote.link import BrokerAddress, LinkError


def login_problem(e: BaseException) -> str:
    """What the login dialog says of a failed login: in the interface language when the link
    gave its reason's code (a wrong password, no broker), else the English."""
    code = getattr(e, "code", None)
    if not code:
        return str(e)
    from console.app.server_texts import reason_text
    from console.remote.reasons import Reason

    return reason_text(Reason(code, str(e), **getattr(e, "args_", {})))


def ask_login(dlg: Any) -> bool | None:
    """The login dialog's answer (accepted?); None if a stop signal closed it. Inside the
    dialog's own loop a StopRequested raised in a Qt callback would be lost: the signal closes
    the dialog instead, a light timer letting Python see it."""
    from PySide6.QtCore import QTimer

    with StopSignals(
        lambda _: QTimer.singleShot(0, dlg.reject), announce="heatconsole run"
    ) as stop:
        wake = QTimer()
        wake.timeout.connect(lambda: None)
        wake.start(200)
        accepted = bool(dlg.exec())
        wake.stop()
    return None if stop.received is not None else accepted


def open_remote_window(args: argparse.Namespace, window_factory: Any = None) -> int:
    """`window_factory`: another window than the console's (the wall display, launch.py)."""
    try:
        address = BrokerAddress.parse(args.server)
        address.check_transport(args.ca)
    except LinkError as e:
        print(f"heatconsole run: {e}", file=sys.stderr)
        return 2
    try:
        from PySide6.QtCore import QTimer

        from console.app.launch import RemoteConsoleSession, make_app

        app = make_app()
    except (RuntimeError, ImportError) as e:
        print(f"heatconsole: cannot open the window: {e}", file=sys.stderr)
        return 1
    from console.remote.session import RemoteSession
    from widgets.login_dialog import LoginDialog

    name = args.login or address.username or ""
    password = os.environ.get("HEATCONSOLE_PASSWORD") or address.password
    problem = ""
    while True:
        if password is None:
            dlg = LoginDialog(str(address), name, problem)
            accepted = ask_login(dlg)
            if accepted is None:
                return 0  # stopped by a signal, as in the window
            if not accepted:
                return 1
            name, password = dlg.credentials()
        session = RemoteSession(address, name, password, ca_file=args.ca)
        console = RemoteConsoleSession(session, title="heatconsole", window_factory=window_factory)
        try:
            window = console.start()
            break
        except StopRequested:  # a stop signal while it connects: the link is closed first
            console.stop()
            raise
        except (LinkError, RuntimeError) as e:
            print(f"heatconsole run: {e}", file=sys.stderr)
            problem = login_problem(e)
            if os.environ.get("HEATCONSOLE_PASSWORD") or address.password:
                return 1  # a scripted login does not loop
            password = None
    try:
        window.show()
        # One stop path for every command (console/commands/signals.py); the close is queued.
        with StopSignals(lambda _: QTimer.singleShot(0, window.close), announce="heatconsole run"):
            wake = QTimer()
            wake.timeout.connect(lambda: None)
            wake.start(200)
            return int(app.exec())
    finally:
        console.stop()
