"""Fetching an outbound message's MediaUrl as Twilio does: a plain GET, no credentials, redirects followed."""

import aiohttp

from ..domain import sids
from ..domain.records import Media, MediaFetch, Message

# Twilio's limit for the JPEG, PNG and GIF it formats for handsets; a larger answer is not read further.
MAX_MEDIA_BYTES = 5 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 10.0


async def fetch_media(http: aiohttp.ClientSession, message: Message) -> bool:
    """Fetch each of the message's media, recording every attempt; True when all of them answered."""
    for url in message.media_urls:
        fetch, data = await _fetch_one(http, url)
        message.media_fetches.append(fetch)
        if not fetch.succeeded:
            return False
        message.media.append(Media(sid=sids.new_sid(sids.MEDIA), account_sid=message.account_sid, message_sid=message.sid,
                                   content_type=fetch.content_type or "application/octet-stream", data=data))
    return True


async def _fetch_one(http: aiohttp.ClientSession, url: str) -> tuple[MediaFetch, bytes]:
    try:
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)) as answer:
            data = await answer.content.read(MAX_MEDIA_BYTES + 1)
            content_type = answer.headers.get("Content-Type", "").split(";")[0].strip() or None
            error = "larger than 5 MB" if len(data) > MAX_MEDIA_BYTES else None
            return MediaFetch(url=url, status_code=answer.status, content_type=content_type, size=len(data), error=error), data
    except (aiohttp.ClientError, TimeoutError, OSError) as problem:
        return MediaFetch(url=url, status_code=None, content_type=None, size=0, error=repr(problem)), b""
