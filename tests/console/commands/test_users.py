"""`heatconsole users`: the store, the broker's files and a running broker, from the CLI."""

from __future__ import annotations

import io
import os
import pty
import pwd
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from console.cli import main
from console.core.auth.users import UserStore
from tests.support.mqtt_client import BAD_CREDENTIALS, NOT_AUTHORIZED, MqttPeer

HEATCONSOLE = str(Path(sys.executable).parent / "heatconsole")  # the installed entry point


def users(argv: list[str], store, monkeypatch, password: str | None = None) -> int:
    """`heatconsole users …` in process; `password` is what standard input holds."""
    if password is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
        argv = [*argv, "--password-stdin"]
    return main(["users", *argv, "--store", str(store)])


def test_add_passwd_role_remove(tmp_path, monkeypatch, capsys):
    store = tmp_path / "users.json"
    assert users(["add", "alice", "--role", "operator"], store, monkeypatch, "first pw") == 0
    out = capsys.readouterr().out
    assert f"added alice (operator) in {store}" in out
    assert f"wrote {tmp_path / 'mosquitto.passwd'} and {tmp_path / 'mosquitto.acl'}" in out
    assert UserStore(store).verify("alice", "first pw")
    assert "topic write hc/v1/cmd/alice/+" in (tmp_path / "mosquitto.acl").read_text()

    assert users(["passwd", "alice"], store, monkeypatch, "second pw") == 0
    assert UserStore(store).verify("alice", "second pw")
    assert not UserStore(store).verify("alice", "first pw")

    assert users(["role", "alice", "viewer"], store, monkeypatch) == 0
    assert "alice is now viewer" in capsys.readouterr().out
    assert "cmd/alice" not in (tmp_path / "mosquitto.acl").read_text()

    assert users(["add", "张伟"], store, monkeypatch, "pw") == 0
    capsys.readouterr()
    assert users(["list"], store, monkeypatch) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in listed] == [["alice", "viewer"], ["张伟", "viewer"]]

    assert users(["remove", "alice"], store, monkeypatch) == 0
    assert "alice" not in (tmp_path / "mosquitto.passwd").read_text()
    assert [u.name for u in UserStore(store).list()] == ["张伟"]


@pytest.mark.parametrize(
    ("argv", "password", "message"),
    [
        (["add", "a/b"], "pw", "bad user name 'a/b'"),
        (["add", "bob", "--role", "boss"], "pw", "unknown role 'boss'"),
        (["add", "bob"], "", "empty password"),
        (["add", "alice"], "pw", "user 'alice' already exists"),
        (["passwd", "nobody"], "pw", "no user 'nobody'"),
        (["role", "alice", "root"], None, "unknown role 'root'"),
        (["remove", "nobody"], None, "no user 'nobody'"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, monkeypatch, capsys, argv, password, message):
    store = tmp_path / "users.json"
    users(["add", "alice"], store, monkeypatch, "pw")
    before = store.read_bytes()
    capsys.readouterr()
    assert users(argv, store, monkeypatch, password) == 2
    err = capsys.readouterr().err
    assert err.startswith("heatconsole users: ") and message in err
    assert "Traceback" not in err
    assert store.read_bytes() == before


@pytest.mark.skipif(os.geteuid() != 0, reason="giving files away needs root")
def test_broker_owner(tmp_path, monkeypatch, capsys):
    store = tmp_path / "users.json"
    owner = ["--broker-owner", "nobody"]
    assert users(["add", "ann", *owner], store, monkeypatch, "pw") == 0
    for name in ("mosquitto.passwd", "mosquitto.acl"):
        assert (tmp_path / name).stat().st_uid == pwd.getpwnam("nobody").pw_uid
    assert store.stat().st_uid == 0  # the store stays with its admin
    before = store.read_bytes()
    assert users(["add", "bob", "--broker-owner", "no_such_user"], store, monkeypatch, "pw") == 2
    assert "no system user 'no_such_user'" in capsys.readouterr().err
    assert store.read_bytes() == before


def test_no_terminal_and_no_password_stdin(tmp_path):
    run = subprocess.run(
        [HEATCONSOLE, "users", "add", "bob", "--store", str(tmp_path / "u.json")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "use --password-stdin" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "u.json").exists()


def test_cli_changes_reach_the_running_broker(mosquitto, monkeypatch, capsys):
    broker = mosquitto(users={"srv": ("pw", "server")})
    store = broker.store.path
    files = ["--broker-files", str(broker.dir), "--broker-pid", str(broker.pid_file)]

    before = broker.reloads()
    assert users(["add", "vera", *files], store, monkeypatch, "vera pw") == 0
    assert f"asked the broker (pid {broker.proc.pid}) to reload them" in capsys.readouterr().out
    broker.wait_reloaded(before)
    with MqttPeer(broker, "vera", "vera pw") as vera:
        assert vera.publish("hc/v1/cmd/vera/p1", b"ack") == NOT_AUTHORIZED

        before = broker.reloads()
        assert users(["role", "vera", "operator", *files], store, monkeypatch) == 0
        broker.wait_reloaded(before)
        assert vera.publish("hc/v1/cmd/vera/p1", b"ack") != NOT_AUTHORIZED

    before = broker.reloads()
    assert users(["passwd", "vera", *files], store, monkeypatch, "new pw") == 0
    broker.wait_reloaded(before)
    assert MqttPeer(broker, "vera", "vera pw").connect() in BAD_CREDENTIALS
    with MqttPeer(broker, "vera", "new pw"):
        pass


def _on_terminal(argv: list[str], answers: list[str]) -> tuple[int, str]:
    """Run `heatconsole argv` on a pseudo-terminal, typing each answer after its prompt."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: exec, never return into pytest
        os.execv(HEATCONSOLE, [HEATCONSOLE, *argv])
    out = b""

    def read() -> bool:
        nonlocal out
        if not select.select([fd], [], [], 30)[0]:
            os.kill(pid, signal.SIGKILL)
            raise TimeoutError(f"no output from heatconsole; so far: {out!r}")
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # EIO: the child closed the terminal
            return False
        out += chunk
        return bool(chunk)

    try:
        for answer in answers:
            mark = len(out)  # wait for a new prompt: getpass discards what is typed ahead
            while not out[mark:].rstrip().endswith(b":"):
                if not read():
                    break
            os.write(fd, answer.encode() + b"\n")
        while read():
            pass
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def test_add_prompts_twice_on_a_terminal(tmp_path):
    store = tmp_path / "users.json"
    code, out = _on_terminal(["users", "add", "ann", "--store", str(store)], ["pw 1", "pw 1"])
    assert code == 0, out
    assert "Password:" in out and "Password again:" in out and "pw 1" not in out
    assert UserStore(store).verify("ann", "pw 1")
    code, out = _on_terminal(["users", "passwd", "ann", "--store", str(store)], ["a", "b"])
    assert code == 2 and "the two passwords differ; nothing changed" in out
    assert UserStore(store).verify("ann", "pw 1")
