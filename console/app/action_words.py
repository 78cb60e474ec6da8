"""The operator's actions as the status bar says them, in the interface language.

The doorway names every action it starts ("acknowledge 3 alarm(s)", "write jx-001.curve_shift =
2"): the name travels with the bridge's `action_done` and is what the pre-heating panel matches
its writes by, so it stays English and exact. Names are made here (`name`) and worded here
(`worded`), from the same templates, so the two cannot drift apart.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "ActionWords"
TEMPLATES = {
    "acknowledge": QT_TRANSLATE_NOOP("ActionWords", "acknowledge {n} alarm(s)"),
    "shelve": QT_TRANSLATE_NOOP("ActionWords", "shelve {n} alarm(s)"),
    "unshelve": QT_TRANSLATE_NOOP("ActionWords", "unshelve {n} alarm(s)"),
    "silence": QT_TRANSLATE_NOOP("ActionWords", "silence"),
    "note": QT_TRANSLATE_NOOP("ActionWords", "note"),
    "write": QT_TRANSLATE_NOOP("ActionWords", "write {station}.{point} = {value}"),
}


def name(verb: str, **args: object) -> str:
    """The action's name: its English template filled in (`value` as %g when a number)."""
    if isinstance(args.get("value"), float | int):
        args["value"] = f"{args['value']:g}"
    return TEMPLATES[verb].format(**args)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)  # text, field, text, field, ...
    rx = "".join(re.escape(p) if i % 2 == 0 else rf"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(rf"^{rx}$")


_PATTERNS = [(t, _pattern(t)) for t in TEMPLATES.values()]


def worded(what: str) -> str:
    """An action name in the interface language; a name not made here is shown as it came."""
    for template, rx in _PATTERNS:
        m = rx.match(what)
        if m is not None:
            return QCoreApplication.translate(CONTEXT, template).format(**m.groupdict())
    return what
