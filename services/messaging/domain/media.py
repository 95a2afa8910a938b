"""The rules of MMS media: which images a text may carry, and how many and how large (Twilio's limits)."""

from dataclasses import dataclass

import puremagic

# Twilio fully supports these image types on MMS to US and Canadian phones.
ALLOWED_CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "image/gif"})
MAX_MEDIA_PER_MESSAGE = 10
MAX_MEDIA_BYTES_PER_MESSAGE = 5 * 1024 * 1024  # all of a message's media together


@dataclass(frozen=True)
class InvalidMedia(ValueError):
    """Media a text may not carry: `field` and `problem` name what was wrong."""

    field: str
    problem: str

    def __str__(self) -> str:
        return self.problem


def sniffed_type(data: bytes) -> str | None:
    """The content type the bytes themselves say (their magic numbers), whatever was declared."""
    if not data:
        return None
    try:
        return puremagic.from_string(data, mime=True) or None
    except (puremagic.PureError, ValueError):
        return None


def image_type_of(data: bytes) -> str:
    """The upload's real image type (JPEG, PNG or GIF), else InvalidMedia."""
    if not data:
        raise InvalidMedia("body", "the upload is empty")
    if len(data) > MAX_MEDIA_BYTES_PER_MESSAGE:
        raise InvalidMedia("body", f"the upload is {len(data)} bytes; a text's media may be at most {MAX_MEDIA_BYTES_PER_MESSAGE} bytes")
    found = sniffed_type(data)
    if found not in ALLOWED_CONTENT_TYPES:
        named = f"its bytes are {found}" if found else "its bytes are no known file type"
        raise InvalidMedia("body", f"only JPEG, PNG and GIF images can be sent; {named}")
    return found


def checked_media_ids(media_ids: list[str]) -> list[str]:
    """The ids a text names, in order, each once; InvalidMedia when there are too many."""
    unique = list(dict.fromkeys(media_ids))
    if len(unique) > MAX_MEDIA_PER_MESSAGE:
        raise InvalidMedia("media_ids", f"a text may carry at most {MAX_MEDIA_PER_MESSAGE} media; {len(unique)} were given")
    return unique


def attachments(media_ids: list[str], found: dict[str, dict]) -> list[dict]:
    """What a message records of its media (id, type, size), in the order named; InvalidMedia for an
    id not found in the account (`found`: the account's media documents by id) or a total too large."""
    missing = [media_id for media_id in media_ids if media_id not in found]
    if missing:
        raise InvalidMedia("media_ids", f"no media {', '.join(missing)} in this account")
    items = [describe(found[media_id]) for media_id in media_ids]
    total = sum(item["size"] for item in items)
    if total > MAX_MEDIA_BYTES_PER_MESSAGE:
        raise InvalidMedia("media_ids", f"the media come to {total} bytes; a text's media may be at most {MAX_MEDIA_BYTES_PER_MESSAGE} bytes")
    return items


def describe(document: dict) -> dict:
    return {"media_id": document["_id"], "content_type": document["content_type"], "size": document["size"]}


@dataclass(frozen=True)
class ReceivedMedium:
    """One file of a received MMS, as the carrier's webhook names it."""

    index: int
    url: str
    declared_type: str


def received_media(params: dict) -> list[ReceivedMedium]:
    """The media an incoming-message webhook names (NumMedia, MediaUrl0.., MediaContentType0..), at most 10."""
    try:
        count = min(int(params.get("NumMedia") or 0), MAX_MEDIA_PER_MESSAGE)
    except (TypeError, ValueError):
        return []
    found = []
    for index in range(max(count, 0)):
        url = params.get(f"MediaUrl{index}")
        if url:
            found.append(ReceivedMedium(index, str(url), str(params.get(f"MediaContentType{index}") or "")))
    return found
