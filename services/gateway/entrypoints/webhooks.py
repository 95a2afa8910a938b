"""Twilio webhooks enter here only: verified, then handed to the service that owns them."""

import json
import logging
from urllib.parse import unquote_to_bytes

from aiokafka.errors import KafkaError
from fastapi import APIRouter, HTTPException, Request, Response
from opentelemetry import trace
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.caller import Caller
from shared.events import CarrierStatusReported, Envelope
from shared.metrics.families.webhooks import WEBHOOK_VERIFICATION_FAILURES
from shared.metrics.http.timing import ROUTE_TEMPLATE_KEY

log = logging.getLogger(__name__)

router = APIRouter(prefix="/webhooks/twilio", tags=["twilio webhooks"])
STATUS_CALLBACK_PATH = "/webhooks/twilio/messages/status"
# A status callback is a few hundred bytes; anything near this is not one.
MAX_STATUS_CALLBACK_BYTES = 64 * 1024

GATEWAY = Caller(account_id=None, user_id=None, role="system")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


class NotGenuine(Exception):
    """A webhook refused before anything reads it: `status` and `detail` say why."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


def _genuine_params(check, path: str, query: str, body: bytes, signature: str | None) -> dict[str, str]:
    """The params of a webhook whose signature holds over its raw bytes, as text.

    Twilio always posts application/x-www-form-urlencoded; parsed directly, as Starlette's
    streaming form parser is the costliest step of a webhook. Nothing is decoded as text before
    the signature is checked: a forged body is a 403 whatever its bytes, a signed one that is not
    UTF-8 a 400."""
    fields = _form_fields(body)
    if not check.is_genuine(path, query, fields, signature):
        WEBHOOK_VERIFICATION_FAILURES.labels(webhook=path).inc()  # only the fixed webhook paths get here
        raise NotGenuine(403, "invalid Twilio signature")
    try:
        return {name.decode(): value.decode() for name, value in fields.items()}
    except UnicodeDecodeError:
        raise NotGenuine(400, "the webhook's parameters are not UTF-8 text") from None


def _form_fields(form: bytes) -> dict[bytes, bytes]:
    """Like dict(parse_qsl(form, keep_blank_values=True)) on bytes, percent-decoding only the
    fields that need it and leaving the result as bytes."""
    fields = {}
    for pair in form.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            fields[_decoded(name)] = _decoded(value)
    return fields


def _decoded(part: bytes) -> bytes:
    return unquote_to_bytes(part.replace(b"+", b" ")) if b"%" in part or b"+" in part else part


async def _verified_params(request: Request) -> dict[str, str]:
    try:
        return _genuine_params(
            request.app.state.signature_check, request.url.path, request.url.query,
            await request.body(), request.headers.get("X-Twilio-Signature"),
        )
    except NotGenuine as refused:
        raise HTTPException(status_code=refused.status, detail=refused.detail) from None


async def _hand_over(request: Request, service: str, path: str, params: dict[str, str]) -> dict:
    upstream = await request.app.state.upstream.send(service, "POST", path, caller=GATEWAY, json=params)
    if upstream.status_code >= 500:
        # Twilio retries a webhook that fails, so nothing is lost while the service recovers.
        raise HTTPException(status_code=503, detail=f"{service} could not take the webhook yet")
    answer = _json_of(upstream)
    if upstream.status_code >= 400:
        raise HTTPException(status_code=upstream.status_code, detail=answer.get("detail", "rejected"))
    return answer


def _json_of(upstream) -> dict:
    """The service's JSON answer; an empty one (a 204) or one that is not an object is {}."""
    try:
        answer = upstream.json() if upstream.content else {}
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _twiml(xml: str) -> Response:
    return Response(content=xml, media_type="text/xml")


@router.post("/messages/inbound")
async def inbound_message(request: Request) -> Response:
    params = await _verified_params(request)
    answer = await _hand_over(request, "messaging", "/v1/webhooks/inbound", params)
    return _twiml(answer.get("twiml") or EMPTY_TWIML)


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


class StatusCallbacks:
    """Status callbacks come by the thousand in a bulk send: answered as soon as Kafka holds them
    (acknowledged by the broker), and applied by the messaging service at its own pace.

    Plain ASGI in front of the API's routing and request objects, whose cost per request is
    several times that of the callback's own work. Installed inside CorrelationIds, so the
    event and the answer carry the request's correlation id like every other route."""

    _signature_header = b"x-twilio-signature"

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != STATUS_CALLBACK_PATH:
            await self.app(scope, receive, send)
            return
        scope[ROUTE_TEMPLATE_KEY] = STATUS_CALLBACK_PATH  # answered before routing: named for the request timing
        _name_server_span(scope["method"], STATUS_CALLBACK_PATH)  # and for its trace
        if scope["method"] != "POST":
            await _answer(send, 405, "Method Not Allowed", [(b"allow", b"POST")])
            return
        try:
            body = await _whole_body(receive, limit=MAX_STATUS_CALLBACK_BYTES)
        except ClientDisconnect:
            return
        except BodyTooLarge:
            await _answer(send, 413, f"a status callback is at most {MAX_STATUS_CALLBACK_BYTES} bytes")
            return
        status, detail = await self._record(scope, body)
        await _answer(send, status, detail)

    async def _record(self, scope: Scope, body: bytes) -> tuple[int, str | None]:
        state = scope["app"].state
        signature = next((value.decode("latin-1") for name, value in scope["headers"] if name == self._signature_header), None)
        try:
            params = _genuine_params(state.signature_check, scope["path"], scope["query_string"].decode("latin-1"), body, signature)
        except NotGenuine as refused:
            return refused.status, refused.detail
        message_sid = params.get("MessageSid") or params.get("SmsSid")
        if not message_sid or not params.get("MessageStatus"):
            return 400, "a status callback needs MessageSid and MessageStatus"
        report = Envelope.wrap(CarrierStatusReported(params=params), account_id=params.get("AccountSid", ""), subject=message_sid)
        try:
            await state.runtime.publish(report.to_document())
        except (KafkaError, TimeoutError) as error:  # Twilio retries a callback that failed
            log.warning("could not record status callback %s: %r", message_sid, error)
            return 503, "the status callback could not be recorded yet"
        return 204, None


def _name_server_span(method: str, route: str) -> None:
    """Name the request's server span after its route, as the FastAPI instrumentation names routed ones."""
    span = trace.get_current_span()
    if span.is_recording():
        span.update_name(f"{method} {route}")
        span.set_attribute("http.route", route)


class BodyTooLarge(Exception):
    pass


async def _whole_body(receive: Receive, *, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _answer(send: Send, status: int, detail: str | None, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode() if detail else b""
    headers = list(headers or [])
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
