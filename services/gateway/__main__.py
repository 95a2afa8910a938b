"""`python -m services.gateway`: the public HTTP API, webhooks and live push."""

import os
import tempfile

import uvicorn
from fastapi import FastAPI

from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings
from shared.metrics.http.exposition import MULTIPROCESS_DIRECTORY
from shared.observability import configure_logging
from shared.settings import load_settings
from shared.tracing import start_tracing


def gateway_app() -> FastAPI:
    """What each gateway process serves (uvicorn calls it once per worker process)."""
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level)
    start_tracing("gateway", settings.otlp_traces_endpoint)
    return create_app(settings)


def main() -> None:
    settings = load_settings(GatewaySettings)
    if settings.workers > 1 and not os.environ.get(MULTIPROCESS_DIRECTORY):
        # Each worker process writes its metrics there; /metrics, whichever worker answers, sums them.
        os.environ[MULTIPROCESS_DIRECTORY] = tempfile.mkdtemp(prefix="gateway-metrics-")
    uvicorn.run(
        "services.gateway.__main__:gateway_app",
        factory=True,
        host=settings.http_host,
        port=settings.http_port,
        workers=settings.workers,
        # Named rather than left to "auto", which would quietly fall back to the pure-Python
        # loop and parser: the webhook rate the gateway is sized for depends on these two.
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=round(settings.shutdown_grace_seconds),
    )


if __name__ == "__main__":
    main()
