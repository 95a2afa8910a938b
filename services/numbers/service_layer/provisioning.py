"""Handlers that claim a user's line, choose and buy its number, and record it.

Exactly one number per user: the line's id is the claim, one worker at a time holds
the line (a lease), and the number about to be bought is stored on the line first,
so a purchase interrupted by a crash or a timeout is found at the carrier on the
next attempt instead of being bought twice or left unrecorded.
"""

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.numbers.domain.geography import search_plan, state_of_area_code
from services.numbers.domain.lines import (
    Candidate,
    DeactivationPolicy,
    Line,
    LineState,
    Purchase,
    RetryPolicy,
    line_id,
    rule_for_reuse,
    split_line_id,
)
from services.numbers.domain.overlays import overlays_of
from services.numbers.service_layer.ports import CarrierError, NumbersPorts, NumberUnavailable, OwnedNumber, UserRecord
from shared.events import Envelope, NumberProvisioned, NumberPurchaseFailed, NumberReleased
from shared.metrics.families.numbers import NUMBER_PURCHASE_FAILURES
from shared.phones import InvalidPhoneNumber, parse_phone

log = logging.getLogger(__name__)

# Several candidates, tried in random order: buyers searching at once see the same list, and would
# otherwise all race for its first number.
CANDIDATES_PER_SEARCH = 20


@dataclass(frozen=True)
class ProvisioningPolicy:
    retry: RetryPolicy = RetryPolicy()
    lease: timedelta = timedelta(minutes=2)
    # A purchase untouched this long with no live lease was abandoned by a worker that died.
    stale_after: timedelta = timedelta(seconds=10)


class NoNumberAvailable(CarrierError):
    pass


class PurchaseLimitReached(CarrierError):
    """The account has bought as many numbers today as it may; the line waits for the next day."""

    def __init__(self, limit: int, resets_at: datetime) -> None:
        super().__init__(
            f"this account has bought its {limit} numbers for today, the most it may buy in a day; "
            f"the next one can be bought after {resets_at:%Y-%m-%d %H:%M} UTC"
        )
        self.resets_at = resets_at


class _LeaseLost(Exception):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


async def record_user(
    *, ports: NumbersPorts, policy: ProvisioningPolicy, account_id: str, user: UserRecord, as_of: datetime, is_new: bool,
    changed: tuple[str, ...] = (),
) -> None:
    """Keep the newest snapshot of a user; start their number if the account buys early or one waits for
    them; a deactivated user's number is released or kept for reassignment as the account chose."""
    if not await ports.users.save(user, as_of=as_of):
        return  # an older revision than the one kept
    line = await ports.lines.get(line_id(account_id, user.user_id))
    if not user.active:
        if line and line.state == LineState.ACTIVE:
            await deactivate_line(ports=ports, line=line)
        return
    wants_early = user.eager_number_purchase and (is_new or "primary_cell" in changed)
    if wants_early and (line is None or line.state == LineState.RELEASED):
        reason = "user_created" if is_new else "primary_cell_changed"
        await request_number(ports=ports, policy=policy, account_id=account_id, user_id=user.user_id, reason=reason)
    elif line and line.state == LineState.AWAITING_USER:
        await provision_line(ports=ports, policy=policy, line_id=line.id)


async def request_number(*, ports: NumbersPorts, policy: ProvisioningPolicy, account_id: str, user_id: str, reason: str) -> Line:
    """Claim the user's line (once, however many requests arrive) and provision it unless it is done."""
    line = await ports.lines.claim(account_id=account_id, user_id=user_id, reason=reason, now=_now())
    if line.state == LineState.RELEASED:
        user = await ports.users.get(account_id, user_id)
        if user is None or not user.active or not await ports.lines.reopen(line.id, reason=reason, now=_now()):
            return line
    elif line.state in (LineState.ACTIVE, LineState.RELEASING):
        return line
    return await provision_line(ports=ports, policy=policy, line_id=line.id) or line


async def provision_line(*, ports: NumbersPorts, policy: ProvisioningPolicy, line_id: str) -> Line | None:
    """Take the line if it is workable and free, then buy (or reconcile) its number."""
    worker = uuid4().hex
    now = _now()
    account_id, user_id = split_line_id(line_id)
    # The user is read alongside the lease: one round trip to the store instead of two.
    line, user = await asyncio.gather(
        ports.lines.take(line_id, worker=worker, now=now, until=now + policy.lease), ports.users.get(account_id, user_id),
    )
    if line is None:
        return None
    if (line.account_id, line.user_id) != (account_id, user_id):
        user = await ports.users.get(line.account_id, line.user_id)
    if user is None or not user.active:
        return await _wait_for_user(ports=ports, policy=policy, line=line, worker=worker, known=user is not None)
    try:
        purchase = await _reconcile_candidate(ports, line, user) or await _search_and_buy(ports, line, user, worker)
    except _LeaseLost:
        log.warning("line %s was taken over by another worker; leaving it to them", line.id)
        return await ports.lines.get(line.id)
    except CarrierError as error:
        NUMBER_PURCHASE_FAILURES.labels(reason=type(error).__name__).inc()
        return await _record_failure(ports=ports, policy=policy, line=line, worker=worker, error=error)
    return await _record_purchase(ports=ports, line=line, worker=worker, purchase=purchase)


async def retry_due_lines(*, ports: NumbersPorts, policy: ProvisioningPolicy, limit: int = 50) -> int:
    """Try again the failed lines whose backoff is over and the purchases a dead worker abandoned."""
    now = _now()
    due = await ports.lines.due(now=now, stale_before=now - policy.stale_after, limit=limit)
    for line in due:
        await provision_line(ports=ports, policy=policy, line_id=line.id)
    releasing = await ports.lines.releasing_stale(stale_before=now - policy.stale_after, limit=limit)
    for line in releasing:
        await _give_back(ports=ports, line=line)
    return len(due) + len(releasing)


async def deactivate_line(*, ports: NumbersPorts, line: Line) -> None:
    """The user was deactivated: give their number back to the carrier, or keep it for another user."""
    released = NumberReleased(number_id=line.number_id or "", user_id=line.user_id, phone_number=line.phone_number or "")
    event = Envelope.wrap(released, account_id=line.account_id, subject=line.user_id)
    policy = await ports.settings.deactivation_policy(line.account_id)
    if policy == DeactivationPolicy.REASSIGN:
        if await ports.lines.finish_release(line.id, spare=True, now=_now(), events=[event]):
            ports.notify_written()
        return
    releasing = await ports.lines.start_release(line.id, now=_now())
    if releasing is not None:
        await _give_back(ports=ports, line=releasing)


async def _give_back(*, ports: NumbersPorts, line: Line) -> None:
    """Release the number at the carrier (already gone counts as done), then record it with its event."""
    try:
        await ports.carrier.release(line.carrier_sid)
    except CarrierError as error:
        log.warning("line %s: releasing %s failed (%s); the retry pass tries again", line.id, line.phone_number, error)
        return
    released = NumberReleased(number_id=line.number_id or "", user_id=line.user_id, phone_number=line.phone_number or "")
    event = Envelope.wrap(released, account_id=line.account_id, subject=line.user_id)
    if await ports.lines.finish_release(line.id, spare=False, now=_now(), events=[event]):
        ports.notify_written()


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
    if candidate.spare_of:
        return await _take_spare(ports, line, user, candidate)
    owned = await _owned_for(ports, candidate.phone_number, user)
    if owned is None:
        try:
            owned = await ports.carrier.buy(candidate.phone_number, friendly_name=friendly_name_for(user))
        except NumberUnavailable:
            owned = await _owned_for(ports, candidate.phone_number, user)
    if owned is None:
        return None
    return Purchase(owned.phone_number, owned.carrier_sid, candidate.selection_rule)


async def _take_spare(ports: NumbersPorts, line: Line, user: UserRecord, candidate: Candidate) -> Purchase | None:
    """Give the user a number the account kept from a deactivated user: claim it, then mark it theirs at the carrier."""
    if not await ports.lines.claim_spare(candidate.spare_of, by_line_id=line.id, now=_now()):
        return None
    spare = await ports.lines.get(candidate.spare_of)
    owned = await ports.carrier.rename(spare.carrier_sid, friendly_name=friendly_name_for(user))
    return Purchase(owned.phone_number, owned.carrier_sid, candidate.selection_rule)


async def _reuse_spare(ports: NumbersPorts, line: Line, user: UserRecord, worker: str, wanted_area_code: str | None) -> Purchase | None:
    """A number the account kept for reassignment, the most local first, before buying a new one."""
    spares = await ports.lines.spares(line.account_id)
    if not spares:
        return None
    state = state_of_area_code(wanted_area_code) if wanted_area_code else None
    overlays = overlays_of(wanted_area_code) if wanted_area_code else ()
    order = {"area_code": 0, "overlay": 1, "same_state": 2, "country": 3}
    ranked = sorted(
        (
            rule_for_reuse(
                wanted_area_code=wanted_area_code, number_area_code=spare.area_code or "", overlays=overlays,
                same_state=state is not None and state_of_area_code(spare.area_code or "") == state,
            ),
            spare,
        )
        for spare in spares
    )
    for rule, spare in sorted(ranked, key=lambda pair: order[pair[0]]):
        candidate = Candidate(spare.phone_number, rule, spare_of=spare.id)
        if not await ports.lines.choose_candidate(line.id, worker=worker, candidate=candidate, now=_now()):
            raise _LeaseLost()
        purchase = await _take_spare(ports, line, user, candidate)
        if purchase is not None:
            return purchase
    return None


async def _search_and_buy(ports: NumbersPorts, line: Line, user: UserRecord, worker: str) -> Purchase:
    wanted_area_code = area_code_of_user(user)
    reused = await _reuse_spare(ports, line, user, worker, wanted_area_code)
    if reused is not None:
        return reused
    await _count_purchase(ports, line)
    try:
        return await _buy_first_found(ports, line, user, worker, wanted_area_code)
    except NoNumberAvailable:
        if ports.purchases is not None:
            await ports.purchases.give_back(line.account_id, _now())  # nothing was bought
        raise


async def _count_purchase(ports: NumbersPorts, line: Line) -> None:
    """Count the purchase about to be made against the account's daily cap, before any candidate is
    chosen (a candidate is bought on a later attempt without being counted again)."""
    if ports.purchases is None:
        return
    allowed, usage = await ports.purchases.take(line.account_id, _now())
    if not allowed:
        raise PurchaseLimitReached(usage.limit, usage.resets_at)


async def _buy_first_found(ports: NumbersPorts, line: Line, user: UserRecord, worker: str, wanted_area_code: str | None) -> Purchase:
    for search in search_plan(wanted_area_code):
        offered = await ports.carrier.search(search, limit=CANDIDATES_PER_SEARCH)
        for phone_number in random.sample(offered, len(offered)):
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
        await ports.after_activation(line.account_id)
    else:
        # Another worker took the line over; it reconciles the same candidate at the carrier.
        log.warning("line %s bought %s but was taken over before recording it", line.id, purchase.phone_number)
    return await ports.lines.get(line.id)


async def _record_failure(*, ports: NumbersPorts, policy: ProvisioningPolicy, line: Line, worker: str, error: Exception) -> Line | None:
    now = _now()
    attempts = line.attempts + 1
    next_attempt_at = policy.retry.next_attempt_at(attempts=attempts, now=now)
    if isinstance(error, PurchaseLimitReached):
        # Not the carrier's fault: try again once the day's cap resets (spread over a minute), however often it is met.
        next_attempt_at = error.resets_at + timedelta(seconds=random.uniform(0, 60))
    reason = str(error) or type(error).__name__
    # The user hears of the first failure and of giving up, not of every retry in between.
    tell_user = line.attempts == 0 or next_attempt_at is None
    failed = NumberPurchaseFailed(
        user_id=line.user_id, reason=reason, attempts=attempts, will_retry=next_attempt_at is not None,
        next_attempt_at=next_attempt_at,
    )
    events = [Envelope.wrap(failed, account_id=line.account_id, subject=line.user_id)] if tell_user else []
    if await ports.lines.fail(line.id, worker=worker, error=reason, next_attempt_at=next_attempt_at, now=now, events=events):
        ports.notify_written()
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
