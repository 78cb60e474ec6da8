"""`heatconsole log key …` and `log trust …`: the keys that sign and admit journal bundles.

heatconsole log key show                 this console's key id and public key (created if none)
heatconsole log key export [-o FILE]     the public key line, to carry to the control room
heatconsole log trust add FILE           trust bundles signed by that key
heatconsole log trust remove KEYID|NAME  stop trusting it
heatconsole log trust list               the trusted keys
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from console.cli import UserError
from console.cli_i18n import translate
from console.core.journal import signing
from console.text_safety import terminal_safe


def register_keys(subs: argparse._SubParsersAction) -> None:
    key = subs.add_parser("key", help=translate("log", "this console's bundle-signing key"))
    key_subs = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    show = key_subs.add_parser(
        "show", help=translate("log", "key id and public key (creates the key if none)")
    )
    show.set_defaults(func=run_key_show)
    exp = key_subs.add_parser(
        "export", help=translate("log", "write the public key for the control room")
    )
    exp.add_argument(
        "-o", "--output", metavar="FILE", help=translate("log", "file (default: standard output)")
    )
    exp.set_defaults(func=run_key_export)

    trust = subs.add_parser(
        "trust", help=translate("log", "the keys whose bundles `log import` accepts")
    )
    trust_subs = trust.add_subparsers(dest="trust_command", metavar="ACTION", required=True)
    add = trust_subs.add_parser(
        "add", help=translate("log", "trust a public key file (`log key export`)")
    )
    add.add_argument("file", metavar="FILE", help=translate("log", "public key file"))
    add.set_defaults(func=run_trust_add)
    rm = trust_subs.add_parser("remove", help=translate("log", "stop trusting a key"))
    rm.add_argument(
        "key", metavar="KEYID|NAME", help=translate("log", "key id (6+ hex digits) or its name")
    )
    rm.set_defaults(func=run_trust_remove)
    ls = trust_subs.add_parser("list", help=translate("log", "the trusted keys"))
    ls.set_defaults(func=run_trust_list)


def _own() -> signing.PublicKey:
    try:
        return signing.own_public()
    except signing.SigningKeyError as e:
        raise UserError(str(e)) from None


def run_key_show(args: argparse.Namespace) -> int:
    key = _own()
    where = signing.config_dir() / signing.KEY_FILE
    msg = translate("log", "key id {id} ({label}), {file}")
    print(msg.format(id=key.id, label=terminal_safe(key.label), file=where))
    print(key.line(), end="")
    return 0


def run_key_export(args: argparse.Namespace) -> int:
    key = _own()
    if not args.output:
        sys.stdout.write(key.line())
        return 0
    try:
        Path(args.output).write_text(key.line(), encoding="utf-8")
    except OSError as e:
        msg = translate("cli", "cannot write {file}: {error}")
        raise UserError(msg.format(file=args.output, error=e.strerror or e)) from None
    msg = translate("log", "public key {id} written to {file}")
    print(msg.format(id=key.id, file=args.output))
    return 0


def run_trust_add(args: argparse.Namespace) -> int:
    try:
        key = signing.trust_add(Path(args.file))
    except signing.SigningKeyError as e:
        raise UserError(str(e)) from None
    except OSError as e:
        msg = translate("log", "cannot store the key: {error}")
        raise UserError(msg.format(error=e.strerror or e)) from None
    msg = translate("log", "trusted key {id} ({label})")
    print(msg.format(id=key.id, label=terminal_safe(key.label)))
    return 0


def run_trust_remove(args: argparse.Namespace) -> int:
    removed = signing.trust_remove(args.key)
    if not removed:
        msg = translate("log", "no trusted key {key!r} (see `heatconsole log trust list`)")
        raise UserError(msg.format(key=args.key))
    for k in removed:
        msg = translate("log", "no longer trusted: key {id} ({label})")
        print(msg.format(id=k.id, label=terminal_safe(k.label)))
    return 0


def run_trust_list(args: argparse.Namespace) -> int:
    rows = signing.trust_list()
    own = None
    with contextlib.suppress(signing.SigningKeyError):  # no key yet: nothing of its own to list
        own = signing.own_public(create=False)
    if own is not None:
        mine = translate("log", "(this console's own key)")
        print(f"{own.id}  {terminal_safe(own.label)}  {mine}")
    for name, key, note in rows:
        if key is None:
            msg = translate("log", "{name}: ignored, {reason}")
            print(msg.format(name=terminal_safe(name), reason=terminal_safe(note)))
        else:
            print(f"{key.id}  {terminal_safe(key.label)}")
    if own is None and not rows:
        msg = translate("log", "no trusted keys: `heatconsole log trust add FILE` adds one")
        print(msg, file=sys.stderr)
    return 0
