"""The gateway's signature check agrees with Twilio's own validator."""

from twilio.request_validator import RequestValidator

from services.gateway.adapters.twilio_signature import TwilioSignatureCheck

TOKEN = "12345678901234567890123456789012"
PUBLIC_URL = "https://crm.example.test"


def test_a_signature_made_by_twilios_validator_is_accepted_even_with_unusual_characters():
    params = {"Body": "Ça va? 👍 & <b>x</b>=1+2", "From": "+15125550142", "To": "+15124740000", "Empty": "", "MessageSid": "SM1"}
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC_URL + "/webhooks/twilio/messages/inbound", params)
    check = TwilioSignatureCheck(TOKEN, PUBLIC_URL + "/")
    assert check.is_genuine("/webhooks/twilio/messages/inbound", "", params, signature)


def test_a_changed_parameter_a_changed_path_or_another_token_is_refused():
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC_URL + "/webhooks/twilio/messages/status", params)
    check = TwilioSignatureCheck(TOKEN, PUBLIC_URL)
    assert not check.is_genuine("/webhooks/twilio/messages/status", "", {**params, "MessageStatus": "failed"}, signature)
    assert not check.is_genuine("/webhooks/twilio/voice/status", "", params, signature)
    assert not TwilioSignatureCheck("another-token-of-the-same-length!", PUBLIC_URL).is_genuine(
        "/webhooks/twilio/messages/status", "", params, signature
    )
    assert not check.is_genuine("/webhooks/twilio/messages/status", "", params, None)


def test_twilio_signing_the_url_with_its_default_port_is_still_accepted():
    params = {"MessageSid": "SM1", "MessageStatus": "sent"}
    signature = RequestValidator(TOKEN).compute_signature("https://crm.example.test:443/webhooks/twilio/messages/status", params)
    assert TwilioSignatureCheck(TOKEN, PUBLIC_URL).is_genuine("/webhooks/twilio/messages/status", "", params, signature)


def test_webhook_forms_are_read_exactly_as_the_standard_parser_reads_them():
    from urllib.parse import parse_qsl, urlencode

    from services.gateway.entrypoints.webhooks import _form_fields

    forms = [
        "", "a=1&b=", "a&b=2", "a=1&&b=%2B1512+x", "x=first&x=last", "=v", "k=a=b", "a=%zz", "a+b=c%20d",
        urlencode({"MessageSid": "SM1", "To": "+1 512 555", "Body": "héllo & = ✓ 100%"}),
    ]
    for form in forms:
        assert _form_fields(form) == dict(parse_qsl(form, keep_blank_values=True)), form
