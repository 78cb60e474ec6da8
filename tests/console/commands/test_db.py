"""`heatconsole db init` against a real PostgreSQL: what it creates, what it says, how it fails."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from console.cli import main
from console.control_room.database_process import free_port
from tests.support.postgres import PgDatabase


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


def test_init_creates_roles_that_can_log_in(
    pg_db: PgDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "srv.pw").write_text("server-secret\n")
    (tmp_path / "rdr.pw").write_text("reader-secret\n")
    srv, rdr = f"{pg_db.name}_s", f"{pg_db.name}_r"
    argv = ["db", "init", "--db", pg_db.admin_dsn, "--server-role", srv, "--reader-role", rdr,
            "--server-password-file", str(tmp_path / "srv.pw"),
            "--reader-password-file", str(tmp_path / "rdr.pw")]  # fmt: skip
    try:
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert "created table events" in out and f"created role {srv} (login, password set)" in out
        assert f"consoles read as      postgresql://{rdr}@127.0.0.1:" in out
        assert pg_db.server.password not in out
        with psycopg.connect(pg_db.dsn(rdr, "reader-secret")) as conn:
            assert conn.execute("SELECT count(*) FROM events").fetchone() == (0,)
        assert main(argv[:8]) == 0  # again, without passwords: nothing changes
        out = capsys.readouterr().out
        assert "table events already present" in out and f"role {srv} already present; left" in out
        with psycopg.connect(pg_db.dsn(srv, "server-secret")) as conn:
            assert conn.execute("SELECT count(*) FROM journal_meta").fetchone() == (2,)
    finally:
        pg_db.server.admin(
            f'DROP OWNED BY "{srv}", "{rdr}"; DROP ROLE "{srv}", "{rdr}"', pg_db.name
        )


def test_wrong_password(pg_db: PgDatabase, capsys: pytest.CaptureFixture[str]) -> None:
    bad = pg_db.server.dsn(pg_db.name, "postgres", "not-the-password")
    assert main(["db", "init", "--db", bad]) == 2
    err = one_line_error(capsys)
    assert 'password authentication failed for user "postgres"' in err
    assert "not-the-password" not in err


def test_unreachable_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "init", "--db", f"postgresql://a@127.0.0.1:{free_port()}/x"]) == 2
    assert "Connection refused" in one_line_error(capsys)


def test_missing_privileges(pg_db: PgDatabase, capsys: pytest.CaptureFixture[str]) -> None:
    weak = f"{pg_db.name}_weak"
    pg_db.server.admin(f"CREATE ROLE \"{weak}\" LOGIN PASSWORD 'pw'")
    try:
        assert main(["db", "init", "--db", pg_db.dsn(weak, "pw")]) == 2
        err = one_line_error(capsys)
        assert f"{weak} may not set up the journal" in err and "permission denied" in err
    finally:
        pg_db.server.admin(f'DROP ROLE "{weak}"')


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["db", "init", "--db", "journal.sqlite"], "give a postgresql://user@host/dbname"),
        (["db", "init", "--db", "postgresql://a@10.1.1.1/x"], "sslmode=verify-full"),
        (["db", "init", "--db", "postgresql://a@127.0.0.1/x", "--server-role", "Bad-Name"],
         "role name 'Bad-Name'"),
        (["db", "init", "--db", "postgresql://a@127.0.0.1/x", "--server-password-file",
          "/nonexistent/pw"], "--server-password-file /nonexistent/pw"),
    ],
)  # fmt: skip
def test_bad_input(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in one_line_error(capsys)
