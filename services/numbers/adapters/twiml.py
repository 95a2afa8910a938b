"""TwiML answers for calls to our numbers."""

from twilio.twiml.voice_response import VoiceResponse

NOBODY_HERE = "Sorry, nobody can take calls on this number right now. Goodbye."


def dial(*, forward_to: str, caller_id: str) -> str:
    """Ring `forward_to`, showing the original caller's number."""
    response = VoiceResponse()
    response.dial(forward_to, caller_id=caller_id)
    return response.to_xml(xml_declaration=False)


def apologise_and_hang_up() -> str:
    response = VoiceResponse()
    response.say(NOBODY_HERE)
    response.hangup()
    return response.to_xml(xml_declaration=False)
