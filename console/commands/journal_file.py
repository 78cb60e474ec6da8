"""Can a command keep its journal (and the history beside it) at the path it was given?

Asked by every command that writes one (`poll`, `run`, `wall`, `demo`, `server`) before it
starts polling: a folder, a file that is not a heatconsole journal (`--journal /etc/shadow`, a
text file, another program's SQLite database), a folder that cannot be made or a read-only place
is one line naming the file and why, exit 2, and the file is left as it was (nothing written,
nothing created beside it). The commands that only read (`log`, `handover`) meet the same
refusal in store.connect. The reasons never quote the file's content.
"""

from __future__ import annotations

from pathlib import Path

from console.cli_i18n import translate
from console.commands.signals import uninterrupted
from console.core.history import store as history_store
from console.core.journal.store import JournalError, check_writable
from console.text_safety import terminal_safe


def journal_problem(journal: Path) -> str | None:
    """Why the journal cannot be kept at `journal` (None: it can; it now exists, its folder
    made). The history store beside it (default_history_path) must not be a foreign file
    either: the service writes it unasked."""
    msg = translate("server", "cannot keep the journal at {file}: {error}")
    if journal.is_dir():
        error = translate("server", "that is a folder; give a file name")
        return terminal_safe(msg.format(file=journal, error=error))
    try:
        # The history beside it, looked at first: nothing is made if either is refused.
        reason = history_store.not_ours(history_store.default_history_path(journal))
        if reason is not None:
            raise JournalError(reason)
        with uninterrupted():  # a stop signal waits until the file is closed again
            check_writable(journal)
    except JournalError as e:
        return terminal_safe(msg.format(file=journal, error=e))
    return None
