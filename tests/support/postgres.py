"""A real PostgreSQL server for tests and benchmarks: Debian's binaries, a temporary cluster.

`pg_server` (session) — `PgServer`: initdb into a fresh temporary directory, started on a free
127.0.0.1 port with its unix socket in that directory; stopped and removed at the end.
`pg_server.stop()` / `.start()` take it down and up mid-test (same port, same data).
`pg_db` (function) — `PgDatabase`: a fresh database on that server (dropped after the test);
`pg_db.admin_dsn` reaches it over TCP as the superuser with a password.
`pg_journal` (function) — `PgJournal`: that database set up by `init_database`, with its server
and reader roles. The server also speaks TLS with a certificate for localhost / 127.0.0.1
signed by a CA made for it (`pg_server.ca_file`). The server itself is
console/control_room/database_process.py's `PgServer`.

PostgreSQL refuses to run as root, and tests (and CI) run as root: the cluster belongs to the
`postgres` system user the Debian package created, and its commands run through `runuser`.
Without the Debian package (or that user) the tests that use these fixtures are skipped.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from console.control_room.database_process import PgServer, unavailable_reason


@dataclass
class PgDatabase:
    server: PgServer
    name: str

    @property
    def admin_dsn(self) -> str:
        return self.server.dsn(self.name)

    def dsn(self, user: str, password: str | None = None, **params: str) -> str:
        return self.server.dsn(self.name, user, password, **params)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    with PgServer() as server:
        yield server


_db_numbers = itertools.count(1)


@pytest.fixture
def pg_db(pg_server: PgServer) -> Iterator[PgDatabase]:
    db = PgDatabase(pg_server, f"hc_test_{os.getpid()}_{next(_db_numbers)}")
    pg_server.admin(f'CREATE DATABASE "{db.name}"')
    try:
        yield db
    finally:
        if not pg_server.running:  # a test that stopped the server leaves it up for the next
            pg_server.start()
        pg_server.admin(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')


@dataclass
class PgJournal:
    """A database set up by `init_database`, with its two roles (one password for both)."""

    db: PgDatabase
    server_role: str
    reader_role: str
    password: str

    @property
    def admin_dsn(self) -> str:
        return self.db.admin_dsn

    @property
    def server_dsn(self) -> str:
        return self.db.dsn(self.server_role, self.password)

    @property
    def reader_dsn(self) -> str:
        return self.db.dsn(self.reader_role, self.password)


@pytest.fixture
def pg_journal(pg_db: PgDatabase) -> Iterator[PgJournal]:
    from console.core.journal.postgres import init_database

    j = PgJournal(pg_db, f"{pg_db.name}_srv", f"{pg_db.name}_rdr", secrets.token_urlsafe(12))
    init_database(
        j.admin_dsn, j.server_role, j.reader_role,
        server_password=j.password, reader_password=j.password,
    )  # fmt: skip
    yield j
    if not pg_db.server.running:
        pg_db.server.start()
    with contextlib.suppress(Exception):
        pg_db.server.drop_roles(pg_db.name, j.server_role, j.reader_role)
