"""Handlers that claim a user's line, choose and buy its number, and record it.

Exactly one number per user: the line's id is the claim, one worker at a time holds
the line (a lease), and the number about to be bought is stored on the line first,
so a purchase interrupted by a crash or a timeout is found at the carrier on the
next attempt instead of being bought twice or left unrecorded.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.numbers.domain.geography import search_plan, state_of_area_code
from services.numbers.domain.lines import Candidate, Line, LineState, Purchase, RetryPolicy, line_id
from services.numbers.service_layer.ports import CarrierError, NumbersPorts, NumberUnavailable, OwnedNumber, UserRecord
from shared.events import Envelope, NumberProvisioned
from shared.phones import InvalidPhoneNumber, parse_phone

log = logging.getLogger(__name__)

CANDIDATES_PER_SEARCH = 5


@dataclass(frozen=True)
class ProvisioningPolicy:
    retry: RetryPolicy = RetryPolicy()
    lease: timedelta = timedelta(minutes=2)
    # A purchase untouched this long with no live lease was abandoned by a worker that died.
    stale_after: timedelta = timedelta(seconds=10)


class NoNumberAvailable(CarrierError):
    pass


class _LeaseLost(Exception):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


async def record_user(
    *, ports: NumbersPorts, policy: ProvisioningPolicy, account_id: str, user: UserRecord, as_of: datetime, is_new: bool
) -> None:
    """Keep the newest snapshot of a user; start their number if they want it early or one waits for them."""
    await ports.users.save(user, as_of=as_of)
    if is_new and user.eager_number_purchase and user.active:
        await request_number(ports=ports, policy=policy, account_id=account_id, user_id=user.user_id, reason="user_created")
        return
    line = await ports.lines.get(line_id(account_id, user.user_id))
    if line and line.state == LineState.AWAITING_USER:
        await provision_line(ports=ports, policy=policy, line_id=line.id)


async def request_number(*, ports: NumbersPorts, policy: ProvisioningPolicy, account_id: str, user_id: str, reason: str) -> Line:
    """Claim the user's line (once, however many requests arrive) and provision it unless it is done."""
    line = await ports.lines.claim(account_id=account_id, user_id=user_id, reason=reason, now=_now())
    if line.state in (LineState.ACTIVE, LineState.RELEASED):
        return line
    return await provision_line(ports=ports, policy=policy, line_id=line.id) or line


async def provision_line(*, ports: NumbersPorts, policy: ProvisioningPolicy, line_id: str) -> Line | None:
    """Take the line if it is workable and free, then buy (or reconcile) its number."""
    worker = uuid4().hex
    now = _now()
    line = await ports.lines.take(line_id, worker=worker, now=now, until=now + policy.lease)
    if line is None:
        return None
    user = await ports.users.get(line.account_id, line.user_id)
    if user is None or not user.active:
        return await _wait_for_user(ports=ports, policy=policy, line=line, worker=worker, known=user is not None)
    try:
        purchase = await _reconcile_candidate(ports, line, user) or await _search_and_buy(ports, line, user, worker)
    except _LeaseLost:
        log.warning("line %s was taken over by another worker; leaving it to them", line.id)
        return await ports.lines.get(line.id)
    except CarrierError as error:
        return await _record_failure(ports=ports, policy=policy, line=line, worker=worker, error=error)
    return await _record_purchase(ports=ports, line=line, worker=worker, purchase=purchase)


async def retry_due_lines(*, ports: NumbersPorts, policy: ProvisioningPolicy, limit: int = 50) -> int:
    """Try again the failed lines whose backoff is over and the purchases a dead worker abandoned."""
    now = _now()
    due = await ports.lines.due(now=now, stale_before=now - policy.stale_after, limit=limit)
    for line in due:
        await provision_line(ports=ports, policy=policy, line_id=line.id)
    return len(due)


async def _wait_for_user(*, ports: NumbersPorts, policy: ProvisioningPolicy, line: Line, worker: str, known: bool) -> Line | None:
    reason = "user is deactivated" if known else "user is not known yet"
    await ports.lines.await_user(line.id, worker=worker, reason=reason, now=_now())
    # The user may have arrived while this worker held the line (and so was turned away).
    user = await ports.users.get(line.account_id, line.user_id)
    if user is not None and user.active:
        return await provision_line(ports=ports, policy=policy, line_id=line.id)
    return await ports.lines.get(line.id)


async def _reconcile_candidate(ports: NumbersPorts, line: Line, user: UserRecord) -> Purchase | None:
    """The number chosen by an earlier, interrupted attempt: ours already, bought now, or gone."""
    candidate = line.candidate
    if candidate is None:
        return None
    owned = await _owned_for(ports, candidate.phone_number, user)
    if owned is None:
        try:
            owned = await ports.carrier.buy(candidate.phone_number, friendly_name=friendly_name_for(user))
        except NumberUnavailable:
            owned = await _owned_for(ports, candidate.phone_number, user)
    if owned is None:
        return None
    return Purchase(owned.phone_number, owned.carrier_sid, candidate.selection_rule)


async def _search_and_buy(ports: NumbersPorts, line: Line, user: UserRecord, worker: str) -> Purchase:
    wanted_area_code = area_code_of_user(user)
    for search in search_plan(wanted_area_code):
        for phone_number in await ports.carrier.search(search, limit=CANDIDATES_PER_SEARCH):
            candidate = Candidate(phone_number, search.selection_rule)
            if not await ports.lines.choose_candidate(line.id, worker=worker, candidate=candidate, now=_now()):
                raise _LeaseLost()
            try:
                owned = await ports.carrier.buy(phone_number, friendly_name=friendly_name_for(user))
            except NumberUnavailable:
                owned = await _owned_for(ports, phone_number, user)
                if owned is None:
                    continue
            return Purchase(owned.phone_number, owned.carrier_sid, search.selection_rule)
    raise NoNumberAvailable(_nothing_found_message(wanted_area_code))


async def _owned_for(ports: NumbersPorts, phone_number: str, user: UserRecord) -> OwnedNumber | None:
    """The number if our carrier account owns it *for this user*: every number of the account
    is ours, so only the FriendlyName's user-id marker tells this user's from another's."""
    owned = await ports.carrier.find_owned(phone_number)
    if owned is None or not owned.friendly_name.endswith(ownership_marker(user.user_id)):
        return None
    return owned


async def _record_purchase(*, ports: NumbersPorts, line: Line, worker: str, purchase: Purchase) -> Line | None:
    number_area_code = area_code_of_number(purchase.phone_number)
    provisioned = NumberProvisioned(
        number_id=uuid4().hex,
        user_id=line.user_id,
        phone_number=purchase.phone_number,
        area_code=number_area_code,
        selection_rule=purchase.selection_rule,
        carrier_sid=purchase.carrier_sid,
    )
    event = Envelope.wrap(provisioned, account_id=line.account_id, subject=line.user_id)
    recorded = await ports.lines.activate(
        line.id, worker=worker, purchase=purchase, number_id=provisioned.number_id,
        area_code=number_area_code, now=_now(), events=[event],
    )
    if recorded:
        ports.notify_written()
        log.info("line %s got %s (%s)", line.id, purchase.phone_number, purchase.selection_rule)
    else:
        # Another worker took the line over; it reconciles the same candidate at the carrier.
        log.warning("line %s bought %s but was taken over before recording it", line.id, purchase.phone_number)
    return await ports.lines.get(line.id)


async def _record_failure(*, ports: NumbersPorts, policy: ProvisioningPolicy, line: Line, worker: str, error: Exception) -> Line | None:
    now = _now()
    next_attempt_at = policy.retry.next_attempt_at(attempts=line.attempts + 1, now=now)
    await ports.lines.fail(line.id, worker=worker, error=str(error) or type(error).__name__, next_attempt_at=next_attempt_at, now=now)
    log.warning("line %s: attempt %d failed: %s; next attempt %s", line.id, line.attempts + 1, error, next_attempt_at or "never")
    return await ports.lines.get(line.id)


def area_code_of_user(user: UserRecord) -> str | None:
    if user.primary_cell_area_code:
        return user.primary_cell_area_code
    if user.primary_cell:
        try:
            return parse_phone(user.primary_cell).area_code
        except InvalidPhoneNumber:
            return None
    return None


def area_code_of_number(phone_number: str) -> str:
    return phone_number[2:5] if phone_number.startswith("+1") else ""


def ownership_marker(user_id: str) -> str:
    return f"({user_id})"


def friendly_name_for(user: UserRecord) -> str:
    """Twilio's FriendlyName (64 characters at most): the user's name, shortened if need be, and
    the user id, which marks whose number it is when a purchase is reconciled."""
    suffix = " " + ownership_marker(user.user_id)
    name = user.name or user.email
    return name[: max(64 - len(suffix), 0)] + suffix


def _nothing_found_message(area_code: str | None) -> str:
    if not area_code:
        return "no US local number that takes texts and calls is for sale"
    state = state_of_area_code(area_code)
    where = f"area code {area_code}" + (f", elsewhere in {state}" if state else "")
    return f"no local number that takes texts and calls is for sale in {where}, or anywhere in the US"
