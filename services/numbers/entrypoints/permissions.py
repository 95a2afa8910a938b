"""Who may call each route of the numbers service (checked by the gate its routers run)."""

from shared.caller import Caller
from shared.permissions import MANAGERS, OWNER, SYSTEM, USERS, PermissionMatrix, Rule

MATRIX = PermissionMatrix([
    Rule("GET", "/v1/numbers", USERS, "list the account's texting numbers", note="a texter sees only their own"),
    Rule("GET", "/v1/numbers/mine", USERS, "see their own texting number"),
    Rule("POST", "/v1/numbers/mine", USERS, "get their own texting number before their first text"),
    Rule("GET", "/v1/numbers/limits", USERS, "see today's number purchases against the account's cap"),
    Rule("GET", "/v1/numbers/settings", MANAGERS, "read what happens to a deactivated user's number"),
    Rule("PUT", "/v1/numbers/settings", MANAGERS, "change what happens to a deactivated user's number"),
    Rule(
        "PUT", "/v1/numbers/{number_id}/opt-out-handling", MANAGERS,
        "say whether the carrier answers STOP, START and HELP to a number itself (Twilio's Advanced Opt-Out)",
    ),
    Rule("POST", "/v1/calls", USERS, "call a contact from their own number"),
    Rule(
        "GET", "/v1/registrations", USERS, "read the A2P 10DLC registration",
        note="a texter sees only its state, never the EIN or the rest of the draft",
    ),
    Rule("PUT", "/v1/registrations", OWNER, "write the A2P 10DLC registration"),
    Rule("POST", "/v1/registrations/submit", OWNER, "submit the A2P 10DLC registration"),
    Rule("POST", "/v1/webhooks/voice", SYSTEM, "answer a call to one of the account's numbers"),
    Rule("POST", "/v1/webhooks/voice-status", SYSTEM, "record a finished call"),
])


def sees_whole_registration(caller: Caller) -> bool:
    """Owners and admins read the registration's draft (the EIN among it); texters its state alone."""
    return caller.role in MANAGERS
