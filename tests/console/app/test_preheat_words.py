"""The pre-heating plan's forecast reasons and outcome in the interface language: real forecast
files in a folder, loaded by the real ForecastSource, worded in English and in Chinese (no
English left but the file's own path and detail)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from console.app import i18n
from console.app.preheat_words import (
    ASKED,
    DEPARTURE,
    EVERY,
    FIRST,
    due_words,
    expired_words,
    forecast_words,
    made_words,
    plan_words,
)
from console.core.forecast.source import ForecastSource, State
from console.core.preheat.rolling import Departure
from console.remote.outdoor_source import PublishedForecastSource
from console.vocabulary.preheat import Plan, PlanRow, Status
from drivers.simulator.forecast import Issue, render_json, write_atomically
from tests.widgets.test_zh_cn import untranslated

HOUR = 3600.0


def forecast_file(folder: Path, issued_at: float, hours: int = 96) -> None:
    times = issued_at + HOUR * np.arange(1, hours + 1)
    issue = Issue(issued_at, times, np.full(hours, -5.0))
    write_atomically(folder / "forecast.json", render_json(issue, "test"))


@pytest.fixture
def chinese(qapp):  # type: ignore[no-untyped-def]
    assert i18n.install(i18n.CHINESE, qapp) == i18n.CHINESE
    try:
        yield
    finally:
        i18n.install(i18n.ENGLISH, qapp)


def states(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """Each state's words (and the detail that stays as it came), in the language installed."""
    now = time.time()
    out = {}
    src = ForecastSource()
    out["none configured"] = (forecast_words(src.load(now), src, now), "")
    empty = tmp_path / "empty"
    empty.mkdir()
    src = ForecastSource(empty)
    out["none in folder"] = (forecast_words(src.load(now), src, now), str(empty))
    src = PublishedForecastSource(lambda: None)
    out["none published"] = (forecast_words(src.load(now), src, now), "")
    folder = tmp_path / "fc"
    folder.mkdir()
    src = ForecastSource(folder, stale_after_h=12)
    forecast_file(folder, now - 2 * HOUR)
    fs = src.load(now)
    assert fs.state is State.OK
    out["ok"] = (forecast_words(fs, src, now), str(folder / "forecast.json"))
    forecast_file(folder, now - 20 * HOUR)
    fs = src.load(now)
    assert fs.state is State.STALE
    out["stale"] = (forecast_words(fs, src, now), str(folder / "forecast.json"))
    forecast_file(folder, now - 80 * HOUR, hours=75)
    fs = src.load(now)
    assert fs.state is State.STALE and fs.forecast is not None and fs.forecast.end <= now
    out["run out"] = (forecast_words(fs, src, now), str(folder / "forecast.json"))
    (folder / "forecast.json").write_text("{ not json", encoding="utf-8")
    fs = src.load(now)
    assert fs.state is State.INVALID
    out["invalid"] = (forecast_words(fs, src, now), fs.message)
    return out


def test_every_forecast_state_in_english(qapp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    words = states(tmp_path)
    assert words["none configured"][0].startswith("no outdoor forecast: no forecast folder")
    assert words["none in folder"][0].endswith(f"forecast file in {tmp_path / 'empty'}")
    assert "published none" in words["none published"][0]
    assert words["ok"][0].startswith("Outdoor forecast issued") and "2.0 h old" in words["ok"][0]
    assert "20.0 h old (stale after 12 h)" in words["stale"][0]
    assert words["run out"][0].endswith("has run out")
    assert words["invalid"][0].startswith("the outdoor forecast cannot be used: ")


def test_every_forecast_state_in_chinese(chinese, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for state, (text, detail) in states(tmp_path).items():
        assert detail in text, state  # where it looked and what the file said, as they are
        assert not untranslated(text.replace(detail, "")), (state, text)


def row(station: str, status: Status, shift: float = 0.0) -> PlanRow:
    return PlanRow(station, "jianxi", "east_chp", 2.0, status, shift, 0.0, 0.0, 0.0, 18.5,
                   18.5, 0.0)  # fmt: skip


def plan(*rows: PlanRow) -> Plan:
    return Plan(0.0, 0.0, 18.0, list(rows), [], [], np.zeros(0), np.zeros(0))


@pytest.mark.parametrize("lang", [i18n.ENGLISH, i18n.CHINESE])
def test_what_the_plan_comes_to(qapp, lang) -> None:  # type: ignore[no-untyped-def]
    i18n.install(lang, qapp)
    try:
        calm = plan_words(plan(row("jx-001", Status.NOT_NEEDED), row("jx-002", Status.NO_MODEL)))
        none = plan_words(plan(row("jx-001", Status.NO_MODEL)))
        cold = plan_words(
            plan(row("jx-001", Status.PLANNED, 2.0), row("jx-002", Status.NOT_NEEDED))
        )
    finally:
        i18n.install(i18n.ENGLISH, qapp)
    if lang == i18n.ENGLISH:
        assert calm.startswith("no cold ahead") and calm.endswith("· 1 without a fitted model")
        assert none.startswith("no station has a fitted room model")
        assert cold == "1 of 2 stations need a curve shift"
    else:
        assert not any(untranslated(t) for t in (calm, none, cold)), (calm, none, cold)
        assert "1" in cold and "2" in cold


def rolling_words() -> list[str]:
    """Why a revision is due and why the plan in force was made, in the language installed."""
    gone = [Departure("xg-002", 0.0, 18.0, 17.6), Departure("jx-001", 0.0, 18.2, 18.0)]
    names = {"xg-002": "西工 2 号站"}
    return [
        due_words(DEPARTURE, gone, names, 0.5, 3.0),
        due_words(EVERY, [], names, 3.1, 3.0),
        due_words(ASKED, [], names, 0.0, 3.0),
        *(made_words(why, 3.0) for why in (FIRST, DEPARTURE, EVERY, ASKED)),
        expired_words(["xg-002", "jx-001"], ["east_trunk"], names),
    ]


def test_a_revision_due_names_the_worst_station_and_by_how_much() -> None:
    due, every, asked, first, *_ = rolling_words()
    assert due.startswith("Plan revision due: 西工 2 号站 (xg-002) coldest room 0.4 K below")
    assert "(17.6 vs 18.0 °C)" in due and "and 1 more stations" in due
    assert "3.1 h old" in every and "every 3 h" in every
    assert asked == "Plan revision asked for" and first == "first plan"


def test_what_the_plan_in_force_no_longer_needs_is_named() -> None:
    names = {"xg-002": "西工 2 号站", "east_trunk": "东线"}
    both = expired_words(["xg-002", "jx-001"], ["east_trunk"], names)
    assert both == (
        "Pre-heating no longer needed: 2 stations past their undo hour (西工 2 号站, jx-001), "
        "back to their curve shift before the plan; 1 plant supply raises past their end (东线), "
        "back to the curve"
    )
    many = expired_words([f"s{k}" for k in range(5)], [], {})
    assert "5 stations past their undo hour (s0, s1, s2, …)" in many and "plant" not in many
    assert expired_words([], ["w"], {}).startswith("1 plant supply raises past their end (w)")


def test_the_rolling_plan_words_in_chinese(chinese) -> None:  # type: ignore[no-untyped-def]
    words = rolling_words()
    assert "0.4" in words[0] and "17.6" in words[0] and "(xg-002)" in words[0]
    for text in words:
        assert not untranslated(text.replace("(xg-002)", "")), text


@pytest.mark.parametrize("lang", [i18n.ENGLISH, i18n.CHINESE])
def test_the_plan_says_how_many_carry_a_contingency_reserve(qapp, lang) -> None:  # type: ignore[no-untyped-def]
    held = row("jx-001", Status.PLANNED, 10.0)
    held.extra_gj, held.reserve_k, held.reserve_gj, held.note = 30.0, 6.0, 12.0, "contingency"
    other = row("xg-001", Status.PLANNED, 2.0)
    other.extra_gj = 5.0
    i18n.install(lang, qapp)
    try:
        text = plan_words(plan(held, other))
    finally:
        i18n.install(i18n.ENGLISH, qapp)
    if lang == i18n.ENGLISH:
        assert text == (
            "2 of 2 stations need a curve shift · 1 of them with a contingency reserve against a "
            "booster pump trip (12 GJ of 35 GJ extra heat)"
        )
    else:
        assert not untranslated(text), text
        assert "12" in text and "35" in text
