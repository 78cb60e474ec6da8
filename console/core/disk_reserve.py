"""A ballast file: disk space the journal holds in reserve for a disk-full episode.

Why a ballast and not a spill location: the journal is one file that the viewer, `log`,
handover reports and bundles read; a second location splits the record of a shift in two
places exactly when things go wrong, and most field laptops have one disk anyway. A ballast
beside the journal (same filesystem, which is what makes it work) is released the moment a
commit fails for lack of space; the journal then keeps committing into the freed blocks for
as long as they last (16 MiB carried 38,000 events, bench_disk_reserve.py), the history having
paused before it (it stops below its own free-space threshold). When space returns, the journal
first writes anything still buffered, then re-creates the ballast; the history resumes last.

The blocks must really be allocated: `posix_fallocate` does that on ext4, xfs, btrfs and tmpfs;
where it is not supported the file is written with zeros. A sparse file (ftruncate alone) would
hold nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

DEFAULT_RESERVE_BYTES = 16 << 20
_CHUNK = 1 << 20


class DiskReserve:
    """The ballast file at `path` of `size` bytes; not thread-safe (one owner thread)."""

    def __init__(self, path: str | os.PathLike[str], size: int = DEFAULT_RESERVE_BYTES) -> None:
        if size <= 0:
            raise ValueError("a disk reserve needs a positive size")
        self.path = Path(path)
        self.size = int(size)

    def held(self) -> int:
        """Bytes of disk the ballast really holds now (allocated blocks, not its length)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return 0
        return min(st.st_blocks * 512, st.st_size)

    @property
    def full(self) -> bool:
        return self.held() >= self.size

    def ensure(self) -> None:
        """Create (or complete) the ballast so it holds `size` bytes of real blocks.

        Raises OSError (ENOSPC when the space is not there); a partly made ballast is removed
        again, so a failed attempt never eats the last free blocks."""
        if self.full:
            return
        fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            try:
                os.posix_fallocate(fd, 0, self.size)
            except OSError as e:
                if e.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    raise
                self._write_zeros(fd)
            os.fsync(fd)
        except OSError:
            os.close(fd)
            self.release()
            raise
        os.close(fd)

    def _write_zeros(self, fd: int) -> None:
        zeros = bytes(_CHUNK)
        os.lseek(fd, 0, os.SEEK_SET)
        left = self.size
        while left > 0:
            left -= os.write(fd, zeros[: min(left, _CHUNK)])

    def release(self) -> int:
        """Give the ballast's blocks back to the filesystem; returns the bytes freed."""
        freed = self.held()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        return freed
