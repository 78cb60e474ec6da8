"""This console's bundle-signing key and the control room's trusted keys, on real files."""

from __future__ import annotations

import dataclasses
import stat
from pathlib import Path

import pytest

from console.core.journal import signing


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_key_created_once_private_and_stable(tmp_path: Path) -> None:
    d = tmp_path / "cfg"
    with pytest.raises(signing.SigningKeyError, match="no signing key yet"):
        signing.signing_key(d, create=False)
    first = signing.own_public(d)
    assert mode(d / signing.KEY_FILE) == 0o600 and mode(d) == 0o700
    assert signing.own_public(d) == first  # the same key on every use
    parsed = signing.parse_public(first.line(), "line")
    assert parsed == first and len(first.id) == 16
    assert signing.trusted_keys(d) == {first.id: first}  # its own key is trusted


def test_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    signing.own_public(tmp_path)
    (tmp_path / signing.KEY_FILE).chmod(0o644)
    with pytest.raises(signing.SigningKeyError, match=r"read by other users.*chmod 600"):
        signing.signing_key(tmp_path)


@pytest.mark.parametrize(
    "content",
    [b"ssh-ed25519 AAAA user@host\n", b"heatconsole-ed25519 c2hvcnQ= x\n", b"\x00\xff" * 10,
     b"heatconsole-ed25519 " + b"A" * 5000],
    ids=["other format", "short key", "binary", "too big"],
)  # fmt: skip
def test_bad_public_key_files_are_named(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "laptop.pub"
    f.write_bytes(content)
    with pytest.raises(signing.SigningKeyError, match=str(f)):
        signing.trust_add(f, tmp_path / "cfg")
    assert signing.trust_list(tmp_path / "cfg") == []


def test_devices_and_directories_are_not_read(tmp_path: Path) -> None:
    for path in (Path("/dev/zero"), tmp_path):
        with pytest.raises(signing.SigningKeyError, match="not a regular file"):
            signing.trust_add(path, tmp_path / "cfg")


def test_trust_add_list_remove(tmp_path: Path) -> None:
    a, b = signing.own_public(tmp_path / "a"), signing.own_public(tmp_path / "b")
    ctl = tmp_path / "ctl"
    for name, key in (("a", a), ("b", b)):
        # Only the label field: the key's base64 may contain the label's letters too.
        relabelled = dataclasses.replace(key, label=f"laptop-{name}")
        (tmp_path / f"{name}.pub").write_text(relabelled.line())
        signing.trust_add(tmp_path / f"{name}.pub", ctl)
    assert [k.label for _, k, _ in signing.trust_list(ctl) if k] == sorted(
        ["laptop-a", "laptop-b"], key=lambda lbl: (a if lbl == "laptop-a" else b).id
    )
    assert set(signing.trusted_keys(ctl)) == {a.id, b.id}  # the control room has no own key yet
    assert signing.trust_remove("abc", ctl) == []  # too short an id prefix matches nothing
    assert [k.id for k in signing.trust_remove(a.id[:6], ctl)] == [a.id]
    assert [k.id for k in signing.trust_remove("laptop-b", ctl)] == [b.id]
    assert signing.trusted_keys(ctl) == {}
