"""The servers' reasons in the interface language.

A server refuses in English for every MQTT reader and sends the reason's code and arguments
beside it (console/remote/reasons.py, whose templates are this catalogue's `ServerReason`
sources); the console's own request outcomes (no reply — outcome unknown, link lost) are
reasons of the same kind. Worded here with Qt's translators; an unknown code (a newer server)
or a text-only answer (another tool) shows the English it came with.
"""

from __future__ import annotations

import concurrent.futures

from PySide6.QtCore import QCoreApplication

from console.remote.reasons import CONTEXT, TEXTS, Reason

# Role names are worded in the main window's table (MainWindow context, ROLE_WORDS there).
_ROLE_SOURCE = {"admin": "administrator"}
_ROLE_ARGS = ("needed", "role")


def reason_text(exc: BaseException) -> str:
    """`exc` in the interface language when it is a known reason, else as it is."""
    if not isinstance(exc, Reason) or exc.code not in TEXTS:
        return str(exc)
    args = dict(exc.args_)
    if exc.code == "needs_role":
        for k in _ROLE_ARGS:
            role = str(args.get(k, ""))
            args[k] = QCoreApplication.translate("MainWindow", _ROLE_SOURCE.get(role, role))
    try:
        return QCoreApplication.translate(CONTEXT, TEXTS[exc.code]).format(**args)
    except (KeyError, IndexError, ValueError):  # a translation that lost a field: English
        return str(exc)


def translated(exc: BaseException) -> BaseException:
    """The same kind of reason, worded in the interface language (others unchanged)."""
    if isinstance(exc, Reason):
        return type(exc)(exc.code, reason_text(exc), **exc.args_)
    return exc


def worded(fut: concurrent.futures.Future) -> concurrent.futures.Future:
    """A future with `fut`'s outcome, its reason worded in the interface language."""
    out: concurrent.futures.Future = concurrent.futures.Future()

    def relay(f: concurrent.futures.Future) -> None:
        if f.cancelled():
            out.cancel()
        elif (exc := f.exception()) is not None:
            out.set_exception(translated(exc))
        else:
            out.set_result(f.result())

    fut.add_done_callback(relay)
    return out
