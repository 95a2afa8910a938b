"""Background passes (retrying due purchases, following A2P reviews): run, log a failure, wait, again."""

import asyncio
import logging

log = logging.getLogger(__name__)


async def run_periodically(work, *, interval: float, what: str) -> None:
    while True:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed; trying again in %ss", what, interval)
        await asyncio.sleep(interval)
