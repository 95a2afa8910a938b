"""Fetching a received MMS's media from the carrier, with the account's credentials (Twilio's media
URLs ask for them once HTTP Basic authentication for media is on, as it should be)."""

from dataclasses import dataclass

import httpx

from services.messaging.domain.media import MAX_MEDIA_BYTES_PER_MESSAGE


@dataclass(frozen=True)
class FetchedMedium:
    content_type: str
    data: bytes


class MediumRefused(Exception):
    """The carrier will not give this medium (not its URL, gone, too large): retrying changes nothing."""


class MediumUnavailable(Exception):
    """The carrier did not answer as it should (a timeout, a 5xx, a 429): worth the webhook's retry."""


class CarrierMedia:
    def __init__(self, *, account_sid: str, auth_token: str, api_base_url: str, timeout_seconds: float) -> None:
        self._base = api_base_url.rstrip("/") + "/"
        # Redirects are followed (Twilio answers with one to its storage); httpx drops the credentials
        # when a redirect leaves the carrier's host.
        self._http = httpx.AsyncClient(auth=(account_sid, auth_token), timeout=timeout_seconds, follow_redirects=True)

    async def fetch(self, url: str) -> FetchedMedium:
        if not url.startswith(self._base):  # the credentials go to the carrier's API only
            raise MediumRefused(f"{url[:100]} is not the carrier's")
        try:
            async with self._http.stream("GET", url) as answer:
                if answer.status_code == 429 or answer.status_code >= 500:
                    raise MediumUnavailable(f"the carrier answered {answer.status_code} for {url}")
                if answer.status_code != 200:
                    raise MediumRefused(f"the carrier answered {answer.status_code} for {url}")
                data = await _bounded(answer, MAX_MEDIA_BYTES_PER_MESSAGE)
                content_type = answer.headers.get("content-type", "").split(";")[0].strip()
        except httpx.TransportError as error:
            raise MediumUnavailable(f"no answer from the carrier for {url}: {error!r}") from error
        return FetchedMedium(content_type=content_type, data=data)

    async def close(self) -> None:
        await self._http.aclose()


async def _bounded(answer: httpx.Response, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in answer.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise MediumRefused(f"the medium is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
