"""Why a request was refused or got no answer: a code, its arguments and the English text.

The server words its refusals in English for every MQTT reader (Node-RED, Grafana, a log), and
sends beside them the code and the arguments (`{"ok": false, "error": "…", "code": "no_alarm",
"args": {"key": "…"}}`), so a console words them in its own language: the templates below are
the Qt catalogue's sources (console/app/server_texts.py translates them). This module imports
no Qt: the server is headless. Arguments are plain values (names, numbers, English details).
"""

from __future__ import annotations

from typing import Any

from console.core import status_words
from console.core.status_words import QT_TRANSLATE_NOOP  # the name pyside6-lupdate looks for

CONTEXT = "ServerReason"

TEXTS: dict[str, str] = {
    # The request itself.
    "bad_request": QT_TRANSLATE_NOOP("ServerReason", "malformed request: {why}"),
    "no_verb": QT_TRANSLATE_NOOP("ServerReason", "a request needs a 'verb'"),
    "bad_args": QT_TRANSLATE_NOOP("ServerReason", "'args' must be an object"),
    "unknown_verb": QT_TRANSLATE_NOOP("ServerReason", "unknown request '{verb}'"),
    "no_keys": QT_TRANSLATE_NOOP("ServerReason", "no alarm keys given"),
    "too_many_keys": QT_TRANSLATE_NOOP(
        "ServerReason", "{n} alarm keys in one request (at most {most})"
    ),
    "need_text": QT_TRANSLATE_NOOP("ServerReason", "'{name}' must be a non-empty text"),
    "text_too_long": QT_TRANSLATE_NOOP(
        "ServerReason", "'{name}' is {n} characters long (at most {most})"
    ),
    "need_number": QT_TRANSLATE_NOOP("ServerReason", "'{name}' must be a finite number"),
    "need_whole_number": QT_TRANSLATE_NOOP("ServerReason", "'{name}' must be a whole number"),
    # Who asks.
    "unknown_user": QT_TRANSLATE_NOOP("ServerReason", "user '{user}' is not known to this server"),
    "not_a_person": QT_TRANSLATE_NOOP(
        "ServerReason", "a server account does not issue console commands"
    ),
    "refused": QT_TRANSLATE_NOOP("ServerReason", "refused: {why}"),
    "needs_role": QT_TRANSLATE_NOOP("ServerReason", "needs the {needed} role; you are {role}"),
    # What is asked.
    "bad_key": QT_TRANSLATE_NOOP("ServerReason", "not an alarm key: {why}"),
    "foreign_alarms": QT_TRANSLATE_NOOP("ServerReason", "not this server's alarms: {keys}"),
    "no_alarm": QT_TRANSLATE_NOOP("ServerReason", "no such alarm: {key}"),
    "shelve_duration": QT_TRANSLATE_NOOP(
        "ServerReason", "a shelve lasts more than 0 s and at most 7 days"
    ),
    "foreign_station": QT_TRANSLATE_NOOP(
        "ServerReason", "station '{station}' is not served by this server"
    ),
    "not_writable": QT_TRANSLATE_NOOP("ServerReason", "{station}.{point} is not a writable point"),
    "no_point": QT_TRANSLATE_NOOP(
        "ServerReason", "{station}/{point}: no such point on this server"
    ),
    "no_journal": QT_TRANSLATE_NOOP("ServerReason", "this server keeps no journal"),
    "no_journal_shared_down": QT_TRANSLATE_NOOP(
        "ServerReason", "this server keeps no journal (the shared journal did not answer: {why})"
    ),
    "handover_period": QT_TRANSLATE_NOOP("ServerReason", "a handover period ends after it begins"),
    "export_format": QT_TRANSLATE_NOOP("ServerReason", "an export is csv or json"),
    "journal_filter": QT_TRANSLATE_NOOP("ServerReason", "journal filter: {why}"),
    "handover_failed": QT_TRANSLATE_NOOP("ServerReason", "handover report: {why}"),
    "export_failed": QT_TRANSLATE_NOOP("ServerReason", "journal export: {why}"),
    "no_file": QT_TRANSLATE_NOOP(
        "ServerReason", "no such file (gone after 10 minutes, or not yours)"
    ),
    "file_part": QT_TRANSLATE_NOOP("ServerReason", "file part refused: {why}"),
    "answered_already": QT_TRANSLATE_NOOP("ServerReason", "answered already (too large to repeat)"),
    "server_failed": QT_TRANSLATE_NOOP("ServerReason", "the server failed: {why}"),
    # The console's own side of a request: never an answer, always said.
    "no_reply": QT_TRANSLATE_NOOP(
        "ServerReason", "no reply from the server — outcome unknown; check before trying again"
    ),
    "link_lost": QT_TRANSLATE_NOOP(
        "ServerReason", "the link to the broker was lost — outcome unknown, not re-sent"
    ),
    "no_link": QT_TRANSLATE_NOOP("ServerReason", "no link to the broker — not sent"),
    "not_sent": QT_TRANSLATE_NOOP("ServerReason", "not sent ({why})"),
    "console_closed": QT_TRANSLATE_NOOP(
        "ServerReason", "the console closed before the answer came"
    ),
    "no_file_offered": QT_TRANSLATE_NOOP("ServerReason", "the server's answer offers no file"),
    "file_part_order": QT_TRANSLATE_NOOP("ServerReason", "the server sent the part at {offset}"),
    "file_damaged": QT_TRANSLATE_NOOP(
        "ServerReason", "{name}: {got} of {size} bytes arrived, or they differ"
    ),
    "bad_reply": QT_TRANSLATE_NOOP("ServerReason", "the server's answer was unreadable: {why}"),
    # The login (console/remote/link.py's LinkError), said in the login dialog.
    "login_refused": QT_TRANSLATE_NOOP(
        "ServerReason", "broker {broker}: refused the login of '{user}': wrong name or password"
    ),
    "cannot_connect": QT_TRANSLATE_NOOP(
        "ServerReason",
        "broker {broker}: cannot connect: {why} (is the broker running and the address right?)",
    ),
}


def english(code: str, args: dict[str, Any]) -> str:
    """The English text of a reason (an unknown code or missing argument: said as it came)."""
    return status_words.english(code, args, TEXTS)


class Reason(Exception):
    """An exception that carries its code and arguments: str() is the English text."""

    def __init__(self, code: str, text: str | None = None, **args: Any) -> None:
        self.code = code
        self.args_ = args
        super().__init__(english(code, args) if text is None else text)

    def doc(self) -> dict[str, Any]:
        """The refusal as the answer carries it."""
        return {"error": str(self), "code": self.code, "args": self.args_}
