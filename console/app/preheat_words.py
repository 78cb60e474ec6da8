"""The pre-heating plan's outcome in the interface language: which outdoor forecast it used or
why there is none (missing, stale, invalid), and what the plan comes to.

The forecast source words its state in English for logs and the command line
(console/core/forecast/source.py); the window words it here from the status's state and the
forecast it carries, and the source it came from. A detail only the source knows (a file's
parse error, with file and line) is shown as it came, inside a worded sentence.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.core.forecast.source import ForecastSource, ForecastStatus, State
from console.remote.outdoor_source import PublishedForecastSource
from console.vocabulary.preheat import Plan, Status
from widgets.locale_format import date_clock, number

CONTEXT = "PreheatWords"
WORDS = {
    "ok": QT_TRANSLATE_NOOP(
        "PreheatWords", "Outdoor forecast issued {time} ({origin}), {age} h old, {ahead} h ahead"
    ),
    "run_out": QT_TRANSLATE_NOOP(
        "PreheatWords", "the outdoor forecast issued {time} ({origin}) has run out"
    ),
    "stale": QT_TRANSLATE_NOOP(
        "PreheatWords",
        "the outdoor forecast issued {time} ({origin}) is {age} h old (stale after {limit} h)",
    ),
    "invalid": QT_TRANSLATE_NOOP("PreheatWords", "the outdoor forecast cannot be used: {problem}"),
    "none_configured": QT_TRANSLATE_NOOP(
        "PreheatWords",
        "no outdoor forecast: no forecast folder or URL is configured (the network file's "
        "forecast: section)",
    ),
    "none_in_folder": QT_TRANSLATE_NOOP(
        "PreheatWords", "no outdoor forecast: no .json or .csv forecast file in {folder}"
    ),
    "none_published": QT_TRANSLATE_NOOP(
        "PreheatWords", "no outdoor forecast: the servers have published none yet"
    ),
    "no_cold": QT_TRANSLATE_NOOP(
        "PreheatWords",
        "no cold ahead: every station keeps its coldest room at or above {limit} °C without a "
        "change — nothing to apply",
    ),
    "no_model": QT_TRANSLATE_NOOP(
        "PreheatWords",
        "no station has a fitted room model yet (too little history): nothing can be planned",
    ),
    "planned": QT_TRANSLATE_NOOP("PreheatWords", "{n} of {total} stations need a curve shift"),
    "unmodelled": QT_TRANSLATE_NOOP("PreheatWords", "{n} without a fitted model"),
}


def _w(key: str) -> str:
    return QCoreApplication.translate(CONTEXT, WORDS[key])


def forecast_words(fs: ForecastStatus, source: ForecastSource, now: float) -> str:
    """`fs` (what `source.load(now)` said) in the interface language."""
    fc = fs.forecast
    if fc is not None and fs.state in (State.OK, State.STALE):
        at = {"time": date_clock(fc.issued_at), "origin": fc.origin}
        age = number(max((now - fc.issued_at) / 3600.0, 0.0), 1)
        if fs.state is State.OK:
            return _w("ok").format(age=age, ahead=number((fc.end - now) / 3600.0, 0), **at)
        if fc.end <= now:
            return _w("run_out").format(**at)
        return _w("stale").format(age=age, limit=number(source.stale_after_h, 0), **at)
    if fs.state is State.INVALID:
        return _w("invalid").format(problem=fs.message)
    if isinstance(source, PublishedForecastSource):
        return _w("none_published")
    if source.folder is None:
        return _w("none_configured")
    return _w("none_in_folder").format(folder=source.folder)


def plan_words(plan: Plan) -> str:
    """What the plan comes to, in one line beside the table."""
    rows = plan.rows
    unmodelled = sum(r.status is Status.NO_MODEL for r in rows)
    if rows and unmodelled == len(rows):
        return _w("no_model")
    shifted = len(plan.writes)
    if all(r.status in (Status.NOT_NEEDED, Status.NO_MODEL) for r in rows):
        text = _w("no_cold").format(limit=number(plan.limit_c, 0))
    else:
        text = _w("planned").format(n=shifted, total=len(rows))
    if unmodelled:
        text += " · " + _w("unmodelled").format(n=unmodelled)
    return text
