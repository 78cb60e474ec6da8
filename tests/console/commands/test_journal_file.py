"""`--journal` naming something that is not a heatconsole journal, or a place no journal can be
kept: every command that takes it refuses at start, before it polls, in one line that says
what and where (no word of the file's content), exit 2, the file as it was (bytes, mtime,
nothing created beside it). The real CLI in a subprocess; it ran on with a failed journal."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests/fixtures/small_network.yaml"
TEMPLATE = ROOT / "station_config/templates/substation-v1.yaml"
SECRET = "root:$6$pepper$notforyoureyes:19000:0:99999:7:::\n"
pytestmark = pytest.mark.timeout(180)


def _shadow(folder: Path) -> Path:
    p = folder / "shadow"
    p.write_text(SECRET, encoding="utf-8")
    return p


def _foreign_wal_database(folder: Path) -> Path:
    p = folder / "places.sqlite"
    with contextlib.closing(sqlite3.connect(p)) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("CREATE TABLE shadow (name TEXT, hash TEXT)")
        db.execute("INSERT INTO shadow VALUES ('root', 'notforyoureyes')")
        db.commit()
    return p


def _empty(folder: Path) -> Path:
    p = folder / "nologin"
    p.touch()
    return p


def _folder(folder: Path) -> Path:
    (folder / "journals").mkdir()
    return folder / "journals"


def _under_a_file(folder: Path) -> Path:
    return _shadow(folder) / "journal.sqlite"  # its folder cannot be made


def _history_beside(folder: Path) -> Path:
    _shadow(folder).rename(folder / "history.sqlite")  # the history the service writes unasked
    return folder / "journal.sqlite"


KINDS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "text file": (_shadow, "is not a heatconsole journal (not an SQLite file)"),
    "foreign database": (_foreign_wal_database, "an SQLite database of something else"),
    "empty file": (_empty, "is an empty file, not a heatconsole journal"),
    "folder": (_folder, "that is a folder; give a file name"),
    "under a file": (_under_a_file, "cannot look at it (Not a directory)"),
    "history beside": (_history_beside, "is not a heatconsole history store"),
}


def _network(tmp_path: Path) -> Path:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["templates"] = [str(TEMPLATE)]
    path = tmp_path / "net.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int] | None]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) if p.is_file() else None
        for p in folder.rglob("*")
    }


def _refused(command: list[str], journal: Path, tmp_path: Path) -> str:
    """Run the command with `--journal journal`: exit 2, one line on stderr (returned), nothing
    on stdout (no table: it did not poll), every file under the journal's folder unchanged."""
    watched = journal.parent if journal.parent.is_dir() else journal.parent.parent
    before = _snapshot(watched)
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    r = subprocess.run(
        [sys.executable, "-m", "console.cli", *command, "--journal", str(journal)],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2, (r.returncode, r.stdout[-500:], r.stderr[-2000:])
    assert r.stderr.count("\n") == 1, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert not any(w in r.stderr for w in ("notforyoureyes", "pepper", "shadow VALUES")), r.stderr
    assert _snapshot(watched) == before
    return r.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_poll_refuses_before_it_polls(kind: str, tmp_path: Path) -> None:
    make, said = KINDS[kind]
    place = tmp_path / "place"  # its own folder: every file in it is watched
    place.mkdir()
    journal = make(place)
    err = _refused(["poll", "--config", str(_network(tmp_path))], journal, tmp_path)
    assert err.startswith(f"heatconsole poll: cannot keep the journal at {journal}: "), err
    assert said in err, err


@pytest.mark.parametrize(
    "command",
    [["run"], ["wall", "--windowed"], ["demo", "--scenario", "none"]],
    ids=["run", "wall", "demo"],
)
def test_the_window_commands_refuse_before_anything_starts(
    command: list[str], tmp_path: Path
) -> None:
    """Before a window opens or the demo's simulator starts."""
    journal = _foreign_wal_database(tmp_path)
    err = _refused([*command, "--config", str(_network(tmp_path))], journal, tmp_path)
    assert err.startswith(f"heatconsole {command[0]}: cannot keep the journal at {journal}: ")


@pytest.mark.parametrize("command", [["log"], ["log", "note", "a note"]], ids=["log", "log-note"])
@pytest.mark.parametrize("kind", ["text file", "empty file", "foreign database"])
def test_log_reads_and_writes_only_a_journal(command: list[str], kind: str, tmp_path: Path) -> None:
    """`log` reading, and `log note` writing (an empty file became a journal then)."""
    make, said = KINDS[kind]
    journal = make(tmp_path)
    err = _refused(command, journal, tmp_path)
    assert err.startswith("heatconsole log: ") and said in err, err


@pytest.mark.parametrize("kind", ["text file", "foreign database"])
def test_handover_reads_only_a_journal(kind: str, tmp_path: Path) -> None:
    """The shift report refuses the same way (its report file is not written)."""
    make, said = KINDS[kind]
    place = tmp_path / "place"
    place.mkdir()
    report = tmp_path / "report.html"
    err = _refused(["handover", "-o", str(report)], make(place), tmp_path)
    assert err.startswith("heatconsole handover: ") and said in err, err
    assert not report.exists()
