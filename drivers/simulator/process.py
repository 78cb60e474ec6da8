"""The simulator in a child process (GUI demo; tests that want the peer outside their loop).

    with SimulatorProcess("tests/fixtures/small_network.yaml", port=0) as sp:
        net = sp.network_with_endpoints()
        sp.forecast_dir   # where it publishes its outdoor forecast (docs/forecast-format.md)

Runs `python -m drivers.simulator --json-ready`, waits for its ready line, and on exit stops it
with SIGINT (its clean Ctrl-C path), then SIGTERM, then SIGKILL: no process is left behind.
"""

from __future__ import annotations

import collections
import contextlib
import json
import queue
import signal
import subprocess
import sys
import threading
import weakref
from pathlib import Path
from typing import Any

from station_config.schema import NetworkDef


class SimulatorProcessError(RuntimeError):
    pass


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        with contextlib.suppress(Exception):
            proc.wait(5)


class SimulatorProcess:
    def __init__(
        self,
        config_path: str | Path,
        *,
        seed: int = 0,
        speed: float = 1.0,
        scenario: str | Path | None = None,
        port: int | None = 0,
        bind_host: str | None = None,
        physics: str = "network",
        ready_timeout: float = 60.0,
        forecast_dir: str | Path | None = None,
    ):
        self.config_path = Path(config_path)
        self.cmd = [sys.executable, "-m", "drivers.simulator", "--config", str(config_path)]
        self.cmd += ["--seed", str(seed), "--speed", str(speed), "--json-ready"]
        if scenario is not None:
            self.cmd += ["--scenario", str(scenario)]
        if port is not None:
            self.cmd += ["--port", str(port)]
        if bind_host is not None:
            self.cmd += ["--bind-host", bind_host]
        self.cmd += ["--physics", physics]
        if forecast_dir is not None:
            self.cmd += ["--forecast-dir", str(forecast_dir)]
        # Where the simulator publishes its forecast (its own temporary folder unless given).
        self.forecast_dir: Path | None = None
        self.ready_timeout = ready_timeout
        self.proc: subprocess.Popen[str] | None = None
        self.endpoints: dict[str, tuple[str, int]] = {}
        self.last_status: dict[str, Any] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=40)
        self._threads: list[threading.Thread] = []

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            self.cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        weakref.finalize(self, _kill, self.proc)  # even if the caller forgets stop()
        # Drain both pipes for the child's whole life: a full pipe would block the simulator.
        for target, stream in ((self._read_stdout, self.proc.stdout), (self._read_stderr,
                               self.proc.stderr)):  # fmt: skip
            t = threading.Thread(target=target, args=(stream,), daemon=True)
            t.start()
            self._threads.append(t)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _read_stdout(self, stream: Any) -> None:
        for line in stream:
            self._lines.put(line)
            with contextlib.suppress(ValueError):
                msg = json.loads(line)
                if isinstance(msg, dict) and "status" in msg:
                    self.last_status = msg["status"]
        self._lines.put(None)

    def _read_stderr(self, stream: Any) -> None:
        for line in stream:
            self._stderr.append(line.rstrip("\n"))

    def _wait_ready(self) -> None:
        while True:
            try:
                line = self._lines.get(timeout=self.ready_timeout)
            except queue.Empty:
                raise SimulatorProcessError(
                    f"simulator not ready after {self.ready_timeout} s" + self._tail()
                ) from None
            if line is None:
                assert self.proc is not None
                self.proc.wait(5)
                raise SimulatorProcessError(
                    f"simulator exited with code {self.proc.returncode}" + self._tail()
                )
            with contextlib.suppress(ValueError):
                msg = json.loads(line)
                if isinstance(msg, dict) and msg.get("ready"):
                    self.endpoints = {k: (h, int(p)) for k, (h, p) in msg["endpoints"].items()}
                    fdir = msg.get("forecast_dir")
                    self.forecast_dir = Path(fdir) if fdir else None
                    return

    def _tail(self) -> str:
        for t in self._threads[1:]:
            t.join(1)  # let stderr's last lines arrive
        return (":\n" + "\n".join(self._stderr)) if self._stderr else ""

    def stop(self, timeout: float = 10.0) -> int | None:
        """Stop the child (SIGINT, then SIGTERM, then SIGKILL); its exit code."""
        p = self.proc
        if p is None:
            return None
        for sig in (signal.SIGINT, signal.SIGTERM):
            if p.poll() is not None:
                break
            p.send_signal(sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout)
        _kill(p)
        for t in self._threads:
            t.join(2)
        return p.returncode

    def network_with_endpoints(self, net: NetworkDef | None = None) -> NetworkDef:
        """`net` (default: the config file loaded) with stations' host/port = the bound ones."""
        if net is None:
            from station_config.loader import load_network

            net = load_network(self.config_path)
        eps = self.endpoints
        stations = [
            s.model_copy(update={"host": eps[s.id][0], "port": eps[s.id][1]}) if s.id in eps else s
            for s in net.stations
        ]
        return net.model_copy(update={"stations": stations})

    def __enter__(self) -> SimulatorProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
