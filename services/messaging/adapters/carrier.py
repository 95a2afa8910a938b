"""The carrier port (send a text, list what was sent) and its Twilio adapter."""

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import aiohttp
from twilio.base.exceptions import TwilioException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from shared.metrics.carrier_calls import timed_carrier_call
from shared.metrics.families.texting import TEXTS_SENT
from shared.tracing import tracer
from shared.twilio_errors import in_words, is_retryable, rest_error_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CarrierMessage:
    sid: str
    status: str | None
    to: str
    from_: str
    body: str
    segments: int
    date_created: datetime | None = None
    error_code: int | None = None


class CarrierError(Exception):
    def __init__(self, message: str, *, http_status: int | None = None, code: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.code = code


class CarrierRejected(CarrierError):
    """The carrier answered no, for good (a 4xx other than 429): do not retry."""


class CarrierUnavailable(CarrierError):
    """No answer, or a 429/5xx: worth retrying. `may_have_gone_out` when the request may have
    reached the carrier (a timeout, a 5xx), so the text must be looked up before it is sent again."""

    def __init__(self, message: str, *, http_status: int | None = None, code: int | None = None, may_have_gone_out: bool) -> None:
        super().__init__(message, http_status=http_status, code=code)
        self.may_have_gone_out = may_have_gone_out


class Carrier(Protocol):
    async def send(self, *, to: str, from_: str, body: str, status_callback: str, media_urls: Sequence[str] = ()) -> CarrierMessage:
        """`media_urls`: public links the carrier fetches the text's images from (an MMS)."""

    async def messages_between(self, *, to: str, from_: str, sent_after: datetime) -> list[CarrierMessage]: ...

    async def fetch(self, sid: str) -> CarrierMessage: ...

    async def close(self) -> None: ...


class TwilioCarrier:
    """Twilio's REST API through the official SDK's async client, at a configurable base URL."""

    def __init__(self, *, account_sid: str, auth_token: str, api_base_url: str, timeout_seconds: float) -> None:
        self._http = AsyncTwilioHttpClient()
        self._client = Client(account_sid, auth_token, http_client=self._http)
        self._client.api.base_url = api_base_url.rstrip("/")
        self._timeout = timeout_seconds

    async def send(self, *, to: str, from_: str, body: str, status_callback: str, media_urls: Sequence[str] = ()) -> CarrierMessage:
        media = {"media_url": list(media_urls)} if media_urls else {}
        with tracer().start_as_current_span("carrier messages.create"):
            message = await self._call(
                self._client.messages.create_async(to=to, from_=from_, body=body, status_callback=status_callback, **media),
                operation="messages.create",
            )
        TEXTS_SENT.inc()
        return _from_instance(message)

    async def messages_between(self, *, to: str, from_: str, sent_after: datetime) -> list[CarrierMessage]:
        # Twilio documents DateSent filters as whole days (YYYY-MM-DD): ask for the day, callers narrow it.
        day = sent_after.astimezone(UTC).date().isoformat()
        messages = await self._call(
            self._client.messages.list_async(to=to, from_=from_, date_sent_after=day, page_size=100), operation="messages.list"
        )
        return [_from_instance(message) for message in messages]

    async def fetch(self, sid: str) -> CarrierMessage:
        return _from_instance(await self._call(self._client.messages(sid).fetch_async(), operation="messages.fetch"))

    async def close(self) -> None:
        await self._http.close()

    async def _call(self, request, *, operation: str):
        with timed_carrier_call(operation):
            return await self._answer(request)

    async def _answer(self, request):
        try:
            return await asyncio.wait_for(request, timeout=self._timeout)
        except TwilioException as error:
            # Every call maps alike: a list call's failed page comes out of the SDK as a plain TwilioException.
            rest_error = rest_error_of(error)
            if rest_error is None:
                raise CarrierUnavailable(f"no answer from the carrier: {error!r}", may_have_gone_out=True) from error
            status, code, message = rest_error.status, rest_error.code, in_words(rest_error)
            if is_retryable(rest_error):
                # A 429 refused the request before anything was done; a 5xx may have come after the text went out.
                raise CarrierUnavailable(message, http_status=status, code=code, may_have_gone_out=status != 429) from rest_error
            raise CarrierRejected(message, http_status=status, code=code) from rest_error
        except aiohttp.ClientConnectorError as error:
            raise CarrierUnavailable(f"cannot connect to the carrier: {error}", may_have_gone_out=False) from error
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            raise CarrierUnavailable(f"no answer from the carrier: {error!r}", may_have_gone_out=True) from error


def _from_instance(message) -> CarrierMessage:
    return CarrierMessage(
        sid=message.sid,
        status=str(message.status) if message.status is not None else None,
        to=message.to,
        from_=message.from_,
        body=message.body or "",
        segments=int(message.num_segments or 1),
        date_created=message.date_created,
        error_code=int(message.error_code) if message.error_code else None,
    )
