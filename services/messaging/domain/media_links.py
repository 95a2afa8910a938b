"""Short-lived signed links to one medium, for the carrier to fetch a text's media (Twilio's MediaUrl).

A link is `<media id>.<expiry>.<signature>`: the media id is random, the expiry a Unix time, and
the signature an HMAC-SHA256 of both under a secret only this service knows, so a link can be
neither guessed nor stretched, and needs no credentials to be fetched."""

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_SHAPE = re.compile(r"^(?P<media_id>[0-9a-f]{32})\.(?P<expires>[0-9]{1,12})\.(?P<signature>[A-Za-z0-9_-]{43})$")


class InvalidLink(Exception):
    """Not a link this service signed (or not one any more): answered as if nothing were there."""


class ExpiredLink(InvalidLink):
    """A genuine link whose time is up."""


def _signature(secret: str, media_id: str, expires: int) -> str:
    digest = hmac.new(secret.encode(), f"{media_id}.{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def signed_token(secret: str, media_id: str, *, now: datetime, lifetime: timedelta) -> str:
    expires = int((now + lifetime).timestamp())
    return f"{media_id}.{expires}.{_signature(secret, media_id, expires)}"


def media_id_of(secret: str, token: str, *, now: datetime) -> str:
    """The media a genuine, unexpired link names; ExpiredLink or InvalidLink otherwise."""
    shape = _SHAPE.match(token)
    if shape is None:
        raise InvalidLink("not a media link")
    media_id, expires = shape["media_id"], int(shape["expires"])
    if not hmac.compare_digest(shape["signature"], _signature(secret, media_id, expires)):
        raise InvalidLink("the media link's signature does not hold")
    if expires < now.timestamp():
        raise ExpiredLink("the media link has expired")
    return media_id


@dataclass(frozen=True)
class MediaLinks:
    """The links a text's media go to the carrier under (`base_url`: the gateway's public /media)."""

    base_url: str
    secret: str
    lifetime: timedelta

    def urls_of(self, media: list[dict], *, now: datetime) -> list[str]:
        base = self.base_url.rstrip("/")
        return [f"{base}/{signed_token(self.secret, item['media_id'], now=now, lifetime=self.lifetime)}" for item in media]
