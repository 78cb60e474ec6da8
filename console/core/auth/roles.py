"""Roles and what each may do: one table, read by the console (hide/disable with a reason)
and by the server (refuse a command whose sender's role may not do it).

The broker enforces the coarse half of the same table (console/core/auth/mosquitto.py): a
viewer publishes nothing, so every verb that travels as an MQTT command needs at least the
operator role, queries included — a viewer (the wall display) only reads retained topics.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"
    ENGINEER = "engineer"
    ADMIN = "admin"
    # An acquisition server's broker account: publishes plant state, reads commands. Not a
    # person: it takes no console verbs.
    SERVER = "server"

    @classmethod
    def parse(cls, text: str) -> Role:
        """The role named `text`, or ValueError listing the valid names."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(r.value for r in cls)
            raise ValueError(f"unknown role {text!r} (roles: {names})") from None


class Verb(StrEnum):
    VIEW = "view"
    ACKNOWLEDGE = "acknowledge"
    SHELVE = "shelve"
    UNSHELVE = "unshelve"
    SILENCE = "silence"
    NOTE = "note"
    TREND_QUERY = "trend_query"
    JOURNAL_QUERY = "journal_query"
    EXPORT = "export"
    HANDOVER = "handover"
    WRITE = "write"
    CURVE = "curve"
    USERS = "users"


# People's roles in rising order: each holds every right of the ones before it.
PERSON_ROLES: tuple[Role, ...] = (Role.VIEWER, Role.OPERATOR, Role.ENGINEER, Role.ADMIN)

# The one table: the lowest person role that may perform each verb.
MINIMUM_ROLE: dict[Verb, Role] = {
    Verb.VIEW: Role.VIEWER,
    Verb.ACKNOWLEDGE: Role.OPERATOR,
    Verb.SHELVE: Role.OPERATOR,
    Verb.UNSHELVE: Role.OPERATOR,
    Verb.SILENCE: Role.OPERATOR,
    Verb.NOTE: Role.OPERATOR,
    Verb.TREND_QUERY: Role.OPERATOR,
    Verb.JOURNAL_QUERY: Role.OPERATOR,
    Verb.EXPORT: Role.OPERATOR,
    Verb.HANDOVER: Role.OPERATOR,
    Verb.WRITE: Role.ENGINEER,
    Verb.CURVE: Role.ENGINEER,
    Verb.USERS: Role.ADMIN,
}


def _verb(verb: Verb | str) -> Verb:
    try:
        return Verb(verb)
    except ValueError:
        raise ValueError(f"unknown verb {verb!r}") from None


def why_not(role: Role | str | None, verb: Verb | str) -> str | None:
    """None if `role` may perform `verb`, else the reason a console shows on hover.

    `role` None: the sender is not (or no longer) in the user store — the server's answer to a
    command from a user removed since the broker let it connect.
    """
    needed = MINIMUM_ROLE[_verb(verb)]
    if role is None:
        return "not a known user"
    role = Role.parse(role)
    if role is Role.SERVER:
        return "a server account does not issue console commands"
    if PERSON_ROLES.index(role) >= PERSON_ROLES.index(needed):
        return None
    return f"needs the {needed} role; you are {role}"


def may(role: Role | str | None, verb: Verb | str) -> bool:
    return why_not(role, verb) is None
