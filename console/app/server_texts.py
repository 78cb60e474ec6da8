"""The servers' reasons in the interface language.

A server refuses in English for every MQTT reader and sends the reason's code and arguments
beside it (console/remote/reasons.py, whose templates are this catalogue's `ServerReason`
sources); the console's own request outcomes (no reply — outcome unknown, link lost) are
reasons of the same kind. Worded here with Qt's translators; an unknown code (a newer server)
or a text-only answer (another tool) shows the English it came with.

The servers' status texts (their own alarms and their shared journal, in the status line) are
worded from data the console has: the server's alarm views and the forwarder's state that the
status carries beside its English text (`partition_words`, the mirror's `words`).
"""

from __future__ import annotations

import concurrent.futures
import time
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.app.adapters import SYSTEM_RULE_TEXT
from console.core.alarms.summary import AlarmView
from console.remote.reasons import CONTEXT, TEXTS, Reason
from console.vocabulary.alarms import AlarmState
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
    "alarm": QT_TRANSLATE_NOOP("ServerStatus", "{priority} ALARM {state}: {text}"),
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
ALARM_STATES = {
    AlarmState.UNACK: QT_TRANSLATE_NOOP("ServerStatus", "UNACK"),
    AlarmState.ACK: QT_TRANSLATE_NOOP("ServerStatus", "ACK"),
    AlarmState.RTN_UNACK: QT_TRANSLATE_NOOP("ServerStatus", "RTN_UNACK"),
}


def _status(key: str) -> str:
    return QCoreApplication.translate("ServerStatus", STATUS_WORDS[key])


def _alarm_note(v: AlarmView) -> tuple[str, str] | None:
    """A server alarm's part of the status line: (as the server words it, as we word it)."""
    source = SYSTEM_RULE_TEXT.get(v.rule)
    state = ALARM_STATES.get(v.state)
    if source is None or state is None:
        return None
    english = f"{v.priority.upper()} ALARM {v.state}: {source}"  # ConsoleService.store_text
    worded = _status("alarm").format(
        priority=priority_label(v.priority),
        state=QCoreApplication.translate("ServerStatus", state),
        text=QCoreApplication.translate("adapters", source),
    )
    return english, worded


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
    status: dict[str, Any], own: tuple[AlarmView, ...], stores: str, shared: str | None
) -> tuple[str, str | None]:
    """A server's stores text and shared-journal text in the interface language: its alarms'
    parts from the alarm views it published, the shared journal from the state beside the text.
    Parts this console does not know stay as they came."""
    notes = dict(n for v in own if (n := _alarm_note(v)) is not None)
    if notes:
        stores = " · ".join(notes.get(part, part) for part in stores.split(" · "))
    doc = status.get("shared_journal_state")
    if shared is not None and isinstance(doc, dict):
        shared = _shared_text(doc)
    return stores, shared
