"""Every row of a service's permission matrix, called by every role through the service's HTTP app."""

import re
from collections.abc import Callable
from uuid import uuid4

import httpx

from shared.permissions import ROLES, Rule

_PARAMETER = re.compile(r"\{[^}]+\}")


def cases(rules: tuple[Rule, ...]) -> list[tuple[Rule, str]]:
    return [(rule, role) for rule in rules for role in ROLES]


def case_id(case) -> str:
    return f"{case.route}" if isinstance(case, Rule) else str(case)


def example_path(rule: Rule) -> str:
    """The rule's path with each parameter filled by an id nothing has."""
    return _PARAMETER.sub(lambda _: f"perm-{uuid4().hex[:10]}", rule.path)


async def call(http: httpx.AsyncClient, rule: Rule, headers: dict[str, str], path: str | None = None) -> httpx.Response:
    """One request to the rule's route (at `path`, else with made-up ids): an empty JSON body where it
    takes one, enough to get past the gate and be refused for what is missing, or to do nothing."""
    body = {"json": {}} if rule.method in ("POST", "PUT", "PATCH") else {}
    return await http.request(rule.method, path or example_path(rule), headers=headers, **body)


async def assert_gate(http: httpx.AsyncClient, rule: Rule, role: str, headers_of: Callable[[str], dict[str, str]]) -> None:
    response = await call(http, rule, headers_of(role))
    if role in rule.roles:
        assert response.status_code != 403 and response.status_code < 500, (rule.route, role, response.status_code, response.text)
    else:
        assert response.status_code == 403, (rule.route, role, response.status_code, response.text)
        assert response.json()["detail"] == rule.refusal(role)
