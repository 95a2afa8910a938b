"""The public view of every service's permission matrix: the README's "Who may do what" table and the
gateway's permissions.json (what /api/me tells the web client). Both are checked in;
`python -m services.permissions_table` rewrites them after a matrix changes, and a test fails until it has."""

import json
import re
from pathlib import Path

from services.contacts.entrypoints.permissions import MATRIX as CONTACTS
from services.gateway.entrypoints.permissions import OWN_ROUTES, PUBLIC_PERMISSIONS
from services.gateway.entrypoints.proxy import ROUTES
from services.messaging.entrypoints.permissions import MATRIX as MESSAGING
from services.notifications.entrypoints.permissions import MATRIX as NOTIFICATIONS
from services.numbers.entrypoints.permissions import MATRIX as NUMBERS
from shared.permissions import SYSTEM, USER_ROLES, PermissionMatrix, Rule

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- permissions table: start -->", "<!-- permissions table: end -->"
SERVICES: dict[str, PermissionMatrix] = {
    "contacts": CONTACTS, "messaging": MESSAGING, "numbers": NUMBERS, "notifications": NOTIFICATIONS,
}


def _public_path(service: str, path: str) -> str | None:
    for resource, (owner, prefix) in ROUTES.items():
        if owner == service and (path == prefix or path.startswith(prefix + "/")):
            return f"/api/{resource}{path[len(prefix):]}"
    return None


def public_rules() -> list[Rule]:
    """The gateway's own routes, then each service's as the gateway publishes them. A service route
    the gateway does not forward must be the gateway's alone (a webhook it hands over)."""
    rules = list(OWN_ROUTES)
    for service, matrix in SERVICES.items():
        for rule in matrix.rules:
            public = _public_path(service, rule.path)
            if public is None:
                if rule.roles != SYSTEM:
                    raise ValueError(f"{service}: {rule.route} is open to users but the gateway does not forward it")
                continue
            rules.append(Rule(rule.method, public, rule.roles, rule.action, rule.note))
    return rules


def markdown_table() -> str:
    lines = ["| route | what it does | owner | admin | texter |", "|---|---|:-:|:-:|:-:|"]
    for rule in public_rules():
        what = rule.action + (f" ({rule.note})" if rule.note else "")
        cells = ["anyone"] * len(USER_ROLES) if rule.public else ["yes" if role in rule.roles else "—" for role in USER_ROLES]
        lines.append(f"| `{rule.route}` | {what} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def permissions_by_role() -> dict[str, list[str]]:
    return {role: [rule.route for rule in public_rules() if role in rule.roles] for role in USER_ROLES}


def readme_with_table(readme: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(readme):
        raise ValueError(f"the README has no {START} ... {END} section")
    return pattern.sub(lambda _: f"{START}\n{markdown_table()}\n{END}", readme)


def permissions_json() -> str:
    return json.dumps(permissions_by_role(), indent=2) + "\n"


if __name__ == "__main__":
    README.write_text(readme_with_table(README.read_text()))
    PUBLIC_PERMISSIONS.write_text(permissions_json())
    print(f"wrote the table in {README} and {PUBLIC_PERMISSIONS}")
