import asyncio
import logging
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp
from yarl import URL

from .signing import SIGNATURE_HEADER, twilio_signature

log = logging.getLogger(__name__)
IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"


@dataclass(frozen=True)
class WebhookOutcome:
    url: str
    method: str
    status_code: int | None  # None when no answer ever came
    body: str | None
    attempts: int
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and self.status_code < 500


class WebhookSender:
    """Posts webhooks over one shared client; retries connection errors and 5xx with backoff."""

    def __init__(self, client: aiohttp.ClientSession, *, auth_token: str, max_attempts: int,
                 backoff_seconds: float) -> None:
        self._client = client
        self._auth_token = auth_token
        self._max_attempts = max(1, max_attempts)
        self._backoff_seconds = backoff_seconds

    async def send(self, url: str, params: dict[str, str], *, method: str = "POST",
                   idempotency_token: str | None = None) -> WebhookOutcome:
        """One logical webhook; every retry carries the same idempotency token, like Twilio's."""
        token = idempotency_token or new_idempotency_token()
        outcome = None
        for attempt in range(1, self._max_attempts + 1):
            outcome = await self._attempt(url, params, method, token, attempt)
            if outcome.succeeded or attempt == self._max_attempts:
                break
            await asyncio.sleep(self._backoff_seconds * 2 ** (attempt - 1))
        return outcome

    async def _attempt(self, url: str, params: dict[str, str], method: str, token: str,
                       attempt: int) -> WebhookOutcome:
        url, body, headers = self._build_request(url, params, method, token)
        try:
            # encoded=True: the URL goes out exactly as it was signed.
            async with self._client.request(method.upper(), URL(url, encoded=True), data=body, headers=headers) as response:
                text = await response.text()
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.info("webhook %s %s failed (attempt %d): %r", method, url, attempt, exc)
            return WebhookOutcome(url, method, None, None, attempt, repr(exc))
        return WebhookOutcome(url, method, response.status, text, attempt, None)

    def _build_request(self, url: str, params: dict[str, str], method: str,
                       token: str) -> tuple[str, str | None, dict[str, str]]:
        """The URL, body and headers of one attempt, signed as Twilio signs."""
        headers = {IDEMPOTENCY_HEADER: token, "User-Agent": "TwilioProxy/1.1", "Accept": "*/*"}
        if method.upper() == "GET":
            # Twilio signs a GET webhook's full URL (its query string included) and no body params.
            separator = "&" if "?" in url else "?"
            full_url = f"{url}{separator}{urlencode(params)}" if params else url
            headers[SIGNATURE_HEADER] = twilio_signature(self._auth_token, full_url, {})
            return full_url, None, headers
        headers[SIGNATURE_HEADER] = twilio_signature(self._auth_token, url, params)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return url, urlencode(params), headers


def new_idempotency_token() -> str:
    return uuid.uuid4().hex
