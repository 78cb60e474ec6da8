"""Refresh the translation sources from the code, then build the binary catalogues.

    .venv/bin/python tools/update_translations.py            # lupdate + lrelease
    .venv/bin/python tools/update_translations.py --release  # lrelease only (after translating)

1. `pyside6-lupdate` scans every .py under each catalogue's SOURCES for tr() / translate() /
   QT_TRANSLATE_NOOP() and merges new strings into resources/i18n/<catalogue>_<lang>.ts as
   "unfinished" (strings gone from the code are dropped). Translate them in Qt Linguist
   (`pyside6-linguist resources/i18n/heatconsole_zh_CN.ts`) or in the XML, using the glossary in
   docs/i18n.md.
2. `pyside6-lrelease` compiles each .ts into the .qm the console loads. Both files are committed;
   tests/console/app/test_i18n.py (the window's catalogue, heatconsole_*) and
   tests/console/test_cli_i18n.py (the command line's and the handover report's, heatconsole_cli_*)
   fail when the .qm is not built from its .ts, when a string in the code is missing from the
   .ts, or when a translation is unfinished.

Both tools ship in the PySide6 wheel (next to the python executable in the venv).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)
# Where each catalogue's strings live (folders or files): the window's, and the command line's
# with the handover report (console/cli_i18n.py loads both, the CLI's first).
CATALOGUES: dict[str, tuple[str, ...]] = {
    # console/remote/reasons.py: the servers' reasons, console/core/status_words.py: the
    # stores' status, both worded by the window (server_texts.py);
    # console/vocabulary/journal_actions.py: the journal's action words (log tab and report).
    "heatconsole": (
        "widgets",
        "console/app",
        "console/remote/reasons.py",
        "console/core/status_words.py",
        "console/vocabulary/journal_actions.py",
        "console/vocabulary/advisory_words.py",
    ),
    "heatconsole_cli": (
        "console/cli.py",
        "console/cli_i18n.py",
        "console/commands",
        "console/core/journal/handover.py",
        "console/core/journal/alarm_words.py",
        "console/terminal_table.py",
        "console/vocabulary/journal_actions.py",  # the report's action words
        "console/vocabulary/advisory_words.py",  # the report's advisory words
    ),
}
SOURCES = CATALOGUES["heatconsole"]


def tool(name: str) -> str:
    """The PySide6 tool next to this interpreter (the venv), else on PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 in this environment")
    return found


def ts_path(lang: str, catalogue: str = "heatconsole") -> Path:
    return I18N / f"{catalogue}_{lang}.ts"


def source_files(sources: tuple[str, ...] = SOURCES) -> list[str]:
    paths = [ROOT / d for d in sources]
    files = [f for p in paths for f in (p.rglob("*.py") if p.is_dir() else [p])]
    return sorted(str(f.relative_to(ROOT)) for f in files)


def catalogue_of(ts: Path) -> tuple[str, str]:
    """heatconsole_cli_zh_CN.ts -> ("heatconsole_cli", "zh_CN")."""
    for name in sorted(CATALOGUES, key=len, reverse=True):
        if ts.stem.startswith(name + "_"):
            return name, ts.stem.removeprefix(name + "_")
    raise ValueError(f"{ts.name}: not one of the catalogues {sorted(CATALOGUES)}")


def lupdate(ts: Path, out: Path | None = None) -> None:
    """Merge the code's strings into `ts` (written to `out` when given, e.g. a test's copy)."""
    target = out or ts
    if out is not None and ts.exists():
        shutil.copyfile(ts, out)
    name, lang = catalogue_of(ts)
    cmd = [tool("pyside6-lupdate"), *source_files(CATALOGUES[name]), "-no-obsolete"]
    cmd += ["-locations", "none"]
    cmd += ["-source-language", "en", "-target-language", lang, "-ts", str(target)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=out is not None)


def lrelease(ts: Path, qm: Path) -> None:
    # Into a new file, then renamed over the old: a running console has the old .qm mapped
    # into memory, and rewriting it in place turned half of its window English.
    tmp = qm.with_suffix(".qm.new")
    subprocess.run(
        [tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(tmp)], cwd=ROOT, check=True
    )
    tmp.replace(qm)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--release", action="store_true", help="only build the .qm from the .ts")
    args = ap.parse_args(argv)
    I18N.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        for name in CATALOGUES:
            ts = ts_path(lang, name)
            if not args.release:
                lupdate(ts)
            lrelease(ts, ts.with_suffix(".qm"))
            print("wrote", ts.with_suffix(".qm").relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
