"""The user store: argon2 round trip, atomic private file, clear refusals."""

from __future__ import annotations

import json
import stat
import threading

import pytest

from console.core.auth.roles import Role
from console.core.auth.users import UserError, UserStore
from tests.support.mosquitto import FAST_ARGON2


@pytest.fixture
def store(tmp_path):
    return UserStore(tmp_path / "etc" / "users.json", hasher=FAST_ARGON2)


def test_round_trip(tmp_path):
    store = UserStore(tmp_path / "users.json")  # the default (production) parameters
    store.add("alice", "s3cret pass", "operator")
    again = UserStore(store.path)  # a fresh reader of the same file
    assert again.verify("alice", "s3cret pass")
    assert not again.verify("alice", "s3cret pas")
    assert not again.verify("nobody", "s3cret pass")
    assert again.role_of("alice") is Role.OPERATOR
    assert again.role_of("nobody") is None
    text = store.path.read_text()
    assert "s3cret" not in text
    entry = json.loads(text)["users"]["alice"]
    assert entry["argon2"].startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert entry["mosquitto"].startswith("$7$")


def test_file_is_private_and_replaced_whole(store):
    store.add("alice", "pw", "viewer")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    inode = store.path.stat().st_ino
    store.set_role("alice", "engineer")
    assert store.path.stat().st_ino != inode  # os.replace, not an in-place rewrite
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["users.json", "users.json.lock"]


def test_passwd_role_remove(store):
    store.add("alice", "old", "viewer")
    store.passwd("alice", "new")
    assert store.verify("alice", "new") and not store.verify("alice", "old")
    assert store.set_role("alice", "admin").role is Role.ADMIN
    assert [u.name for u in store.list()] == ["alice"]
    store.remove("alice")
    assert store.list() == [] and not store.verify("alice", "new")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.add("alice", "pw", "viewer"), "user 'alice' already exists in .*users.json"),
        (lambda s: s.add("bob", "pw", "boss"), "unknown role 'boss'"),
        (lambda s: s.add("bob", "", "viewer"), "empty password"),
        (lambda s: s.passwd("bob", "pw"), "no user 'bob' in .*users.json"),
        (lambda s: s.set_role("bob", "viewer"), "no user 'bob'"),
        (lambda s: s.remove("bob"), "no user 'bob'"),
        (lambda s: s.get("bob"), "no user 'bob'"),
    ],
)
def test_refusals_leave_the_store_unchanged(store, call, message):
    store.add("alice", "pw", "viewer")
    before = store.path.read_bytes()
    with pytest.raises(UserError, match=message):
        call(store)
    assert store.path.read_bytes() == before


@pytest.mark.parametrize(
    "name",
    ["", "a/b", "a+b", "a#", "al ice", "tab\t", "nl\n", "bell\x07", "a:b", "%u", "-rf", ".hidden"],
)
def test_unsafe_names_refused(store, name):
    with pytest.raises(UserError, match="user name"):
        store.add(name, "pw", "viewer")
    assert not store.path.exists()


@pytest.mark.parametrize("name", ["alice", "op_2", "zhang.wei", "张伟", "o-1"])
def test_safe_names_accepted(store, name):
    store.add(name, "pw", "viewer")
    assert store.verify(name, "pw")


def test_corrupt_store_is_named(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_text("{not json")
    with pytest.raises(UserError, match=r"users.json is not valid JSON"):
        store.list()
    store.path.write_text(json.dumps({"version": 1, "users": {"a/b": {"role": "viewer"}}}))
    with pytest.raises(UserError, match=r"bad entry for 'a/b'"):
        UserStore(store.path).list()


def test_concurrent_adds_all_kept(store):
    errors: list[BaseException] = []

    def add(i: int) -> None:
        try:
            UserStore(store.path, hasher=FAST_ARGON2).add(f"user{i}", "pw", "viewer")
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [u.name for u in store.list()] == [f"user{i}" for i in range(4)]
