"""Files a server prepares for a console: real files in a temporary folder."""

from __future__ import annotations

import hashlib
import io

import pytest

from console.server import prepared_files
from console.server.prepared_files import PART_BYTES, BoundedWriter, FileTooLarge, PreparedFiles


def make(files: PreparedFiles, data: bytes, owner: str = "wang") -> dict:
    path = files.new_path(".csv")
    path.write_bytes(data)
    return files.offer(path, owner, "journal export")


def test_a_file_is_read_in_parts_by_its_owner_only() -> None:
    files = PreparedFiles()
    try:
        data = bytes(range(256)) * (PART_BYTES // 256 * 2 + 3)
        offer = make(files, data)
        assert offer["size"] == len(data)
        assert offer["sha256"] == hashlib.sha256(data).hexdigest()
        with pytest.raises(KeyError):
            files.read(offer["file"], "zhao", 0)
        got, offset, end = b"", 0, False
        while not end:
            part, end = files.read(offer["file"], "wang", offset)
            got += part
            offset += len(part)
        assert got == data and offset == len(data)
        with pytest.raises(ValueError, match="outside"):
            files.read(offer["file"], "wang", len(data) + 1)
    finally:
        files.close()


def test_old_files_go_when_too_many_wait() -> None:
    files = PreparedFiles()
    try:
        offers = [make(files, b"x%d" % i) for i in range(prepared_files.KEEP_FILES + 2)]
        with pytest.raises(KeyError):
            files.read(offers[0]["file"], "wang", 0)
        assert files.read(offers[-1]["file"], "wang", 0) == (b"x%d" % (len(offers) - 1), True)
        kept = list(files.new_path("").parent.iterdir())
        assert len(kept) == prepared_files.KEEP_FILES  # the others' bytes are gone from disk
    finally:
        files.close()


def test_an_export_may_not_grow_past_its_bound() -> None:
    out = io.StringIO()
    w = BoundedWriter(out, 10)
    w.write("1234")
    w.write("六七")  # 6 bytes in UTF-8: 10, at the bound
    with pytest.raises(FileTooLarge, match="narrow the filters"):
        w.write("x")
    assert out.getvalue() == "1234六七"  # nothing past the bound was written
