"""Background passes: retry failed purchases and reconcile abandoned ones; follow A2P reviews."""

import asyncio
import logging

from services.numbers.service_layer.ports import NumbersPorts
from services.numbers.service_layer.provisioning import ProvisioningPolicy, retry_due_lines

log = logging.getLogger(__name__)


async def run_retry_loop(*, ports: NumbersPorts, policy: ProvisioningPolicy, interval: float) -> None:
    while True:
        try:
            await retry_due_lines(ports=ports, policy=policy)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("retrying due lines failed; trying again in %ss", interval)
        await asyncio.sleep(interval)


async def run_periodically(work, *, interval: float, what: str) -> None:
    while True:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed; trying again in %ss", what, interval)
        await asyncio.sleep(interval)
