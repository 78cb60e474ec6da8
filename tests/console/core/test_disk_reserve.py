"""The journal's ballast: real blocks held, released at once, no partial ballast left behind."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from console.core.disk_reserve import DiskReserve
from console.core.store_and_forward import MIB, free_bytes

from .disk_full import fill, small_filesystem


def test_ballast_holds_allocated_blocks_not_a_sparse_file(tmp_path: Path) -> None:
    r = DiskReserve(tmp_path / "j.sqlite.reserve", 2 * MIB)
    assert r.held() == 0 and not r.full
    r.ensure()
    assert r.held() == 2 * MIB and r.full  # st_blocks, not the length: a sparse file holds 0
    r.ensure()  # already there: nothing to do
    assert r.release() == 2 * MIB
    assert r.held() == 0 and not r.path.exists()
    assert r.release() == 0  # releasing twice is harmless
    with pytest.raises(ValueError):
        DiskReserve(tmp_path / "x", 0)


def test_on_a_small_filesystem_the_ballast_takes_and_gives_back_space(tmp_path: Path) -> None:
    with small_filesystem(tmp_path, 8 * MIB) as mnt:
        before = free_bytes(mnt)
        r = DiskReserve(mnt / "j.sqlite.reserve", 3 * MIB)
        r.ensure()
        assert before - free_bytes(mnt) >= 3 * MIB
        r.release()
        assert free_bytes(mnt) == before

        fill(mnt, leave=MIB)  # less room than the ballast needs
        left = free_bytes(mnt)
        with pytest.raises(OSError) as err:
            r.ensure()
        assert err.value.errno == errno.ENOSPC
        assert not r.path.exists() and free_bytes(mnt) == left  # no half ballast eating space


def test_where_fallocate_is_not_supported_zeros_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unsupported(fd: int, offset: int, length: int) -> None:
        raise OSError(errno.EOPNOTSUPP, "Operation not supported")

    monkeypatch.setattr("os.posix_fallocate", unsupported)  # e.g. an old vfat stick
    r = DiskReserve(tmp_path / "j.sqlite.reserve", 3 * MIB + 5)
    r.ensure()
    assert r.held() == r.size and r.path.read_bytes() == bytes(r.size)  # real blocks, zeros
