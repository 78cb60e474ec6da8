"""An alarm transition of the journal in the reader's language.

The journal records the engine's English ("jx-002/room_temp[8]/room_low room temperature low:
17.7 (limit 18) — active"): the record stays as written. A report in Chinese words the same
event from what the record holds in fields — its rule (the key's last part), value, limit, the
leak's estimate in `details` — and the verb after " — "; anything else (a verb it does not know,
a rule it has no words for, another kind of event) is shown as recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from console.core.alarms.rules import RULE_TEXT
from console.core.events import JournalEvent, Kind
from console.vocabulary.journal_actions import QT_TRANSLATE_NOOP  # the marker lupdate looks for

Translate = Callable[[str, str], str]


# What happened to the alarm (its own context: "active" here is a transition, not a state).
VERBS = {
    "active": QT_TRANSLATE_NOOP("AlarmVerb", "active"),
    "cleared": QT_TRANSLATE_NOOP("AlarmVerb", "cleared"),
    "re-alarm": QT_TRANSLATE_NOOP("AlarmVerb", "re-alarm"),
    "shelving expired": QT_TRANSLATE_NOOP("AlarmVerb", "shelving expired"),
    "suppression ended": QT_TRANSLATE_NOOP("AlarmVerb", "suppression ended"),
}
WITH_VALUE = QT_TRANSLATE_NOOP("handover", "{what}: {value} (limit {limit}) — {verb}")
VALUE_ONLY = QT_TRANSLATE_NOOP("handover", "{what}: {value} — {verb}")
BARE = QT_TRANSLATE_NOOP("handover", "{what} — {verb}")
LEAK = QT_TRANSLATE_NOOP("handover", "{what} {approx} {rate} m³/h since {since} — {verb}")
# Rules on a bit or a state: their recorded "1 (limit 0.5)" says nothing to a reader.
STATE_RULES = frozenset({
    "pump1_fault", "pump2_fault", "power_fail", "sensor_fault", "local_control", "comm_fail",
    "stale", "wrong_device",
})  # fmt: skip


def alarm_words(e: JournalEvent, translate: Translate) -> str:
    """The event's text without its key (the report shows the key beside it), worded."""
    if e.kind is not Kind.ALARM or not e.alarm:
        return e.message
    rule = e.alarm.rsplit("/", 1)[-1]
    _, sep, verb = e.message.rpartition(" — ")
    source = RULE_TEXT.get(rule)
    if source is None or not sep or verb not in VERBS:
        return e.message
    # The window's catalogue words the rules (context "Rule"); the CLI loads it too.
    what = translate("Rule", source)
    said = translate("AlarmVerb", VERBS[verb])
    d = e.details or {}
    rate, since = d.get("leak_m3h"), d.get("leak_since")
    if rule == "leak_suspected" and rate and since:
        return translate("handover", LEAK).format(
            what=what, approx="≥" if d.get("lower_bound") else "≈", rate=f"{rate:.2g}",
            since=time.strftime("%H:%M", time.localtime(since)), verb=said,
        )  # fmt: skip
    if rule in STATE_RULES or e.value is None or e.value != e.value:
        return translate("handover", BARE).format(what=what, verb=said)
    value = f"{e.value:.4g}"
    if e.limit is None or e.limit != e.limit:
        return translate("handover", VALUE_ONLY).format(what=what, value=value, verb=said)
    limit = f"{e.limit:.4g}"
    return translate("handover", WITH_VALUE).format(what=what, value=value, limit=limit, verb=said)
