"""A standalone console's actor: the login, marked local; a claimed name marked unverified."""

from __future__ import annotations

import sqlite3

from console.cli import main
from console.core.auth import local


def test_login_marked_local(monkeypatch) -> None:
    monkeypatch.setattr(local, "login_name", lambda: "wang")
    assert local.local_identity(None) == "wang (local)"
    assert local.local_identity("wang") == "wang (local)"
    assert local.is_local("wang (local)") and not local.is_local("wang")


def test_a_claimed_name_is_not_passed_off_as_that_user(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(local, "login_name", lambda: "wang")
    journal = tmp_path / "j.sqlite"
    assert main(["log", "--journal", str(journal), "note", "valve checked",
                 "--user", "chief_engineer"]) == 0  # fmt: skip
    with sqlite3.connect(journal) as db:
        (user,) = db.execute("SELECT user FROM events WHERE action = 'note'").fetchone()
    assert user == "chief_engineer (local, unverified; login wang)"
