"""How every long-running command stops: SIGINT, SIGTERM and SIGHUP all take the graceful path.

`poll`, `run`, `demo` and `simulate` run until someone stops them: Ctrl-C in the terminal
(SIGINT), a service manager or `kill` (SIGTERM), a closed terminal or SSH session (SIGHUP). Each
of the three means "stop now, properly": the service stops its poller, records "console stopped"
in the journal, flushes and closes it; `demo` then ends its simulator child. The command's
reaction is one callable (cancel the main task, set a stop event, close the window), handed to
`StopSignals`; asyncio commands use `run_until_stopped`. Start-up code that cannot take a
callable (starting the simulator child, building the window) lets StopSignals raise
StopRequested and unwinds through its `finally` blocks.

Exit code after such a stop: 0. The stop was asked for and completed; systemd counts exit 0
after SIGTERM as a clean stop without `SuccessExitStatus=` (143 would be logged as a failure),
and supervisors restart on a non-zero code. Which signal it was goes to stderr. A second signal
while the graceful path runs means "now": the default action is restored and the signal
re-raised (the shell then sees 128+n), so a stuck shutdown can still be interrupted.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from types import FrameType, TracebackType
from typing import Any, TypeVar

from console.cli_i18n import translate

T = TypeVar("T")

STOP_SIGNALS: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StopRequested(BaseException):  # a BaseException, like KeyboardInterrupt: not an error
    """Raised by StopSignals without `on_stop`: unwinds start-up code through its `finally`s."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_stop(signum: int) -> None:
    raise StopRequested(signum)


def _already_stopping(signum: int) -> None:
    pass


class StopSignals:
    """While active, the first of SIGINT/SIGTERM/SIGHUP calls `on_stop(signum)` (default: raise
    StopRequested where the main thread is, as Ctrl-C raises KeyboardInterrupt).

    Python runs the handler on the main thread between bytecodes, so `on_stop` may touch
    main-thread objects (a Qt window) but must be quick; from an asyncio loop blocked in select,
    hand over with `loop.call_soon_threadsafe` (its self-pipe wakes the loop). Previous handlers
    are restored on exit.
    """

    def __init__(
        self, on_stop: Callable[[int], None] = _raise_stop, *, announce: str | None = None
    ) -> None:
        self.on_stop = on_stop
        self.announce = announce  # "heatconsole poll": printed with the signal's name
        self.received: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopSignals:
        for sig in STOP_SIGNALS:
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for sig, old in self._previous.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)
        self._previous.clear()

    def defer(self) -> None:
        """Only record a signal (`received`); the caller looks at it when it can act. For code
        an exception must not cross: a Python callback inside Qt would swallow StopRequested."""
        self.on_stop = _already_stopping

    def stopping(self) -> None:
        """The graceful path has begun (window closed, service stopping): a first signal from now
        on only confirms it, a second one forces the stop."""
        self.on_stop = _already_stopping

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is not None:
            # Asked twice: stop at once, the way the signal itself would have.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        self.received = signum
        if self.announce:
            name = signal.Signals(signum).name
            msg = translate("signals", "{signal} received, stopping").format(signal=name)
            # The terminal may be gone (SIGHUP: EIO) or the pipe's reader dead (a control-room
            # demo killed under its consoles: EPIPE). Raised here, the error escaped into the Qt
            # timer the handler ran in, and the stop never happened.
            with contextlib.suppress(OSError, ValueError):
                print(f"{self.announce}: {msg}", file=sys.stderr, flush=True)
        self.on_stop(signum)


def run_until_stopped(
    main: Coroutine[Any, Any, T], *, announce: str | None = None
) -> tuple[T | None, int | None]:
    """`asyncio.run(main)`, cancelled by a stop signal: (its result or None, the signal or None).

    The cancellation is raised inside `main` at its current await, so its `try/finally` (stop
    the service: "console stopped" journalled, journal closed) runs before this returns.
    """
    stop = StopSignals(lambda _: None, announce=announce)

    async def runner() -> T | None:
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        assert task is not None
        stop.on_stop = lambda _: loop.call_soon_threadsafe(task.cancel)
        with stop:
            try:
                return await main
            except asyncio.CancelledError:
                if stop.received is None:
                    raise
                return None  # `main`'s finally blocks have run: its graceful stop is done

    return asyncio.run(runner()), stop.received
