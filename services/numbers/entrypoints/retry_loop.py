"""The background pass that retries failed purchases and reconciles abandoned ones."""

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
