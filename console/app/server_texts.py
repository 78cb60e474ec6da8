"""The servers' reasons in the interface language.

A server refuses in English for every MQTT reader and sends the reason's code and arguments
beside it (console/remote/reasons.py, whose templates are this catalogue's `ServerReason`
sources); the console's own request outcomes (no reply — outcome unknown, link lost) are
reasons of the same kind. Worded here with Qt's translators; an unknown code (a newer server)
or a text-only answer (another tool) shows the English it came with.

The stores' status texts (the history paused or buffering, a store's system alarm shown) are
English with their codes and arguments beside them (console/core/status_words.py, whose
templates are this catalogue's `StoreStatus` sources): a single seat's as the `Words` its
service returns, a server's as the status's `stores_words`. A server's shared journal is worded
from the forwarder's state its status carries beside the English (`partition_words`, the
mirror's `words`).
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.app.adapters import SYSTEM_RULE_TEXT
from console.core import status_words
from console.core.status_words import Words
from console.remote.reasons import CONTEXT, TEXTS, Reason
from console.vocabulary.alarms import AlarmState, Priority
from widgets.words import priority_label

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


# --- a server's status line ----------------------------------------------------------------------

STATUS_WORDS = {
    "connected": QT_TRANSLATE_NOOP("ServerStatus", "shared journal: connected, {n} events waiting"),
    "connecting": QT_TRANSLATE_NOOP(
        "ServerStatus", "shared journal: connecting, {n} events waiting"
    ),
    "trouble": QT_TRANSLATE_NOOP(
        "ServerStatus", "shared journal: {state}, {n} events waiting in the local journal"
    ),
    "since": QT_TRANSLATE_NOOP("ServerStatus", " since {time}"),
}
FORWARDER_STATES = {  # console/core/journal/pg_forward.py ForwarderState
    "waiting": QT_TRANSLATE_NOOP("ServerStatus", "waiting"),
    "retrying": QT_TRANSLATE_NOOP("ServerStatus", "retrying"),
    "failed": QT_TRANSLATE_NOOP("ServerStatus", "failed"),
    "stopped": QT_TRANSLATE_NOOP("ServerStatus", "stopped"),
}
ALARM_STATES: dict[str, str] = {  # AlarmState values
    AlarmState.UNACK: QT_TRANSLATE_NOOP("ServerStatus", "UNACK"),
    AlarmState.ACK: QT_TRANSLATE_NOOP("ServerStatus", "ACK"),
    AlarmState.RTN_UNACK: QT_TRANSLATE_NOOP("ServerStatus", "RTN_UNACK"),
}


def _status(key: str) -> str:
    return QCoreApplication.translate("ServerStatus", STATUS_WORDS[key])


def _store_arg(value: Any) -> Any:
    """An argument of a store's words: a nested part (a reason) worded, else as it came."""
    if isinstance(value, dict):
        return part_words(value) or str(value.get("text", ""))
    return value


def part_words(part: Any) -> str | None:
    """One part of a stores' status (a `Words`, or its JSON doc from a server's status) in the
    interface language; None: no code this console knows (a newer server, a plain text)."""
    doc = part.doc() if isinstance(part, Words) else part
    if not isinstance(doc, dict):
        return None
    code, args = doc.get("code"), doc.get("args")
    if code not in status_words.TEXTS or not isinstance(args, dict):
        return None
    args = {k: _store_arg(v) for k, v in args.items()}
    if code == "system_alarm":
        try:
            priority = Priority(str(args.get("priority", "")).lower())
        except ValueError:
            return None
        state = ALARM_STATES.get(str(args.get("state")))
        source = SYSTEM_RULE_TEXT.get(str(args.get("rule")))
        args["priority"] = priority_label(priority)
        if state is not None:
            args["state"] = QCoreApplication.translate("ServerStatus", state)
        if source is not None:
            args["text"] = QCoreApplication.translate("adapters", source)
    try:
        template = QCoreApplication.translate(status_words.CONTEXT, status_words.TEXTS[code])
        return template.format(**args)
    except (KeyError, IndexError, ValueError):  # a translation that lost a field: English
        return None


def stores_words(parts: Iterable[Any]) -> str:
    """A stores' status line (its parts: `Words`, plain texts or their JSON docs) in the
    interface language; a part without a known code stays as its English text."""
    out = []
    for part in parts:
        words = part_words(part)
        if words is None:
            words = str(part.get("text", "")) if isinstance(part, dict) else str(part)
        out.append(words)
    return status_words.SEPARATOR.join(out)


def _shared_text(doc: dict[str, Any]) -> str:
    n = int(doc.get("waiting") or 0)
    state = str(doc.get("state") or "")
    if state == "forwarding":
        return _status("connected" if doc.get("connected") else "connecting").format(n=n)
    name = FORWARDER_STATES.get(state)
    text = _status("trouble").format(
        state=QCoreApplication.translate("ServerStatus", name) if name else state, n=n
    )
    since = doc.get("since")
    if isinstance(since, int | float):
        text += _status("since").format(time=time.strftime("%H:%M:%S", time.localtime(since)))
    error = doc.get("error")
    return text + (f" — {error}" if error else "")  # PostgreSQL's own words


def partition_words(
    status: dict[str, Any], stores: str, shared: str | None
) -> tuple[str, str | None]:
    """A server's stores text and shared-journal text in the interface language: the stores from
    the parts its status carries beside the English (`stores_words`), the shared journal from the
    forwarder's state. What this console does not know stays as it came."""
    parts = status.get("stores_words")
    if status.get("stores") and isinstance(parts, list):
        stores = stores_words(parts)
    doc = status.get("shared_journal_state")
    if shared is not None and isinstance(doc, dict):
        shared = _shared_text(doc)
    return stores, shared
