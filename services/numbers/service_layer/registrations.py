"""A2P 10DLC: the owner's draft, the checks before submission, and the walk through Twilio's review
(brand, then messaging service and campaign), each state change emitted as registration.updated."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.numbers.domain.lines import LineState
from services.numbers.domain.registration import (
    EDITABLE_STATES,
    IN_FLIGHT_STATES,
    Problem,
    Registration,
    RegistrationDraft,
    problems_before_submission,
    state_after_brand_review,
    state_after_campaign_review,
)
from services.numbers.service_layer.ports import A2PCarrier, CarrierError, NumbersPorts
from shared.events import Envelope, RegistrationSaved, RegistrationUpdated
from shared.events.numbers import RegistrationState

log = logging.getLogger(__name__)

WORK_LEASE = timedelta(seconds=60)


class RegistrationLocked(Exception):
    """The registration is with the carrier; it can be changed again once it is approved or failed."""


class NotReadyToSubmit(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("registration is not ready to submit")
        self.problems = problems


class NoRegistration(Exception):
    pass


@dataclass
class A2PPorts:
    numbers: NumbersPorts
    registrations: "object"  # MongoRegistrations
    carrier: A2PCarrier | None


def _now() -> datetime:
    return datetime.now(UTC)


def _event(registration: Registration, state: RegistrationState, reason: str | None) -> Envelope:
    updated = RegistrationUpdated(registration_id=registration.registration_id, state=state, reason=reason)
    return Envelope.wrap(updated, account_id=registration.account_id, subject=registration.account_id)


def _saved_event(registration: Registration, draft: RegistrationDraft) -> Envelope:
    saved = RegistrationSaved(
        registration_id=registration.registration_id, company_name=draft.company_name.strip(), website=draft.website.strip(),
        contact_email=draft.contact_email.strip(), contact_phone=draft.contact_phone.strip(),
    )
    return Envelope.wrap(saved, account_id=registration.account_id, subject=registration.account_id)


async def save_draft(*, ports: A2PPorts, account_id: str, draft: RegistrationDraft) -> Registration:
    """Create or replace the account's draft; a failed registration goes back to draft to be fixed.
    Every save announces the brand's details (registration.saved), which the HELP reply names."""
    existing = await ports.registrations.get(account_id)
    if existing is None:
        registration = Registration(account_id, uuid4().hex, "draft", draft)
        events = [_event(registration, "draft", None), _saved_event(registration, draft)]
        if await ports.registrations.create(registration, now=_now(), events=events):
            ports.numbers.notify_written()
            return registration
        existing = await ports.registrations.get(account_id)
    if existing.state not in EDITABLE_STATES:
        raise RegistrationLocked(f"the registration is {existing.state} and cannot be changed now")
    events = [_event(existing, "draft", None)] if existing.state != "draft" else []
    events.append(_saved_event(existing, draft))
    if not await ports.registrations.update(
        account_id, from_states=EDITABLE_STATES, changes={"draft": draft, "state": "draft", "reason": None}, now=_now(), events=events,
    ):
        raise RegistrationLocked("the registration was submitted meanwhile")
    ports.numbers.notify_written()
    return await ports.registrations.get(account_id)


async def submit(*, ports: A2PPorts, account_id: str) -> Registration:
    """Check the draft as carriers would, then send it to Twilio."""
    registration = await ports.registrations.get(account_id)
    if registration is None:
        raise NoRegistration("write a registration draft first")
    if registration.state not in EDITABLE_STATES:
        raise RegistrationLocked(f"the registration is already {registration.state}")
    problems = problems_before_submission(registration.draft)
    if problems:
        raise NotReadyToSubmit(problems)
    # A brand the carrier failed is registered anew; an approved brand is kept for a new campaign.
    changes = {"state": "submitted", "reason": None, "campaign_sid": None}
    if registration.brand_sid and registration.reason and registration.reason.startswith("brand:"):
        changes["brand_sid"] = None
    if not await ports.registrations.update(
        account_id, from_states=EDITABLE_STATES, changes=changes, now=_now(), events=[_event(registration, "submitted", None)],
    ):
        raise RegistrationLocked("the registration was submitted meanwhile")
    ports.numbers.notify_written()
    await advance(ports=ports, account_id=account_id)
    return await ports.registrations.get(account_id)


async def advance(*, ports: A2PPorts, account_id: str) -> None:
    """One step further through Twilio's review, as far as the carrier's answers allow; safe to repeat."""
    worker = uuid4().hex
    now = _now()
    registration = await ports.registrations.take(account_id, worker=worker, now=now, until=now + WORK_LEASE)
    if registration is None:
        return
    try:
        if registration.state in IN_FLIGHT_STATES:
            await _walk(ports, registration)
        if registration.state == "approved" or (await ports.registrations.get(account_id)).state == "approved":
            await attach_numbers(ports=ports, account_id=account_id)
    except CarrierError as error:
        log.warning("registration of %s: carrier trouble (%s); the next pass tries again", account_id, error)
    finally:
        await ports.registrations.let_go(account_id, worker=worker)


async def _walk(ports: A2PPorts, registration: Registration) -> None:
    account_id, draft = registration.account_id, registration.draft
    if registration.brand_sid is None:
        registration.brand_sid = await _create_once(
            ports, registration, "brand",
            find=lambda: ports.carrier.find_brand(draft), create=lambda: ports.carrier.register_brand(draft),
        )
    brand = await ports.carrier.brand_review(registration.brand_sid)
    waiting = state_after_brand_review(brand.status)
    if waiting is not None:
        reason = f"brand: {brand.reason or 'rejected by the carrier'}" if waiting == "failed" else None
        await _move(ports, registration, waiting, reason)
        return
    if registration.service_sid is None:
        name = service_name(draft.company_name, account_id)
        registration.service_sid = await _create_once(
            ports, registration, "service",
            find=lambda: ports.carrier.find_service(friendly_name=name),
            create=lambda: ports.carrier.create_service(friendly_name=name, use_case=draft.use_case),
        )
    if registration.campaign_sid is None:
        service_sid, brand_sid = registration.service_sid, registration.brand_sid
        registration.campaign_sid = await _create_once(
            ports, registration, "campaign",
            find=lambda: ports.carrier.find_campaign(service_sid=service_sid),
            create=lambda: ports.carrier.register_campaign(service_sid=service_sid, brand_sid=brand_sid, draft=draft),
        )
    campaign = await ports.carrier.campaign_review(service_sid=registration.service_sid, campaign_sid=registration.campaign_sid)
    state = state_after_campaign_review(campaign.status)
    reason = f"campaign: {campaign.reason or 'rejected by the carrier'}" if state == "failed" else None
    await _move(ports, registration, state, reason)


def service_name(company_name: str, account_id: str) -> str:
    """The messaging service's FriendlyName, unique per account: how a retry finds the one created before."""
    return f"Texting {company_name}"[:48] + f" {account_id[-12:]}"


async def _create_once(ports: A2PPorts, registration: Registration, what: str, *, find, create) -> str:
    """Twilio's creates are not idempotent: the intent is recorded before the create, so a retry after a
    crash between the create and recording its SID finds the earlier object instead of making another."""
    sid = await find() if registration.creating == what else None
    if sid is None:
        await _record(ports, registration, {"creating": what})
        registration.creating = what
        sid = await create()
    await _record(ports, registration, {f"{what}_sid": sid, "creating": None})
    registration.creating = None
    return sid


async def _record(ports: A2PPorts, registration: Registration, changes: dict) -> None:
    await ports.registrations.update(registration.account_id, from_states=IN_FLIGHT_STATES, changes=changes, now=_now())


async def _move(ports: A2PPorts, registration: Registration, state: RegistrationState, reason: str | None) -> None:
    if state == registration.state:
        return
    moved = await ports.registrations.update(
        registration.account_id, from_states={registration.state}, changes={"state": state, "reason": reason},
        now=_now(), events=[_event(registration, state, reason)],
    )
    if moved:
        registration.state = state
        ports.numbers.notify_written()
        log.info("registration of %s is %s%s", registration.account_id, state, f" ({reason})" if reason else "")


async def attach_numbers(*, ports: A2PPorts, account_id: str) -> int:
    """Once approved, every active number of the account joins its messaging service (numbers bought later too)."""
    registration = await ports.registrations.get(account_id)
    if registration is None or registration.state != "approved" or not registration.service_sid:
        return 0
    attached = 0
    for line in await ports.numbers.lines.in_account(account_id):
        if line.state != LineState.ACTIVE or line.messaging_service_sid == registration.service_sid or not line.carrier_sid:
            continue
        await ports.carrier.add_number(service_sid=registration.service_sid, number_sid=line.carrier_sid)
        await ports.numbers.lines.mark_attached(line.id, messaging_service_sid=registration.service_sid, now=_now())
        attached += 1
    return attached


async def follow_reviews(*, ports: A2PPorts) -> None:
    """The periodic pass: registrations with the carrier move on; approved accounts' new numbers join."""
    for registration in await ports.registrations.in_states({"submitted", "in_review", "approved"}):
        await advance(ports=ports, account_id=registration.account_id)
