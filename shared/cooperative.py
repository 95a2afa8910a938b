"""Long CPU-bound loops that leave the event loop room: a process that is importing a
file or building a large batch keeps answering its other requests meanwhile."""

import asyncio
from collections.abc import AsyncIterator, Iterable
from typing import TypeVar

T = TypeVar("T")

# Items handled between two pauses: a few milliseconds of work for the heavier loops.
SLICE = 25


async def in_slices(items: Iterable[T], size: int = SLICE) -> AsyncIterator[T]:
    """The items, with a pause for other tasks after every `size` of them."""
    for index, item in enumerate(items):
        if index and index % size == 0:
            await asyncio.sleep(0)
        yield item
