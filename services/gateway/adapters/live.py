"""Connected browsers, by user, and pushing notifications to them as they happen."""

import asyncio
from collections import defaultdict


class LiveConnections:
    def __init__(self, queue_size: int = 100) -> None:
        self._queues: dict[tuple[str, str], set[asyncio.Queue]] = defaultdict(set)
        self._queue_size = queue_size

    def connect(self, account_id: str, user_id: str) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(self._queue_size)
        self._queues[(account_id, user_id)].add(queue)
        return queue

    def disconnect(self, account_id: str, user_id: str, queue: asyncio.Queue) -> None:
        queues = self._queues.get((account_id, user_id))
        if queues:
            queues.discard(queue)
            if not queues:
                del self._queues[(account_id, user_id)]

    def open_for(self, account_id: str, user_id: str) -> int:
        """How many browsers of that user are connected."""
        return len(self._queues.get((account_id, user_id), ()))

    def push(self, account_id: str, user_id: str, payload: dict) -> int:
        """Deliver to every open connection of that user; a stalled browser drops the oldest."""
        delivered = 0
        for queue in self._queues.get((account_id, user_id), ()):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(payload)
            delivered += 1
        return delivered
