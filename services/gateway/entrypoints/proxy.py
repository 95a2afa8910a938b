"""The public API of the services behind the gateway, forwarded with the caller's account."""

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from services.gateway.entrypoints.deps import CurrentUser
from services.gateway.entrypoints.paths import forwarded_rest
from shared.caller import Caller

router = APIRouter(prefix="/api", tags=["services"])

# Public path prefix -> (service, path prefix inside that service)
ROUTES: dict[str, tuple[str, str]] = {
    "contacts": ("contacts", "/v1/contacts"),
    "tags": ("contacts", "/v1/tags"),
    "imports": ("contacts", "/v1/imports"),
    "messages": ("messaging", "/v1/messages"),
    "conversations": ("messaging", "/v1/conversations"),
    "bulk-sends": ("messaging", "/v1/bulk-sends"),
    "canned-replies": ("messaging", "/v1/canned-replies"),
    "scheduled-sends": ("messaging", "/v1/scheduled-sends"),
    "media": ("messaging", "/v1/media"),
    "numbers": ("numbers", "/v1/numbers"),
    "registrations": ("numbers", "/v1/registrations"),
    "calls": ("numbers", "/v1/calls"),
    "notifications": ("notifications", "/v1/notifications"),
}

FORWARDED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_WITH_BODY = {"POST", "PUT", "PATCH"}
# Credentials a browser may have put in a URL: never passed on to a service.
_CREDENTIAL_PARAMS = frozenset({"access_token", "ticket"})
_FORWARDED_RESPONSE_HEADERS = ("content-type", "content-disposition", "location", "x-correlation-id")


def _caller_of(user) -> Caller:
    return Caller(account_id=user.account_id, user_id=user.id, role=user.role)


async def forward(request: Request, user, resource: str) -> StreamingResponse:
    service, prefix = ROUTES[resource]
    # From the path as sent, not Starlette's decoded one, where `%3F` or `%2F` has become `?` or `/`.
    rest = forwarded_rest(request.scope.get("raw_path") or request.scope["path"].encode(), f"/api/{resource}")
    params = [(name, value) for name, value in request.query_params.multi_items() if name not in _CREDENTIAL_PARAMS]
    upstream = await request.app.state.upstream.send(
        service,
        request.method,
        prefix + rest,
        caller=_caller_of(user),
        params=params,
        # Streamed through, never held whole: an import's upload can be hundreds of megabytes.
        content=request.stream() if request.method in _WITH_BODY else None,
        content_type=request.headers.get("content-type"),
        stream=True,
    )
    headers = {name: value for name, value in upstream.headers.items() if name.lower() in _FORWARDED_RESPONSE_HEADERS}
    return StreamingResponse(
        upstream.aiter_raw(), status_code=upstream.status_code, headers=headers, background=BackgroundTask(upstream.aclose)
    )


def _route(resource: str) -> None:
    methods = list(FORWARDED_METHODS)

    async def root(request: Request, user: CurrentUser) -> StreamingResponse:
        return await forward(request, user, resource)

    async def nested(rest: str, request: Request, user: CurrentUser) -> StreamingResponse:
        return await forward(request, user, resource)

    # Each service documents these paths in its own OpenAPI; the gateway only forwards them.
    router.add_api_route(f"/{resource}", root, methods=methods, include_in_schema=False)
    router.add_api_route(f"/{resource}/{{rest:path}}", nested, methods=methods, include_in_schema=False)


for _resource in ROUTES:
    _route(_resource)
