"""One rule for strings from outside on their way to a terminal, a CSV file or JSON."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from console.text_safety import csv_cell, json_dumps, terminal_safe


def test_every_control_and_format_character_is_escaped() -> None:
    """The hard-coded ranges cover this Python's Unicode database (update them if it grows)."""
    missed = [
        f"U+{c:04X}"
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp", "Cs")
        and terminal_safe(chr(c)) == chr(c)
    ]
    assert not missed


def test_escapes_are_visible_and_text_is_kept(
    hostile: tuple[str, ...], assert_inert: Callable[[str], None]
) -> None:
    assert terminal_safe("\x1b]0;x\x07") == "\\x1b]0;x\\x07"
    assert terminal_safe("jx-\u202e1") == "jx-\\u202e1"
    assert terminal_safe("涧西一号站 °C") == "涧西一号站 °C"
    assert terminal_safe("a\nb\tc") == "a\\x0ab\\x09c"
    assert terminal_safe("a\nb\tc", one_line=True) == "a b c"
    assert terminal_safe("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"
    assert terminal_safe(None) == ""
    for s in hostile:
        assert_inert(terminal_safe(s))


def test_csv_cells_defuse_formulas_not_numbers() -> None:
    assert csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for start in "+-@":
        assert str(csv_cell(start + "1")).startswith("'")
    assert csv_cell("\t=1") == "\\x09=1"  # OWASP's tab/CR prefixes: escaped, inert
    assert csv_cell(-3.5) == -3.5 and csv_cell(7) == 7 and csv_cell(None) is None
    assert csv_cell("ok\nnext\x1b") == "ok\nnext\\x1b"  # CSV quotes the newline


@given(st.text())
def test_output_is_inert_and_json_round_trips(s: str) -> None:
    for out in (terminal_safe(s), terminal_safe(s, one_line=True), json_dumps({"s": s})):
        assert not [c for c in out if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs")]
    assert json.loads(json_dumps({"s": s})) == {"s": s}
