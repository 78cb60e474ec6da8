"""The words for a journal row's `action` (operator and system records): one table for every
reader of the journal — the log tab (widgets/journal_words.py) and the handover report
(console/core/journal/handover.py). Each translates them in its own catalogue under CONTEXT:
tools/update_translations.py scans this file for both. Qt-free; the marker below only tells
pyside6-lupdate which strings to collect."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = "JournalActions"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name pyside6-lupdate looks for
    return text


ACTION_WORDS: dict[str, str] = {
    "ack": QT_TRANSLATE_NOOP("JournalActions", "acknowledged"),
    "shelve": QT_TRANSLATE_NOOP("JournalActions", "shelved"),
    "unshelve": QT_TRANSLATE_NOOP("JournalActions", "unshelved"),
    "out_of_service": QT_TRANSLATE_NOOP("JournalActions", "taken out of service"),
    "return_to_service": QT_TRANSLATE_NOOP("JournalActions", "returned to service"),
    "silence": QT_TRANSLATE_NOOP("JournalActions", "silenced the alarm sound"),
    "note": QT_TRANSLATE_NOOP("JournalActions", "shift note"),
    "write": QT_TRANSLATE_NOOP("JournalActions", "setpoint write"),
    "start": QT_TRANSLATE_NOOP("JournalActions", "console started"),
    "stop": QT_TRANSLATE_NOOP("JournalActions", "console stopped"),
    "restore": QT_TRANSLATE_NOOP("JournalActions", "alarm states restored from the journal"),
    "import": QT_TRANSLATE_NOOP("JournalActions", "journal bundle imported"),
    "flood_begin": QT_TRANSLATE_NOOP("JournalActions", "alarm flood began"),
    "flood_end": QT_TRANSLATE_NOOP("JournalActions", "alarm flood ended"),
    "journal_buffering": QT_TRANSLATE_NOOP("JournalActions", "journal cannot write: buffering"),
    "journal_recovered": QT_TRANSLATE_NOOP("JournalActions", "journal writing again"),
    "journal_reserve_released": QT_TRANSLATE_NOOP(
        "JournalActions", "disk full: journal reserve released"
    ),
    "journal_reserve_restored": QT_TRANSLATE_NOOP("JournalActions", "journal reserve restored"),
    "journal_reserve_short": QT_TRANSLATE_NOOP("JournalActions", "journal reserve short of space"),
    "history_paused": QT_TRANSLATE_NOOP("JournalActions", "history paused: disk short"),
    "history_resumed": QT_TRANSLATE_NOOP("JournalActions", "history recording again"),
}


def action_words(action: str | None, translate: Callable[[str, str], str]) -> str:
    """`action` in words, `translate(context, text)` in the reader's language; an action this
    table does not know as recorded."""
    if action in ACTION_WORDS:
        return translate(CONTEXT, ACTION_WORDS[action])
    return action or ""
