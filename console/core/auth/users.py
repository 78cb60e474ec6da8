"""The user store: one JSON file of names, roles and password hashes, written atomically (0600).

Each user keeps two hashes of the same password, both made when the password is set, because
neither can be derived from the other and the plain password is never stored:
- `argon2`: argon2id (argon2-cffi), what heatconsole itself verifies (`UserStore.verify`);
- `mosquitto`: Mosquitto's own PBKDF2-SHA512 `$7$` hash, copied into the broker's password
  file whenever the broker files are regenerated (console/core/auth/mosquitto.py).

File format (docs/auth.md):
    {"version": 1, "users": {"alice": {"role": "operator", "argon2": "$argon2id$…",
                                       "mosquitto": "$7$…", "changed": "2026-12-07T09:00:00Z"}}}
Every change takes an exclusive lock on FILE.lock, re-reads the file, and replaces it with
os.replace, so two `heatconsole users` runs cannot lose each other's change.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from console.core.auth.files import write_private
from console.core.auth.mosquitto import mosquitto_hash
from console.core.auth.roles import Role

FORMAT_VERSION = 1
# Names end up in MQTT topics, the ACL file and the password file: letters (any script),
# digits, '_', '.', '-' only — no '/', '+', '#', '%', ':', whitespace or control characters.
_NAME = re.compile(r"[^\W][\w.-]{0,63}")
DEFAULT_HASHER = PasswordHasher()


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified against for an unknown name, so a wrong name costs as long as a wrong password."""
    return hasher.hash("heatconsole: no such user")


class UserError(ValueError):
    """A refused change or an unreadable store; the message says what and where."""


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: Role
    argon2: str
    mosquitto: str
    changed: str


def check_name(name: str) -> str:
    """`name` if it is a valid user name, else UserError saying why."""
    if not name:
        raise UserError("empty user name")
    if unicodedata.normalize("NFC", name) != name or not _NAME.fullmatch(name):
        raise UserError(
            f"bad user name {name!r}: use 1-64 letters, digits, '_', '.' or '-', "
            "starting with a letter, digit or '_'"
        )
    return name


def check_password(password: str) -> str:
    if not password:
        raise UserError("empty password")
    if "\n" in password or "\r" in password:
        raise UserError("a password cannot contain a line break")
    return password


def _role(role: Role | str) -> Role:
    try:
        return Role.parse(role)
    except ValueError as e:
        raise UserError(str(e)) from None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class UserStore:
    """The users in one file. Reads re-read the file when it changed; writes lock and replace."""

    def __init__(self, path: str | os.PathLike[str], hasher: PasswordHasher | None = None) -> None:
        """`hasher`: argon2id parameters for new hashes (default: argon2-cffi's, RFC 9106's
        low-memory profile); any stored hash verifies whatever parameters made it."""
        self.path = Path(path)
        self.hasher = hasher or DEFAULT_HASHER
        self._cache: tuple[tuple[int, int], dict[str, User]] | None = None

    # -- reading -------------------------------------------------------------------------

    def users(self) -> dict[str, User]:
        """Every user by name (empty if the file does not exist yet)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return {}
        key = (st.st_mtime_ns, st.st_size)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self._read())
        return dict(self._cache[1])

    def list(self) -> list[User]:
        return sorted(self.users().values(), key=lambda u: u.name)

    def get(self, name: str) -> User:
        user = self.users().get(name)
        if user is None:
            raise UserError(f"no user {name!r} in {self.path}")
        return user

    def role_of(self, name: str) -> Role | None:
        user = self.users().get(name)
        return None if user is None else user.role

    def verify(self, name: str, password: str) -> bool:
        """True if `password` is `name`'s password; False for a wrong one or an unknown name."""
        user = self.users().get(name)
        try:
            stored = user.argon2 if user else _dummy_hash(self.hasher)
            return self.hasher.verify(stored, password) and user is not None
        except (VerificationError, InvalidHashError):
            return False

    # -- changing ------------------------------------------------------------------------

    def add(self, name: str, password: str, role: Role | str) -> User:
        check_name(name)
        role = _role(role)
        check_password(password)
        with self._editing() as users:
            if name in users:
                raise UserError(f"user {name!r} already exists in {self.path}")
            users[name] = self._hashed(name, role, password)
            return users[name]

    def passwd(self, name: str, password: str) -> User:
        check_password(password)
        with self._editing() as users:
            users[name] = self._hashed(name, self._existing(users, name).role, password)
            return users[name]

    def set_role(self, name: str, role: Role | str) -> User:
        role = _role(role)
        with self._editing() as users:
            old = self._existing(users, name)
            users[name] = User(name, role, old.argon2, old.mosquitto, _now())
            return users[name]

    def remove(self, name: str) -> User:
        with self._editing() as users:
            return users.pop(self._existing(users, name).name)

    # -- the file ------------------------------------------------------------------------

    def _existing(self, users: dict[str, User], name: str) -> User:
        if name not in users:
            raise UserError(f"no user {name!r} in {self.path}")
        return users[name]

    def _hashed(self, name: str, role: Role, password: str) -> User:
        return User(name, role, self.hasher.hash(password), mosquitto_hash(password), _now())

    @contextmanager
    def _editing(self) -> Iterator[dict[str, User]]:
        """Lock, read, let the caller change the dict, write it back (only if no error)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            users = self._read() if self.path.exists() else {}
            yield users
            self._write(users)
            self._cache = None

    def _read(self) -> dict[str, User]:
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except OSError as e:
            raise UserError(f"cannot read user store {self.path}: {e.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise UserError(f"user store {self.path} is not valid JSON: {e}") from None
        if not isinstance(doc, dict) or doc.get("version") != FORMAT_VERSION:
            raise UserError(f"user store {self.path}: expected version {FORMAT_VERSION}")
        users: dict[str, User] = {}
        for name, entry in (doc.get("users") or {}).items():
            try:
                users[name] = User(
                    check_name(name),
                    Role.parse(entry["role"]),
                    entry["argon2"],
                    entry["mosquitto"],
                    entry.get("changed", ""),
                )
            except (KeyError, TypeError, ValueError) as e:
                raise UserError(f"user store {self.path}: bad entry for {name!r}: {e}") from None
        return users

    def _write(self, users: dict[str, User]) -> None:
        doc = {
            "version": FORMAT_VERSION,
            "users": {
                u.name: {
                    "role": u.role.value,
                    "argon2": u.argon2,
                    "mosquitto": u.mosquitto,
                    "changed": u.changed,
                }
                for u in sorted(users.values(), key=lambda u: u.name)
            },
        }
        write_private(self.path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def default_store_path() -> Path:
    """`$HEATCONSOLE_USERS`, else ~/.local/share/heatconsole/users.json."""
    env = os.environ.get("HEATCONSOLE_USERS")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "heatconsole" / "users.json"
