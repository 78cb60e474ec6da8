"""Connections to the shared journal's PostgreSQL: the TLS rule and errors a user can read.

Credentials never cross a network in clear: `connect` refuses a host that is not loopback (or a
unix socket) unless the DSN says sslmode=verify-full, before any connection is attempted.
"""

from __future__ import annotations

import itertools
import os
import re
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from console.core.auth.transport import is_loopback
from console.core.journal.source import JournalReadError


class DbError(JournalReadError):
    """The database is unreachable, refuses us, or is not a heatconsole journal: a message for
    the user, with no password in it."""


def describe_dsn(dsn: str) -> str:
    """The DSN as postgresql://user@host:port/dbname, without password or options."""
    try:
        p = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "(unreadable database address)"
    user = p.get("user") or os.environ.get("PGUSER") or ""
    host = p.get("host") or p.get("hostaddr") or os.environ.get("PGHOST") or "(local socket)"
    port = p.get("port") or os.environ.get("PGPORT") or "5432"
    return f"postgresql://{user + '@' if user else ''}{host}:{port}/{p.get('dbname') or ''}"


def check_tls(dsn: str) -> dict[str, Any]:
    """Parse the DSN; refuse a remote server without sslmode=verify-full. Returns its params.

    libpq's own parser reads the DSN (URL or key=value, PGHOST and friends as fallbacks); what
    counts as this machine is the control room's one rule (auth.transport.is_loopback).
    """
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as e:
        raise DbError(f"cannot read the database address: {error_text(e)}") from None
    hosts = str(params.get("host") or os.environ.get("PGHOST") or "").split(",")
    addrs = str(params.get("hostaddr") or os.environ.get("PGHOSTADDR") or "").split(",")
    # libpq connects to hostaddr when given (host then only names the certificate).
    targets = [a or h for h, a in itertools.zip_longest(hosts, addrs, fillvalue="")]
    remote = [t for t in targets if not is_loopback(t.strip().strip("[]"))]
    sslmode = params.get("sslmode") or os.environ.get("PGSSLMODE") or "prefer"
    if remote and sslmode != "verify-full":
        raise DbError(
            f"{describe_dsn(dsn)}: {', '.join(remote)} is not on this machine, so the "
            f"connection must be encrypted and the server's certificate checked (sslmode is "
            f"{sslmode!r}); add sslmode=verify-full and sslrootcert=<CA file> to the address"
        )
    return params


_SERVER_AT = r'^connection to server (at|on socket) "[^"]*"(, port \d+)? failed: '


def error_text(e: BaseException) -> str:
    """psycopg's message, shortened to its cause: libpq repeats the address on every line, and
    the same failure once per attempt (with TLS, then without) and adds hints."""
    causes: list[str] = []
    for line in str(e).splitlines():
        text = " ".join(line.split())
        text = re.sub(r"^connection failed: ", "", text)
        text = re.sub(_SERVER_AT, "", text)
        text = text.replace("FATAL: ", "").strip()
        if text.startswith("Is the server running") and causes:
            causes[-1] += f" ({text[0].lower()}{text[1:]})"
        elif text and text not in causes:
            causes.append(text)
    return "; ".join(causes) or type(e).__name__


def connect(
    dsn: str, *, autocommit: bool = False, read_only: bool = False, timeout_s: int = 10
) -> psycopg.Connection[Any]:
    """Connect after the TLS check; DbError with a clear reason if that fails.

    Keepalives and tcp_user_timeout bound how long a dead network can hang a query.
    """
    check_tls(dsn)
    try:
        conn = psycopg.connect(
            dsn,
            autocommit=autocommit,
            connect_timeout=timeout_s,
            application_name="heatconsole",
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
            tcp_user_timeout=30_000,
        )
    except psycopg.Error as e:
        raise DbError(f"cannot connect to {describe_dsn(dsn)}: {error_text(e)}") from None
    conn.read_only = read_only or None
    return conn
