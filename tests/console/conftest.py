"""Fixtures shared by the console's output tests: hostile strings and the check that a text
written for a terminal carries none of them live (issue 12, "what reaches the operator")."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest

# What a station name, a device's text or an imported journal row might carry.
HOSTILE = (
    "\x1b]0;PWNED title\x07",  # OSC: retitle the terminal
    "\x1b[2J\x1b[H",  # clear the screen, cursor home
    "\x9b31m",  # C1 CSI (8-bit): red text
    "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "jx-\u202e100-xj\u202c",  # bidi override: reads as another station
    "a\u2066b\u2069\u200b\ufeff",  # isolates, zero-width space, BOM
    "bell\x07 bs\x08 cr\r nul\x00 del\x7f",
    "tag\U000e0041\U000e0042",  # invisible Unicode tags
)


def live_controls(text: str) -> list[str]:
    """Characters a terminal would act on or that hide text (newline allowed: line ends)."""
    return [
        c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs")
    ]


@pytest.fixture
def hostile() -> tuple[str, ...]:
    return HOSTILE


@pytest.fixture
def assert_inert() -> Callable[[str], None]:
    def check(text: str) -> None:
        found = live_controls(text)
        assert not found, f"live control characters {found!r} in output:\n{text!r}"

    return check
