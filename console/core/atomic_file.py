"""A text file written whole or not at all: the exports a dispatcher hands on (journal CSV/JSON,
metering CSV) are written beside their final name and renamed over it, so no reader ever opens
half a file. Qt-free."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

T = TypeVar("T")


def write_text_atomically(out: Path, write: Callable[[TextIO], T]) -> T:
    """`write(fh)` into `out` + ".part", then renamed over `out`; its result returned. On an
    OSError (a full disk, a folder gone) the part is removed and the error raised."""
    tmp = out.with_name(out.name + ".part")
    try:
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            result = write(fh)
        tmp.replace(out)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    return result
