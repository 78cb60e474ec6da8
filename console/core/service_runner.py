"""Run a ConsoleService on its own asyncio loop in a dedicated thread.

DESIGN.md: network I/O never runs on the GUI thread's critical path, and pymodbus under qasync
costs about 3x the CPU per request. So the service gets a plain asyncio loop of its own; the GUI
hands it operator actions with `submit`/`call` and receives batches through its listeners
(which run on the service thread — a Qt bridge re-emits them as queued signals).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from console.core.service import ConsoleService

T = TypeVar("T")


class ServiceRunner:
    def __init__(self, service: ConsoleService) -> None:
        self.service = service
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="heatconsole-service", daemon=True)
        self._started = threading.Event()
        self._stopped = threading.Event()
        self.error: BaseException | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.service.start())
        except BaseException as e:  # reported to start(); the thread ends
            self.error = e
            self._started.set()
            return
        self._started.set()
        self.loop.run_forever()
        try:
            self.loop.run_until_complete(self.service.stop())
        finally:
            self.loop.close()
            self._stopped.set()

    def start(self, timeout: float = 30.0) -> None:
        self._thread.start()
        if not self._started.wait(timeout):
            raise TimeoutError("the console service did not start")
        if self.error is not None:
            raise self.error

    def stop(self, timeout: float = 15.0) -> None:
        if not self._thread.is_alive():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._stopped.wait(timeout)
        self._thread.join(timeout)

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run a coroutine on the service loop (e.g. a confirmed write)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call(self, fn: Callable[..., T], *args: Any) -> concurrent.futures.Future[T]:
        """Run a plain function on the service loop (alarm actions touch loop-owned state)."""

        async def run() -> T:
            return fn(*args)

        return self.submit(run())
