"""A field laptop's bundle reaches the control room's journal only by a key it trusts, or by
the operator's explicit, journalled word (`heatconsole log key|trust`, `log import`)."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from console.cli import main


def on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, machine: str) -> Path:
    """Run the next commands as `machine` (its own config dir and journal)."""
    monkeypatch.setenv("HEATCONSOLE_CONFIG_DIR", str(tmp_path / machine / "config"))
    monkeypatch.setenv("HEATCONSOLE_JOURNAL", str(tmp_path / machine / "journal.sqlite"))
    return tmp_path / machine


def test_laptop_to_control_room(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = on(tmp_path, monkeypatch, "laptop7")
    assert main(["log", "note", "valve 3 replaced", "--user", "李"]) == 0
    bundle, pub = tmp_path / "field.hcj", tmp_path / "laptop7.pub"
    assert main(["log", "export", "-o", str(bundle)]) == 0
    key = laptop / "config" / "signing-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600  # created by the first export
    assert main(["log", "key", "export", "-o", str(pub)]) == 0
    capsys.readouterr()
    assert main(["log", "key", "show"]) == 0
    kid = capsys.readouterr().out.split()[2]
    assert pub.read_text().startswith("heatconsole-ed25519 ") and len(kid) == 16

    on(tmp_path, monkeypatch, "control")
    assert main(["log", "import", str(bundle)]) == 2
    err = capsys.readouterr().err
    assert f"signed by key {kid}" in err and "log trust add" in err and "Traceback" not in err
    assert main(["log", "trust", "add", str(pub)]) == 0
    assert main(["log", "trust", "list"]) == 0
    assert kid in capsys.readouterr().out
    assert main(["log", "import", str(bundle)]) == 0
    assert f"1 added, 0 already present — signed by trusted key {kid}" in capsys.readouterr().out
    assert main(["log", "trust", "remove", kid]) == 0
    assert main(["log", "import", str(bundle)]) == 2
    assert main(["log", "import", str(bundle), "--trust-key", kid]) == 0
    out = capsys.readouterr()
    assert "0 added, 1 already present" in out.out and "recorded in the journal" in out.err
    assert main(["log", "--format", "json", "--kind", "operator"]) == 0
    rows = json.loads(capsys.readouterr().out)
    notes = [r["user"] for r in rows if r["action"] == "note"]
    assert len(notes) == 1 and notes[0].startswith("李 (local, unverified")
    (rec,) = [r for r in rows if r["action"] == "import"]
    assert rec["details"]["override"] == "untrusted-key" and kid in rec["message"]


def test_unsigned_import_and_bad_key_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = on(tmp_path, monkeypatch, "laptop7")
    assert main(["log", "note", "plain"]) == 0
    on(tmp_path, monkeypatch, "control")
    plain = laptop / "journal.sqlite"
    assert main(["log", "import", str(plain)]) == 2
    assert "--trust-unsigned" in capsys.readouterr().err
    assert main(["log", "import", str(plain), "--trust-unsigned"]) == 0
    assert "unsigned, accepted by --trust-unsigned" in capsys.readouterr().out
    assert main(["log", "trust", "add", str(plain)]) == 2
    assert f"{plain} is not a heatconsole public key" in capsys.readouterr().err
    assert main(["log", "trust", "remove", "nobody"]) == 2


def test_bad_rows_are_listed_one_per_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = on(tmp_path, monkeypatch, "laptop7")
    assert main(["log", "note", "fine"]) == 0
    db = sqlite3.connect(laptop / "journal.sqlite")
    db.execute("UPDATE events SET kind = 'sql\x1b[2J', user = ?", ("chief_engineer" * 40,))
    db.commit()
    db.close()
    bundle = tmp_path / "field.hcj"
    assert main(["log", "export", "-o", str(bundle)]) == 0  # this laptop's own, trusted key
    capsys.readouterr()
    assert main(["log", "import", str(bundle), "--journal", str(tmp_path / "ctl.sqlite")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert "2 bad field(s), nothing imported" in lines[0]
    assert lines[1].strip().startswith("row 1 (id ") and ": kind: unknown kind" in lines[1]
    assert ": user: 560 bytes, more than the 256 allowed" in lines[2]
    assert "\x1b" not in "".join(lines)
