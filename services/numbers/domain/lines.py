"""A line: the one number a user of an account texts and calls from, and how it got it.

One line per (account, user), whose id is also its claim: inserting it is what makes
"exactly one number per user" hold however many requests arrive at once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from shared.events.numbers import SelectionRule


class LineState(StrEnum):
    AWAITING_USER = "awaiting_user"  # requested, but the user is not known (yet) or not active
    PURCHASING = "purchasing"  # searching, or a chosen candidate is being bought
    ACTIVE = "active"
    FAILED = "failed"  # the last attempt failed; `next_attempt_at` says when the next one is due
    RELEASING = "releasing"  # the user was deactivated; the number is being given back to the carrier
    RELEASED = "released"  # the user no longer holds the number (`spare`: the account kept it for another user)


# States in which a worker may take the line and (try to) buy its number.
WORKABLE_STATES = (LineState.AWAITING_USER, LineState.PURCHASING, LineState.FAILED)


def line_id(account_id: str, user_id: str) -> str:
    return f"{account_id}:{user_id}"


def split_line_id(key: str) -> tuple[str, str]:
    """(account id, user id) of a line id; a guess when an id itself holds a colon (callers check it)."""
    account_id, _, user_id = key.partition(":")
    return account_id, user_id


@dataclass(frozen=True)
class Candidate:
    """A number chosen before it is bought, so a crash mid-purchase can be reconciled."""

    phone_number: str
    selection_rule: SelectionRule
    spare_of: str | None = None  # the released line whose kept number this is, when reassigned


@dataclass(frozen=True)
class Purchase:
    phone_number: str
    carrier_sid: str
    selection_rule: SelectionRule


@dataclass
class Line:
    id: str
    account_id: str
    user_id: str
    state: LineState
    phone_number: str | None = None
    carrier_sid: str | None = None
    number_id: str | None = None
    area_code: str | None = None
    selection_rule: SelectionRule | None = None
    candidate: Candidate | None = None
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    reason: str | None = None  # why the line was first requested
    requested_at: datetime | None = None
    activated_at: datetime | None = None
    updated_at: datetime | None = None
    released_at: datetime | None = None
    spare: bool = False  # released, but the account kept the number to give to another user
    messaging_service_sid: str | None = None  # the A2P messaging service the number was added to
    # The carrier itself answers STOP, START and HELP texted to the number (Twilio's Advanced Opt-Out
    # on its messaging service), as an owner or admin says: the product then sends no confirmation of its own.
    carrier_answers_keywords: bool = False


class DeactivationPolicy(StrEnum):
    """What happens to a deactivated user's number: given back, or kept for the next user who needs one."""

    RELEASE = "release"
    REASSIGN = "reassign"


def rule_for_reuse(*, wanted_area_code: str | None, number_area_code: str, overlays: tuple[str, ...],
                   same_state: bool) -> SelectionRule:
    """How local a kept number is for a user in `wanted_area_code`, in the purchase rules' words."""
    if wanted_area_code == number_area_code:
        return "area_code"
    if number_area_code in overlays:
        return "overlay"
    return "same_state" if same_state else "country"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff between attempts, and a bound on how many there are."""

    max_attempts: int = 8
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)

    def next_attempt_at(self, *, attempts: int, now: datetime) -> datetime | None:
        """When to try again after `attempts` failed attempts; None once they are used up."""
        if attempts >= self.max_attempts:
            return None
        delay = min(self.base_delay * 2 ** max(attempts - 1, 0), self.max_delay)
        return now + delay
