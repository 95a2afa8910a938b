"""The gateway's one wiring point: store, broker, upstream client, routes."""

import gc
from contextlib import asynccontextmanager
from datetime import timedelta
from uuid import uuid4

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.gateway.adapters.live import LiveConnections
from services.gateway.adapters.passwords import PasswordHashing
from services.gateway.adapters import stream_tickets, throttle_store
from services.gateway.adapters.repository import INDEXES, USERS, AccountsAndUsers
from services.gateway.adapters.stream_tickets import StreamTickets
from services.gateway.adapters.throttle_store import MongoWindowCounters
from services.gateway.adapters.twilio_signature import TwilioSignatureCheck
from services.gateway.adapters.upstream import UpstreamClient, Upstreams, UpstreamUnavailable
from services.gateway.domain.errors import GatewayError
from services.gateway.entrypoints import accounts, live, media_links, permissions, proxy, webhooks
from services.gateway.entrypoints.web_client import install_web_client
from services.gateway.entrypoints.body_limits import BodyLimits
from services.gateway.public_api.pages import install_public_api_pages
from services.gateway.service_layer.login_throttle import LoginThrottle
from services.gateway.settings import GatewaySettings
from shared import topics
from shared.consumers import subscribe
from shared.events import CarrierStatusReported, UserCreated, UserSignUpAttempted, UserUpdated
from shared.runtime import Runtime, build_runtime
from shared.web import install_common_handlers

def build_gateway_runtime(settings: GatewaySettings, live_connections: LiveConnections) -> Runtime:
    runtime = build_runtime(
        settings,
        service="gateway",
        database=settings.database,
        published_events=[UserCreated, UserUpdated, UserSignUpAttempted, CarrierStatusReported],
        outbox_collections=[USERS],
        indexes=INDEXES + stream_tickets.INDEXES + throttle_store.INDEXES,
    )
    subscribe(
        runtime.broker,
        topics.NOTIFICATION_CREATED,
        # Every gateway instance needs every notification, for the browsers connected to it.
        group_id=settings.live_consumer_group or f"gateway-live-{uuid4().hex[:12]}",
        handler=live.notification_pusher(live_connections),
        from_beginning=False,
    )
    return runtime


def _upstreams(settings: GatewaySettings) -> Upstreams:
    return Upstreams(
        contacts=settings.contacts_url,
        messaging=settings.messaging_url,
        numbers=settings.numbers_url,
        notifications=settings.notifications_url,
    )


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        live_connections = LiveConnections()
        runtime = build_gateway_runtime(settings, live_connections)
        http = httpx.AsyncClient(
            timeout=settings.upstream_timeout_seconds,
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
        )
        app.state.runtime = runtime
        app.state.repository = AccountsAndUsers(runtime.db)
        app.state.passwords = PasswordHashing(settings.password_hashing_concurrency)
        app.state.login_throttle = LoginThrottle(
            MongoWindowCounters(runtime.db),
            per_email=settings.login_failures_per_email, per_address=settings.login_failures_per_address,
        )
        app.state.live = live_connections
        app.state.stream_tickets = StreamTickets(runtime.db, timedelta(seconds=settings.stream_ticket_seconds))
        app.state.upstream = UpstreamClient(_upstreams(settings), settings.internal_auth_secret, http)
        app.state.signature_check = TwilioSignatureCheck(settings.twilio_auth_token, settings.public_url)
        await runtime.start()
        # Everything built so far lives as long as the process: set aside from the collector so that
        # its full collections stay short under webhook load.
        gc.freeze()
        try:
            yield
        finally:
            await runtime.stop()
            await http.aclose()

    # /docs is the public API's own page (install_public_api_pages), not FastAPI's CDN-served one.
    app = FastAPI(title="Contacts CRM gateway", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.permissions = permissions.MATRIX
    # Added before the common handlers so that it runs inside their correlation ids.
    app.add_middleware(webhooks.StatusCallbacks)
    app.add_middleware(
        BodyLimits,
        default_limit=settings.body_max_bytes,
        limits={("POST", "/api/imports"): settings.import_upload_max_bytes, ("POST", "/api/media"): settings.media_upload_max_bytes},
    )
    install_common_handlers(app, service="gateway")
    _install_error_handlers(app)
    app.include_router(accounts.router)
    app.include_router(live.router)
    app.include_router(webhooks.router)
    app.include_router(media_links.router)
    app.include_router(proxy.router)
    install_public_api_pages(app)
    install_web_client(app)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(GatewayError)
    async def domain_error(request: Request, error: GatewayError):
        content = {"detail": error.detail}
        if errors := getattr(error, "errors", None):
            content["errors"] = errors
        return JSONResponse(status_code=error.status_code, content=content, headers=error.headers)

    @app.exception_handler(UpstreamUnavailable)
    async def upstream_down(request: Request, error: UpstreamUnavailable):
        return JSONResponse(status_code=503, content={"detail": str(error)})
