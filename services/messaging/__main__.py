"""`python -m services.messaging` runs the api (HTTP, read models, outbox relay);
`python -m services.messaging worker` runs one send worker (no HTTP; start as many as needed)."""

import asyncio
import sys

from services.messaging.bootstrap import create_app, run_worker
from services.messaging.settings import MessagingSettings
from shared.observability import configure_logging, exit_at_once
from shared.serving import serve
from shared.settings import load_settings
from shared.tracing import start_tracing


def main(argv: list[str]) -> None:
    settings = load_settings(MessagingSettings)
    if argv[:1] == ["worker"]:
        configure_logging("messaging-worker", settings.log_level)
        start_tracing("messaging-worker", settings.otlp_traces_endpoint)
        asyncio.run(run_worker(settings))
        exit_at_once()
    elif not argv:
        configure_logging("messaging", settings.log_level)
        start_tracing("messaging", settings.otlp_traces_endpoint)
        serve(create_app(settings), host=settings.http_host, port=settings.http_port,
              grace_seconds=settings.shutdown_grace_seconds)
    else:
        sys.exit(f"usage: python -m services.messaging [worker]  (got {' '.join(argv)!r})")


if __name__ == "__main__":
    main(sys.argv[1:])
