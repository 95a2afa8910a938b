"""Scripted outages for the Messages endpoints (for the product's retry tests)."""

from dataclasses import dataclass
from typing import Literal

# Which request a fault answers: sending a text (POST Messages.json) or listing them (GET Messages.json).
FaultedOperation = Literal["create_message", "list_messages"]

FAULT_ERROR_CODES = {429: 20429, 500: 20500, 503: 20503}


@dataclass
class Fault:
    """One planned bad answer. `http_status` for an error reply, or a timeout."""

    http_status: int | None = None
    timeout: bool = False
    hold_seconds: float = 30.0
    message_created: bool = True  # on timeout: did the carrier create the message before stalling?
    operation: FaultedOperation = "create_message"


@dataclass
class StandingFault:
    """A bad answer given to a share of the Messages creates (`rate` of them), until cleared."""

    fault: Fault
    rate: float
