"""A predictive advisory's journal row in the reader's language.

The forecaster journals its advisories in English ("xg-002: coldest rooms forecast below 18 °C in
~3 h (≈ 02:00)", console/core/forecast/advisory.py); the record stays as written. The log tab
(widgets/journal_words.py) and the handover report word the same row from its fields — `action`,
`limit`, `details` (lead_h, crossing_at, why, forecast_status) — each in its own catalogue under
CONTEXT (tools/update_translations.py scans this file for both). A row without the fields it
needs is shown as recorded. Qt-free.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from console.vocabulary.journal_actions import QT_TRANSLATE_NOOP  # the marker lupdate looks for

CONTEXT = "Advisory"
Translate = Callable[[str, str], str]

RAISED = QT_TRANSLATE_NOOP(
    "Advisory", "coldest rooms forecast below {limit} °C in ~{hours} h (≈ {clock})"
)
CLEARED = {
    "alarm": QT_TRANSLATE_NOOP(
        "Advisory", "cold-room advisory cleared: room below the limit (alarm)"
    ),
    "gone": QT_TRANSLATE_NOOP("Advisory", "cold-room advisory cleared: no longer forecast"),
}
PAUSED = QT_TRANSLATE_NOOP("Advisory", "room forecast advisories paused: outdoor forecast {state}")
RESUMED = QT_TRANSLATE_NOOP(
    "Advisory", "room forecast advisories resumed: outdoor forecast usable again"
)
FORECAST_STATES = {
    "stale": QT_TRANSLATE_NOOP("Advisory", "stale"),
    "missing": QT_TRANSLATE_NOOP("Advisory", "missing"),
    "invalid": QT_TRANSLATE_NOOP("Advisory", "invalid"),
}
# The Action column of an advisory row.
ACTIONS = {
    "raise": QT_TRANSLATE_NOOP("Advisory", "advisory raised"),
    "clear": QT_TRANSLATE_NOOP("Advisory", "advisory cleared"),
    "paused": QT_TRANSLATE_NOOP("Advisory", "advisories paused"),
    "resumed": QT_TRANSLATE_NOOP("Advisory", "advisories resumed"),
}
# Rows journalled before `details["why"]` existed say it only in their English ending.
_WHY_BY_ENDING = {"room below the limit (alarm)": "alarm", "no longer forecast": "gone"}


def advisory_words(
    action: str | None,
    limit: float | None,
    details: Mapping[str, Any] | None,
    recorded: str,
    translate: Translate,
) -> str:
    """The advisory's text without its station (every table shows the station beside it)."""
    d = details or {}
    t = lambda text: translate(CONTEXT, text)  # noqa: E731
    if action == "raise" and limit is not None and "lead_h" in d and "crossing_at" in d:
        clock = time.strftime("%H:%M", time.localtime(float(d["crossing_at"])))
        hours = round(float(d["lead_h"]))
        return t(RAISED).format(limit=f"{limit:g}", hours=hours, clock=clock)
    if action == "clear":
        why = d.get("why") or next(
            (w for end, w in _WHY_BY_ENDING.items() if recorded.endswith(end)), None
        )
        return t(CLEARED[why]) if why in CLEARED else recorded
    if action == "paused" and d.get("forecast_status") in FORECAST_STATES:
        return t(PAUSED).format(state=t(FORECAST_STATES[d["forecast_status"]]))
    if action == "resumed":
        return t(RESUMED)
    return recorded


def advisory_action(action: str | None, translate: Translate) -> str:
    """The Action column of an advisory row; as recorded when unknown."""
    return translate(CONTEXT, ACTIONS[action]) if action in ACTIONS else action or ""
