"""Checking that a webhook really comes from Twilio (X-Twilio-Signature)."""

import base64
import hashlib
import hmac

from twilio.request_validator import RequestValidator


class TwilioSignatureCheck:
    def __init__(self, auth_token: str, public_url: str) -> None:
        self._key = auth_token.encode()
        self._validator = RequestValidator(auth_token)
        self._public_url = public_url.rstrip("/")

    def is_genuine(self, path: str, query: str, params: dict[str, str], signature: str | None) -> bool:
        """Twilio signs the URL it called (as configured, i.e. our public URL) plus the POST params.

        The exact URL is checked first, in one HMAC; Twilio's own validator, which also tries the
        URL with and without its port, only for what that check refused."""
        if not signature:
            return False
        url = self._public_url + path + (f"?{query}" if query else "")
        if hmac.compare_digest(self._signature(url, params), signature):
            return True
        return self._validator.validate(url, params, signature)

    def _signature(self, url: str, params: dict[str, str]) -> str:
        payload = url + "".join(name + params[name] for name in sorted(params))
        return base64.b64encode(hmac.new(self._key, payload.encode(), hashlib.sha1).digest()).decode()
