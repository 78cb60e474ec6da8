"""The interface language: choice, installation, and the translation files kept honest.

The .ts is checked against the code (pyside6-lupdate run into a copy finds nothing new), every
entry is translated with the same {placeholders}, and the committed .qm is what pyside6-lrelease
builds from the .ts today.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings

from console.app import i18n

ROOT = Path(__file__).resolve().parents[3]
TS = ROOT / "resources" / "i18n" / "heatconsole_zh_CN.ts"
QM = TS.with_suffix(".qm")
_spec = importlib.util.spec_from_file_location(
    "update_translations", ROOT / "tools" / "update_translations.py"
)
assert _spec is not None and _spec.loader is not None
update_translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update_translations)


def messages(path: Path) -> list[tuple[str, str, str, ET.Element]]:
    """(context, source, comment, translation element) of every message in a .ts."""
    out = []
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            tr = m.find("translation")
            assert tr is not None
            out.append((name, m.findtext("source") or "", m.findtext("comment") or "", tr))
    return out


@pytest.mark.parametrize(
    ("tag", "lang"),
    [
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh-Hans-CN", "zh_CN"),
        ("zh", "zh_CN"),
        ("en_GB.UTF-8", "en"),
        ("C", "en"),
        ("zh_TW.UTF-8", None),
        ("de_DE", None),
        ("", None),
    ],
)
def test_normalize(tag: str, lang: str | None) -> None:
    assert i18n.normalize(tag) == lang


def test_language_from_the_locale_variables_in_gettext_order() -> None:
    assert i18n.language_from_locale({"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert i18n.language_from_locale({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.language_from_locale({"LC_MESSAGES": "zh_CN", "LANG": "C.UTF-8"}) == "zh_CN"
    assert i18n.language_from_locale({"LANGUAGE": "fr:zh_CN:en"}) == "zh_CN"
    assert i18n.language_from_locale({"LANG": "fr_FR.UTF-8"}) == "en"  # no French: English


def test_choice_order_explicit_env_saved_locale(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    locale_zh = {"LANG": "zh_CN.UTF-8"}
    assert i18n.choose_language(None, settings, locale_zh) == "zh_CN"
    i18n.save_choice(settings, "en")
    assert i18n.choose_language(None, settings, locale_zh) == "en"  # the saved choice wins
    assert i18n.choose_language(None, settings, {**locale_zh, "HEATCONSOLE_LANG": "zh"}) == "zh_CN"
    assert i18n.choose_language("zh_CN", settings, {"HEATCONSOLE_LANG": "en"}) == "zh_CN"
    settings.setValue(i18n.SETTINGS_KEY, "klingon")  # a bad saved value is ignored
    assert i18n.choose_language(None, settings, locale_zh) == "zh_CN"
    with pytest.raises(ValueError, match=r"unknown language 'fr'.*en, zh_CN"):
        i18n.choose_language("fr", settings, {})


def test_install_switches_translation_and_locale(qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    locale = QLocale()
    try:
        assert i18n.install("zh_CN.UTF-8", qapp) == "zh_CN"
        assert QCoreApplication.translate("Priority", "critical") == "紧急"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own
        assert QLocale().name() == "zh_CN"
        assert i18n.install("en", qapp) == "en"
        assert QCoreApplication.translate("Priority", "critical") == "critical"
        assert QLocale().name() == "en_US"
        # No catalogue where it should be: English, said in the log, nothing raised.
        monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
        assert i18n.install("zh_CN", qapp) == "en"
        assert i18n.current_language() == "en"
    finally:
        i18n.install("en", qapp)
        QLocale.setDefault(locale)


def test_every_string_is_translated_with_its_placeholders() -> None:
    msgs = messages(TS)
    assert len(msgs) > 250
    unfinished = [(c, s) for c, s, _, tr in msgs if tr.get("type") or not (tr.text or "").strip()]
    assert not unfinished, f"untranslated in {TS.name}: {unfinished}"
    for ctx, src, _, tr in msgs:
        fields = sorted(re.findall(r"\{(\w*)\}", src))
        assert sorted(re.findall(r"\{(\w*)\}", tr.text or "")) == fields, (ctx, src, tr.text)
        # What the code does with it: .format() with the source's fields must not raise.
        (tr.text or "").format(**dict.fromkeys(fields, "1"))


def test_ts_holds_every_string_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / TS.name
    update_translations.lupdate(TS, out=fresh)
    before = {(c, s, k) for c, s, k, _ in messages(TS)}
    after = {(c, s, k) for c, s, k, _ in messages(fresh)}
    assert after - before == set(), "run tools/update_translations.py: new strings in the code"
    assert before - after == set(), "run tools/update_translations.py: strings gone from the code"


def test_committed_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    built = tmp_path / QM.name
    update_translations.lrelease(TS, built)
    assert QM.read_bytes() == built.read_bytes(), "run tools/update_translations.py --release"


def test_language_menu_switches_and_remembers(qapp, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMenu

    from console.vocabulary.views import KeyFigures
    from widgets.key_figures import KeyFiguresStrip

    locale = QLocale()
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    menu = QMenu()
    qtbot.addWidget(menu)
    strip = KeyFiguresStrip()
    qtbot.addWidget(strip)
    strip.set_figures(KeyFigures(room_low_limit=18.0))  # the stations' common room limit
    strip.show()
    group = i18n.add_language_menu(menu, settings)
    names = {a.text(): a for a in group.actions()}
    assert set(names) == {"English", "简体中文"} and names["English"].isChecked()
    try:
        names["简体中文"].trigger()
        qtbot.waitUntil(lambda: strip.rooms.caption == "室温低于 18 °C", timeout=2000)
        assert names["简体中文"].isChecked() and not names["English"].isChecked()
        assert settings.value(i18n.SETTINGS_KEY) == "zh_CN"
        assert i18n.choose_language(None, settings, {"LANG": "C"}) == "zh_CN"
        names["English"].trigger()
        qtbot.waitUntil(lambda: strip.rooms.caption == "Rooms below 18 °C", timeout=2000)
        assert settings.value(i18n.SETTINGS_KEY) == "en"
    finally:
        i18n.install("en", qapp)
        QLocale.setDefault(locale)
