"""The stores' status words: their English (logs, tests and every MQTT reader read it) and the
code and arguments they carry through pickle and JSON."""

from __future__ import annotations

import json
import pickle
import string

import pytest

from console.core.status_words import TEXTS, StatusText, Words, english

# The journal writer's English as it was worded by f-strings before it carried codes: the same
# text, to the character.
JOURNAL_ENGLISH = [
    (Words("journal_writing", committed=12), "journal: writing (12 committed)"),
    (
        Words("journal_writing_reserve", committed=3, note=Words("reserve_released")),
        "journal: writing (3 committed) — DISK RESERVE released: disk full",
    ),
    (
        Words("journal_writing_reserve", committed=0, note=Words("reserve_not_held")),
        "journal: writing (0 committed) — DISK RESERVE not held",
    ),
    (
        Words(
            "journal_writing_reserve",
            committed=0,
            note=Words("reserve_no_room", free="0.0", size="16"),
        ),
        "journal: writing (0 committed) — DISK RESERVE not held: 0.0 MB free, it needs 16 MB "
        "+ headroom",
    ),
    (Words("journal_closed", pending=7), "journal: closed (7 not written)"),
    (
        Words("journal_buffering", pending=5, reason="OperationalError: database is locked"),
        "journal: buffering 5 events in memory — OperationalError: database is locked",
    ),
    (
        Words("journal_failed_dropped", pending=200, reason="OSError: gone", dropped=4),
        "journal: failed 200 events in memory — OSError: gone; 4 dropped",
    ),
    (
        Words("journal_reserve_is", note=Words("reserve_not_made", error="Read-only file system")),
        "the journal's disk reserve is not held: Read-only file system",
    ),
    (
        Words("journal_buffer_full", max=1000),
        "journal buffer full (1000 events): new events are being dropped and counted until the "
        "journal is writable again",
    ),
    (
        Words("journal_recovered", seconds="12", reason="OSError: x", pending=40),
        "journal writable again after 12 s (OSError: x); writing 40 buffered events",
    ),
    (
        Words("journal_reserve_released", reason="OSError: full", freed="16.0"),
        "journal disk full (OSError: full): released its 16.0 MB disk reserve to keep "
        "committing; free disk space",
    ),
    (
        Words("journal_reserve_restored", size="16", seconds="3"),
        "journal disk reserve restored (16 MB) after 3 s",
    ),
]


@pytest.mark.parametrize(("words", "text"), JOURNAL_ENGLISH)
def test_journal_words_say_the_english_they_always_said(words: Words, text: str) -> None:
    assert words == text and str(words) == text
    assert english(words.code, words.args_) == text


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_every_template_names_its_fields(code: str) -> None:
    """A template's fields are plain names (what Qt translators must keep, `{name}`)."""
    fields = [f for _, f, _, _ in string.Formatter().parse(TEXTS[code]) if f is not None]
    assert all(f.isidentifier() for f in fields), (code, fields)
    args = {f: f"<{f}>" for f in fields}
    said = english(code, args)
    assert all(f"<{f}>" in said for f in fields)


def test_words_keep_their_code_through_pickle_and_json() -> None:
    note = Words("reserve_released")
    words = Words("journal_writing_reserve", committed=9, note=note)
    back = pickle.loads(pickle.dumps(words))
    assert isinstance(back, Words) and back == words and back.code == "journal_writing_reserve"
    assert isinstance(back.args_["note"], Words) and back.args_["note"].code == "reserve_released"
    doc = json.loads(json.dumps(StatusText([words, "plain"]).doc()))
    assert doc == [
        {
            "text": str(words),
            "code": "journal_writing_reserve",
            "args": {"committed": 9, "note": {"text": "released: disk full",
                                              "code": "reserve_released", "args": {}}},
        },
        {"text": "plain"},
    ]  # fmt: skip


def test_an_unknown_code_or_a_missing_argument_is_said_as_it_came() -> None:
    assert english("journal_newer_state", {"n": 1}) == "journal_newer_state {'n': 1}"
    assert english("journal_writing", {}) == "journal_writing"
