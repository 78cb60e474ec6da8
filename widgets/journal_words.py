"""A journal row in the interface language, from its fields rather than its recorded text.

The journal records its `message` in English once, for every reader and tool; a Chinese
dispatcher reviewing the shift reads the row's alarm rule, point, communication state or
operator action in words of the interface (室温低, 通讯正常, 确认 …). What the journal
recorded stays in the tooltip and in every export. A row this module does not know is shown
as recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.vocabulary.advisory_words import advisory_action, advisory_words
from console.vocabulary.journal_actions import ACTION_WORDS, action_words
from console.vocabulary.keys import AlarmKey
from widgets.words import RULE_TEXT, point_label, rule_text

_CTX = "JournalWords"

# details["comm"] of a communication row (the alarm engine's COMM_TEXT).
COMM_TEXT: dict[str, str] = {
    "communication ok": QT_TRANSLATE_NOOP("JournalWords", "communication ok"),
    "communication failed": QT_TRANSLATE_NOOP("JournalWords", "communication failed"),
    "data stale (heartbeat frozen)": QT_TRANSLATE_NOOP(
        "JournalWords", "data stale (heartbeat frozen)"
    ),
    "wrong device": QT_TRANSLATE_NOOP("JournalWords", "wrong device"),
}
# The `action` of operator and system rows: the journal's one table of action words, shared
# with the handover report (translated under its own context).
ACTION_TEXT: dict[str, str] = ACTION_WORDS
# Write outcomes (drivers.writes.WriteStatus values).
WRITE_STATUS: dict[str, str] = {
    "done": QT_TRANSLATE_NOOP("JournalWords", "done, read back"),
    "refused by device": QT_TRANSLATE_NOOP("JournalWords", "refused by the station"),
    "no reply": QT_TRANSLATE_NOOP("JournalWords", "no reply — outcome unknown"),
    "rejected locally": QT_TRANSLATE_NOOP("JournalWords", "refused, nothing sent"),
    "unconfirmed": QT_TRANSLATE_NOOP("JournalWords", "unconfirmed: read-back differs"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def _details(row: Mapping[str, Any]) -> Mapping[str, Any]:
    d = row.get("details")
    return d if isinstance(d, Mapping) else {}


def _alarm_words(key: AlarmKey) -> str:
    """'Room 122 · room temperature low' / '室温 122 · 室温低'."""
    return f"{point_label(key.point)} · {rule_text(key.rule)}"


def event_text(row: Mapping[str, Any]) -> str:
    """The row's message in the interface language; the recorded text when it is not known."""
    recorded = str(row.get("message") or "")
    kind = row.get("kind")
    key = AlarmKey.try_parse(row.get("alarm") or "")
    action = row.get("action")
    if kind == "alarm" and key is not None and key.rule in RULE_TEXT:
        return rule_text(key.rule)
    if kind == "comm" and _details(row).get("comm") in COMM_TEXT:
        comm, err = _details(row)["comm"], _details(row).get("error")
        # the error is the driver's own words ("wrong device: expected station 12, found 99")
        return f"{_tr(COMM_TEXT[comm])} ({err})" if err else _tr(COMM_TEXT[comm])
    if kind == "advisory":
        limit = row.get("limit")
        limit = None if limit is None else float(limit)
        return advisory_words(action, limit, _details(row), recorded, QCoreApplication.translate)
    if action in ACTION_TEXT and kind in ("operator", "system"):
        text = action_words(action, QCoreApplication.translate)
        if action == "write" and row.get("point"):
            status = str(_details(row).get("status") or "")
            text = f"{text} {point_label(str(row['point']))}"
            if status in WRITE_STATUS:
                text += f": {_tr(WRITE_STATUS[status])}"
        elif key is not None and key.rule in RULE_TEXT:
            text = f"{text} · {key.station} {_alarm_words(key)}"
        return text
    return recorded


def action_text(row: Mapping[str, Any]) -> str:
    """The Action column: an operator's, the system's or an advisory's action in words."""
    action = row.get("action")
    if row.get("kind") == "advisory":
        return advisory_action(action, QCoreApplication.translate)
    return action_words(action, QCoreApplication.translate)


def point_text(row: Mapping[str, Any]) -> str:
    """The point column: 'Room 17' / '室温 17', 'T3 secondary supply' …; as recorded else."""
    point = row.get("point")
    return point_label(str(point)) if point else ""
