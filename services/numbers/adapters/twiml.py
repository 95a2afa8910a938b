"""TwiML answers for calls to and from our numbers."""

from twilio.twiml.voice_response import Dial, VoiceResponse

NOBODY_HERE = "Sorry, nobody can take calls on this number right now. Goodbye."


def dial(*, forward_to: str, caller_id: str, whisper_url: str | None = None) -> str:
    """Ring `forward_to`, showing the original caller's number. With `whisper_url`, Twilio fetches
    what to tell the person who answers (who is calling) before it connects the two."""
    response = VoiceResponse()
    if whisper_url is None:
        response.dial(forward_to, caller_id=caller_id)
    else:
        forward = Dial(caller_id=caller_id)
        forward.number(forward_to, url=whisper_url, method="POST")
        response.append(forward)
    return response.to_xml(xml_declaration=False)


def whisper(*, caller_name: str) -> str:
    """Played to the user only, before the forwarded call connects."""
    response = VoiceResponse()
    response.say(f"Call from {caller_name}.")
    return response.to_xml(xml_declaration=False)


def bridge(*, contact_name: str, contact_number: str, caller_id: str) -> str:
    """Once the user picks up a click-to-call: say whom they are calling, then dial the contact from their number."""
    response = VoiceResponse()
    response.say(f"Calling {contact_name}." if contact_name else "Connecting your call.")
    response.dial(contact_number, caller_id=caller_id)
    return response.to_xml(xml_declaration=False)


def empty() -> str:
    return VoiceResponse().to_xml(xml_declaration=False)


def apologise_and_hang_up() -> str:
    response = VoiceResponse()
    response.say(NOBODY_HERE)
    response.hangup()
    return response.to_xml(xml_declaration=False)
