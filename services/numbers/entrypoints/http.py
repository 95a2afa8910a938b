"""HTTP routes: who has which number, and the voice webhook the gateway forwards."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from services.numbers.service_layer import calls, queries
from services.numbers.service_layer.ports import NumbersPorts
from shared.web import AccountCaller, SystemCaller


def _ports(request: Request) -> NumbersPorts:
    return request.app.state.ports


PortsDep = Annotated[NumbersPorts, Depends(_ports)]

router = APIRouter(prefix="/v1")


class NumberPublic(BaseModel):
    number_id: str | None = Field(description="the number's id while the user holds it")
    user_id: str
    user_name: str | None
    user_email: str | None
    state: str
    phone_number: str | None
    area_code: str | None
    selection_rule: str | None
    since: datetime | None = Field(description="when the number became the user's")
    requested_at: datetime | None
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    carrier_answers_keywords: bool = Field(
        description="the carrier itself answers STOP, START and HELP (Twilio's Advanced Opt-Out): the product sends no confirmation of its own"
    )

    @classmethod
    def of(cls, item: queries.LineWithUser) -> "NumberPublic":
        line, user = item.line, item.user
        return cls(
            number_id=line.number_id,
            user_id=line.user_id,
            user_name=user.name if user else None,
            user_email=user.email if user else None,
            state=line.state,
            phone_number=line.phone_number,
            area_code=line.area_code,
            selection_rule=line.selection_rule,
            since=line.activated_at,
            requested_at=line.requested_at,
            attempts=line.attempts,
            last_error=line.last_error,
            next_attempt_at=line.next_attempt_at,
            carrier_answers_keywords=line.carrier_answers_keywords,
        )


class NumberList(BaseModel):
    items: list[NumberPublic]


class VoiceCallWebhook(BaseModel):
    """Twilio's voice webhook parameters, forwarded by the gateway as JSON."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    to: str = Field(alias="To", min_length=1)
    from_: str = Field(alias="From", min_length=1)
    call_sid: str | None = Field(default=None, alias="CallSid")
    direction: str | None = Field(default=None, alias="Direction")


class TwimlAnswer(BaseModel):
    twiml: str


class CallStatusRecorded(BaseModel):
    recorded: bool = True


@router.get("/numbers", response_model=NumberList)
async def list_numbers(caller: AccountCaller, ports: PortsDep) -> NumberList:
    """Owners and admins see every line of the account; texters only their own."""
    items = await queries.lines_visible_to(ports=ports, account_id=caller.account_id, user_id=caller.user_id, role=caller.role)
    return NumberList(items=[NumberPublic.of(item) for item in items])


@router.get("/numbers/mine", response_model=NumberPublic)
async def my_number(caller: AccountCaller, ports: PortsDep) -> NumberPublic:
    if not caller.user_id:
        raise HTTPException(status_code=403, detail="this call needs a user")
    item = await queries.line_of(ports=ports, account_id=caller.account_id, user_id=caller.user_id)
    if item is None:
        raise HTTPException(status_code=404, detail="no number has been requested for you yet")
    return NumberPublic.of(item)


class QuotaPublic(BaseModel):
    limit: int
    used: int
    remaining: int
    resets_at: datetime


class NumberLimits(BaseModel):
    numbers_per_day: QuotaPublic = Field(description="numbers the account may buy in a day (UTC), and how many it bought today")


@router.get("/numbers/limits", response_model=NumberLimits)
async def number_limits(caller: AccountCaller, ports: PortsDep) -> NumberLimits:
    usage = await ports.purchases.usage(caller.account_id, datetime.now(UTC))
    return NumberLimits(
        numbers_per_day=QuotaPublic(limit=usage.limit, used=usage.used, remaining=usage.remaining, resets_at=usage.resets_at)
    )


@router.post("/webhooks/voice", response_model=TwimlAnswer)
async def voice_webhook(call: VoiceCallWebhook, _: SystemCaller, ports: PortsDep) -> TwimlAnswer:
    """A call to one of our numbers: ring its owner's primary cell (telling them which contact calls),
    or apologise and hang up."""
    answer = await calls.answer_call(ports=ports, to_number=call.to, from_number=call.from_, direction=call.direction)
    return TwimlAnswer(twiml=answer)


@router.post("/webhooks/voice-status", response_model=CallStatusRecorded)
async def voice_status_webhook(params: dict[str, str], _: SystemCaller, ports: PortsDep) -> CallStatusRecorded:
    """Twilio's voice status callback: a finished call becomes call.completed (once). Answered with
    a body, like the other webhooks the gateway hands over."""
    await calls.call_ended(ports=ports, params=params)
    return CallStatusRecorded()
