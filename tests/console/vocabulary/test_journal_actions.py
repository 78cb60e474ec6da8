"""The journal's one table of action words: the log tab and the handover report both word a
row's `action` from it, each through its own translate."""

from __future__ import annotations

from console.vocabulary.journal_actions import ACTION_WORDS, CONTEXT, action_words


def test_the_log_tab_words_actions_from_the_same_table() -> None:
    from widgets.journal_words import ACTION_TEXT

    assert ACTION_TEXT is ACTION_WORDS


def test_words_come_through_the_readers_translate_and_unknown_actions_as_recorded() -> None:
    asked: list[tuple[str, str]] = []

    def translate(context: str, text: str) -> str:
        asked.append((context, text))
        return f"<{text}>"

    assert action_words("ack", translate) == "<acknowledged>"
    assert asked == [(CONTEXT, "acknowledged")]
    assert action_words("reboot", translate) == "reboot"  # not in the table: as recorded
    assert action_words(None, translate) == ""
    assert len(asked) == 1
