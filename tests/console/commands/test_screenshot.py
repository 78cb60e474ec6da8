"""`heatconsole screenshot`: the options that pick sizes, languages and file names (the
photographing itself runs the simulator and a window: docs/screenshots is its output)."""

from __future__ import annotations

import pytest

from console.commands.screenshot import parse_langs, parse_sizes, shot_name


def test_sizes_and_languages_parse_or_say_what_is_wrong() -> None:
    assert parse_sizes("1366x768, 1920X1080") == [(1366, 768), (1920, 1080)]
    assert parse_langs("en,zh_CN") == ["en", "zh_CN"] and parse_langs(None) == [None]
    for bad in ("1366", "axb", "100x100"):
        with pytest.raises(ValueError, match="--size"):
            parse_sizes(bad)
    with pytest.raises(ValueError, match="zh_CN"):
        parse_langs("zh_TW")


def test_the_english_demo_keeps_its_names_the_others_get_suffixes() -> None:
    assert shot_name("overview", "", (1366, 768), "en") == "console-overview.png"
    assert shot_name("overview", "", (1366, 768), None) == "console-overview.png"
    assert shot_name("alarms", "", (1366, 768), "zh_CN") == "console-alarms.zh_CN.png"
    assert (
        shot_name("station", "city", (1920, 1080), "zh_CN")
        == "console-station.city.1920x1080.zh_CN.png"
    )
