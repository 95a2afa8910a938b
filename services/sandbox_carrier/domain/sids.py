import uuid

MESSAGE = "SM"
PHONE_NUMBER = "PN"
CALL = "CA"


def new_sid(prefix: str) -> str:
    """A Twilio-shaped SID: two-letter prefix and 32 hex digits."""
    return prefix + uuid.uuid4().hex
