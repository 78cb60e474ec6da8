"""A PostgreSQL cluster of our own: Debian's binaries, a private directory, a free loopback port.

PostgreSQL refuses to run as root; as root the cluster belongs to the `postgres` system user
Debian's package created, and its commands run through `runuser`. `heatconsole control-room
demo` runs one for the shared journal; so do the tests (tests/support/postgres.py).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

from console.control_room.certificates import Pki

SUPERUSER = "postgres"
RUN_AS = "postgres"  # the system user of Debian's postgresql-common


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


def unavailable_reason() -> str | None:
    """Why a test server cannot run here, or None if it can."""
    if find_bindir() is None:
        return "PostgreSQL is not installed (Debian: sudo apt install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(RUN_AS)
        except KeyError:
            return f"running as root and there is no '{RUN_AS}' user to run PostgreSQL as"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One PostgreSQL cluster in a temporary directory, run as an unprivileged user."""

    def __init__(self, *, fsync: bool = False, bindir: Path | None = None) -> None:
        reason = unavailable_reason()
        if reason:
            raise RuntimeError(reason)
        self.bindir = bindir or find_bindir()
        assert self.bindir is not None
        self.fsync = fsync
        # Not under pytest's tmp_path: /tmp/pytest-of-root is 0700 and the server user could
        # not reach it. Short, too: the socket path must fit in 107 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="hc-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.log = self.root / "server.log"
        self.password = secrets.token_urlsafe(16)
        self.port = 0
        self._as_user = os.geteuid() == 0
        if self._as_user:
            pw = pwd.getpwnam(RUN_AS)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._as_user:
            os.chown(pwfile, pw.pw_uid, pw.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={pwfile}",
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C",
            "--no-sync",
        )  # fmt: skip
        pwfile.unlink()
        self.ca_file = self._make_certificates()

    def _make_certificates(self) -> Path:
        """A throw-away CA and a server certificate for localhost and 127.0.0.1."""
        pki = Pki.create(self.root / "pki")
        cert, key = pki.server_cert("postgres")
        if self._as_user:  # PostgreSQL reads them as its own user; the key stays 0600
            pw = pwd.getpwnam(RUN_AS)
            for p in (pki.directory, cert, key):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        self.cert_file, self.key_file = cert, key
        return pki.ca_file

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / tool), *args]
        if self._as_user:
            cmd = ["runuser", "-u", RUN_AS, "--", *cmd]
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=self.root, timeout=120)
        if p.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed ({p.returncode}): {p.stderr.strip()}\n{log}")
        return p

    def start(self) -> None:
        """Start (again); the first start picks a free port, later ones reuse it."""
        for attempt in itertools.count():
            port = self.port or free_port()
            opts = (
                f"-p {port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
                f"-c fsync={'on' if self.fsync else 'off'} -c max_connections=40 "
                "-c shared_buffers=64MB -c max_wal_size=1GB"
            )
            if not self.fsync:
                opts += " -c synchronous_commit=off -c full_page_writes=off"
            opts += f" -c ssl=on -c ssl_cert_file={self.cert_file} -c ssl_key_file={self.key_file}"
            try:
                self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data),
                          "-l", str(self.log), "-o", opts)  # fmt: skip
            except RuntimeError:
                if self.port or attempt >= 2:  # a fixed port, or three ports taken under us
                    raise
                continue
            self.port = port
            return

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: `fast` disconnects clients cleanly, `immediate` is a crash."""
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-D", str(self.data), "-m", mode)

    @property
    def running(self) -> bool:
        try:
            self._run("pg_ctl", "status", "-D", str(self.data))
        except RuntimeError:
            return False
        return True

    def dsn(
        self,
        dbname: str = "postgres",
        user: str = SUPERUSER,
        password: str | None = None,
        **params: str,
    ) -> str:
        """A postgresql:// URL over TCP to 127.0.0.1 (the superuser's password by default)."""
        password = self.password if password is None and user == SUPERUSER else password
        auth = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
        query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}" + (
            f"?{query}" if query else ""
        )

    def socket_dsn(self, dbname: str = "postgres") -> str:
        """Over the unix socket, as the superuser (local connections are trusted)."""
        return f"host={self.socket_dir} port={self.port} dbname={dbname} user={SUPERUSER}"

    def admin(self, sql: str, dbname: str = "postgres") -> None:
        """Run one statement as the superuser, in autocommit (CREATE/DROP DATABASE, ...)."""
        import psycopg

        with psycopg.connect(self.socket_dsn(dbname), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def drop_roles(self, dbname: str, *roles: str) -> None:
        """Roles belong to the cluster, not to a test's database: drop them after a test."""
        names = ", ".join(f'"{r}"' for r in roles)
        self.admin(f"DROP OWNED BY {names}; DROP ROLE {names}", dbname)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):
            if self.running:
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PgServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
