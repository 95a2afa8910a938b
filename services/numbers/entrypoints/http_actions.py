"""HTTP routes that change things: click-to-call, the account's number settings, A2P registration."""


from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from services.numbers.domain.calls import CallRefused
from services.numbers.domain.lines import DeactivationPolicy
from services.numbers.domain.registration import Registration, RegistrationDraft
from services.numbers.entrypoints import permissions
from services.numbers.entrypoints.http import NumberPublic, PortsDep
from services.numbers.service_layer import calls, opt_out_handling, provisioning, queries, registrations
from services.numbers.service_layer.ports import CarrierError
from shared import bounds
from shared.web import AccountCaller

router = APIRouter(prefix="/v1")


def _a2p(request: Request) -> registrations.A2PPorts:
    return request.app.state.a2p


A2PDep = Annotated[registrations.A2PPorts, Depends(_a2p)]


@router.post("/numbers/mine", status_code=202, response_model=NumberPublic)
async def request_my_number(caller: AccountCaller, ports: PortsDep, request: Request) -> NumberPublic:
    """Buy the caller's texting number now instead of at their first text; asking again changes nothing."""
    if not caller.user_id:
        raise HTTPException(status_code=403, detail="this call needs a user")
    await provisioning.request_number(
        ports=ports, policy=request.app.state.service.policy, account_id=caller.account_id, user_id=caller.user_id,
        reason="requested",
    )
    item = await queries.line_of(ports=ports, account_id=caller.account_id, user_id=caller.user_id)
    return NumberPublic.of(item)


class CallCreate(BaseModel):
    contact_id: bounds.Identifier
    phone_id: bounds.Identifier


class CallPublic(BaseModel):
    call_sid: str
    contact_id: str
    phone_id: str
    to_number: str = Field(description="the contact's number, dialled once the user answers")
    from_number: str = Field(description="the user's number, shown to the contact")
    ringing: str = Field(description="the user's primary phone, rung first")


@router.post("/calls", status_code=201, response_model=CallPublic)
async def place_call(body: CallCreate, caller: AccountCaller, ports: PortsDep) -> CallPublic:
    """Click-to-call: ring the caller's primary phone, then bridge to the contact from the caller's number."""
    if not caller.user_id:
        raise HTTPException(status_code=403, detail="this call needs a user")
    try:
        placed = await calls.click_to_call(
            ports=ports, account_id=caller.account_id, user_id=caller.user_id, contact_id=body.contact_id, phone_id=body.phone_id,
        )
    except calls.NotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except CallRefused as error:
        raise HTTPException(status_code=409, detail=f"cannot call: {error}") from error
    except calls.NotReady as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
    except CarrierError as error:
        raise HTTPException(status_code=502, detail=f"the call could not be placed: {error}") from error
    record = placed.record
    return CallPublic(
        call_sid=placed.call_sid, contact_id=record.contact_id, phone_id=record.phone_id,
        to_number=record.their_number, from_number=record.our_number, ringing=record.user_phone,
    )


class NumberSettings(BaseModel):
    on_deactivation: DeactivationPolicy = Field(
        description="release: give a deactivated user's number back; reassign: keep it for the next user who needs one"
    )


@router.get("/numbers/settings", response_model=NumberSettings)
async def read_number_settings(caller: AccountCaller, ports: PortsDep) -> NumberSettings:
    return NumberSettings(on_deactivation=await ports.settings.deactivation_policy(caller.account_id))


@router.put("/numbers/settings", response_model=NumberSettings)
async def change_number_settings(body: NumberSettings, caller: AccountCaller, ports: PortsDep) -> NumberSettings:
    await ports.settings.set_deactivation_policy(caller.account_id, body.on_deactivation)
    return body


class OptOutHandling(BaseModel):
    model_config = ConfigDict(extra="forbid")

    carrier_answers_keywords: bool = Field(
        description="true when the number's messaging service has Twilio's Advanced Opt-Out on, so Twilio answers STOP, START and HELP"
    )


@router.put("/numbers/{number_id}/opt-out-handling", response_model=NumberPublic)
async def change_opt_out_handling(
    number_id: Annotated[str, Path(min_length=1, max_length=bounds.IDENTIFIER)], body: OptOutHandling,
    caller: AccountCaller, ports: PortsDep,
) -> NumberPublic:
    """Say whether the carrier answers the number's keywords itself; the product then confirms only what it does not."""
    try:
        line = await opt_out_handling.set_opt_out_handling(
            ports=ports, account_id=caller.account_id, number_id=number_id,
            carrier_answers=body.carrier_answers_keywords, by_user_id=caller.user_id,
        )
    except opt_out_handling.NumberNotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    return NumberPublic.of(queries.LineWithUser(line, await ports.users.get(caller.account_id, line.user_id)))


class RegistrationWrite(BaseModel):
    company_name: bounds.Label = ""
    brand_type: Literal["STANDARD", "SOLE_PROPRIETOR"] = "STANDARD"
    ein: bounds.ShortCode = ""
    website: bounds.Url = ""
    contact_email: bounds.Email = ""
    contact_phone: bounds.PhoneAsTyped = Field("", description="where people reach the business; the HELP reply names it")
    customer_profile_bundle_sid: bounds.ShortCode = Field("", description="Twilio Trust Hub business profile (BU...)")
    a2p_profile_bundle_sid: bounds.ShortCode = Field("", description="Twilio Trust Hub A2P messaging profile (BU...)")
    use_case: bounds.ShortCode = "MIXED"
    description: bounds.LongText = ""
    message_flow: bounds.LongText = Field("", description="how people opt in to receive texts")
    sample_messages: list[bounds.SampleMessage] = Field(default_factory=list, max_length=5)
    privacy_policy_url: bounds.Url = ""
    terms_and_conditions_url: bounds.Url = ""


class RegistrationPublic(RegistrationWrite):
    registration_id: str
    state: str
    reason: str | None
    deliverability_warning: bool = Field(description="true until approved: texts go out but may be filtered")
    brand_sid: str | None
    messaging_service_sid: str | None
    campaign_sid: str | None

    @classmethod
    def of(cls, registration: Registration) -> "RegistrationPublic":
        return cls(
            **registration.draft.__dict__, registration_id=registration.registration_id, state=registration.state,
            reason=registration.reason, deliverability_warning=registration.state != "approved",
            brand_sid=registration.brand_sid, messaging_service_sid=registration.service_sid,
            campaign_sid=registration.campaign_sid,
        )


class RegistrationStatePublic(BaseModel):
    """What a texter sees of the registration: whether texts are filtered, not the business's details."""

    registration_id: str
    state: str
    reason: str | None
    deliverability_warning: bool = Field(description="true until approved: texts go out but may be filtered")

    @classmethod
    def of(cls, registration: Registration) -> "RegistrationStatePublic":
        return cls(
            registration_id=registration.registration_id, state=registration.state, reason=registration.reason,
            deliverability_warning=registration.state != "approved",
        )


@router.get("/registrations", response_model=RegistrationPublic | RegistrationStatePublic)
async def read_registration(caller: AccountCaller, a2p: A2PDep) -> RegistrationPublic | RegistrationStatePublic:
    """The whole registration for owners and admins; its state alone for texters."""
    registration = await a2p.registrations.get(caller.account_id)
    if registration is None:
        raise HTTPException(status_code=404, detail="the account has no A2P 10DLC registration yet")
    if not permissions.sees_whole_registration(caller):
        return RegistrationStatePublic.of(registration)
    return RegistrationPublic.of(registration)


@router.put("/registrations", response_model=RegistrationPublic)
async def write_registration(body: RegistrationWrite, caller: AccountCaller, a2p: A2PDep) -> RegistrationPublic:
    """Create or replace the draft (also after a failure, to fix it)."""
    try:
        registration = await registrations.save_draft(ports=a2p, account_id=caller.account_id, draft=RegistrationDraft(**body.model_dump()))
    except registrations.RegistrationLocked as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
    return RegistrationPublic.of(registration)


@router.post("/registrations/submit", response_model=RegistrationPublic)
async def submit_registration(caller: AccountCaller, a2p: A2PDep):
    try:
        registration = await registrations.submit(ports=a2p, account_id=caller.account_id)
    except registrations.NoRegistration as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
    except registrations.RegistrationLocked as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
    except registrations.NotReadyToSubmit as error:
        problems = [{"field": p.field, "problem": p.problem} for p in error.problems]
        return JSONResponse(status_code=422, content={"detail": str(error), "errors": problems})
    return RegistrationPublic.of(registration)



