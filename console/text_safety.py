"""Strings from outside (config files, devices, imported journals) made safe to print.

A station name, a device's error text or a journal message from a field laptop is data, never
terminal instructions. Written raw, an ESC sequence in it could retitle the operator's
terminal (OSC), clear the screen, move the cursor over other rows, or a bidi override could make
"jx-001" read as another station. Every writer that puts such strings on a terminal or into a CSV
file passes them through here (poll's table, `heatconsole log` table and CSV, check-config,
simulate), so the rule lives in one place:

- `terminal_safe(text)`: every C0/C1 control character, DEL, Unicode format character (bidi
  embeddings, overrides and isolates, zero-width characters, BOM) and line/paragraph separator
  is shown as its escape (`\\x1b`, `\\u202e`): visible, inert, and still telling an engineer what
  the device sent. Newlines and tabs become escapes too unless `keep_newlines` (a note's lines in
  a multi-line cell); a single-line cell wants `one_line` (newline/tab to a space).
- `csv_cell(value)`: `terminal_safe` with newlines kept (CSV quotes them), and formula-injection
  defence: a text cell starting with `=`, `+`, `-` or `@` gets a leading apostrophe, which
  spreadsheet programs show as plain text (OWASP's advice for CSV injection). Numbers are
  written as they are, so a negative value stays a number. A reader who needs the exact text
  takes the JSON output.
- `json_dumps(obj)`: json.dumps (UTF-8 kept) with the same characters written as `\\uXXXX`
  escapes: json.dumps escapes C0 controls itself but leaves DEL, C1 and bidi controls raw. The
  escaped text is the same JSON value, so a reader gets the original strings back.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Every character of Unicode categories Cc (C0, DEL, C1), Cf (format: bidi controls, zero-width,
# BOM, invisible tags), Zl, Zp (line/paragraph separators) and Cs (lone surrogates, as
# surrogateescape makes them), as ranges: scanning the code space at import costs ~0.1 s per
# command. tests/console/test_text_safety.py checks the list against unicodedata.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_FORMULA_START = ("=", "+", "-", "@")  # a leading tab or CR is already an escape by then


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c <= 0xFF else (f"\\u{c:04x}" if c <= 0xFFFF else f"\\U{c:08x}")


def terminal_safe(text: object, *, keep_newlines: bool = False, one_line: bool = False) -> str:
    """`text` as a string with nothing a terminal would act on (see the module doc)."""
    s = "" if text is None else str(text)
    if s.isprintable():  # C speed; nothing escaped is printable (most strings end here)
        return s
    if one_line:
        s = s.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_escape, part) for part in s.split("\n"))
    return _UNSAFE.sub(_escape, s)


def csv_cell(value: object) -> object:
    """A CSV cell: numbers and None as they are, text made terminal- and spreadsheet-safe."""
    if value is None or isinstance(value, int | float):
        return value
    s = terminal_safe(value, keep_newlines=True)
    return "'" + s if s.startswith(_FORMULA_START) else s


def _json_escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    if c <= 0xFFFF:
        return f"\\u{c:04x}"
    c -= 0x10000  # JSON spells astral characters as a UTF-16 surrogate pair
    return f"\\u{0xD800 | c >> 10:04x}\\u{0xDC00 | c & 0x3FF:04x}"


def json_dumps(obj: Any, **kw: Any) -> str:
    """json.dumps(obj, ensure_ascii=False) with nothing a terminal would act on (module doc)."""
    # Outside strings JSON text is ASCII punctuation, digits and letters: every match is inside
    # a string, where a \u escape is the same character.
    return _UNSAFE.sub(_json_escape, json.dumps(obj, ensure_ascii=False, **kw))
