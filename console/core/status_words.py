"""The stores' status in words that carry their code and arguments.

The core words its stores' state in English (logs, the journal, a server's status for every MQTT
reader); a window words the same state in its own language. A `Words` is that English text — a
`str` wherever one is used — that also carries the code and arguments of its template below
(the Qt catalogue's sources, context `StoreStatus`; console/app/server_texts.py translates
them). A `StatusText` is a status line of " · "-separated parts, each a `Words` or a plain
English text (an OS or SQLite error, a part worded elsewhere). This module imports no Qt: the
server is headless.
"""

from __future__ import annotations

from typing import Any

SEPARATOR = " · "
CONTEXT = "StoreStatus"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name pyside6-lupdate looks for
    """Marks a template for pyside6-lupdate (tools/update_translations.py); no Qt here."""
    return text


TEXTS: dict[str, str] = {
    # The history writer (console/core/history/writer.py HistoryStatus.describe).
    "history_writing": QT_TRANSLATE_NOOP(
        "StoreStatus", "history: writing ({committed} samples committed)"
    ),
    "history_closed": QT_TRANSLATE_NOOP(
        "StoreStatus", "history: closed ({pending} samples not written)"
    ),
    "history_paused": QT_TRANSLATE_NOOP(
        "StoreStatus",
        "history: PAUSED — {reason}; trends have a gap ({dropped} samples dropped)",
    ),
    "history_buffering": QT_TRANSLATE_NOOP(
        "StoreStatus", "history: buffering {pending} samples in memory — {reason}"
    ),
    "history_buffering_dropped": QT_TRANSLATE_NOOP(
        "StoreStatus",
        "history: buffering {pending} samples in memory — {reason}; {dropped} dropped",
    ),
    "history_failed": QT_TRANSLATE_NOOP(
        "StoreStatus", "history: failed {pending} samples in memory — {reason}"
    ),
    "history_failed_dropped": QT_TRANSLATE_NOOP(
        "StoreStatus", "history: failed {pending} samples in memory — {reason}; {dropped} dropped"
    ),
    # Why the history is paused or buffering, when the writer knows it in words of its own.
    "disk_short": QT_TRANSLATE_NOOP(
        "StoreStatus", "disk short: {free} MB free, history needs {need} MB"
    ),
    "disk_full": QT_TRANSLATE_NOOP("StoreStatus", "disk full: {error}"),  # the OS's words
    "buffer_full": QT_TRANSLATE_NOOP("StoreStatus", "buffer full"),
    # The journal writer (console/core/journal/writer.py WriterStatus.describe).
    "journal_writing": QT_TRANSLATE_NOOP("StoreStatus", "journal: writing ({committed} committed)"),
    "journal_writing_reserve": QT_TRANSLATE_NOOP(
        "StoreStatus", "journal: writing ({committed} committed) — DISK RESERVE {note}"
    ),
    "journal_closed": QT_TRANSLATE_NOOP("StoreStatus", "journal: closed ({pending} not written)"),
    "journal_buffering": QT_TRANSLATE_NOOP(
        "StoreStatus", "journal: buffering {pending} events in memory — {reason}"
    ),
    "journal_buffering_dropped": QT_TRANSLATE_NOOP(
        "StoreStatus", "journal: buffering {pending} events in memory — {reason}; {dropped} dropped"
    ),
    "journal_failed": QT_TRANSLATE_NOOP(
        "StoreStatus", "journal: failed {pending} events in memory — {reason}"
    ),
    "journal_failed_dropped": QT_TRANSLATE_NOOP(
        "StoreStatus", "journal: failed {pending} events in memory — {reason}; {dropped} dropped"
    ),
    # Why the journal's disk reserve (its ballast file) is not held: the `note` above.
    "reserve_not_held": QT_TRANSLATE_NOOP("StoreStatus", "not held"),
    "reserve_released": QT_TRANSLATE_NOOP("StoreStatus", "released: disk full"),
    "reserve_no_room": QT_TRANSLATE_NOOP(
        "StoreStatus", "not held: {free} MB free, it needs {size} MB + headroom"
    ),
    "reserve_not_made": QT_TRANSLATE_NOOP("StoreStatus", "not held: {error}"),  # the OS's words
    # Why a store on the journal's disk yields to it (the history's pause reason).
    "journal_cannot_write": QT_TRANSLATE_NOOP("StoreStatus", "the journal cannot write: {reason}"),
    "journal_reserve_is": QT_TRANSLATE_NOOP("StoreStatus", "the journal's disk reserve is {note}"),
    # The journal's own SYSTEM records (their `action` in brackets); {reason} is the error's own
    # words, {kinds} the dropped events by kind.
    "journal_write_failed": QT_TRANSLATE_NOOP(  # journal_buffering
        "StoreStatus", "journal write failed ({reason}); buffering events in memory"
    ),
    "journal_recovered": QT_TRANSLATE_NOOP(  # journal_recovered
        "StoreStatus",
        "journal writable again after {seconds} s ({reason}); writing {pending} buffered events",
    ),
    "journal_buffer_full": QT_TRANSLATE_NOOP(  # buffer_full
        "StoreStatus",
        "journal buffer full ({max} events): new events are being dropped and counted until the "
        "journal is writable again",
    ),
    "journal_dropped": QT_TRANSLATE_NOOP(  # events_dropped
        "StoreStatus", "journal dropped {n} events while its buffer was full ({kinds})"
    ),
    "journal_reserve_released": QT_TRANSLATE_NOOP(  # journal_reserve_released
        "StoreStatus",
        "journal disk full ({reason}): released its {freed} MB disk reserve to keep committing; "
        "free disk space",
    ),
    "journal_reserve_short": QT_TRANSLATE_NOOP(  # journal_reserve_short
        "StoreStatus", "journal disk reserve {note}"
    ),
    "journal_reserve_restored": QT_TRANSLATE_NOOP(  # journal_reserve_restored
        "StoreStatus", "journal disk reserve restored ({size} MB) after {seconds} s"
    ),
    # A shown system alarm (console/core/system_alarms.py): its priority in capitals, its state,
    # its `rule` (not in the English) and its English `text`.
    "system_alarm": QT_TRANSLATE_NOOP("StoreStatus", "{priority} ALARM {state}: {text}"),
}


def english(code: str, args: dict[str, Any], texts: dict[str, str] = TEXTS) -> str:
    """The English text of a code in `texts` (an unknown code or a missing argument: said as it
    came). console/remote/reasons.py words its refusals with it too."""
    try:
        return texts[code].format(**args)
    except (KeyError, IndexError, ValueError):
        return f"{code} {args}" if args else code


class Words(str):
    """English text (str() and every str use) that carries its code and arguments; an argument
    may itself be a `Words` (a reason inside a status)."""

    code: str
    args_: dict[str, Any]

    def __new__(cls, code: str, **args: Any) -> Words:
        self = super().__new__(cls, english(code, args))
        self.code, self.args_ = code, args
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # keeps code and arguments through pickle/copy
        return (_words, (self.code, self.args_))

    def doc(self) -> dict[str, Any]:
        """As JSON carries it: the English `text`, and the `code` and `args` to word it by."""
        args = {k: v.doc() if isinstance(v, Words) else v for k, v in self.args_.items()}
        return {"text": str(self), "code": self.code, "args": args}


def _words(code: str, args: dict[str, Any]) -> Words:
    return Words(code, **args)


class StatusText(str):
    """A status line: its parts joined by " · " (str() is the English line)."""

    parts: tuple[str, ...]

    def __new__(cls, parts: list[str]) -> StatusText:
        self = super().__new__(cls, SEPARATOR.join(parts))
        self.parts = tuple(parts)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (StatusText, (list(self.parts),))

    def doc(self) -> list[dict[str, Any]]:
        """Each part as JSON carries it: `{"text"}` alone for a part without a code."""
        return [p.doc() if isinstance(p, Words) else {"text": str(p)} for p in self.parts]
