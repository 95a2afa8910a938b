"""What the handlers need from the outside world, as protocols with a real adapter and a fake."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from services.numbers.domain.calls import CallRecord, ContactCard
from services.numbers.domain.geography import NumberSearch
from services.numbers.domain.lines import Candidate, DeactivationPolicy, Line, Purchase
from services.numbers.domain.registration import RegistrationDraft
from shared.events import Envelope
from shared.quotas import Usage


class CarrierError(Exception):
    """The carrier refused or could not be reached; the attempt may be retried later."""


class NumberUnavailable(CarrierError):
    """The number was bought by someone else (or never was for sale)."""


class PurchaseQuota(Protocol):
    """How many numbers an account may still buy today, counted as they are bought."""

    async def take(self, account_id: str, now: datetime) -> tuple[bool, Usage]: ...

    async def give_back(self, account_id: str, now: datetime) -> None: ...

    async def usage(self, account_id: str, now: datetime) -> Usage: ...


@dataclass(frozen=True)
class OwnedNumber:
    phone_number: str
    carrier_sid: str
    friendly_name: str = ""


class Carrier(Protocol):
    async def search(self, search: NumberSearch, *, limit: int) -> list[str]:
        """E.164 numbers for sale that match `search` and take both texts and calls."""

    async def find_owned(self, phone_number: str) -> OwnedNumber | None:
        """The number if our carrier account already owns it."""

    async def buy(self, phone_number: str, *, friendly_name: str) -> OwnedNumber:
        """Buy `phone_number` with its texts and calls pointed at the gateway."""

    async def rename(self, carrier_sid: str, *, friendly_name: str) -> OwnedNumber:
        """Mark an owned number as another user's (its FriendlyName carries the user id)."""

    async def release(self, carrier_sid: str) -> None:
        """Give the number back; one already gone counts as released."""

    async def place_call(self, *, to: str, from_number: str, twiml: str) -> str:
        """Ring `to` from `from_number` and run `twiml` when answered; the call's SID."""


@dataclass(frozen=True)
class UserRecord:
    account_id: str
    user_id: str
    email: str
    name: str
    role: str
    primary_cell: str | None
    primary_cell_area_code: str | None
    active: bool
    eager_number_purchase: bool


class UsersView(Protocol):
    async def save(self, user: UserRecord, *, as_of: datetime) -> bool:
        """Keep `user` unless a newer revision is stored; True if it was kept."""

    async def get(self, account_id: str, user_id: str) -> UserRecord | None: ...

    async def in_account(self, account_id: str) -> dict[str, UserRecord]: ...

    async def with_primary_cell(self, e164: str) -> list[UserRecord]: ...


class Lines(Protocol):
    async def claim(self, *, account_id: str, user_id: str, reason: str, now: datetime) -> Line:
        """Create the user's line if it does not exist; return it either way."""

    async def take(self, line_id: str, *, worker: str, now: datetime, until: datetime) -> Line | None:
        """Lease a workable line to `worker`; None if it is done or leased by another."""

    async def choose_candidate(self, line_id: str, *, worker: str, candidate: Candidate | None, now: datetime) -> bool:
        """Record the number about to be bought; False if `worker` lost its lease."""

    async def activate(
        self,
        line_id: str,
        *,
        worker: str,
        purchase: Purchase,
        number_id: str,
        area_code: str,
        now: datetime,
        events: list[Envelope],
    ) -> bool:
        """Record the bought number and its event; False if `worker` lost its lease."""

    async def fail(
        self, line_id: str, *, worker: str, error: str, next_attempt_at: datetime | None, now: datetime,
        events: list[Envelope] = (),
    ) -> bool: ...

    async def reopen(self, line_id: str, *, reason: str, now: datetime) -> bool:
        """A released line is wanted again; False if it is not released (any more)."""

    async def start_release(self, line_id: str, *, now: datetime) -> Line | None: ...

    async def finish_release(self, line_id: str, *, spare: bool, now: datetime, events: list[Envelope]) -> bool: ...

    async def spares(self, account_id: str) -> list[Line]:
        """Released lines whose number the account kept and nobody has taken yet."""

    async def claim_spare(self, spare_line_id: str, *, by_line_id: str, now: datetime) -> bool: ...

    async def mark_attached(self, line_id: str, *, messaging_service_sid: str, now: datetime) -> None: ...

    async def set_carrier_answers_keywords(self, line_id: str, *, number_id: str, answers: bool, now: datetime,
                                           events: list[Envelope]) -> bool:
        """Whether the carrier answers the active number's keywords itself, with its event."""

    async def releasing_stale(self, *, stale_before: datetime, limit: int) -> list[Line]: ...

    async def await_user(self, line_id: str, *, worker: str, reason: str, now: datetime) -> bool: ...

    async def get(self, line_id: str) -> Line | None: ...

    async def due(self, *, now: datetime, stale_before: datetime, limit: int) -> list[Line]:
        """Failed lines whose retry is due, and purchases abandoned by a worker that died."""

    async def active_with_number(self, phone_number: str) -> Line | None: ...

    async def in_account(self, account_id: str, *, user_id: str | None = None) -> list[Line]: ...


class ContactsView(Protocol):
    async def save(self, card: ContactCard, *, revision: int, deleted: bool = False) -> bool: ...

    async def get(self, account_id: str, contact_id: str) -> ContactCard | None: ...

    async def with_number(self, account_id: str, e164: str) -> ContactCard | None: ...

    async def name_for_number(self, account_id: str, e164: str) -> str | None:
        """The name of a contact of the account with this number, if one has a name."""


class Calls(Protocol):
    async def add(self, record: CallRecord) -> None: ...

    async def set_call_sid(self, record_id: str, call_sid: str) -> None: ...

    async def forget(self, record_id: str) -> None: ...

    async def by_call_sid(self, call_sid: str) -> CallRecord | None: ...

    async def placing(self, *, our_number: str, user_phone: str) -> CallRecord | None: ...

    async def complete(self, record: CallRecord, *, call_sid: str, outcome: str, duration_seconds: int,
                       now: datetime, events: list[Envelope]) -> bool: ...

    async def add_completed(self, record: CallRecord, events: list[Envelope]) -> bool: ...


@dataclass(frozen=True)
class BrandReview:
    status: str  # Twilio's brand status: PENDING, IN_REVIEW, APPROVED, FAILED
    reason: str | None = None


@dataclass(frozen=True)
class CampaignReview:
    status: str  # Twilio's campaign_status: PENDING, IN_PROGRESS, VERIFIED, FAILED
    reason: str | None = None


class A2PCarrier(Protocol):
    async def register_brand(self, draft: RegistrationDraft) -> str: ...

    async def brand_review(self, brand_sid: str) -> BrandReview: ...

    async def create_service(self, *, friendly_name: str, use_case: str) -> str: ...

    async def register_campaign(self, *, service_sid: str, brand_sid: str, draft: RegistrationDraft) -> str: ...

    async def campaign_review(self, *, service_sid: str, campaign_sid: str) -> CampaignReview: ...

    async def add_number(self, *, service_sid: str, number_sid: str) -> None:
        """Put an owned number in the messaging service; already there counts as done."""

    async def find_brand(self, draft: RegistrationDraft) -> str | None:
        """A brand registered earlier for the draft's business profile and not failed, if any."""

    async def find_service(self, *, friendly_name: str) -> str | None:
        """The messaging service created earlier with this name, if any."""

    async def find_campaign(self, *, service_sid: str) -> str | None:
        """The service's campaign that has not failed, if any."""


class AccountSettings(Protocol):
    async def deactivation_policy(self, account_id: str) -> DeactivationPolicy: ...

    async def set_deactivation_policy(self, account_id: str, policy: DeactivationPolicy) -> None: ...


class _NoSettings:
    async def deactivation_policy(self, account_id: str) -> DeactivationPolicy:
        return DeactivationPolicy.RELEASE

    async def set_deactivation_policy(self, account_id: str, policy: DeactivationPolicy) -> None:
        raise NotImplementedError


async def _nothing_after_activation(account_id: str) -> None:
    return None


@dataclass
class NumbersPorts:
    """Everything the handlers work with; built by bootstrap, faked in unit tests."""

    users: UsersView
    lines: Lines
    carrier: Carrier | None
    notify_written: Callable[[], None] = lambda: None
    settings: AccountSettings = field(default_factory=_NoSettings)
    contacts: ContactsView | None = None
    calls: Calls | None = None
    # The gateway's voice webhook: also where Twilio asks what to tell the user before a forwarded call connects.
    voice_url: str = ""
    # Numbers bought per account per day (None: no cap, as in unit tests).
    purchases: PurchaseQuota | None = None
    # Called once a line has its number (bootstrap adds it to the account's A2P messaging service).
    after_activation: Callable[[str], Awaitable[None]] = _nothing_after_activation
