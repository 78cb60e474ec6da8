"""The command line in Simplified Chinese: Qt's catalogues without an application, every
command's help and argparse's own words translated, and the CLI's .ts kept honest (complete,
in step with the code, its .qm built from it)."""

from __future__ import annotations

import argparse
import ast
import contextlib
import functools
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from console import cli, cli_i18n
from console.commands.demo import scenario_names
from tests.console.app.test_i18n import update_translations  # tools/update_translations.py

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "heatconsole_cli_zh_CN.ts"
QM = TS.with_suffix(".qm")

# What may stay Latin in Chinese help: what the user types or reads as it is.
_KEEP = [
    r"https?://\S+|postgresql://\S+|mqtts?://\S+",  # addresses
    r"(?<![\w-])--?[a-zA-Z][\w-]*(?:=\S+)?",  # options: --config, -o, --lang=zh_CN
    r"\$[A-Z_]+",  # environment variables
    r"\{[^}]*\}",  # argparse choices {table,csv}
    r"[\w.~/-]*/[\w.*/\[\]-]*|[\w-]+\.(?:yaml|sqlite|html|hcj|json|passwd|acl|md)\b",  # paths
    r"\b[A-Z][A-Z0-9_|,…:=\[\]]*\b",  # metavars and acronyms: FILE, URL|FILE, YAML, CSV, HH:MM
    r"\b[a-z]+(?:\|[a-z+]+)+",  # values to type: critical|high|…, alarm|comm|…
    r"\b[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+\b",  # commands, ids, rule names: check-config, jx-001
    r"°C|m³|m²|K·d|GJ|MJ|kPa|MW|\b(?:[0-9.]+\s*)?(?:s|h|m|ms)\b",  # units
    r"\b(?:heatconsole|argon2|sslmode|verify|none|all|viewer|operator|engineer|admin|server|"
    r"static|network|current|last|table|csv|json|en|zh_CN|Ctrl|Modbus|TCP|PostgreSQL|Mosquitto|"
    r"SQLite|WxH|x|high|usage|pid|root|city|district|stations)\b",
]
_KEEP_RE = re.compile("|".join(f"(?:{k})" for k in _KEEP))
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def english_left(text: str, typed: frozenset[str] = frozenset()) -> list[str]:
    """Latin words left once what may stay Latin is taken out (and the `typed` words, command
    names): untranslated English."""
    return [w for w in _LATIN_WORD.findall(_KEEP_RE.sub(" ", text)) if w not in typed]


@pytest.fixture
def chinese() -> Iterator[None]:
    assert cli_i18n.use("zh_CN") == "zh_CN"
    try:
        yield
    finally:
        cli_i18n.use("en")


def all_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases once
                yield from all_parsers(sub)


def typed_words() -> frozenset[str]:
    """Typed as they are: the command names and the built-in scenarios' names."""
    parsers = all_parsers(cli.build_parser())
    return frozenset([*(w for p in parsers for w in p.prog.split()[1:]), *scenario_names()])


def test_language_choice_order() -> None:
    assert cli_i18n.choose(None, {"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert cli_i18n.choose(None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert cli_i18n.choose(None, {"LC_MESSAGES": "zh_CN.GB18030", "LANG": "C"}) == "zh_CN"
    assert cli_i18n.choose(None, {"LANG": "zh_TW.UTF-8"}) == "en"  # not Simplified Chinese
    env = {"LANG": "zh_CN.UTF-8", "HEATCONSOLE_LANG": "en"}
    assert cli_i18n.choose(None, env) == "en"
    assert cli_i18n.choose("zh", env) == "zh_CN"  # --lang beats everything
    with pytest.raises(ValueError):
        cli_i18n.choose("fr", {})
    assert cli_i18n.lang_in_argv(["--lang", "zh_CN", "log"]) == "zh_CN"
    assert cli_i18n.lang_in_argv(["--lang=en", "log"]) == "en"
    assert cli_i18n.lang_in_argv(["screenshot", "--lang", "zh_CN"]) is None  # the command's own


def test_translator_needs_no_application() -> None:
    """A bare QTranslator answers without a QCoreApplication: the CLI makes none (a fresh
    interpreter, as `heatconsole` runs; a test session may have an application already)."""
    code = (
        "from PySide6.QtCore import QCoreApplication\n"
        "from console import cli_i18n as c\n"
        "assert c.use('zh_CN') == 'zh_CN' and QCoreApplication.instance() is None\n"
        "print(c.translate('handover', 'unacknowledged'),"
        " c.translate('handover', 'Shift handover'),"
        " c.translate('nowhere', 'not in any catalogue'), sep='|')\n"
        "c.use('en')\n"
        "print(c.translate('handover', 'unacknowledged'))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["未确认|交接班报告|not in any catalogue", "unacknowledged"]


def test_heatconsole_speaks_the_locale(tmp_path: Path) -> None:
    """The installed command under LANG=zh_CN.UTF-8: Chinese; --lang en overrides it."""
    exe = Path(sys.executable).with_name("heatconsole")
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    env.pop("HEATCONSOLE_LANG", None)
    config = ROOT / "tests" / "fixtures" / "small_network.yaml"
    run = functools.partial(subprocess.run, capture_output=True, text=True, timeout=60, env=env)
    zh = run([exe, "check-config", str(config)])
    assert zh.returncode == 0 and "正常 — 4 个热力站" in zh.stdout, zh.stdout + zh.stderr
    en = run([exe, "--lang", "en", "check-config", str(config)])
    assert "OK — 4 stations" in en.stdout


def test_every_help_is_chinese(chinese: None) -> None:
    parsers = list(all_parsers(cli.build_parser()))
    assert len(parsers) > 25  # every command and subcommand
    commands = typed_words()
    left = {}
    for p in parsers:
        text = p.format_help()
        assert "用法：" in text, p.prog
        if words := english_left(text, commands):
            left[p.prog] = words
    assert not left, f"English left in --help: {left}"


def test_english_stays_the_source(capsys: pytest.CaptureFixture[str]) -> None:
    cli_i18n.use("en")
    text = cli.build_parser().format_help()
    assert "usage: heatconsole" in text and "Operator console" in text
    assert english_left(text)  # the check sees English when it is there


def test_argparse_errors_and_messages_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        with pytest.raises(SystemExit):
            cli.main(["--lang", "zh_CN", "log", "--format", "xml"])
        err = capsys.readouterr().err
        assert "错误" in err and "无效的选项" in err and "'xml'" in err
        with pytest.raises(SystemExit):
            cli.main(["--lang", "zh_CN", "wall", "--cycle", "-5"])
        assert "0（不轮换）到 3600 秒" in capsys.readouterr().err
        journal = tmp_path / "j.sqlite"
        assert (
            cli.main(["--lang", "zh_CN", "log", "note", "泵有异响", "--journal", str(journal)]) == 0
        )
        assert capsys.readouterr().out.startswith("备注已添加到")
        assert cli.main(["--lang", "zh_CN", "log", "--journal", str(journal), "--since", "1h"]) == 0
        out, err = capsys.readouterr()
        assert out.split()[:3] == ["时间", "类别", "优先级"] and "泵有异响" in out
        assert err.strip() == "1 条记录"
        assert cli.main(["--lang", "zh_CN", "log", "--journal", str(journal), "--limit", "-1"]) == 2
        assert "--limit 须为 0（全部）或更大" in capsys.readouterr().err
        assert cli.main(["--lang", "fr", "log"]) == 2
        assert "fr" in capsys.readouterr().err
    finally:
        cli_i18n.use("en")


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    out = []
    for ctx in ET.parse(path).getroot().iter("context"):
        for m in ctx.iter("message"):
            tr = m.find("translation")
            assert tr is not None
            out.append((ctx.findtext("name") or "", m.findtext("source") or "", tr))
    return out


def test_every_string_is_translated_with_its_placeholders() -> None:
    msgs = messages(TS)
    assert len(msgs) > 300
    typed = typed_words()
    unfinished = [(c, s) for c, s, tr in msgs if tr.get("type") or not (tr.text or "").strip()]
    assert not unfinished, f"untranslated in {TS.name}: {unfinished}"
    for ctx, src, tr in msgs:
        text = tr.text or ""
        for fields in (r"\{(\w*)(?:!r)?\}", r"%(?:\((\w+)\))?[sr]"):  # str.format and argparse's %
            assert sorted(re.findall(fields, src)) == sorted(re.findall(fields, text)), (
                ctx, src, text,
            )  # fmt: skip
        assert english_left(text, typed) == [] or ctx == "argparse", (ctx, src, text)


def test_ts_holds_every_string_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / TS.name
    update_translations.lupdate(TS, out=fresh)
    before = {(c, s) for c, s, _ in messages(TS)}
    after = {(c, s) for c, s, _ in messages(fresh)}
    assert after - before == set(), "run tools/update_translations.py: new strings in the code"
    assert before - after == set(), "run tools/update_translations.py: strings gone from the code"


def test_committed_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    built = tmp_path / QM.name
    update_translations.lrelease(TS, built)
    assert QM.read_bytes() == built.read_bytes(), "run tools/update_translations.py --release"


# A message a command prints or raises, or a help text, written as an English literal instead of
# through translate(): found in the source, so a new one fails here before a dispatcher sees it.
_SAYS = {"print", "say", "UserError", "ArgumentTypeError", "NoScenario", "ValueError", "getpass"}
_PROSE = re.compile(r"[A-Za-z]{3,}\s+[A-Za-z]{2,}")  # two English words in a row
# Not yet worded: helper "remote"'s control-room trial and thin console (their messages are
# the next to go through translate(); docs/i18n.md).
_NOT_YET = {"control_room.py", "thin_console.py"}


def _literal(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(_literal(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return f"{_literal(node.left)} {_literal(node.right)}"
    return ""


def english_literals(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        said = node.args[:1] if name in _SAYS else []
        said += [k.value for k in node.keywords if k.arg in ("help", "description")]
        for arg in said:
            text = re.sub(r"^heatconsole[\w -]*:", "", _literal(arg).strip())
            if _PROSE.search(text):
                out.append(f"{path.name}:{node.lineno}: {text!r}")
    return out


def test_no_english_literal_reaches_the_user() -> None:
    files = [ROOT / "console" / "cli.py", *sorted((ROOT / "console" / "commands").glob("*.py"))]
    found = [x for p in files if p.name not in _NOT_YET for x in english_literals(p)]
    assert not found, "say it through translate(): " + "; ".join(found)
    # The check finds what it looks for: the modules not worded yet do have English literals.
    assert english_literals(ROOT / "console" / "commands" / "control_room.py")


def test_lang_option_reaches_the_window() -> None:
    """`heatconsole --lang zh_CN demo` put the command line in Chinese and left the window in
    the locale's English: the option is remembered for the window (make_app), and a run
    without it forgets it (in-process callers, these tests)."""
    from console import cli

    try:
        assert cli.main(["--lang", "zh_CN", "check-config", "--help"]) == 0
    except SystemExit as e:  # --help ends in argparse's exit, after the choice was made
        assert e.code == 0
    assert cli_i18n.explicit_choice() == "zh_CN"
    assert os.environ.get(cli_i18n.ENV_OVERRIDE) != "zh_CN"  # nothing leaks into the process
    with contextlib.suppress(SystemExit):
        cli.main(["check-config", "--help"])
    assert cli_i18n.explicit_choice() is None
    cli_i18n.use(cli_i18n.choose("en"))
