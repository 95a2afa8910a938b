"""Checking that a webhook really comes from Twilio (X-Twilio-Signature)."""

from twilio.request_validator import RequestValidator


class TwilioSignatureCheck:
    def __init__(self, auth_token: str, public_url: str) -> None:
        self._validator = RequestValidator(auth_token)
        self._public_url = public_url.rstrip("/")

    def is_genuine(self, path: str, query: str, params: dict[str, str], signature: str | None) -> bool:
        """Twilio signs the URL it called (as configured, i.e. our public URL) plus the POST params."""
        if not signature:
            return False
        url = self._public_url + path + (f"?{query}" if query else "")
        return self._validator.validate(url, params, signature)
