"""The role table: who may do what, and the reason a console shows when not."""

from __future__ import annotations

import pytest

from console.core.auth.roles import MINIMUM_ROLE, PERSON_ROLES, Role, Verb, may, why_not


def test_every_verb_has_a_minimum_role():
    assert set(MINIMUM_ROLE) == set(Verb)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("viewer", {"view"}),
        ("operator", {"view", "acknowledge", "shelve", "unshelve", "silence", "note"}),
        ("engineer", {"view", "acknowledge", "shelve", "unshelve", "silence", "note", "write"}),
        ("admin", {"view", "acknowledge", "write", "curve", "users"}),
    ],
)
def test_issue_roles(role, allowed):
    for verb in allowed:
        assert may(role, verb), (role, verb)


@pytest.mark.parametrize(
    ("role", "verb"),
    [
        ("viewer", "acknowledge"),
        ("viewer", "trend_query"),  # a viewer publishes nothing, queries included
        ("operator", "write"),
        ("operator", "curve"),
        ("engineer", "users"),
    ],
)
def test_refused_with_reason(role, verb):
    assert not may(role, verb)
    needed = MINIMUM_ROLE[Verb(verb)]
    assert why_not(role, verb) == f"needs the {needed} role; you are {role}"


def test_rights_only_grow_with_rank():
    for verb in Verb:
        allowed = [may(r, verb) for r in PERSON_ROLES]
        assert allowed == sorted(allowed), verb  # False… then True…
        assert allowed[-1], verb  # an admin may do everything


def test_server_account_takes_no_console_verbs():
    for verb in Verb:
        assert why_not(Role.SERVER, verb) == "a server account does not issue console commands"


def test_unknown_user_may_nothing():
    assert why_not(None, "view") == "not a known user"


def test_unknown_names_are_errors():
    with pytest.raises(ValueError, match=r"unknown role 'boss'.*viewer, operator"):
        may("boss", "view")
    with pytest.raises(ValueError, match="unknown verb 'launch'"):
        may("admin", "launch")
    assert Role.parse(" Operator ") is Role.OPERATOR
