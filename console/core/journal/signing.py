"""Who exported a journal bundle: a per-laptop Ed25519 key, and the control room's trusted keys.

A bundle's checksum only says its rows match its manifest; anyone with sqlite3 can edit a
journal and export it again. So each console signs what it exports with its own key, created
on first use under the user's config directory (`signing-key.pem`, mode 0600, in a 0700
directory), and the control room keeps the public keys of the laptops it trusts
(`trusted-keys/<key id>.pub`). Ed25519: small keys, deterministic signatures, no parameters to
get wrong; the `cryptography` package implements it.

A public key travels as one line of text, `heatconsole-ed25519 <base64 of 32 bytes> <label>`,
and is named by its key id: the first 16 hex digits of the SHA-256 of its 32 bytes.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from console.core.events import CONSOLE_ID

KEY_FILE = "signing-key.pem"
TRUST_DIR = "trusted-keys"
PUBLIC_PREFIX = "heatconsole-ed25519"
MAX_PUBLIC_FILE = 4096  # a public key file is one short line
_LABEL = re.compile(r"[^\w.@:+-]")


class SigningKeyError(Exception):
    """A key file that is missing, unreadable, malformed or too open: one clear sentence."""


def config_dir() -> Path:
    """$HEATCONSOLE_CONFIG_DIR, else $XDG_CONFIG_HOME/heatconsole, else ~/.config/heatconsole."""
    env = os.environ.get("HEATCONSOLE_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(Path.home(), ".config")
    return Path(base) / "heatconsole"


def key_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class PublicKey:
    raw: bytes  # 32 bytes
    label: str  # the console it belongs to, as its owner named it

    @property
    def id(self) -> str:
        return key_id(self.raw)

    def line(self) -> str:
        return f"{PUBLIC_PREFIX} {base64.b64encode(self.raw).decode()} {self.label}\n"

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


def parse_public(text: str, source: str) -> PublicKey:
    """A public key line (as `log key export` writes it); SigningKeyError naming `source`."""
    parts = text.strip().split(maxsplit=2)
    if len(parts) < 2 or parts[0] != PUBLIC_PREFIX:
        raise SigningKeyError(
            f"{source} is not a heatconsole public key (`{PUBLIC_PREFIX} …` line)"
        )
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise SigningKeyError(f"{source}: the key is not 32 bytes of base64")
    label = _LABEL.sub("_", parts[2] if len(parts) > 2 else "")[:64] or "unnamed"
    return PublicKey(raw, label)


def read_public_file(path: Path) -> PublicKey:
    try:
        if not path.is_file():  # a directory, a device, a FIFO: nothing to read a key from
            raise SigningKeyError(f"{path} is not a heatconsole public key (not a regular file)")
        if path.stat().st_size > MAX_PUBLIC_FILE:
            raise SigningKeyError(f"{path} is not a heatconsole public key (too big)")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SigningKeyError(f"{path} is not a heatconsole public key (not text)") from None
    except OSError as e:
        raise SigningKeyError(f"cannot read {path}: {e.strerror or e}") from None
    return parse_public(text, str(path))


# ---- this console's own key --------------------------------------------------------------------


def _private_dir(d: Path) -> None:
    d.mkdir(parents=True, exist_ok=True, mode=0o700)


def signing_key(directory: Path | None = None, *, create: bool = True) -> Ed25519PrivateKey:
    """This console's private key; created (mode 0600) on first use when `create`."""
    d = directory or config_dir()
    path = d / KEY_FILE
    if not path.exists():
        if not create:
            raise SigningKeyError(
                f"no signing key yet ({path}); `heatconsole log key show` creates it"
            )
        return _create_key(path)
    try:
        st = path.stat()
        if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SigningKeyError(
                f"{path} can be read by other users (mode {stat.S_IMODE(st.st_mode):04o}): "
                f"`chmod 600 {path}` before it signs anything"
            )
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as e:
        raise SigningKeyError(f"cannot read the signing key {path}: {e.strerror or e}") from None
    except (ValueError, TypeError):
        raise SigningKeyError(f"{path} is not a usable signing key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} is not an Ed25519 key")
    return key


def _create_key(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        _private_dir(path.parent)
        # O_EXCL: two consoles starting their first export at once keep one key, not two.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return signing_key(path.parent, create=False)
    except OSError as e:
        raise SigningKeyError(f"cannot create the signing key {path}: {e.strerror or e}") from None
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
        f.flush()
        os.fsync(f.fileno())
    return key


def own_public(directory: Path | None = None, *, create: bool = True) -> PublicKey:
    return PublicKey(raw_public(signing_key(directory, create=create).public_key()), CONSOLE_ID)


# ---- the control room's trusted keys -----------------------------------------------------------


def trusted_keys(directory: Path | None = None) -> dict[str, PublicKey]:
    """Key id -> trusted public key. This console's own key (if it has one) is trusted too."""
    d = directory or config_dir()
    out: dict[str, PublicKey] = {}
    with contextlib.suppress(SigningKeyError):
        own = own_public(d, create=False)
        out[own.id] = own
    tdir = d / TRUST_DIR
    for f in sorted(tdir.glob("*.pub")) if tdir.is_dir() else []:
        with contextlib.suppress(
            SigningKeyError
        ):  # a damaged file trusts nobody; `trust list` says so
            k = read_public_file(f)
            out[k.id] = k
    return out


def trust_add(file: Path, directory: Path | None = None) -> PublicKey:
    key = read_public_file(file)
    tdir = (directory or config_dir()) / TRUST_DIR
    _private_dir(tdir)
    target = tdir / f"{key.id}.pub"
    tmp = target.with_suffix(".part")
    tmp.write_text(key.line(), encoding="utf-8")
    tmp.replace(target)
    return key


def trust_remove(which: str, directory: Path | None = None) -> list[PublicKey]:
    """Stop trusting the key(s) with this id (or id prefix of ≥ 6 digits) or label."""
    tdir = (directory or config_dir()) / TRUST_DIR
    removed = []
    for f in sorted(tdir.glob("*.pub")) if tdir.is_dir() else []:
        try:
            k = read_public_file(f)
        except SigningKeyError:
            continue
        if k.label == which or (len(which) >= 6 and k.id.startswith(which.lower())):
            f.unlink()
            removed.append(k)
    return removed


def trust_list(directory: Path | None = None) -> list[tuple[str, PublicKey | None, str]]:
    """(file name, key or None, note) for every file in the trust directory."""
    tdir = (directory or config_dir()) / TRUST_DIR
    out: list[tuple[str, PublicKey | None, str]] = []
    for f in sorted(tdir.glob("*.pub")) if tdir.is_dir() else []:
        try:
            out.append((f.name, read_public_file(f), ""))
        except SigningKeyError as e:
            out.append((f.name, None, str(e)))
    return out
