"""Private files written whole: the user store and the broker's password and ACL files."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_private(path: Path, text: str, owner: str | None = None) -> None:
    """Replace `path` atomically with `text`, readable by its owner only (0600).

    `owner`: a system user to give the file to (needs root), e.g. the one the broker runs as;
    the new file has its owner before it takes the old one's place.

    A reader (the broker on SIGHUP, another `heatconsole users`) sees the old file or the new
    one, never half of one; an error leaves no temporary file behind.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if owner is not None:
            shutil.chown(tmp, user=owner)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
