"""`heatconsole run --server`: an address or CA file that cannot work is one line on stderr and
exit 2, before any window or login (no traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from console import cli


@pytest.mark.parametrize(
    ("server", "ca", "words"),
    [
        ("mqtts://127.0.0.1:1", "missing.crt", "missing.crt does not exist"),
        ("mqtts://127.0.0.1:1", "junk.crt", "junk.crt: no CA certificate in it"),
        ("mqtt://127.0.0.1:1", "junk.crt", "is for a TLS listener"),
        ("mqtt://192.0.2.10:1883", None, "is not on this machine: use mqtts://"),
    ],
)
def test_a_broker_address_that_cannot_work_is_one_line(
    server: str,
    ca: str | None,
    words: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEATCONSOLE_PASSWORD", "x")  # no login dialog, whatever happens
    (tmp_path / "junk.crt").write_text("not a certificate\n")
    argv = ["run", "--server", server, "--login", "wang"]
    argv += ["--ca", str(tmp_path / ca)] if ca else []
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and err.startswith("heatconsole run: ")


def test_single_seat_options_with_server_are_said_to_be_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--user` on a thin console named nobody in the journal (the servers record the login):
    said, not silently dropped. (The address then fails as above: no window needed.)"""
    monkeypatch.setenv("HEATCONSOLE_PASSWORD", "x")
    argv = ["run", "--server", "mqtt://192.0.2.10:1883", "--login", "wang", "--user", "li"]
    assert cli.main([*argv, "--journal", str(tmp_path / "j.sqlite")]) == 2
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("heatconsole run: --user, --journal ignored with --server")
    assert "--login" in first and not (tmp_path / "j.sqlite").exists()


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_stop_signal_closes_the_login_dialog(sig: str, qapp, capsys) -> None:  # type: ignore[no-untyped-def]
    """The login dialog runs its own Qt loop, where Python saw no signal (and a StopRequested
    raised in a Qt callback would be lost): the signal now closes it, the command stops."""
    import os
    import signal

    from PySide6.QtCore import QTimer

    from console.commands.thin_console import ask_login
    from widgets.login_dialog import LoginDialog

    dlg = LoginDialog("mqtt://127.0.0.1:1883", "wang", "")
    number = getattr(signal, sig)
    QTimer.singleShot(50, lambda: os.kill(os.getpid(), number))  # once the dialog's loop runs
    assert ask_login(dlg) is None
    assert not dlg.isVisible()
    assert f"heatconsole run: {sig} received, stopping" in capsys.readouterr().err
