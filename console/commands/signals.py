"""How every long-running command stops: SIGINT, SIGTERM and SIGHUP all take the graceful path.

`poll`, `run`, `demo` and `simulate` run until someone stops them: Ctrl-C in the terminal
(SIGINT), a service manager or `kill` (SIGTERM), a closed terminal or SSH session (SIGHUP). Each
of the three means "stop now, properly": the service stops its poller, records "console stopped"
in the journal, flushes and closes it; `demo` then ends its simulator child. The command's
reaction is one callable (cancel the main task, set a stop event, close the window), handed to
`StopSignals`; asyncio commands use `run_until_stopped`. Start-up code that cannot take a
callable (starting the simulator child, building the window) lets StopSignals raise
StopRequested and unwinds through its `finally` blocks.

From the first moment: the entry point (console/cli.py) enters `start_up_stop` before it imports
the commands, so a signal while they import, read their config or open their journal raises
StopRequested there (nothing opened yet; a file being opened finishes first, `uninterrupted`).
A stop asked of an enclosing StopSignals is the inner one's too, should its StopRequested have
been swallowed on the way.

Exit code after such a stop: 0. The stop was asked for and completed; systemd counts exit 0
after SIGTERM as a clean stop without `SuccessExitStatus=` (143 would be logged as a failure),
and supervisors restart on a non-zero code. Which signal it was goes to stderr. A second signal
while the graceful path runs means "now": the default action is restored and the signal
re-raised (the shell then sees 128+n), so a stuck shutdown can still be interrupted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Coroutine, Iterator
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from console.cli_i18n import translate

if TYPE_CHECKING:
    import asyncio

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
        # A stop already asked of an enclosing StopSignals (the entry point's, during start-up)
        # is this one's too: its StopRequested may have been swallowed on the way (raised
        # inside a finaliser, or code that catches everything), the stop must not be lost.
        asked = next((s.received for s in _active if s.received is not None), None)
        if asked is not None and self.on_stop is _raise_stop:
            raise StopRequested(asked)
        for sig in STOP_SIGNALS:
            self._previous[sig] = signal.signal(sig, self._handle)
        _active.append(self)
        if asked is not None and self.received is None:
            self.received = asked
            self.on_stop(asked)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with contextlib.suppress(ValueError):
            _active.remove(self)
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


_active: list[StopSignals] = []  # entered and not yet left, outermost first


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """A stop signal inside is only recorded, and raised as StopRequested once the block is
    done: for opening a file, which a signal must not leave half-opened (a journal connection
    never closed keeps its WAL). Only matters under a StopSignals that raises."""
    top = _active[-1] if _active else None
    if top is None or top.on_stop is not _raise_stop:
        yield
        return
    top.on_stop = _already_stopping
    try:
        yield
    finally:
        top.on_stop = _raise_stop
    if top.received is not None:
        raise StopRequested(top.received)


def run_until_stopped(
    main: Coroutine[Any, Any, T], *, announce: str | None = None
) -> tuple[T | None, int | None]:
    """`asyncio.run(main)`, cancelled by a stop signal: (its result or None, the signal or None).

    The cancellation is raised inside `main` at its current await, so its `try/finally` (stop
    the service: "console stopped" journalled, journal closed) runs before this returns. The
    handlers are in before the loop exists: a signal while it starts only keeps `main` from
    starting (it had opened nothing).
    """
    import asyncio  # here: the entry point imports this module before anything heavy

    stop = StopSignals(defer_until_running, announce=announce)

    async def runner() -> T | None:
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        assert task is not None
        stop.on_stop = lambda _: loop.call_soon_threadsafe(task.cancel)
        if stop.received is not None:
            return None
        try:
            return await main
        except asyncio.CancelledError:
            if stop.received is None:
                raise
            return None  # `main`'s finally blocks have run: its graceful stop is done

    with stop:
        try:
            return asyncio.run(runner()), stop.received
        finally:
            main.close()  # not started (a stop came first): no "never awaited" warning


def defer_until_running(signum: int) -> None:
    """The loop is not running yet: `received` is looked at once it is."""


def run_until_stop_event(
    main: Callable[[asyncio.Event], Coroutine[Any, Any, T]], *, announce: str | None = None
) -> T:
    """`asyncio.run(main(stop))` where SIGINT/SIGTERM/SIGHUP set the event `stop` — one that
    came before the loop ran included (`stop` is then set when `main` begins). For commands
    that stop by themselves once told (`simulate`, `server`)."""
    import asyncio

    stop = StopSignals(defer_until_running, announce=announce)

    async def runner() -> T:
        loop, event = asyncio.get_running_loop(), asyncio.Event()
        stop.on_stop = lambda _: loop.call_soon_threadsafe(event.set)
        if stop.received is not None:
            event.set()
        return await main(event)

    with stop:
        return asyncio.run(runner())


# The commands that run until stopped (`wall` is `run --wall`). The entry point hands their
# stop signals to StopSignals before it imports anything heavy: in the second or so of imports
# and config loading a signal killed them the default way (exit 143/129, or a traceback).
LONG_RUNNING = frozenset({"poll", "run", "wall", "demo", "simulate", "server"})


def command_word(argv: list[str]) -> str | None:
    """The subcommand named on a command line (`--lang zh_CN poll …` → "poll"), before parsing."""
    args = iter(argv)
    for a in args:
        if a == "--lang":
            next(args, None)
        elif not a.startswith("-"):
            return a
    return None


def start_up_stop(argv: list[str]) -> contextlib.AbstractContextManager[StopSignals | None]:
    """For a long-running command: StopSignals raising StopRequested from its first moment (the
    entry point returns 0 on it, as after a later signal); the command's own handling takes over
    inside it. Other commands keep Python's defaults (Ctrl-C: exit 130)."""
    word = command_word(argv)
    if word not in LONG_RUNNING:
        return contextlib.nullcontext()
    return StopSignals(announce=f"heatconsole {word}")
