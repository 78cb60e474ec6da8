"""Files a server prepared for a console (a handover report, a journal export), read in parts.

An MQTT message is no place for a 50 MB export: the server writes the file once, offers it
(`{"file": token, "size", "sha256", "name"}`) and the console fetches it in parts of
`PART_BYTES` with `file_part` requests, one at a time — each an ordinary request with its own
answer and timeout, never a stream that a lost link would leave half-delivered and unknown.
Only the user who asked may read a file; files go after `KEEP_S` or when more than `KEEP_FILES`
wait, and all of them when the server stops.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

PART_BYTES = 512 * 1024  # per message: ~700 kB of base64, far below any broker's limit
MAX_FILE_BYTES = 256 * 1024 * 1024  # an export larger than this: narrow the filters
KEEP_S = 600.0
DELIVERED_KEEP_S = 30.0
KEEP_FILES = 16


class FileTooLarge(OSError):
    pass


class BoundedWriter:
    """A text file that refuses to grow past `limit` bytes (an export of years of events)."""

    def __init__(self, fh: IO[str], limit: int) -> None:
        self.fh = fh
        self.limit = limit
        self.written = 0

    def write(self, text: str) -> int:
        self.written += len(text.encode("utf-8"))
        if self.written > self.limit:
            raise FileTooLarge(
                f"the file would exceed {self.limit // (1024 * 1024)} MB: narrow the filters "
                "(a shorter period, a district, a priority)"
            )
        return self.fh.write(text)


@dataclass
class _File:
    path: Path
    owner: str
    name: str
    size: int
    sha256: str
    made: float


class PreparedFiles:
    def __init__(self) -> None:
        self._dir: Path | None = None
        self._files: dict[str, _File] = {}
        self._lock = threading.Lock()  # files are made on worker threads, read on the loop

    def new_path(self, suffix: str) -> Path:
        """Where a worker writes a file before `offer` (a private temporary folder)."""
        with self._lock:
            if self._dir is None:
                self._dir = Path(tempfile.mkdtemp(prefix="heatconsole-files-"))
            return self._dir / f"{uuid.uuid4().hex}{suffix}"

    def offer(self, path: Path, owner: str, name: str) -> dict[str, Any]:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        token = path.stem
        f = _File(path, owner, name, path.stat().st_size, h.hexdigest(), time.monotonic())
        with self._lock:
            self._files[token] = f
            self._expire()
        return {"file": token, "size": f.size, "sha256": f.sha256, "name": name}

    def read(self, token: str, user: str, offset: int) -> tuple[bytes, bool]:
        """(the part at `offset`, whether it is the last); KeyError: no such file for `user`."""
        with self._lock:
            self._expire()
            f = self._files.get(token)
        if f is None or f.owner != user:
            raise KeyError(token)
        if not 0 <= offset <= f.size:
            raise ValueError(f"offset {offset} outside the file's {f.size} bytes")
        with f.path.open("rb") as fh:
            fh.seek(offset)
            data = fh.read(PART_BYTES)
        end = offset + len(data) >= f.size
        if end:  # delivered: kept a little longer only for a duplicate of the last request
            f.made = min(f.made, time.monotonic() - KEEP_S + DELIVERED_KEEP_S)
        return data, end

    def _expire(self) -> None:
        now = time.monotonic()
        old = [t for t, f in self._files.items() if now - f.made > KEEP_S]
        newest = sorted(self._files, key=lambda t: self._files[t].made, reverse=True)
        old += newest[KEEP_FILES:]
        for t in set(old):
            self._files.pop(t).path.unlink(missing_ok=True)

    def close(self) -> None:
        with self._lock:
            self._files.clear()
            if self._dir is not None:
                shutil.rmtree(self._dir, ignore_errors=True)
                self._dir = None
