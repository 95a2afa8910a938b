"""The carrier port over Twilio's REST API (or the sandbox carrier), through the official SDK."""

import asyncio
import logging
from dataclasses import dataclass

import aiohttp
from twilio.base.exceptions import TwilioException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from services.numbers.domain.geography import NumberSearch
from services.numbers.service_layer.ports import CarrierError, NumberUnavailable, OwnedNumber
from shared.metrics.carrier_calls import timed_carrier_call
from shared.metrics.families.numbers import NUMBER_PURCHASES
from shared.twilio_errors import in_words, rest_error_of

log = logging.getLogger(__name__)

# Twilio error codes: 21421 PhoneNumber is invalid, 21422 PhoneNumber is not available,
# 21451 Invalid area code, 21452 No phone numbers found in area code.
UNAVAILABLE_CODES = frozenset({21421, 21422})
NOTHING_FOUND_CODES = frozenset({21451, 21452})


@dataclass(frozen=True)
class NumberWebhooks:
    """Where Twilio calls back about a bought number: the gateway's public webhooks."""

    sms_url: str
    voice_url: str
    voice_status_url: str

    @classmethod
    def at_gateway(cls, gateway_public_url: str) -> "NumberWebhooks":
        base = gateway_public_url.rstrip("/")
        return cls(
            sms_url=f"{base}/webhooks/twilio/messages/inbound",
            voice_url=f"{base}/webhooks/twilio/voice",
            voice_status_url=f"{base}/webhooks/twilio/voice/status",
        )


def twilio_client(account_sid: str, auth_token: str, *, base_url: str, timeout: float) -> tuple[Client, AsyncTwilioHttpClient]:
    """An async SDK client whose API domain points at `base_url` (Twilio or the sandbox).

    Must be called inside the running event loop: the HTTP client opens its session at once.
    """
    http_client = AsyncTwilioHttpClient(timeout=timeout)
    client = Client(account_sid, auth_token, http_client=http_client)
    client.api.base_url = base_url.rstrip("/")
    return client, http_client


class TwilioCarrier:
    def __init__(self, client: Client, account_sid: str, webhooks: NumberWebhooks, http_client: AsyncTwilioHttpClient | None = None) -> None:
        self.client = client
        self._account = client.api.v2010.accounts(account_sid)
        self._webhooks = webhooks
        self._http_client = http_client

    @classmethod
    def connect(cls, *, account_sid: str, auth_token: str, base_url: str, timeout: float, webhooks: NumberWebhooks) -> "TwilioCarrier":
        client, http_client = twilio_client(account_sid, auth_token, base_url=base_url, timeout=timeout)
        return cls(client, account_sid, webhooks, http_client)

    async def close(self) -> None:
        if self._http_client is not None:
            await self._http_client.close()

    async def search(self, search: NumberSearch, *, limit: int) -> list[str]:
        criteria: dict = {"sms_enabled": True, "voice_enabled": True, "limit": limit}
        if search.area_code:
            criteria["area_code"] = int(search.area_code)
        if search.in_region:
            criteria["in_region"] = search.in_region
        try:
            with timed_carrier_call("available_phone_numbers.list"):
                found = await _calling(self._account.available_phone_numbers("US").local.list_async(**criteria))
        except CarrierError as error:
            if getattr(error.__cause__, "code", None) in NOTHING_FOUND_CODES:
                return []
            raise
        return [number.phone_number for number in found]

    async def find_owned(self, phone_number: str) -> OwnedNumber | None:
        owned = await _calling(self._account.incoming_phone_numbers.list_async(phone_number=phone_number, limit=1))
        matching = [number for number in owned if number.phone_number == phone_number]
        return _owned(matching[0]) if matching else None

    async def buy(self, phone_number: str, *, friendly_name: str) -> OwnedNumber:
        with timed_carrier_call("incoming_phone_numbers.create"):
            bought = await self._buy(phone_number, friendly_name=friendly_name)
        NUMBER_PURCHASES.inc()
        return _owned(bought)

    async def _buy(self, phone_number: str, *, friendly_name: str):
        return await _calling(
            self._account.incoming_phone_numbers.create_async(
                phone_number=phone_number,
                friendly_name=friendly_name,
                sms_url=self._webhooks.sms_url,
                sms_method="POST",
                voice_url=self._webhooks.voice_url,
                voice_method="POST",
                status_callback=self._webhooks.voice_status_url,
                status_callback_method="POST",
            )
        )

    async def rename(self, carrier_sid: str, *, friendly_name: str) -> OwnedNumber:
        updated = await _calling(self._account.incoming_phone_numbers(carrier_sid).update_async(friendly_name=friendly_name))
        return _owned(updated)

    async def release(self, carrier_sid: str) -> None:
        try:
            await _calling(self._account.incoming_phone_numbers(carrier_sid).delete_async())
        except CarrierError as error:
            if getattr(error.__cause__, "status", None) != 404:
                raise

    async def place_call(self, *, to: str, from_number: str, twiml: str) -> str:
        call = await _calling(
            self._account.calls.create_async(
                to=to,
                from_=from_number,
                twiml=twiml,
                status_callback=self._webhooks.voice_status_url,
                status_callback_method="POST",
                status_callback_event=["completed"],
            )
        )
        return call.sid


def _owned(number) -> OwnedNumber:
    return OwnedNumber(number.phone_number, number.sid, number.friendly_name or "")


async def _calling(request):
    """Await an SDK call, turning every way it can fail into the port's errors, the same for every
    kind of call (a list's failed page included); the REST error, when there is one, is the cause."""
    try:
        return await request
    except TwilioException as error:
        rest_error = rest_error_of(error)
        if rest_error is None:
            raise CarrierError(f"the carrier could not be reached ({type(error).__name__}: {error})") from error
        if rest_error.code in UNAVAILABLE_CODES:
            raise NumberUnavailable(in_words(rest_error)) from rest_error
        raise CarrierError(in_words(rest_error)) from rest_error
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        raise CarrierError(f"the carrier could not be reached ({type(error).__name__}: {error})") from error
