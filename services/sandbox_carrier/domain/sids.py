import random

MESSAGE = "SM"
PHONE_NUMBER = "PN"
CALL = "CA"
MEDIA = "ME"


# Seeded from the system's randomness; SIDs only need to be unique, and this costs far less per SID
# than uuid4 (a system call each) at hundreds of messages a second.
_random = random.Random()


def new_sid(prefix: str) -> str:
    """A Twilio-shaped SID: two-letter prefix and 32 hex digits."""
    return f"{prefix}{_random.getrandbits(128):032x}"
