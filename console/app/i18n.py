"""The interface language: chosen once from the locale or a setting, switchable while running.

English is the source language of every `tr()` string, so it needs no translation file;
Simplified Chinese comes from `resources/i18n/heatconsole_zh_CN.qm` (built from the `.ts` in the
same folder by `tools/update_translations.py`) plus Qt's own `qtbase_zh_CN.qm` for the standard
buttons and dialogs. Installing a translator makes Qt send `QEvent.LanguageChange` to every
widget; the widgets rebuild their texts in `retranslate()`.

This lives in console/app, not widgets/: it reads files, the environment and QSettings, and
widgets do no I/O. Widgets only call `tr()` and format through `widgets.locale_format`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from console.cli_i18n import normalize  # one rule for the window and the command line
from resources import RESOURCES_DIR
from widgets.locale_format import use_locale

log = logging.getLogger(__name__)

I18N_DIR = RESOURCES_DIR / "i18n"
QM_PREFIX = "heatconsole_"
ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
# What the language menu shows: each language in its own words.
LANGUAGE_NAMES = {ENGLISH: "English", CHINESE: "简体中文"}
SETTINGS_KEY = "ui/language"
ENV_OVERRIDE = "HEATCONSOLE_LANG"  # beats the locale, e.g. HEATCONSOLE_LANG=zh_CN on an en desk
# The locale tags Qt formats numbers and dates with for each interface language.
LOCALE_OF = {ENGLISH: "en_US", CHINESE: "zh_CN"}

# The translators installed now (kept referenced: Qt does not own them).
_installed: list[QTranslator] = []
_current = ENGLISH


def language_from_locale(environ: Mapping[str, str] | None = None) -> str:
    """The language the POSIX locale asks for (LC_ALL > LC_MESSAGES > LANG > LANGUAGE, as
    gettext reads them), else Qt's idea of the system's UI languages; English otherwise."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return normalize(value) or ENGLISH
    for tag in env.get("LANGUAGE", "").split(":"):
        lang = normalize(tag)
        if lang is not None:
            return lang
    if environ is None:
        for tag in QLocale.system().uiLanguages():
            lang = normalize(tag)
            if lang is not None:
                return lang
    return ENGLISH


def choose_language(
    explicit: str | None = None,
    settings: QSettings | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """explicit (a --lang option) > $HEATCONSOLE_LANG > the saved choice > the locale.

    An unknown explicit tag is an error the caller reports; an unknown saved value is ignored.
    """
    env = os.environ if environ is None else environ
    if explicit:
        lang = normalize(explicit)
        if lang is None:
            raise ValueError(
                f"unknown language {explicit!r}; choose one of: {', '.join(LANGUAGES)}"
            )
        return lang
    override = normalize(env.get(ENV_OVERRIDE))
    if override is not None:
        return override
    if settings is not None:
        saved = normalize(str(settings.value(SETTINGS_KEY, "") or ""))
        if saved is not None:
            return saved
    return language_from_locale(environ)


def qm_path(lang: str) -> str:
    return str(I18N_DIR / f"{QM_PREFIX}{lang}.qm")


def install(lang: str, app: QCoreApplication | None = None) -> str:
    """Make `lang` the interface language now; widgets retranslate on the LanguageChange event.

    Returns the language in effect: English when the translation file cannot be loaded (said
    in the log, the console keeps running).
    """
    global _current
    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install() needs a QApplication")
    lang = normalize(lang) or ENGLISH
    removed = bool(_installed)
    for tr in _installed:
        app.removeTranslator(tr)
        tr.deleteLater()
    _installed.clear()
    if lang != ENGLISH:
        ours = QTranslator(app)
        if not ours.load(qm_path(lang)):
            log.warning("translation %s not found; the interface stays in English", qm_path(lang))
            ours.deleteLater()
            lang = ENGLISH
        else:
            qt_own = QTranslator(app)  # OK/Cancel, the colour and file dialogs
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt_own.load(f"qtbase_{lang}", qt_dir):
                app.installTranslator(qt_own)
                _installed.append(qt_own)
            app.installTranslator(ours)
            _installed.append(ours)
    locale = QLocale(LOCALE_OF[lang])
    QLocale.setDefault(locale)
    use_locale(locale)
    if not removed and not _installed:
        # Installing or removing a translator posts LanguageChange; English to English does
        # neither, yet the locale (numbers, dates) may have changed: tell the widgets anyway.
        QCoreApplication.postEvent(app, QEvent(QEvent.Type.LanguageChange))
    _current = lang
    return lang


def current_language() -> str:
    return _current


def save_choice(settings: QSettings, lang: str) -> None:
    """Remember the operator's choice for the next start."""
    settings.setValue(SETTINGS_KEY, normalize(lang) or ENGLISH)


def add_language_menu(menu: QMenu, settings: QSettings | None = None) -> QActionGroup:
    """One checkable action per language in `menu` (each named in its own language, so it can
    be found whatever the current one). Choosing one switches now and, with `settings`,
    remembers it for the next start."""
    group = QActionGroup(menu)
    group.setExclusive(True)
    for lang in LANGUAGES:
        act = QAction(LANGUAGE_NAMES[lang], menu)
        act.setCheckable(True)
        act.setChecked(lang == _current)
        act.setData(lang)
        group.addAction(act)
        menu.addAction(act)

    def chosen(act: QAction) -> None:
        lang = install(str(act.data()))
        if settings is not None:
            save_choice(settings, lang)
        for a in group.actions():  # the catalogue may have been missing: show what holds
            a.setChecked(a.data() == lang)

    group.triggered.connect(chosen)
    return group
