"""Connections to the shared journal: the TLS rule (refused before any connection), clear
errors, and verify-full end to end against a real PostgreSQL with a CA the fixture made."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from console.control_room.certificates import Pki
from console.control_room.database_process import free_port
from console.core.journal.pg_connect import DbError, check_tls, connect
from tests.support.postgres import PgJournal


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://hc:secret@10.20.30.40/journal",
        "postgresql://hc@db.example.org/journal?sslmode=require",
        "host=db.example.org dbname=journal user=hc sslmode=verify-ca",
        "host=localhost hostaddr=192.0.2.7 dbname=journal",  # hostaddr is where it goes
        "postgresql://hc@127.0.0.1,db.example.org/journal",
    ],
)
def test_remote_server_without_verify_full_is_refused(dsn: str) -> None:
    with pytest.raises(DbError, match="sslmode=verify-full") as exc:
        connect(dsn)  # refused before any connection is attempted
    assert "secret" not in str(exc.value)


@pytest.mark.parametrize(
    "dsn",
    [
        "postgresql://hc@127.0.0.1/journal",
        "postgresql://hc@127.5.6.7:5433/journal",
        "postgresql://hc@[::1]/journal",
        "postgresql://hc@localhost/journal",
        "host=/var/run/postgresql dbname=journal",
        "dbname=journal",  # the default unix socket
        "postgresql://hc@db.example.org/journal?sslmode=verify-full&sslrootcert=ca.pem",
    ],
)
def test_loopback_socket_or_verify_full_pass_the_tls_rule(
    dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("PGHOST", "PGHOSTADDR", "PGSSLMODE"):
        monkeypatch.delenv(var, raising=False)
    assert check_tls(dsn)["dbname"] == "journal"


def test_connection_errors_are_clear(pg_journal: PgJournal) -> None:
    bad = pg_journal.db.dsn(pg_journal.server_role, "wrong-password")
    with pytest.raises(DbError, match="password authentication failed") as exc:
        connect(bad)
    msg = str(exc.value)  # libpq tried with TLS and without: one cause, said once
    assert "wrong-password" not in msg and "\n" not in msg
    assert msg.count("password authentication failed") == 1
    closed = f"postgresql://hc@127.0.0.1:{free_port()}/x"
    with pytest.raises(DbError, match="Connection refused"):
        connect(closed)


def test_verify_full_over_tls(pg_journal: PgJournal, tmp_path: Path) -> None:
    ca = pg_journal.db.server.ca_file
    tls = pg_journal.db.dsn(
        pg_journal.reader_role, pg_journal.password, sslmode="verify-full", sslrootcert=str(ca)
    )
    with connect(tls) as conn:
        assert conn.pgconn.ssl_in_use
    other_ca = Pki.create(tmp_path, "another CA").ca_file  # did not sign the server's cert
    untrusted = tls.replace(quote(str(ca), safe=""), quote(str(other_ca), safe=""))
    with pytest.raises(DbError, match="certificate verify failed"):
        connect(untrusted)
