"""`python -m services.notifications` serves the notifications API (and runs its consumers) with uvicorn."""

from services.notifications.bootstrap import create_app
from services.notifications.settings import NotificationsSettings
from shared.observability import configure_logging
from shared.serving import serve
from shared.settings import load_settings
from shared.tracing import start_tracing


def main() -> None:
    settings = load_settings(NotificationsSettings)
    configure_logging("notifications", settings.log_level)
    start_tracing("notifications", settings.otlp_traces_endpoint)
    serve(create_app(settings), host=settings.http_host, port=settings.http_port,
          grace_seconds=settings.shutdown_grace_seconds)


if __name__ == "__main__":
    main()
