"""The pre-heating plan's outcome in the interface language: which outdoor forecast it used or
why there is none (missing, stale, invalid), and what the plan comes to.

The forecast source words its state in English for logs and the command line
(console/core/forecast/source.py); the window words it here from the status's state and the
forecast it carries, and the source it came from. The rolling plan's words too: why the plan
in force was made, and why a revision is due. A detail only the source knows (a file's
parse error, with file and line) is shown as it came, inside a worded sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.core.forecast.source import ForecastSource, ForecastStatus, State
from console.core.preheat.rolling import Departure
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
    # Why the plan in force was made (RollingPlan.history), and why a revision is due.
    "made_first": QT_TRANSLATE_NOOP("PreheatWords", "first plan"),
    "made_departure": QT_TRANSLATE_NOOP(
        "PreheatWords", "revision: a station's coldest room fell below the plan"
    ),
    "made_every": QT_TRANSLATE_NOOP(
        "PreheatWords", "revision every {hours} h with the latest forecast"
    ),
    "made_asked": QT_TRANSLATE_NOOP("PreheatWords", "revision made on request"),
    "due_departure": QT_TRANSLATE_NOOP(
        "PreheatWords",
        "Plan revision due: {station} coldest room {below} K below the plan ({actual} vs "
        "{predicted} °C)",
    ),
    "due_more": QT_TRANSLATE_NOOP("PreheatWords", "and {n} more stations below the plan"),
    "due_every": QT_TRANSLATE_NOOP(
        "PreheatWords",
        "Plan revision due: the plan in force is {age} h old (revised every {hours} h with the "
        "latest forecast)",
    ),
    "due_asked": QT_TRANSLATE_NOOP("PreheatWords", "Plan revision asked for"),
    # The plan in force past its rows' "undo from" hours (RollingPlan.expire).
    "expired_shifts": QT_TRANSLATE_NOOP(
        "PreheatWords",
        "Pre-heating no longer needed: {n} stations past their undo hour ({stations}), back to "
        "their curve shift before the plan",
    ),
    "expired_plants": QT_TRANSLATE_NOOP(
        "PreheatWords", "{n} plant supply raises past their end ({trunks}), back to the curve"
    ),
    "reserve": QT_TRANSLATE_NOOP(
        "PreheatWords",
        "{n} of them with a contingency reserve against a booster pump trip ({gj} GJ of {total} "
        "GJ extra heat)",
    ),
}

# RollingPlan.history's reasons, as the panel records them (`made_words` words them); EXPIRED:
# the plan in force past its rows' hours (no new plan, so never in the history).
FIRST, DEPARTURE, EVERY, ASKED, EXPIRED = "first plan", "departure", "every", "asked", "expired"
NAMED = 3  # stations or trunks named in a line; the rest are counted


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
        held = sum(r.reserve_k > 0 for r in plan.writes)
        if held:
            gj, total = number(plan.reserve_gj, 0), number(plan.extra_gj, 0)
            text += " · " + _w("reserve").format(n=held, gj=gj, total=total)
    if unmodelled:
        text += " · " + _w("unmodelled").format(n=unmodelled)
    return text


def expired_words(stations: Sequence[str], trunks: Sequence[str], names: Mapping[str, str]) -> str:
    """What the plan in force no longer needs: the stations whose shift goes back, the trunks
    whose plant raise ends (ids; named by `names` where it knows them)."""

    def listed(ids: Sequence[str]) -> str:
        shown = ", ".join(names.get(i, i) for i in ids[:NAMED])
        return shown + (", …" if len(ids) > NAMED else "")

    parts = []
    if stations:
        parts.append(_w("expired_shifts").format(n=len(stations), stations=listed(stations)))
    if trunks:
        parts.append(_w("expired_plants").format(n=len(trunks), trunks=listed(trunks)))
    return "; ".join(parts)


def made_words(why: str, every_h: float) -> str:
    """Why the plan in force was made (FIRST, DEPARTURE, EVERY, ASKED), in the interface
    language."""
    if why == EVERY:
        return _w("made_every").format(hours=number(every_h, 0))
    key = {FIRST: "made_first", DEPARTURE: "made_departure", ASKED: "made_asked"}.get(why)
    return _w(key) if key else why


def due_words(
    why: str,
    gone: Sequence[Departure],
    names: Mapping[str, str],
    age_h: float,
    every_h: float,
) -> str:
    """Why a revision of the plan in force is due: the worst departure (named, by how much, the
    room against the plan) and how many more; or its age."""
    if why == DEPARTURE and gone:
        worst = min(gone, key=lambda d: d.actual - d.predicted)
        sid = worst.station
        text = _w("due_departure").format(
            station=f"{names[sid]} ({sid})" if sid in names else sid,
            below=number(worst.predicted - worst.actual, 1),
            actual=number(worst.actual, 1),
            predicted=number(worst.predicted, 1),
        )
        if len(gone) > 1:
            text += ", " + _w("due_more").format(n=len(gone) - 1)
        return text
    if why == EVERY:
        return _w("due_every").format(age=number(age_h, 1), hours=number(every_h, 0))
    return _w("due_asked")
