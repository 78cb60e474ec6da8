"""A text file written whole or not at all: renamed into place, nothing left on a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.atomic_file import write_text_atomically


def test_written_whole_under_its_name(tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    out.write_text("the old export\n")
    assert write_text_atomically(out, lambda fh: fh.write("a,b\r\n1,2\r\n")) == 10
    assert out.read_bytes() == b"a,b\r\n1,2\r\n"  # newline="" as csv wants
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_part(tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    out.write_text("the old export\n")

    def full_disk(fh) -> None:  # type: ignore[no-untyped-def]
        fh.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_text_atomically(out, full_disk)
    assert out.read_text() == "the old export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]
