"""Times every HTTP request under its route template, read after routing from the ASGI scope."""

import time

from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.metrics.families.http import HTTP_REQUEST_DURATION

UNMATCHED = "unmatched"
ROUTE_TEMPLATE_KEY = "metrics.route_template"
"""Set in the scope by middleware that answers a fixed path before routing."""


def route_template(scope: Scope) -> str:
    """The matched route's template (`/v1/contacts/{contact_id}`), never the path as sent."""
    route = scope.get("route")
    if route is None:
        return scope.get(ROUTE_TEMPLATE_KEY, UNMATCHED)
    if isinstance(route, Mount):
        return route.path + "/*"
    return getattr(route, "path_format", None) or getattr(route, "path", None) or UNMATCHED


class RequestDurations:
    """Plain ASGI (like the correlation ids): one histogram observation per request, with its status."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self._service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            HTTP_REQUEST_DURATION.labels(
                service=self._service, method=scope["method"], route=route_template(scope), status=str(status)
            ).observe(time.perf_counter() - started)
