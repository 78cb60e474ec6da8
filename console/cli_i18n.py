"""The `heatconsole` command line in Simplified Chinese or English, with Qt's catalogues.

The CLI's words are marked as the GUI's are, `translate("context", "text")` with literal
arguments, so `pyside6-lupdate` collects them into resources/i18n/heatconsole_cli_zh_CN.ts
(tools/update_translations.py); `pyside6-lrelease` builds the .qm next to it. Here the .qm is
read by a bare `QTranslator` and asked directly (`QTranslator.translate`): no QCoreApplication
is made, no event loop, and in English nothing of Qt is even imported (English is the source
language). The GUI's catalogue is loaded after the CLI's, so its vocabulary (priorities, alarm
states, 室温…) reads the same in the terminal, the report and the window.

Which language, first match wins (docs/i18n.md):
1. `heatconsole --lang zh_CN|en …` (before the command);
2. $HEATCONSOLE_LANG (the GUI reads the same variable);
3. the locale: LC_ALL > LC_MESSAGES > LANG > LANGUAGE, as gettext reads them;
   zh_CN, zh_SG, zh-Hans → Chinese, everything else (zh_TW included) → English.

argparse's own words ("usage:", "options", "the following arguments are required") come from
gettext inside argparse; `use()` points argparse at these catalogues too.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from resources import RESOURCES_DIR

I18N_DIR = RESOURCES_DIR / "i18n"
ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
ENV_OVERRIDE = "HEATCONSOLE_LANG"
# The CLI's own catalogue first, then the GUI's for the words both show.
CATALOGUES = ("heatconsole_cli", "heatconsole")
ARGPARSE = "argparse"  # the context of argparse's own strings

Translate = Callable[[str, str], str]

_translators: list[Any] = []  # QTranslator objects; empty = English
_lang = ENGLISH


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks a string for pyside6-lupdate without translating it (module-level tables)."""
    return text


# argparse's user-visible strings (Python 3.11), for lupdate; translated in `_argparse_gettext`.
_ARGPARSE_WORDS = (
    QT_TRANSLATE_NOOP("argparse", "usage: "),
    QT_TRANSLATE_NOOP("argparse", "positional arguments"),
    QT_TRANSLATE_NOOP("argparse", "options"),
    QT_TRANSLATE_NOOP("argparse", "show this help message and exit"),
    QT_TRANSLATE_NOOP("argparse", "%(prog)s: error: %(message)s\n"),
    QT_TRANSLATE_NOOP("argparse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("argparse", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("argparse", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("argparse", "expected one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected at most one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected at least one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected %s argument"),
    QT_TRANSLATE_NOOP("argparse", "expected %s arguments"),
    QT_TRANSLATE_NOOP("argparse", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("argparse", "not allowed with argument %s"),
    QT_TRANSLATE_NOOP("argparse", "one of the arguments %s is required"),
    QT_TRANSLATE_NOOP("argparse", "ignored explicit argument %r"),
    QT_TRANSLATE_NOOP("argparse", "unknown parser %(parser_name)r (choices: %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "can't open '%(filename)s': %(error)s"),
)


def normalize(tag: str | None) -> str | None:
    """'zh_CN.UTF-8', 'zh-Hans-CN', 'zh' -> 'zh_CN'; 'en_GB', 'C', 'POSIX' -> 'en'; else None."""
    if not tag:
        return None
    t = tag.split(".")[0].split("@")[0].replace("-", "_").lower()
    if t.startswith("zh"):
        # Traditional-script locales (zh_TW, zh_HK, zh_Hant) are not Simplified Chinese.
        return None if any(x in t for x in ("_tw", "_hk", "_mo", "hant")) else CHINESE
    if t in ("c", "posix") or t.startswith("en"):
        return ENGLISH
    return None


def choose(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """--lang > $HEATCONSOLE_LANG > the locale's variables > English. ValueError for an
    unknown explicit tag (the caller says so)."""
    env = os.environ if environ is None else environ
    if explicit:
        lang = normalize(explicit)
        if lang is None:
            raise ValueError(explicit)
        return lang
    override = normalize(env.get(ENV_OVERRIDE))
    if override is not None:
        return override
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(var):
            return normalize(env[var]) or ENGLISH
    for tag in env.get("LANGUAGE", "").split(":"):
        if (lang := normalize(tag)) is not None:
            return lang
    return ENGLISH


_explicit: str | None = None  # the top-level --lang of this run of `heatconsole`, if any


def remember_explicit(lang: str | None) -> None:
    """The language `heatconsole --lang X` chose: the window (console/app/launch.py) takes it
    too, ahead of $HEATCONSOLE_LANG, the saved choice and the locale. None: no --lang."""
    global _explicit
    _explicit = lang


def explicit_choice() -> str | None:
    return _explicit


def lang_in_argv(argv: Sequence[str]) -> str | None:
    """The value of a top-level `--lang X` / `--lang=X` (before the command), if any: the
    parser's help texts are built in the language, so it is known before parsing."""
    for i, arg in enumerate(argv):
        if arg == "--lang":
            return argv[i + 1] if i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if not arg.startswith("-"):
            return None  # the command: later options are its own (screenshot --lang …)
    return None


def qm_path(catalogue: str, lang: str) -> str:
    return str(I18N_DIR / f"{catalogue}_{lang}.qm")


def use(lang: str) -> str:
    """Speak `lang` from now on; returns the language in effect (English when a catalogue is
    missing: the CLI still works, in its source language)."""
    global _lang
    lang = normalize(lang) or ENGLISH
    loaded = []
    if lang != ENGLISH:
        from PySide6.QtCore import QTranslator  # only a non-English CLI pays for Qt

        for name in CATALOGUES:
            tr = QTranslator()
            if tr.load(qm_path(name, lang)):
                loaded.append(tr)
        if not loaded:
            lang = ENGLISH
    _translators[:] = loaded
    _lang = lang
    _hook_argparse(lang != ENGLISH)
    return lang


def current() -> str:
    return _lang


def translate(context: str, text: str) -> str:
    """`text` in the current language (the source text when no catalogue has it)."""
    for tr in _translators:
        out = tr.translate(context, text)
        if out:
            return out
    return text


def _argparse_gettext(text: str) -> str:
    return translate(ARGPARSE, text)


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return translate(ARGPARSE, singular if n == 1 else plural)


def _hook_argparse(on: bool) -> None:
    """argparse looks its words up through module-level `_` and `ngettext` (gettext's, bound
    at its import) at the moment it formats: rebind them to the Qt catalogues, or back."""
    import gettext

    argparse._ = _argparse_gettext if on else gettext.gettext  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext if on else gettext.ngettext  # type: ignore[attr-defined]
