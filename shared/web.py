"""FastAPI pieces every service uses: caller dependency, correlation ids, clear errors."""

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.health.routes import install_probes
from shared.caller import CALLER_HEADER, CORRELATION_HEADER, Caller, InvalidCallerToken, verify_caller_token
from shared.observability import accepted_correlation_id, bind_correlation_id


class CorrelationIds:
    """Binds each request's correlation id (its header's when that is short and plain, or a new
    one) for the logs and the events it causes, and returns it in the response. Plain ASGI: @app.middleware("http") costs a task and
    a stream per request, which shows at webhook rates."""

    _header = CORRELATION_HEADER.lower().encode()

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope["headers"] if name == self._header), None)
        correlation_id = accepted_correlation_id(given.decode("latin-1") if given else None)
        bind_correlation_id(correlation_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[CORRELATION_HEADER] = correlation_id
            await send(message)

        await self.app(scope, receive, send_with_id)


def install_common_handlers(app: FastAPI, *, service: str | None = None) -> None:
    """Correlation ids on every request, 422s that say exactly what was wrong, the probes
    (/healthz, /readyz) and /metrics, with every request timed under the name `service`."""

    install_probes(app, service=service or app.title)
    app.add_middleware(CorrelationIds)

    @app.exception_handler(RequestValidationError)
    async def validation_failed(request: Request, error: RequestValidationError):
        problems = [
            {"field": ".".join(str(part) for part in item["loc"]), "problem": item["msg"]}
            for item in error.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": "invalid request", "errors": problems})


def _caller_from_request(request: Request) -> Caller:
    """The caller of a token signed for this very service (its settings' `caller_audience`)."""
    token = request.headers.get(CALLER_HEADER)
    if not token:
        raise HTTPException(status_code=401, detail="missing caller token")
    settings = request.app.state.settings
    try:
        return verify_caller_token(
            token, settings.internal_auth_secret, settings.caller_audience, timedelta(seconds=settings.caller_token_max_seconds)
        )
    except InvalidCallerToken as error:
        raise HTTPException(status_code=401, detail=f"invalid caller token: {error}") from error


def _account_caller(caller: Annotated[Caller, Depends(_caller_from_request)]) -> Caller:
    if not caller.account_id:
        raise HTTPException(status_code=403, detail="this call needs an account")
    return caller


def _system_caller(caller: Annotated[Caller, Depends(_caller_from_request)]) -> Caller:
    if not caller.is_system:
        raise HTTPException(status_code=403, detail="only the gateway may call this")
    return caller


AnyCaller = Annotated[Caller, Depends(_caller_from_request)]
AccountCaller = Annotated[Caller, Depends(_account_caller)]
SystemCaller = Annotated[Caller, Depends(_system_caller)]
