"""Background passes that run again and again (releasing holds, reconciling, retrying):
run the pass, log a failure without stopping, wait, run it again."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from pymongo.errors import _OperationCancelled

log = logging.getLogger(__name__)


class Periodic:
    """Runs `work` every `every` seconds in a task of its own, from `start()` to `stop()`.

    With `wait_first`, the first pass comes after one interval rather than at once."""

    def __init__(self, work: Callable[[], Awaitable[object]], *, every: float, what: str, wait_first: bool = False) -> None:
        self._work, self._every, self._what, self._wait_first = work, every, what, wait_first
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self._what)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, _OperationCancelled):
                await self._task
            self._task = None

    async def _run(self) -> None:
        if self._wait_first:
            await asyncio.sleep(self._every)
        while True:
            try:
                await self._work()
            except asyncio.CancelledError:
                raise
            except Exception:
                if asyncio.current_task().cancelling():
                    raise asyncio.CancelledError from None  # a cancel the driver turned into its own error
                log.exception("%s failed; trying again in %ss", self._what, self._every)
            await asyncio.sleep(self._every)
