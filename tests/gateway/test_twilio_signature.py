"""The gateway's signature check agrees with Twilio's own validator."""

import base64
import hashlib
import hmac

from twilio.request_validator import RequestValidator

from services.gateway.adapters.twilio_signature import TwilioSignatureCheck

TOKEN = "12345678901234567890123456789012"
PUBLIC_URL = "https://crm.example.test"


def _as_bytes(params: dict[str, str]) -> dict[bytes, bytes]:
    return {name.encode(): value.encode() for name, value in params.items()}


def test_a_signature_made_by_twilios_validator_is_accepted_even_with_unusual_characters():
    params = {"Body": "Ça va? 👍 & <b>x</b>=1+2", "From": "+15125550142", "To": "+15124740000", "Empty": "", "MessageSid": "SM1"}
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC_URL + "/webhooks/twilio/messages/inbound", params)
    check = TwilioSignatureCheck(TOKEN, PUBLIC_URL + "/")
    assert check.is_genuine("/webhooks/twilio/messages/inbound", "", _as_bytes(params), signature)


def test_a_changed_parameter_a_changed_path_or_another_token_is_refused():
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC_URL + "/webhooks/twilio/messages/status", params)
    check = TwilioSignatureCheck(TOKEN, PUBLIC_URL)
    assert not check.is_genuine("/webhooks/twilio/messages/status", "", _as_bytes({**params, "MessageStatus": "failed"}), signature)
    assert not check.is_genuine("/webhooks/twilio/voice/status", "", _as_bytes(params), signature)
    assert not TwilioSignatureCheck("another-token-of-the-same-length!", PUBLIC_URL).is_genuine(
        "/webhooks/twilio/messages/status", "", _as_bytes(params), signature
    )
    assert not check.is_genuine("/webhooks/twilio/messages/status", "", _as_bytes(params), None)


def test_twilio_signing_the_url_with_its_default_port_is_still_accepted():
    params = {"MessageSid": "SM1", "MessageStatus": "sent"}
    signature = RequestValidator(TOKEN).compute_signature("https://crm.example.test:443/webhooks/twilio/messages/status", params)
    assert TwilioSignatureCheck(TOKEN, PUBLIC_URL).is_genuine("/webhooks/twilio/messages/status", "", _as_bytes(params), signature)
    with_port = RequestValidator(TOKEN).compute_signature("https://crm.example.test/webhooks/twilio/messages/status", params)
    assert TwilioSignatureCheck(TOKEN, PUBLIC_URL + ":443").is_genuine("/webhooks/twilio/messages/status", "", _as_bytes(params), with_port)


def test_the_signature_is_checked_on_bytes_that_are_not_utf_8_too():
    params = {b"MessageSid": b"SM1", b"Body": b"\xff\xfe not text"}
    check = TwilioSignatureCheck(TOKEN, PUBLIC_URL)
    signed = _bytes_signature(PUBLIC_URL + "/webhooks/twilio/messages/inbound", params)
    assert check.is_genuine("/webhooks/twilio/messages/inbound", "", params, signed)
    assert not check.is_genuine("/webhooks/twilio/messages/inbound", "", {**params, b"Body": b"\xff not text"}, signed)


def _bytes_signature(url: str, params: dict[bytes, bytes]) -> str:
    """Twilio's scheme, on the bytes: HMAC-SHA1 of the URL then each name and value, by name."""
    payload = url.encode() + b"".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(TOKEN.encode(), payload, hashlib.sha1).digest()).decode()


def test_webhook_forms_are_read_exactly_as_the_standard_parser_reads_them():
    from urllib.parse import parse_qsl, urlencode

    from services.gateway.entrypoints.webhooks import _form_fields

    forms = [
        "", "a=1&b=", "a&b=2", "a=1&&b=%2B1512+x", "x=first&x=last", "=v", "k=a=b", "a=%zz", "a+b=c%20d",
        urlencode({"MessageSid": "SM1", "To": "+1 512 555", "Body": "héllo & = ✓ 100%"}),
    ]
    for form in forms:
        fields = {name.decode(): value.decode() for name, value in _form_fields(form.encode()).items()}
        assert fields == dict(parse_qsl(form, keep_blank_values=True)), form
