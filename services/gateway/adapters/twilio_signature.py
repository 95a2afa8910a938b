"""Checking that a webhook really comes from Twilio (X-Twilio-Signature)."""

import base64
import hashlib
import hmac
from urllib.parse import urlparse

from twilio.request_validator import add_port, remove_port


class TwilioSignatureCheck:
    def __init__(self, auth_token: str, public_url: str) -> None:
        self._key = auth_token.encode()
        self._public_url = public_url.rstrip("/")

    def is_genuine(self, path: str, query: str, params: dict[bytes, bytes], signature: str | None) -> bool:
        """Twilio signs the URL it called (as configured, i.e. our public URL) plus the POST params,
        each name followed by its value, sorted by name: an HMAC-SHA1 of those bytes.

        Checked on the params' bytes as they arrived, before anything reads them as text. The
        exact URL is checked first; then, as Twilio's own validator does, the URL with its
        default port added or removed."""
        if not signature:
            return False
        url = self._public_url + path + (f"?{query}" if query else "")
        signed_params = b"".join(name + params[name] for name in sorted(params))
        return any(
            hmac.compare_digest(self._signature(candidate.encode() + signed_params), signature.encode())
            for candidate in _url_variants(url)
        )

    def _signature(self, payload: bytes) -> bytes:
        return base64.b64encode(hmac.new(self._key, payload, hashlib.sha1).digest())


def _url_variants(url: str):
    yield url
    parsed = urlparse(url)
    for variant in (remove_port(parsed), add_port(parsed)):
        if variant != url:
            yield variant
