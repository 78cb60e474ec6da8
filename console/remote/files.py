"""A thin console's handover report and journal export: asked of a server, fetched in parts.

The server writes the file (from the shared journal when it has one: the same report
`heatconsole handover --db` writes) and offers it; this fetches it part by part with
`file_part` requests, one at a time, checks size and SHA-256, and only then puts it under its
final name. Blocking: call from a worker thread, never the GUI thread. A request that gets no
answer fails the whole transfer (NoReply) — never re-sent on its own.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from console.remote.session import REQUEST_TIMEOUT_S, RemoteSession, RequestFailed

# The server writes the file before it answers: a year's export takes longer than a command.
PREPARE_TIMEOUT_S = 120.0


def shared_partitions(session: RemoteSession) -> list[str]:
    """Which servers to ask for a report of the whole city: one that forwards to the shared
    journal (every server's events are there), else each server for its own partition."""
    parts = session.mirror.partitions
    shared = sorted(n for n, p in parts.items() if p.status.get("shared_journal"))
    return shared[:1] or sorted(parts)


def fetch_file(session: RemoteSession, partition: str, offer: dict[str, Any], out: Path) -> int:
    """Fetch the offered file into `out` (atomically); returns its size in bytes."""
    token, size, digest = offer.get("file"), offer.get("size"), offer.get("sha256")
    if not isinstance(token, str) or not isinstance(size, int) or not isinstance(digest, str):
        raise RequestFailed("no_file_offered")
    tmp = out.with_name(out.name + ".part")
    h = hashlib.sha256()
    got = 0
    try:
        with tmp.open("wb") as fh:
            while True:
                args = {"file": token, "offset": got}
                part = session.request("file_part", args, partition).result(REQUEST_TIMEOUT_S + 5)
                if part.get("offset") != got:
                    raise RequestFailed("file_part_order", offset=part.get("offset"))
                data = base64.b64decode(part.get("data") or "")
                fh.write(data)
                h.update(data)
                got += len(data)
                if part.get("end") or not data:
                    break
        if got != size or h.hexdigest() != digest:
            raise RequestFailed("file_damaged", name=out.name, got=got, size=size)
        tmp.replace(out)  # never a half-written file under the final name
    finally:
        tmp.unlink(missing_ok=True)
    return got


def ask(
    session: RemoteSession, verb: str, args: dict[str, Any], partition: str, out: Path
) -> dict[str, Any]:
    """Ask one server for a file (`handover`, `export`) and fetch it into `out`; the server's
    answer (its summary and which journal it read) comes back."""
    offer = session.request(verb, args, partition, timeout=PREPARE_TIMEOUT_S).result(
        PREPARE_TIMEOUT_S + 5
    )
    fetch_file(session, partition, offer, out)
    return offer
