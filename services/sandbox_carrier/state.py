"""Everything the sandbox remembers, in memory: it is a test double, so a restart forgets all."""

from collections import deque
from dataclasses import dataclass, field, fields

from .domain.destinations import DestinationBehaviour
from .domain.faults import Fault, StandingFault
from .domain.records import Call, Message, OwnedNumber


@dataclass
class WebhookLogEntry:
    kind: str  # "message-status", "incoming-message", "incoming-call", "call-status"
    url: str
    method: str
    params: dict[str, str]
    status_code: int | None
    attempts: int
    error: str | None


@dataclass
class CarrierState:
    messages: dict[str, Message] = field(default_factory=dict)  # insertion order = creation order
    numbers: dict[str, OwnedNumber] = field(default_factory=dict)
    calls: dict[str, Call] = field(default_factory=dict)
    behaviours: dict[str, DestinationBehaviour] = field(default_factory=dict)
    faults: deque[Fault] = field(default_factory=deque)
    standing_faults: list[StandingFault] = field(default_factory=list)
    # Each status callback is sent this many times (a replay is not a retry: it has its own
    # idempotency token), and with `shuffle` a message's callbacks go out in random order.
    status_callback_copies: int = 1
    shuffle_status_callbacks: bool = False
    exhausted_area_codes: set[int] = field(default_factory=set)
    # (recipient, our number) pairs where the recipient texted STOP, as Twilio's opt-out handling does.
    opted_out: set[tuple[str, str]] = field(default_factory=set)
    webhook_log: list[WebhookLogEntry] = field(default_factory=list)

    def clear(self) -> None:
        fresh = CarrierState()
        for memory in fields(self):
            setattr(self, memory.name, getattr(fresh, memory.name))

    def number_owning(self, phone_number: str) -> OwnedNumber | None:
        return next((n for n in self.numbers.values() if n.phone_number == phone_number), None)

    def owned_phone_numbers(self) -> set[str]:
        return {n.phone_number for n in self.numbers.values()}

    def take_fault(self, operation: str = "create_message") -> Fault | None:
        """The next fault planned for this kind of request, if any (faults for other requests wait)."""
        for fault in self.faults:
            if fault.operation == operation:
                self.faults.remove(fault)
                return fault
        return None
