"""`python -m services.gateway`: the public HTTP API, webhooks and live push."""

import uvicorn
from fastapi import FastAPI

from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings
from shared.observability import configure_logging


def gateway_app() -> FastAPI:
    """What each gateway process serves (uvicorn calls it once per worker process)."""
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level)
    return create_app(settings)


def main() -> None:
    settings = GatewaySettings()
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
    )


if __name__ == "__main__":
    main()
