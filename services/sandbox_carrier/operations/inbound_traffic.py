"""Someone texts or calls one of the account's numbers: Twilio calls the number's webhook."""

from dataclasses import dataclass

from ..domain import sids
from ..domain.records import API_VERSION, Call, Media, Message, OwnedNumber
from ..domain.segments import count_segments
from ..phone_numbers.e164 import country_of, parse_e164
from ..runtime import Carrier
from ..twilio_api.representations import media_path
from ..webhooks.sender import WebhookOutcome, new_idempotency_token

# Twilio's default opt-out handling: these words stop texts from that number, these start them again.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
START_WORDS = frozenset({"START", "YES", "UNSTOP"})


class UnroutableInbound(Exception):
    """The sandbox can't deliver this inbound traffic; `status_code` says how the control API answers."""

    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


@dataclass(frozen=True)
class InboundResult:
    sid: str
    deliveries: list[WebhookOutcome]


async def receive_text(carrier: Carrier, *, sender: str, recipient: str, body: str, copies: int = 1,
                       messaging_service_sid: str | None = None, media: list[tuple[str, bytes]] = (),
                       media_base_url: str = "") -> InboundResult:
    """`media`: (content type, bytes) of each file an MMS carries, served under `media_base_url` (the
    carrier's own address) at the paths Twilio's MediaUrl has."""
    owned = _owned_number(carrier, recipient)
    if not owned.sms_url:
        raise UnroutableInbound(409, f"{recipient} has no SmsUrl")
    message = Message(
        sid=sids.new_sid(sids.MESSAGE), account_sid=carrier.account_sid, to=recipient, from_number=sender,
        body=body, direction="inbound", status="received", num_segments=1 if media else count_segments(body),
        messaging_service_sid=messaging_service_sid,
    )
    message.media = [Media(sid=sids.new_sid(sids.MEDIA), account_sid=carrier.account_sid, message_sid=message.sid,
                           content_type=content_type, data=data) for content_type, data in media]
    message.date_sent = message.date_created
    carrier.state.messages[message.sid] = message
    _note_opt_out_keywords(carrier, message)
    params = inbound_text_params(carrier, message, media_base_url=media_base_url)
    token = new_idempotency_token()  # a copy is Twilio retrying, so it repeats the token
    deliveries = []
    for _ in range(copies):
        deliveries.append(await carrier.send_webhook("incoming-message", owned.sms_url, params,
                                                     method=owned.sms_method, idempotency_token=token))
    return InboundResult(message.sid, deliveries)


async def receive_call(carrier: Carrier, *, caller: str, recipient: str) -> InboundResult:
    owned = _owned_number(carrier, recipient)
    if not owned.voice_url:
        raise UnroutableInbound(409, f"{recipient} has no VoiceUrl")
    call = Call(
        sid=sids.new_sid(sids.CALL), account_sid=carrier.account_sid, to=recipient, from_number=caller,
        direction="inbound", status="ringing", phone_number_sid=owned.sid,
    )
    carrier.state.calls[call.sid] = call
    outcome = await carrier.send_webhook("incoming-call", owned.voice_url, inbound_call_params(carrier, call),
                                         method=owned.voice_method)
    call.move_to("in-progress" if outcome.succeeded else "failed")
    return InboundResult(call.sid, [outcome])


def inbound_text_params(carrier: Carrier, message: Message, *, media_base_url: str = "") -> dict[str, str]:
    params = {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "SmsMessageSid": message.sid,
        "AccountSid": message.account_sid,
        "From": message.from_number,
        "To": message.to,
        "Body": message.body,
        "NumMedia": str(len(message.media)),
        "NumSegments": str(message.num_segments),
        "SmsStatus": "received",
        "ApiVersion": API_VERSION,
        **place_params(carrier, "From", message.from_number),
        **place_params(carrier, "To", message.to),
    }
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    for index, media in enumerate(message.media):
        params[f"MediaUrl{index}"] = media_base_url.rstrip("/") + media_path(media)
        params[f"MediaContentType{index}"] = media.content_type
    return params


def inbound_call_params(carrier: Carrier, call: Call) -> dict[str, str]:
    return {
        "CallSid": call.sid,
        "AccountSid": call.account_sid,
        "From": call.from_number,
        "To": call.to,
        "Caller": call.from_number,
        "Called": call.to,
        "CallStatus": call.status,
        "Direction": call.direction,
        "ApiVersion": API_VERSION,
        **place_params(carrier, "From", call.from_number),
        **place_params(carrier, "To", call.to),
        **place_params(carrier, "Caller", call.from_number),
        **place_params(carrier, "Called", call.to),
    }


def place_params(carrier: Carrier, prefix: str, e164: str) -> dict[str, str]:
    """FromCity, FromState, FromZip, FromCountry (and To*, Caller*, Called*) as Twilio fills them."""
    number = parse_e164(e164)
    place = carrier.inventory.atlas.place_of(number) if number else None
    return {
        f"{prefix}City": (place.locality or "").upper() if place else "",
        f"{prefix}State": (place.region or "") if place else "",
        f"{prefix}Zip": "",  # phonenumbers has no postal codes
        f"{prefix}Country": country_of(e164),
    }


def _owned_number(carrier: Carrier, phone_number: str) -> OwnedNumber:
    owned = carrier.state.number_owning(phone_number)
    if owned is None:
        raise UnroutableInbound(404, f"{phone_number} is not one of the account's IncomingPhoneNumbers")
    return owned


def _note_opt_out_keywords(carrier: Carrier, message: Message) -> None:
    if not carrier.settings.honour_stop_keywords:
        return
    keyword = message.body.strip().upper()
    conversation = (message.from_number, message.to)
    if keyword in STOP_WORDS:
        carrier.state.opted_out.add(conversation)
    elif keyword in START_WORDS:
        carrier.state.opted_out.discard(conversation)
