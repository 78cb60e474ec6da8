"""`heatconsole check-config` and `generate-network`: exit codes and output, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from console.cli import main
from station_config.loader import DEMO_CONFIG, load_network

BAD = """\
name: bad
templates: [templates/substation-v1.yaml]
districts: [{id: jianxi, name: 涧西区, center: [0, 0]}]
stations:
  - {id: a, name: A, district: jianxi, trunk: t1, template: substation-v1, host: 127.0.1.1,
     position: [0, 0], prot: 1502}
  - {id: a, name: B, district: nowhere, trunk: t1, template: substation-v1, host: 127.0.1.2,
     position: [0, 0], rooms: -3}
"""


def test_demo_is_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", str(DEMO_CONFIG)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "62 stations" in out


def test_problems_listed_with_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(BAD, encoding="utf-8")
    assert main(["check-config", str(f)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"6 problem(s) in {f}"
    body = err[:-1]
    assert len(body) == 6 and all(line.startswith(f"{f}:") for line in body)
    assert any("stations[0].prot: unknown field `prot` — did you mean `port`?" in x for x in body)
    assert any(":7: stations[1].id: duplicate id `a`" in x for x in body)
    assert any(":8: stations[1].rooms:" in x for x in body)  # its own line


@pytest.mark.parametrize("kind", ["missing", "directory", "binary", "empty"])
def test_unreadable_files_are_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    target = {"missing": tmp_path / "nope.yaml", "directory": tmp_path}.get(kind)
    if target is None:
        target = tmp_path / f"{kind}.yaml"
        target.write_bytes(bytes(range(256)) if kind == "binary" else b"")
    assert main(["check-config", str(target)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "1 problem(s)" in err


def test_generate_network(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "city.yaml"
    assert main(["generate-network", "--stations", "120", "--seed", "3", "-o", str(out)]) == 0
    assert "120 stations" in capsys.readouterr().out
    assert len(load_network(out).stations) == 120
    assert main(["check-config", str(out)]) == 0


@pytest.mark.parametrize(
    "args",
    [["--stations", "0"], ["--rooms", "300"], ["-o", "/nonexistent-dir/x/city.yaml"]],
)
def test_generate_network_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    argv = ["generate-network", "-o", str(tmp_path / "c.yaml"), *args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("heatconsole generate-network:") and "Traceback" not in err


def test_generate_network_into_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate-network", "-o", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_real_script_no_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "heatconsole"
    exe = str(script) if script.exists() else shutil.which("heatconsole")
    assert exe, "the heatconsole script is not installed"
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\x00\xff garbage")
    r = subprocess.run([exe, "check-config", str(bad)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "1 problem(s)" in r.stderr


def test_problems_quoting_hostile_text_are_inert(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    hostile: tuple[str, ...],
    assert_inert: Callable[[str], None],
) -> None:
    """Unknown keys and references are quoted in problems: their controls are shown escaped."""
    f = tmp_path / "net.yaml"
    keys = "".join(
        f'"{h.encode("unicode_escape").decode()}x{i}": 1, ' for i, h in enumerate(hostile)
    )
    f.write_text(BAD.replace("prot: 1502}", keys + "prot: 1502}"), encoding="utf-8")
    assert main(["check-config", str(f)]) == 1
    err = capsys.readouterr().err
    assert_inert(err)
    assert err.count("unknown field") >= len(hostile) and "\\x1b]0;PWNED" in err
