"""Who may call each route of the gateway. The signed-in user dependency checks it, so a route that
needs no sign-in is one that does not ask for the user; forwarded routes are checked again, and
more narrowly, by the service that answers them."""

import json
from functools import cache
from pathlib import Path

from services.gateway.entrypoints.proxy import FORWARDED_METHODS, ROUTES
from shared.permissions import ANYONE, MANAGERS, USERS, PermissionMatrix, Rule

PUBLIC_PERMISSIONS = Path(__file__).resolve().parent.parent / "permissions.json"
"""Every public route each role may call, generated from all the matrices by `python -m services.permissions_table`."""

OWN_ROUTES = [
    Rule("POST", "/api/accounts", ANYONE, "sign up: create an account and its owner"),
    Rule("POST", "/api/auth/login", ANYONE, "sign in"),
    Rule("GET", "/api/me", USERS, "see who they are signed in as and what they may do"),
    Rule("GET", "/api/users", USERS, "list the account's users", note="a texter sees other users' names and roles, not their cells"),
    Rule("POST", "/api/users", MANAGERS, "add a user", note="only an owner adds an owner"),
    Rule(
        "PATCH", "/api/users/{user_id}", USERS, "change a user",
        note="a texter changes only their own name and cell; roles and deactivation need an owner or an admin",
    ),
    Rule("POST", "/api/notifications/stream-tickets", USERS, "get a single-use ticket that opens their live stream"),
    Rule("GET", "/api/notifications/stream", USERS, "receive their notifications live"),
    Rule("GET", "/docs", ANYONE, "read the public API's documentation"),
    Rule("POST", "/webhooks/twilio/messages/inbound", ANYONE, "deliver a received text (Twilio, checked by its signature)"),
    Rule("POST", "/webhooks/twilio/voice", ANYONE, "deliver a call (Twilio, checked by its signature)"),
    Rule("POST", "/webhooks/twilio/voice/status", ANYONE, "report a finished call (Twilio, checked by its signature)"),
    Rule("GET", "/media/{token}", ANYONE, "fetch a text's image (the carrier, through the short-lived signed link the text names)"),
]
FORWARDED_ROUTES = [
    Rule(method, path, USERS, f"call the {service} service")
    for resource, (service, _) in ROUTES.items()
    for path in (f"/api/{resource}", f"/api/{resource}/{{rest}}")
    for method in FORWARDED_METHODS
]
MATRIX = PermissionMatrix([*OWN_ROUTES, *FORWARDED_ROUTES])


@cache
def _public_permissions() -> dict[str, list[str]]:
    return json.loads(PUBLIC_PERMISSIONS.read_text())


def permissions_of(role: str) -> list[str]:
    """The public routes ("METHOD /api/path") a role may call, for the web client to show only those."""
    return _public_permissions().get(role, [])
