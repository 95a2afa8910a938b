"""`python -m services.gateway`: the public HTTP API, webhooks and live push."""

import uvicorn

from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings
from shared.observability import configure_logging


def main() -> None:
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level)
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)


if __name__ == "__main__":
    main()
