"""Twilio webhooks enter here only: verified, then handed to the service that owns them."""

from fastapi import APIRouter, HTTPException, Request, Response

from shared.caller import Caller

router = APIRouter(prefix="/webhooks/twilio", tags=["twilio webhooks"])

GATEWAY = Caller(account_id=None, user_id=None, role="system")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


async def _verified_params(request: Request) -> dict[str, str]:
    form = await request.form()
    params = {key: str(value) for key, value in form.items()}
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
    params = await _verified_params(request)
    await _hand_over(request, "messaging", "/v1/webhooks/status", params)
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
