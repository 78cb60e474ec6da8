"""A real, small filesystem for disk-full tests: a tmpfs, else a loop-mounted ext4 image.

Both need root (mount). Where neither can be mounted the test is skipped with the exact
reasons. `fill()` takes the free space down with a filler file; deleting it gives it back.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.core.store_and_forward import free_bytes


def _run(*cmd: str) -> str | None:
    """None if the command worked, else why not (its own words)."""
    if shutil.which(cmd[0]) is None:
        return f"{cmd[0]} not found"
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return None if r.returncode == 0 else f"`{' '.join(cmd)}` failed: {r.stderr.strip()}"


@contextlib.contextmanager
def small_filesystem(where: Path, size: int) -> Iterator[Path]:
    """Mount a `size`-byte filesystem at where/small_fs for the duration; skip if impossible."""
    mnt = where / "small_fs"
    mnt.mkdir()
    why = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt))
    if why is not None:
        img = where / "small_fs.img"
        with img.open("wb") as f:
            f.truncate(size)
        why2 = _run("mkfs.ext4", "-q", "-F", "-m", "0", str(img)) or _run(
            "mount", "-o", "loop", str(img), str(mnt)
        )
        if why2 is not None:
            pytest.skip(f"no small real filesystem: tmpfs: {why}; loop ext4: {why2}")
    try:
        yield mnt
    finally:
        if _run("umount", str(mnt)) is not None:
            _run("umount", "-l", str(mnt))


def fill(directory: Path, leave: int = 0, name: str = "filler") -> Path:
    """Write a filler file until at most `leave` bytes are free (0: until ENOSPC)."""
    path = directory / name
    chunk = bytes(64 << 10)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
    try:
        while True:
            free = free_bytes(directory)
            if free <= leave:
                break
            try:
                os.write(fd, chunk[: max(1, min(len(chunk), free - leave))])
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                break
        os.fsync(fd)
    finally:
        os.close(fd)
    return path
