"""The operator's action names: made and worded from the same templates, in either language."""

from __future__ import annotations

import pytest

from console.app import action_words, i18n
from console.app.action_words import name, worded

NAMES = [
    (("acknowledge",), {"n": 3}, "acknowledge 3 alarm(s)", "确认 3 条报警"),
    (("shelve",), {"n": 1}, "shelve 1 alarm(s)", "搁置 1 条报警"),
    (("unshelve",), {"n": 12}, "unshelve 12 alarm(s)", "取消搁置 12 条报警"),
    (("silence",), {}, "silence", "消音"),
    (("note",), {}, "note", "记录备注"),
    (
        ("write",),
        {"station": "jx-001", "point": "curve_shift", "value": 2.5},
        "write jx-001.curve_shift = 2.5",
        "写入 jx-001.curve_shift = 2.5",
    ),
]


@pytest.mark.parametrize(("verb", "args", "english", "chinese"), NAMES)
def test_names_are_worded_in_either_language(qapp, verb, args, english, chinese) -> None:  # type: ignore[no-untyped-def]
    assert name(*verb, **args) == english
    assert worded(english) == english
    try:
        assert i18n.install(i18n.CHINESE, qapp) == i18n.CHINESE
        assert worded(english) == chinese
    finally:
        i18n.install(i18n.ENGLISH, qapp)


def test_every_verb_has_a_case_here() -> None:
    assert {v[0] for v, *_ in NAMES} == set(action_words.TEMPLATES)


def test_a_name_not_made_here_is_shown_as_it_came(qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        i18n.install(i18n.CHINESE, qapp)
        assert worded("recalibrate 3 sensors") == "recalibrate 3 sensors"
        assert worded("acknowledge many alarm(s) now") == "acknowledge many alarm(s) now"
    finally:
        i18n.install(i18n.ENGLISH, qapp)


def test_a_value_is_written_as_the_preheat_panel_matches_it() -> None:
    # %g, as the panel's writes are matched by name: 2.0 is "2", 0.1 + 0.2 stays short.
    assert name("write", station="a", point="p", value=2.0) == "write a.p = 2"
    assert name("write", station="a", point="p", value=0.1 + 0.2) == "write a.p = 0.3"
