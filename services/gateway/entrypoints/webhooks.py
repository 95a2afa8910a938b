"""Twilio webhooks enter here only: verified, then handed to the service that owns them."""

import logging
from urllib.parse import parse_qsl

from aiokafka.errors import KafkaError
from fastapi import APIRouter, HTTPException, Request, Response

from shared.caller import Caller
from shared.events import CarrierStatusReported, Envelope

log = logging.getLogger(__name__)

router = APIRouter(prefix="/webhooks/twilio", tags=["twilio webhooks"])

GATEWAY = Caller(account_id=None, user_id=None, role="system")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


async def _verified_params(request: Request) -> dict[str, str]:
    # Twilio always posts application/x-www-form-urlencoded; parsed directly, as Starlette's
    # streaming form parser is the costliest step of a webhook.
    params = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
    check = request.app.state.signature_check
    if not check.is_genuine(request.url.path, request.url.query, params, request.headers.get("X-Twilio-Signature")):
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    return params


async def _hand_over(request: Request, service: str, path: str, params: dict[str, str]) -> dict:
    upstream = await request.app.state.upstream.send(service, "POST", path, caller=GATEWAY, json=params)
    if upstream.status_code >= 500:
        # Twilio retries a webhook that fails, so nothing is lost while the service recovers.
        raise HTTPException(status_code=503, detail=f"{service} could not take the webhook yet")
    if upstream.status_code >= 400:
        raise HTTPException(status_code=upstream.status_code, detail=upstream.json().get("detail", "rejected"))
    return upstream.json()


def _twiml(xml: str) -> Response:
    return Response(content=xml, media_type="text/xml")


@router.post("/messages/inbound")
async def inbound_message(request: Request) -> Response:
    params = await _verified_params(request)
    answer = await _hand_over(request, "messaging", "/v1/webhooks/inbound", params)
    return _twiml(answer.get("twiml") or EMPTY_TWIML)


@router.post("/messages/status")
async def message_status(request: Request) -> Response:
    """Status callbacks come by the thousand in a bulk send: answered as soon as Kafka holds them
    (acknowledged by the broker), and applied by the messaging service at its own pace."""
    params = await _verified_params(request)
    message_sid = params.get("MessageSid") or params.get("SmsSid")
    if not message_sid or not params.get("MessageStatus"):
        raise HTTPException(status_code=400, detail="a status callback needs MessageSid and MessageStatus")
    report = Envelope.wrap(CarrierStatusReported(params=params), account_id=params.get("AccountSid", ""), subject=message_sid)
    try:
        await request.app.state.runtime.publish(report.to_document())
    except (KafkaError, TimeoutError) as error:  # Twilio retries a callback that failed
        log.warning("could not record status callback %s: %r", message_sid, error)
        raise HTTPException(status_code=503, detail="the status callback could not be recorded yet") from error
    return Response(status_code=204)


@router.post("/voice")
async def voice(request: Request) -> Response:
    params = await _verified_params(request)
    answer = await _hand_over(request, "numbers", "/v1/webhooks/voice", params)
    return _twiml(answer["twiml"])


@router.post("/voice/status")
async def voice_status(request: Request) -> Response:
    params = await _verified_params(request)
    await _hand_over(request, "numbers", "/v1/webhooks/voice-status", params)
    return Response(status_code=204)
