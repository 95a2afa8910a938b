"""Who may call which route: one declarative matrix per service, checked in one place.

A matrix names every route of a service (method and path template) with the roles allowed
to call it. The gate looks the matched route up before the route runs: a route the matrix does
not name is refused, so a new route stays closed until someone decides who may call it.
Narrower rules a route applies itself (what a texter sees of a registration) are noted beside
its row, so the table says everything.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from shared.caller import Caller
from shared.health.routes import PROBE_PATHS
from shared.web import AnyCaller

USER_ROLES = ("owner", "admin", "texter")
ROLES = (*USER_ROLES, "system")
OWNER = frozenset({"owner"})
MANAGERS = frozenset({"owner", "admin"})
USERS = frozenset(USER_ROLES)
SYSTEM = frozenset({"system"})
ANYONE = frozenset({"anyone"})
"""No caller at all: sign-up, login, and Twilio's webhooks (which are verified by signature)."""

_WHO = {
    OWNER: "the account's owner",
    MANAGERS: "an owner or an admin",
    USERS: "a signed-in user",
    SYSTEM: "the gateway itself",
}
UNPROTECTED_PATHS = frozenset(PROBE_PATHS)
"""Routes no matrix needs to name: they answer the same to anyone and touch no account (the probes and\n/metrics, on each service's own port; the gateway forwards nothing outside /v1/<resource>)."""


@dataclass(frozen=True)
class Rule:
    method: str
    path: str
    roles: frozenset[str]
    action: str
    """What the route does, as it reads after "may": "change the account's texting settings"."""
    note: str = ""
    """A narrower rule the route applies itself, in words."""

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def public(self) -> bool:
        return self.roles == ANYONE

    def refusal(self, role: str) -> str:
        who = _WHO.get(self.roles) or " or ".join(sorted(self.roles))
        return f"a caller with the role {role} may not {self.action}: only {who} may"


class PermissionMatrix:
    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self._by_route: dict[tuple[str, str], Rule] = {}
        for rule in self.rules:
            key = (rule.method, rule.path)
            if key in self._by_route:
                raise ValueError(f"{rule.route} is named twice")
            self._by_route[key] = rule

    def rule(self, method: str, path: str) -> Rule | None:
        return self._by_route.get((method, path))

    def check(self, request: Request, role: str) -> Rule:
        """The rule of the route this request matched, if `role` may call it; else a 403 saying why."""
        route = request.scope.get("route")
        path = getattr(route, "path_format", request.url.path)
        rule = self.rule(request.method, path)
        if rule is None:
            raise HTTPException(status_code=403, detail=f"no permission rule covers {request.method} {path}, so nobody may call it")
        if not rule.public and role not in rule.roles:
            raise HTTPException(status_code=403, detail=rule.refusal(role))
        return rule

    async def gate(self, request: Request, caller: AnyCaller) -> Caller:
        """The dependency every route of a service runs first: the gateway's caller token, then the matrix."""
        self.check(request, caller.role)
        return caller

    def include(self, app: FastAPI, routers: Sequence[APIRouter]) -> None:
        """Add the routers to the app behind the gate: the one place a service enforces its matrix."""
        for router in routers:
            app.include_router(router, dependencies=[Depends(self.gate)])

    def allowed(self, role: str) -> list[Rule]:
        return [rule for rule in self.rules if role in rule.roles]


def routes_of(app: FastAPI) -> list[tuple[str, str, RouteContext]]:
    """Every (method, path template, route) the app answers, bar the unprotected ones."""
    return [
        (method, route.path_format, route)
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute) and route.path_format not in UNPROTECTED_PATHS
        for method in sorted(route.methods)
    ]


def gaps(app: FastAPI, matrix: PermissionMatrix, *, gated: bool = True) -> list[str]:
    """What keeps the matrix and the app apart: routes it does not name, rows of no route, and
    (with `gated`) routes that do not run the matrix's gate."""
    answered = {(method, path): route for method, path, route in routes_of(app)}
    problems = [f"{m} {p}: not in the permission matrix" for (m, p) in answered if matrix.rule(m, p) is None]
    problems += [f"{rule.route}: in the permission matrix but no such route" for rule in matrix.rules if (rule.method, rule.path) not in answered]
    if gated:
        problems += [
            f"{m} {p}: does not run the permission gate"
            for (m, p), route in answered.items()
            if not any(_is_gate_of(matrix, dependency.call) for dependency in route.dependant.dependencies)
        ]
    return problems


def _is_gate_of(matrix: PermissionMatrix, call: object) -> bool:
    return getattr(call, "__func__", None) is PermissionMatrix.gate and getattr(call, "__self__", None) is matrix
