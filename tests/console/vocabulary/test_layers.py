"""The vocabulary floor holds: read the imports of every source file (AST, no import executed).

- console/vocabulary imports only the standard library, numpy, station_config and itself;
- widgets/ import neither console.core nor drivers (nor the application above them);
- widgets/, console/app, console/server and console/remote take the shared words from the
  vocabulary, not from their old homes (console.core.events, drivers.samples);
- the old homes re-export the very same objects (one Quality, not two).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import console.core.events as events
import console.core.leak.view as leak_view
import drivers.samples as samples
from console.vocabulary import alarms, journal, quality, views

ROOT = Path(__file__).resolve().parents[3]
FLOOR_OK = {"numpy", "station_config", "console.vocabulary"}
WORDS = {"Quality", "CommState", "AlarmState", "Priority", "Kind"}
OLD_HOMES = {"console.core.events", "drivers.samples"}
Import = tuple[int, str, list[str]]  # line, absolute module, imported names


def imports(path: Path) -> Iterator[Import]:
    """(line, absolute module, imported names) of every import in the file, nested ones too."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    return imports_in(path.read_text(encoding="utf-8"), package, str(path))


def imports_in(src: str, package: str, name: str = "<probe>") -> Iterator[Import]:
    for node in ast.walk(ast.parse(src, filename=name)):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield node.lineno, a.name, []
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level:  # relative: resolve against the file's package
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                mod = ".".join([*base, mod] if mod else base)
            yield node.lineno, mod, [a.name for a in node.names]


def sources(*folders: str) -> list[Path]:
    out = [p for f in folders for p in sorted((ROOT / f).rglob("*.py"))]
    assert out, f"no sources under {folders}"  # a moved folder must not make the test vacuous
    return out


def under(mod: str, prefix: str) -> bool:
    return mod == prefix or mod.startswith(prefix + ".")


def on_the_floor(mod: str) -> bool:
    top = mod.split(".")[0]
    return (
        top in sys.stdlib_module_names
        or top == "__future__"
        or any(under(mod, ok) for ok in FLOOR_OK)
    )


def test_vocabulary_imports_nothing_above_its_floor() -> None:
    bad = [
        f"{p.relative_to(ROOT)}:{line} imports {mod}"
        for p in sources("console/vocabulary")
        for line, mod, _ in imports(p)
        if not on_the_floor(mod)
    ]
    assert not bad, "console/vocabulary must stay on its floor:\n" + "\n".join(bad)


def test_widgets_do_not_import_the_core_or_the_drivers() -> None:
    above = ("console.core", "drivers", "console.app", "console.server", "console.remote")
    bad = [
        f"{p.relative_to(ROOT)}:{line} imports {mod}"
        for p in sources("widgets")
        for line, mod, _ in imports(p)
        if any(under(mod, a) for a in above)
    ]
    assert not bad, "widgets take their words and records from console.vocabulary:\n" + "\n".join(
        bad
    )


def test_upper_layers_take_the_words_from_the_vocabulary() -> None:
    bad = [
        f"{p.relative_to(ROOT)}:{line} imports {sorted(WORDS & set(names))} from {mod}"
        for p in sources("widgets", "console/app", "console/server", "console/remote")
        for line, mod, names in imports(p)
        if (mod in OLD_HOMES and WORDS & set(names)) or under(mod, "widgets.view_models")
    ]
    assert not bad, "import these from console.vocabulary:\n" + "\n".join(bad)


def test_the_scan_sees_what_it_checks() -> None:
    """The AST walk finds nested, relative and aliased imports (else the rules above would pass
    on imports they never see)."""
    src = (
        "import drivers.samples as s\n"
        "def f():\n    from console.core.events import Priority\n"
        "from .words import RULE_TEXT\n"
    )
    found = sorted((m, n) for _, m, n in imports_in(src, "widgets"))
    assert found == [
        ("console.core.events", ["Priority"]),
        ("drivers.samples", []),
        ("widgets.words", ["RULE_TEXT"]),
    ]
    assert not on_the_floor("console.core.events") and not on_the_floor("PySide6.QtCore")
    assert not on_the_floor("console.vocabularyx")
    assert on_the_floor("numpy") and on_the_floor("enum") and on_the_floor("station_config.schema")


@pytest.mark.parametrize(
    ("old", "new", "names"),
    [
        (samples, quality, ["Quality", "CommState"]),
        (events, alarms, ["AlarmState", "Priority"]),
        (events, journal, ["Kind"]),
        (leak_view, views, ["LeakRow", "DistrictLeaks"]),
    ],
)
def test_old_homes_re_export_the_same_objects(old: object, new: object, names: list[str]) -> None:
    for n in names:
        assert getattr(old, n) is getattr(new, n), f"{old.__name__}.{n} is a second copy"
