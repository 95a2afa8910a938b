"""The path a request is forwarded to, built from the public path's segments one by one.

Each segment is percent-decoded exactly once, refused if what it decodes to could change the
target (a `/`, `\\`, `?` or `#`, a dot segment, a control character, bytes that are not UTF-8),
and encoded again on its own: what a browser sends below `/api/contacts/` can only ever name
something below the contacts service's `/v1/contacts/`."""

import unicodedata
from urllib.parse import quote, unquote_to_bytes

from services.gateway.domain.errors import GatewayError

# RFC 3986 pchar, less the percent sign: left as they are inside a segment.
_SEGMENT_SAFE = "-._~!$&'()*+,;=:@"
_TARGET_CHANGING = {"/": "a '/'", "\\": "a backslash", "?": "a '?'", "#": "a '#'"}
MAX_SEGMENT_LENGTH = 512


class UnsafePath(GatewayError):
    status_code = 400


def forwarded_rest(raw_path: bytes, public_prefix: str) -> str:
    """The part of `raw_path` after `public_prefix` (e.g. `/api/contacts`), checked and re-encoded
    segment by segment: "" or "/segment/segment...", with a trailing slash kept."""
    prefix = public_prefix.encode()
    if raw_path == prefix:
        return ""
    if not raw_path.startswith(prefix + b"/"):
        raise UnsafePath(f"the path must start with {public_prefix}/")
    segments = raw_path[len(prefix) + 1:].split(b"/")
    checked = [_checked_segment(raw, position) for position, raw in enumerate(segments, start=1)]
    return "/" + "/".join(checked)


def _checked_segment(raw: bytes, position: int) -> str:
    where = f"path segment {position} after the resource"
    try:
        segment = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafePath(f"{where} is not UTF-8 once decoded") from None
    if len(segment) > MAX_SEGMENT_LENGTH:
        raise UnsafePath(f"{where} is longer than {MAX_SEGMENT_LENGTH} characters")
    if segment in (".", ".."):
        raise UnsafePath(f"{where} is a dot segment ({segment!r}), which would leave the resource")
    for character, name in _TARGET_CHANGING.items():
        if character in segment:
            raise UnsafePath(f"{where} contains {name}, encoded or not; it may not change the target")
    if any(unicodedata.category(character) == "Cc" for character in segment):
        raise UnsafePath(f"{where} contains a control character")
    return quote(segment, safe=_SEGMENT_SAFE)
