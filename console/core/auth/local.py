"""Who acts on a single seat or a field laptop: nobody authenticated them, so say so.

In the control room the broker authenticated the user and the server journals that name. A
standalone console has only the operating system's login and whatever `--user` claims; the
journal records the login marked as local, and a claimed name beside it as unverified — so
`log note --user chief_engineer` can no longer pass for the chief engineer's own note.
"""

from __future__ import annotations

import getpass

LOCAL = "(local)"


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): still name someone
        return "operator"


def local_identity(claimed: str | None = None) -> str:
    """`wang (local)`; with another name claimed: `chief_engineer (local, unverified; login
    wang)`."""
    login = login_name()
    claimed = (claimed or "").strip()
    if not claimed or claimed == login:
        return f"{login} {LOCAL}"
    return f"{claimed} (local, unverified; login {login})"


def is_local(user: str | None) -> bool:
    return bool(user) and "(local" in str(user)
